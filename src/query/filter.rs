//! [`Filter`]: which speeches a query looks at, by site and by date.
//!
//! `search` and `mentions` take the same `--site`, `--since` and `--until`.
//! A site is compared in its folded form, whole (`新文秘網` is `新文秘网`);
//! dates are `YYYY-MM-DD`, `YYYY-MM` or `YYYY`, rounded down for `since`
//! and up for `until`. A date bound leaves out speeches with no date. This
//! module only turns the options into bounds and tantivy clauses; it never
//! reads the index.

use std::ops::Bound;

use tantivy::Term;
use tantivy::query::{ConstScoreQuery, Occur, Query, RangeQuery, TermQuery};
use tantivy::schema::IndexRecordOption;

use crate::index::schema::Fields;

/// The speeches a query is limited to, as the user typed them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Filter {
    /// Only speeches from this site (compared folded, whole).
    pub site: Option<String>,
    /// Only speeches dated on or after (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub since: Option<String>,
    /// Only speeches dated on or before (`YYYY-MM-DD`, `YYYY-MM` or `YYYY`).
    pub until: Option<String>,
}

/// A date option that is not a date.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a date: use YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-05-21)")]
pub struct BadDate(pub String);

/// A [`Filter`] worked out: the folded site and the days as `yyyymmdd`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Bounds {
    /// The folded site, if any.
    pub site_key: Option<String>,
    /// First day admitted (`yyyymmdd`), if bounded below.
    pub since: Option<u64>,
    /// Last day admitted (`yyyymmdd`), if bounded above.
    pub until: Option<u64>,
    /// Only this speech ([`crate::index::DocId::key`]), if any: set by
    /// callers that resolved an id (the web API's `speech=`).
    pub speech: Option<u64>,
}

impl Filter {
    /// The bounds of the filter, or the date that cannot be read.
    pub fn bounds(&self) -> Result<Bounds, BadDate> {
        let day = |d: &Option<String>, up: bool| {
            d.as_ref()
                .map(|d| day_bound(d, up).ok_or_else(|| BadDate(d.clone())))
                .transpose()
        };
        Ok(Bounds {
            site_key: self
                .site
                .as_deref()
                .map(|s| crate::fold::fold(s.trim()))
                .filter(|s| !s.is_empty()),
            since: day(&self.since, false)?,
            until: day(&self.until, true)?,
            speech: None,
        })
    }
}

impl Bounds {
    /// Whether the filter admits every speech.
    pub fn is_empty(&self) -> bool {
        self.site_key.is_none() && !self.dated() && self.speech.is_none()
    }

    /// Whether a date bound is given (speeches without a date are then left out).
    pub fn dated(&self) -> bool {
        self.since.is_some() || self.until.is_some()
    }

    /// Whether the speech `doc_key` passes the speech bound.
    pub fn admits_speech(&self, doc_key: u64) -> bool {
        self.speech.is_none_or(|k| k == doc_key)
    }

    /// Whether a speech with this site (as stored) and day (`yyyymmdd`, 0:
    /// unknown) passes (the speech bound aside: [`Bounds::admits_speech`]).
    pub fn admits(&self, site: Option<&str>, day: u64) -> bool {
        let site_ok = match &self.site_key {
            None => true,
            Some(key) => site.is_some_and(|s| crate::fold::fold(s) == *key),
        };
        let day_ok = !self.dated()
            || (day > 0
                && self.since.is_none_or(|d| day >= d)
                && self.until.is_none_or(|d| day <= d));
        site_ok && day_ok
    }

    /// The tantivy clauses that keep the admitted documents (all `Must`,
    /// scoring nothing); none for an empty filter.
    pub fn clauses(&self, f: &Fields) -> Vec<(Occur, Box<dyn Query>)> {
        let mut out: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        if let Some(key) = &self.site_key {
            let q = TermQuery::new(
                Term::from_field_text(f.site_key, key),
                IndexRecordOption::Basic,
            );
            out.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
            ));
        }
        if let Some(key) = self.speech {
            let id = crate::index::DocId::from_key(key);
            let q = TermQuery::new(
                Term::from_field_text(f.doc_id, id.as_str()),
                IndexRecordOption::Basic,
            );
            out.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(q), 0.0)),
            ));
        }
        if self.dated() {
            let lower = Bound::Included(Term::from_field_u64(f.day, self.since.unwrap_or(1)));
            let upper = match self.until {
                Some(d) => Bound::Included(Term::from_field_u64(f.day, d)),
                None => Bound::Unbounded,
            };
            let range = RangeQuery::new(lower, upper);
            out.push((
                Occur::Must,
                Box::new(ConstScoreQuery::new(Box::new(range), 0.0)),
            ));
        }
        out
    }
}

/// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) → `yyyymmdd`, rounding down or up.
pub fn day_bound(date: &str, up: bool) -> Option<u64> {
    let parts: Vec<&str> = date.trim().split(['-', '/', '.']).collect();
    let num = |i: usize, default: u64| {
        parts
            .get(i)
            .map_or(Some(default), |p| p.parse::<u64>().ok())
    };
    let y = num(0, 0)?;
    let m = num(1, if up { 12 } else { 1 })?;
    let d = num(2, if up { 31 } else { 1 })?;
    ((1000..=9999).contains(&y)
        && (1..=12).contains(&m)
        && (1..=31).contains(&d)
        && parts.len() <= 3)
        .then_some(y * 10_000 + m * 100 + d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_bounds() {
        assert_eq!(day_bound("2024-05-21", false), Some(20240521));
        assert_eq!(day_bound("2024-05", false), Some(20240501));
        assert_eq!(day_bound("2024", true), Some(20241231));
        assert_eq!(day_bound("May 2024", false), None);
        assert_eq!(day_bound("2024-13-01", false), None);
    }

    #[test]
    fn sites_are_compared_folded_and_dates_leave_out_the_undated() {
        let b = Filter {
            site: Some(" 新文秘網 ".into()),
            since: Some("2024".into()),
            until: None,
        }
        .bounds()
        .unwrap();
        assert!(b.admits(Some("新文秘网"), 20240318));
        assert!(b.admits(Some("新文秘網"), 20241231));
        assert!(!b.admits(Some("新文秘网"), 20231231));
        assert!(!b.admits(Some("新文秘网"), 0));
        assert!(!b.admits(Some("某某文秘网"), 20240318));
        assert!(!b.admits(None, 20240318));
        assert!(Filter::default().bounds().unwrap().admits(None, 0));
        assert_eq!(
            Filter {
                until: Some("2024-5-x".into()),
                ..Filter::default()
            }
            .bounds(),
            Err(BadDate("2024-5-x".into()))
        );
    }
}
