//! Which state of the index does the server answer from? One snapshot at a
//! time ([`SpeechIndex::open_snapshot`]): every request reads the snapshot
//! that was current when it started, whole, so no answer mixes two commits
//! and none sees a half-written state. A watcher looks at the folder every
//! second ([`SpeechIndex::commit_key`]: the live generation and its
//! `meta.json`), opens the new state when an ingest committed or a
//! `rebuild` swapped generations, and swaps it in; requests already
//! running finish on the old one, whose files stay open (and readable,
//! even once a rebuild has removed them) until the last of them ends.

use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use crate::index::{IndexError, SpeechIndex};

/// What names a state of the index folder (see [`SpeechIndex::commit_key`]).
type CommitKey = (PathBuf, [u8; 32]);

/// One state of the index, open.
pub struct Snapshot {
    /// The index, fixed at one commit.
    pub idx: SpeechIndex,
    /// Counts the snapshots this server opened, from 1: the next is greater
    /// (what the answer cache is keyed by).
    pub serial: u64,
    key: CommitKey,
}

/// The index folder a server answers from, and its current snapshot.
pub struct Live {
    dir: PathBuf,
    now: RwLock<Arc<Snapshot>>,
}

impl Live {
    /// Opens the index folder's current state (an error when there is no
    /// index, or one this binary cannot read).
    pub fn open(dir: &Path) -> Result<Live, IndexError> {
        let snapshot = Self::snapshot(dir, 1)?;
        Ok(Live {
            dir: dir.to_owned(),
            now: RwLock::new(Arc::new(snapshot)),
        })
    }

    fn snapshot(dir: &Path, serial: u64) -> Result<Snapshot, IndexError> {
        // The key first: a commit landing between the two makes the next
        // look open the same state again, never miss one.
        let key = SpeechIndex::commit_key(dir)?;
        let idx = SpeechIndex::open_snapshot(dir)?;
        Ok(Snapshot { idx, serial, key })
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
        let key = SpeechIndex::commit_key(&self.dir)?;
        let current = self.current();
        if key == current.key {
            return Ok(false);
        }
        let next = Arc::new(Self::snapshot(&self.dir, current.serial + 1)?);
        match self.now.write() {
            Ok(mut now) => *now = next,
            Err(poisoned) => *poisoned.into_inner() = next,
        }
        Ok(true)
    }
}

/// Looks at the folder every `every`, forever, swapping in each new state.
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
