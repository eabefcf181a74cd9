//! Output: the only code that writes results. `human` writes text for people
//! (colour on a terminal, never with `NO_COLOR`); `json` writes JSON Lines
//! for scripts; `csv` writes rows for spreadsheets. They take library
//! values and a writer; none decides
//! anything about the data.

pub mod csv;
pub mod human;
pub mod json;
pub mod kwic;
