//! Keyword-in-context and counts, shared by the human and JSON printers.

use crate::query::mentions::{Counts, Hit, Mentions};

/// One occurrence with its context.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// The title or passage it is in.
    pub hit: &'a Hit,
    /// Char span in `hit.text`.
    pub span: (usize, usize),
    /// Up to `context` chars before.
    pub left: String,
    /// The matched text, original script.
    pub matched: String,
    /// Up to `context` chars after.
    pub right: String,
}

/// Every occurrence with `context` chars each side.
pub fn lines(m: &Mentions, context: usize) -> Vec<Line<'_>> {
    let mut out = Vec::new();
    for hit in &m.hits {
        let chars: Vec<char> = hit.text.chars().collect();
        for &(s, e) in &hit.spans {
            out.push(Line {
                hit,
                span: (s, e),
                left: chars[s.saturating_sub(context)..s].iter().collect(),
                matched: chars[s..e].iter().collect(),
                right: chars[e..(e + context).min(chars.len())].iter().collect(),
            });
        }
    }
    out
}

/// What to count mentions by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GroupBy {
    /// Per speech (doc id).
    Speech,
    /// Per site.
    Site,
    /// Per year of the speech's date.
    Year,
    /// Per month of the speech's date.
    Month,
}

/// Counts for one group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// The group's key (`None`: unknown site or date).
    pub key: Option<String>,
    /// A title, for speech groups.
    pub title: Option<String>,
    /// Occurrences.
    pub occurrences: usize,
    /// Titles and passages with an occurrence.
    pub passages: usize,
    /// Speeches with an occurrence.
    pub speeches: usize,
}

/// Counts per group, ordered by key (unknown last).
pub fn groups(c: &Counts, by: GroupBy) -> Vec<Group> {
    use std::collections::{BTreeMap, BTreeSet};
    // Keyed by (unknown?, key) so unknown groups sort last.
    type Key = (bool, Option<String>);
    let mut map: BTreeMap<Key, (Group, BTreeSet<u64>)> = BTreeMap::new();
    for h in &c.tallies {
        let key = match by {
            GroupBy::Speech => Some(h.doc_id().to_string()),
            GroupBy::Site => h.site.clone(),
            GroupBy::Year => h.date().map(|d| d[..4].to_owned()),
            GroupBy::Month => h.date().map(|d| d[..7].to_owned()),
        };
        let entry = map.entry((key.is_none(), key.clone())).or_insert_with(|| {
            let title = if by == GroupBy::Speech {
                h.title.clone()
            } else {
                None
            };
            (
                Group {
                    key,
                    title,
                    occurrences: 0,
                    passages: 0,
                    speeches: 0,
                },
                BTreeSet::new(),
            )
        });
        entry.0.occurrences += h.occurrences;
        entry.0.passages += 1;
        entry.1.insert(h.doc_key);
    }
    map.into_values()
        .map(|(mut g, ids)| {
            g.speeches = ids.len();
            g
        })
        .collect()
}
