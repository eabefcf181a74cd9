//! Mentions of a phrase per year or month: what `mentions --by year|month`
//! and the web page's chart count.
//!
//! A frequent phrase (的 is in most of the passages) has millions of
//! matching passages in a large folder. Counting them into a tally each
//! ([`mentions::count_in`]) and grouping those would hold all of them at
//! once; here each match is added to its period as the postings are read,
//! so the work is one pass over the postings and memory holds one entry per
//! period. The periods equal the grouping of the tallies
//! ([`Periods::of_tallies`], which the other paths use): a speech has one
//! date, so all its passages fall in one period, and its passages are
//! contiguous in one segment (see `index::schema`), so a speech is counted
//! once where its key changes.

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::index::SpeechIndex;
use crate::query::filter::Bounds;
use crate::query::mentions::{self, Detail, MentionsError, Sink, Tally, TallyColumns, Totals};

/// Years or months.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    /// A period is a year, `yyyy`.
    Year,
    /// A period is a month, `yyyymm`.
    Month,
}

impl Period {
    /// The period of a day `yyyymmdd`; `None` for an unknown day (0).
    pub fn of(self, day: u64) -> Option<u64> {
        match (day, self) {
            (0, _) => None,
            (d, Period::Year) => Some(d / 10_000),
            (d, Period::Month) => Some(d / 100),
        }
    }
}

/// The counts of a phrase per period of its speeches' dates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Periods {
    /// Per period (`yyyy` or `yyyymm`) with a match, in order.
    pub known: BTreeMap<u64, Totals>,
    /// The matches in speeches without a date.
    pub unknown: Totals,
}

impl Periods {
    /// The totals over every period (a speech is in one period only).
    pub fn totals(&self) -> Totals {
        let mut t = self.unknown;
        for p in self.known.values() {
            t.occurrences += p.occurrences;
            t.passages += p.passages;
            t.speeches += p.speeches;
        }
        t
    }

    /// The periods of tallies (of [`mentions::count_in`]), in any order.
    pub fn of_tallies(tallies: &[Tally], period: Period) -> Periods {
        let mut out = Periods::default();
        let mut seen: HashSet<(Option<u64>, u64)> = HashSet::new();
        for t in tallies {
            let p = period.of(t.day);
            let slot = match p {
                Some(p) => out.known.entry(p).or_default(),
                None => &mut out.unknown,
            };
            slot.occurrences += t.occurrences;
            slot.passages += 1;
            if seen.insert((p, t.doc_key)) {
                slot.speeches += 1;
            }
        }
        out
    }
}

/// Counts a phrase per period within `bounds`, from the postings when the
/// index can tell, else from the verified mentions.
pub fn periods_in(
    idx: &SpeechIndex,
    phrase: &str,
    period: Period,
    bounds: &Bounds,
) -> Result<Periods, MentionsError> {
    let sink = PeriodSink {
        period,
        bounds,
        slots: Vec::new(),
        slot_of: HashMap::new(),
        last_day: None,
        last_key: None,
        columns: None,
    };
    Ok(match mentions::counted(idx, phrase, sink)? {
        Ok(sink) => sink.periods(),
        Err(verified) => {
            let mut tallies = verified.tallies;
            tallies.retain(|t| {
                bounds.admits(t.site.as_deref(), t.day) && bounds.admits_speech(t.doc_key)
            });
            Periods::of_tallies(&tallies, period)
        }
    })
}

/// Adds each match to its period.
struct PeriodSink<'b> {
    period: Period,
    bounds: &'b Bounds,
    /// Counts of each period met, in the order met.
    slots: Vec<(Option<u64>, Totals)>,
    /// Where each period's counts are in `slots`.
    slot_of: HashMap<Option<u64>, usize>,
    /// The day of the last match and its slot: a speech's passages share
    /// their day, so the map is seldom asked.
    last_day: Option<(u64, usize)>,
    /// The speech of the last match in this segment.
    last_key: Option<u64>,
    columns: Option<TallyColumns>,
}

impl PeriodSink<'_> {
    fn periods(self) -> Periods {
        let mut out = Periods::default();
        for (p, t) in self.slots {
            match p {
                Some(p) => {
                    out.known.insert(p, t);
                }
                None => out.unknown = t,
            }
        }
        out
    }
}

impl Sink for PeriodSink<'_> {
    fn segment(&mut self, seg: &tantivy::SegmentReader) -> tantivy::Result<()> {
        // A site is read only when the bounds name one.
        let detail = Detail {
            title: false,
            site: self.bounds.site_key.is_some(),
        };
        self.columns = Some(TallyColumns::of(seg, detail)?);
        self.last_key = None;
        Ok(())
    }

    fn add(&mut self, doc: tantivy::DocId, n: usize) {
        let Some(c) = self.columns.as_mut() else {
            return;
        };
        let (key, day) = (c.keys.get_val(doc), c.days.get_val(doc));
        if !self.bounds.is_empty() {
            let site = if self.bounds.site_key.is_some() {
                c.sites.get(doc)
            } else {
                None
            };
            if !self.bounds.admits(site.as_deref(), day) || !self.bounds.admits_speech(key) {
                return;
            }
        }
        let slot = match self.last_day {
            Some((d, slot)) if d == day => slot,
            _ => {
                let p = self.period.of(day);
                let next = self.slots.len();
                let slot = *self.slot_of.entry(p).or_insert(next);
                if slot == next {
                    self.slots.push((p, Totals::default()));
                }
                self.last_day = Some((day, slot));
                slot
            }
        };
        let t = &mut self.slots[slot].1;
        t.occurrences += n;
        t.passages += 1;
        if self.last_key != Some(key) {
            self.last_key = Some(key);
            t.speeches += 1;
        }
    }
}
