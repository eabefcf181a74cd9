//! The ingest's writes into a PostgreSQL store ([`PgSink`]): what a batch
//! wrote is kept in memory, by speech and by source (the last write of
//! each wins, as the tantivy writer's operations do), and a commit sends
//! each shard its rows in one transaction (a delete of the speeches
//! touched, then `COPY`), then the source records to the coordinator in
//! one more. An ingest killed between the two is made whole by the next:
//! the files whose records were not written are read again, and their
//! speeches replaced.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write as _;

use super::{PgStore, pg_error, shard_of, terms_of};
use crate::index::analyzers::{LazyJieba, jieba_tokens};
use crate::index::sources::{Record, Sources, key_path};
use crate::index::writer::{Folded, Sink, day_number, flag_bits, speech_meta};
use crate::index::{DocId, IndexError};
use crate::pipeline::{CleanedFile, Speech};

/// A speech's rows, in `COPY` text format.
struct Rows {
    speech: String,
    passages: String,
}

/// An ingest's writer into a PostgreSQL store; holds the writer's lock.
pub struct PgSink<'a> {
    store: &'a PgStore,
    /// The coordinator connection that holds the advisory lock.
    coord: postgres::Client,
    /// Connections to the shards, opened on first use.
    shards: Vec<Option<postgres::Client>>,
    /// Per shard: speech key → its rows, or `None` to delete it.
    speeches: Vec<BTreeMap<i64, Option<Rows>>>,
    /// Source key → its record, or `None` to forget it.
    sources: HashMap<String, Option<Record>>,
    jieba: LazyJieba,
}

impl<'a> PgSink<'a> {
    /// A writer into `store` through `coord`, the connection that holds
    /// its writer lock ([`PgStore::open_for_writing`]).
    pub fn new(store: &'a PgStore, coord: postgres::Client) -> PgSink<'a> {
        let n = store.shards.len();
        PgSink {
            store,
            coord,
            shards: (0..n).map(|_| None).collect(),
            speeches: (0..n).map(|_| BTreeMap::new()).collect(),
            sources: HashMap::new(),
            jieba: LazyJieba::new(store.info.user_dict.clone()),
        }
    }

    fn rows(&self, file: &CleanedFile, s: &Speech, folded: &Folded, shard: usize) -> Rows {
        let key = folded.id.key() as i64;
        let day = day_number(s.date.as_deref());
        let site_key = s.site.as_deref().map(crate::fold::fold);
        let mut speech = String::new();
        let _ = write!(speech, "{shard}\t{key}\t");
        field(&mut speech, Some(folded.id.as_str()));
        field(&mut speech, s.title.as_deref());
        field(&mut speech, s.date.as_deref());
        let _ = write!(speech, "{day}\t");
        field(&mut speech, s.site.as_deref());
        field(&mut speech, site_key.as_deref());
        field(&mut speech, Some(&file.source));
        last(&mut speech, &speech_meta(file, s));
        let mut passages = String::new();
        let mut row = |kind: u8, no: usize, section: &str, flags: u64, text: &str, f: &str| {
            let _ = write!(passages, "{shard}\t{key}\t{kind}\t{no}\t{day}\t");
            field(&mut passages, s.date.as_deref());
            field(&mut passages, s.site.as_deref());
            field(&mut passages, site_key.as_deref());
            field(&mut passages, s.title.as_deref());
            field(&mut passages, Some(&file.source));
            field(&mut passages, Some(section));
            let _ = write!(passages, "{flags}\t{}\t", f.chars().count());
            field(&mut passages, Some(text));
            field(&mut passages, Some(f));
            field(&mut passages, Some(&array(&terms_of(f))));
            last(&mut passages, &tsvector(&jieba_tokens(&self.jieba, f)));
        };
        if let Some(title) = s.title.as_deref().filter(|t| !t.is_empty()) {
            row(1, 0, "", 0, title, &folded.title);
        }
        for (p, f) in s.passages.iter().zip(&folded.passages) {
            row(0, p.no, &p.section, flag_bits(&p.flags), &p.text, f);
        }
        Rows { speech, passages }
    }

    fn shard(&mut self, i: usize) -> Result<&mut postgres::Client, IndexError> {
        if self.shards[i].is_none() {
            let url = &self.store.shard_urls()[i];
            self.shards[i] = Some(super::connect(url)?);
        }
        Ok(self.shards[i].as_mut().expect("connected above"))
    }

    fn commit_shard(&mut self, i: usize) -> Result<(), IndexError> {
        let pending = std::mem::take(&mut self.speeches[i]);
        if pending.is_empty() {
            return Ok(());
        }
        let url = self.store.shard_urls()[i].clone();
        let err = |e: postgres::Error| pg_error(&url, &e);
        let keys: Vec<i64> = pending.keys().copied().collect();
        let g = self.store.generation;
        let client = self.shard(i)?;
        let mut tx = client.transaction().map_err(err)?;
        tx.execute(
            &format!("DELETE FROM jh_passages_g{g}_{i} WHERE speech_key = ANY($1)"),
            &[&keys],
        )
        .map_err(err)?;
        tx.execute(
            &format!("DELETE FROM jh_speeches_g{g}_{i} WHERE speech_key = ANY($1)"),
            &[&keys],
        )
        .map_err(err)?;
        let copy = |tx: &mut postgres::Transaction, table: &str, pick: &dyn Fn(&Rows) -> &str| {
            let mut w = tx.copy_in(&format!("COPY {table} FROM STDIN"))?;
            for rows in pending.values().flatten() {
                // A write error here is the server's, and `finish` says it.
                if w.write_all(pick(rows).as_bytes()).is_err() {
                    break;
                }
            }
            w.finish()
        };
        copy(&mut tx, &format!("jh_speeches_g{g}_{i}"), &|r| &r.speech).map_err(err)?;
        copy(&mut tx, &format!("jh_passages_g{g}_{i}"), &|r| &r.passages).map_err(err)?;
        tx.commit().map_err(err)
    }

    fn commit_sources(&mut self) -> Result<(), IndexError> {
        let url = self.store.url.clone();
        let err = |e: postgres::Error| pg_error(&url, &e);
        let pending = std::mem::take(&mut self.sources);
        let keys: Vec<&str> = pending.keys().map(String::as_str).collect();
        let table = format!("jh_sources_g{}", self.store.generation);
        let mut tx = self.coord.transaction().map_err(err)?;
        tx.execute(
            &format!("DELETE FROM {table} WHERE key = ANY($1)"),
            &[&keys],
        )
        .map_err(err)?;
        let mut lines = String::new();
        for (key, r) in pending.iter().filter_map(|(k, r)| Some((k, r.as_ref()?))) {
            field(&mut lines, Some(key));
            let _ = write!(lines, "{}\t{}\t", r.size as i64, r.mtime as i64);
            field(&mut lines, Some(&r.hash));
            let ids: Vec<String> = r.ids.iter().map(|i| i.as_str().to_owned()).collect();
            field(&mut lines, Some(&array(&ids)));
            field(&mut lines, Some(&r.site));
            let nums = |v: &[u64]| {
                let s: Vec<String> = v.iter().map(|n| (*n as i64).to_string()).collect();
                format!("{{{}}}", s.join(","))
            };
            let _ = writeln!(
                lines,
                "{}\t{}\t{}",
                nums(&r.prints.candidates),
                r.prints.body as i64,
                nums(&r.applied)
            );
        }
        let mut w = tx
            .copy_in(&format!("COPY {table} FROM STDIN"))
            .map_err(err)?;
        let wrote = w.write_all(lines.as_bytes());
        w.finish().map_err(err)?;
        wrote.map_err(|e| IndexError::Postgres {
            url: super::redact(&url),
            reason: e.to_string(),
        })?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        tx.execute(
            "UPDATE jh_meta SET value = $1 WHERE key = 'last_ingest'",
            &[&now.to_string()],
        )
        .map_err(err)?;
        tx.commit().map_err(err)
    }
}

impl PgStore {
    /// The source records of the last commit, in the store's generation.
    pub fn sources(&self) -> Result<Sources, IndexError> {
        let sql = format!(
            "SELECT key, size, mtime, hash, ids, site, candidates, body, applied FROM jh_sources_g{}",
            self.generation
        );
        let rows = self.with_client(|c| c.query(&sql, &[]))?;
        let records = rows
            .iter()
            .map(|row| {
                let key: String = row.get(0);
                let ids: Vec<String> = row.get(4);
                let nums = |v: Vec<i64>| v.into_iter().map(|n| n as u64).collect::<Vec<_>>();
                let record = Record {
                    path: key_path(&key),
                    size: row.get::<_, i64>(1) as u64,
                    mtime: row.get::<_, i64>(2) as u64,
                    hash: row.get(3),
                    ids: ids.iter().filter_map(|i| DocId::parse(i)).collect(),
                    site: row.get(5),
                    prints: crate::pipeline::template::PagePrints {
                        candidates: nums(row.get(6)),
                        body: row.get::<_, i64>(7) as u64,
                    },
                    applied: nums(row.get(8)),
                };
                (key, record)
            })
            .collect();
        Ok(Sources::of_records(records))
    }
}

impl Sink for PgSink<'_> {
    fn own_dir(&self) -> Option<&std::path::Path> {
        None
    }

    fn sources(&self) -> Result<Sources, IndexError> {
        self.store.sources()
    }

    fn delete_speech(&mut self, id: &DocId) -> Result<(), IndexError> {
        let shard = shard_of(id.key(), self.store.shards.len());
        self.speeches[shard].insert(id.key() as i64, None);
        Ok(())
    }

    fn add_speech(
        &mut self,
        file: &CleanedFile,
        speech: &Speech,
        folded: &Folded,
    ) -> Result<(), IndexError> {
        let shard = shard_of(folded.id.key(), self.store.shards.len());
        let rows = self.rows(file, speech, folded, shard);
        self.speeches[shard].insert(folded.id.key() as i64, Some(rows));
        Ok(())
    }

    fn put_source(&mut self, key: &str, record: &Record) -> Result<(), IndexError> {
        self.sources.insert(key.to_owned(), Some(record.clone()));
        Ok(())
    }

    fn delete_source(&mut self, key: &str) -> Result<(), IndexError> {
        self.sources.insert(key.to_owned(), None);
        Ok(())
    }

    fn commit(&mut self) -> Result<(), IndexError> {
        for i in 0..self.speeches.len() {
            self.commit_shard(i)?;
            if i == 0 {
                crate::failpoint::hit("pg:first-shard-committed");
            }
        }
        crate::failpoint::hit("pg:shards-committed");
        self.commit_sources()
    }

    fn finish(self) -> Result<(), IndexError> {
        Ok(())
    }

    fn failed(self, e: IndexError, committed: usize) -> IndexError {
        let reason = match e {
            IndexError::Postgres { reason, .. } => reason,
            e => e.to_string(),
        };
        IndexError::Postgres {
            url: super::redact(&self.store.url),
            reason: format!(
                "{reason}; what was committed before is intact ({committed} files of this run were); run the same ingest again: it resumes where it stopped"
            ),
        }
    }
}

/// Appends a `COPY` text field and its tab (`\N` for none).
fn field(out: &mut String, value: Option<&str>) {
    match value {
        Some(v) => escape(out, v),
        None => out.push_str("\\N"),
    }
    out.push('\t');
}

/// Appends the last field of a row and its newline.
fn last(out: &mut String, value: &str) {
    escape(out, value);
    out.push('\n');
}

/// `COPY` text format: a backslash, tab, newline or carriage return is
/// written as its escape.
fn escape(out: &mut String, v: &str) {
    for c in v.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\t' => out.push_str("\\t"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            c => out.push(c),
        }
    }
}

/// A `text[]` literal: every element double-quoted, with `"` and `\`
/// escaped by a backslash.
fn array(items: &[String]) -> String {
    let mut out = String::from("{");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        for c in item.chars() {
            if c == '"' || c == '\\' {
                out.push('\\');
            }
            out.push(c);
        }
        out.push('"');
    }
    out.push('}');
    out
}

/// The greatest position a `tsvector` holds, and the most positions it
/// keeps per lexeme (PostgreSQL's limits).
const MAX_POSITION: usize = 16_383;
const MAX_POSITIONS: usize = 256;
/// The longest lexeme a `tsvector` takes, in bytes.
const MAX_LEXEME: usize = 2_047;

/// A `tsvector` literal of the jieba tokens, each with its positions
/// (1-based token numbers): `'lexeme':1,5`, quotes doubled.
fn tsvector(tokens: &[(String, std::ops::Range<usize>)]) -> String {
    let mut positions: BTreeMap<&str, Vec<usize>> = BTreeMap::new();
    for (i, (t, _)) in tokens.iter().enumerate() {
        if fits_lexeme(t) {
            let p = positions.entry(t.as_str()).or_default();
            if p.len() < MAX_POSITIONS {
                p.push((i + 1).min(MAX_POSITION));
            }
        }
    }
    let mut out = String::new();
    for (lexeme, pos) in positions {
        if !out.is_empty() {
            out.push(' ');
        }
        quoted_lexeme(&mut out, lexeme);
        out.push(':');
        let mut pos = pos;
        pos.dedup();
        let list: Vec<String> = pos.iter().map(usize::to_string).collect();
        out.push_str(&list.join(","));
    }
    out
}

/// A lexeme as `tsvector` and `tsquery` input read it: quoted, with its
/// quotes doubled and its backslashes escaped.
pub(super) fn quoted_lexeme(out: &mut String, lexeme: &str) {
    out.push('\'');
    for c in lexeme.chars() {
        match c {
            '\'' => out.push_str("''"),
            '\\' => out.push_str("\\\\"),
            c => out.push(c),
        }
    }
    out.push('\'');
}

/// Whether `tsvector` input keeps a token of this many bytes (longer ones
/// are left out of `words`).
pub(super) fn fits_lexeme(token: &str) -> bool {
    token.len() <= MAX_LEXEME
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copy_fields_escape_what_copy_reads_as_syntax() {
        let mut out = String::new();
        field(&mut out, Some("a\tb\\c\nd"));
        field(&mut out, None);
        last(&mut out, "e\rf");
        assert_eq!(out, "a\\tb\\\\c\\nd\t\\N\te\\rf\n");
    }

    #[test]
    fn arrays_and_tsvectors_quote_their_items() {
        assert_eq!(
            array(&["a\"b".into(), "c\\".into(), "招商".into()]),
            r#"{"a\"b","c\\","招商"}"#
        );
        let toks = vec![
            ("it's".to_owned(), 0..4),
            ("招商".to_owned(), 4..10),
            ("it's".to_owned(), 10..14),
        ];
        assert_eq!(tsvector(&toks), "'it''s':1,3 '招商':2");
    }
}
