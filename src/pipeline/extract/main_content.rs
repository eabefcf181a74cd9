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
//! - Inside the main block everything is kept, except a sub-box with a
//!   chrome word in its class or id that holds at most one sentence (or is
//!   mostly links), and tool rows (below).
//! - Outside it, a block is dropped when it sits in a box with a chrome
//!   word, is a tool row, is mostly links, or is neither prose (a sentence
//!   end, or two commas in 30 characters) nor a heading or line of the
//!   article's own box (the main block's parent and grandparent: title,
//!   subtitle, byline). Kept whatever it looks like: a line naming the
//!   reader's position (`当前位置`, a breadcrumb: the cleaner reads the site
//!   from it), a line that agrees with the page's stated title, a line with
//!   a full date (the cleaner reads the publish date from it).
//! - A tool row is a short line with no sentence end that has
//!   `javascript:` links, or two UI words (字号, 打印, 关闭, 分享, 收藏,
//!   浏览, 下载 …) and a link, or three UI words.
//! - With no clear main block (nothing scores [`MIN_MAIN_SCORE`], or the
//!   best is `<body>` itself, as for a bare fragment or a plain
//!   `<body><p>…`) nothing more is dropped: the page renders as before.
//!
//! The work is linear in the page: one pass builds the blocks, scores go up
//! at most three levels, and the decisions are made in one pass each way.

use scraper::node::Element;

use super::super::{Deadline, Expired};
use super::meta::{agrees, squash};
use super::{BLOCKS, Event, skipped};

/// The least score a main block must reach (about three paragraphs).
pub const MIN_MAIN_SCORE: f32 = 10.0;

/// Least characters of a block's own text that make it a paragraph.
const PARAGRAPH_CHARS: usize = 20;

/// Class/id words of content boxes.
const CONTENT_WORDS: &[&str] = &[
    "content", "article", "detail", "zoom", "editor", "text", "body", "main", "post", "entry",
    "zhengwen", "neirong", "wenzhang", "zw", "txt", "con", "story", "doc",
];

/// Class/id words of chrome boxes. Short words (three letters or fewer)
/// must be a whole word of the class; longer ones may open a word
/// (`footer` opens `footerbox`) or, from five letters, sit inside one.
const CHROME_WORDS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "foot",
    "copyright",
    "share",
    "related",
    "relate",
    "recommend",
    "sidebar",
    "side",
    "aside",
    "comment",
    "topbar",
    "toolbar",
    "tool",
    "advert",
    "ad",
    "ads",
    "adv",
    "gg",
    "banner",
    "logo",
    "search",
    "login",
    "hot",
    "rank",
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
    /// Class/id words: +1 content, −1 chrome, 0 neither or both.
    weight: i32,
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
/// `titles` are the page's stated titles: a block agreeing with one is kept.
pub(super) fn drop_chrome(
    events: &[Event<'_>],
    dropped: &mut [bool],
    titles: &[String],
    deadline: &Deadline,
) -> Result<(), Expired> {
    let mut nodes = build(events, dropped, deadline)?;
    let Some(main) = choose_main(&mut nodes, deadline)? else {
        return Ok(());
    };
    let titles: Vec<String> = titles.iter().map(|t| squash(t)).collect();
    let chrome = decide(&nodes, &main, &titles, deadline)?;
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

/// +1 for a content word in the class or id (or an `article`/`main`
/// element), −1 for a chrome word, 0 for neither or both.
fn class_weight(name: &str, element: &Element) -> i32 {
    let mut words = String::new();
    for attr in ["class", "id"] {
        if let Some(value) = element.attr(attr) {
            words.push(' ');
            words.push_str(&value.to_ascii_lowercase());
        }
    }
    let tokens: Vec<&str> = words
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|t| !t.is_empty())
        .collect();
    let has = |list: &[&str]| {
        list.iter().any(|w| {
            tokens.iter().any(|t| {
                *t == *w || (w.len() > 3 && t.starts_with(w)) || (w.len() >= 5 && t.contains(w))
            }) || (w.contains('-') && words.contains(w))
        })
    };
    let content = has(CONTENT_WORDS) || matches!(name, "article" | "main");
    let chrome = has(CHROME_WORDS);
    match (content, chrome) {
        (true, false) => 1,
        (false, true) => -1,
        _ => 0,
    }
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
    titles: &[String],
    deadline: &Deadline,
) -> Result<Vec<bool>, Expired> {
    let n = nodes.len();
    // Ancestors of a main block are never dropped; the top block's parent
    // and grandparent (below `<body>`) are the article's own box.
    let mut ancestor = vec![false; n];
    let mut in_box = vec![false; n];
    for (rank, &m) in main.iter().enumerate() {
        let mut up = nodes[m].parent;
        let mut level = 0;
        while let Some(p) = up {
            ancestor[p] = true;
            if rank == 0 && level < 2 && !matches!(nodes[p].name, "body" | "html") {
                in_box[p] = true;
            }
            level += 1;
            up = nodes[p].parent;
        }
    }
    // Top-down (pre-order: a parent comes before its children).
    let mut chrome_word = vec![false; n];
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
        inside[i] = up(&inside) || main.contains(&i);
        boxed[i] = !ancestor[i] && parent.is_some_and(|p| in_box[p] || boxed[p]);
        chrome_box[i] = up(&chrome_box)
            || (inside[i]
                && !main.contains(&i)
                && node.weight < 0
                && (node.total.ends <= 1 || node.total.link_density() >= 0.5));
        chrome[i] = if ancestor[i] {
            false
        } else if chrome_box[i] || !node.is_block() {
            true
        } else if inside[i] {
            is_tool_row(node)
        } else {
            outside_is_chrome(node, chrome_word[i], boxed[i], titles)
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
fn outside_is_chrome(node: &Node<'_>, chrome_word: bool, boxed: bool, titles: &[String]) -> bool {
    let own = &node.own;
    if own.chars == 0 {
        return true;
    }
    if node.own_text.contains("位置") {
        return false;
    }
    if chrome_word || is_tool_row(node) || own.link_density() >= 0.5 {
        return true;
    }
    if own.is_prose() || has_full_date(&node.own_text) {
        return false;
    }
    let text = squash(&node.own_text);
    if titles.iter().any(|t| agrees(t, &text)) {
        return false;
    }
    !boxed
}

/// A short line with no sentence end made of page controls.
fn is_tool_row(node: &Node<'_>) -> bool {
    let own = &node.own;
    if own.chars == 0 || own.chars > TOOL_ROW_CHARS || own.ends > 0 || has_full_date(&node.own_text)
    {
        return false;
    }
    let ui = UI_WORDS
        .iter()
        .filter(|w| node.own_text.contains(*w))
        .count();
    own.js_chars > 0 || (ui >= 2 && own.link_chars > 0) || ui >= 3
}

/// Whether a text holds a full date (`2024-03-05`, `2024年3月5日`, `2024/3/5`).
fn has_full_date(text: &str) -> bool {
    let chars: Vec<char> = text.chars().collect();
    chars.windows(4).enumerate().any(|(i, w)| {
        w.iter().all(char::is_ascii_digit)
            && (i == 0 || !chars[i - 1].is_ascii_digit())
            && is_month_day(&chars[i + 4..])
    })
}

/// After a year: `-3-5`, `/03/05`, `.3.5`, `年3月5日`.
fn is_month_day(rest: &[char]) -> bool {
    let mut it = rest.iter().copied().peekable();
    let sep = it.next();
    if !matches!(sep, Some('-' | '/' | '.' | '年')) {
        return false;
    }
    let mut digits = 0;
    while it.peek().is_some_and(char::is_ascii_digit) {
        it.next();
        digits += 1;
    }
    if !(1..=2).contains(&digits) {
        return false;
    }
    let sep2 = it.next();
    if !matches!(sep2, Some('-' | '/' | '.' | '月')) {
        return false;
    }
    it.peek().is_some_and(char::is_ascii_digit)
}
