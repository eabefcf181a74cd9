//! Which state of the index does the server answer from? One snapshot at a
//! time ([`SpeechIndex::open_snapshot`]): every request reads the snapshot
//! that was current when it started, whole, so no answer mixes two commits
//! and none sees a half-written state. A watcher looks at the folder every
//! second ([`SpeechIndex::commit_key`]: the live generation and its
//! `meta.json`), opens the new state when an ingest committed or a
//! `rebuild` swapped generations, and swaps it in; requests already
//! running finish on the old one, whose files stay open (and readable,
//! even once a rebuild has removed them) until the last of them ends.
//!
//! A PostgreSQL store is read live (each statement sees what is committed
//! when it runs); the watcher asks it for its commit key
//! ([`PgStore::commit_key`]) and opens it again when it moved on, so that
//! answers kept for the old state are never served for the new one.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::index::pg::PgStore;
use crate::index::store::{Location, Store};
use crate::index::{IndexError, SpeechIndex};

/// What names a state of the index (see [`SpeechIndex::commit_key`] and
/// [`PgStore::commit_key`]).
#[derive(Debug, Clone, PartialEq, Eq)]
enum CommitKey {
    Dir(PathBuf, [u8; 32]),
    Postgres(String),
}

/// An open index of either store.
pub enum Opened {
    /// A tantivy index, fixed at one commit.
    Tantivy(Box<SpeechIndex>),
    /// A PostgreSQL store.
    Postgres(Box<PgStore>),
}

/// One state of the index, open.
pub struct Snapshot {
    /// The index.
    pub opened: Opened,
    /// Counts the snapshots this server opened, from 1: the next is greater
    /// (what the answer cache is keyed by).
    pub serial: u64,
    key: CommitKey,
}

impl Snapshot {
    /// The store requests ask.
    pub fn store(&self) -> Store<'_> {
        match &self.opened {
            Opened::Tantivy(idx) => Store::Tantivy(idx),
            Opened::Postgres(pg) => Store::Postgres(pg),
        }
    }
}

/// The index a server answers from, and its current snapshot.
pub struct Live {
    location: Location,
    now: RwLock<Arc<Snapshot>>,
}

impl Live {
    /// Opens the index's current state (an error when there is no index,
    /// or one this binary cannot read).
    pub fn open(index: &Path) -> Result<Live, IndexError> {
        let location = Location::of(index);
        let snapshot = Self::snapshot(&location, 1)?;
        Ok(Live {
            location,
            now: RwLock::new(Arc::new(snapshot)),
        })
    }

    /// The key of the state `location` holds now, asked through the
    /// current snapshot's store where it is a live one.
    fn key(location: &Location, current: &Snapshot) -> Result<CommitKey, IndexError> {
        Ok(match (&current.opened, location) {
            (Opened::Postgres(pg), _) => CommitKey::Postgres(pg.commit_key()?),
            (Opened::Tantivy(_), Location::Dir(dir)) => {
                let (path, hash) = SpeechIndex::commit_key(dir)?;
                CommitKey::Dir(path, hash)
            }
            (Opened::Tantivy(_), Location::Postgres(url)) => {
                CommitKey::Postgres(PgStore::open_unchecked(url)?.commit_key()?)
            }
        })
    }

    fn snapshot(location: &Location, serial: u64) -> Result<Snapshot, IndexError> {
        let (opened, key) = match location {
            Location::Dir(dir) => {
                // The key first: a commit landing between the two makes the
                // next look open the same state again, never miss one.
                let (path, hash) = SpeechIndex::commit_key(dir)?;
                let idx = SpeechIndex::open_snapshot(dir)?;
                (Opened::Tantivy(Box::new(idx)), CommitKey::Dir(path, hash))
            }
            // A store read live: its key through its own connection.
            Location::Postgres(url) => {
                let pg = PgStore::open(url)?;
                let key = CommitKey::Postgres(pg.commit_key()?);
                (Opened::Postgres(Box::new(pg)), key)
            }
        };
        Ok(Snapshot {
            opened,
            serial,
            key,
        })
    }

    /// The snapshot requests read now.
    pub fn current(&self) -> Arc<Snapshot> {
        match self.now.read() {
            Ok(s) => Arc::clone(&s),
            Err(poisoned) => Arc::clone(&poisoned.into_inner()),
        }
    }

    /// Opens and swaps in the folder's state if it moved on since the
    /// current snapshot; whether it did. On an error the current snapshot
    /// stays.
    pub fn refresh(&self) -> Result<bool, IndexError> {
        let current = self.current();
        let key = Self::key(&self.location, &current)?;
        if key == current.key {
            return Ok(false);
        }
        let next = Arc::new(Self::snapshot(&self.location, current.serial + 1)?);
        match self.now.write() {
            Ok(mut now) => *now = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        Ok(true)
    }
}

/// Looks at the index every `every`, forever, swapping in each new state.
/// A failed look (a rebuild between its steps, a full disk) is said once on
/// stderr and tried again at the next tick; the server keeps answering from
/// the state it has.
pub async fn watch(live: Arc<Live>, every: Duration) {
    let mut last_error: Option<String> = None;
    let mut tick = tokio::time::interval(every);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tick.tick().await;
        let l = Arc::clone(&live);
        let looked = tokio::task::spawn_blocking(move || l.refresh()).await;
        match looked {
            Ok(Ok(_)) => last_error = None,
            Ok(Err(e)) => {
                let e = e.to_string();
                if last_error.as_deref() != Some(e.as_str()) {
                    eprintln!("jianghua serve: still answering from the last state read: {e}");
                    last_error = Some(e);
                }
            }
            Err(e) => eprintln!("jianghua serve: the index watcher failed: {e}"),
        }
    }
}
