//! Which line of a speech's top is its title, and which lines repeat it?
//!
//! The top of a page (the pieces before the body starts: a salutation, a
//! section heading or a finished paragraph) holds the title among chrome:
//! skip links, search rows, site names, counters, metadata. Every piece there
//! that could be a title ([`plausible`]: short, mostly Chinese, no sentence
//! punctuation, no chrome words, not a date, document number or letter-spaced
//! banner) is scored by what marks a title on any site: a title ending
//! (`…的讲话`, `…致辞`), a repeat of it, the `收藏《…》` notice, and where it
//! sits (right before the body, a date, a publish stamp or a `——` subtitle).
//! The best one wins; a page whose top holds no such line gets no title.
//!
//! A title printed again (the same line, folded and without spaces, or
//! glued before the body with a space) is a repeat, dropped from the body.
//! A title glued to the body's first line (`…的讲话 同志们:…`) is cut off it.
//! Works on plain data: the folded texts of the pieces, so it never drops
//! body text that merely begins with the title's words.

use std::sync::LazyLock;

use regex::Regex;

use super::clean::{Kept, NoiseClass, Removed, char_to_byte};
use super::{date, heading};

/// How far down the page the top (and so the title) may reach.
const MAX_TOP_PIECES: usize = 25;
/// How many pieces after the body starts a repeat of the title is looked for in.
pub const REPEAT_REACH: usize = 5;
/// A title without a title ending needs this many Chinese characters.
const MIN_PLAIN_TITLE_CJK: usize = 6;
/// A plausible title above the chosen one with this many Chinese
/// characters is kept (a site's name, slogan or column is shorter).
const MIN_HEADER_KEEP_CJK: usize = 8;
/// The second line of a title split over two lines is this short at most.
const MAX_SECOND_HALF_CHARS: usize = 12;
/// A finished sentence at least this long starts the body.
const MIN_BODY_SENTENCE_CHARS: usize = 40;

/// Words of site chrome, never in a title line.
static CHROME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)首页|当前位置|位置:|搜索|检索|登录|注册|下载|字体|字号|打印|关闭|分享|浏览|投稿|邮箱|购物车|足迹|扫码|微信|网页|跳至|跳转|主要内容|繁体|简体|英文版|版权|来源:|作者:|时间:|日期:|点击|收藏|上一篇|下一篇|返回|移动端|预览|举报|评论|联系我们|设为|会员|vip|http|www\.|\.com|\.cn|>|»|→|jump|skip|border",
    )
    .expect("constant chrome pattern")
});

/// Labels of a metadata row whose value is the title.
static TITLE_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:文件名称|文章标题|标题|名称|题名)\s*:?\s*").expect("constant label pattern")
});

/// An official document's number: `某府发〔2017〕92号`.
static DOC_NUMBER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^.{0,12}[〔\[(【]\s*\d{4}\s*[〕\])】]\s*\d+\s*号$")
        .expect("constant number pattern")
});

/// A letter-spaced banner: `政 府 工 作 报 告`.
static SPACED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^(?:\p{Han}\s+){2,}\p{Han}$").expect("constant banner pattern"));

/// A badge before a title: `[栏目名]`, `【专题】`.
static BADGE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\[【][^\]】]{1,20}[\]】]\s*").expect("constant badge pattern"));

/// A page counter after a title: `(第3/21页)`, `第2页共8页`.
static COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"\s*(?:[(]?\s*第\s*\d+\s*/\s*\d+\s*页\s*[)]?|第\s*\d+\s*页\s*/?\s*共\s*\d+\s*页)$")
        .expect("constant counter pattern")
});

/// A title glued before the body's first words on one line: a space, a
/// salutation or a date (`…的讲话201X/X/XX…`, a platform's info row run
/// together) follows it.
static GLUED: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^([^。!?;,，!?；|]{4,60}?(?:讲话|讲话稿|发言|致辞|贺词|报告|讲稿|总结|主持词|演讲|汇报)(?:全文|稿|范文|材料)?)(?:\s+|(?:同志们|各位|尊敬的|女士们|亲爱的)|(?:19|20)[\dx]{2}\s*[年/.\-])",
    )
    .expect("constant glued pattern")
});

/// A date opening a line, digits or a template's placeholders
/// (`2019/3/8`, `201X/X/XX`, `20xx年x月x日`).
static LEAD_DATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^\s*(?:19|20)[\dx]{2}\s*[年/.\-]\s*[\dx]{1,2}\s*[月/.\-]\s*[\dx]{1,2}\s*日?\s*")
        .expect("constant date pattern")
});

/// A byline: an office and a name (`市教育局局长、党委书记 王某某`).
static BYLINE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:书记|局长|主任|市长|县长|区长|镇长|乡长|省长|主席|部长|厅长|处长|委员|院长|校长|董事长|经理|记者|通讯员)\s+\p{Han}(?:\s*\p{Han}){1,3}$")
        .expect("constant byline pattern")
});

/// Words a salutation addresses (`同志们:`, `各位代表:`).
static ADDRESS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"^各|同志|各位|领导|来宾|嘉宾|代表|朋友|先生|女士|尊敬|大家|委员|同学|老师|市民")
        .expect("constant address pattern")
});

/// Chars that pad a line without being part of it.
fn is_pad(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '•' | '·' | '■' | '▪' | '◆' | '●' | '*' | '?' | '\u{3000}'
        )
}

/// The comparable form of a line: folded, without spaces and bullets.
pub fn normal(folded: &str) -> String {
    folded.chars().filter(|&c| !is_pad(c)).collect()
}

/// Whether a piece starts the body of the speech.
fn starts_body(f: &str) -> bool {
    let t = f.trim();
    let n = t.chars().count();
    if cjk(t) < 2 || t.matches('|').count() >= 2 {
        return false;
    }
    (heading::is_salutation(t) && ADDRESS.is_match(t))
        || heading::is_heading_line(t)
        || (heading::ends_sentence(t) && n >= MIN_BODY_SENTENCE_CHARS)
        || n > 2 * MIN_BODY_SENTENCE_CHARS + 40
}

/// The byte range in `f` of the title a top line holds, once bullets,
/// badges, counters, labels and `|` cells around it are taken off.
fn title_span(f: &str) -> Option<(usize, usize)> {
    let mut start = f.len() - f.trim_start_matches(is_pad).len();
    let mut end = f.trim_end_matches(is_pad).len();
    if start >= end {
        return None;
    }
    if f[start..end].contains('|') {
        let cells: Vec<(usize, usize)> = cells(f, start, end);
        let labelled = cells
            .iter()
            .position(|&(s, e)| TITLE_LABEL.find(&f[s..e]).is_some_and(|m| m.end() == e - s));
        let (s, e) = match labelled {
            Some(i) => *cells[i + 1..].iter().find(|&&(s, e)| s < e)?,
            None => {
                let long: Vec<&(usize, usize)> =
                    cells.iter().filter(|&&(s, e)| cjk(&f[s..e]) >= 4).collect();
                let short_rest = cells
                    .iter()
                    .all(|&(s, e)| cjk(&f[s..e]) >= 4 || f[s..e].chars().count() <= 10);
                match long[..] {
                    [&one] if short_rest => one,
                    // A title with a category badge after it: `…的讲话|栏目`.
                    [&first, ..] if heading::has_title_ending(&f[first.0..first.1]) => first,
                    _ => return None,
                }
            }
        };
        start = s;
        end = e;
    }
    if let Some(m) = TITLE_LABEL.find(&f[start..end]) {
        start += m.end();
    }
    if let Some(m) = BADGE.find(&f[start..end])
        && cjk(&f[start + m.end()..end]) >= MIN_PLAIN_TITLE_CJK
    {
        start += m.end();
    }
    if let Some(m) = COUNTER.find(&f[start..end]) {
        end = start + m.start();
    }
    let t = &f[start..end];
    let lead = t.len() - t.trim_start().len();
    let trail = t.len() - t.trim_end().len();
    (start + lead < end - trail).then_some((start + lead, end - trail))
}

/// The trimmed `|` cells of `f[start..end]`, as byte ranges of `f`.
fn cells(f: &str, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut at = start;
    for cell in f[start..end].split('|') {
        let lead = cell.len() - cell.trim_start().len();
        let body = cell.trim();
        out.push((at + lead, at + lead + body.len()));
        at += cell.len() + 1;
    }
    out
}

/// Chinese characters in `s`.
fn cjk(s: &str) -> usize {
    s.chars().filter(|c| super::is_han(*c)).count()
}

/// Whether a (cleaned, folded) line could be a title at all.
pub fn plausible(t: &str) -> bool {
    let han = cjk(t);
    let visible = t.chars().filter(|c| !c.is_whitespace()).count();
    heading::is_title_like(t)
        && han >= 4
        && 2 * han >= visible
        && !t.contains('。')
        && t.matches([',', '，']).count() <= 2
        && !t.starts_with(['—', '-', '─'])
        && !CHROME.is_match(t)
        && !SPACED.is_match(t)
        && !DOC_NUMBER.is_match(t)
        && !BYLINE.is_match(t)
        && date::in_line(t).is_none()
        && !heading::is_part_heading(t)
}

/// What the page says around the top: for scoring.
#[derive(Debug, Clone, Copy)]
pub struct Context<'a> {
    /// Blank source lines (1-based).
    pub blank: &'a [usize],
    /// Removed lines of the speech's share of the page.
    pub removed: &'a [Removed],
    /// The title of a `收藏《…》` notice, folded.
    pub notice: Option<&'a str>,
}

/// A title (or a repeat of it) found in one piece.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    /// Index of the piece.
    pub index: usize,
    /// Byte range of the title in the piece's text.
    pub span: (usize, usize),
    /// The title is glued before body text, which stays: only
    /// `text[..span.1]` goes, the rest of the piece is kept.
    pub glued: bool,
}

/// The title of a speech and its repeats.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Choice {
    /// The title, original script.
    pub title: String,
    /// Where it was found, in piece order (two pieces for a title split
    /// over two lines; none when only a metadata row gave it, which stays).
    pub at: Vec<Found>,
    /// Repeats of it, in piece order.
    pub repeats: Vec<Found>,
}

/// Byte range in the original text of a byte range of its folded form.
fn orig_span(text: &str, folded: &str, (s, e): (usize, usize)) -> (usize, usize) {
    let cs = folded[..s].chars().count();
    let ce = cs + folded[s..e].chars().count();
    (char_to_byte(text, cs), char_to_byte(text, ce))
}

/// Chooses the title among the top pieces of a speech.
pub fn choose(pieces: &[Kept], folded: &[String], ctx: &Context) -> Option<Choice> {
    let body = folded
        .iter()
        .take(MAX_TOP_PIECES)
        .position(|f| starts_body(f))
        .unwrap_or(folded.len().min(MAX_TOP_PIECES));
    struct Cand {
        index: usize,
        span: (usize, usize),
        norm: String,
        glued: bool,
        metadata: bool,
        score: u32,
        ending: bool,
        han: usize,
    }
    let mut cands: Vec<Cand> = Vec::new();
    for (i, f) in folded.iter().enumerate().take(body) {
        if pieces[i].mojibake {
            continue;
        }
        let Some(mut span) = title_span(f) else {
            continue;
        };
        // A page number rejoined before the title (`1` + the title line).
        let numbered = ctx
            .removed
            .iter()
            .any(|r| r.class == NoiseClass::SplitNumber && r.line == pieces[i].lines.start() + 1);
        if numbered {
            let t = &f[span.0..span.1];
            span.0 += t.len()
                - t.trim_start_matches(|c: char| c.is_ascii_digit() || c.is_whitespace())
                    .len();
        }
        let t = &f[span.0..span.1];
        if !plausible(t) {
            continue;
        }
        cands.push(Cand {
            index: i,
            span,
            norm: normal(t),
            glued: false,
            metadata: f.contains('|') && TITLE_LABEL.is_match(f.trim_start_matches(is_pad)),
            score: 0,
            ending: heading::has_title_ending(t),
            han: cjk(t),
        });
    }
    for (i, f) in folded.iter().enumerate().take(body + 1) {
        if pieces[i].mojibake {
            continue;
        }
        let Some(c) = GLUED.captures(f) else {
            continue;
        };
        let m = c.get(1).expect("group 1");
        let t = m.as_str().trim_end();
        let lead = t.len() - t.trim_start().len();
        if plausible(t) && f[m.end()..].trim().chars().count() > 0 {
            cands.push(Cand {
                index: i,
                span: (m.start() + lead, m.start() + t.len()),
                norm: normal(t),
                glued: true,
                metadata: false,
                score: 0,
                ending: true,
                han: cjk(t),
            });
        }
    }
    let reach = folded.len().min(body + REPEAT_REACH);
    for c in &mut cands {
        let next = c.index + 1;
        let next_line = next_line_after(pieces[c.index].lines.end() + 1, ctx.blank);
        let placed = c.glued
            || next == body
            || folded.get(next).is_some_and(|f| {
                date::in_line(f).is_some()
                    || BYLINE.is_match(f.trim())
                    || f.trim_start().starts_with(['—', '-', '─'])
            })
            || ctx
                .removed
                .iter()
                .any(|r| r.line == next_line && r.class == NoiseClass::PublishStamp);
        let repeated = (0..reach)
            .filter(|&j| j != c.index)
            .any(|j| repeats_at(&folded[j], &c.norm).is_some());
        let noticed = ctx.notice.is_some_and(|n| normal(n) == c.norm);
        let blank_after = ctx.blank.contains(&(pieces[c.index].lines.end() + 1));
        c.score = 3 * u32::from(c.ending)
            + 2 * u32::from(placed)
            + 2 * u32::from(repeated)
            + 5 * u32::from(noticed)
            + u32::from(blank_after);
        if !(c.ending || noticed || repeated || c.han >= MIN_PLAIN_TITLE_CJK) {
            c.score = 0;
        }
    }
    let best = cands
        .iter()
        .filter(|c| c.score >= 2)
        .fold(None::<&Cand>, |b, c| match b {
            Some(b) if b.score >= c.score => Some(b),
            _ => Some(c),
        })?;
    let piece = &pieces[best.index];
    let (s, e) = orig_span(&piece.text, &folded[best.index], best.span);
    let mut title = piece.text[s..e].trim().to_owned();
    let mut at: Vec<Found> = Vec::new();
    let mut norm = best.norm.clone();
    // A title split over two lines: a short second half (`某某出席并讲话`)
    // under a first half that ends with no title word.
    let first_half = cands.iter().find(|c| {
        c.index + 1 == best.index
            && c.norm != best.norm
            && !c.ending
            && !c.glued
            && !c.metadata
            && next_line_after(pieces[c.index].lines.end() + 1, ctx.blank)
                == *pieces[best.index].lines.start()
    });
    if let Some(c) = first_half
        && !best.glued
        && best.norm.chars().count() <= MAX_SECOND_HALF_CHARS
    {
        let k = &pieces[c.index];
        let (s1, e1) = orig_span(&k.text, &folded[c.index], c.span);
        title = format!("{} {title}", k.text[s1..e1].trim());
        norm = format!("{}{norm}", c.norm);
        at.push(Found {
            index: c.index,
            span: (s1, e1),
            glued: false,
        });
    }
    if !best.metadata {
        at.push(Found {
            index: best.index,
            span: (s, e),
            glued: best.glued,
        });
    }
    let repeats = (0..reach)
        .filter(|&j| at.iter().all(|f| f.index != j))
        .filter_map(|j| {
            let (span, glued) = repeats_at(&folded[j], &norm)?;
            let span = orig_span(&pieces[j].text, &folded[j], span);
            Some(Found {
                index: j,
                span,
                glued,
            })
        })
        .collect();
    Some(Choice { title, at, repeats })
}

/// Pieces around the title that are the site's furniture, not speech
/// (indices into `folded`, ascending):
///
/// - above the title line, what is no sentence (the site's name, slogan,
///   column, badges);
/// - between the title and its repeat printed as a line of its own (a
///   document platform's info block: the platform prints the title, its
///   notices, then the document, which opens with the title again);
/// - between the title and the start of the body, a short label with no
///   punctuation (`十一国庆节`, `大会现场`, a column name or a caption).
///
/// Salutations, headings, dates and part headings are never among them.
pub fn furniture(folded: &[String], choice: &Choice) -> Vec<usize> {
    let Some(top) = choice.at.iter().map(|f| f.index).min() else {
        return Vec::new();
    };
    let end = choice.at.iter().map(|f| f.index).max().unwrap_or(top);
    let keeps = |f: &str| {
        let t = f.trim();
        heading::is_salutation(t)
            || heading::section_level(t).is_some()
            || heading::is_part_heading(t)
            || date::in_line(t).is_some()
    };
    // Above the title a date is the site's clock, not the speech's. A line
    // there that could itself be the title, is long for a site's name or
    // column and is one run of text (a header's `名称 - 口号` or `社名 社名`
    // is not), stays: the choice may have been wrong, and a title is never
    // removed as chrome.
    let mut out: Vec<usize> = (0..top)
        .filter(|&i| {
            let t = folded[i].trim();
            let maybe_the_title =
                plausible(t) && cjk(t) >= MIN_HEADER_KEEP_CJK && !t.contains(char::is_whitespace);
            !is_sentence_like(t)
                && !maybe_the_title
                && !heading::is_salutation(t)
                && heading::section_level(t).is_none()
                && !heading::is_part_heading(t)
        })
        .collect();
    let repeat = choice
        .repeats
        .iter()
        .filter(|r| !r.glued && r.index > end && r.index <= end + REPEAT_REACH)
        .map(|r| r.index)
        .min();
    if let Some(r) = repeat {
        out.extend((end + 1..r).filter(|&i| !keeps(&folded[i])));
    } else {
        out.extend(
            (end + 1..folded.len())
                .take_while(|&i| !starts_body(&folded[i]))
                .filter(|&i| is_short_label(&folded[i]) && !keeps(&folded[i])),
        );
    }
    out.retain(|i| !choice.repeats.iter().any(|r| r.index == *i));
    out
}

/// Whether a line ends like a sentence or is long prose (kept above a title).
fn is_sentence_like(folded: &str) -> bool {
    let t = folded.trim();
    t.ends_with(['。', '!', '?', ';']) || t.chars().filter(|c| !c.is_ascii()).count() >= 40
}

/// A short label: a few characters, no punctuation (`十一国庆节`, `演讲稿1.1w`).
fn is_short_label(folded: &str) -> bool {
    let t = folded.trim();
    (1..=8).contains(&cjk(t))
        && t.chars().count() <= 12
        && !t.contains([',', '。', '!', '?', ';', ':', '、', '(', ')', '—'])
}

/// The first source line after `line` that is not blank.
fn next_line_after(mut line: usize, blank: &[usize]) -> usize {
    while blank.contains(&line) {
        line += 1;
    }
    line
}

/// Where a piece repeats a title (`norm`: its [`normal`] form): the whole
/// piece (bullets and spaces aside, or a page counter after it), or its
/// start when a space or a salutation follows. Gives the folded byte range
/// and whether body text follows it.
pub fn repeats_at(f: &str, norm: &str) -> Option<((usize, usize), bool)> {
    repeats_exactly(f, norm).or_else(|| {
        let core = core(norm);
        (core != norm && core.chars().count() >= MIN_PLAIN_TITLE_CJK)
            .then(|| repeats_exactly(f, core))
            .flatten()
    })
}

/// A title without a leading year or speaker's office and a trailing
/// `范文`/`全文`: the form sites print it again in (`县委书记在某会上的讲话`
/// again as `在某会上的讲话`).
fn core(norm: &str) -> &str {
    static YEAR: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^\d{4}年").expect("constant year pattern"));
    static OFFICE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^\p{Han}{0,6}(?:书记|县长|市长|区长|镇长|乡长|省长|主席|部长|厅长|局长|主任|领导)(?:同志)?在")
            .expect("constant office pattern")
    });
    let t = YEAR.find(norm).map_or(norm, |m| &norm[m.end()..]);
    let t = OFFICE.find(t).map_or(t, |m| &t[m.end() - "在".len()..]);
    t.strip_suffix("范文")
        .or_else(|| t.strip_suffix("全文"))
        .unwrap_or(t)
}

/// [`repeats_at`] for one form of the title.
fn repeats_exactly(f: &str, norm: &str) -> Option<((usize, usize), bool)> {
    if norm.is_empty() {
        return None;
    }
    if let Some(span) = title_span(f)
        && normal(&f[span.0..span.1]) == norm
        && (normal(f) == norm || !f.contains('|'))
    {
        return (normal(&f[..span.0]).is_empty() || BADGE.is_match(f.trim_start()))
            .then_some(((0, f.len()), false));
    }
    // A date may open the piece (`201X/X/XX某会上的讲话…`: an info row
    // run together, date then title): then it is a repeat whatever follows.
    let dated = LEAD_DATE.find(f).map_or(0, |m| m.end());
    // Walk the piece, skipping pads, until the title's chars are matched.
    let mut want = norm.chars();
    let mut next = want.next();
    let mut end = None;
    for (i, c) in f[dated..].char_indices().map(|(i, c)| (i + dated, c)) {
        let Some(w) = next else {
            end = Some(i);
            break;
        };
        if is_pad(c) {
            continue;
        }
        if c != w {
            return None;
        }
        next = want.next();
    }
    let end = end?;
    let rest = &f[end..];
    let boundary = dated > 0
        || rest.starts_with(char::is_whitespace)
        || ["同志们", "各位", "尊敬的"]
            .iter()
            .any(|w| rest.starts_with(w));
    (boundary && !rest.trim().is_empty()).then_some(((0, end), true))
}

/// Records a title (or repeat) found in a piece as removed, and gives back
/// what of the piece stays in the body.
pub fn take(
    k: &Kept,
    found: &Found,
    class: NoiseClass,
    removed: &mut Vec<Removed>,
) -> Option<Kept> {
    if found.glued {
        let (_, e) = found.span;
        removed.push(Removed {
            line: *k.lines.start(),
            text: k.text[..e].trim().to_owned(),
            class,
            repair: true,
        });
        let mut rest = k.clone();
        rest.text = k.text[e..].trim().to_owned();
        return Some(rest);
    }
    consume(k, class, removed);
    None
}

/// Takes a repeat of `title` off the start of a piece (the rest stays), as
/// [`take`] does for a repeat found by [`choose`].
pub fn take_repeat(k: Kept, title: &str, removed: &mut Vec<Removed>) -> Option<Kept> {
    let norm = normal(&crate::fold::fold(title));
    let f = crate::fold::fold(&k.text);
    let Some((span, glued)) = repeats_at(&f, &norm) else {
        return Some(k);
    };
    let found = Found {
        index: 0,
        span: orig_span(&k.text, &f, span),
        glued,
    };
    take(&k, &found, NoiseClass::TitleRepeat, removed)
}

/// Records a whole kept piece as removed with `class`, line by line.
pub fn consume(k: &Kept, class: NoiseClass, removed: &mut Vec<Removed>) {
    for line in k.lines.clone() {
        removed.push(Removed {
            line,
            text: k.text.clone(),
            class,
            repair: false,
        });
    }
}

/// The title of a compilation's only part (`某某制度 篇1` under
/// `某某制度(精选14篇)`): the heading without its part marker, or the
/// collection's title without its count when the heading is only a marker.
pub fn lone_part_title(heading: &str, collection: Option<&str>) -> String {
    static MARKER: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\s*(?:[【\[]\s*)?(?:篇\s*(?:[一二三四五六七八九十百零〇两]+|\d{1,3})|第\s*(?:[一二三四五六七八九十百零〇两]+|\d{1,3})\s*篇|范文\s*(?:[一二三四五六七八九十百零〇两]+|\d{1,3}))(?:\s*[】\]])?\s*$")
            .expect("constant marker pattern")
    });
    let f = crate::fold::fold(heading);
    let cut = MARKER.find(&f).map_or(f.len(), |m| m.start());
    let (_, e) = orig_span(heading, &f, (0, cut));
    let t = heading[..e].trim();
    if cjk(t) >= 4 {
        return t.to_owned();
    }
    match collection {
        Some(c) => {
            let fc = crate::fold::fold(c);
            let cut = super::split::COLLECTION
                .find(&fc)
                .map_or(fc.len(), |m| m.start());
            let (_, e) = orig_span(c, &fc, (0, cut));
            c[..e].trim().to_owned()
        }
        None => heading.trim().to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(lines: &[&str]) -> Vec<Kept> {
        lines
            .iter()
            .enumerate()
            .map(|(i, t)| Kept {
                lines: i + 1..=i + 1,
                text: (*t).into(),
                cut: false,
                mojibake: false,
                gap_before: false,
                gap_after: None,
            })
            .collect()
    }

    fn pick(lines: &[&str]) -> Option<Choice> {
        let k = kept(lines);
        let f: Vec<String> = k.iter().map(|k| crate::fold::fold(&k.text)).collect();
        choose(
            &k,
            &f,
            &Context {
                blank: &[],
                removed: &[],
                notice: None,
            },
        )
    }

    fn title(lines: &[&str]) -> Option<String> {
        pick(lines).map(|c| c.title)
    }

    #[test]
    fn skips_chrome_before_the_title() {
        assert_eq!(
            title(&[
                "Skip to main content",
                "站内搜索:政策 文件 讲话",
                "某某网 首页",
                "在全区秋季防火工作推进会上的讲话",
                "同志们:",
                "今天我们召开会议。",
            ])
            .as_deref(),
            Some("在全区秋季防火工作推进会上的讲话")
        );
    }

    #[test]
    fn a_plain_title_right_before_the_body() {
        assert_eq!(
            title(&[
                "扫码阅读",
                "我区召开秋粮收购工作调度会议",
                "(本报讯 通讯员小李)10月8日,我区召开秋粮收购工作调度会议,分析当前形势,部署下一阶段的收购工作。",
            ])
            .as_deref(),
            Some("我区召开秋粮收购工作调度会议")
        );
    }

    #[test]
    fn strips_badges_counters_and_cells() {
        assert_eq!(
            title(&["[专题栏目]在全区春耕工作会议上的讲话", "同志们:"]).as_deref(),
            Some("在全区春耕工作会议上的讲话")
        );
        assert_eq!(
            title(&["2025年区政府工作报告(第2/9页)", "各位代表:"]).as_deref(),
            Some("2025年区政府工作报告")
        );
        assert_eq!(
            title(&["文件名称 | 某某区2025年政府工作报告 | ||", "各位代表:"]).as_deref(),
            Some("某某区2025年政府工作报告")
        );
    }

    #[test]
    fn no_title_on_a_page_that_opens_with_prose() {
        assert_eq!(
            title(&[
                "10月8日,全区秋粮收购工作调度会议召开,区长出席会议并讲话,要求各部门抓好落实。",
                "会议强调",
                "要压实责任。",
            ]),
            None
        );
        assert_eq!(
            title(&[
                "会场一角",
                "10月8日,全区秋粮收购工作调度会议召开,区长出席会议并讲话。"
            ]),
            None
        );
    }

    #[test]
    fn repeats_are_found_but_not_sentences_that_begin_with_the_title() {
        let c = pick(&[
            "在全区春耕工作会议上的讲话",
            "在全区 春耕工作会议上的讲话 同志们:今天开会。",
            "在全区春耕工作会议上的讲话精神要传达到每个村。",
        ])
        .expect("a title");
        assert_eq!(c.title.replace(' ', ""), "在全区春耕工作会议上的讲话");
        let taken: Vec<usize> = c.at.iter().chain(&c.repeats).map(|f| f.index).collect();
        assert_eq!(taken.len(), 2);
        assert!(!taken.contains(&2));
        assert!(
            c.at.iter()
                .chain(&c.repeats)
                .any(|f| f.index == 1 && f.glued)
        );
    }

    #[test]
    fn a_repeat_without_the_year_and_a_badged_title() {
        let c = pick(&[
            "2025年在全区春耕工作会议上的讲话范文",
            "在全区春耕工作会议上的讲话 同志们:今天开会,部署春耕。",
        ])
        .expect("a title");
        assert_eq!(c.repeats.len(), 1);
        assert_eq!(
            title(&["在全区春耕工作会议上的讲话|会议讲话", "同志们:"]).as_deref(),
            Some("在全区春耕工作会议上的讲话")
        );
    }

    #[test]
    fn a_title_glued_to_the_body_is_cut_off_it() {
        let c = pick(&["在全区春耕工作会议上的讲话 同志们: 今天我们召开会议,部署春耕。"])
            .expect("a title");
        assert_eq!(c.title, "在全区春耕工作会议上的讲话");
        assert!(c.at[0].glued);
    }

    #[test]
    fn an_info_row_run_together_gives_the_title_and_its_dated_repeat() {
        // Title, date, the title again without the speaker's office, the
        // byline, the body: one line, nothing between.
        let line = "区委书记在全区春耕工作会议上的讲话201X/X/XX在全区春耕工作会议上的讲话某某同志讲话今天我们召开会议。";
        let c = pick(&[line]).expect("a title");
        assert_eq!(c.title, "区委书记在全区春耕工作会议上的讲话");
        assert!(c.at[0].glued);
        let rest = &line[c.at[0].span.1..];
        let folded = crate::fold::fold(rest);
        let (span, glued) = repeats_at(&folded, &normal(&c.title)).expect("the repeat");
        assert!(glued);
        assert_eq!(&rest[span.0..span.1], "201X/X/XX在全区春耕工作会议上的讲话");
        // Undated, a body sentence that opens with the title's words is no repeat.
        assert!(
            repeats_at(
                "在全区春耕工作会议上的讲话精神要传达。",
                "在全区春耕工作会议上的讲话"
            )
            .is_none()
        );
    }

    #[test]
    fn a_title_over_two_lines_and_bylines() {
        assert_eq!(
            title(&[
                "市政府第五次常务会议",
                "某某主持并讲话",
                "10月8日,市政府第五次常务会议召开,研究部署当前重点工作,市政府各部门主要负责人参加会议。",
            ])
            .as_deref(),
            Some("市政府第五次常务会议 某某主持并讲话")
        );
        assert_eq!(
            title(&[
                "凝心聚力 开创全市教育工作新局面",
                "市教育局局长 王某某",
                "(2024年3月5日)",
                "同志们:",
            ])
            .as_deref(),
            Some("凝心聚力 开创全市教育工作新局面")
        );
    }

    #[test]
    fn the_part_title_of_a_lone_part() {
        assert_eq!(
            lone_part_title("车间安全管理制度 篇1", None),
            "车间安全管理制度"
        );
        assert_eq!(
            lone_part_title("第一篇", Some("车间安全管理制度(精选9篇)")),
            "车间安全管理制度"
        );
    }
}
