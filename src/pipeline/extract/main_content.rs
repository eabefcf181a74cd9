//! Main-content selection: which blocks of an HTML page are the page's own
//! chrome (logo, slogan, tool rows, adverts, sidebars, share and related
//! boxes, sponsor footers) rather than its text.
//!
//! Blocks are scored the way readability does it. Every block holding a
//! paragraph of text (20 characters or more) scores 1, plus one per comma
//! or sentence end, plus one per 100 characters (at most 3); the score goes
//! to the element holding the paragraph (the parent of a `<p>`, `<li>`,
//! `<td>`…, or the block itself when it holds text directly, as a `<div>`
//! of `<br>` lines does), half of it to that element's parent and a sixth
//! to the grandparent. An element's score then gets its class/id words
//! (`content`, `article`, `detail`, `zoom`, `TRS_Editor`, `js_content` …
//! +25; `nav`, `ad`, `side`, `footer`, `share`, `related`, `comment` …
//! −25) and is scaled by the share of its text outside links. The best
//! element is the main block, together with its siblings that score at
//! least a fifth of it or hold prose.
//!
//! Selection is conservative: every sentence of the text must survive, so
//! a block is dropped only when it is clearly not text.
//!
//! - Inside the main block everything is kept, except tool rows (below)
//!   and sub-boxes with a chrome word in their class or id that are mostly
//!   links, or hold at most one sentence (a comment, advert, share, related
//!   or navigation box) or no sentence of 20 characters (any other).
//! - Outside it, a block is dropped when it sits in a box with a chrome
//!   word (in a `footer`, `side`, `info` … box a line of prose of 20
//!   characters with a sentence end stays; in a comment, advert, share,
//!   related or navigation box nothing does), is a tool row, is mostly
//!   links, or is neither prose (a sentence end, or two commas in 30
//!   characters) nor a line of the article's own box (the main block's
//!   parent and grandparent: title, subtitle, byline). Kept whatever it looks like: a line naming the
//!   reader's position (`当前位置`, a breadcrumb: the cleaner reads the site
//!   from it), a line that agrees with the page's stated title, and a line
//!   with a full date other than the one the page states in its markup (the
//!   cleaner reads the publish date from it; a stated date is not lost).
//! - A tool row is a short line with no sentence end that has
//!   `javascript:` links, or two UI words (字号, 打印, 关闭, 分享, 收藏,
//!   浏览, 下载 …) and a link, or three UI words; a line with a full date
//!   is not one, unless the page states that same date in its markup.
//! - With no clear main block (nothing scores [`MIN_MAIN_SCORE`], or the
//!   best is `<body>` itself, as for a bare fragment or a plain
//!   `<body><p>…`) nothing more is dropped: the page renders as before.
//!
//! The work is linear in the page: one pass builds the blocks, scores go up
//! at most three levels, and the decisions are made in one pass each way.

use scraper::node::Element;

use super::super::{Deadline, Expired};
use super::meta::{PageMeta, agrees, parse_date, squash};
use super::{BLOCKS, Event, skipped};

/// The least score a main block must reach (about three paragraphs).
pub const MIN_MAIN_SCORE: f32 = 10.0;

/// Least characters of a block's own text that make it a paragraph.
const PARAGRAPH_CHARS: usize = 20;

/// Class/id words of content boxes.
const CONTENT_WORDS: &[&str] = &[
    "content", "article", "detail", "zoom", "editor", "text", "body", "main", "post", "entry",
    "zhengwen", "neirong", "wenzhang", "zw", "txt", "con", "story",
];

/// Class/id words of chrome boxes, besides [`STRICT_CHROME_WORDS`]. Short
/// words (three letters or fewer) must be a whole word of the class; longer
/// ones may open a word (`footer` opens `footerbox`) or, from five letters,
/// sit inside one.
const CHROME_WORDS: &[&str] = &[
    "footer",
    "foot",
    "copyright",
    "sidebar",
    "side",
    "aside",
    "topbar",
    "toolbar",
    "tool",
    "logo",
    "friend",
    "links",
    "link",
    "crumb",
    "weixin",
    "qrcode",
    "ewm",
    "print",
    "popup",
    "subscribe",
    "reward",
    "like",
    "tags",
    "bottom",
    "top",
    "header",
    "slogan",
    "welcome",
    "guide",
    "pager",
    "page-nav",
    "prev",
    "next",
    "meta",
    "info",
    "qr",
];

/// Chrome words of boxes whose text is never the page's, prose or not
/// (readers' comments, adverts, share and related boxes, navigation).
/// In a box with only another chrome word (`footer`, `side`, `info` …)
/// outside the main block, a line of prose is kept: broken markup can leave
/// a footer open with text after it.
const STRICT_CHROME_WORDS: &[&str] = &[
    "comment",
    "reply",
    "pinglun",
    "advert",
    "ad",
    "ads",
    "adv",
    "gg",
    "banner",
    "share",
    "related",
    "relate",
    "recommend",
    "hot",
    "rank",
    "login",
    "search",
    "nav",
    "menu",
];

/// UI words of tool rows.
const UI_WORDS: &[&str] = &[
    "字号",
    "打印",
    "关闭",
    "分享",
    "收藏",
    "浏览",
    "阅读数",
    "点击",
    "扫一扫",
    "微信",
    "微博",
    "复制",
    "纠错",
    "返回",
    "顶部",
    "评论",
    "登录",
    "注册",
    "下载",
    "举报",
    "字体",
    "放大",
    "缩小",
    "默认",
    "QQ",
    "VIP",
    "会员",
    "阅读量",
    "次数",
    "点赞",
    "在看",
    "转发",
    "继续阅读",
    "阅读全文",
    "展开全文",
    "未读",
];

/// Longest text a tool row has (characters, whitespace not counted).
const TOOL_ROW_CHARS: usize = 100;

/// Elements whose paragraph score goes to their parent (they are the
/// paragraph, not the box of paragraphs).
const PARAGRAPHS: &[&str] = &[
    "p",
    "pre",
    "li",
    "td",
    "th",
    "dd",
    "dt",
    "blockquote",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
];

/// Text measures.
#[derive(Debug, Default, Clone, Copy)]
struct Measure {
    /// Non-whitespace characters.
    chars: usize,
    /// Of those, inside `<a>`.
    link_chars: usize,
    /// Of those, inside an `<a>` that runs script or goes nowhere.
    js_chars: usize,
    /// Sentence ends (`。！？；`).
    ends: usize,
    /// Commas and enumeration marks.
    commas: usize,
}

impl Measure {
    fn add(&mut self, other: &Measure) {
        self.chars += other.chars;
        self.link_chars += other.link_chars;
        self.js_chars += other.js_chars;
        self.ends += other.ends;
        self.commas += other.commas;
    }

    fn link_density(&self) -> f32 {
        if self.chars == 0 {
            0.0
        } else {
            self.link_chars as f32 / self.chars as f32
        }
    }

    /// A line of prose that chrome rarely is: a sentence end, 20 characters
    /// or more, under 30% links.
    fn is_substantial(&self) -> bool {
        self.ends > 0 && self.chars >= PARAGRAPH_CHARS && self.link_density() < 0.3
    }

    /// Prose: a sentence end, or two commas in 30 characters or more.
    fn is_prose(&self) -> bool {
        self.link_density() < 0.5
            && self.chars >= 6
            && (self.ends > 0 || (self.commas >= 2 && self.chars >= 30))
    }
}

/// One element of the page.
struct Node<'a> {
    start: usize,
    end: usize,
    parent: Option<usize>,
    name: &'a str,
    /// Class/id words ([`class_weight`]): above 0 content, below 0 chrome.
    weight: i32,
    /// A chrome word of [`STRICT_CHROME_WORDS`] in the class or id.
    strict: bool,
    /// Text this element holds directly or through inline elements.
    own: Measure,
    own_text: String,
    total: Measure,
    score: f32,
}

impl Node<'_> {
    fn is_block(&self) -> bool {
        BLOCKS.contains(&self.name)
    }
}

/// Marks (in `dropped`, by start event) the chrome blocks of the page.
/// `meta` is what the page states: a block agreeing with a stated title
/// is kept, and so is a block with a full date when the page states none.
pub(super) fn drop_chrome(
    events: &[Event<'_>],
    dropped: &mut [bool],
    meta: &PageMeta,
    deadline: &Deadline,
) -> Result<(), Expired> {
    let mut nodes = build(events, dropped, deadline)?;
    let Some(main) = choose_main(&mut nodes, deadline)? else {
        return Ok(());
    };
    let page = Stated {
        titles: meta.titles.iter().map(|t| squash(t)).collect(),
        dates: meta.dates.clone(),
    };
    let chrome = decide(&nodes, &main, &page, deadline)?;
    for (node, chrome) in nodes.iter().zip(&chrome) {
        if *chrome
            && node.is_block()
            && let Some(flag) = dropped.get_mut(node.start)
        {
            *flag = true;
        }
    }
    Ok(())
}

/// What the page states of itself, as the decisions need it.
struct Stated {
    /// Stated titles, [`squash`]ed.
    titles: Vec<String>,
    /// The publish dates it states (`YYYY-MM-DD`).
    dates: Vec<String>,
}

/// Builds the element table (pre-order) with text measures; the subtrees
/// of already dropped elements are left out.
fn build<'a>(
    events: &[Event<'a>],
    dropped: &[bool],
    deadline: &Deadline,
) -> Result<Vec<Node<'a>>, Expired> {
    let mut nodes: Vec<Node<'a>> = Vec::new();
    let mut stack: Vec<(usize, LinkKind)> = Vec::new();
    let mut owners: Vec<usize> = Vec::new();
    let (mut links, mut js_links) = (0usize, 0usize);
    let mut skipping = 0usize;
    for (index, event) in events.iter().enumerate() {
        deadline.check_at(index)?;
        if skipped(&mut skipping, event) {
            continue;
        }
        match *event {
            Event::Start(..) if dropped.get(index).copied().unwrap_or(false) => skipping = 1,
            Event::Start(name, element) => {
                let id = nodes.len();
                let kind = link_kind(name, element);
                match kind {
                    LinkKind::Script => {
                        links += 1;
                        js_links += 1;
                    }
                    LinkKind::Link => links += 1,
                    LinkKind::None => {}
                }
                nodes.push(Node {
                    start: index,
                    end: index,
                    parent: stack.last().map(|(n, _)| *n),
                    name,
                    weight: class_weight(name, element),
                    strict: ["class", "id"].iter().any(|attr| {
                        element
                            .attr(attr)
                            .is_some_and(|v| has_word(&v.to_ascii_lowercase(), STRICT_CHROME_WORDS))
                    }),
                    own: Measure::default(),
                    own_text: String::new(),
                    total: Measure::default(),
                    score: 0.0,
                });
                stack.push((id, kind));
                if BLOCKS.contains(&name) {
                    owners.push(id);
                }
            }
            Event::Text(text) => {
                let Some(node) = owners.last().and_then(|&o| nodes.get_mut(o)) else {
                    continue;
                };
                let m = measure(text);
                node.own.chars += m.chars;
                node.own.ends += m.ends;
                node.own.commas += m.commas;
                if links > 0 {
                    node.own.link_chars += m.chars;
                }
                if js_links > 0 {
                    node.own.js_chars += m.chars;
                }
                node.own_text.push_str(text);
            }
            Event::End(_) => {
                let Some((id, kind)) = stack.pop() else {
                    continue;
                };
                match kind {
                    LinkKind::Script => {
                        links -= 1;
                        js_links -= 1;
                    }
                    LinkKind::Link => links -= 1,
                    LinkKind::None => {}
                }
                if owners.last() == Some(&id) {
                    owners.pop();
                }
                if let Some(node) = nodes.get_mut(id) {
                    node.end = index;
                }
            }
        }
    }
    for i in (0..nodes.len()).rev() {
        let own = nodes[i].own;
        nodes[i].total.add(&own);
        let total = nodes[i].total;
        if let Some(p) = nodes[i].parent {
            nodes[p].total.add(&total);
        }
    }
    Ok(nodes)
}

/// What kind of link an element is.
#[derive(Clone, Copy)]
enum LinkKind {
    None,
    Link,
    /// A link that runs script or goes nowhere: a page control.
    Script,
}

fn link_kind(name: &str, element: &Element) -> LinkKind {
    if name != "a" {
        return LinkKind::None;
    }
    let href = element.attr("href").unwrap_or("").trim();
    if href
        .get(..11)
        .is_some_and(|h| h.eq_ignore_ascii_case("javascript:"))
        || href == "#"
        || element.attr("onclick").is_some()
    {
        LinkKind::Script
    } else {
        LinkKind::Link
    }
}

fn measure(text: &str) -> Measure {
    let mut m = Measure::default();
    for c in text.chars() {
        if c.is_whitespace() {
            continue;
        }
        m.chars += 1;
        match c {
            '。' | '！' | '？' | '!' | '?' | '；' | ';' => m.ends += 1,
            '，' | ',' | '、' => m.commas += 1,
            _ => {}
        }
    }
    m
}

/// Class and id words, each of the two attributes counted alone (as
/// readability does): +1 for a content word, −1 for a chrome word (both:
/// 0), +1 for an `article` or `main` element; from −2 to 2.
fn class_weight(name: &str, element: &Element) -> i32 {
    let tag = i32::from(matches!(name, "article" | "main"));
    let words: i32 = ["class", "id"]
        .iter()
        .filter_map(|attr| element.attr(attr))
        .map(|value| {
            let value = value.to_ascii_lowercase();
            let chrome = has_word(&value, CHROME_WORDS) || has_word(&value, STRICT_CHROME_WORDS);
            i32::from(has_word(&value, CONTENT_WORDS)) - i32::from(chrome)
        })
        .sum();
    (tag + words).clamp(-2, 2)
}

/// Whether a class or id value holds one of `list`'s words (see
/// [`CHROME_WORDS`] for how a word matches).
fn has_word(value: &str, list: &[&str]) -> bool {
    let tokens: Vec<&str> = value
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    list.iter().any(|w| {
        tokens.iter().any(|t| {
            *t == *w || (w.len() > 3 && t.starts_with(w)) || (w.len() >= 5 && t.contains(w))
        }) || (w.contains('-') && value.contains(w))
    })
}

/// The main block and its merged siblings, as node indices; `None` when
/// the page has no clear main block.
fn choose_main(nodes: &mut [Node<'_>], deadline: &Deadline) -> Result<Option<Vec<usize>>, Expired> {
    for i in 0..nodes.len() {
        deadline.check_at(i)?;
        let node = &nodes[i];
        if !node.is_block() || node.own.chars < PARAGRAPH_CHARS || node.own.link_density() >= 0.5 {
            continue;
        }
        let own = node.own;
        let score = 1.0 + (own.commas + own.ends) as f32 + (own.chars / 100).min(3) as f32;
        let first = if PARAGRAPHS.contains(&node.name) {
            node.parent
        } else {
            Some(i)
        };
        let mut target = first;
        for share in [1.0, 0.5, 1.0 / 6.0] {
            let Some(t) = target else { break };
            nodes[t].score += score * share;
            target = nodes[t].parent;
        }
    }
    let final_score = |n: &Node<'_>| {
        let bonus = match n.name {
            "div" | "article" | "section" | "main" => 5.0,
            "pre" | "td" | "blockquote" => 3.0,
            "form" | "ol" | "ul" | "dl" | "li" => -3.0,
            _ => 0.0,
        };
        (n.score + bonus + 25.0 * n.weight as f32) * (1.0 - n.total.link_density())
    };
    let mut best: Option<(usize, f32)> = None;
    for (i, n) in nodes.iter().enumerate() {
        deadline.check_at(i)?;
        if n.score <= 0.0 {
            continue;
        }
        let s = final_score(n);
        if best.is_none_or(|(_, b)| s > b) {
            best = Some((i, s));
        }
    }
    let Some((top, top_score)) = best else {
        return Ok(None);
    };
    if top_score < MIN_MAIN_SCORE || matches!(nodes[top].name, "body" | "html") {
        return Ok(None);
    }
    let mut main = vec![top];
    if let Some(parent) = nodes[top].parent {
        for (i, n) in nodes.iter().enumerate() {
            deadline.check_at(i)?;
            if i == top || n.parent != Some(parent) || n.weight < 0 {
                continue;
            }
            let prose = n.total.ends >= 2
                && n.total.link_density() < 0.25
                && n.total.chars >= PARAGRAPH_CHARS;
            if n.weight > 0 || final_score(n) >= top_score * 0.2 || prose {
                main.push(i);
            }
        }
    }
    Ok(Some(main))
}

/// Whether each node is chrome with everything inside it.
fn decide(
    nodes: &[Node<'_>],
    main: &[usize],
    page: &Stated,
    deadline: &Deadline,
) -> Result<Vec<bool>, Expired> {
    let n = nodes.len();
    let mut is_main = vec![false; n];
    for &m in main {
        is_main[m] = true;
    }
    // Ancestors of the main blocks (all children of one parent) are never
    // dropped; the top block's parent and grandparent (below `<body>`) are
    // the article's own box.
    let mut ancestor = vec![false; n];
    let mut in_box = vec![false; n];
    let mut up = main.first().and_then(|&top| nodes[top].parent);
    let mut level = 0;
    while let Some(p) = up {
        ancestor[p] = true;
        if level < 2 && !matches!(nodes[p].name, "body" | "html") {
            in_box[p] = true;
        }
        level += 1;
        up = nodes[p].parent;
    }
    // Top-down (pre-order: a parent comes before its children).
    let mut chrome_word = vec![false; n];
    let mut strict = vec![false; n];
    let mut inside = vec![false; n];
    let mut boxed = vec![false; n];
    let mut chrome_box = vec![false; n];
    let mut chrome = vec![false; n];
    for i in 0..n {
        deadline.check_at(i)?;
        let node = &nodes[i];
        let parent = node.parent;
        let up = |flags: &[bool]| parent.is_some_and(|p| flags[p]);
        chrome_word[i] = !ancestor[i] && (up(&chrome_word) || node.weight < 0);
        strict[i] = !ancestor[i] && (up(&strict) || (node.weight < 0 && node.strict));
        inside[i] = up(&inside) || is_main[i];
        boxed[i] = !ancestor[i] && parent.is_some_and(|p| in_box[p] || boxed[p]);
        chrome_box[i] = up(&chrome_box)
            || (inside[i]
                && !is_main[i]
                && node.weight < 0
                && (node.total.link_density() >= 0.5
                    || if node.strict {
                        node.total.ends <= 1
                    } else {
                        !node.total.is_substantial()
                    }));
        chrome[i] = if ancestor[i] {
            false
        } else if chrome_box[i] || !node.is_block() {
            true
        } else if inside[i] {
            is_tool_row(node, page)
        } else {
            let word = match (strict[i], chrome_word[i]) {
                (true, _) => Word::Strict,
                (false, true) => Word::Soft,
                _ => Word::None,
            };
            outside_is_chrome(node, word, boxed[i], page)
        };
    }
    // Bottom-up: a node is dropped only when everything inside it is
    // chrome, so a kept node keeps its ancestors.
    for i in (0..n).rev() {
        deadline.check_at(i)?;
        if !chrome[i]
            && let Some(p) = nodes[i].parent
        {
            chrome[p] = false;
        }
    }
    Ok(chrome)
}

/// Whether a block outside the main block is chrome by its own text.
/// The chrome word of the boxes a node is in.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    None,
    /// Only words other than [`STRICT_CHROME_WORDS`].
    Soft,
    /// A word of [`STRICT_CHROME_WORDS`].
    Strict,
}

fn outside_is_chrome(node: &Node<'_>, word: Word, boxed: bool, page: &Stated) -> bool {
    let own = &node.own;
    if own.chars == 0 {
        return true;
    }
    let text = squash(&node.own_text);
    if node.own_text.contains("位置")
        || has_unstated_date(&node.own_text, &page.dates)
        || page.titles.iter().any(|t| agrees(t, &text))
    {
        return false;
    }
    if word == Word::Strict
        || (word == Word::Soft && !own.is_substantial())
        || is_tool_row(node, page)
        || own.link_density() >= 0.5
    {
        return true;
    }
    !own.is_prose() && !boxed
}

/// A short line with no sentence end made of page controls.
fn is_tool_row(node: &Node<'_>, page: &Stated) -> bool {
    let own = &node.own;
    if own.chars == 0
        || own.chars > TOOL_ROW_CHARS
        || own.ends > 0
        || has_unstated_date(&node.own_text, &page.dates)
    {
        return false;
    }
    let ui = UI_WORDS
        .iter()
        .filter(|w| node.own_text.contains(*w))
        .count();
    own.js_chars > 0 || (ui >= 2 && own.link_chars > 0) || ui >= 3
}

/// Whether a text holds a full date (`2024-03-05`, `2024年3月5日`,
/// `2024/3/5`) other than the ones the page states: dropping its line would
/// lose a date the cleaner could read.
fn has_unstated_date(text: &str, stated: &[String]) -> bool {
    let mut after_digit = false;
    for (at, c) in text.char_indices() {
        let starts = c.is_ascii_digit() && !after_digit;
        after_digit = c.is_ascii_digit();
        if !starts {
            continue;
        }
        let tail = &text[at..];
        let year = tail
            .as_bytes()
            .get(..4)
            .is_some_and(|y| y.iter().all(u8::is_ascii_digit));
        let separated = tail
            .get(4..)
            .and_then(|rest| rest.chars().next())
            .is_some_and(|sep| matches!(sep, '-' | '/' | '.' | '年'));
        if year
            && separated
            && let Some(date) = parse_date(tail)
            && !stated.contains(&date)
        {
            return true;
        }
    }
    false
}

#[cfg(test)]
mod tests {
    use crate::pipeline::Deadline;
    use crate::pipeline::extract::extract;

    fn lines(html: &str) -> Vec<String> {
        let out = extract(html, &Deadline::never()).expect("no deadline");
        assert!(out.html);
        out.lines.into_iter().filter(|l| !l.is_empty()).collect()
    }

    const PROSE: [&str; 4] = [
        "今年以来,全区上下齐心协力,各项工作都有了新的进展。",
        "下一步,我们要把项目建设摆在更加突出的位置,一个一个抓落实。",
        "各部门要主动靠前服务,帮助企业解决用工、用地、融资等实际困难。",
        "大家要拿出干劲,把今年的目标任务完成好。",
    ];

    fn paragraphs() -> String {
        PROSE.iter().map(|p| format!("<p>{p}</p>")).collect()
    }

    #[test]
    fn a_page_with_no_main_block_renders_as_before() {
        let body = format!("<div class=logo>某某网</div>{}", paragraphs());
        let html = format!("<html><body>{body}</body></html>");
        let mut want = vec!["某某网".to_owned()];
        want.extend(PROSE.iter().map(|p| p.to_string()));
        assert_eq!(lines(&html), want);
        let fragment = format!("<p>短句</p>{}", paragraphs());
        assert_eq!(lines(&fragment)[0], "短句");
    }

    #[test]
    fn chrome_around_the_main_block_goes_and_prose_stays() {
        let html = format!(
            "<html><body><div class=top>欢迎光临 设为首页</div><div>让文字更有力量</div>\
             <div class=wrap><div class=article><h1>在全区大会上的讲话</h1>\
             <div class=sub>——在2024年全区工作会议上</div>\
             <div class=tools><a href=\"javascript:print()\">打印</a> <a href=\"javascript:close()\">关闭</a></div>\
             <div id=zoom>{}<div class=share-box>分享到 微信 微博</div></div></div>\
             <div class=bottom-links><a href=/a>关于我们</a></div></div>\
             <div>散落在正文外面的一句话,也要留下来。</div>\
             <div class=footer><p>版权所有,转载请注明出处。</p></div></body></html>",
            paragraphs()
        );
        let mut want = vec![
            "在全区大会上的讲话".to_owned(),
            "——在2024年全区工作会议上".to_owned(),
        ];
        want.extend(PROSE.iter().map(|p| p.to_string()));
        want.push("散落在正文外面的一句话,也要留下来。".to_owned());
        assert_eq!(lines(&html), want);
    }

    #[test]
    fn prose_left_in_an_open_footer_stays() {
        let tail = "补充一句,今年的任务一定要完成好,不能打折扣。";
        for wrap in ["<div class=main>", ""] {
            let html = format!(
                "<html><body>{wrap}<div class=content>{}</div><div class=foot>版权所有 <a href=#>返回顶部</a>{tail}",
                paragraphs()
            );
            let got = lines(&html);
            assert!(got.iter().any(|l| l.ends_with(tail)), "{got:?}");
        }
        let html = format!(
            "<html><body><div class=content>{}<div class=comment-list>写得好,支持!</div></div></body></html>",
            paragraphs()
        );
        assert!(!lines(&html).iter().any(|l| l.contains("支持")));
    }

    #[test]
    fn breadcrumbs_dates_and_stated_titles_outside_the_text_stay() {
        let html = format!(
            "<html><head><title>关于秋收的几句话_某某网</title></head><body>\
             <div class=crumb>当前位置:首页 > 讲话</div><div class=hd>关于秋收的几句话</div>\
             <div class=info>2024-09-01 来源:办公室</div><div class=banner>美丽乡村</div>\
             <div><div class=content>{}</div></div></body></html>",
            paragraphs()
        );
        let got = lines(&html);
        assert_eq!(
            got[..3],
            [
                "当前位置:首页 > 讲话",
                "关于秋收的几句话",
                "2024-09-01 来源:办公室"
            ]
        );
        assert!(!got.iter().any(|l| l.contains("美丽乡村")), "{got:?}");
    }
}
