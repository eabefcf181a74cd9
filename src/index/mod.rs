//! The index: tantivy over the speeches, opened in exactly one place.
//!
//! [`SpeechIndex::open`] and [`SpeechIndex::create`] are the only ways to get
//! an index, and both register the analyzers (tantivy does not persist
//! tokenizer registration; an index opened without it cannot be queried).
//! Each commit carries a payload with the schema version, the fingerprint
//! of the dictionaries and the user dictionary itself, so a later command
//! tokenizes queries exactly as the index was built, and a mismatch asks
//! for `rebuild` instead of returning wrong answers.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tantivy::Index;
use tantivy::tokenizer::TextAnalyzer;

pub mod analyzers;
pub mod dict;
pub mod doc_id;
mod held;
pub mod layout;
pub mod merges;
pub mod pg;
pub mod schema;
pub mod sources;
pub mod store;
pub mod stored;
pub mod terms;
pub mod writer;

pub use doc_id::DocId;
pub use schema::Fields;

/// What each commit records about how the index was built.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BuildInfo {
    /// [`schema::SCHEMA_VERSION`] at build time.
    pub schema: u32,
    /// Fingerprint of the schema version, the bundled dictionary and the user dictionary.
    pub fingerprint: String,
    /// The user dictionary's text (empty when none).
    pub user_dict: String,
    /// When the last ingest committed (seconds since the epoch).
    #[serde(default)]
    pub last_ingest: u64,
}

impl BuildInfo {
    /// The build info for the current binary and a user dictionary.
    pub fn current(user_dict: &str) -> BuildInfo {
        BuildInfo {
            schema: schema::SCHEMA_VERSION,
            fingerprint: fingerprint(user_dict),
            user_dict: user_dict.to_owned(),
            last_ingest: 0,
        }
    }
}

/// The BLAKE3 digest of the fold table ([`crate::fold::TABLE`]), jieba's
/// dictionary hash ([`dict::BLAKE3`]) and the policy terms, each followed by
/// a NUL but the last: made by `build.rs`, so no process hashes them again.
pub const BUNDLED_DIGEST: [u8; 32] = include!(concat!(env!("OUT_DIR"), "/bundled_digest.rs"));

/// The fingerprint of everything that decides how text is folded and
/// tokenized: the schema version, the bundled tables ([`BUNDLED_DIGEST`])
/// and the user dictionary.
pub fn fingerprint(user_dict: &str) -> String {
    let mut h = blake3::Hasher::new();
    h.update(&schema::SCHEMA_VERSION.to_le_bytes());
    h.update(&BUNDLED_DIGEST);
    h.update(user_dict.as_bytes());
    h.finalize().to_hex()[..16].to_owned()
}

/// A searcher over the last commit of `index`, from a reader that never
/// reloads (so no watcher thread is started).
pub fn searcher_of(index: &Index) -> tantivy::Result<tantivy::Searcher> {
    Ok(index
        .reader_builder()
        .reload_policy(tantivy::ReloadPolicy::Manual)
        .try_into()?
        .searcher())
}

/// Errors of the index layer. Each displays as one sentence.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// No index at the path.
    #[error("no index at {}: run `jianghua ingest PATH…` to build one (or pass --index DIR)", .0.display())]
    Missing(PathBuf),
    /// No index at the path, but an earlier version's rebuild left it beside.
    #[error("no index at {}, but an interrupted rebuild of an earlier jianghua left it at {}: move it back (mv {} {}) and run again", dir.display(), old.display(), old.display(), dir.display())]
    Stranded {
        /// The index folder.
        dir: PathBuf,
        /// Where the index is.
        old: PathBuf,
    },
    /// The index was built by another version or with another dictionary.
    #[error("the index at {} was built with a different {what}: run `jianghua rebuild`", dir.display())]
    Stale {
        /// The index directory.
        dir: PathBuf,
        /// "schema" or "dictionary".
        what: &'static str,
    },
    /// Another process holds the writer lock.
    #[error("the index at {} is being written by another jianghua process (an ingest or a rebuild holds its writer lock); try again when it has finished", .0.display())]
    Locked(PathBuf),
    /// The folder holds files that are not jianghua's: it is not an index.
    #[error("{} is not a jianghua index: it holds {found:?}, and an index folder must be jianghua's alone; pass --index with a new or empty folder", dir.display())]
    NotAnIndex {
        /// The folder given as the index.
        dir: PathBuf,
        /// One entry that is not jianghua's.
        found: String,
    },
    /// The index folder's own records make no sense.
    #[error("the index at {} is damaged: {what}", dir.display())]
    Corrupt {
        /// The index folder.
        dir: PathBuf,
        /// What is wrong.
        what: String,
    },
    /// Writing failed part-way (a full disk, an I/O error): what was
    /// committed before is intact.
    #[error("cannot write the index at {}: {reason}; {kept}; {advice}", dir.display())]
    WriteFailed {
        /// The index folder.
        dir: PathBuf,
        /// What the filesystem said.
        reason: String,
        /// What is intact.
        kept: String,
        /// What to do.
        advice: &'static str,
    },
    /// A PostgreSQL store refused or failed (a server down, a missing
    /// store, another writer).
    #[error("the PostgreSQL store at {url}: {reason}")]
    Postgres {
        /// The server's URL, its password hidden.
        url: String,
        /// What went wrong, and what to do.
        reason: String,
    },
    /// A usage error in what was asked of the index (bad path, unsafe prune).
    #[error("{0}")]
    Refused(String),
    /// A user dictionary line is malformed.
    #[error("{}: {source}", path.display())]
    Dict {
        /// The dictionary file.
        path: PathBuf,
        /// The bad line.
        source: analyzers::DictError,
    },
    /// tantivy failed.
    #[error("index error: {0}")]
    Tantivy(#[from] tantivy::TantivyError),
    /// The filesystem failed.
    #[error("{}: {}", path.display(), crate::error::io_reason(source))]
    Io {
        /// The path involved.
        path: PathBuf,
        /// What the OS said.
        source: std::io::Error,
    },
}

/// A stored text field of a document (its first value).
pub fn stored_text(
    doc: &tantivy::TantivyDocument,
    field: tantivy::schema::Field,
) -> Option<String> {
    use tantivy::schema::Value;
    doc.get_first(field)
        .and_then(|v| v.as_str())
        .map(str::to_owned)
}

/// A stored u64 field of a document (0 when absent).
pub fn stored_u64(doc: &tantivy::TantivyDocument, field: tantivy::schema::Field) -> u64 {
    use tantivy::schema::Value;
    doc.get_first(field).and_then(|v| v.as_u64()).unwrap_or(0)
}

/// The distinct terms of a field that still have a live document (a
/// deleted document's terms stay in the dictionary until a merge).
pub fn live_terms(
    searcher: &tantivy::Searcher,
    field: tantivy::schema::Field,
) -> tantivy::Result<std::collections::BTreeSet<Vec<u8>>> {
    use tantivy::DocSet;
    let mut out = std::collections::BTreeSet::new();
    for seg in searcher.segment_readers() {
        let inv = seg.inverted_index(field)?;
        let mut stream = inv.terms().stream()?;
        while stream.advance() {
            let mut postings = inv.read_postings_from_terminfo(
                stream.value(),
                tantivy::schema::IndexRecordOption::Basic,
            )?;
            let mut doc = postings.doc();
            while doc != tantivy::TERMINATED && seg.is_deleted(doc) {
                doc = postings.advance();
            }
            if doc != tantivy::TERMINATED {
                out.insert(stream.key().to_vec());
            }
        }
    }
    Ok(out)
}

/// An open index with its analyzers registered.
pub struct SpeechIndex {
    /// The tantivy index.
    pub index: Index,
    /// Field handles.
    pub fields: Fields,
    /// How the index was built (from the last commit).
    pub info: BuildInfo,
    /// The jieba tokenizer registered with the index (shared, lazy).
    pub jieba: analyzers::LazyJieba,
    /// The known terms counted at ingest (policy terms and user words).
    pub terms: std::sync::Arc<terms::Vocabulary>,
    /// The index folder, as the user named it.
    pub dir: PathBuf,
    /// The folder of the live generation's tantivy files
    /// ([`layout`]).
    pub data_dir: PathBuf,
    /// The searcher every [`SpeechIndex::searcher`] call returns, once
    /// [`SpeechIndex::open_for_process`] asked for one.
    kept: Option<std::sync::OnceLock<tantivy::Searcher>>,
    /// The folder's writer lock, held by an index opened for writing.
    lock: Option<layout::WriterLock>,
}

/// How many times an open follows `CURRENT` when a swap moved it meanwhile.
const OPEN_TRIES: usize = 5;

impl SpeechIndex {
    /// Opens an existing index for reading and checks it was built the way
    /// this binary builds indexes.
    pub fn open(dir: &Path) -> Result<SpeechIndex, IndexError> {
        let idx = Self::open_unchecked(dir)?;
        idx.check()?;
        Ok(idx)
    }

    /// Opens an existing index, as [`SpeechIndex::open`], for the rest of a
    /// one-shot process: every [`SpeechIndex::searcher`] returns the same
    /// searcher, over the last commit as of the open, and the index
    /// is never closed: its files stay mapped until the process exits,
    /// which unmaps them all at once (unmapping a 5-segment index's 30
    /// files one by one was about 0.15 ms of a 2.5 ms `mentions --count`).
    pub fn open_for_process(dir: &Path) -> Result<&'static SpeechIndex, IndexError> {
        Self::open_snapshot(dir).map(|idx| &*Box::leak(Box::new(idx)))
    }

    /// Opens an existing index, as [`SpeechIndex::open`], fixed at its last
    /// commit: every [`SpeechIndex::searcher`] returns the same searcher,
    /// whose segments were opened here, so neither a later commit nor a
    /// `rebuild` that removes the generation changes what it answers. A
    /// server holds one such snapshot and opens the next when the index
    /// moves on ([`SpeechIndex::commit_key`]).
    pub fn open_snapshot(dir: &Path) -> Result<SpeechIndex, IndexError> {
        Self::following_swaps(dir, |dir| {
            // `open_live`, not `open`: one layer of retries, and `CURRENT`
            // read no more often than needed on every query's start-up.
            let mut idx = Self::open_live(dir)?;
            idx.check()?;
            // Open the segments now, while the generation is certainly
            // there: a swap that removes it later cannot touch open files.
            let searcher = searcher_of(&idx.index)?;
            let kept = std::sync::OnceLock::new();
            let _ = kept.set(searcher);
            idx.kept = Some(kept);
            Ok(idx)
        })
    }

    /// What names the state a reader of the folder `dir` would see now: the
    /// live generation's folder and the digest of its `meta.json`, which
    /// tantivy rewrites (atomically) at every commit. It changes with every
    /// commit of an ingest and every `rebuild` swap.
    pub fn commit_key(dir: &Path) -> Result<(PathBuf, [u8; 32]), IndexError> {
        let layout = layout::Layout::new(dir);
        let Some(live) = layout.live()? else {
            return Err(layout.missing());
        };
        let data_dir = layout.data_dir(&live);
        let meta = data_dir.join("meta.json");
        let bytes = std::fs::read(&meta).map_err(|source| IndexError::Io {
            path: meta.clone(),
            source,
        })?;
        Ok((data_dir, *blake3::hash(&bytes).as_bytes()))
    }

    /// Runs `open` on the index folder, again if it failed because a
    /// `rebuild` swapped generations (and removed the old one) meanwhile.
    fn following_swaps(
        dir: &Path,
        open: impl Fn(&Path) -> Result<SpeechIndex, IndexError>,
    ) -> Result<SpeechIndex, IndexError> {
        let layout = layout::Layout::new(dir);
        let mut tries = 0;
        loop {
            let before = layout.live()?;
            match open(dir) {
                Ok(idx) => return Ok(idx),
                Err(e) => {
                    tries += 1;
                    if tries >= OPEN_TRIES || layout.live()? == before {
                        return Err(e);
                    }
                }
            }
        }
    }

    /// Opens an existing index without the fingerprint check (for `rebuild`).
    pub fn open_unchecked(dir: &Path) -> Result<SpeechIndex, IndexError> {
        Self::following_swaps(dir, Self::open_live)
    }

    fn open_live(dir: &Path) -> Result<SpeechIndex, IndexError> {
        let layout = layout::Layout::new(dir);
        let Some(live) = layout.live()? else {
            return Err(layout.missing());
        };
        let data_dir = layout.data_dir(&live);
        if !data_dir.join("meta.json").is_file() {
            return Err(IndexError::Corrupt {
                dir: dir.to_owned(),
                what: format!("{} has no meta.json", data_dir.display()),
            });
        }
        let index = Index::open_in_dir(&data_dir)?;
        let fields = schema::fields_of(&index.schema()).map_err(|_| IndexError::Stale {
            dir: dir.to_owned(),
            what: "schema",
        })?;
        let metas = index.load_metas()?;
        let empty = metas.segments.iter().all(|s| s.num_docs() == 0);
        // An index killed between its creation and its first commit is
        // empty and has no payload: it is simply a fresh index.
        let info: BuildInfo = metas
            .payload
            .as_deref()
            .and_then(|p| serde_json::from_str(p).ok())
            .or_else(|| empty.then(|| BuildInfo::current("")))
            .unwrap_or_else(|| BuildInfo {
                schema: 0,
                fingerprint: String::new(),
                user_dict: String::new(),
                last_ingest: 0,
            });
        Ok(Self::with_analyzers(index, fields, info, dir, data_dir))
    }

    /// Creates a new, empty index in `dir`, which must not exist, be empty,
    /// or hold only what an interrupted jianghua left there, and makes it
    /// live. The index keeps the folder's writer lock until dropped.
    pub fn create(dir: &Path, user_dict: &str) -> Result<SpeechIndex, IndexError> {
        let layout = layout::Layout::new(dir);
        layout.check_is_ours()?;
        if let Some(old) = layout.stranded() {
            return Err(IndexError::Stranded {
                dir: dir.to_owned(),
                old,
            });
        }
        if layout.live()?.is_some() {
            return Err(IndexError::Refused(format!(
                "{} already holds an index",
                dir.display()
            )));
        }
        std::fs::create_dir_all(dir).map_err(|source| IndexError::Io {
            path: dir.to_owned(),
            source,
        })?;
        let lock = layout.lock()?;
        layout.remove_leftovers(&lock)?;
        let (mut idx, generation) = Self::create_generation(&layout, &lock, user_dict)?;
        layout.publish(&lock, &generation)?;
        idx.lock = Some(lock);
        Ok(idx)
    }

    /// Creates a new, empty generation in the folder, committed with its
    /// build info but not live: [`layout::Layout::publish`] makes it so.
    pub fn create_generation(
        layout: &layout::Layout,
        lock: &layout::WriterLock,
        user_dict: &str,
    ) -> Result<(SpeechIndex, String), IndexError> {
        let generation = layout.next_generation(lock)?;
        let data_dir = layout.root.join(&generation);
        std::fs::create_dir(&data_dir).map_err(|source| IndexError::Io {
            path: data_dir.clone(),
            source,
        })?;
        let (schema, fields) = schema::build();
        let index = Index::create_in_dir(&data_dir, schema)?;
        let idx = Self::with_analyzers(
            index,
            fields,
            BuildInfo::current(user_dict),
            &layout.root,
            data_dir,
        );
        // Commit the empty index with its build info at once, so it is
        // valid (and says how it was built) before the first batch lands.
        let mut w: tantivy::IndexWriter = idx.index.writer(15_000_000)?;
        let mut c = w.prepare_commit()?;
        c.set_payload(&serde_json::to_string(&idx.info).unwrap_or_default());
        c.commit()?;
        w.wait_merging_threads()?;
        Ok((idx, generation))
    }

    /// Gives an opened index the folder's writer lock to hold.
    pub(crate) fn hold(&mut self, lock: layout::WriterLock) {
        self.lock = Some(lock);
    }

    fn with_analyzers(
        index: Index,
        fields: Fields,
        info: BuildInfo,
        dir: &Path,
        data_dir: PathBuf,
    ) -> SpeechIndex {
        let jieba = analyzers::LazyJieba::new(info.user_dict.clone());
        index
            .tokenizers()
            .register(schema::JIEBA, TextAnalyzer::from(jieba.clone()));
        index
            .tokenizers()
            .register(schema::NGRAM, TextAnalyzer::from(analyzers::NgramTokenizer));
        let terms = std::sync::Arc::new(terms::Vocabulary::new(&info.user_dict));
        index.tokenizers().register(
            terms::TERMS,
            TextAnalyzer::from(terms::TermTokenizer(terms.clone())),
        );
        SpeechIndex {
            index,
            fields,
            info,
            jieba,
            terms,
            dir: dir.to_owned(),
            data_dir,
            kept: None,
            lock: None,
        }
    }

    /// A searcher over the last commit.
    ///
    /// The reader behind it never reloads: a one-shot query needs no
    /// watcher thread polling `meta.json` (tantivy's default reader starts
    /// one), and a fresh call sees any later commit (except on an index
    /// opened with [`SpeechIndex::open_for_process`]).
    pub fn searcher(&self) -> tantivy::Result<tantivy::Searcher> {
        let Some(kept) = &self.kept else {
            return searcher_of(&self.index);
        };
        if let Some(s) = kept.get() {
            return Ok(s.clone());
        }
        let s = searcher_of(&self.index)?;
        Ok(kept.get_or_init(|| s).clone())
    }

    /// Fails when the index was built with another schema or dictionary.
    pub fn check(&self) -> Result<(), IndexError> {
        if self.info.schema != schema::SCHEMA_VERSION {
            return Err(IndexError::Stale {
                dir: self.dir.clone(),
                what: "schema",
            });
        }
        if self.info.fingerprint != fingerprint(&self.info.user_dict) {
            return Err(IndexError::Stale {
                dir: self.dir.clone(),
                what: "dictionary",
            });
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::SpeechIndex;
    use super::writer::{IngestOptions, ingest, open_for_writing};

    #[test]
    fn the_bundled_digest_is_worked_out() {
        let mut h = blake3::Hasher::new();
        h.update(crate::fold::TABLE.as_bytes());
        h.update(b"\0");
        h.update(super::dict::BLAKE3.as_bytes());
        h.update(b"\0");
        h.update(super::analyzers::POLICY_TERMS.as_bytes());
        assert_eq!(*h.finalize().as_bytes(), super::BUNDLED_DIGEST);
    }

    #[test]
    fn an_index_opened_for_the_process_keeps_one_searcher() {
        let work = tempfile::tempdir().unwrap();
        let (pages, dir) = (work.path().join("pages"), work.path().join("index"));
        std::fs::create_dir(&pages).unwrap();
        let page = |name: &str, words: &str| {
            let text = format!("在全县大会上的讲话\n\n同志们:\n今天{words}要加快培育。\n");
            std::fs::write(pages.join(name), text).unwrap();
        };
        let add = || {
            let idx = open_for_writing(&dir, None).unwrap();
            ingest(
                &idx,
                std::slice::from_ref(&pages),
                IngestOptions::default(),
                &mut |_| {},
            )
            .unwrap();
        };
        page("a.txt", "专精特新");
        add();
        let kept = SpeechIndex::open_for_process(&dir).unwrap();
        let before = kept.searcher().unwrap().num_docs();
        page("b.txt", "双过半");
        add();
        assert_eq!(kept.searcher().unwrap().num_docs(), before);
        let fresh = SpeechIndex::open(&dir).unwrap();
        assert!(
            fresh.searcher().unwrap().num_docs() > before,
            "a fresh call sees the commit"
        );
    }
}
