//! Keyword-in-context and counts, shared by the human and JSON printers:
//! what is shown of each occurrence, and how counts are grouped. Nothing
//! here writes.

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
    m.hits.iter().flat_map(|h| hit_lines(h, context)).collect()
}

/// The occurrences in one title or passage, with `context` chars each side.
pub fn hit_lines(hit: &Hit, context: usize) -> Vec<Line<'_>> {
    let chars: Vec<char> = hit.text.chars().collect();
    hit.spans
        .iter()
        .map(|&(s, e)| Line {
            hit,
            span: (s, e),
            left: chars[s.saturating_sub(context)..s].iter().collect(),
            matched: chars[s..e].iter().collect(),
            right: chars[e..(e + context).min(chars.len())].iter().collect(),
        })
        .collect()
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
///
/// Sites are grouped by their folded form, so `新文秘網` and `新文秘网` are
/// one site, shown as the spelling most of its matching titles and
/// passages carry (ties: the first in code-point order). Years and months
/// run without a gap from `from` (a `yyyymmdd`, else the first period with
/// a match) to `to` (else the last), periods without a match counted as 0.
pub fn groups(c: &Counts, by: GroupBy, from: Option<u64>, to: Option<u64>) -> Vec<Group> {
    use std::collections::{BTreeMap, BTreeSet};
    /// A group being counted: its counts, speeches, and site spellings.
    #[derive(Default)]
    struct Acc {
        title: Option<String>,
        occurrences: usize,
        passages: usize,
        speeches: BTreeSet<u64>,
        spellings: BTreeMap<String, usize>,
    }
    // Keyed by (unknown?, key) so unknown groups sort last.
    let mut map: BTreeMap<(bool, Option<String>), Acc> = BTreeMap::new();
    for h in &c.tallies {
        let key = match by {
            GroupBy::Speech => Some(h.doc_id().to_string()),
            GroupBy::Site => h.site.as_deref().map(crate::fold::fold),
            GroupBy::Year => h.date().map(|d| d[..4].to_owned()),
            GroupBy::Month => h.date().map(|d| d[..7].to_owned()),
        };
        let acc = map.entry((key.is_none(), key)).or_default();
        if by == GroupBy::Speech && acc.title.is_none() {
            acc.title = h.title.clone();
        }
        if let Some(site) = &h.site {
            *acc.spellings.entry(site.clone()).or_default() += 1;
        }
        acc.occurrences += h.occurrences;
        acc.passages += 1;
        acc.speeches.insert(h.doc_key);
    }
    if matches!(by, GroupBy::Year | GroupBy::Month) {
        let period = |day: u64| match by {
            GroupBy::Year => format!("{:04}", day / 10_000),
            _ => format!("{:04}-{:02}", day / 10_000, day / 100 % 100),
        };
        let known = || map.keys().filter_map(|(_, k)| k.clone());
        let first = from.map(period).or_else(|| known().next());
        let last = to.map(period).or_else(|| known().next_back());
        if let (Some(first), Some(last)) = (first, last) {
            for p in periods(&first, &last, by == GroupBy::Year) {
                map.entry((false, Some(p))).or_default();
            }
            // Matches outside the bounds (none when the bounds filtered).
            map.retain(|(unknown, k), _| {
                *unknown || k.as_deref().is_some_and(|k| *k >= *first && *k <= *last)
            });
        }
    }
    map.into_iter()
        .map(|((_, key), acc)| {
            let key = match by {
                GroupBy::Site => {
                    crate::query::stats::usual_spelling(&acc.spellings).map(str::to_owned)
                }
                _ => key,
            };
            Group {
                key,
                title: acc.title,
                occurrences: acc.occurrences,
                passages: acc.passages,
                speeches: acc.speeches.len(),
            }
        })
        .collect()
}

/// Every year (`YYYY`) or month (`YYYY-MM`) from `first` to `last`, both included.
fn periods(first: &str, last: &str, years: bool) -> Vec<String> {
    let parse = |p: &str| -> Option<(u32, u32)> {
        let y = p.get(..4)?.parse().ok()?;
        let m = if years { 1 } else { p.get(5..7)?.parse().ok()? };
        Some((y, m))
    };
    let (Some((mut y, mut m)), Some(end)) = (parse(first), parse(last)) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    while (y, m) <= end {
        if years {
            out.push(format!("{y:04}"));
            y += 1;
        } else {
            out.push(format!("{y:04}-{m:02}"));
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::periods;

    #[test]
    fn periods_run_without_gaps() {
        assert_eq!(
            periods("2023-11", "2024-02", false),
            ["2023-11", "2023-12", "2024-01", "2024-02"]
        );
        assert_eq!(periods("2020", "2022", true), ["2020", "2021", "2022"]);
        assert!(periods("2024", "2023", true).is_empty());
    }
}
