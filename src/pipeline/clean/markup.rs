//! Markup left in text: tags a scraper kept as characters
//! (`<video id="aazt7"><input id="aazt7"></input></video>`, `<br/>`), often
//! by the hundred in pages built to poison scrapers.
//!
//! A tag is cut out only when its name is an HTML element's, so `<5%` or a
//! `<某某>` in a sentence is never taken for one (book titles use 《》, and an
//! ASCII `<` before a digit or Chinese is no tag).

use std::sync::LazyLock;

use regex::Regex;

use super::{Hit, Line};

/// An HTML start, end or empty tag of a known element.
static TAG: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(concat!(
        r"(?i)</?(?:a|abbr|b|big|blockquote|br|button|center|cite|code|dd|del|dfn|div|dl|dt|em|",
        r"font|form|h[1-6]|hr|i|iframe|img|input|ins|kbd|label|li|map|mark|object|ol|option|p|",
        r"pre|q|s|samp|select|small|source|span|strike|strong|sub|sup|table|tbody|td|textarea|",
        r"tfoot|th|thead|time|tr|tt|u|ul|var|video|audio|section|article|header|footer|nav|",
        r"aside|figure|figcaption|meta|link|script|style|noscript|dfn|acronym|address|area)",
        r#"(?:\s+[a-z_:][-a-z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'<>]+))?)*\s*/?>"#,
    ))
    .expect("constant tag pattern")
});

pub(super) fn find(line: &Line) -> Option<Hit> {
    if !line.folded.contains('<') {
        return None;
    }
    let m = TAG.find(line.folded)?;
    Some(Hit {
        span: m.range(),
        facts: Vec::new(),
        elided: None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(s: &str) -> Option<String> {
        super::super::cut_by(find, s)
    }

    #[test]
    fn tags_are_cut_and_comparisons_are_not() {
        assert_eq!(
            cut(r#"<ins id="x7"><b id='x7'>"#),
            Some(r#"<ins id="x7">"#.into())
        );
        assert_eq!(cut("会议强调<br/>要抓好落实"), Some("<br/>".into()));
        assert_eq!(cut("</video>"), Some("</video>".into()));
        assert_eq!(cut("增速<5%的地区要加快追赶"), None);
        assert_eq!(cut("要把<招商>放在首位"), None);
        assert_eq!(cut("a<b 且 b>c"), None);
    }
}
