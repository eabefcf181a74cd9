//! Keyword-in-context and counts, shared by the human and JSON printers
//! and the web API: what is shown of each occurrence, which occurrences a
//! page holds ([`for_each_line_in`]), and how counts are grouped. Nothing
//! here writes.

use std::ops::ControlFlow;

use crate::index::store::Store;
use crate::query::filter::Bounds;
use crate::query::mentions::{Counts, Detail, Hit, MentionsError, Totals};
use crate::query::periods::{Period, Periods};

/// One occurrence with its context: slices of its hit's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Line<'a> {
    /// The title or passage it is in.
    pub hit: &'a Hit,
    /// Char span in `hit.text`.
    pub span: (usize, usize),
    /// Up to `context` chars before.
    pub left: &'a str,
    /// The matched text, original script.
    pub matched: &'a str,
    /// Up to `context` chars after.
    pub right: &'a str,
}

/// The occurrences in one title or passage, with `context` chars each side.
///
/// Nothing of the text is copied, and only the contexts are walked: the
/// hit's byte spans give each match, and each context is counted off in
/// chars from the match's ends, eight bytes at a time where it can.
pub fn hit_lines(hit: &Hit, context: usize) -> Vec<Line<'_>> {
    let text = hit.text.as_str();
    hit.spans
        .iter()
        .zip(&hit.bytes)
        .map(|(&span, &(start, end))| Line {
            hit,
            span,
            left: &text[chars_back(text, start, context)..start],
            matched: &text[start..end],
            right: &text[end..chars_ahead(text, end, context)],
        })
        .collect()
}

/// The byte offset `n` chars before byte offset `at` (or 0): the `n`th
/// lead byte back. Eight bytes at a time where a block holds fewer than the
/// chars still to pass, then byte by byte.
fn chars_back(text: &str, mut at: usize, n: usize) -> usize {
    let b = text.as_bytes();
    let mut need = n;
    while need > 0
        && let Some(block) = at.checked_sub(8).and_then(|from| b.get(from..at))
    {
        let leads = lead_bytes(block);
        if leads >= need {
            break;
        }
        need -= leads;
        at -= 8;
    }
    while need > 0 && at > 0 {
        at -= 1;
        if b[at] & 0xC0 != 0x80 {
            need -= 1;
        }
    }
    at
}

/// The byte offset `n` chars after byte offset `at` (or the text's end):
/// the lead byte after the `n`th, found as [`chars_back`] finds its own.
fn chars_ahead(text: &str, mut at: usize, n: usize) -> usize {
    let b = text.as_bytes();
    let mut need = n;
    while let Some(block) = b.get(at..at + 8) {
        let leads = lead_bytes(block);
        if leads > need {
            break;
        }
        need -= leads;
        at += 8;
    }
    while let Some(&x) = b.get(at) {
        if x & 0xC0 != 0x80 {
            if need == 0 {
                return at;
            }
            need -= 1;
        }
        at += 1;
    }
    b.len()
}

/// How many of eight bytes start a char: those that are not UTF-8
/// continuation bytes (`10xxxxxx`), counted in one word.
fn lead_bytes(block: &[u8]) -> usize {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let w = u64::from_le_bytes(block.try_into().unwrap_or([0; 8]));
    8 - (w & !(w << 1) & HIGH).count_ones() as usize
}

/// Which occurrences of a listing to show: `offset` skipped, then at most
/// `limit` (all when `None`), each with `context` chars on either side.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Page {
    /// Occurrences skipped first.
    pub offset: usize,
    /// Occurrences shown at most.
    pub limit: Option<usize>,
    /// Chars of context on each side.
    pub context: usize,
}

/// How a page of a listing ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Paged {
    /// Occurrences shown.
    pub shown: usize,
    /// The totals of the occurrences streamed: all of them when the stream
    /// ran to its end (`!cut`).
    pub streamed: Totals,
    /// Whether the page filled before the stream ended.
    pub cut: bool,
}

impl Paged {
    /// The totals of every occurrence: those streamed, or, when the page
    /// was cut short, counted from the index (only a caller that shows
    /// them pays for the count).
    pub fn totals(
        &self,
        store: Store<'_>,
        phrase: &str,
        bounds: &Bounds,
    ) -> Result<Totals, MentionsError> {
        if self.cut {
            store.totals_in(phrase, bounds)
        } else {
            Ok(self.streamed)
        }
    }
}

/// Why a page could not be laid out.
#[derive(Debug)]
pub enum PageError<E> {
    /// The query failed.
    Query(MentionsError),
    /// The caller's sink failed (a closed pipe, say); the stream stopped.
    Sink(E),
}

/// Streams the occurrences of `phrase` on one page of its listing to
/// `each`, in the listing's order (`query::mentions::for_each_mention_in`),
/// as they are found: the stream stops once the page is full or `each`
/// fails. A hit wholly before the page is counted, not laid out.
pub fn for_each_line_in<E>(
    store: Store<'_>,
    phrase: &str,
    bounds: &Bounds,
    page: Page,
    mut each: impl FnMut(&Line<'_>) -> Result<(), E>,
) -> Result<Paged, PageError<E>> {
    let limit = page.limit.unwrap_or(usize::MAX);
    let (mut seen, mut shown) = (0usize, 0usize);
    let mut totals = Totals::default();
    let mut last_speech: Option<String> = None;
    let mut error = None;
    store
        .for_each_mention_in(phrase, bounds, |hit| {
            totals.occurrences += hit.spans.len();
            totals.passages += 1;
            if last_speech.as_deref() != Some(hit.doc_id.as_str()) {
                totals.speeches += 1;
                last_speech = Some(hit.doc_id.clone());
            }
            if seen + hit.spans.len() <= page.offset {
                seen += hit.spans.len();
                return ControlFlow::Continue(());
            }
            let lines = hit_lines(hit, page.context);
            let skip = page.offset.saturating_sub(seen).min(lines.len());
            seen += lines.len();
            // (No limit is a limit of usize::MAX: the sum saturates.)
            let end = lines.len().min(skip.saturating_add(limit - shown));
            for l in &lines[skip..end] {
                if let Err(e) = each(l) {
                    error = Some(e);
                    return ControlFlow::Break(());
                }
                shown += 1;
            }
            if shown == limit {
                ControlFlow::Break(())
            } else {
                ControlFlow::Continue(())
            }
        })
        .map_err(PageError::Query)?;
    if let Some(e) = error {
        return Err(PageError::Sink(e));
    }
    Ok(Paged {
        shown,
        streamed: totals,
        cut: shown == limit && page.limit.is_some(),
    })
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
/// a match) to `to` (else the last), periods without a match counted as 0
/// ([`period_groups`]).
pub fn groups(c: &Counts, by: GroupBy, from: Option<u64>, to: Option<u64>) -> Vec<Group> {
    use std::collections::{BTreeMap, BTreeSet};
    if let Some(period) = period_of(by) {
        let first = from.and_then(|d| period.of(d));
        let last = to.and_then(|d| period.of(d));
        return period_groups(
            &Periods::of_tallies(&c.tallies, period),
            period,
            first,
            last,
        );
    }
    /// A group being counted: its counts, speeches, and site spellings.
    #[derive(Default)]
    struct Acc {
        title: Option<String>,
        occurrences: usize,
        passages: usize,
        speeches: BTreeSet<u64>,
        /// The speech last counted (a speech's passages come together).
        last: Option<u64>,
        spellings: BTreeMap<String, usize>,
    }
    // Keyed by (unknown?, number, text) so unknown groups sort last: a
    // speech by its id's number (the order of its hex digits), a site by
    // its folded name. Nothing is formatted per passage.
    let mut map: BTreeMap<(bool, u64, Option<String>), Acc> = BTreeMap::new();
    for h in &c.tallies {
        let key = match (by, &h.site) {
            (GroupBy::Site, Some(site)) => (false, 0, Some(crate::fold::fold(site))),
            (GroupBy::Site, None) => (true, 0, None),
            _ => (false, h.doc_key, None),
        };
        let acc = map.entry(key).or_default();
        if by == GroupBy::Speech && acc.title.is_none() {
            acc.title = h.title.clone();
        }
        if by == GroupBy::Site
            && let Some(site) = &h.site
        {
            *acc.spellings.entry(site.clone()).or_default() += 1;
        }
        acc.occurrences += h.occurrences;
        acc.passages += 1;
        if acc.last != Some(h.doc_key) {
            acc.last = Some(h.doc_key);
            acc.speeches.insert(h.doc_key);
        }
    }
    map.into_iter()
        .map(|((unknown, n, _), acc)| {
            let key = match by {
                _ if unknown => None,
                GroupBy::Site => {
                    crate::query::stats::usual_spelling(&acc.spellings).map(str::to_owned)
                }
                _ => Some(crate::index::DocId::from_key(n).as_str().to_owned()),
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

/// The period a year or month grouping counts by.
fn period_of(by: GroupBy) -> Option<Period> {
    match by {
        GroupBy::Year => Some(Period::Year),
        GroupBy::Month => Some(Period::Month),
        GroupBy::Speech | GroupBy::Site => None,
    }
}

/// The groups of a count per period: every period from `first` to `last`
/// (periods, `yyyy` or `yyyymm`; else the first and the last with a
/// match), those without a match counted as 0, matches outside left out,
/// then the speeches without a date, if any matched.
pub fn period_groups(
    p: &Periods,
    period: Period,
    first: Option<u64>,
    last: Option<u64>,
) -> Vec<Group> {
    let mut known = p.known.clone();
    let first = first.or_else(|| known.keys().next().copied());
    let last = last.or_else(|| known.keys().next_back().copied());
    if let (Some(first), Some(last)) = (first, last) {
        for n in periods(first, last, period == Period::Year) {
            known.entry(n).or_default();
        }
        known.retain(|n, _| (first..=last).contains(n));
    }
    let group = |key: Option<String>, t: &Totals| Group {
        key,
        title: None,
        occurrences: t.occurrences,
        passages: t.passages,
        speeches: t.speeches,
    };
    let mut out: Vec<Group> = known
        .iter()
        .map(|(&n, t)| {
            let key = match period {
                Period::Year => format!("{n:04}"),
                Period::Month => format!("{:04}-{:02}", n / 100, n % 100),
            };
            group(Some(key), t)
        })
        .collect();
    if p.unknown.passages > 0 {
        out.push(group(None, &p.unknown));
    }
    out
}

/// [`period_groups`] of several phrases over one range: the bounds' (days
/// `yyyymmdd`), else the first to the last period any phrase has.
fn period_groups_of(
    all: &[Periods],
    period: Period,
    from: Option<u64>,
    to: Option<u64>,
) -> Vec<Vec<Group>> {
    let known = || all.iter().flat_map(|p| p.known.keys().copied());
    let first = from.and_then(|d| period.of(d)).or_else(|| known().min());
    let last = to.and_then(|d| period.of(d)).or_else(|| known().max());
    all.iter()
        .map(|p| period_groups(p, period, first, last))
        .collect()
}

/// [`groups`] of several phrases, laid out alike so they line up as series
/// of one chart or table: years and months over one range (the bounds,
/// else the first to the last period any phrase has), and each site under
/// the spelling most of all the phrases' matches carry.
pub fn groups_of(
    counts: &[Counts],
    by: GroupBy,
    from: Option<u64>,
    to: Option<u64>,
) -> Vec<Vec<Group>> {
    use std::collections::BTreeMap;
    if let Some(period) = period_of(by) {
        let all: Vec<Periods> = counts
            .iter()
            .map(|c| Periods::of_tallies(&c.tallies, period))
            .collect();
        return period_groups_of(&all, period, from, to);
    }
    let mut out: Vec<Vec<Group>> = counts.iter().map(|c| groups(c, by, from, to)).collect();
    if by == GroupBy::Site && counts.len() > 1 {
        let mut spellings: BTreeMap<String, BTreeMap<String, usize>> = BTreeMap::new();
        for t in counts.iter().flat_map(|c| &c.tallies) {
            if let Some(site) = &t.site {
                *spellings
                    .entry(crate::fold::fold(site))
                    .or_default()
                    .entry(site.clone())
                    .or_default() += 1;
            }
        }
        for g in out.iter_mut().flatten() {
            if let Some(key) = &g.key
                && let Some(all) = spellings.get(&crate::fold::fold(key))
            {
                g.key = crate::query::stats::usual_spelling(all).map(str::to_owned);
            }
        }
    }
    out
}

/// The counts of several phrases by `by` within `bounds`: each phrase's
/// totals and its groups, laid out alike ([`groups_of`]). Counting needs no
/// text (the postings' fast path); titles and sites are read only when the
/// groups show them, and years and months are counted as the postings are
/// read, with no tally per passage ([`Store::periods_in`]).
pub fn grouped_in(
    store: Store<'_>,
    phrases: &[String],
    by: GroupBy,
    bounds: &Bounds,
) -> Result<Vec<(Totals, Vec<Group>)>, MentionsError> {
    if let Some(period) = period_of(by) {
        let all = phrases
            .iter()
            .map(|p| store.periods_in(p, period, bounds))
            .collect::<Result<Vec<Periods>, _>>()?;
        let groups = period_groups_of(&all, period, bounds.since, bounds.until);
        return Ok(all.iter().map(Periods::totals).zip(groups).collect());
    }
    let detail = Detail {
        title: by == GroupBy::Speech,
        site: by == GroupBy::Site,
    };
    let mut counts = Vec::with_capacity(phrases.len());
    for phrase in phrases {
        counts.push(store.count_in(phrase, detail, bounds)?);
    }
    let groups = groups_of(&counts, by, bounds.since, bounds.until);
    Ok(counts.iter().map(Totals::from).zip(groups).collect())
}

/// Every year (`yyyy`) or month (`yyyymm`) from `first` to `last`, both
/// included.
fn periods(first: u64, last: u64, years: bool) -> Vec<u64> {
    let mut out = Vec::new();
    let mut p = first;
    while p <= last {
        out.push(p);
        p = if years || p % 100 < 12 {
            p + 1
        } else {
            (p / 100 + 1) * 100 + 1
        };
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{hit_lines, periods};
    use crate::query::mentions::{Finder, Hit};
    use proptest::prelude::*;

    fn hit(text: &str, needle: &str) -> Hit {
        let needle = crate::fold::fold(needle);
        let found = Finder::new(&needle).spans_in(text, &mut String::new());
        Hit {
            doc_id: "0".into(),
            passage: Some(0),
            title: None,
            date: None,
            site: None,
            source: "a.txt".into(),
            section: String::new(),
            text: text.into(),
            spans: found.chars,
            bytes: found.bytes,
            mojibake: false,
        }
    }

    proptest! {
        /// The lines' slices are the chars of each span and of its context,
        /// as a copy of the text's chars would give them, whatever the
        /// mix of one- to four-byte chars and however the contexts overlap.
        #[test]
        fn lines_slice_the_spans_and_their_context(
            text in "[aéＡ发發𠀀 ]{0,120}",
            needle in "[aé发發𠀀]{1,2}",
            context in prop_oneof![0usize..6, 30usize..50],
        ) {
            let h = hit(&text, &needle);
            let chars: Vec<char> = text.chars().collect();
            let cut = |a: usize, b: usize| chars[a..b].iter().collect::<String>();
            let lines = hit_lines(&h, context);
            prop_assert_eq!(lines.len(), h.spans.len());
            for (l, &(s, e)) in lines.iter().zip(&h.spans) {
                prop_assert_eq!(l.span, (s, e));
                prop_assert_eq!(l.left, cut(s.saturating_sub(context), s));
                prop_assert_eq!(l.matched, cut(s, e));
                prop_assert_eq!(l.right, cut(e, (e + context).min(chars.len())));
            }
        }
    }

    #[test]
    fn periods_run_without_gaps() {
        assert_eq!(
            periods(202311, 202402, false),
            [202311, 202312, 202401, 202402]
        );
        assert_eq!(periods(2020, 2022, true), [2020, 2021, 2022]);
        assert!(periods(2024, 2023, true).is_empty());
    }
}
