//! Dates without a label: what date does the top of a speech give?
//!
//! Labelled publish stamps (`发表时间:…`) are the cleaner's
//! ([`super::clean`] hands them on as facts). This module finds the dates
//! pages print without such a label, near the title:
//!
//! - a line holding only a date (`2024-07-30`, `2017年08月19日 21:39`,
//!   `(2023年5月6日)`, an official document's signing date under its issuer);
//! - a date in a short metadata line after a posting word or before the
//!   line's junk (`某某 发表于 2013-1-25 22:15:35 | 只看该作者`);
//! - the date of a byline (`——2016年1月6日在市人民代表大会上`).
//!
//! Pure functions of folded text; a date is `YYYY-MM-DD`.

use std::sync::LazyLock;

use regex::Regex;

/// How many pieces from the top of a speech a date is looked for in.
pub const SCAN_PIECES: usize = 30;
/// A metadata line longer than this is prose, and its dates are not the
/// page's.
const MAX_META_CHARS: usize = 80;

/// Year, month and day, with the separators pages use.
const YMD: &str = r"(\d{4})\s*[年/.\-]\s*(\d{1,2})\s*[月/.\-]\s*(\d{1,2})\s*日?";

/// A line that is only a date, with an optional time and weekday, possibly
/// in brackets.
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"^[\s*?•·]*[(（\[【]?\s*{YMD}\s*[)）\]】]?(?:\s*\d{{1,2}}:\d{{2}}(?::\d{{2}})?)?(?:\s*(?:星期|周)[一二三四五六日天])?\s*$"
    ))
    .expect("constant date pattern")
});

/// A date after a posting word (`发表于`, `发布于`, `更新于`, `写于`).
static POSTED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"(?:发表|发布|更新|写|撰)于\s*[::]?\s*{YMD}"))
        .expect("constant date pattern")
});

/// A date at the start of a metadata line, followed by a time or by a
/// space and more (`2014-03-14 来源:…`).
static LEADING: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(r"^[\s*?•·]*{YMD}(?:\s+|\d{{1,2}}:\d{{2}})"))
        .expect("constant date pattern")
});

/// A byline's date: `——2016年1月6日在…上`, `(2019年2月26日在…)`.
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^[^\p{Han}\d]{0,4}(\d{4})年(\d{1,2})月(\d{1,2})日(?:在|于)")
        .expect("constant date pattern")
});

/// The `YYYY-MM-DD` form of a year, month and day, when they make a date.
fn ymd(y: &str, m: &str, d: &str) -> Option<String> {
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    ((1949..=2100).contains(&y) && (1..=12).contains(&m) && (1..=31).contains(&d))
        .then(|| format!("{y:04}-{m:02}-{d:02}"))
}

fn date_of(re: &Regex, folded: &str) -> Option<String> {
    let c = re.captures(folded)?;
    ymd(&c[1], &c[2], &c[3])
}

/// The date of a post line (`发表于 2013-1-25`, `发布于…`), wherever it is
/// in the line.
pub fn posted(folded: &str) -> Option<String> {
    date_of(&POSTED, folded)
}

/// Whether a line holds only a date (and maybe a time or weekday).
pub fn is_date_line(folded: &str) -> bool {
    date_of(&BARE, folded).is_some()
}

/// A date found near the top of a speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// `YYYY-MM-DD`.
    pub date: String,
    /// Index of the piece it was found in.
    pub index: usize,
    /// The piece holds nothing but the date.
    pub whole: bool,
}

/// The date one line gives, if any, and whether the line is only that date.
pub fn in_line(folded: &str) -> Option<(String, bool)> {
    let t = folded.trim();
    if let Some(d) = date_of(&BARE, t) {
        return Some((d, true));
    }
    if t.chars().count() > MAX_META_CHARS {
        return None;
    }
    date_of(&POSTED, t)
        .or_else(|| date_of(&BYLINE, t))
        .or_else(|| date_of(&LEADING, t).filter(|_| !super::heading::ends_sentence(t)))
        .map(|d| (d, false))
}

/// The first unlabelled date among the first [`SCAN_PIECES`] pieces of a
/// speech (their folded texts).
pub fn find<S: AsRef<str>>(folded: &[S]) -> Option<Found> {
    folded
        .iter()
        .take(SCAN_PIECES)
        .enumerate()
        .find_map(|(index, f)| {
            in_line(f.as_ref()).map(|(date, whole)| Found { date, index, whole })
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_date_lines() {
        assert_eq!(in_line("2024-07-30"), Some(("2024-07-30".into(), true)));
        assert_eq!(
            in_line("2019年08月09日 21:39"),
            Some(("2019-08-09".into(), true))
        );
        assert_eq!(in_line("(2022年2月8日)"), Some(("2022-02-08".into(), true)));
        assert_eq!(in_line("2011/9/4"), Some(("2011-09-04".into(), true)));
        assert_eq!(
            in_line("2025年10月8日 星期三"),
            Some(("2025-10-08".into(), true))
        );
        assert!(is_date_line("2021年3月5日"));
        assert!(!is_date_line("2021年3月5日上午,全县大会召开。"));
        assert!(!is_date_line("2021年工作回顾"));
    }

    #[test]
    fn dates_in_metadata_and_bylines() {
        assert_eq!(
            in_line("老张 发表于 2012-3-5 10:15:35 | 只看该作者"),
            Some(("2012-03-05".into(), false))
        );
        assert_eq!(
            in_line("——2016年1月9日在市第十届人民代表大会第三次会议上"),
            Some(("2016-01-09".into(), false))
        );
        assert_eq!(
            in_line("2014-03-14   作者:本站"),
            Some(("2014-03-14".into(), false))
        );
    }

    #[test]
    fn no_date_in_prose_or_impossible_dates() {
        assert_eq!(in_line("2021年3月5日上午,全县大会召开。"), None);
        assert_eq!(in_line("2021年13月5日"), None);
        assert_eq!(in_line("2018年,全镇财政收入增长了两成。"), None);
        assert_eq!(find(&["同志们:", "今天开会。"]), None);
        assert_eq!(
            find(&["在大会上的讲话", "2020-05-06", "同志们:"]),
            Some(Found {
                date: "2020-05-06".into(),
                index: 1,
                whole: true
            })
        );
    }
}
