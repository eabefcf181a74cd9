//! Stage 2, extract: text → block lines.
//!
//! The cleaner and everything after it work on lines. Plain text already is
//! lines; an HTML page has to be rendered into them first, the way a reader
//! sees it: one line per block, inline markup run together, scripts, styles
//! and navigation gone. This module decides which of the two it holds and
//! produces the lines. It must never panic, never drop or reorder a line of
//! plain text (line numbers account for every line downstream), and never
//! judge the *content* of a line: whether a line is a breadcrumb, a stamp or
//! a speech sentence is the cleaner's job, so text blocks are kept even when
//! they are mostly links (a breadcrumb `<div>` comes out as one line). What
//! it does judge is the page's layout: which blocks are the text and which
//! are the site's chrome around it (below). It also reads the title and
//! date the page states in its markup ([`PageMeta`]), as plain data for
//! later stages.
//!
//! HTML rendering rules:
//!
//! - dropped with everything inside: `head` (so `title`), `script`, `style`,
//!   `noscript`, `template`, `nav`, `aside`, `select`, `button`, `iframe`,
//!   `svg`, `math`, `object`, `embed`, `canvas`, `audio`, `video`,
//!   `textarea`, ruby annotations (`rt`, `rp`: the pinyin in `講(jiǎng)`),
//!   and comments;
//! - `header` and `footer` are dropped unless inside an `article` (then they
//!   hold the article's title and byline);
//! - the page's chrome around its main block is dropped, as decided by
//!   `main_content` (readability-style block scores and class/id words):
//!   logo and slogan rows, tool rows (`字号 大 中 小`, `打印`, `关闭`,
//!   `javascript:` links), advert, sidebar, share, related and comment
//!   boxes, sponsor footers. It is what scrapers call chrome, never text:
//!   prose, breadcrumbs, dated lines and the stated title's line outside the
//!   main block stay, and a page without a clear main block (a fragment, a
//!   plain `<body><p>…`) renders as if this rule did not exist. Like the
//!   other dropped markup it yields no line, so no line number refers to it;
//! - `form` is dropped unless it wraps the page (ASP.NET pages put the whole
//!   body in one `<form>`): it is kept when it holds
//!   [`FORM_KEEP_CHARS`] or more characters of text;
//! - link lists are dropped: a `ul`, `ol`, `menu` or `dl` whose text is at
//!   least 80% inside `<a>`; a `nav` or link list that names the reader's
//!   position (`您的位置`, `当前位置`, any text with `位置`) is a breadcrumb
//!   and is kept;
//! - block elements (`p`, `div`, `br`, `h1`–`h6`, `li`, `table`, `tr`, `td`,
//!   `th`, `section`, `article`, `blockquote`, `pre`, `dd`, `dt`, `hr`, …)
//!   end the current line; everything else is inline and runs together with
//!   no added space;
//! - inside a line, runs of ASCII whitespace and `&nbsp;` collapse to one
//!   ordinary space (U+00A0 never reaches the output); a run that holds a
//!   line break between two East Asian wide characters disappears (CSS Text
//!   segment-break rule: `招商\n引资` is `招商引资`, not `招商 引资`); each
//!   line is trimmed of Unicode whitespace (so of leading `　　` indents);
//! - `<pre>` keeps its line breaks (each becomes a line end);
//! - no empty lines, with two exceptions: a blank line follows each heading
//!   (`h1`–`h6`) and the first line that agrees with a title the page
//!   states ([`PageMeta`]), as a plain-text page would have one, so the
//!   cleaner never hard-wrap-joins the next block onto a title; otherwise
//!   an empty block yields nothing, and no blank line is put between blocks;
//! - past [`MAX_DEPTH`] open elements, markup is flattened before it is
//!   parsed (blocks end lines, nothing else nests; see `depth`), so the
//!   parse stays linear in the page's size and no text is lost.

use std::sync::LazyLock;

use regex::Regex;
use scraper::node::Element;
use scraper::{Html, Node};

use super::{Deadline, Expired};

mod depth;
mod main_content;
mod meta;

pub use depth::MAX_DEPTH;
pub use main_content::MIN_MAIN_SCORE;
pub use meta::{PageMeta, agrees, parse_date, squash, without_site_suffix};

/// The lines of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Extracted {
    /// One entry per line, without the line break.
    pub lines: Vec<String>,
    /// Whether the text was HTML.
    pub html: bool,
    /// The title and date candidates an HTML page states in its markup
    /// (empty for plain text); used only where they agree with the body.
    pub meta: PageMeta,
}

/// A `<form>` holding at least this many characters of text (whitespace not
/// counted) wraps page content and is kept; a smaller one is a search or
/// login box and is dropped.
pub const FORM_KEEP_CHARS: usize = 200;

/// Splits text into lines; HTML is turned into block lines first, checking
/// `deadline` node by node.
pub fn extract(text: &str, deadline: &Deadline) -> Result<Extracted, Expired> {
    Ok(if is_html(text) {
        let (lines, meta) = html_lines(text, deadline)?;
        Extracted {
            lines,
            html: true,
            meta,
        }
    } else {
        Extracted {
            lines: text.split('\n').map(str::to_owned).collect(),
            html: false,
            meta: PageMeta::default(),
        }
    })
}

/// Elements whose start opens an HTML document (after whitespace, comments
/// and an `<?xml …?>` declaration).
const DOCUMENT_STARTS: &[&str] = &[
    "<!doctype html",
    "<html",
    "<head",
    "<body",
    "<meta",
    "<title",
];

/// Real block tags: `<p>`, `<div class=x>`, `<br/>`, `</p>`, `<td>`, `<h2>`, …
static BLOCK_TAG: LazyLock<Regex> = LazyLock::new(|| {
    // A literal pattern, covered by the tests: it cannot fail to compile.
    Regex::new(
        r"(?i)</?(?:p|div|br|table|tbody|tr|td|th|ul|ol|li|h[1-6]|section|article|blockquote|pre|center|dd|dt|dl)(?:\s[^<>]*)?/?>",
    )
    .expect("literal regex")
});

/// How many block tags make a text without a document start HTML.
const BLOCK_TAGS_FOR_HTML: usize = 3;

/// Whether `text` is HTML, decided conservatively: it opens like a document
/// (`<!doctype html`, `<html`, `<head`, `<body`, `<meta`, `<title`, after
/// whitespace, comments or an XML declaration), or it holds at least three
/// real block tags (`<p>`, `<div …>`, `<br>`, `</p>`, …). A `<` or a `《`
/// in plain text does not make it HTML.
pub fn is_html(text: &str) -> bool {
    let mut rest = text.trim_start_matches(|c: char| c.is_whitespace() || c == '\u{feff}');
    loop {
        let skipped = if rest.starts_with("<!--") {
            rest.find("-->").map(|end| end + 3)
        } else if rest.starts_with("<?") {
            rest.find("?>").map(|end| end + 2)
        } else {
            None
        };
        match skipped.and_then(|end| rest.get(end..)) {
            Some(after) => rest = after.trim_start(),
            None => break,
        }
    }
    let opens_document = DOCUMENT_STARTS.iter().any(|start| {
        let bytes = rest.as_bytes();
        bytes
            .get(..start.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(start.as_bytes()))
            && bytes
                .get(start.len())
                .is_none_or(|&next| !next.is_ascii_alphanumeric())
    });
    if opens_document {
        return true;
    }
    BLOCK_TAG.find_iter(text).take(BLOCK_TAGS_FOR_HTML).count() == BLOCK_TAGS_FOR_HTML
}

/// Elements dropped with everything inside, always.
const ALWAYS_DROPPED: &[&str] = &[
    "head", "title", "script", "style", "noscript", "template", "aside", "select", "button",
    "iframe", "svg", "math", "object", "embed", "canvas", "audio", "video", "textarea", "rt", "rp",
];

/// Elements that end the current line where they start and where they end.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "br",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "dir",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "option",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The parsed page, flattened into start / text / end events in document
/// order (children of always-dropped elements are left out).
enum Event<'a> {
    Start(&'a str, &'a Element),
    Text(&'a str),
    End(&'a str),
}

/// Renders an HTML page into block lines, and reads its stated title and
/// date.
fn html_lines(text: &str, deadline: &Deadline) -> Result<(Vec<String>, PageMeta), Expired> {
    let html = Html::parse_document(&depth::cap_depth(text));
    deadline.check()?;
    let meta = meta::page_meta(&html, deadline)?;
    let events = flatten(&html, deadline)?;
    let mut dropped = dropped_elements(&events, deadline)?;
    main_content::drop_chrome(&events, &mut dropped, &meta, deadline)?;
    Ok((render(&events, &dropped, &meta.titles, deadline)?, meta))
}

/// Walks the tree without recursion (pages can nest thousands deep).
fn flatten<'a>(html: &'a Html, deadline: &Deadline) -> Result<Vec<Event<'a>>, Expired> {
    let root = html.tree.root();
    let mut events = Vec::new();
    let mut node = root;
    'walk: loop {
        deadline.check_at(events.len())?;
        let descend = match node.value() {
            Node::Element(element) => {
                let name = element.name();
                events.push(Event::Start(name, element));
                !ALWAYS_DROPPED.contains(&name)
            }
            Node::Text(text) => {
                events.push(Event::Text(&text.text));
                false
            }
            Node::Document | Node::Fragment => true,
            Node::Doctype(_) | Node::Comment(_) | Node::ProcessingInstruction(_) => false,
        };
        if descend && let Some(child) = node.first_child() {
            node = child;
            continue;
        }
        // Leave `node`, then its ancestors until one has a next sibling.
        loop {
            if let Node::Element(element) = node.value() {
                events.push(Event::End(element.name()));
            }
            if node.id() == root.id() {
                break 'walk;
            }
            if let Some(sibling) = node.next_sibling() {
                node = sibling;
                continue 'walk;
            }
            match node.parent() {
                Some(parent) => node = parent,
                None => break 'walk,
            }
        }
    }
    Ok(events)
}

/// Text measures of an open element, summed bottom-up.
struct Open<'a> {
    start: usize,
    name: &'a str,
    /// Non-whitespace characters of kept text inside.
    chars: usize,
    /// Of those, how many are inside `<a>`.
    link_chars: usize,
    /// Whether the text names the reader's position (`您的位置`).
    position: bool,
    in_article: bool,
}

/// Marks, by the index of their start event, the elements to drop.
fn dropped_elements(events: &[Event<'_>], deadline: &Deadline) -> Result<Vec<bool>, Expired> {
    let mut dropped = vec![false; events.len()];
    let mut open: Vec<Open<'_>> = Vec::new();
    let mut articles = 0usize;
    for (index, event) in events.iter().enumerate() {
        deadline.check_at(index)?;
        match *event {
            Event::Start(name, _) => {
                open.push(Open {
                    start: index,
                    name,
                    chars: 0,
                    link_chars: 0,
                    position: false,
                    in_article: articles > 0,
                });
                if name == "article" {
                    articles += 1;
                }
            }
            Event::Text(text) => {
                if let Some(top) = open.last_mut() {
                    top.chars += text.chars().filter(|c| !c.is_whitespace()).count();
                    top.position |= text.contains("位置");
                }
            }
            Event::End(_) => {
                let Some(mut element) = open.pop() else {
                    continue;
                };
                if element.name == "article" {
                    articles = articles.saturating_sub(1);
                }
                if element.name == "a" {
                    element.link_chars = element.chars;
                }
                let drop = is_dropped(&element);
                if let Some(flag) = dropped.get_mut(element.start) {
                    *flag = drop;
                }
                if !drop && let Some(parent) = open.last_mut() {
                    parent.chars += element.chars;
                    parent.link_chars += element.link_chars;
                    parent.position |= element.position;
                }
            }
        }
    }
    Ok(dropped)
}

fn is_dropped(element: &Open<'_>) -> bool {
    match element.name {
        name if ALWAYS_DROPPED.contains(&name) => true,
        "header" | "footer" => !element.in_article,
        "nav" => !element.position,
        "ul" | "ol" | "menu" | "dl" => {
            !element.position
                && element.link_chars > 0
                && element.link_chars * 10 >= element.chars * 8
        }
        "form" => element.chars < FORM_KEEP_CHARS,
        _ => false,
    }
}

/// Headings: a blank line follows each, as in a plain-text page.
const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// Whether `event` lies inside a dropped element (`skipping` counts how
/// deep in it the walk is; 0 outside).
fn skipped(skipping: &mut usize, event: &Event<'_>) -> bool {
    if *skipping == 0 {
        return false;
    }
    match event {
        Event::Start(..) => *skipping += 1,
        Event::End(_) => *skipping -= 1,
        Event::Text(_) => {}
    }
    true
}

/// Produces the lines from the events, skipping dropped elements. A blank
/// line follows a heading and the first line that agrees with one of the
/// page's stated `titles`: each is a line of its own, never the first half
/// of a hard-wrapped sentence.
fn render(
    events: &[Event<'_>],
    dropped: &[bool],
    titles: &[String],
    deadline: &Deadline,
) -> Result<Vec<String>, Expired> {
    let titles: Vec<String> = titles.iter().map(|t| squash(t)).collect();
    let mut lines = LineBuilder {
        titles,
        ..LineBuilder::default()
    };
    let mut skipping = 0usize;
    let mut pre = 0usize;
    for (index, event) in events.iter().enumerate() {
        deadline.check_at(index)?;
        if skipped(&mut skipping, event) {
            continue;
        }
        match *event {
            Event::Start(name, _) if dropped.get(index).copied().unwrap_or(false) => {
                // A dropped block still separates what is around it; a
                // dropped inline (`rt`, `button`) does not.
                if BLOCKS.contains(&name) {
                    lines.end_line();
                }
                skipping = 1;
            }
            Event::Start(name, _) => {
                if BLOCKS.contains(&name) {
                    lines.end_line();
                }
                if name == "pre" {
                    pre += 1;
                }
            }
            Event::Text(text) if pre > 0 => {
                for (i, piece) in text.split('\n').enumerate() {
                    if i > 0 {
                        lines.end_line();
                    }
                    lines.push(piece);
                }
            }
            Event::Text(text) => lines.push(text),
            Event::End(name) => {
                if BLOCKS.contains(&name) {
                    lines.end_line();
                }
                if HEADINGS.contains(&name) {
                    lines.blank();
                }
                if name == "pre" {
                    pre = pre.saturating_sub(1);
                }
            }
        }
    }
    Ok(lines.finish())
}

/// Collects the text of the current line and turns it into finished lines.
#[derive(Default)]
struct LineBuilder {
    lines: Vec<String>,
    current: String,
    /// The page's stated titles ([`squash`]ed), until a line agrees with one.
    titles: Vec<String>,
}

impl LineBuilder {
    fn push(&mut self, text: &str) {
        self.current.push_str(text);
    }

    fn end_line(&mut self) {
        let line = collapse_whitespace(&self.current);
        self.current.clear();
        if line.is_empty() {
            return;
        }
        let title = !self.titles.is_empty() && could_be_title(&line) && {
            let squashed = squash(&line);
            self.titles.iter().any(|t| agrees(t, &squashed))
        };
        self.lines.push(line);
        if title {
            self.titles.clear();
            self.blank();
        }
    }

    /// Puts a blank line after the last line (never two, never at the top).
    fn blank(&mut self) {
        if self.lines.last().is_some_and(|l| !l.is_empty()) {
            self.lines.push(String::new());
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.end_line();
        if self.lines.last().is_some_and(String::is_empty) {
            self.lines.pop();
        }
        self.lines
    }
}

/// Whether a line could be a title: at most 80 characters and no comma or
/// sentence end in it (a CMS copies the first line of the text into its
/// title field even when that line is half of a hard-wrapped sentence, and
/// a blank line after it would split the sentence).
fn could_be_title(line: &str) -> bool {
    line.chars().count() <= 80 && !line.contains(['。', '，', ',', '；', ';', '！', '!', '？', '?'])
}

/// HTML's collapsible whitespace, plus `&nbsp;`.
fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\x0c' | '\r' | '\u{a0}')
}

/// East Asian wide characters (Hangul excepted), between which a line break
/// in the source is no space (CSS Text Level 3, segment break transformation).
fn is_wide(c: char) -> bool {
    matches!(c,
        '\u{2E80}'..='\u{303F}'     // CJK radicals, Kangxi, ideographic description, CJK symbols and punctuation
        | '\u{3040}'..='\u{30FF}'   // Hiragana, Katakana
        | '\u{3100}'..='\u{312F}'   // Bopomofo
        | '\u{31A0}'..='\u{31FF}'   // Bopomofo extended, CJK strokes, Katakana extensions
        | '\u{3200}'..='\u{4DBF}'   // enclosed CJK, compatibility, extension A
        | '\u{4E00}'..='\u{9FFF}'   // CJK unified ideographs
        | '\u{F900}'..='\u{FAFF}'   // CJK compatibility ideographs
        | '\u{FE30}'..='\u{FE4F}'   // CJK compatibility forms
        | '\u{FF00}'..='\u{FF60}'   // full-width forms
        | '\u{FFE0}'..='\u{FFE6}'   // full-width signs
        | '\u{20000}'..='\u{3FFFF}' // extensions B and later
    )
}

/// Collapses each run of whitespace to one space (or to nothing when it is a
/// line break between two wide characters) and trims the line.
fn collapse_whitespace(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    let mut run: Option<(bool, bool)> = None; // (holds a line break, holds &nbsp;)
    let mut previous: Option<char> = None;
    for c in raw.chars() {
        if is_space(c) {
            let (newline, nbsp) = run.unwrap_or((false, false));
            run = Some((newline || c == '\n' || c == '\r', nbsp || c == '\u{a0}'));
            continue;
        }
        if let Some((newline, nbsp)) = run.take() {
            let joins_wide = newline && !nbsp && previous.is_some_and(is_wide) && is_wide(c);
            if previous.is_some() && !joins_wide {
                out.push(' ');
            }
        }
        out.push(c);
        previous = Some(c);
    }
    match out.trim() {
        trimmed if trimmed.len() == out.len() => out,
        trimmed => trimmed.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const NBSP: char = '\u{a0}';

    /// `extract` with no deadline.
    fn plain(text: &str) -> Extracted {
        extract(text, &Deadline::never()).expect("no deadline")
    }

    /// The lines of an HTML snippet (asserting it was taken as HTML).
    fn lines(html: &str) -> Vec<String> {
        let out = plain(html);
        assert!(out.html, "not taken as HTML: {html}");
        out.lines
    }

    fn page(body: &str) -> String {
        format!(
            "<!DOCTYPE html><html><head><meta charset=utf-8><title>页面标题</title></head><body>{body}</body></html>"
        )
    }

    #[test]
    fn head_and_title_are_dropped() {
        assert_eq!(lines(&page("<p>同志们：</p>")), ["同志们："]);
    }

    #[test]
    fn each_dropped_element_kind() {
        for (tag, inner) in [
            ("script", "var x = '<p>讲话</p>';"),
            ("style", "p { color: red }"),
            ("noscript", "请启用脚本"),
            ("template", "<p>模板</p>"),
            ("nav", "<a href=/>首页</a> <a href=/news>新闻</a>"),
            ("header", "新文秘网 LOGO"),
            ("footer", "版权所有 © 2024 客服微信号:abc"),
            ("aside", "热门文章"),
            ("form", "搜索: <input name=q>"),
            ("select", "<option>2023</option><option>2024</option>"),
            ("button", "下载此文档"),
            ("iframe", "广告"),
            ("svg", "<text>图标</text>"),
        ] {
            let html = page(&format!("<p>前文。</p><{tag}>{inner}</{tag}><p>后文。</p>"));
            assert_eq!(lines(&html), ["前文。", "后文。"], "<{tag}>");
        }
    }

    #[test]
    fn link_lists_are_dropped_text_lists_kept() {
        for tag in ["ul", "ol", "menu"] {
            let html = page(&format!(
                "<p>正文。</p><{tag}><li><a href=1>相关文章一</a></li><li><a href=2>相关文章二</a></li></{tag}>"
            ));
            assert_eq!(lines(&html), ["正文。"], "<{tag}>");
        }
        let html = page(
            "<dl><dt><a href=1>栏目一</a></dt><dd><a href=2>栏目二</a></dd></dl><p>正文。</p>",
        );
        assert_eq!(lines(&html), ["正文。"]);
        let html = page("<ol><li>一是招什么</li><li>二是怎么招,详见<a href=x>附件</a></li></ol>");
        assert_eq!(lines(&html), ["一是招什么", "二是怎么招,详见附件"]);
    }

    #[test]
    fn breadcrumb_div_is_one_line() {
        let html = page(
            r#"<div class="pos">您的位置:<a href="/">新文秘网</a>&gt;&gt;<a href="/jh/">讲话</a>&gt;&gt;正文</div><h1>在全县大会上的讲话</h1>"#,
        );
        assert_eq!(
            lines(&html),
            ["您的位置:新文秘网>>讲话>>正文", "在全县大会上的讲话"]
        );
    }

    #[test]
    fn breadcrumb_nav_is_kept() {
        let html = page(
            r#"<nav>当前位置：<a href="/">首页</a> &gt; <a href="/a">讲话</a></nav><p>正文。</p>"#,
        );
        assert_eq!(lines(&html), ["当前位置：首页 > 讲话", "正文。"]);
    }

    #[test]
    fn header_inside_article_is_kept() {
        let html = page(
            "<header>站点名</header><article><header><h1>讲话标题</h1></header><p>正文。</p><footer>责任编辑:王某</footer></article>",
        );
        assert_eq!(lines(&html), ["讲话标题", "", "正文。", "责任编辑:王某"]);
    }

    #[test]
    fn form_wrapping_the_page_is_kept() {
        let body = "招商引资是经济工作的生命线。".repeat(20);
        let html = page(&format!(
            "<form id=form1 method=post><div><p>{body}</p></div><input type=hidden></form>"
        ));
        assert_eq!(lines(&html), [body]);
    }

    #[test]
    fn blocks_break_lines_inlines_run_together() {
        let html = page(
            "<div>一、<b>认清</b><span>形势</span>,<a href=x>聚焦</a><font color=red>目标</font><em>抓</em><strong>招商</strong></div>\
             <h2>二、标题</h2><p>段一</p><p>段二</p><table><tr><td>时间</td><td>2024年</td></tr></table>\
             <blockquote>引文</blockquote><ul><li>项</li></ul><section>节</section><hr>尾",
        );
        assert_eq!(
            lines(&html),
            [
                "一、认清形势,聚焦目标抓招商",
                "二、标题",
                "",
                "段一",
                "段二",
                "时间",
                "2024年",
                "引文",
                "项",
                "节",
                "尾"
            ]
        );
    }

    #[test]
    fn br_breaks_lines_without_blank_lines() {
        let html =
            "<p>第一段。<br>第二段。<br/><br />第三段。</p>\n<p></p><div> </div><p>第四段。</p>";
        assert_eq!(
            lines(html),
            ["第一段。", "第二段。", "第三段。", "第四段。"]
        );
    }

    #[test]
    fn entities_are_decoded_and_nbsp_is_a_space() {
        let html = page(
            "<p>&lt;通知&gt; &amp; &quot;要求&quot; &#20013;&#x6587; &ldquo;双过半&rdquo;&mdash;&copy;</p><p>&nbsp;&nbsp;&nbsp;&nbsp;同志们:&nbsp;今天</p>",
        );
        assert_eq!(
            lines(&html),
            ["<通知> & \"要求\" 中文 “双过半”—©", "同志们: 今天"]
        );
    }

    #[test]
    fn whitespace_collapses_and_line_breaks_between_hanzi_vanish() {
        let html = page(
            "<p>\n  招商\n  引资   is\t\tkey,\n  营商 环境\n  (2024)\n</p><p>　　全角缩进。　</p>",
        );
        assert_eq!(
            lines(&html),
            ["招商引资 is key, 营商 环境 (2024)", "全角缩进。"]
        );
    }

    #[test]
    fn pre_keeps_its_line_breaks() {
        let html = page("<pre>第一行\n  第二行\n\n第三行</pre>");
        assert_eq!(lines(&html), ["第一行", "第二行", "第三行"]);
    }

    #[test]
    fn a_blank_line_follows_headings_and_the_stated_title_line_only() {
        let html = "<html><head><title>关于秋收的几句话 - 某某网</title></head><body>\
            <div>关于秋收的几句话</div><div>今天开会</div><h2>一、抓收</h2><p>抓紧收。</p></body></html>";
        assert_eq!(
            lines(html),
            [
                "关于秋收的几句话",
                "",
                "今天开会",
                "一、抓收",
                "",
                "抓紧收。"
            ]
        );
        // A sentence's first half is never cut off from the rest.
        let html = "<html><head><meta name=ArticleTitle content=\"今天我们召开全县大会,主要任务\"></head>\
            <body><p>今天我们召开全县大会,主要任务是</p><p>部署秋收工作。</p></body></html>";
        assert_eq!(
            lines(html),
            ["今天我们召开全县大会,主要任务是", "部署秋收工作。"]
        );
    }

    #[test]
    fn ruby_pinyin_is_dropped() {
        let html = page("<p>進<ruby>一<rp>(</rp><rt>yī</rt><rp>)</rp></ruby>步講話</p>");
        assert_eq!(lines(&html), ["進一步講話"]);
    }

    #[test]
    fn comments_are_dropped() {
        let html = page("<p>正<!-- 广告 -->文</p><!-- <p>隐藏</p> -->");
        assert_eq!(lines(&html), ["正文"]);
    }

    #[test]
    fn broken_html_still_gives_the_text() {
        assert_eq!(
            lines("<html><body><div><p>未闭合段落<p>第二段</div></div></span>尾巴"),
            ["未闭合段落", "第二段", "尾巴"]
        );
        assert_eq!(
            lines("<p>一</p><p>二</p><p>三<b>加粗未闭合</p><p>四"),
            ["一", "二", "三加粗未闭合", "四"]
        );
        assert_eq!(
            lines("<html><body><p>被截断的页面</p><p>最后一句<a hre"),
            ["被截断的页面", "最后一句"]
        );
        assert_eq!(lines("<html><body><p>截断在注释<!-- 注"), ["截断在注释"]);
        assert_eq!(lines("<html><script>var a = 1;"), Vec::<String>::new());
    }

    #[test]
    fn plain_text_passes_through_unchanged() {
        let text = "您的位置:新文秘网>>民营招商/>>正文\n\n在全区大会上的讲话\n  同志们：  \n收藏《讲话》 if a < b\n";
        let out = plain(text);
        assert!(!out.html);
        assert_eq!(out.lines, text.split('\n').collect::<Vec<_>>());
        assert_eq!(out.lines.len(), 6);
        assert_eq!(plain("").lines, [""]);
    }

    #[test]
    fn html_detection_is_conservative() {
        for html in [
            "<!DOCTYPE html>\n<html>",
            "  <HTML lang=zh>",
            "<head><meta charset=gbk>",
            "<body>正文",
            "\u{feff}<!-- saved from url=(0041)http://x/ -->\n<html>",
            "<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">",
            "标题\n<p>一段</p><p>二段</p>",
            "正文<br>正文<br>正文<br>",
        ] {
            assert!(is_html(html), "{html:?}");
        }
        for text in [
            "当 a < b 时,收藏《讲话》",
            "讲话<p>一次</p>",
            "<htmlish> is not a tag we know",
            "同志们:\n今天 <b>强调</b> <i>一下</i> <span>。</span>",
        ] {
            assert!(!is_html(text), "{text:?}");
        }
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let html = format!(
            "{}深处的文字{}",
            "<div><span>".repeat(3000),
            "</span></div>".repeat(3000)
        );
        assert_eq!(lines(&html), ["深处的文字"]);
    }

    #[test]
    fn a_million_nested_tags_still_give_the_innermost_paragraph() {
        let paragraph =
            "同志们,今年全县招商引资要盯紧先进制造业项目,做到签约一批、开工一批、投产一批。";
        let depth = 1_000_000;
        let html = format!(
            "<html><body>{}<h1>讲话</h1><p>{paragraph}</p>{}尾声。</body></html>",
            "<div>".repeat(depth),
            "</div>".repeat(depth)
        );
        assert_eq!(lines(&html), ["讲话", paragraph, "尾声。"]);
    }

    /// HTML-ish fragments to build hostile pages from.
    fn fragment() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("<p>".to_owned()),
            Just("</p>".to_owned()),
            Just("<div class=\"pos\">".to_owned()),
            Just("</div>".to_owned()),
            Just("<br>".to_owned()),
            Just("<ul><li><a href=x>".to_owned()),
            Just("</a>".to_owned()),
            Just("<script>".to_owned()),
            Just("</script>".to_owned()),
            Just("<pre>".to_owned()),
            Just("<!--".to_owned()),
            Just("-->".to_owned()),
            Just("<form>".to_owned()),
            Just("<table><tr><td>".to_owned()),
            Just("&nbsp;&gt;&#x4e2d;&#0;&bogus".to_owned()),
            Just("<svg><text>".to_owned()),
            Just("<ruby>講<rt>jiǎng".to_owned()),
            "[\u{4e00}-\u{4e20}。，a-z \n<>/=\"']{0,12}",
        ]
    }

    proptest! {
        #[test]
        fn never_panics_on_any_string(text in any::<String>()) {
            let out = plain(&text);
            if !out.html {
                prop_assert_eq!(out.lines.len(), text.split('\n').count());
            }
        }

        #[test]
        fn html_fragments_never_panic_and_give_clean_lines(
            parts in proptest::collection::vec(fragment(), 0..40),
            doctype in any::<bool>(),
        ) {
            let text = format!("{}{}", if doctype { "<!doctype html>" } else { "" }, parts.concat());
            let out = plain(&text);
            if !out.html {
                prop_assert_eq!(out.lines.len(), text.split('\n').count());
                return Ok(());
            }
            for line in &out.lines {
                prop_assert!(!line.is_empty());
                prop_assert!(!line.contains('\n'));
                prop_assert!(!line.contains(NBSP), "no-break space in {:?}", line);
                prop_assert_eq!(line.trim(), line.as_str());
            }
        }
    }
}
