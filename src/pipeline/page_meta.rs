//! Stage 5b, page meta: the title and date an HTML page states in its
//! markup ([`PageMeta`], read by extract), used where structure found none
//! and only where they agree with the body.
//!
//! Templates fill `<meta name="ArticleTitle">` and `<title>` carelessly (a
//! CMS copies the first line of the text into them, whatever that line
//! is), so a stated title is taken only when it agrees with the speech's
//! first passage: equal to it, or one opening the other (six characters or
//! more; a meta title is often cut short), and that passage looks like a
//! title (short, no sentence punctuation, no section marker: the cleaner
//! has already removed chrome lines, so a chrome line a template copied is
//! not there to agree with). The passage then becomes the title (in the
//! body's wording), as structure does with a title line: it and its
//! repeats right after it go to `removed` as `title`. The `<h1>` headings
//! are tried after the stated titles.
//!
//! A stated date (`PubDate`, `article:published_time`, `<time>`, …) is
//! already a checked `YYYY-MM-DD`; it fills in the date of every speech
//! that has none. Dates found in the text always win.

use super::clean::{NoiseClass, Removed};
use super::extract::{PageMeta, agrees, squash};
use super::heading;
use super::structure::Speech;

/// Fills in titles and dates from the page's stated ones (see the module
/// documentation). Changes nothing when `meta` is empty (plain text).
pub fn adopt(speeches: &mut [Speech], meta: &PageMeta) {
    if let Some(date) = meta.dates.first() {
        for speech in speeches.iter_mut().filter(|s| s.date.is_none()) {
            speech.date = Some(date.clone());
        }
    }
    if let Some(first) = speeches.first_mut()
        && first.title.is_none()
    {
        adopt_title(first, meta);
    }
}

fn adopt_title(speech: &mut Speech, meta: &PageMeta) {
    // A speech of one passage keeps it: its only text is not a title.
    if speech.passages.len() < 2 {
        return;
    }
    let first = &speech.passages[0];
    let folded = crate::fold::fold(&first.text);
    if !heading::is_title_like(&folded) || heading::is_salutation(&folded) {
        return;
    }
    let line = squash(&first.text);
    if !meta
        .titles
        .iter()
        .chain(&meta.headings)
        .any(|t| agrees(&squash(t), &line))
    {
        return;
    }
    let title = first.text.clone();
    let repeats = speech
        .passages
        .iter()
        .take_while(|p| squash(&p.text) == line)
        .count();
    for passage in speech.passages.drain(..repeats) {
        for line in passage.lines {
            speech.removed.push(Removed {
                line,
                text: passage.text.clone(),
                class: NoiseClass::Title,
                repair: false,
            });
        }
    }
    speech.removed.sort_by_key(|r| r.line);
    for (no, passage) in speech.passages.iter_mut().enumerate() {
        passage.no = no;
    }
    speech.title = Some(title);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::process;

    fn page(head: &str, body: &str) -> String {
        format!("<!doctype html><html><head>{head}</head><body>{body}</body></html>")
    }

    const BODY: &str = "<div class=content><p>在全区秋收工作会上的几句话</p><p>同志们:</p>\
        <p>今天开会,主要是把秋收秋种的事情安排好,一项一项落到实处。</p></div>";

    #[test]
    fn a_stated_title_that_agrees_with_the_first_line_is_taken() {
        let html = page(
            r#"<meta name="ArticleTitle" content="在全区秋收工作会上的几句话">"#,
            BODY,
        );
        let out = process(html.as_bytes()).expect("a page");
        let speech = &out.speeches[0];
        assert_eq!(speech.title.as_deref(), Some("在全区秋收工作会上的几句话"));
        assert_eq!(speech.passages[0].text, "同志们:");
        assert_eq!(speech.passages[0].no, 0);
        assert!(speech.removed.iter().any(|r| r.class == NoiseClass::Title));
    }

    #[test]
    fn a_cut_or_suffixed_title_still_agrees() {
        let html = page("<title>在全区秋收工作会上 - 某某区政府网</title>", BODY);
        let out = process(html.as_bytes()).expect("a page");
        assert_eq!(
            out.speeches[0].title.as_deref(),
            Some("在全区秋收工作会上的几句话")
        );
    }

    #[test]
    fn a_title_that_disagrees_is_not_used() {
        let html = page(
            r#"<meta property="og:title" content="某某区政府网首页">"#,
            BODY,
        );
        let out = process(html.as_bytes()).expect("a page");
        // The title comes from the body's own title line, never the
        // site's name the page states.
        assert_eq!(
            out.speeches[0].title.as_deref(),
            Some("在全区秋收工作会上的几句话")
        );
        assert!(
            out.speeches[0]
                .passages
                .iter()
                .all(|p| !p.text.contains("某某区政府网"))
        );
    }

    #[test]
    fn a_sentence_is_never_a_title() {
        let body = "<div><p>今天开会,主要是把秋收的事情安排好。</p><p>散会。</p></div>";
        let html = page(
            r#"<meta name="ArticleTitle" content="今天开会,主要是把秋收的事情安排好。">"#,
            body,
        );
        let out = process(html.as_bytes()).expect("a page");
        assert_eq!(out.speeches[0].title, None);
    }

    #[test]
    fn a_stated_date_fills_in_only_a_missing_date() {
        let html = page(r#"<meta name="PubDate" content="2022-09-30 10:00">"#, BODY);
        let out = process(html.as_bytes()).expect("a page");
        assert_eq!(out.speeches[0].date.as_deref(), Some("2022-09-30"));
        let body = format!("<p>发布时间:2022-10-08</p>{BODY}");
        let html = page(r#"<meta name="PubDate" content="2022-09-30">"#, &body);
        let out = process(html.as_bytes()).expect("a page");
        assert_eq!(out.speeches[0].date.as_deref(), Some("2022-10-08"));
    }
}
