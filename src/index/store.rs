//! Which store an index is, and what every store must answer.
//!
//! An index is a folder (the tantivy store: [`SpeechIndex`]) or a
//! PostgreSQL database (`--index postgres://…`: [`PgStore`], sharded over
//! servers). The commands ask a [`Store`] and never look inside: each
//! question below has one answer whatever the store, byte for byte in the
//! commands' output.

use std::path::{Path, PathBuf};

use super::pg::{PgSink, PgStore, is_url};
use super::writer::{self, IngestOptions, IngestReport, Progress};
use super::{IndexError, SpeechIndex};
use crate::query::filter::Bounds;
use crate::query::mentions::{self, Counts, Detail, Hit, MentionsError, Totals};
use crate::query::periods::{self, Period, Periods};

/// Where an index is, as `--index` names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A folder holding a tantivy index.
    Dir(PathBuf),
    /// A PostgreSQL database: the coordinator's URL.
    Postgres(String),
}

impl Location {
    /// A `postgres://` or `postgresql://` URL is a database; anything else
    /// a folder.
    pub fn of(index: &Path) -> Location {
        match index.to_str() {
            Some(s) if is_url(s) => Location::Postgres(s.to_owned()),
            _ => Location::Dir(index.to_owned()),
        }
    }
}

/// An open index, of either store.
#[derive(Clone, Copy)]
pub enum Store<'a> {
    /// A tantivy index in a folder.
    Tantivy(&'a SpeechIndex),
    /// A PostgreSQL database.
    Postgres(&'a PgStore),
}

impl Store<'static> {
    /// Opens the index for the rest of the process (a command's one index).
    pub fn open_for_process(index: &Path) -> Result<Store<'static>, IndexError> {
        Ok(match Location::of(index) {
            Location::Dir(dir) => Store::Tantivy(SpeechIndex::open_for_process(&dir)?),
            Location::Postgres(url) => Store::Postgres(Box::leak(Box::new(PgStore::open(&url)?))),
        })
    }
}

impl Store<'_> {
    /// The totals of a phrase within `bounds` (`mentions --count`).
    pub fn totals_in(&self, phrase: &str, bounds: &Bounds) -> Result<Totals, MentionsError> {
        match self {
            Store::Tantivy(idx) => mentions::totals_in(idx, phrase, bounds),
            Store::Postgres(pg) => pg.totals_in(phrase, bounds),
        }
    }

    /// The count of a phrase per title and passage within `bounds`
    /// (`mentions --by`), titles and sites as far as `detail` asks.
    pub fn count_in(
        &self,
        phrase: &str,
        detail: Detail,
        bounds: &Bounds,
    ) -> Result<Counts, MentionsError> {
        match self {
            Store::Tantivy(idx) => mentions::count_in(idx, phrase, detail, bounds),
            Store::Postgres(pg) => pg.count_in(phrase, detail, bounds),
        }
    }

    /// The count of a phrase per year or month within `bounds` (`mentions
    /// --by year|month`), with no tally per passage in the folder index.
    pub fn periods_in(
        &self,
        phrase: &str,
        period: Period,
        bounds: &Bounds,
    ) -> Result<Periods, MentionsError> {
        match self {
            Store::Tantivy(idx) => periods::periods_in(idx, phrase, period, bounds),
            Store::Postgres(pg) => Ok(Periods::of_tallies(
                &pg.count_in(phrase, Detail::default(), bounds)?.tallies,
                period,
            )),
        }
    }

    /// Every title and passage that mentions the phrase within `bounds`,
    /// handed to `each` one at a time (lent: clone what is kept), by source path, then speech id, the
    /// title before the passages in order (the `mentions` listing); `each`
    /// stops the stream with [`std::ops::ControlFlow::Break`].
    pub fn for_each_mention_in(
        &self,
        phrase: &str,
        bounds: &Bounds,
        each: impl FnMut(&Hit) -> std::ops::ControlFlow<()>,
    ) -> Result<(), MentionsError> {
        match self {
            Store::Tantivy(idx) => mentions::for_each_mention_in(idx, phrase, bounds, each),
            Store::Postgres(pg) => pg.for_each_mention_in(phrase, bounds, each),
        }
    }

    /// The passages matching a query, ranked (`search`): the same passages
    /// in every store, ranked by each store's own ranking.
    pub fn search(
        &self,
        query: &str,
        opts: &crate::query::search::Options,
    ) -> Result<crate::query::search::Found, crate::query::search::SearchError> {
        match self {
            Store::Tantivy(idx) => crate::query::search::search(idx, query, opts),
            Store::Postgres(pg) => pg.search(query, opts),
        }
    }

    /// The id a whole id or a unique prefix of one names.
    pub fn resolve(&self, id: &str) -> Result<super::DocId, crate::query::show::ShowError> {
        match self {
            Store::Tantivy(idx) => crate::query::show::resolve(&idx.searcher()?, id),
            Store::Postgres(pg) => pg.resolve(id),
        }
    }

    /// One speech by id or unique id prefix (`show`).
    pub fn show(
        &self,
        id: &str,
    ) -> Result<crate::query::show::StoredSpeech, crate::query::show::ShowError> {
        match self {
            Store::Tantivy(idx) => crate::query::show::show(idx, id),
            Store::Postgres(pg) => pg.show(id),
        }
    }

    /// What the index holds (`stats`).
    pub fn stats(&self) -> Result<crate::query::stats::Stats, IndexError> {
        match self {
            Store::Tantivy(idx) => Ok(crate::query::stats::stats(idx)?),
            Store::Postgres(pg) => pg.stats(),
        }
    }
}

/// Re-ingests every recorded source of the index `index` names into a
/// fresh one beside it and swaps it in (see [`writer::rebuild`] and
/// [`super::pg::rebuild`]); searches keep the old one until the swap.
pub fn rebuild(
    index: &Path,
    user_dict: Option<&str>,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestReport, IndexError> {
    match Location::of(index) {
        Location::Dir(dir) => writer::rebuild(&dir, user_dict, progress),
        Location::Postgres(url) => super::pg::rebuild(&url, user_dict, progress),
    }
}

/// Ingests files and folders into the index `index` names, making it when
/// there is none (see [`writer::ingest`]); one writer at a time.
pub fn ingest(
    index: &Path,
    paths: &[PathBuf],
    user_dict: Option<&str>,
    opts: IngestOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestReport, IndexError> {
    match Location::of(index) {
        Location::Dir(dir) => {
            let idx = writer::open_for_writing(&dir, user_dict)?;
            writer::ingest(&idx, paths, opts, progress)
        }
        Location::Postgres(url) => {
            let (store, lock) = PgStore::open_for_writing(&url, user_dict)?;
            writer::ingest_into(PgSink::new(&store, lock), paths, opts, progress)
        }
    }
}
