//! Ingest: files and folders in, speeches committed to the index.
//!
//! Files are found by walking the given paths, cleaned on worker threads
//! (one per core) and added by one writer. A file that cannot be read or
//! holds no speech is reported with its reason and skipped; the others go
//! on. A speech is keyed by its content id: the same speech found again (a
//! repost, a re-scrape) replaces the earlier copy instead of doubling it.
//! Nothing is visible to searches until the commit at the end.
//!
//! Site templates (`pipeline::template`) are learned from the source
//! records: a worker cleans a file with the templates its site has so far
//! (the only state of other files a worker sees). Cleaned files are held
//! back by site (`held`) until the walk has moved past their site, and
//! one whose site's templates changed meanwhile is cleaned again before it
//! is written, so it is indexed once. After the last file every record
//! whose removed template lines are not what its site's templates now say
//! is cleaned again from disk. So the index a folder gives does not depend
//! on the order of its files or nights.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, RwLock};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use serde::Serialize;
use tantivy::indexer::UserOperation;
use tantivy::{IndexWriter, TantivyDocument, Term};

use super::held::Held;
use super::layout::Layout;
use super::merges;
use super::schema::{self, Fields, flag};
use super::sources::{Record, Sources, path_key, record_doc};
use super::{BuildInfo, DocId, IndexError, SpeechIndex, analyzers};
use crate::pipeline::template::{self, Fingerprint, Learner, PagePrints};
use crate::pipeline::{CleanedFile, Flag, Speech, StagedPage};

/// Memory the tantivy writer may use before it flushes a segment.
const WRITER_MEMORY: usize = 256 * 1024 * 1024;

/// A file that was not indexed (or indexed with damage), and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FileProblem {
    /// The file.
    pub path: String,
    /// One sentence: what went wrong.
    pub reason: String,
}

/// What an ingest did.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct IngestReport {
    /// Files found under the given paths (and paths that could not be walked).
    pub files: usize,
    /// Files read and indexed this run (new or changed).
    pub files_indexed: usize,
    /// New files indexed.
    pub added: usize,
    /// Changed files re-indexed.
    pub updated: usize,
    /// Files unchanged since the last ingest (not read when size and mtime agree).
    pub unchanged: usize,
    /// Recorded files that are gone, removed with `--prune`.
    pub removed: usize,
    /// Recorded files that are gone but were kept (no `--prune`).
    pub gone: usize,
    /// Speeches written this run.
    pub speeches: usize,
    /// Passages written this run.
    pub passages: usize,
    /// Speeches removed this run (their last source changed or went).
    pub speeches_removed: usize,
    /// Speeches found in a file that another file already holds (reposts).
    pub duplicates: usize,
    /// Files cleaned again in this run because their site's templates
    /// changed after they were cleaned (`pipeline::template`): before they
    /// were written, or after, in the ingest's last pass.
    pub recleaned: usize,
    /// Files that could not be indexed, each with its reason.
    pub failed: Vec<FileProblem>,
    /// Files indexed, but with undecodable bytes replaced.
    pub warnings: Vec<FileProblem>,
    /// Commits made (0 when nothing changed: the index was not touched).
    pub commits: usize,
    /// Wall time in seconds.
    pub seconds: f64,
}

/// How to ingest.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct IngestOptions {
    /// Remove the speeches of recorded files under the given paths that are gone.
    pub prune: bool,
    /// With `prune`: remove them even when they are more than half of the
    /// recorded sources (which looks like an unmounted or emptied folder,
    /// and is refused without this).
    pub prune_all: bool,
    /// Files per commit (0: the default, [`BATCH_FILES`]).
    pub batch: usize,
    /// Bytes of files per commit (0: the default, [`BATCH_BYTES`]).
    pub batch_bytes: u64,
}

/// Files read per commit: a long first ingest keeps its progress in
/// batches, so a crash loses at most one batch of work.
pub const BATCH_FILES: usize = 500;

/// A batch is also committed once its files hold this many bytes, so a
/// folder of large pages commits (and frees what the batch holds) as
/// often as one of small pages.
pub const BATCH_BYTES: u64 = 64 * 1024 * 1024;

/// Progress of an ingest, for a progress bar.
#[derive(Debug, Clone, Copy)]
pub enum Progress {
    /// The walk is done: this many files will be read.
    Found(usize),
    /// One more file was processed.
    Done,
    /// Committing.
    Committing,
}

/// Reads and validates a user dictionary file.
pub fn read_user_dict(path: &Path) -> Result<String, IndexError> {
    let text = std::fs::read_to_string(path).map_err(|source| IndexError::Io {
        path: path.to_owned(),
        source,
    })?;
    analyzers::parse_dict(&text).map_err(|source| IndexError::Dict {
        path: path.to_owned(),
        source,
    })?;
    Ok(text)
}

/// Opens the index in `dir` for writing, creating it if there is none, and
/// holds its writer lock until the index is dropped. Refuses a folder that
/// holds anything but a jianghua index; removes what interrupted writers
/// left there (see [`super::layout`]). A user dictionary that differs from
/// the one the index was built with asks for a rebuild.
pub fn open_for_writing(dir: &Path, user_dict: Option<&str>) -> Result<SpeechIndex, IndexError> {
    let layout = Layout::new(dir);
    layout.check_is_ours()?;
    if layout.live()?.is_none() {
        return SpeechIndex::create(dir, user_dict.unwrap_or(""));
    }
    let lock = layout.lock()?;
    layout.remove_leftovers(&lock)?;
    let mut idx = SpeechIndex::open_unchecked(dir)?;
    idx.check()?;
    if user_dict.is_some_and(|d| d != idx.info.user_dict) {
        return Err(IndexError::Stale {
            dir: dir.to_owned(),
            what: "user dictionary",
        });
    }
    idx.hold(lock);
    Ok(idx)
}

/// Where an ingest writes: what a store must do so that the incremental
/// rules of [`ingest_into`] (which files to read, which speeches a changed
/// or vanished file takes with it, reposts, batches) hold for it. The
/// tantivy index is one ([`TantivySink`]); a PostgreSQL database another
/// (`index::pg`). Nothing written is visible before [`Sink::commit`].
pub trait Sink {
    /// The folder the walk must not enter (the index's own), if any.
    fn own_dir(&self) -> Option<&Path>;
    /// The source records as of the last commit.
    fn sources(&self) -> Result<Sources, IndexError>;
    /// Removes a speech: its title and passages.
    fn delete_speech(&mut self, id: &DocId) -> Result<(), IndexError>;
    /// Writes a speech of `file`, replacing any copy of it (same id).
    fn add_speech(
        &mut self,
        file: &CleanedFile,
        speech: &Speech,
        folded: &Folded,
    ) -> Result<(), IndexError>;
    /// Records a source file, replacing its old record.
    fn put_source(&mut self, key: &str, record: &Record) -> Result<(), IndexError>;
    /// Forgets a source file's record.
    fn delete_source(&mut self, key: &str) -> Result<(), IndexError>;
    /// Makes everything written since the last commit durable and visible.
    fn commit(&mut self) -> Result<(), IndexError>;
    /// After the last commit: waits for the store's background work.
    fn finish(self) -> Result<(), IndexError>;
    /// A write failed: drops what was not committed, and says in one
    /// error what is intact (`committed` files of this run are).
    fn failed(self, e: IndexError, committed: usize) -> IndexError;
}

/// An ingest into a tantivy index: its one writer.
pub struct TantivySink<'a> {
    idx: &'a SpeechIndex,
    w: IndexWriter,
}

impl<'a> TantivySink<'a> {
    /// The writer of `idx` (fails when another process holds it).
    pub fn new(idx: &'a SpeechIndex) -> Result<TantivySink<'a>, IndexError> {
        Ok(TantivySink {
            idx,
            w: writer(idx)?,
        })
    }
}

impl Sink for TantivySink<'_> {
    fn own_dir(&self) -> Option<&Path> {
        Some(&self.idx.dir)
    }

    fn sources(&self) -> Result<Sources, IndexError> {
        Sources::load(self.idx)
    }

    fn delete_speech(&mut self, id: &DocId) -> Result<(), IndexError> {
        self.w
            .delete_term(Term::from_field_text(self.idx.fields.doc_id, id.as_str()));
        Ok(())
    }

    fn add_speech(
        &mut self,
        file: &CleanedFile,
        speech: &Speech,
        folded: &Folded,
    ) -> Result<(), IndexError> {
        // One group: the speech's documents land together, in order, in one
        // segment (what `mentions --count` relies on to tell speeches
        // apart); the delete goes first, so it spares them.
        let f = &self.idx.fields;
        let mut ops = vec![UserOperation::Delete(Term::from_field_text(
            f.doc_id,
            folded.id.as_str(),
        ))];
        ops.extend(
            speech_docs(f, file, speech, folded)
                .into_iter()
                .map(UserOperation::Add),
        );
        self.w.run(ops)?;
        Ok(())
    }

    fn put_source(&mut self, key: &str, record: &Record) -> Result<(), IndexError> {
        self.delete_source(key)?;
        self.w
            .add_document(record_doc(&self.idx.fields, key, record))?;
        Ok(())
    }

    fn delete_source(&mut self, key: &str) -> Result<(), IndexError> {
        self.w
            .delete_term(Term::from_field_text(self.idx.fields.source_key, key));
        Ok(())
    }

    fn commit(&mut self) -> Result<(), IndexError> {
        commit(self.idx, &mut self.w)
    }

    fn finish(self) -> Result<(), IndexError> {
        Ok(self.w.wait_merging_threads()?)
    }

    fn failed(self, e: IndexError, committed: usize) -> IndexError {
        write_failed(self.idx, self.w, e, committed)
    }
}

/// The writer of an ingest: one indexing thread per core (at most eight),
/// [`WRITER_MEMORY`] between them, and bounded merges run one at a time
/// ([`merges`]).
fn writer(idx: &SpeechIndex) -> Result<IndexWriter, IndexError> {
    let threads = std::thread::available_parallelism()
        .map_or(1, std::num::NonZero::get)
        .min(8);
    let options = tantivy::indexer::IndexWriterOptions::builder()
        .num_worker_threads(threads)
        .memory_budget_per_thread(WRITER_MEMORY / threads)
        .num_merge_threads(merges::MERGE_THREADS)
        .build();
    let w: IndexWriter = idx
        .index
        .writer_with_options(options)
        .map_err(|e| match e {
            tantivy::TantivyError::LockFailure(..) => IndexError::Locked(idx.dir.clone()),
            e => IndexError::Tantivy(e),
        })?;
    w.set_merge_policy(Box::new(merges::BoundedMerges::new()));
    Ok(w)
}

/// Lists the files under the given paths (recursively, following links),
/// sorted; paths that cannot be walked become problems. The index directory
/// itself and hidden directories (`.git`) below a given path are skipped.
pub fn find_files(paths: &[PathBuf], index_dir: &Path) -> (Vec<PathBuf>, Vec<FileProblem>) {
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let index_dir = index_dir.canonicalize().ok();
    let skip = |e: &walkdir::DirEntry| {
        e.file_type().is_dir()
            && e.depth() > 0
            && (e.file_name().to_string_lossy().starts_with('.')
                || index_dir
                    .as_deref()
                    .is_some_and(|d| e.path().canonicalize().is_ok_and(|p| p == d)))
    };
    for given in paths {
        // Sources are recorded by absolute path, so `rebuild` (and a later
        // ingest from another folder) finds them again.
        let root = match given.canonicalize() {
            Ok(p) => p,
            Err(e) => {
                let path = given.display().to_string();
                let reason = format!("{path}: cannot read: {}", crate::error::io_reason(&e));
                problems.push(FileProblem { path, reason });
                continue;
            }
        };
        let root = &root;
        let walk = walkdir::WalkDir::new(root)
            .follow_links(true)
            .sort_by_file_name();
        for entry in walk.into_iter().filter_entry(|e| !skip(e)) {
            match entry {
                Ok(e) => match crate::pipeline::special_kind(e.file_type()) {
                    // FIFOs, sockets, devices: reading one could hang or never
                    // end. Named with the sentence `clean` gives them.
                    Some(kind) => {
                        let reason = crate::Error::Input {
                            path: e.path().to_owned(),
                            reason: crate::pipeline::decode::Rejected::NotRegular { kind },
                        };
                        problems.push(FileProblem {
                            path: e.path().display().to_string(),
                            reason: reason.to_string(),
                        });
                    }
                    None if e.file_type().is_file() => files.push(e.into_path()),
                    None => {}
                },
                Err(e) => {
                    let path = e.path().unwrap_or(root).display().to_string();
                    let reason = if e.loop_ancestor().is_some() {
                        format!("{path}: symbolic link loop")
                    } else if let Some(io) = e.io_error() {
                        format!("{path}: cannot read: {}", crate::error::io_reason(io))
                    } else {
                        format!("{path}: {e}")
                    };
                    problems.push(FileProblem { path, reason });
                }
            }
        }
    }
    (files, problems)
}

/// Fails when a given path does not exist: a nightly run over an unmounted
/// or renamed folder must stop with an error, not report one failed file
/// (exit 3, which a nightly job counts as success) over an index it keeps.
pub fn check_paths(paths: &[PathBuf]) -> Result<(), IndexError> {
    for p in paths {
        if let Err(e) = std::fs::metadata(p)
            && e.kind() == std::io::ErrorKind::NotFound
        {
            return Err(IndexError::Refused(format!(
                "{}: no such file or directory; nothing was ingested",
                p.display()
            )));
        }
    }
    Ok(())
}

/// The one sentence of a write that failed part-way: what the filesystem
/// said, what is intact, what to do. Rolls the writer back and removes the
/// files of the failed batch first, so a full disk is not left full.
fn write_failed(
    idx: &SpeechIndex,
    mut w: IndexWriter,
    e: IndexError,
    committed: usize,
) -> IndexError {
    let IndexError::Tantivy(te) = &e else {
        return e;
    };
    let mut reason = te.to_string();
    let mut source: Option<&dyn std::error::Error> = Some(te);
    while let Some(err) = source {
        if let Some(io) = err.downcast_ref::<std::io::Error>() {
            reason = crate::error::io_reason(io);
        }
        source = err.source();
    }
    // tantivy's indexing threads often report only that they died: ask the
    // disk itself, before the clean-up below frees space again.
    if reason.contains("No space left")
        || reason.contains("os error 28")
        || disk_is_full(&idx.data_dir)
    {
        reason = "the disk is full (no space left on device)".into();
    }
    let _ = w.rollback();
    let _ = w.garbage_collect_files().wait();
    let _ = w.wait_merging_threads();
    remove_uncommitted_segments(idx);
    IndexError::WriteFailed {
        dir: idx.dir.clone(),
        reason,
        kept: format!(
            "the last commit is intact and searchable ({committed} files of this run were committed; the rest of its batch was removed)"
        ),
        advice: "free some space or fix the disk, then run the same ingest again: it resumes where it stopped",
    }
}

/// Removes the segment files in the live generation that its last commit
/// does not use: what a failed batch wrote before it failed, which tantivy's
/// own clean-up misses when the disk was too full to record the files.
/// Only files named as tantivy names segment files (32 hex digits, a dot)
/// are touched, under the writer lock.
fn remove_uncommitted_segments(idx: &SpeechIndex) {
    let Ok(metas) = idx.index.load_metas() else {
        return;
    };
    let living: HashSet<String> = metas
        .segments
        .iter()
        .map(|s| s.id().uuid_string())
        .collect();
    let Ok(rd) = std::fs::read_dir(&idx.data_dir) else {
        return;
    };
    for entry in rd.flatten() {
        let name = entry.file_name();
        let segment = name.to_str().and_then(|n| {
            let id = n.get(..32)?;
            (n.as_bytes().get(32) == Some(&b'.') && id.bytes().all(|b| b.is_ascii_hexdigit()))
                .then_some(id)
        });
        if segment.is_some_and(|id| !living.contains(id)) {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

/// Whether the filesystem holding `dir` refuses 64 KiB more (the probe
/// file is removed again).
fn disk_is_full(dir: &Path) -> bool {
    use std::io::Write;
    let probe = dir.join(format!(".space-probe-{}", std::process::id()));
    let full = std::fs::File::create(&probe)
        .and_then(|mut f| {
            f.write_all(&[0u8; 64 * 1024])?;
            f.sync_all()
        })
        .is_err_and(|e| {
            e.raw_os_error() == Some(28) || e.kind() == std::io::ErrorKind::StorageFull
        });
    let _ = std::fs::remove_file(&probe);
    full
}

/// A file's size and modification time (nanoseconds since the epoch).
fn stat(path: &Path) -> std::io::Result<(u64, u64)> {
    let meta = std::fs::metadata(path)?;
    let mtime = meta
        .modified()
        .ok()
        .and_then(|t| t.duration_since(UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos() as u64);
    Ok((meta.len(), mtime))
}

/// One file for the workers: its path, record key, recorded hash and site;
/// `again` when it is read only to be cleaned again with its site's
/// templates (its bytes must still be the recorded ones).
struct Job {
    path: PathBuf,
    key: String,
    hash: Option<String>,
    site: String,
    again: bool,
}

/// The templates the workers apply, by site: the only state of other files
/// a worker sees.
type Live = RwLock<HashMap<String, Arc<HashSet<Fingerprint>>>>;

/// Sets the templates the workers apply to `site`'s pages from `learner`.
fn publish(live: &Live, learner: &Learner, site: &str) {
    let t = learner.templates(site);
    // A poisoned lock means a worker panicked; the scope reports that.
    if let Ok(mut map) = live.write() {
        if t.is_empty() {
            map.remove(site);
        } else if map.get(site).is_none_or(|old| **old != t) {
            map.insert(site.to_owned(), Arc::new(t));
        }
    }
}

/// Counts a file's new prints in place of its recorded ones, and updates
/// the templates the workers apply to the sites concerned.
fn relearn(sources: &Sources, learner: &mut Learner, live: &Live, job: &Job, prints: &PagePrints) {
    if let Some(old) = sources.records.get(&job.key) {
        learner.remove(&old.site, &old.prints);
        publish(live, learner, &old.site);
    }
    learner.add(&job.site, prints);
    publish(live, learner, &job.site);
}

/// The records whose removed template lines are not what their site's
/// templates say now, sorted by key, as jobs to clean again.
fn stale_records(sources: &Sources, learner: &Learner) -> Vec<Job> {
    let mut by_site: HashMap<&str, HashSet<Fingerprint>> = HashMap::new();
    let mut jobs: Vec<Job> = sources
        .records
        .iter()
        .filter(|(_, r)| {
            let t = by_site
                .entry(r.site.as_str())
                .or_insert_with(|| learner.templates(&r.site));
            template::applied(&r.prints.candidates, t) != r.applied
        })
        .map(|(k, r)| Job {
            path: r.path.clone(),
            key: k.clone(),
            hash: Some(r.hash.clone()),
            site: r.site.clone(),
            again: true,
        })
        .collect();
    jobs.sort_by(|a, b| a.key.cmp(&b.key));
    jobs
}

/// Where the batches of an ingest stand.
#[derive(Debug, Default)]
struct Batch {
    /// Files per commit.
    size: usize,
    /// Files written since the last commit.
    pending: usize,
    /// Files written in this run.
    done: usize,
    /// Files of this run in the last commit.
    committed: usize,
    /// Bytes of the files written since the last commit.
    pending_bytes: u64,
    /// Bytes per commit.
    max_bytes: u64,
}

impl Batch {
    /// Counts one more file written (of `bytes`); commits when the batch
    /// is full, in files or in bytes.
    fn tick(
        &mut self,
        sink: &mut impl Sink,
        report: &mut IngestReport,
        progress: &mut dyn FnMut(Progress),
        bytes: u64,
    ) -> Result<(), IndexError> {
        self.pending += 1;
        self.done += 1;
        self.pending_bytes += bytes;
        if self.pending >= self.size || self.pending_bytes >= self.max_bytes {
            progress(Progress::Committing);
            sink.commit()?;
            report.commits += 1;
            self.committed = self.done;
            self.pending = 0;
            self.pending_bytes = 0;
        }
        Ok(())
    }
}

/// What a worker made of one file that may have changed.
enum Outcome {
    /// Same bytes as recorded (only the mtime changed).
    Same { size: u64, mtime: u64 },
    /// Read and cleaned.
    Cleaned(Box<Examined>),
    /// Read to be cleaned again, but its bytes are no longer the recorded ones.
    Changed,
    /// Could not be read or held no speech.
    Failed(crate::Error),
}

/// The bytes a worker read and cleaned for an outcome (0 when it read none).
fn read_bytes(outcome: &Outcome) -> u64 {
    match outcome {
        Outcome::Cleaned(c) => c.size,
        _ => 0,
    }
}

/// A file read and cleaned on a worker thread.
struct Examined {
    file: CleanedFile,
    /// Each speech folded, in the file's order.
    folded: Vec<Folded>,
    size: u64,
    mtime: u64,
    hash: String,
    /// The template fingerprints removed from it.
    applied: Vec<Fingerprint>,
    /// The page as staged before its templates, when it was cleaned for
    /// the first time in this run: a page held back ([`Held`]) that its
    /// site's later templates make stale is ended again from it.
    staged: Option<Box<StagedPage>>,
}

/// A speech's texts folded once, on a worker thread: its id, and what the
/// analysed fields of its documents take.
pub struct Folded {
    /// The speech's id.
    pub id: DocId,
    /// The folded title (empty when there is none).
    pub title: String,
    /// The folded passage texts, in order.
    pub passages: Vec<String>,
}

impl Folded {
    fn of(s: &Speech) -> Folded {
        let (title, passages) = super::doc_id::folded_texts(s);
        Folded {
            id: DocId::of_folded(&title, &passages),
            title,
            passages,
        }
    }
}

fn examine(job: &Job, templates: &HashSet<Fingerprint>) -> Outcome {
    let path = job.path.as_path();
    let (size, mtime) = match stat(path) {
        Ok(s) => s,
        Err(source) => {
            return Outcome::Failed(crate::Error::Read {
                path: path.to_owned(),
                source,
            });
        }
    };
    let bytes = match crate::pipeline::read_limited(path) {
        Ok(b) => b,
        Err(e) => return Outcome::Failed(e),
    };
    let hash = blake3::hash(&bytes).to_hex().to_string();
    let same = job.hash.as_deref() == Some(hash.as_str());
    if job.again && !same {
        return Outcome::Changed;
    }
    if !job.again && same {
        return Outcome::Same { size, mtime };
    }
    // A page cleaned for the first time may be held back and ended again.
    let cleaned = if job.again {
        crate::pipeline::clean_bytes_with(path, &bytes, templates).map(|f| (f, None))
    } else {
        crate::pipeline::clean_bytes_keeping_stage(path, &bytes, templates)
            .map(|(f, staged)| (f, Some(Box::new(staged))))
    };
    match cleaned {
        Ok((file, staged)) => {
            Outcome::Cleaned(examined(file, templates, size, mtime, hash, staged))
        }
        Err(e) => Outcome::Failed(e),
    }
}

/// A cleaned file, slimmed, with its speeches folded and what it knows of
/// its bytes.
fn examined(
    mut file: CleanedFile,
    templates: &HashSet<Fingerprint>,
    size: u64,
    mtime: u64,
    hash: String,
    staged: Option<Box<StagedPage>>,
) -> Box<Examined> {
    slim(&mut file);
    Box::new(Examined {
        folded: file.processed.speeches.iter().map(Folded::of).collect(),
        applied: template::applied(&file.processed.prints.candidates, templates),
        file,
        size,
        mtime,
        hash,
        staged,
    })
}

/// Drops what a cleaned file holds that the index does not keep: the
/// page's lines and the books of what was removed from it, so that a file
/// held back ([`Held`]) costs about its passages (and its stage, which
/// holds its lines once more).
fn slim(file: &mut CleanedFile) {
    let p = &mut file.processed;
    p.text_lines = Vec::new();
    p.unattached = Vec::new();
    p.blank = Vec::new();
    for s in &mut p.speeches {
        s.removed = Vec::new();
    }
}

/// Runs [`examine`] on every job on worker threads (one per core), each
/// with the templates `live` holds for its site when it starts, and hands
/// the outcomes to `sink` on this thread as they come.
fn pool(
    jobs: &[Job],
    live: &Live,
    sink: &mut dyn FnMut(usize, Outcome) -> Result<(), IndexError>,
) -> Result<(), IndexError> {
    if jobs.is_empty() {
        return Ok(());
    }
    let workers = std::thread::available_parallelism().map_or(2, |n| n.get());
    let next = AtomicUsize::new(0);
    let (tx, rx) = mpsc::sync_channel::<(usize, Outcome)>(workers * 4);
    std::thread::scope(|scope| -> Result<(), IndexError> {
        for _ in 0..workers {
            let tx = tx.clone();
            let next = &next;
            scope.spawn(move || {
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    let Some(job) = jobs.get(i) else {
                        break;
                    };
                    let templates = live
                        .read()
                        .ok()
                        .and_then(|m| m.get(&job.site).cloned())
                        .unwrap_or_default();
                    if tx.send((i, examine(job, &templates))).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        for (i, outcome) in rx {
            sink(i, outcome)?;
        }
        Ok(())
    })
}

/// Writes a cleaned file: its new speeches, the removal of those it no
/// longer yields, and its source record.
fn write_file(
    sink: &mut impl Sink,
    sources: &mut Sources,
    report: &mut IngestReport,
    job: &Job,
    c: Examined,
) -> Result<(), IndexError> {
    let Examined {
        file,
        folded,
        size,
        mtime,
        hash,
        applied,
        staged: _,
    } = c;
    if file.processed.replaced > 0 {
        report.warnings.push(FileProblem {
            path: file.source.clone(),
            reason: format!(
                "{}: {} undecodable byte run(s) were replaced with U+FFFD ({})",
                file.source, file.processed.replaced, file.processed.encoding
            ),
        });
    }
    let mut unique: Vec<DocId> = folded.iter().map(|f| f.id.clone()).collect();
    unique.sort();
    unique.dedup();
    let record = Record {
        path: job.path.clone(),
        size,
        mtime,
        hash,
        ids: unique,
        site: job.site.clone(),
        prints: file.processed.prints.clone(),
        applied,
    };
    let key = job.key.as_str();
    let (gone, fresh) = sources.set(key, record.clone());
    for id in &gone {
        sink.delete_speech(id)?;
        report.speeches_removed += 1;
    }
    let mut written = HashSet::new();
    for (s, fs) in file.processed.speeches.iter().zip(&folded) {
        let id = &fs.id;
        if !fresh.contains(id) || !written.insert(id.clone()) {
            report.duplicates += 1;
            continue;
        }
        sink.add_speech(&file, s, fs)?;
        report.speeches += 1;
        report.passages += s.passages.len();
    }
    sink.put_source(key, &record)
}

/// Writes a file cleaned in this run and held back ([`Held`]) until its
/// site's templates settled: as cleaned, when the templates its site has
/// now remove what its cleaning removed; else cleaned again with them
/// first, so that it is indexed once: ended again from the page as staged
/// when it kept that, else from its bytes read again (which must still be
/// the ones cleaned). Returns the bytes read, for the batch.
fn settle(
    sink: &mut impl Sink,
    sources: &mut Sources,
    report: &mut IngestReport,
    learner: &Learner,
    job: &Job,
    c: Box<Examined>,
) -> Result<u64, IndexError> {
    let templates = learner.templates(&job.site);
    let size = c.size;
    let c = if template::applied(&c.file.processed.prints.candidates, &templates) == c.applied {
        c
    } else if let Some(staged) = c.staged {
        // Ended again from the page as staged: the bytes first cleaned.
        let path = job.path.as_path();
        match crate::pipeline::clean_staged_with(path, *staged, &templates) {
            Ok(file) => {
                report.recleaned += 1;
                examined(file, &templates, c.size, c.mtime, c.hash, None)
            }
            Err(e) => {
                report.warnings.push(not_cleaned_again(
                    job,
                    Outcome::Failed(e),
                    "is indexed as first cleaned until it is (the ingest's last pass, or the next ingest, tries again)",
                ));
                Box::new(Examined { staged: None, ..*c })
            }
        }
    } else {
        let again = Job {
            path: job.path.clone(),
            key: job.key.clone(),
            hash: Some(c.hash.clone()),
            site: job.site.clone(),
            again: true,
        };
        match examine(&again, &templates) {
            Outcome::Cleaned(fresh) => {
                report.recleaned += 1;
                fresh
            }
            outcome => {
                report.warnings.push(not_cleaned_again(
                    job,
                    outcome,
                    "is indexed as first cleaned until it is (the ingest's last pass, or the next ingest, tries again)",
                ));
                c
            }
        }
    };
    let is_new = !sources.records.contains_key(&job.key);
    write_file(sink, sources, report, job, *c)?;
    report.files_indexed += 1;
    if is_new {
        report.added += 1
    } else {
        report.updated += 1
    }
    Ok(size)
}

/// The warning for a file that could not be cleaned again with its site's
/// templates (`outcome` says why), and what became of it instead.
fn not_cleaned_again(job: &Job, outcome: Outcome, instead: &str) -> FileProblem {
    let why = match outcome {
        Outcome::Failed(e) => e.to_string(),
        _ => format!("{}: it changed while the ingest ran", job.path.display()),
    };
    FileProblem {
        path: job.path.display().to_string(),
        reason: format!("{why}; it was not cleaned again with its site's templates and {instead}"),
    }
}

fn error_path(e: &crate::Error) -> String {
    match e {
        crate::Error::Read { path, .. }
        | crate::Error::Input { path, .. }
        | crate::Error::NoSpeech { path, .. } => path.display().to_string(),
        crate::Error::Output(_) => String::new(),
    }
}

/// Commits what was written so far, with the build info as payload.
fn commit(idx: &SpeechIndex, w: &mut IndexWriter) -> Result<(), IndexError> {
    let mut info: BuildInfo = idx.info.clone();
    info.last_ingest = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let mut c = w.prepare_commit()?;
    c.set_payload(&serde_json::to_string(&info).unwrap_or_default());
    c.commit()?;
    Ok(())
}

/// Ingests files and folders into the index at `idx`, incrementally: files
/// whose size and mtime match the record are not read; files whose bytes
/// match it are not cleaned; new and changed files replace their speeches;
/// with `prune`, recorded files under the given paths that are gone take
/// their speeches with them. Commits every [`BATCH_FILES`] files, and not at
/// all when nothing changed.
pub fn ingest(
    idx: &SpeechIndex,
    paths: &[PathBuf],
    opts: IngestOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestReport, IndexError> {
    ingest_into(TantivySink::new(idx)?, paths, opts, progress)
}

/// [`ingest`] into any store: the incremental rules, the cleaning on every
/// core and the batches, with the writes made through `sink`.
pub fn ingest_into(
    mut sink: impl Sink,
    paths: &[PathBuf],
    opts: IngestOptions,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestReport, IndexError> {
    let started = Instant::now();
    let mut sources = sink.sources()?;
    let (files, mut failed) = find_files(paths, sink.own_dir().unwrap_or(Path::new("")));
    let mut report = IngestReport {
        files: files.len() + failed.len(),
        ..IngestReport::default()
    };

    // Unchanged size and mtime: not even read.
    let mut todo: Vec<Job> = Vec::new();
    let mut seen_keys = HashSet::with_capacity(files.len());
    for path in files {
        let key = path_key(&path);
        seen_keys.insert(key.clone());
        let record = sources.records.get(&key);
        match (record, stat(&path)) {
            (Some(r), Ok((size, mtime))) if r.size == size && r.mtime == mtime => {
                report.unchanged += 1
            }
            (r, _) => {
                let hash = r.map(|r| r.hash.clone());
                let site = template::site_key(&path);
                todo.push(Job {
                    path,
                    key,
                    hash,
                    site,
                    again: false,
                });
            }
        }
    }
    // Recorded files under the given paths that the walk did not find.
    let roots: Vec<PathBuf> = paths.iter().filter_map(|p| p.canonicalize().ok()).collect();
    let mut vanished: Vec<String> = sources
        .records
        .iter()
        .filter(|(k, r)| {
            !seen_keys.contains(*k)
                && roots.iter().any(|root| r.path.starts_with(root))
                && !r.path.exists()
        })
        .map(|(k, _)| k.clone())
        .collect();
    vanished.sort();
    if opts.prune && !opts.prune_all && vanished.len() * 2 > sources.records.len() {
        return Err(IndexError::Refused(format!(
            "--prune would remove {} of the {} recorded sources (their files under {} are gone: is the folder unmounted or emptied?); nothing was changed; run with --prune-all to remove them anyway",
            vanished.len(),
            sources.records.len(),
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        )));
    }
    progress(Progress::Found(todo.len()));

    // The templates of every site, learned from the records, and the sets
    // the workers apply (updated as records are written).
    let mut learner = Learner::default();
    for r in sources.records.values() {
        learner.add(&r.site, &r.prints);
    }
    let live: Live = RwLock::new(
        learner
            .counts()
            .into_iter()
            .map(|(site, _)| {
                let t = Arc::new(learner.templates(&site));
                (site, t)
            })
            .collect(),
    );

    let mut batch = Batch {
        size: if opts.batch == 0 {
            BATCH_FILES
        } else {
            opts.batch
        },
        max_bytes: if opts.batch_bytes == 0 {
            BATCH_BYTES
        } else {
            opts.batch_bytes
        },
        ..Batch::default()
    };
    let written = (|| -> Result<bool, IndexError> {
        let mut dirty = false;
        let mut held: Held<(usize, Box<Examined>)> = Held::default();
        pool(&todo, &live, &mut |i, outcome| {
            progress(Progress::Done);
            let job = &todo[i];
            let bytes = read_bytes(&outcome);
            match outcome {
                Outcome::Same { size, mtime } => {
                    report.unchanged += 1;
                    if let Some(r) = sources.records.get(&job.key).cloned() {
                        let r = Record { size, mtime, ..r };
                        sink.put_source(&job.key, &r)?;
                        sources.records.insert(job.key.clone(), r);
                    }
                }
                Outcome::Cleaned(c) => {
                    relearn(&sources, &mut learner, &live, job, &c.file.processed.prints);
                    let size = c.size;
                    for (j, c) in held.push(&job.site, size, (i, c)) {
                        let bytes =
                            settle(&mut sink, &mut sources, &mut report, &learner, &todo[j], c)?;
                        batch.tick(&mut sink, &mut report, progress, bytes)?;
                    }
                    dirty = true;
                    return Ok(());
                }
                Outcome::Changed => return Ok(()),
                Outcome::Failed(e) => {
                    // A recorded file that cannot be read now keeps its
                    // speeches: nothing is lost on bad input.
                    failed.push(FileProblem {
                        path: error_path(&e),
                        reason: e.to_string(),
                    });
                    return Ok(());
                }
            }
            dirty = true;
            batch.tick(&mut sink, &mut report, progress, bytes)
        })?;
        for (j, c) in held.drain() {
            let bytes = settle(&mut sink, &mut sources, &mut report, &learner, &todo[j], c)?;
            batch.tick(&mut sink, &mut report, progress, bytes)?;
        }

        for key in vanished {
            if !opts.prune {
                report.gone += 1;
                continue;
            }
            if let Some(old) = sources.records.get(&key) {
                let site = old.site.clone();
                learner.remove(&site, &old.prints);
                publish(&live, &learner, &site);
            }
            for id in sources.remove(&key) {
                sink.delete_speech(&id)?;
                report.speeches_removed += 1;
            }
            sink.delete_source(&key)?;
            report.removed += 1;
            dirty = true;
            batch.pending += 1;
            batch.done += 1;
        }

        // A template learned after some of its site's pages were indexed
        // (or one that no longer holds) reaches them now: every record whose
        // removed lines differ from what its site's templates say now is
        // cleaned again. Re-cleaning changes no page's prints, so the
        // templates stay as they are and one pass settles every page.
        let again = stale_records(&sources, &learner);
        pool(&again, &live, &mut |i, outcome| {
            let job = &again[i];
            let bytes = read_bytes(&outcome);
            match outcome {
                Outcome::Cleaned(c) => {
                    relearn(&sources, &mut learner, &live, job, &c.file.processed.prints);
                    write_file(&mut sink, &mut sources, &mut report, job, *c)?;
                    report.recleaned += 1;
                }
                Outcome::Same { .. } | Outcome::Changed | Outcome::Failed(_) => {
                    report.warnings.push(not_cleaned_again(
                        job,
                        outcome,
                        "keeps its speeches (the next ingest retries)",
                    ));
                    return Ok(());
                }
            }
            dirty = true;
            batch.tick(&mut sink, &mut report, progress, bytes)
        })?;

        if dirty && batch.pending > 0 {
            progress(Progress::Committing);
            sink.commit()?;
            report.commits += 1;
            batch.committed = batch.done;
        }
        Ok(dirty)
    })();
    match written {
        Ok(true) => sink.finish()?,
        Ok(false) => {}
        Err(e) => return Err(sink.failed(e, batch.committed)),
    }
    failed.sort_by(|a, b| a.path.cmp(&b.path));
    report.failed = failed;
    report.seconds = started.elapsed().as_secs_f64();
    Ok(report)
}

/// `yyyymmdd` → `YYYY-MM-DD`, the inverse of [`day_number`] (0 is no date).
pub fn day_date(day: u64) -> Option<String> {
    (day > 0).then(|| format!("{:04}-{:02}-{:02}", day / 10000, day / 100 % 100, day % 100))
}

/// `YYYY-MM-DD` → `yyyymmdd` (0 when absent or malformed).
pub fn day_number(date: Option<&str>) -> u64 {
    date.map(|d| d.replace('-', ""))
        .and_then(|d| d.parse().ok())
        .unwrap_or(0)
}

#[derive(Serialize)]
struct Meta<'a> {
    part: usize,
    encoding: &'a str,
    outline: &'a [String],
    truncated: Option<[u32; 2]>,
    passages: usize,
}

/// The stored `meta` of a speech: what `show` tells besides its texts
/// (part, encoding, outline, truncation, passage count), as JSON.
pub fn speech_meta(file: &CleanedFile, s: &Speech) -> String {
    let meta = Meta {
        part: s.part,
        encoding: file.processed.encoding,
        outline: &s.outline,
        truncated: s.truncated.map(|t| [t.shown, t.total]),
        passages: s.passages.len(),
    };
    serde_json::to_string(&meta).unwrap_or_default()
}

/// A passage's flags as the bits of [`schema::flag`].
pub fn flag_bits(flags: &[Flag]) -> u64 {
    flags.iter().fold(0, |b, fl| {
        b | match fl {
            Flag::Truncated => flag::TRUNCATED,
            Flag::Mojibake => flag::MOJIBAKE,
            Flag::Elided => flag::ELIDED,
        }
    })
}

/// The documents of one speech: a speech document, then one per passage.
fn speech_docs(
    f: &Fields,
    file: &CleanedFile,
    s: &Speech,
    folded: &Folded,
) -> Vec<TantivyDocument> {
    let id = &folded.id;
    let site_key = s.site.as_deref().map(crate::fold::fold);
    let common = |kind: u64, passage: usize| {
        let mut d = TantivyDocument::default();
        d.add_u64(f.kind, kind);
        d.add_text(f.doc_id, id.as_str());
        d.add_u64(f.doc_key, id.key());
        d.add_u64(f.passage, passage as u64);
        d.add_text(f.source, &file.source);
        if let Some(t) = &s.title {
            d.add_text(f.title, t);
        }
        if let Some(date) = &s.date {
            d.add_text(f.date, date);
        }
        d.add_u64(f.day, day_number(s.date.as_deref()));
        if let Some(site) = &s.site {
            d.add_text(f.site, site);
        }
        if let Some(key) = &site_key {
            d.add_text(f.site_key, key);
        }
        d
    };
    let mut docs = Vec::with_capacity(s.passages.len() + 1);
    let mut speech = common(schema::KIND_SPEECH, 0);
    let title = s.title.as_deref().unwrap_or("");
    speech.add_text(f.text, title);
    if s.title.is_some() {
        // On the speech document only: `title:` finds the passages through
        // their speech (`query::scope`).
        speech.add_text(f.title_ngram, &folded.title);
    }
    speech.add_text(f.body_jieba, &folded.title);
    speech.add_text(f.body_ngram, &folded.title);
    speech.add_text(f.body_terms, &folded.title);
    speech.add_u64(f.flags, 0);
    speech.add_u64(f.chars, folded.title.chars().count() as u64);
    speech.add_text(f.meta, speech_meta(file, s));
    docs.push(speech);
    for (p, folded) in s.passages.iter().zip(&folded.passages) {
        let mut d = common(schema::KIND_PASSAGE, p.no);
        d.add_text(f.text, &p.text);
        d.add_text(f.body_jieba, folded);
        d.add_text(f.body_ngram, folded);
        d.add_text(f.body_terms, folded);
        d.add_text(f.section, &p.section);
        if !p.section.is_empty() {
            d.add_text(f.section_jieba, crate::fold::fold(&p.section));
        }
        d.add_u64(f.chars, folded.chars().count() as u64);
        d.add_u64(f.flags, flag_bits(&p.flags));
        docs.push(d);
    }
    docs
}

/// The source paths recorded in the index, sorted.
pub fn recorded_sources(idx: &SpeechIndex) -> Result<Vec<PathBuf>, IndexError> {
    let mut paths: Vec<PathBuf> = Sources::load(idx)?
        .records
        .into_values()
        .map(|r| r.path)
        .collect();
    paths.sort();
    Ok(paths)
}

/// Re-ingests every recorded source into a new generation beside the live
/// one and makes it live with one atomic rename of the folder's pointer
/// ([`super::layout`]): at every moment, a crash included, the folder holds
/// a complete index. Holds the folder's writer lock throughout, so no
/// ingest runs meanwhile; searches keep reading the live generation until
/// the swap. Only jianghua's own files are removed afterwards (the old
/// generation, or a legacy index's tantivy files), never anything else in
/// the folder. A user dictionary given here replaces the recorded one.
pub fn rebuild(
    dir: &Path,
    user_dict: Option<&str>,
    progress: &mut dyn FnMut(Progress),
) -> Result<IngestReport, IndexError> {
    let layout = Layout::new(dir);
    if layout.live()?.is_none() {
        return Err(layout.missing());
    }
    let lock = layout.lock()?;
    crate::failpoint::hit("rebuild:locked");
    layout.remove_leftovers(&lock)?;
    // The live index may come from an older version: read it with its own
    // schema, for nothing but its recorded sources and user dictionary.
    let live_dir = layout.data_dir(&layout.live()?.ok_or_else(|| layout.missing())?);
    let live = tantivy::Index::open_in_dir(&live_dir)?;
    let sources = super::sources::recorded_paths(&live)?;
    let old_dict = live
        .load_metas()?
        .payload
        .and_then(|p| serde_json::from_str::<BuildInfo>(&p).ok())
        .map(|i| i.user_dict)
        .unwrap_or_default();
    drop(live);
    let user_dict = user_dict.map_or(old_dict, str::to_owned);
    let (fresh, generation) = SpeechIndex::create_generation(&layout, &lock, &user_dict)?;
    crate::failpoint::hit("rebuild:created");
    let report = match ingest(&fresh, &sources, IngestOptions::default(), progress) {
        Ok(r) => r,
        Err(e) => {
            drop(fresh);
            let _ = layout.remove_leftovers(&lock);
            return Err(match e {
                IndexError::WriteFailed { dir, reason, .. } => IndexError::WriteFailed {
                    dir,
                    reason,
                    kept: "the live index is unchanged and the half-built one was removed".into(),
                    advice: "free some space or fix the disk, then run rebuild again",
                },
                e => e,
            });
        }
    };
    drop(fresh);
    crate::failpoint::hit("rebuild:ingested");
    layout.publish(&lock, &generation)?;
    // The old generation (or a legacy index's files) is now a leftover.
    layout.remove_leftovers(&lock)?;
    crate::failpoint::hit("rebuild:cleaned");
    Ok(report)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::template::PagePrints;

    const SLOGAN: &str = "某某文稿网 · 用心做好每一篇";

    /// A page of a made-up site: its slogan, a title and a body.
    fn page(body: &str) -> String {
        format!("{SLOGAN}\n\n在全镇春耕生产动员会上的讲话\n同志们:\n{body}\n\n{SLOGAN}\n")
    }

    /// A learner for which the slogan is `site`'s template.
    fn learner_with_slogan(site: &str) -> Learner {
        let mut learner = Learner::default();
        for body in 1..=3 {
            learner.add(
                site,
                &PagePrints {
                    candidates: vec![template::fingerprint(SLOGAN)],
                    body,
                },
            );
        }
        learner
    }

    /// Cleans `path` with no template, as a worker would before its site's
    /// template is learned (keeping the page as staged, or not), then lets
    /// `between` run (the file may change) and settles it with the slogan
    /// as the site's template. Returns the report and the record written.
    fn settle_after(
        path: &Path,
        keep_stage: bool,
        between: impl FnOnce(),
    ) -> (IngestReport, Record) {
        let dir = tempfile::tempdir().unwrap();
        let idx = SpeechIndex::create(&dir.path().join("index"), "").unwrap();
        let mut sink = TantivySink::new(&idx).unwrap();
        let mut sources = sink.sources().unwrap();
        let job = Job {
            path: path.to_owned(),
            key: path_key(path),
            hash: None,
            site: "mouwengao.com".to_owned(),
            again: false,
        };
        let Outcome::Cleaned(mut c) = examine(&job, &HashSet::new()) else {
            panic!("the page is cleaned");
        };
        assert!(c.applied.is_empty());
        assert!(
            c.staged.is_some(),
            "a page cleaned the first time keeps its stage"
        );
        if !keep_stage {
            c.staged = None;
        }
        between();
        let mut report = IngestReport::default();
        let learner = learner_with_slogan(&job.site);
        settle(&mut sink, &mut sources, &mut report, &learner, &job, c).unwrap();
        (report, sources.records[&job.key].clone())
    }

    #[test]
    fn a_stale_held_page_is_cleaned_again_before_it_is_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("01_mouwengao.com.txt");
        fs_write(
            &path,
            &page("今年春耕时间紧任务重,各村要把农资供应摆在前头。"),
        );
        // From its stage, or, without one, from its bytes read again.
        for keep_stage in [true, false] {
            let (report, record) = settle_after(&path, keep_stage, || {});
            assert_eq!((report.recleaned, report.files_indexed), (1, 1));
            assert_eq!(record.applied, vec![template::fingerprint(SLOGAN)]);
            assert_eq!(report.speeches, 1);
            assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        }
    }

    #[test]
    fn a_held_page_that_changed_on_disk_is_ended_again_from_the_bytes_first_read() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("01_mouwengao.com.txt");
        let first = page("今年春耕时间紧任务重,各村要把农资供应摆在前头。");
        fs_write(&path, &first);
        let (report, record) = settle_after(&path, true, || {
            fs_write(
                &path,
                &page("要组织农技人员下到田间地头,手把手教给群众新技术。"),
            );
        });
        assert_eq!((report.recleaned, report.files_indexed), (1, 1));
        assert_eq!(record.applied, vec![template::fingerprint(SLOGAN)]);
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        // The record is of the bytes indexed, so the next ingest sees the
        // file changed and reads it again.
        assert_eq!(
            record.hash,
            blake3::hash(first.as_bytes()).to_hex().to_string()
        );
    }

    #[test]
    fn a_held_page_without_its_stage_that_changed_on_disk_is_written_as_first_cleaned_with_a_warning()
     {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("01_mouwengao.com.txt");
        fs_write(
            &path,
            &page("今年春耕时间紧任务重,各村要把农资供应摆在前头。"),
        );
        let (report, record) = settle_after(&path, false, || {
            fs_write(
                &path,
                &page("要组织农技人员下到田间地头,手把手教给群众新技术。"),
            );
        });
        let applied = record.applied;
        assert!(applied.is_empty(), "{applied:?}");
        // Nothing is lost: the page is indexed as it was read, and the
        // warning names it and says why.
        assert_eq!((report.recleaned, report.files_indexed), (0, 1));
        assert_eq!(report.speeches, 1);
        assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
        let w = &report.warnings[0];
        assert_eq!(w.path, path.display().to_string());
        assert!(
            w.reason.contains("changed while the ingest ran"),
            "{}",
            w.reason
        );
        assert!(
            w.reason.contains("indexed as first cleaned"),
            "{}",
            w.reason
        );
    }

    fn fs_write(path: &Path, text: &str) {
        std::fs::write(path, text).unwrap();
    }
}
