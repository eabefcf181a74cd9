//! Output: the only code that writes results. `human` writes text for people
//! (colour on a terminal, never with `NO_COLOR`); `json` writes JSON Lines
//! for scripts. Both take library values and a writer; neither decides
//! anything about the data.

pub mod human;
pub mod json;
pub mod kwic;
