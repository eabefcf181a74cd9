//! Stage 3, clean: lines → kept speech text + an account of everything removed.
//!
//! The cleaner knows the noise of scraped speech pages (DESIGN.md's table): site
//! chrome, publish stamps, paywall stubs, truncation notices, outline blocks,
//! SEO filler, pinyin annotations, cut paragraphs, mojibake, hard wraps and
//! split numbers. Each class is one module with its patterns as data; this
//! module runs them in a fixed order and keeps the books.
//!
//! It must never lose a sentence of the speech and never drop a line silently:
//! every input line ends up kept (possibly repaired), blank, or in `removed`
//! with its class. Patterns are written in Simplified script and matched
//! against the folded form of each line ([`crate::fold`]), so one pattern
//! serves Traditional, Simplified and full-width variants alike; because
//! folding keeps char offsets, a match in the folded line is a match at the
//! same place in the original.
//!
//! Order matters:
//! 1. pinyin annotations are repaired on every line first (stubs and titles
//!    carry them too: `正式會(huì)員`);
//! 2. the outline block is taken out as a whole;
//! 3. whole-line and inline rules (the `RULES` table) cut noise out of each line;
//! 4. cut paragraphs and mojibake are flagged on what is left;
//! 5. split numbers and hard wraps are rejoined.

use std::ops::{Range, RangeInclusive};

use regex::Regex;
use serde::Serialize;

use super::{Deadline, Expired};

mod breadcrumb;
mod cut_paragraph;
mod hard_wrap;
mod jammer;
mod markup;
mod metadata;
mod mojibake;
mod outline;
mod page_model;
mod paywall_stub;
mod pinyin;
mod publish_stamp;
mod repeat;
mod seo_filler;
mod split_number;
mod tail_chrome;
mod truncation_notice;
mod watermark;

pub(crate) use mojibake::detect as has_mojibake;
pub(crate) use page_model::{ends_with_stop, prose_and_reader};

/// The classes of noise (DESIGN.md's table), and of lines later stages
/// consume as metadata (`compilation_heading`, `title`, `title_repeat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NoiseClass {
    /// `您的位置:新文秘网>>…>>正文`.
    Breadcrumb,
    /// `发表时间:2024/5/21 18:48:54`, `格式:DOC 上传日期:…`, `时间:… 小编:…`.
    PublishStamp,
    /// `……(新文秘网http://…省略662字,正式会员可完整阅读)……`.
    PaywallStub,
    /// `……(未完,全文共2925字,当前仅显示1860字,…收藏《TITLE》`.
    TruncationNotice,
    /// The `目录/提纲:……` block (kept as the speech's outline).
    Outline,
    /// `文章搜索`, `相关文章`, `【本文地址:…】`, `下载此文档`, …
    TailChrome,
    /// `下面是…小编为您推荐…`, `总结是我们成长路上的里程碑…`.
    SeoFiller,
    /// `(jìn)` after a character (a repair: the annotation is cut out).
    PinyinAnnotation,
    /// A trailing U+FFFD (a repair: the paragraph is marked truncated).
    CutParagraph,
    /// A line broken mid-sentence (a repair: rejoined to the previous line).
    HardWrap,
    /// A line holding only a number or a quote (a repair: rejoined).
    SplitNumber,
    /// A compilation heading (`…篇一`, `第二篇`, `范文3`): the part's title.
    CompilationHeading,
    /// The speech's title line.
    Title,
    /// A line repeating the title (sites print it twice or more).
    TitleRepeat,
    /// Site furniture found by the page model rather than by its wording:
    /// tool and widget rows, logos and slogans, lines without Chinese text
    /// around the body (`page_model`).
    SiteChrome,
    /// Facts about the page, not speech: disclosure tables (`索引号:`),
    /// info rows, bylines (`本报讯`, `(记者…)`), photo captions, page
    /// counters (`第1页共8页`).
    Metadata,
    /// Anti-copy jammer characters (`G- k; W% a%`) cut out of a line.
    Jammer,
    /// A site's mark trailing paragraph after paragraph (`…。某某日报网`).
    Watermark,
    /// A line that recurs verbatim on many pages of the same site, whatever
    /// its wording: the site's template, learned from the folder at ingest
    /// (`pipeline::template`).
    SiteTemplate,
    /// A preview snippet cut off mid-sentence that the next line runs on
    /// from (`repeat`): the text stays once.
    RepeatedLine,
}

impl NoiseClass {
    /// The snake_case name used in JSON and `--explain`.
    pub fn name(self) -> &'static str {
        match self {
            NoiseClass::Breadcrumb => "breadcrumb",
            NoiseClass::PublishStamp => "publish_stamp",
            NoiseClass::PaywallStub => "paywall_stub",
            NoiseClass::TruncationNotice => "truncation_notice",
            NoiseClass::Outline => "outline",
            NoiseClass::TailChrome => "tail_chrome",
            NoiseClass::SeoFiller => "seo_filler",
            NoiseClass::PinyinAnnotation => "pinyin_annotation",
            NoiseClass::CutParagraph => "cut_paragraph",
            NoiseClass::HardWrap => "hard_wrap",
            NoiseClass::SplitNumber => "split_number",
            NoiseClass::CompilationHeading => "compilation_heading",
            NoiseClass::Title => "title",
            NoiseClass::TitleRepeat => "title_repeat",
            NoiseClass::SiteChrome => "site_chrome",
            NoiseClass::Metadata => "metadata",
            NoiseClass::Jammer => "jammer",
            NoiseClass::Watermark => "watermark",
            NoiseClass::SiteTemplate => "site_template",
            NoiseClass::RepeatedLine => "repeated_line",
        }
    }
}

/// A removed line, or the piece of a line removed (or rejoined) by a repair.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Removed {
    /// 1-based line number in the extracted text.
    pub line: usize,
    /// The text removed: the whole line, or the piece cut out of it; for a
    /// rejoin, the line that was joined onto the one before.
    pub text: String,
    /// Why.
    pub class: NoiseClass,
    /// True when the line was repaired and its remaining text kept.
    pub repair: bool,
}

/// A kept piece of speech text: one line, a rejoined run of lines, or one
/// side of a line that had a stub cut out of its middle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Kept {
    /// The source lines this text came from.
    pub lines: RangeInclusive<usize>,
    /// The cleaned text, original script, trimmed.
    pub text: String,
    /// The text ends where the page cut it (U+FFFD, truncation notice).
    pub cut: bool,
    /// The text holds a mojibake run.
    pub mojibake: bool,
    /// A paywall stub was removed right before this text.
    pub gap_before: bool,
    /// A paywall stub was removed right after this text; `Some(n)` when the
    /// stub said how many characters it hid (0 when it did not say).
    pub gap_after: Option<u32>,
}

impl Kept {
    /// Appends the next piece (a rejoin): its text, its lines, and what is
    /// known about its end.
    pub(crate) fn absorb(&mut self, next: Kept) {
        self.text.push_str(&next.text);
        self.lines = *self.lines.start()..=*next.lines.end();
        self.mojibake |= next.mojibake;
        self.cut = next.cut;
        self.gap_after = next.gap_after;
    }
}

/// A fact about the page found while cleaning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Fact {
    /// The site name (from a breadcrumb or a stub), original script.
    Site(String),
    /// A publish or upload date, `YYYY-MM-DD`.
    Date(String),
    /// Shown and total characters from a truncation notice.
    Truncation {
        /// Characters shown.
        shown: u32,
        /// Characters in the full text.
        total: u32,
    },
    /// A title from a `收藏《…》` notice, original script.
    Title(String),
    /// The title a metadata row names (`文件名称 | …`, `标题:…`), original
    /// script: it wins over a title line found in the body.
    NamedTitle(String),
    /// The lines of an outline block, original script.
    Outline(Vec<String>),
}

/// The output of cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    /// Kept text in order.
    pub kept: Vec<Kept>,
    /// Everything removed or repaired, ordered by line.
    pub removed: Vec<Removed>,
    /// Facts, each with the line it was found on.
    pub facts: Vec<(usize, Fact)>,
    /// Blank lines (whitespace only).
    pub blank: Vec<usize>,
}

/// One line as a rule sees it: the text and its folded form (same chars).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// Original text.
    pub text: &'a str,
    /// `fold(text)`: what patterns match against.
    pub folded: &'a str,
}

impl<'a> Line<'a> {
    /// The byte range in `text` of a byte range in `folded`.
    pub fn text_range(self, folded: Range<usize>) -> Range<usize> {
        let start_chars = self.folded[..folded.start].chars().count();
        let len_chars = self.folded[folded.clone()].chars().count();
        let start = char_to_byte(self.text, start_chars);
        let end = start + char_to_byte(&self.text[start..], len_chars);
        start..end
    }

    /// The original text at a byte range of `folded`.
    pub fn orig(self, folded: Range<usize>) -> &'a str {
        &self.text[self.text_range(folded)]
    }
}

/// The byte offset of the `n`th char of `s` (or `s.len()` past the end).
pub(crate) fn char_to_byte(s: &str, n: usize) -> usize {
    s.char_indices().nth(n).map_or(s.len(), |(i, _)| i)
}

/// A rule's finding in one line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Hit {
    /// Byte range in the folded line (the whole line for whole-line rules).
    pub span: Range<usize>,
    /// What the noise told us about the page.
    pub facts: Vec<Fact>,
    /// How many characters a stub says it hid (paywall stubs only).
    pub elided: Option<u32>,
}

impl Hit {
    /// A hit covering the whole line.
    pub fn whole(line: &Line, facts: Vec<Fact>) -> Hit {
        Hit {
            span: 0..line.folded.len(),
            facts,
            elided: None,
        }
    }
}

type RuleFn = fn(&Line) -> Option<Hit>;

/// What `rule` cuts out of `s` (original text), for the rules' unit tests.
#[cfg(test)]
pub(crate) fn cut_by(rule: RuleFn, s: &str) -> Option<String> {
    let folded = crate::fold::fold(s);
    let line = Line {
        text: s,
        folded: &folded,
    };
    rule(&line).map(|h| s[line.text_range(h.span)].to_owned())
}

/// The line rules, in the order they are tried. Each returns the first piece
/// of noise it finds in a line; a line is searched again after a cut.
const RULES: &[(NoiseClass, RuleFn)] = &[
    (NoiseClass::SiteChrome, markup::find),
    (NoiseClass::Jammer, jammer::find),
    (NoiseClass::Breadcrumb, breadcrumb::find),
    (NoiseClass::PublishStamp, publish_stamp::find),
    (NoiseClass::TruncationNotice, truncation_notice::find),
    (NoiseClass::PaywallStub, paywall_stub::find),
    (NoiseClass::TailChrome, tail_chrome::find),
    (NoiseClass::SeoFiller, seo_filler::find),
    (NoiseClass::Metadata, metadata::find),
];

/// Compiles a pattern written in Simplified script so that it matches folded
/// text: non-ASCII chars of the pattern are folded (ASCII is left alone, so
/// regex syntax such as `\S` keeps its meaning).
pub(crate) fn folded_regex(pattern: &str) -> Regex {
    let folded: String = pattern
        .chars()
        .map(|c| {
            if c.is_ascii() {
                c
            } else {
                crate::fold::fold_char(c)
            }
        })
        .collect();
    // The patterns are constants of this crate, tested by the unit tests of
    // every rule: a bad one fails every test run, never a user's.
    Regex::new(&folded).expect("built-in cleaning pattern compiles")
}

/// Chars that may pad noise without being speech: whitespace and ellipses.
pub(crate) fn is_padding(c: char) -> bool {
    c.is_whitespace()
        || matches!(
            c,
            '…' | '.' | '。' | '·' | '-' | '—' | '_' | '=' | '~' | '⋯'
        )
}

/// A piece of a line still being cleaned.
#[derive(Debug, Clone)]
struct Piece {
    line: usize,
    text: String,
    gap_before: bool,
    gap_after: Option<u32>,
    cut: bool,
}

/// Cleans the lines of one document, checking `deadline` line by line.
pub fn clean(lines: &[String], deadline: &Deadline) -> Result<Cleaned, Expired> {
    clean_with(lines, deadline, &std::collections::HashSet::new()).map(|(c, _)| c)
}

/// [`clean`], also removing the lines whose fingerprint is in `templates`
/// (the site's templates, class [`NoiseClass::SiteTemplate`]) before
/// split numbers and hard wraps are rejoined, while every kept piece is
/// still one line. Returns the page's template prints too, taken before any
/// template is removed, so they depend on the page alone. An empty set
/// removes nothing.
pub fn clean_with(
    lines: &[String],
    deadline: &Deadline,
    templates: &std::collections::HashSet<crate::pipeline::template::Fingerprint>,
) -> Result<(Cleaned, crate::pipeline::template::PagePrints), Expired> {
    let staged = stage(lines, deadline)?;
    let prints = staged.prints();
    Ok((staged.finish(lines, templates), prints))
}

/// A page cleaned up to the template step: every kept piece is still one
/// line (split numbers and hard wraps are not rejoined yet).
#[derive(Debug, Clone)]
pub struct Staged {
    /// The kept pieces so far.
    kept: Vec<Kept>,
    /// Everything else found so far.
    out: Cleaned,
}

impl Staged {
    /// The page's template prints (`pipeline::template::page_prints`).
    pub fn prints(&self) -> crate::pipeline::template::PagePrints {
        crate::pipeline::template::page_prints(&self.kept)
    }

    /// Removes the lines whose fingerprint is in `templates` (`lines`: the
    /// page's lines, as given to [`stage`]), rejoins split numbers and hard
    /// wraps, and settles the books.
    pub fn finish(
        self,
        lines: &[String],
        templates: &std::collections::HashSet<crate::pipeline::template::Fingerprint>,
    ) -> Cleaned {
        let Staged { mut kept, mut out } = self;
        crate::pipeline::template::apply(&mut kept, &mut out.removed, lines, templates);
        kept = split_number::rejoin(kept, &mut out.removed);
        kept = hard_wrap::rejoin(kept, &mut out.removed);
        out.kept = kept;
        // A pinyin repair on a line that was then removed whole says nothing.
        let whole: std::collections::HashSet<usize> = out
            .removed
            .iter()
            .filter(|r| !r.repair)
            .map(|r| r.line)
            .collect();
        out.removed
            .retain(|r| !(r.class == NoiseClass::PinyinAnnotation && whole.contains(&r.line)));
        out.removed.sort_by_key(|r| r.line);
        out.facts.sort_by_key(|(line, _)| *line);
        out
    }
}

/// Cleans the lines of one document up to the template step (see
/// [`Staged`]), checking `deadline` line by line.
pub fn stage(lines: &[String], deadline: &Deadline) -> Result<Staged, Expired> {
    let mut out = Cleaned::default();
    let mut pieces: Vec<Piece> = Vec::new();
    let mut repaired: Vec<String> = Vec::with_capacity(lines.len());
    for (i, l) in lines.iter().enumerate() {
        deadline.check_at(i)?;
        let (text, cut_out) = pinyin::strip(l);
        if !cut_out.is_empty() {
            out.removed.push(Removed {
                line: i + 1,
                text: cut_out,
                class: NoiseClass::PinyinAnnotation,
                repair: true,
            });
        }
        repaired.push(text);
    }
    let folded: Vec<String> = repaired.iter().map(|l| crate::fold::fold(l)).collect();

    // A stub ended the previous text: the next piece starts after a gap.
    let mut gap_pending = false;
    // Inside a list of related-article links.
    let mut in_list = false;
    // The last non-blank line held a truncation notice.
    let mut after_notice = false;
    let mut i = 0;
    while i < repaired.len() {
        deadline.check()?;
        let no = i + 1;
        let line = Line {
            text: &repaired[i],
            folded: &folded[i],
        };
        if let Some(block) = outline::block_at(&repaired, &folded, i) {
            for n in block.lines.clone() {
                if repaired[n].trim().is_empty() {
                    out.blank.push(n + 1);
                } else {
                    out.removed
                        .push(whole_line(n + 1, &lines[n], NoiseClass::Outline));
                }
            }
            out.facts.push((no, Fact::Outline(block.items)));
            i = block.lines.end;
            continue;
        }
        if line.text.trim().is_empty() {
            out.blank.push(no);
        } else if let Some(hit) = truncation_notice::tail(&line).filter(|_| after_notice) {
            // The `收藏《TITLE》` end of the notice on the line before.
            out.facts.extend(hit.facts.into_iter().map(|f| (no, f)));
            out.removed
                .push(whole_line(no, &lines[i], NoiseClass::TruncationNotice));
            after_notice = false;
        } else if in_list && crate::pipeline::heading::is_title_like(line.folded) {
            // A link title in a list of related articles.
            out.removed
                .push(whole_line(no, &lines[i], NoiseClass::TailChrome));
        } else {
            let was_list = std::mem::take(&mut in_list);
            let before = pieces.len();
            let removed_before = out.removed.len();
            let outcome = if line.text.len() > CHUNK_BYTES {
                clean_long_line(no, line, &lines[i], &mut pieces, &mut out, deadline)?
            } else {
                clean_line(no, line, &lines[i], &mut pieces, &mut out, deadline)?
            };
            match outcome {
                Some((NoiseClass::PaywallStub, elided)) => {
                    if let Some(prev) = pieces.last_mut() {
                        prev.gap_after = prev.gap_after.or(Some(elided.unwrap_or(0)));
                    }
                    gap_pending = true;
                }
                Some((NoiseClass::TruncationNotice, _)) => {
                    if let Some(prev) = pieces.last_mut() {
                        prev.cut = true;
                    }
                }
                Some((NoiseClass::TailChrome, _)) => {
                    in_list = was_list || tail_chrome::opens_list(line.folded)
                }
                Some(_) => {}
                None => {
                    if gap_pending && pieces.len() > before {
                        pieces[before].gap_before = true;
                    }
                    gap_pending = pieces.last().is_some_and(|p| p.gap_after.is_some());
                }
            }
            after_notice = out.removed[removed_before..]
                .iter()
                .any(|r| r.class == NoiseClass::TruncationNotice);
        }
        i += 1;
    }

    let piece_folded = drop_watermarks(&mut pieces, &mut out, lines);
    drop_page_chrome(&mut pieces, &piece_folded, &mut out, lines, &folded);

    let mut kept: Vec<Kept> = pieces
        .into_iter()
        .map(|p| {
            let mut k = Kept {
                lines: p.line..=p.line,
                text: p.text,
                cut: p.cut,
                mojibake: false,
                gap_before: p.gap_before,
                gap_after: p.gap_after,
            };
            if let Some(r) = cut_paragraph::repair(&mut k) {
                out.removed.push(r);
            }
            k.mojibake = mojibake::detect(&k.text);
            k
        })
        .collect();
    // A piece a repair left empty (a line of U+FFFD only) is no text: the
    // line is removed whole, unless another piece of it is kept.
    let (empty, full): (Vec<Kept>, Vec<Kept>) =
        kept.into_iter().partition(|k| k.text.trim().is_empty());
    kept = full;
    // Looked up in sets, not by a scan per empty piece: a page of lines of
    // U+FFFD between text lines was quadratic.
    let kept_lines: std::collections::HashSet<usize> =
        kept.iter().flat_map(|k| k.lines.clone()).collect();
    let emptied: std::collections::BTreeSet<usize> = empty
        .iter()
        .map(|e| *e.lines.start())
        .filter(|line| !kept_lines.contains(line))
        .collect();
    deadline.check()?;
    if !emptied.is_empty() {
        out.removed
            .retain(|r| !(r.class == NoiseClass::CutParagraph && emptied.contains(&r.line)));
        for &line in &emptied {
            out.removed
                .push(whole_line(line, &lines[line - 1], NoiseClass::CutParagraph));
        }
    }
    Ok(Staged { kept, out })
}

/// Cuts the page's watermarks out of every piece; a line left with nothing
/// is removed whole. Returns the pieces' folded texts (in order), which the
/// page model reads next.
fn drop_watermarks(pieces: &mut Vec<Piece>, out: &mut Cleaned, lines: &[String]) -> Vec<String> {
    let mut folded: Vec<String> = pieces.iter().map(|p| crate::fold::fold(&p.text)).collect();
    let marks = watermark::find(&folded);
    if marks.is_empty() {
        return folded;
    }
    for (p, f) in pieces.iter_mut().zip(folded.iter_mut()) {
        // Every occurrence of every mark, found in one pass each and cut in
        // one rebuild of the text (linear however many there are).
        let mut cuts: Vec<Range<usize>> = marks
            .iter()
            .flat_map(|m| f.match_indices(m.as_str()).map(|(at, m)| at..at + m.len()))
            .collect();
        if cuts.is_empty() {
            continue;
        }
        cuts.sort_by_key(|r| r.start);
        // Folded byte offset → text byte offset, at every char boundary
        // (folding keeps chars, so the two walk in step).
        let to_text: std::collections::HashMap<usize, usize> = f
            .char_indices()
            .map(|(i, _)| i)
            .chain([f.len()])
            .zip(p.text.char_indices().map(|(i, _)| i).chain([p.text.len()]))
            .collect();
        let mut text = String::with_capacity(p.text.len());
        let mut kept_from = 0;
        let mut folded_from = 0;
        for cut in cuts {
            if cut.start < folded_from {
                continue;
            }
            let (Some(&start), Some(&end)) = (to_text.get(&cut.start), to_text.get(&cut.end))
            else {
                continue;
            };
            out.removed.push(Removed {
                line: p.line,
                text: p.text[start..end].to_owned(),
                class: NoiseClass::Watermark,
                repair: true,
            });
            text = splice(&text, &p.text[kept_from..start]);
            kept_from = end;
            folded_from = cut.end;
        }
        text = splice(&text, &p.text[kept_from..]);
        p.text = text;
        *f = crate::fold::fold(&p.text);
    }
    let emptied: std::collections::BTreeSet<usize> = pieces
        .iter()
        .filter(|p| p.text.trim().is_empty())
        .map(|p| p.line)
        .collect();
    let mut folded_left = Vec::with_capacity(folded.len());
    let mut pieces_left = Vec::with_capacity(pieces.len());
    for (p, f) in pieces.drain(..).zip(folded) {
        if !p.text.trim().is_empty() {
            pieces_left.push(p);
            folded_left.push(f);
        }
    }
    *pieces = pieces_left;
    // Looked up in sets, not by a scan per emptied line (quadratic on a
    // page of watermark lines).
    let still_kept: std::collections::HashSet<usize> = pieces.iter().map(|p| p.line).collect();
    let gone: std::collections::BTreeSet<usize> = emptied
        .into_iter()
        .filter(|line| !still_kept.contains(line))
        .collect();
    if !gone.is_empty() {
        out.removed
            .retain(|r| !(gone.contains(&r.line) && r.class == NoiseClass::Watermark));
        for &line in &gone {
            out.removed
                .push(whole_line(line, &lines[line - 1], NoiseClass::Watermark));
        }
    }
    folded_left
}

/// Runs the page model over what the line rules left, and removes the
/// lines it takes as chrome (whole: a line some rule cut a piece out of
/// goes with its repairs folded into the one removal).
fn drop_page_chrome(
    pieces: &mut Vec<Piece>,
    piece_folded: &[String],
    out: &mut Cleaned,
    lines: &[String],
    folded: &[String],
) {
    let mut kept_text: Vec<String> = vec![String::new(); lines.len()];
    for (p, f) in pieces.iter().zip(piece_folded) {
        let t = &mut kept_text[p.line - 1];
        if !t.is_empty() {
            t.push(' ');
        }
        t.push_str(f);
    }
    let mut removed_whole = vec![false; lines.len()];
    for r in out.removed.iter().filter(|r| !r.repair) {
        removed_whole[r.line - 1] = true;
    }
    let mut status: Vec<page_model::Status> = (0..lines.len())
        .map(|i| {
            if !kept_text[i].is_empty() {
                page_model::Status::Kept(&kept_text[i])
            } else if removed_whole[i] {
                page_model::Status::Removed {
                    label_only: metadata::is_label_only(&folded[i]),
                }
            } else {
                page_model::Status::Blank
            }
        })
        .collect();
    // Snippets go first: the page model then sees them as noise beside
    // their neighbours.
    let repeats = repeat::find(&status);
    for &i in &repeats {
        status[i] = page_model::Status::Removed { label_only: false };
    }
    let chrome = page_model::classify(&status);
    if chrome.is_empty() && repeats.is_empty() {
        return;
    }
    let gone: std::collections::HashMap<usize, NoiseClass> = repeats
        .into_iter()
        .map(|i| (i, NoiseClass::RepeatedLine))
        .chain(chrome)
        .map(|(i, c)| (i + 1, c))
        .collect();
    pieces.retain(|p| !gone.contains_key(&p.line));
    out.removed.retain(|r| {
        !(r.repair && gone.contains_key(&r.line) && r.class != NoiseClass::PinyinAnnotation)
    });
    for (&line, &class) in &gone {
        out.removed.push(whole_line(line, &lines[line - 1], class));
        // The value of a date label (`发布日期:` then `2024年04月06日`).
        let label = (0..line - 1).rev().find(|&j| !lines[j].trim().is_empty());
        if class == NoiseClass::Metadata
            && label.is_some_and(|j| metadata::is_date_label(&folded[j]))
            && let Some(date) = publish_stamp::first_date(&folded[line - 1])
        {
            out.facts.push((line, Fact::Date(date)));
        }
        // A forum's or blog's post line (`某某 发表于 2013-1-25 | 只看楼主`).
        if class == NoiseClass::SiteChrome
            && let Some(date) = crate::pipeline::date::posted(&folded[line - 1])
        {
            out.facts.push((line, Fact::Date(date)));
        }
    }
}

/// Whether a cut inside a line closes up again (in-sentence junk:
/// jammers, stray tags, credits, page counters), rather than leaving the
/// two sides as separate pieces as a stub does. A bracketed tag
/// (`【同期】`) or a label (`文章标题:`) marks where one text ends and the
/// next begins: no splice.
fn splices(class: NoiseClass, noise: &str) -> bool {
    let noise = noise.trim();
    matches!(
        class,
        NoiseClass::Jammer | NoiseClass::SiteChrome | NoiseClass::Metadata
    ) && !noise.starts_with('【')
        && !noise.ends_with([':', '：'])
}

/// The two sides of a cut, joined: with one space where both sides had
/// whitespace at the cut and neither side is Chinese there.
fn splice(before: &str, after: &str) -> String {
    let (b, a) = (before.trim_end(), after.trim_start());
    let spaced = b.len() < before.len() || a.len() < after.len();
    let wide = |c: Option<char>| c.is_some_and(|c| !c.is_ascii());
    if spaced && !wide(b.chars().last()) && !wide(a.chars().next()) {
        format!("{b} {a}")
    } else {
        format!("{b}{a}")
    }
}

pub(crate) fn whole_line(line: usize, text: &str, class: NoiseClass) -> Removed {
    Removed {
        line,
        text: text.to_owned(),
        class,
        repair: false,
    }
}

/// A line longer than this (in bytes) is cleaned a chunk at a time.
///
/// The rules search a line again after every cut, so one line with many
/// pieces of noise costs its length times their number: a one-line page of
/// a megabyte with a stray mark in every sentence would take minutes. Cut
/// into chunks that end at sentence ends, each chunk costs at most its own
/// length squared, and the line stays linear. Real paragraphs are far
/// shorter; passages split long text at sentence ends anyway.
pub const CHUNK_BYTES: usize = 6000;

/// The chunks of a long line: each ends at a sentence end (or, in a run of
/// [`CHUNK_BYTES`] without one, at a char boundary), in order, covering the
/// line.
fn chunks(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = 0;
    let mut last_end = None;
    for (i, c) in text.char_indices() {
        if matches!(c, '。' | '!' | '?' | '！' | '？' | ';' | '；') {
            last_end = Some(i + c.len_utf8());
        }
        if i - start >= CHUNK_BYTES {
            let cut = last_end.filter(|&e| e > start).unwrap_or(i);
            out.push(&text[start..cut]);
            start = cut;
            last_end = None;
        }
    }
    out.push(&text[start..]);
    out.retain(|c| !c.is_empty());
    out
}

/// [`clean_line`] for a line longer than [`CHUNK_BYTES`], a chunk at a time.
/// A chunk that is all noise is a piece cut out of the line; the line is
/// removed whole only when every chunk was noise.
fn clean_long_line(
    no: usize,
    line: Line,
    raw: &str,
    pieces: &mut Vec<Piece>,
    out: &mut Cleaned,
    deadline: &Deadline,
) -> Result<Option<(NoiseClass, Option<u32>)>, Expired> {
    let (pieces_before, removed_before) = (pieces.len(), out.removed.len());
    let mut whole = None;
    for chunk in chunks(line.text) {
        deadline.check()?;
        let folded = crate::fold::fold(chunk);
        let view = Line {
            text: chunk,
            folded: &folded,
        };
        if let Some(hit) = clean_line(no, view, chunk, pieces, out, deadline)? {
            whole.get_or_insert(hit);
        }
    }
    if pieces.len() > pieces_before {
        for r in &mut out.removed[removed_before..] {
            r.repair = true;
        }
        return Ok(None);
    }
    let Some(hit) = whole else {
        return Ok(None);
    };
    out.removed.truncate(removed_before);
    out.removed.push(whole_line(no, raw, hit.0));
    Ok(Some(hit))
}

/// Runs the line rules over one non-blank line, cutting noise out until none
/// is left, and pushes what remains as pieces. Returns the class (and the
/// stub's hidden-char count) when the whole line was noise.
fn clean_line(
    no: usize,
    line: Line,
    raw: &str,
    pieces: &mut Vec<Piece>,
    out: &mut Cleaned,
    deadline: &Deadline,
) -> Result<Option<(NoiseClass, Option<u32>)>, Expired> {
    // Fragments of the line still to search, on a stack: after a cut the
    // right side is pushed before the left, so the left is finished first
    // and `done` fills in line order. A cut in the middle leaves two
    // fragments that are never joined again.
    let first = Piece {
        line: no,
        text: line.text.to_owned(),
        gap_before: false,
        gap_after: None,
        cut: false,
    };
    let mut todo = vec![first];
    let mut done: Vec<Piece> = Vec::new();
    let mut whole = true;
    while let Some(frag) = todo.pop() {
        deadline.check()?;
        let folded = crate::fold::fold(&frag.text);
        let view = Line {
            text: &frag.text,
            folded: &folded,
        };
        let hit = RULES
            .iter()
            .find_map(|(class, rule)| rule(&view).map(|h| (*class, h)));
        let Some((class, hit)) = hit else {
            let text = frag.text.trim();
            if !text.is_empty() {
                done.push(Piece {
                    text: text.to_owned(),
                    ..frag
                });
            }
            continue;
        };
        out.facts.extend(hit.facts.iter().cloned().map(|f| (no, f)));
        let range = view.text_range(hit.span.clone());
        let (before, noise, after) = (
            &frag.text[..range.start],
            &frag.text[range.clone()],
            &frag.text[range.end..],
        );
        let keep_before = before.chars().any(|c| !is_padding(c));
        let keep_after = after.chars().any(|c| !is_padding(c));
        if whole && !keep_before && !keep_after {
            out.removed.push(whole_line(no, raw, class));
            return Ok(Some((class, hit.elided)));
        }
        whole = false;
        out.removed.push(Removed {
            line: no,
            text: noise.trim().to_owned(),
            class,
            repair: true,
        });
        if keep_before && keep_after && splices(class, noise) {
            // Junk inside a sentence: the sentence closes over the cut.
            todo.push(Piece {
                text: splice(before, after),
                ..frag
            });
            continue;
        }
        let stub = class == NoiseClass::PaywallStub;
        let notice = class == NoiseClass::TruncationNotice;
        let gap = if stub {
            Some(hit.elided.unwrap_or(0))
        } else {
            None
        };
        // What the noise does to the text before it: a stub leaves a gap, a
        // notice means the text was cut there.
        let (left_gap, left_cut) = if keep_after {
            (gap, notice)
        } else {
            (gap.or(frag.gap_after), notice || frag.cut)
        };
        if keep_after {
            todo.push(Piece {
                line: no,
                text: after.to_owned(),
                gap_before: stub,
                gap_after: frag.gap_after,
                cut: frag.cut,
            });
        }
        if keep_before {
            todo.push(Piece {
                line: no,
                text: before.to_owned(),
                gap_before: frag.gap_before,
                gap_after: left_gap,
                cut: left_cut,
            });
        } else if let Some(prev) = done.last_mut().or(pieces.last_mut()) {
            // Noise at the start of a fragment: it follows the text before
            // it (possibly the end of the previous line).
            prev.gap_after = prev.gap_after.or(left_gap);
            prev.cut |= left_cut;
        }
    }
    pieces.extend(done);
    Ok(None)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    fn lines(s: &str) -> Vec<String> {
        s.split('\n').map(str::to_owned).collect()
    }

    /// Every line is kept, removed whole, or blank; none twice.
    pub(crate) fn assert_accounted(input: &[String], c: &Cleaned) {
        let mut seen = vec![0u8; input.len() + 1];
        for k in &c.kept {
            for n in k.lines.clone() {
                seen[n] |= 1;
            }
        }
        for r in c.removed.iter().filter(|r| !r.repair) {
            seen[r.line] |= 2;
        }
        for &b in &c.blank {
            seen[b] |= 4;
        }
        for (n, s) in seen.iter().enumerate().skip(1) {
            assert!(
                matches!(s, 1 | 2 | 4),
                "line {n} ({:?}) accounted as {s:#b}",
                input[n - 1]
            );
        }
    }

    #[test]
    fn a_page_in_both_scripts() {
        let input = lines(
            "您的位置:新文秘網>>工業/>>正文\n\n在全市大會上的講話(huà)\n發表時間:2023/8/6 21:04:19\n目錄/提綱:……\n一、進一步統一思想\n……\n同志們:\n今年以來,我們取得了明顯成\n……(新文秘網http://x.cn省略614字,正式會(huì)員可完整閱讀)……\n全市招商引資任務繁重。\n文章搜索",
        );
        let c = clean(&input, &Deadline::never()).expect("no deadline");
        assert_accounted(&input, &c);
        let texts: Vec<&str> = c.kept.iter().map(|k| k.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "在全市大會上的講話",
                "同志們:",
                "今年以來,我們取得了明顯成",
                "全市招商引資任務繁重。"
            ]
        );
        assert_eq!(c.kept[2].gap_after, Some(614));
        assert!(c.kept[3].gap_before);
        assert!(
            c.facts
                .iter()
                .any(|(_, f)| f == &Fact::Site("新文秘網".into()))
        );
        assert!(
            c.facts
                .iter()
                .any(|(_, f)| f == &Fact::Date("2023-08-06".into()))
        );
        assert!(
            c.facts
                .iter()
                .any(|(_, f)| f == &Fact::Outline(vec!["一、進一步統一思想".into()]))
        );
    }

    #[test]
    fn an_inline_stub_splits_the_line_and_both_sides_stay() {
        let input = lines("大家要切实做到三个当前隐藏内容免费查看“讲究”。");
        let c = clean(&input, &Deadline::never()).expect("no deadline");
        assert_accounted(&input, &c);
        let texts: Vec<&str> = c.kept.iter().map(|k| k.text.as_str()).collect();
        assert_eq!(texts, ["大家要切实做到三个", "“讲究”。"]);
        assert!(
            c.removed
                .iter()
                .any(|r| r.class == NoiseClass::PaywallStub && r.repair)
        );
    }

    #[test]
    fn a_notice_at_the_end_of_a_body_line_cuts_it() {
        let input = lines(
            "要尽快理清思路。针对市直部门招商引资 ……(未完,全文共2713字,当前仅显示1725字,请阅读下面提示信息。\n收藏《在全市大会上的讲话》)",
        );
        let c = clean(&input, &Deadline::never()).expect("no deadline");
        assert_accounted(&input, &c);
        assert_eq!(c.kept.len(), 1);
        assert_eq!(c.kept[0].text, "要尽快理清思路。针对市直部门招商引资");
        assert!(c.kept[0].cut);
        assert!(c.facts.iter().any(|(_, f)| f
            == &Fact::Truncation {
                shown: 1725,
                total: 2713
            }));
        assert!(
            c.facts
                .iter()
                .any(|(_, f)| f == &Fact::Title("在全市大会上的讲话".into()))
        );
    }

    #[test]
    fn body_sentences_with_chrome_words_survive() {
        let input = lines(
            "要为会员企业提供下载资料、注册登记等一站式服务。\n搜索引擎优化不是我们的重点,相关文章要认真学习。\n目录清单要及时更新。",
        );
        let c = clean(&input, &Deadline::never()).expect("no deadline");
        assert_eq!(c.kept.len(), 3, "{:?}", c.removed);
        assert!(c.removed.is_empty());
    }
}
