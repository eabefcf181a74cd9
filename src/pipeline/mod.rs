//! The ingest pipeline: file bytes in, clean speeches out.
//!
//! ```text
//! bytes → decode → extract → clean → split → structure → page_meta → Vec<Speech>
//! ```
//!
//! Each stage is a module with one job and plain owned data in and out; no
//! stage prints, and none knows about the index. [`process`] runs them all.
//! Line numbers are 1-based and always refer to the lines of the *extracted*
//! text (for a plain-text file, the lines of the decoded file), so every line
//! can be accounted for: it ends up in a passage, in a speech's `removed`
//! list, or is blank.
//!
//! No file may hold an ingest up: every stage gets the file's [`Deadline`]
//! ([`FILE_BUDGET`] from the start) and checks it between stages and inside
//! every loop over lines, nodes or parts, so a pathological file fails with
//! [`decode::Rejected::TookTooLong`] instead of running on.

pub mod clean;
pub mod date;
pub mod decode;
pub mod extract;
pub mod heading;
pub mod page_meta;
pub mod split;
pub mod structure;
pub mod template;
pub mod title;

use std::collections::HashSet;
use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

pub use clean::{NoiseClass, Removed};
pub use structure::{Flag, Passage, Speech, Truncation};

/// Whether a char is a Chinese character (CJK ideographs, extension A and
/// the compatibility block): what the stages count when they ask how much
/// of a line is Chinese text.
pub(crate) fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{4DBF}' | '\u{4E00}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// What the pipeline made of one file.
#[derive(Debug, Clone)]
pub struct Processed {
    /// The encoding the bytes were decoded from (WHATWG name, e.g. `GBK`).
    pub encoding: &'static str,
    /// How many malformed byte runs were replaced with U+FFFD while decoding.
    pub replaced: usize,
    /// Whether the input was HTML (and went through the HTML extractor).
    pub html: bool,
    /// How many lines the extracted text has.
    pub lines: usize,
    /// The extracted lines (1-based line `n` is `text_lines[n - 1]`).
    pub text_lines: Vec<String>,
    /// Blank lines (1-based).
    pub blank: Vec<usize>,
    /// Removed lines that belong to no speech (a page of noise only).
    pub unattached: Vec<Removed>,
    /// The speeches found, in file order.
    pub speeches: Vec<Speech>,
    /// What the page tells about its site's templates (computed before any
    /// template was applied: it depends on the page alone).
    pub prints: template::PagePrints,
}

/// How long one file may take to go through the pipeline before it is
/// given up on. The pipeline reads 9–12 MiB/s on a quiet 2-core EPYC (about
/// half that when the machine is busy), flat or deeply nested markup alike
/// (`benches/hostile.rs`), so the largest file it accepts,
/// [`decode::MAX_BYTES`], takes 1.5–3 s; the budget leaves a slow or loaded
/// machine three times that, and still stops within seconds a file built to
/// make some stage run for minutes.
pub const FILE_BUDGET: Duration = Duration::from_secs(10);

/// When the work on one file must stop. Stages call [`Deadline::check`] in
/// their loops and hand [`Expired`] up; a deadline costs one clock read per
/// check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadline {
    /// The moment it passes (`None`: never, as when `budget` overflows the clock).
    at: Option<Instant>,
    /// What it allowed, for the message.
    budget: Duration,
}

impl Deadline {
    /// A deadline `budget` from now (`Duration::ZERO`: already passed).
    pub fn after(budget: Duration) -> Deadline {
        Deadline {
            at: Instant::now().checked_add(budget),
            budget,
        }
    }

    /// A deadline that never passes (for tests and tools that want no limit).
    pub fn never() -> Deadline {
        Deadline {
            at: None,
            budget: Duration::MAX,
        }
    }

    /// `Err(Expired)` once the deadline has passed.
    pub fn check(&self) -> Result<(), Expired> {
        match self.at {
            Some(at) if Instant::now() >= at => Err(Expired),
            _ => Ok(()),
        }
    }

    /// [`Deadline::check`] on every 256th `step` of a loop (and the first),
    /// for loops whose steps take nanoseconds.
    pub fn check_at(&self, step: usize) -> Result<(), Expired> {
        if step.is_multiple_of(256) {
            self.check()
        } else {
            Ok(())
        }
    }

    /// What the deadline allowed.
    pub fn budget(&self) -> Duration {
        self.budget
    }

    /// The file's error once a stage stopped at this deadline.
    fn rejected(&self, _: Expired) -> decode::Rejected {
        decode::Rejected::TookTooLong { limit: self.budget }
    }
}

/// A stage stopped because the file's [`Deadline`] passed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Expired;

/// Runs every stage on the bytes of one file, within [`FILE_BUDGET`].
///
/// Fails only when the bytes cannot be taken as text at all (empty, binary,
/// too large) or take longer than the budget; any text, however dirty,
/// gives a [`Processed`] value (possibly with no speech in it).
pub fn process(bytes: &[u8]) -> Result<Processed, decode::Rejected> {
    process_within(bytes, Deadline::after(FILE_BUDGET))
}

/// [`process`] with a deadline of the caller's: fails with
/// [`decode::Rejected::TookTooLong`] when it passes before the work is done.
pub fn process_within(bytes: &[u8], deadline: Deadline) -> Result<Processed, decode::Rejected> {
    process_with(bytes, deadline, &HashSet::new())
}

/// [`process_within`], removing the lines whose fingerprint is in
/// `templates` (the site's templates, see [`template`]) after cleaning and
/// before the speeches are split and structured, except the line the page
/// takes for its title without templates (a title that the site's other
/// pages list is still this page's title). An empty set removes nothing.
pub fn process_with(
    bytes: &[u8],
    deadline: Deadline,
    templates: &HashSet<template::Fingerprint>,
) -> Result<Processed, decode::Rejected> {
    finish_page(stage_page(bytes, &deadline)?, &deadline, templates)
}

/// A page run through the pipeline as far as its site's templates: what
/// [`finish_page`] needs to end it with any set of templates. Ingest keeps
/// one beside a page it holds back, so that the page can be ended again
/// with templates its site learned later without being read again.
#[derive(Debug, Clone)]
pub struct StagedPage {
    encoding: &'static str,
    replaced: usize,
    extracted: extract::Extracted,
    staged: clean::Staged,
    prints: template::PagePrints,
}

/// Decodes, extracts and cleans a page up to the template step.
pub fn stage_page(bytes: &[u8], deadline: &Deadline) -> Result<StagedPage, decode::Rejected> {
    let expired = |e| deadline.rejected(e);
    let decoded = decode::decode(bytes)?;
    deadline.check().map_err(expired)?;
    let extracted = extract::extract(&decoded.text, deadline).map_err(expired)?;
    deadline.check().map_err(expired)?;
    let staged = clean::stage(&extracted.lines, deadline).map_err(expired)?;
    let prints = staged.prints();
    Ok(StagedPage {
        encoding: decoded.encoding,
        replaced: decoded.replaced,
        extracted,
        staged,
        prints,
    })
}

/// Ends a staged page: removes the lines whose fingerprint is in
/// `templates` (see [`process_with`]), then splits and structures it.
pub fn finish_page(
    page: StagedPage,
    deadline: &Deadline,
    templates: &HashSet<template::Fingerprint>,
) -> Result<Processed, decode::Rejected> {
    let expired = |e| deadline.rejected(e);
    let StagedPage {
        encoding,
        replaced,
        extracted,
        staged,
        prints,
    } = page;
    let spared;
    let mut templates = templates;
    if prints.candidates.iter().any(|fp| templates.contains(fp)) {
        // A page keeps the line it takes for its title, even when the
        // site's other pages list that title (a related-articles box made
        // it a template): structure the page without templates to see.
        let plain = staged.clone().finish(&extracted.lines, &HashSet::new());
        let parts = split::split(&plain);
        let (speeches, _) = structure::structure(&plain, &parts, deadline).map_err(expired)?;
        let own: Vec<template::Fingerprint> = speeches
            .iter()
            .flat_map(|s| &s.removed)
            .filter(|r| r.class == NoiseClass::Title)
            .map(|r| template::fingerprint(&r.text))
            .filter(|fp| templates.contains(fp))
            .collect();
        if !own.is_empty() {
            spared = templates
                .iter()
                .copied()
                .filter(|fp| !own.contains(fp))
                .collect::<HashSet<_>>();
            templates = &spared;
        }
    }
    let cleaned = staged.finish(&extracted.lines, templates);
    deadline.check().map_err(expired)?;
    let parts = split::split(&cleaned);
    let (mut speeches, unattached) =
        structure::structure(&cleaned, &parts, deadline).map_err(expired)?;
    page_meta::adopt(&mut speeches, &extracted.meta);
    Ok(Processed {
        encoding,
        replaced,
        html: extracted.html,
        lines: extracted.lines.len(),
        text_lines: extracted.lines,
        blank: cleaned.blank,
        unattached,
        speeches,
        prints,
    })
}

/// One file read and run through the pipeline.
#[derive(Debug, Clone)]
pub struct CleanedFile {
    /// The path as given, for display.
    pub source: String,
    /// What the pipeline made of it.
    pub processed: Processed,
}

/// Reads a file and runs the pipeline on it.
///
/// Fails with one-sentence errors for a path that cannot be read (missing,
/// a directory, no permission), for bytes that are not text (empty, binary,
/// over [`decode::MAX_BYTES`]), and for a file with no speech text left after
/// cleaning.
pub fn clean_file(path: &Path) -> crate::Result<CleanedFile> {
    let bytes = read_limited(path)?;
    clean_bytes(path, &bytes)
}

/// Reads a file of at most [`decode::MAX_BYTES`] (a larger one is refused
/// before it is read). Only regular files are read: a FIFO, socket or device
/// is refused with [`decode::Rejected::NotRegular`]. The file is opened
/// without blocking (a FIFO with no writer would wait forever) and the type
/// checked on the opened file, so nothing can be swapped in between.
pub fn read_limited(path: &Path) -> crate::Result<Vec<u8>> {
    let read_err = |source| crate::Error::Read {
        path: path.to_owned(),
        source,
    };
    let not_regular = |kind| crate::Error::Input {
        path: path.to_owned(),
        reason: decode::Rejected::NotRegular { kind },
    };
    let file = match open_nonblocking(path) {
        Ok(file) => file,
        // A socket cannot be opened at all (ENXIO): say what it is.
        Err(e) => {
            return Err(
                match std::fs::metadata(path)
                    .ok()
                    .and_then(|m| special_kind(m.file_type()))
                {
                    Some(kind) => not_regular(kind),
                    None => read_err(e),
                },
            );
        }
    };
    let meta = file.metadata().map_err(read_err)?;
    if meta.is_dir() {
        return Err(read_err(std::io::Error::new(
            std::io::ErrorKind::IsADirectory,
            "it is a directory",
        )));
    }
    if let Some(kind) = special_kind(meta.file_type()) {
        return Err(not_regular(kind));
    }
    if meta.len() > decode::MAX_BYTES as u64 {
        return Err(too_large(path, meta.len()));
    }
    read_to_limit(path, file, meta.len())
}

/// Reads at most [`decode::MAX_BYTES`] from `reader` (standard input, or an
/// opened file of `size_hint` bytes), naming `path` in the errors.
pub fn read_to_limit(path: &Path, reader: impl Read, size_hint: u64) -> crate::Result<Vec<u8>> {
    let capacity = usize::try_from(size_hint).map_or(0, |n| n.min(decode::MAX_BYTES));
    let mut bytes = Vec::with_capacity(capacity);
    // Read at most one byte past the limit: the file may grow while we read.
    reader
        .take(decode::MAX_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| crate::Error::Read {
            path: path.to_owned(),
            source,
        })?;
    if bytes.len() > decode::MAX_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    Ok(bytes)
}

fn too_large(path: &Path, size: u64) -> crate::Error {
    crate::Error::Input {
        path: path.to_owned(),
        reason: decode::Rejected::TooLarge {
            size,
            limit: decode::MAX_BYTES,
        },
    }
}

/// Opens `path` for reading with `O_NONBLOCK`, so that opening a FIFO
/// returns at once (regular files ignore the flag).
#[cfg(unix)]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

#[cfg(not(unix))]
fn open_nonblocking(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// What a file that is neither a regular file nor a directory is ("a
/// FIFO", "a socket", …): `None` for a regular file or a directory.
#[cfg(unix)]
pub fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    use std::os::unix::fs::FileTypeExt;
    if t.is_fifo() {
        Some("a FIFO")
    } else if t.is_socket() {
        Some("a socket")
    } else if t.is_char_device() {
        Some("a character device")
    } else if t.is_block_device() {
        Some("a block device")
    } else if t.is_file() || t.is_dir() {
        None
    } else {
        Some("a special file")
    }
}

/// What a file that is neither a regular file nor a directory is: `None`
/// for a regular file or a directory.
#[cfg(not(unix))]
pub fn special_kind(t: std::fs::FileType) -> Option<&'static str> {
    (!t.is_file() && !t.is_dir()).then_some("a special file")
}

/// Runs the pipeline on the bytes of a file that was read from `path`.
pub fn clean_bytes(path: &Path, bytes: &[u8]) -> crate::Result<CleanedFile> {
    clean_bytes_with(path, bytes, &HashSet::new())
}

/// [`clean_bytes`] with the site's templates removed (see [`process_with`]).
pub fn clean_bytes_with(
    path: &Path,
    bytes: &[u8],
    templates: &HashSet<template::Fingerprint>,
) -> crate::Result<CleanedFile> {
    let processed = process_with(bytes, Deadline::after(FILE_BUDGET), templates);
    cleaned_file(path, processed)
}

/// [`clean_bytes_with`] in two steps: the page staged, and a copy of that
/// kept, then ended with `templates`. The copy ends the page again later
/// ([`clean_staged_with`]) with the same result as cleaning its bytes anew.
pub fn clean_bytes_keeping_stage(
    path: &Path,
    bytes: &[u8],
    templates: &HashSet<template::Fingerprint>,
) -> crate::Result<(CleanedFile, StagedPage)> {
    let deadline = Deadline::after(FILE_BUDGET);
    let staged = stage_page(bytes, &deadline).map_err(|reason| crate::Error::Input {
        path: path.to_owned(),
        reason,
    })?;
    let kept = staged.clone();
    let file = cleaned_file(path, finish_page(staged, &deadline, templates))?;
    Ok((file, kept))
}

/// Ends a page staged by [`clean_bytes_keeping_stage`] with `templates`.
pub fn clean_staged_with(
    path: &Path,
    staged: StagedPage,
    templates: &HashSet<template::Fingerprint>,
) -> crate::Result<CleanedFile> {
    let processed = finish_page(staged, &Deadline::after(FILE_BUDGET), templates);
    cleaned_file(path, processed)
}

/// The pipeline's result for a file as one of the crate's errors, or the
/// file: a page with no speech is an error too.
fn cleaned_file(
    path: &Path,
    processed: Result<Processed, decode::Rejected>,
) -> crate::Result<CleanedFile> {
    let processed = processed.map_err(|reason| crate::Error::Input {
        path: path.to_owned(),
        reason,
    })?;
    if processed.speeches.is_empty() {
        return Err(crate::Error::NoSpeech {
            path: path.to_owned(),
            lines: processed.lines,
        });
    }
    Ok(CleanedFile {
        source: path.display().to_string(),
        processed,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const PAGE: &str = "<html><body><h1>在全县大会上的讲话</h1><p>同志们:今天我们召开招商引资大会。</p></body></html>";

    #[test]
    fn a_passed_deadline_stops_the_file_with_one_sentence() {
        let out = process_within(PAGE.as_bytes(), Deadline::after(Duration::ZERO));
        let reason = out.map(|_| ()).unwrap_err();
        assert_eq!(
            reason,
            decode::Rejected::TookTooLong {
                limit: Duration::ZERO
            }
        );
        let error = crate::Error::Input {
            path: "页面.html".into(),
            reason: decode::Rejected::TookTooLong { limit: FILE_BUDGET },
        };
        assert_eq!(
            error.to_string(),
            "页面.html: the file took longer than 10 s to clean (the per-file limit); skipped"
        );
    }

    #[test]
    fn each_stage_checks_the_deadline_itself() {
        let passed = Deadline::after(Duration::ZERO);
        let lines: Vec<String> = vec!["同志们:".into(), "今天我们召开大会。".into()];
        assert_eq!(extract::extract(PAGE, &passed), Err(Expired));
        assert_eq!(clean::clean(&lines, &passed).map(|_| ()), Err(Expired));
        let cleaned = clean::clean(&lines, &Deadline::never()).expect("no deadline");
        let parts = split::split(&cleaned);
        assert_eq!(
            structure::structure(&cleaned, &parts, &passed).map(|_| ()),
            Err(Expired)
        );
    }

    #[test]
    fn the_budget_is_far_off_for_an_ordinary_page() {
        let out = process(PAGE.as_bytes()).expect("an ordinary page");
        assert_eq!(out.speeches.len(), 1);
        assert!(Deadline::never().check().is_ok());
        assert!(Deadline::after(Duration::MAX).check().is_ok());
    }
}
