//! Speech ids derived from content, so a speech scraped twice (or from two
//! sites) is one speech, and ids survive a rebuild.

use std::fmt;

use crate::pipeline::Speech;

/// A speech's id: 16 hex digits of a hash of its folded title and passages.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DocId(String);

impl DocId {
    /// The id of a speech: a hash of its folded title and passage texts (not
    /// of where it came from, nor of its date or site).
    pub fn of(speech: &Speech) -> DocId {
        let (title, passages) = folded_texts(speech);
        DocId::of_folded(&title, &passages)
    }

    /// [`DocId::of`] from the speech's title and passage texts already
    /// folded (the title empty when there is none).
    pub fn of_folded(title: &str, passages: &[String]) -> DocId {
        let mut h = blake3::Hasher::new();
        h.update(title.as_bytes());
        for p in passages {
            h.update(b"\x1f");
            h.update(p.as_bytes());
        }
        DocId(h.finalize().to_hex()[..16].to_owned())
    }

    /// An id as typed by a user, if it has the right shape.
    pub fn parse(s: &str) -> Option<DocId> {
        let s = s.trim().to_ascii_lowercase();
        (s.len() == 16 && s.chars().all(|c| c.is_ascii_hexdigit())).then_some(DocId(s))
    }

    /// The id as a number (its 16 hex digits).
    pub fn key(&self) -> u64 {
        u64::from_str_radix(&self.0, 16).unwrap_or(0)
    }

    /// The id of a number made by [`DocId::key`].
    pub fn from_key(key: u64) -> DocId {
        DocId(format!("{key:016x}"))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A speech's folded title (empty when there is none) and folded passage
/// texts: what its id hashes, and what the index analyses.
pub fn folded_texts(speech: &Speech) -> (String, Vec<String>) {
    let title = crate::fold::fold(speech.title.as_deref().unwrap_or(""));
    let passages = speech
        .passages
        .iter()
        .map(|p| crate::fold::fold(&p.text))
        .collect();
    (title, passages)
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}
