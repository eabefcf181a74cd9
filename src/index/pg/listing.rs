//! Every mention in a PostgreSQL store, streamed in the order of the
//! tantivy store's listing (`query::mentions::for_each_mention_in`): by
//! source path (bytes, `COLLATE "C"`, as a term dictionary sorts), then
//! speech id (as an unsigned number: the sign bit flipped), the title
//! before the passages in order. The rows come as the coordinator merges
//! the shards' candidates, verified there by `strpos` on the folded text;
//! the spans are found here, on the text that came.

use std::ops::ControlFlow;

use postgres::fallible_iterator::FallibleIterator;

use super::PgStore;
use super::count::{filter, query_params};
use crate::index::DocId;
use crate::index::schema::flag;
use crate::query::filter::Bounds;
use crate::query::mentions::{Finder, Hit, MentionsError, Occurrences, checked};

impl PgStore {
    /// Hands every title and passage that mentions the phrase to `each`,
    /// in the listing's order, one at a time; `each` stops the stream with
    /// [`ControlFlow::Break`].
    pub fn for_each_mention_in(
        &self,
        phrase: &str,
        bounds: &Bounds,
        mut each: impl FnMut(&Hit) -> ControlFlow<()>,
    ) -> Result<(), MentionsError> {
        let folded = checked(phrase)?;
        let terms = super::phrase_terms(&folded);
        let (cond, bound) = filter(bounds);
        let sql = format!(
            "SELECT speech_key, kind, passage, title, date, site, source, section, text, flags \
             FROM jh_passages WHERE {cond} \
             ORDER BY source COLLATE \"C\", speech_key # (-9223372036854775808)::bigint, \
             kind DESC, passage"
        );
        let finder = Finder::with_forms(&folded);
        let mut buf = String::new();
        self.with_client(|c| {
            let mut rows = c.query_raw(&sql, query_params(&folded, &terms, &bound))?;
            while let Some(row) = rows.next()? {
                let text: String = row.get(8);
                let Occurrences {
                    chars: spans,
                    bytes,
                } = finder.spans_in(&text, &mut buf);
                if spans.is_empty() {
                    continue;
                }
                let kind: i16 = row.get(1);
                let hit = Hit {
                    doc_id: DocId::from_key(row.get::<_, i64>(0) as u64)
                        .as_str()
                        .to_owned(),
                    passage: (kind == 0).then(|| row.get::<_, i32>(2) as usize),
                    title: row.get(3),
                    date: row.get(4),
                    site: row.get(5),
                    source: row.get(6),
                    section: row.get(7),
                    text,
                    spans,
                    bytes,
                    mojibake: row.get::<_, i32>(9) as u64 & flag::MOJIBAKE != 0,
                };
                if each(&hit).is_break() {
                    break;
                }
            }
            Ok(())
        })?;
        Ok(())
    }
}
