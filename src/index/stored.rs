//! A title's or passage's stored fields, read in place from the bytes of
//! its stored document: the question is what a listing needs of each of
//! its candidates (the text, the speech's title, date, site and source, the
//! section, the kind, ordinal and flags) at the cost of reading them once.
//!
//! A listing reads nearly every passage of the index for a frequent phrase,
//! and tantivy's own document (a tree of values, a `String` per field, each
//! validated by the standard library's byte-at-a-time UTF-8 check on CJK
//! text) cost a third of its time. Here the document's bytes are walked
//! once, the fields are slices of them, and the text is validated with
//! `simdutf8`.
//!
//! The layout read is tantivy's binary document, the format of its doc
//! store (`tantivy::schema::document::de`): a VInt count of values, then
//! for each a little-endian `u32` field id, a one-byte type code and the
//! value, text (code 0) as a VInt byte length and the UTF-8 bytes, u64
//! (code 1) as eight little-endian bytes; a VInt is seven bits a byte, low
//! bits first, its last byte's high bit set. jianghua's schema stores
//! nothing else: any other code, or a document that ends early, is an
//! error, never a guess, and a test reads every document of an index both
//! ways (`tests::every_document_reads_as_tantivy_reads_it`).

use std::ops::Range;
use std::path::Path;
use std::sync::Arc;

use tantivy::directory::{FileHandle, FileSlice, OwnedBytes};
use tantivy::schema::Field;
use tantivy::store::StoreReader;
use tantivy::{HasLen, SegmentReader};

/// tantivy's type code of a text value.
const TEXT_CODE: u8 = 0;
/// tantivy's type code of a u64 value.
const U64_CODE: u8 = 1;

/// One stored value, in place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RawValue<'a> {
    /// A text value's bytes, not yet checked to be UTF-8.
    Text(&'a [u8]),
    /// A u64 value.
    U64(u64),
}

/// Why a stored document could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("stored document unreadable: {0}")]
pub struct StoredError(&'static str);

impl From<StoredError> for tantivy::TantivyError {
    fn from(e: StoredError) -> Self {
        tantivy::TantivyError::DataCorruption(tantivy::error::DataCorruption::comment_only(
            e.to_string(),
        ))
    }
}

/// Calls `each` with every value of a stored document, in stored order.
pub fn for_each_value<'a>(
    doc: &'a [u8],
    mut each: impl FnMut(Field, RawValue<'a>),
) -> Result<(), StoredError> {
    let mut rest = doc;
    let count = vint(&mut rest)?;
    for _ in 0..count {
        let (id, after) = rest
            .split_first_chunk::<4>()
            .ok_or(StoredError("a field id is cut short"))?;
        let (&code, after) = after
            .split_first()
            .ok_or(StoredError("a type code is missing"))?;
        rest = after;
        let field = Field::from_field_id(u32::from_le_bytes(*id));
        match code {
            TEXT_CODE => {
                let len = usize::try_from(vint(&mut rest)?)
                    .map_err(|_| StoredError("a text length is out of range"))?;
                let (text, after) = rest
                    .split_at_checked(len)
                    .ok_or(StoredError("a text value is cut short"))?;
                rest = after;
                each(field, RawValue::Text(text));
            }
            U64_CODE => {
                let (v, after) = rest
                    .split_first_chunk::<8>()
                    .ok_or(StoredError("a u64 value is cut short"))?;
                rest = after;
                each(field, RawValue::U64(u64::from_le_bytes(*v)));
            }
            _ => return Err(StoredError("a value of a type jianghua does not store")),
        }
    }
    Ok(())
}

/// Reads a VInt off the front of `bytes`.
fn vint(bytes: &mut &[u8]) -> Result<u64, StoredError> {
    let mut value = 0u64;
    for (i, &b) in bytes.iter().enumerate().take(10) {
        value |= u64::from(b & 0x7F) << (7 * i);
        if b & 0x80 != 0 {
            *bytes = &bytes[i + 1..];
            return Ok(value);
        }
    }
    Err(StoredError("a VInt is cut short"))
}

/// A segment's document store (`<segment id>.store` in `data_dir`), read
/// with positioned reads of its blocks rather than through the index's
/// memory map: a listing reads the whole store once, and through the map
/// every page read stayed in the process's resident memory (764 MB at
/// 800 MB of pages); read so, the pages are the system's cache, not the
/// process's. Falls back to the mapped store where the file is not there
/// (an index in memory).
pub fn store_reader(
    data_dir: &Path,
    seg: &SegmentReader,
    cache_blocks: usize,
) -> std::io::Result<StoreReader> {
    let path = data_dir.join(format!("{}.store", seg.segment_id().uuid_string()));
    match std::fs::File::open(&path) {
        Ok(file) => {
            let len = usize::try_from(file.metadata()?.len()).map_err(std::io::Error::other)?;
            let file = FileSlice::new(Arc::new(ReadFile { file, len }));
            // (The footer that tantivy's directory adds to every file, as
            // its own `open_read` takes it off.)
            let (_, body) = tantivy::directory::footer::Footer::extract_footer(file)?;
            StoreReader::open(body, cache_blocks)
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => seg.get_store_reader(cache_blocks),
        Err(e) => Err(e),
    }
}

/// A file read with `pread`, for [`store_reader`].
#[derive(Debug)]
struct ReadFile {
    file: std::fs::File,
    len: usize,
}

impl HasLen for ReadFile {
    fn len(&self) -> usize {
        self.len
    }
}

impl FileHandle for ReadFile {
    fn read_bytes(&self, range: Range<usize>) -> std::io::Result<OwnedBytes> {
        use std::os::unix::fs::FileExt;
        if range.start > range.end || range.end > self.len {
            return Err(std::io::Error::new(
                std::io::ErrorKind::InvalidInput,
                format!("bytes {range:?} of a {}-byte store", self.len),
            ));
        }
        let mut buf = vec![0; range.len()];
        self.file.read_exact_at(&mut buf, range.start as u64)?;
        Ok(OwnedBytes::new(buf))
    }
}

/// `bytes` as text: checked to be UTF-8 (quickly, with SIMD).
pub fn text(bytes: &[u8]) -> Result<&str, StoredError> {
    simdutf8::basic::from_utf8(bytes).map_err(|_| StoredError("a text value is not UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::{RawValue, for_each_value, text};
    use tantivy::schema::{OwnedValue, Value};

    /// Every document of a small index on disk, read here (its store with
    /// positioned reads) and by tantivy (mapped), holds the same values in
    /// the same order: the layout read here is tantivy's.
    #[test]
    fn every_document_reads_as_tantivy_reads_it() {
        use tantivy::schema::{STORED, STRING, Schema, TEXT};
        let mut b = Schema::builder();
        let title = b.add_text_field("title", STRING | STORED);
        let n = b.add_u64_field("n", STORED);
        let body = b.add_text_field("body", TEXT | STORED);
        let dir = tempfile::tempdir().unwrap();
        let index = tantivy::Index::create_in_dir(dir.path(), b.build()).unwrap();
        let mut w: tantivy::IndexWriter = index.writer(15_000_000).unwrap();
        let long = "发展".repeat(200);
        for i in 0..300u64 {
            let mut doc = tantivy::TantivyDocument::new();
            doc.add_text(title, format!("讲话{i}"));
            doc.add_u64(n, i << 40 | i);
            if i % 3 == 0 {
                doc.add_text(body, &long);
            }
            doc.add_text(body, "");
            doc.add_u64(n, u64::MAX - i);
            w.add_document(doc).unwrap();
        }
        w.commit().unwrap();
        let searcher = index.reader().unwrap().searcher();
        let mut read = 0;
        for seg in searcher.segment_readers() {
            let store = seg.get_store_reader(10).unwrap();
            let pread = super::store_reader(dir.path(), seg, 10).unwrap();
            for d in 0..seg.max_doc() {
                let ours_bytes = pread.get_document_bytes(d).unwrap();
                assert_eq!(ours_bytes, store.get_document_bytes(d).unwrap());
                let mut ours = Vec::new();
                for_each_value(&ours_bytes, |f, v| ours.push((f, v))).unwrap();
                let theirs: tantivy::TantivyDocument = store.get(d).unwrap();
                let theirs: Vec<_> = theirs
                    .field_values()
                    .map(|(f, v)| (f, OwnedValue::from(v.as_value())))
                    .collect();
                assert_eq!(ours.len(), theirs.len());
                for ((f, v), (g, w)) in ours.iter().zip(&theirs) {
                    assert_eq!(f, g);
                    match (v, w) {
                        (RawValue::Text(t), OwnedValue::Str(s)) => assert_eq!(text(t).unwrap(), s),
                        (RawValue::U64(a), OwnedValue::U64(b)) => assert_eq!(a, b),
                        other => panic!("values differ: {other:?}"),
                    }
                }
                read += 1;
            }
        }
        assert_eq!(read, 300);
        // Where the store is no file (here: not in that folder), the
        // mapped one is read.
        let elsewhere = tempfile::tempdir().unwrap();
        let seg = &searcher.segment_readers()[0];
        let mapped = super::store_reader(elsewhere.path(), seg, 10).unwrap();
        assert_eq!(
            mapped.get_document_bytes(0).unwrap(),
            seg.get_store_reader(1)
                .unwrap()
                .get_document_bytes(0)
                .unwrap()
        );
    }

    #[test]
    fn a_cut_or_foreign_document_is_an_error_not_a_guess() {
        let mut seen = 0;
        // One text value of field 2: "ab".
        let doc = [0x81, 2, 0, 0, 0, 0, 0x82, b'a', b'b'];
        for_each_value(&doc, |_, _| seen += 1).unwrap();
        assert_eq!(seen, 1);
        for cut in 0..doc.len() {
            assert!(for_each_value(&doc[..cut], |_, _| {}).is_err(), "{cut}");
        }
        // A type code (2, i64) this schema never stores.
        assert!(for_each_value(&[0x81, 2, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0, 0, 0], |_, _| {}).is_err());
        // A length past the end; a VInt with no last byte.
        assert!(for_each_value(&[0x81, 2, 0, 0, 0, 0, 0xFF], |_, _| {}).is_err());
        assert!(for_each_value(&[0x01; 12], |_, _| {}).is_err());
        assert!(text(&[0xE5, 0x8F]).is_err());
    }
}
