//! The index folder: which generation is live, who may write, what is left over.
//!
//! An index folder is jianghua's alone. It holds:
//!
//! ```text
//! DIR/CURRENT       the name of the live generation ("gen-3"), one line
//! DIR/gen-3/        the live tantivy index (its files, its own locks)
//! DIR/writer.lock   locked (flock) by the one process that ingests or rebuilds
//! ```
//!
//! `rebuild` builds a new generation beside the live one and makes it live
//! by renaming a fresh `CURRENT.tmp` over `CURRENT`: one `rename`, atomic on
//! every POSIX filesystem, so at every moment of a swap (and after a crash
//! at any point of it) `CURRENT` names a complete, committed index. A
//! generation that `CURRENT` does not name is left over from an interrupted
//! rebuild or a finished swap; the next writer removes it under the lock,
//! and `stats` reports it until then.
//!
//! An index built before generations (tantivy's files directly in `DIR`, a
//! *legacy* index) is still read and written in place; its first `rebuild`
//! moves it into a generation and removes only tantivy's own files from
//! `DIR` (those `meta.json` and `.managed.json` list), never anything else.
//!
//! This module never touches a file it did not create, and never deletes
//! anything without holding the writer lock.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

use super::IndexError;

/// The pointer file naming the live generation.
pub const CURRENT: &str = "CURRENT";
/// The pointer being written, renamed over [`CURRENT`] to publish it.
const CURRENT_TMP: &str = "CURRENT.tmp";
/// The writer lock of the whole folder.
pub const WRITER_LOCK: &str = "writer.lock";
/// Generation folders are `gen-N`.
const GEN_PREFIX: &str = "gen-";

/// Files of tantivy's in a legacy index folder that are not listed in
/// `.managed.json` (the lists themselves and tantivy's lock files).
const LEGACY_FILES: &[&str] = &[
    "meta.json",
    ".managed.json",
    ".tantivy-writer.lock",
    ".tantivy-meta.lock",
];

/// Where the live tantivy index of an index folder is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Live {
    /// A generation folder, named by `CURRENT`.
    Generation(String),
    /// A legacy index: tantivy's files directly in the folder.
    Legacy,
}

/// Something in an index folder (or beside it) that no live index uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Leftover {
    /// The folder or file.
    pub path: PathBuf,
    /// Its size on disk in bytes.
    pub bytes: u64,
}

/// The writer lock of an index folder, held until dropped (the operating
/// system releases it when the process dies, so a killed writer never
/// blocks the next one).
#[derive(Debug)]
pub struct WriterLock {
    _file: File,
}

/// The folder of an index, as the user named it.
#[derive(Debug, Clone)]
pub struct Layout {
    /// The index folder.
    pub root: PathBuf,
}

impl Layout {
    /// The layout of the index folder `root`.
    pub fn new(root: &Path) -> Layout {
        Layout {
            root: root.to_owned(),
        }
    }

    fn io(&self, path: &Path) -> impl FnOnce(std::io::Error) -> IndexError {
        let path = path.to_owned();
        move |source| IndexError::Io { path, source }
    }

    /// Which index is live, or `None` when the folder holds none.
    pub fn live(&self) -> Result<Option<Live>, IndexError> {
        let pointer = self.root.join(CURRENT);
        match fs::read_to_string(&pointer) {
            Ok(name) => {
                let name = name.trim();
                if !is_generation_name(name) {
                    return Err(IndexError::Corrupt {
                        dir: self.root.clone(),
                        what: format!("{CURRENT} names {name:?}, which is not a generation"),
                    });
                }
                Ok(Some(Live::Generation(name.to_owned())))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(self
                .root
                .join("meta.json")
                .is_file()
                .then_some(Live::Legacy)),
            Err(e) => Err(self.io(&pointer)(e)),
        }
    }

    /// The error for a folder with no live index: [`IndexError::Stranded`]
    /// when an earlier version's rebuild left it beside, else
    /// [`IndexError::Missing`].
    pub fn missing(&self) -> IndexError {
        match self.stranded() {
            Some(old) => IndexError::Stranded {
                dir: self.root.clone(),
                old,
            },
            None => IndexError::Missing(self.root.clone()),
        }
    }

    /// The folder of tantivy's files for a live index.
    pub fn data_dir(&self, live: &Live) -> PathBuf {
        match live {
            Live::Generation(name) => self.root.join(name),
            Live::Legacy => self.root.clone(),
        }
    }

    /// Takes the writer lock, or fails at once when another process holds it.
    pub fn lock(&self) -> Result<WriterLock, IndexError> {
        let path = self.root.join(WRITER_LOCK);
        let file = fs::OpenOptions::new()
            .create(true)
            .truncate(false)
            .write(true)
            .open(&path)
            .map_err(self.io(&path))?;
        match file.try_lock() {
            Ok(()) => Ok(WriterLock { _file: file }),
            Err(fs::TryLockError::WouldBlock) => Err(IndexError::Locked(self.root.clone())),
            Err(fs::TryLockError::Error(e)) => Err(self.io(&path)(e)),
        }
    }

    /// Fails when `root` exists and holds anything that is neither an index
    /// nor left over from one: an index folder is jianghua's alone, so an
    /// ingest never writes into (and a rebuild never cleans) a folder of
    /// the user's.
    pub fn check_is_ours(&self) -> Result<(), IndexError> {
        let entries = match fs::read_dir(&self.root) {
            Ok(rd) => rd,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
            Err(e) => return Err(self.io(&self.root)(e)),
        };
        if self.live()?.is_some() {
            return Ok(());
        }
        for entry in entries {
            let entry = entry.map_err(self.io(&self.root))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name == WRITER_LOCK
                || name == CURRENT_TMP
                || (is_generation_name(&name) && entry.path().is_dir());
            if !ours {
                return Err(IndexError::NotAnIndex {
                    dir: self.root.clone(),
                    found: name,
                });
            }
        }
        Ok(())
    }

    /// A new, unused generation folder (not created yet).
    pub fn next_generation(&self, _lock: &WriterLock) -> Result<String, IndexError> {
        let mut highest = 0u64;
        for entry in fs::read_dir(&self.root).map_err(self.io(&self.root))? {
            let entry = entry.map_err(self.io(&self.root))?;
            let name = entry.file_name().to_string_lossy().into_owned();
            if let Some(n) = generation_number(&name) {
                highest = highest.max(n);
            }
        }
        Ok(format!("{GEN_PREFIX}{}", highest + 1))
    }

    /// Makes `generation` the live index with one atomic rename, durable
    /// before it returns.
    pub fn publish(&self, _lock: &WriterLock, generation: &str) -> Result<(), IndexError> {
        let tmp = self.root.join(CURRENT_TMP);
        let mut f = File::create(&tmp).map_err(self.io(&tmp))?;
        f.write_all(format!("{generation}\n").as_bytes())
            .and_then(|()| f.sync_all())
            .map_err(self.io(&tmp))?;
        drop(f);
        crate::failpoint::hit("publish:written");
        fs::rename(&tmp, self.root.join(CURRENT)).map_err(self.io(&self.root))?;
        crate::failpoint::hit("publish:renamed");
        // The rename itself must survive a power cut.
        if let Ok(dir) = File::open(&self.root) {
            let _ = dir.sync_all();
        }
        Ok(())
    }

    /// What no live index uses: generations `CURRENT` does not name, a
    /// half-written pointer, tantivy's files of a legacy index that a
    /// rebuild has replaced, and the temporary folders that rebuilds of
    /// earlier versions left beside the index (`.NAME.rebuild-PID`) when
    /// they were killed.
    pub fn leftovers(&self) -> Result<Vec<Leftover>, IndexError> {
        let live = self.live()?;
        let mut out = Vec::new();
        if let Ok(rd) = fs::read_dir(&self.root) {
            for entry in rd.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let path = entry.path();
                let dead_generation = is_generation_name(&name)
                    && live != Some(Live::Generation(name.clone()))
                    && looks_like_a_generation(&path);
                if dead_generation || name == CURRENT_TMP {
                    out.push(Leftover {
                        bytes: size_of(&path),
                        path,
                    });
                }
            }
        }
        if matches!(live, Some(Live::Generation(_))) {
            for path in self.legacy_files() {
                out.push(Leftover {
                    bytes: size_of(&path),
                    path,
                });
            }
        }
        out.extend(self.old_rebuild_folders(".rebuild-"));
        if live.is_some() {
            // With an index at the path, the old one a swap of an earlier
            // version moved aside is garbage; without one it is the index.
            out.extend(self.old_rebuild_folders(".old-"));
        }
        out.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(out)
    }

    /// Removes every [`Layout::leftovers`] entry; returns what was removed.
    pub fn remove_leftovers(&self, _lock: &WriterLock) -> Result<Vec<Leftover>, IndexError> {
        let found = self.leftovers()?;
        for l in &found {
            let gone = if l.path.is_dir() {
                fs::remove_dir_all(&l.path)
            } else {
                fs::remove_file(&l.path)
            };
            match gone {
                Ok(()) => {}
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                Err(e) => return Err(self.io(&l.path)(e)),
            }
        }
        Ok(found)
    }

    /// Tantivy's files of a legacy index in the root: the lists, the locks
    /// and every file `.managed.json` names (it names every file tantivy
    /// made there, segments included).
    fn legacy_files(&self) -> Vec<PathBuf> {
        let mut names: Vec<String> = LEGACY_FILES.iter().map(|s| s.to_string()).collect();
        if let Ok(text) = fs::read_to_string(self.root.join(".managed.json"))
            && let Ok(listed) = serde_json::from_str::<Vec<String>>(&text)
        {
            // Plain file names only: never a path out of the folder.
            names.extend(
                listed
                    .into_iter()
                    .filter(|n| !n.contains(['/', '\\']) && n != "." && n != ".."),
            );
        }
        names.sort();
        names.dedup();
        names
            .into_iter()
            .map(|n| self.root.join(n))
            .filter(|p| p.is_file())
            .collect()
    }

    /// The live index that an earlier version's `rebuild`, killed between
    /// its two renames, left beside the folder (`.NAME.old-PID`) with none
    /// at the path: it is the user's index, to be moved back, never removed.
    pub fn stranded(&self) -> Option<PathBuf> {
        self.old_rebuild_folders(".old-")
            .into_iter()
            .next()
            .map(|l| l.path)
    }

    /// Folders beside the index that earlier versions' `rebuild` made
    /// (`kind` is `.rebuild-` or `.old-`: `.NAME.rebuild-PID`,
    /// `.NAME.old-PID`) and a kill left behind: only those holding a
    /// tantivy index, and only when no process of that id is running.
    fn old_rebuild_folders(&self, kind: &str) -> Vec<Leftover> {
        let (Some(parent), Some(name)) = (self.root.parent(), self.root.file_name()) else {
            return Vec::new();
        };
        let parent = if parent.as_os_str().is_empty() {
            Path::new(".")
        } else {
            parent
        };
        let name = name.to_string_lossy();
        let mut out = Vec::new();
        let Ok(rd) = fs::read_dir(parent) else {
            return out;
        };
        for entry in rd.flatten() {
            let file_name = entry.file_name().to_string_lossy().into_owned();
            let pid = file_name
                .strip_prefix(&format!(".{name}{kind}"))
                .filter(|pid| !pid.is_empty() && pid.bytes().all(|b| b.is_ascii_digit()));
            let Some(pid) = pid else { continue };
            let path = entry.path();
            let running = Path::new("/proc").join(pid).exists();
            if !running && path.join("meta.json").is_file() {
                out.push(Leftover {
                    bytes: size_of(&path),
                    path,
                });
            }
        }
        out
    }
}

/// A folder that jianghua made as a generation: empty (killed as it was
/// made) or holding tantivy's files. A folder of the user's that happens
/// to be called `gen-N` is never taken for one.
fn looks_like_a_generation(path: &Path) -> bool {
    path.is_dir()
        && (path.join("meta.json").is_file()
            || path.join(".managed.json").is_file()
            || fs::read_dir(path).is_ok_and(|mut rd| rd.next().is_none()))
}

/// `gen-N` with N a number.
fn is_generation_name(name: &str) -> bool {
    generation_number(name).is_some()
}

fn generation_number(name: &str) -> Option<u64> {
    let n = name.strip_prefix(GEN_PREFIX)?;
    (!n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
        .then(|| n.parse().ok())
        .flatten()
}

/// The bytes of a file, or of the files in a folder tree.
pub fn size_of(path: &Path) -> u64 {
    walkdir::WalkDir::new(path)
        .into_iter()
        .flatten()
        .filter_map(|e| e.metadata().ok())
        .filter(|m| m.is_file())
        .map(|m| m.len())
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generation_names() {
        assert!(is_generation_name("gen-1"));
        assert!(is_generation_name("gen-20"));
        assert!(!is_generation_name("gen-"));
        assert!(!is_generation_name("gen-1a"));
        assert!(!is_generation_name("../gen-1"));
        assert!(!is_generation_name("pages"));
    }

    #[test]
    fn a_folder_of_the_users_is_not_ours() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        layout.check_is_ours().unwrap();
        fs::create_dir(dir.path().join("gen-1")).unwrap();
        fs::write(dir.path().join(WRITER_LOCK), "").unwrap();
        layout.check_is_ours().unwrap();
        fs::write(dir.path().join("讲话.html"), "<p>同志们</p>").unwrap();
        let e = layout.check_is_ours().unwrap_err().to_string();
        assert!(
            e.contains("讲话.html") && e.contains("not a jianghua index"),
            "{e}"
        );
        assert!(
            Layout::new(&dir.path().join("nothing"))
                .check_is_ours()
                .is_ok()
        );
    }

    #[test]
    fn an_earlier_versions_rebuild_folders_beside_the_index() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("idx");
        let layout = Layout::new(&root);
        let beside = |name: &str| {
            let p = dir.path().join(name);
            fs::create_dir(&p).unwrap();
            fs::write(p.join("meta.json"), "{}").unwrap();
            p
        };
        let killed = beside(".idx.rebuild-999999999");
        let running = beside(&format!(".idx.rebuild-{}", std::process::id()));
        let old = beside(".idx.old-999999998");
        // No index at the path: the moved-aside one is the index, not garbage.
        assert_eq!(layout.stranded(), Some(old.clone()));
        fs::create_dir(&root).unwrap();
        let paths = |l: Vec<Leftover>| l.into_iter().map(|l| l.path).collect::<Vec<_>>();
        assert_eq!(
            paths(layout.leftovers().unwrap()),
            std::slice::from_ref(&killed)
        );
        fs::write(root.join("meta.json"), "{}").unwrap();
        assert_eq!(paths(layout.leftovers().unwrap()), [old, killed]);
        assert!(running.is_dir());
    }

    #[test]
    fn a_second_lock_fails_and_a_dropped_one_is_free() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let held = layout.lock().unwrap();
        assert!(matches!(layout.lock(), Err(IndexError::Locked(_))));
        drop(held);
        layout.lock().unwrap();
    }

    #[test]
    fn dead_generations_and_pointers_are_leftovers_the_live_one_is_not() {
        let dir = tempfile::tempdir().unwrap();
        let layout = Layout::new(dir.path());
        let lock = layout.lock().unwrap();
        for g in ["gen-1", "gen-2", "gen-3"] {
            fs::create_dir(dir.path().join(g)).unwrap();
            fs::write(dir.path().join(g).join("meta.json"), "{}").unwrap();
        }
        // A folder of the user's with a generation's name is not one.
        fs::create_dir(dir.path().join("gen-9")).unwrap();
        fs::write(dir.path().join("gen-9/讲话.txt"), "同志们").unwrap();
        layout.publish(&lock, "gen-2").unwrap();
        fs::write(dir.path().join(CURRENT_TMP), "gen-3\n").unwrap();
        assert_eq!(
            layout.live().unwrap(),
            Some(Live::Generation("gen-2".into()))
        );
        assert_eq!(layout.next_generation(&lock).unwrap(), "gen-10");
        let names: Vec<String> = layout
            .leftovers()
            .unwrap()
            .iter()
            .map(|l| l.path.file_name().unwrap().to_string_lossy().into_owned())
            .collect();
        assert_eq!(names, ["CURRENT.tmp", "gen-1", "gen-3"]);
        layout.remove_leftovers(&lock).unwrap();
        assert!(layout.leftovers().unwrap().is_empty());
        assert!(dir.path().join("gen-2/meta.json").is_file());
        assert!(dir.path().join("gen-9/讲话.txt").is_file());
    }
}
