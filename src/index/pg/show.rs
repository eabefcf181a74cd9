//! One speech of a PostgreSQL store, as `jianghua show` prints it: its row
//! and passages from its shard (the one its id's key names), its sources
//! from the coordinator's records.

use super::{PgStore, shard_of};
use crate::index::DocId;
use crate::index::sources::key_path;
use crate::query::show::{
    ShowError, StoredPassage, StoredSpeech, flag_names, only_match, parse_id, read_meta,
};

impl PgStore {
    /// The id a whole id or a unique prefix of one names.
    pub fn resolve(&self, id: &str) -> Result<DocId, ShowError> {
        let prefix = match parse_id(id)? {
            Ok(id) => return Ok(id),
            Err(prefix) => prefix,
        };
        let found: Vec<String> = self
            .with_client(|c| {
                c.query(
                    "SELECT doc_id FROM jh_speeches WHERE doc_id LIKE $1 || '%' ORDER BY doc_id",
                    &[&prefix],
                )
            })?
            .iter()
            .map(|r| r.get(0))
            .collect();
        only_match(prefix, found)
    }

    /// Loads one speech by id or unique id prefix.
    pub fn show(&self, id: &str) -> Result<StoredSpeech, ShowError> {
        let id = self.resolve(id)?;
        let key = id.key() as i64;
        let shard = shard_of(id.key(), self.shards.len()) as i16;
        let (head, rows, sources) = self.with_client(|c| {
            let head = c.query_opt(
                "SELECT title, date, site, source, meta FROM jh_speeches \
                 WHERE shard = $1 AND speech_key = $2",
                &[&shard, &key],
            )?;
            let rows = c.query(
                "SELECT passage, section, text, flags FROM jh_passages \
                 WHERE shard = $1 AND speech_key = $2 AND kind = 0 ORDER BY passage",
                &[&shard, &key],
            )?;
            let sources = c.query(
                "SELECT key FROM jh_sources WHERE ids @> ARRAY[$1::text]",
                &[&id.as_str()],
            )?;
            Ok((head, rows, sources))
        })?;
        let head = head.ok_or_else(|| ShowError::NotFound(id.to_string()))?;
        let (part, encoding, outline, truncated) = read_meta(head.get::<_, Option<&str>>(4));
        let mut sources: Vec<String> = sources
            .iter()
            .map(|r| key_path(r.get(0)).display().to_string())
            .collect();
        sources.sort();
        Ok(StoredSpeech {
            doc_id: id.to_string(),
            title: head.get(0),
            date: head.get(1),
            site: head.get(2),
            source: head.get(3),
            sources,
            part,
            encoding,
            truncated,
            outline,
            passages: rows
                .iter()
                .map(|r| StoredPassage {
                    no: r.get::<_, i32>(0) as usize,
                    section: r.get(1),
                    text: r.get(2),
                    flags: flag_names(r.get::<_, i32>(3) as u64),
                })
                .collect(),
        })
    }
}
