//! Queries over the index: `mentions` (exact counts), `show` (one speech)
//! and `stats` (what the index holds). Each returns plain data; printing is
//! `output`'s job.

pub mod highlight;
pub mod mentions;
pub mod parse;
pub mod scope;
pub mod search;
pub mod show;
pub mod stats;
