//! Queries over the index: `search` (ranked passages), `mentions` (exact
//! counts, and `periods` of them per year or month), `show` (one speech)
//! and `stats` (what the index holds), with
//! `filter` (by site and date) shared by the first two. Each returns plain
//! data; printing is `output`'s job.

pub mod filter;
pub mod highlight;
pub mod mentions;
pub mod parse;
pub mod periods;
pub mod rank;
pub mod scope;
pub mod search;
pub mod show;
pub mod stats;
