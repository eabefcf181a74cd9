//! The page's own claims about its title and publish date, read from the
//! markup: `<meta>` tags (`ArticleTitle`, `og:title`, `PubDate`,
//! `article:published_time`, …), `<title>` without its site suffix, the
//! `<h1>` headings, `<time>` and a `publish_time` element (WeChat copies).
//!
//! These are candidates only. Templates fill them carelessly (a CMS puts
//! the first line of the text in `ArticleTitle`, whatever that line is), so
//! nothing here is used unless it agrees with the body: that is decided
//! later, by [`crate::pipeline::page_meta`], on the cleaned text.

use scraper::{ElementRef, Html, Node};

use super::super::{Deadline, Expired};

/// Title and date candidates a page states in its markup, in order of
/// trust (the first agreeing one wins).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageMeta {
    /// Stated titles: `ArticleTitle`-like `<meta>`, `og:title`, then
    /// `<title>` without its site suffix (`_站名`, ` - 站名`). Whitespace
    /// collapsed; no empty entry; no repeats.
    pub titles: Vec<String>,
    /// The text of the page's first `<h1>` headings (a logo can be one, so
    /// these are trusted after [`PageMeta::titles`]).
    pub headings: Vec<String>,
    /// Publish dates as `YYYY-MM-DD` (only real calendar dates), from
    /// `PubDate`-like `<meta>`, `article:published_time`, `<time>` and a
    /// `publish_time` element, in that order.
    pub dates: Vec<String>,
}

/// `<meta name=…>` / `<meta property=…>` keys that hold the article title.
const TITLE_KEYS: &[&str] = &[
    "articletitle",
    "og:title",
    "twitter:title",
    "title",
    "dc.title",
];

/// `<meta>` keys that hold the publish date.
const DATE_KEYS: &[&str] = &[
    "pubdate",
    "publishdate",
    "publish_date",
    "article:published_time",
    "og:release_date",
    "dc.date",
    "dc.date.issued",
    "firstpublishedtime",
    "publishtime",
];

/// At most this many `<h1>` headings are read (a page with hundreds is a
/// listing, not an article).
const MAX_H1: usize = 4;

/// At most this many `<time>` / `publish_time` elements are read.
const MAX_DATES: usize = 8;

/// Longest `<h1>` text read (titles are at most 80 characters).
const MAX_TITLE_CHARS: usize = 200;

/// The first `max` characters of an element's text: enough for a date or
/// a title, and never the whole subtree of an element that wraps the page.
fn short_text(element: ElementRef<'_>, max: usize) -> String {
    element.text().flat_map(str::chars).take(max).collect()
}

/// Reads the candidates in one pass over the parsed page.
pub fn page_meta(html: &Html, deadline: &Deadline) -> Result<PageMeta, Expired> {
    let mut meta_titles: Vec<(usize, String)> = Vec::new();
    let mut h1s: Vec<String> = Vec::new();
    let mut doc_title: Option<String> = None;
    let mut meta_dates: Vec<(usize, String)> = Vec::new();
    let mut body_dates: Vec<String> = Vec::new();
    for (step, node) in html.tree.nodes().enumerate() {
        deadline.check_at(step)?;
        let Node::Element(element) = node.value() else {
            continue;
        };
        match element.name() {
            "meta" => {
                let key = element
                    .attr("name")
                    .or_else(|| element.attr("property"))
                    .or_else(|| element.attr("itemprop"))
                    .unwrap_or("")
                    .trim()
                    .to_ascii_lowercase();
                let content = element.attr("content").unwrap_or("");
                if let Some(rank) = TITLE_KEYS.iter().position(|k| *k == key) {
                    let text = collapse(content);
                    if !text.is_empty() {
                        meta_titles.push((rank, text));
                    }
                } else if let Some(rank) = DATE_KEYS.iter().position(|k| *k == key)
                    && let Some(date) = parse_date(content)
                {
                    meta_dates.push((rank, date));
                }
            }
            "title" if doc_title.is_none() => {
                if let Some(el) = ElementRef::wrap(node) {
                    let text = without_site_suffix(&collapse(&el.text().collect::<String>()));
                    if !text.is_empty() {
                        doc_title = Some(text);
                    }
                }
            }
            "h1" if h1s.len() < MAX_H1 => {
                if let Some(el) = ElementRef::wrap(node) {
                    let text = collapse(&short_text(el, MAX_TITLE_CHARS));
                    if !text.is_empty() {
                        h1s.push(text);
                    }
                }
            }
            name if body_dates.len() < MAX_DATES
                && (name == "time" || element.id() == Some("publish_time")) =>
            {
                let date = element.attr("datetime").and_then(parse_date).or_else(|| {
                    ElementRef::wrap(node).and_then(|el| parse_date(&short_text(el, 40)))
                });
                body_dates.extend(date);
            }
            _ => {}
        }
    }
    meta_titles.sort_by_key(|(rank, _)| *rank);
    meta_dates.sort_by_key(|(rank, _)| *rank);
    let mut out = PageMeta::default();
    for title in meta_titles.into_iter().map(|(_, t)| t).chain(doc_title) {
        if !out.titles.contains(&title) {
            out.titles.push(title);
        }
    }
    out.headings = h1s;
    for date in meta_dates.into_iter().map(|(_, d)| d).chain(body_dates) {
        if !out.dates.contains(&date) {
            out.dates.push(date);
        }
    }
    Ok(out)
}

/// Runs of whitespace (and `&nbsp;`) to one space, trimmed.
fn collapse(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c == '\u{a0}')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Separators between a page's title and the names of its column and site
/// in `<title>`: `讲话_领导活动_某市政府网`, `讲话 - 某某网`, `讲话|某某网`.
const SITE_SEPARATORS: &[&str] = &["_", " - ", " – ", " — ", "|", "｜", " -- "];

/// The first segment of a `<title>` before a site separator.
pub fn without_site_suffix(title: &str) -> String {
    let cut = SITE_SEPARATORS
        .iter()
        .filter_map(|sep| title.find(sep))
        .filter(|&at| at > 0)
        .min()
        .unwrap_or(title.len());
    title[..cut].trim().to_owned()
}

/// A date as `YYYY-MM-DD` when `text` starts with a real calendar date:
/// `2024-03-05`, `2024/3/5 09:12`, `2024年3月5日`, `2024-03-05T08:00:00+08:00`,
/// `20240305`.
pub fn parse_date(text: &str) -> Option<String> {
    let t = text.trim();
    let digits: Vec<&str> = t
        .split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .take(3)
        .collect();
    let (y, m, d) = match digits.as_slice() {
        [ymd] if ymd.len() == 8 => (&ymd[..4], &ymd[4..6], &ymd[6..]),
        [y, m, d, ..] if y.len() == 4 && m.len() <= 2 && d.len() <= 2 => (*y, *m, *d),
        _ => return None,
    };
    // The date must open the text (after no more than a label-free start).
    if !t.starts_with(|c: char| c.is_ascii_digit()) {
        return None;
    }
    let (y, m, d): (u32, u32, u32) = (y.parse().ok()?, m.parse().ok()?, d.parse().ok()?);
    let leap = (y.is_multiple_of(4) && !y.is_multiple_of(100)) || y.is_multiple_of(400);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return None,
    };
    ((1900..=2100).contains(&y) && (1..=days).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
}

/// Folded, without whitespace: the form titles are compared in.
pub fn squash(text: &str) -> String {
    crate::fold::fold(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// Whether a stated title and a line (both [`squash`]ed) agree: equal, or
/// one opens the other and the shorter has six characters or more.
pub fn agrees(title: &str, line: &str) -> bool {
    if title.is_empty() || line.is_empty() {
        return false;
    }
    let shorter = title.chars().count().min(line.chars().count());
    title == line || (shorter >= 6 && (title.starts_with(line) || line.starts_with(title)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(html: &str) -> PageMeta {
        page_meta(&Html::parse_document(html), &Deadline::never()).expect("no deadline")
    }

    #[test]
    fn titles_in_order_of_trust() {
        let m = meta(
            r#"<html><head><title>在大会上的讲话_领导活动_某某市政府网</title>
            <meta property="og:title" content="在大会上的讲话（摘要）">
            <meta name="ArticleTitle" content=" 在大会上的讲话 "></head>
            <body><h1>在大会上的讲话</h1></body></html>"#,
        );
        assert_eq!(m.titles, ["在大会上的讲话", "在大会上的讲话（摘要）"]);
        assert_eq!(m.headings, ["在大会上的讲话"]);
    }

    #[test]
    fn site_suffixes_come_off_the_title() {
        assert_eq!(without_site_suffix("讲话稿 - 某某网"), "讲话稿");
        assert_eq!(without_site_suffix("讲话稿_栏目_某某网"), "讲话稿");
        assert_eq!(without_site_suffix("讲话稿|某某网"), "讲话稿");
        assert_eq!(without_site_suffix("讲话稿"), "讲话稿");
        assert_eq!(without_site_suffix("_讲话稿"), "_讲话稿");
    }

    #[test]
    fn dates_from_meta_time_and_publish_time() {
        let m = meta(
            r#"<html><head><meta name="PubDate" content="2023-11-02 09:30">
            <meta property="article:published_time" content="2023-11-02T09:30:00+08:00"></head>
            <body><time datetime="2023-11-03">11月3日</time><em id="publish_time">2023年11月4日 10:00</em></body></html>"#,
        );
        assert_eq!(m.dates, ["2023-11-02", "2023-11-03", "2023-11-04"]);
    }

    #[test]
    fn only_real_dates() {
        assert_eq!(parse_date("2024/2/29"), Some("2024-02-29".into()));
        assert_eq!(parse_date("20240305"), Some("2024-03-05".into()));
        assert_eq!(parse_date("2023-02-29"), None);
        assert_eq!(parse_date("2023-13-01"), None);
        assert_eq!(parse_date(""), None);
        assert_eq!(parse_date("发布于2023-01-01"), None);
        assert_eq!(parse_date("12345-01-01"), None);
        assert_eq!(parse_date("0000-01-01"), None);
    }
}
