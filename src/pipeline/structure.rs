//! Stage 5, structure: a part of a cleaned page → a speech with metadata
//! and passages.
//!
//! Title: the part heading of a compilation (for a compilation with one
//! visible part, the heading without its marker), else the title line
//! [`super::title`] picks from the top of the page, else the title of a
//! `收藏《…》` notice; none when there is none (never a guess from body
//! text). Repeats of the title are dropped (`title_repeat`). Date: a labelled
//! stamp found in the part, else an unlabelled date near the top
//! ([`super::date`]; a bare date line is taken out as `publish_stamp`), else
//! the page's first stamp. Site: facts found in the part, else the page's. Truncation and outline: facts found in the part.
//! Passages: one per paragraph, paragraphs over [`MAX_PASSAGE_CHARS`] split
//! at sentence ends; each carries its section path from the headings.
//!
//! It must never drop speech text: every kept piece ends up in a passage or,
//! if it is a title line, in the speech's `removed` list as `title`.

use std::ops::RangeInclusive;

use super::clean::{Cleaned, Fact, Kept, NoiseClass, Removed};
use super::heading;
use super::split::Part;
use super::title::consume;
use super::{Deadline, Expired};
use super::{date, title};

/// Paragraphs longer than this are split at sentence ends.
pub const MAX_PASSAGE_CHARS: usize = 500;
/// A sentence longer than this is split at a comma (or, failing that, here).
const MAX_SENTENCE_CHARS: usize = 1000;
/// Separator between the headings of a section path.
pub const SECTION_SEP: &str = " › ";
/// Longest section title taken from the lead sentence of a paragraph.
const MAX_SECTION_TITLE_CHARS: usize = 40;

/// Shown and total characters from a truncation notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Truncation {
    /// Characters the site showed.
    pub shown: u32,
    /// Characters the full text has.
    pub total: u32,
}

/// What is special about a passage.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Flag {
    /// The page cut the text at the end of this passage.
    Truncated,
    /// The passage holds a mojibake run.
    Mojibake,
    /// A paywall stub hid text right before or after this passage.
    Elided,
}

impl Flag {
    /// The name used in JSON.
    pub fn name(self) -> &'static str {
        match self {
            Flag::Truncated => "truncated",
            Flag::Mojibake => "mojibake",
            Flag::Elided => "elided",
        }
    }
}

/// One passage of a speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// 0-based ordinal within the speech.
    pub no: usize,
    /// Heading path, e.g. `二、全面提升项目推进效率 › 1、加强督查指导`; empty when none.
    pub section: String,
    /// Cleaned text in the original script.
    pub text: String,
    /// Flags, sorted.
    pub flags: Vec<Flag>,
    /// Source lines (1-based, inclusive) the text came from.
    pub lines: RangeInclusive<usize>,
    /// Characters a paywall stub hid right after this passage, when one did
    /// (0 when the stub did not say how many).
    pub elided_after: Option<u32>,
}

/// One clean speech.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Speech {
    /// 0-based index of the speech in its file.
    pub part: usize,
    /// Title, if one was found.
    pub title: Option<String>,
    /// `YYYY-MM-DD`, if a date was found.
    pub date: Option<String>,
    /// Site name, if one was found.
    pub site: Option<String>,
    /// Truncation notice, if any.
    pub truncated: Option<Truncation>,
    /// The outline block's lines.
    pub outline: Vec<String>,
    /// The passages.
    pub passages: Vec<Passage>,
    /// Lines of this speech's share of the page that were removed or
    /// repaired, and title lines, ordered by line.
    pub removed: Vec<Removed>,
}

/// Builds speeches from the parts of a cleaned page. Parts that hold no
/// passage are dropped; their removed lines go to the speech before (or
/// after) them, so every line stays accounted for. Returns the speeches and
/// the removed lines no speech took (all of them when there is no speech).
/// Checks `deadline` part by part (each part looks through the page's facts
/// and removed lines).
pub fn structure(
    cleaned: &Cleaned,
    parts: &[Part],
    deadline: &Deadline,
) -> Result<(Vec<Speech>, Vec<Removed>), Expired> {
    let page_site = first_fact(cleaned, |f| match f {
        Fact::Site(s) => Some(s.clone()),
        _ => None,
    });
    let page_date = first_fact(cleaned, |f| match f {
        Fact::Date(d) => Some(d.clone()),
        _ => None,
    });
    let mut speeches: Vec<Speech> = Vec::with_capacity(parts.len());
    let mut orphans: Vec<Removed> = Vec::new();
    for (i, part) in parts.iter().enumerate() {
        deadline.check()?;
        let last_line = parts.get(i + 1).map_or(usize::MAX, |p| p.first_line - 1);
        let span = part.first_line..=last_line;
        let mut speech = build(cleaned, part, &span, parts.len() == 1);
        speech.site = speech.site.or_else(|| page_site.clone());
        speech.date = speech.date.or_else(|| page_date.clone());
        if speech.passages.is_empty() {
            orphans.append(&mut speech.removed);
            continue;
        }
        speech.part = speeches.len();
        if !orphans.is_empty() {
            speech.removed.append(&mut orphans);
            speech.removed.sort_by_key(|r| r.line);
        }
        speeches.push(speech);
    }
    if let Some(last) = speeches.last_mut() {
        last.removed.append(&mut orphans);
        last.removed.sort_by_key(|r| r.line);
    }
    Ok((speeches, orphans))
}

fn first_fact<T>(cleaned: &Cleaned, pick: impl Fn(&Fact) -> Option<T>) -> Option<T> {
    cleaned.facts.iter().find_map(|(_, f)| pick(f))
}

/// One part → one speech (possibly without passages).
fn build(cleaned: &Cleaned, part: &Part, span: &RangeInclusive<usize>, lone: bool) -> Speech {
    let facts: Vec<&Fact> = cleaned
        .facts
        .iter()
        .filter(|(l, _)| span.contains(l))
        .map(|(_, f)| f)
        .collect();
    let mut removed: Vec<Removed> = cleaned
        .removed
        .iter()
        .filter(|r| span.contains(&r.line))
        .cloned()
        .collect();
    let notice_title = facts.iter().find_map(|f| match f {
        Fact::Title(t) => Some(t.clone()),
        _ => None,
    });
    let named_title = facts.iter().find_map(|f| match f {
        Fact::NamedTitle(t) => Some(t.clone()),
        _ => None,
    });
    let pieces = &cleaned.kept[part.kept.clone()];
    let folded: Vec<String> = pieces.iter().map(|k| crate::fold::fold(&k.text)).collect();
    // What stays in the body: `None` once a piece is taken as metadata.
    let mut body: Vec<Option<Kept>> = pieces.iter().cloned().map(Some).collect();

    // An unlabelled date (a bare date line is metadata, taken out).
    let found_date = date::find(&folded);
    if let Some(d) = &found_date
        && d.whole
    {
        consume(&pieces[d.index], NoiseClass::PublishStamp, &mut removed);
        body[d.index] = None;
    }

    let mut title = None;
    if let Some(h) = part.heading {
        // A compilation: what stands above the part heading is the
        // collection's title, the heading is the part's.
        let h = h - part.kept.start;
        let mut collection = None;
        for (i, k) in pieces[..h].iter().enumerate() {
            if body[i].take().is_some() {
                consume(k, NoiseClass::Title, &mut removed);
                if super::split::is_collection_title(&folded[i]) {
                    collection.get_or_insert(k.text.as_str());
                }
            }
        }
        consume(&pieces[h], NoiseClass::CompilationHeading, &mut removed);
        body[h] = None;
        let t = if lone {
            title::lone_part_title(&pieces[h].text, collection)
        } else {
            part_title(&pieces[h].text)
        };
        // The part's title and the collection's, printed again below.
        let norms: Vec<String> = [Some(t.as_str()), collection]
            .into_iter()
            .flatten()
            .map(|t| title::normal(&crate::fold::fold(t)))
            .collect();
        for j in h + 1..pieces.len().min(h + 1 + title::REPEAT_REACH) {
            if body[j].is_some() && norms.iter().any(|n| title::normal(&folded[j]) == *n) {
                consume(&pieces[j], NoiseClass::TitleRepeat, &mut removed);
                body[j] = None;
            }
        }
        title = Some(t);
    } else {
        let notice = named_title
            .as_deref()
            .or(notice_title.as_deref())
            .map(crate::fold::fold);
        let ctx = title::Context {
            blank: &cleaned.blank,
            removed: &removed,
            notice: notice.as_deref(),
        };
        // A title a metadata row names wins; the lines that print it are
        // still found as the title and its repeats.
        let agrees = |c: &title::Choice| {
            named_title.as_deref().is_none_or(|n| {
                title::normal(&crate::fold::fold(n)) == title::normal(&crate::fold::fold(&c.title))
            })
        };
        if let Some(choice) = title::choose(pieces, &folded, &ctx).filter(agrees) {
            for (found, class) in choice
                .at
                .iter()
                .map(|f| (f, NoiseClass::Title))
                .chain(choice.repeats.iter().map(|f| (f, NoiseClass::TitleRepeat)))
            {
                if let Some(k) = body[found.index].take() {
                    let rest = title::take(&k, found, class, &mut removed);
                    // A glued title may run on into its repeat
                    // (`2024年某会上的讲话范文 某会上的讲话 同志们:…`).
                    body[found.index] = match rest {
                        Some(r) if found.glued => {
                            title::take_repeat(r, &choice.title, &mut removed)
                        }
                        other => other,
                    };
                }
            }
            for i in title::furniture(&folded, &choice) {
                if body[i].take().is_some() {
                    consume(&pieces[i], NoiseClass::SiteChrome, &mut removed);
                }
            }
            title = Some(choice.title);
        }
    }
    let title = title.or(named_title).or(notice_title);
    removed.sort_by_key(|r| r.line);

    let mut sections = Sections::default();
    let mut passages = Vec::new();
    for (i, k) in body.iter().enumerate() {
        let Some(k) = k else { continue };
        // A piece left as it was is folded already.
        let refolded;
        let f = if k.text == pieces[i].text {
            &folded[i]
        } else {
            refolded = crate::fold::fold(&k.text);
            &refolded
        };
        let section = sections.enter(&k.text, f);
        for mut p in passages_of(k) {
            p.no = passages.len();
            p.section = section.clone();
            passages.push(p);
        }
    }

    Speech {
        part: 0,
        title,
        date: facts
            .iter()
            .find_map(|f| match f {
                Fact::Date(d) => Some(d.clone()),
                _ => None,
            })
            .or(found_date.map(|d| d.date)),
        site: facts.iter().find_map(|f| match f {
            Fact::Site(s) => Some(s.clone()),
            _ => None,
        }),
        truncated: facts.iter().find_map(|f| match f {
            Fact::Truncation { shown, total } => Some(Truncation {
                shown: *shown,
                total: *total,
            }),
            _ => None,
        }),
        outline: facts
            .iter()
            .filter_map(|f| match f {
                Fact::Outline(items) => Some(items.clone()),
                _ => None,
            })
            .flatten()
            .collect(),
        passages,
        removed,
    }
}

/// The title a part heading gives: the heading without its decoration.
fn part_title(heading: &str) -> String {
    heading
        .trim()
        .trim_start_matches(['【', '['])
        .replacen(['】', ']'], "", 1)
        .trim()
        .to_owned()
}

/// The current section path, by level.
#[derive(Debug, Default)]
struct Sections {
    path: Vec<(usize, String)>,
}

impl Sections {
    /// Updates the path for a paragraph and returns the path it belongs to.
    fn enter(&mut self, text: &str, folded: &str) -> String {
        if let Some(level) = heading::section_level(folded) {
            self.path.retain(|(l, _)| *l < level);
            self.path.push((level, section_title(text, folded)));
        }
        let titles: Vec<&str> = self.path.iter().map(|(_, t)| t.as_str()).collect();
        titles.join(SECTION_SEP)
    }
}

/// A heading line's title is the line; a paragraph that opens with a marker
/// gives its lead sentence.
fn section_title(text: &str, folded: &str) -> String {
    let text = text.trim();
    if heading::is_heading_line(folded) {
        return text.to_owned();
    }
    let end = text
        .find(['。', ';', '；', '!', '！', '?', '？', ':', '：'])
        .unwrap_or(text.len());
    text[..end].chars().take(MAX_SECTION_TITLE_CHARS).collect()
}

/// Sentence ends passages may be split after.
fn is_sentence_end(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | ';')
}

/// Splits one kept piece into passages of at most about [`MAX_PASSAGE_CHARS`].
fn passages_of(k: &Kept) -> Vec<Passage> {
    // Most pieces are one passage: their chars are not listed.
    let short = k.text.len() <= MAX_PASSAGE_CHARS || k.text.chars().count() <= MAX_PASSAGE_CHARS;
    let chars: Vec<char> = if short {
        Vec::new()
    } else {
        k.text.chars().collect()
    };
    let mut chunks: Vec<String> = Vec::new();
    if short && !k.text.is_empty() {
        chunks.push(k.text.clone());
    }
    let mut start = 0;
    while chars.len() - start > MAX_PASSAGE_CHARS {
        let window = &chars[start..chars.len().min(start + MAX_SENTENCE_CHARS)];
        let within = |limit: usize, pred: &dyn Fn(char) -> bool| {
            window[..limit.min(window.len())]
                .iter()
                .rposition(|&c| pred(c))
                .map(|i| i + 1)
        };
        let cut = within(MAX_PASSAGE_CHARS, &is_sentence_end)
            .or_else(|| within(MAX_SENTENCE_CHARS, &is_sentence_end))
            .or_else(|| within(MAX_SENTENCE_CHARS, &|c| matches!(c, ',' | '，' | '、')))
            .unwrap_or(window.len());
        // Closing quotes belong to the sentence they close.
        let mut end = start + cut;
        while end < chars.len() && matches!(chars[end], '”' | '"' | '’' | '」' | '』' | ')' | '）')
        {
            end += 1;
        }
        chunks.push(chars[start..end].iter().collect());
        start = end;
    }
    if start < chars.len() {
        chunks.push(chars[start..].iter().collect());
    }
    let n = chunks.len();
    chunks
        .into_iter()
        .enumerate()
        .map(|(i, text)| {
            let mut flags = Vec::new();
            let last = i + 1 == n;
            if last && k.cut {
                flags.push(Flag::Truncated);
            }
            if k.mojibake && super::clean::has_mojibake(&text) {
                flags.push(Flag::Mojibake);
            }
            if (i == 0 && k.gap_before) || (last && k.gap_after.is_some()) {
                flags.push(Flag::Elided);
            }
            flags.sort();
            Passage {
                no: 0,
                section: String::new(),
                text,
                flags,
                lines: k.lines.clone(),
                elided_after: if last { k.gap_after } else { None },
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{clean::clean, split::split};

    fn speeches(s: &str) -> Vec<Speech> {
        let lines: Vec<String> = s.split('\n').map(str::to_owned).collect();
        let c = clean(&lines, &Deadline::never()).expect("no deadline");
        structure(&c, &split(&c), &Deadline::never())
            .expect("no deadline")
            .0
    }

    #[test]
    fn title_from_the_top_line_and_its_repeat_is_dropped() {
        let s = speeches(
            "在全市大会上的讲话\n\n发表时间:2023/8/6 21:04:19\n在全市大会上的讲话\n\n同志们:\n今天开会。",
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].title.as_deref(), Some("在全市大会上的讲话"));
        assert_eq!(s[0].date.as_deref(), Some("2023-08-06"));
        let texts: Vec<&str> = s[0].passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["同志们:", "今天开会。"]);
        let count = |class| s[0].removed.iter().filter(|r| r.class == class).count();
        assert_eq!(count(NoiseClass::Title), 1);
        assert_eq!(count(NoiseClass::TitleRepeat), 1);
    }

    #[test]
    fn a_bare_date_line_gives_the_date_and_leaves_the_body() {
        let s = speeches(
            "某某网 首页\n在全区春耕工作会议上的讲话\n2025年3月6日 09:30\n同志们:\n今天开会。",
        );
        assert_eq!(s[0].title.as_deref(), Some("在全区春耕工作会议上的讲话"));
        assert_eq!(s[0].date.as_deref(), Some("2025-03-06"));
        let texts: Vec<&str> = s[0].passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["同志们:", "今天开会。"]);
    }

    #[test]
    fn the_header_above_the_title_goes_and_a_sentence_there_stays() {
        let s = speeches(
            "某某文库\n公文写作频道\n本文由网友上传,仅供学习参考。\n在全区春耕工作会议上的讲话\n同志们:\n今天开会,部署春耕。",
        );
        assert_eq!(s[0].title.as_deref(), Some("在全区春耕工作会议上的讲话"));
        let texts: Vec<&str> = s[0].passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "本文由网友上传,仅供学习参考。",
                "同志们:",
                "今天开会,部署春耕。"
            ]
        );
        let header: Vec<&str> = s[0]
            .removed
            .iter()
            .filter(|r| r.class == NoiseClass::SiteChrome)
            .map(|r| r.text.as_str())
            .collect();
        assert_eq!(header, ["某某文库", "公文写作频道"]);
    }

    #[test]
    fn a_title_glued_to_the_body_keeps_the_body() {
        let s = speeches("在全区春耕工作会议上的讲话 同志们: 今天开会,部署春耕。\n要抓好落实。");
        assert_eq!(s[0].title.as_deref(), Some("在全区春耕工作会议上的讲话"));
        let texts: Vec<&str> = s[0].passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["同志们: 今天开会,部署春耕。", "要抓好落实。"]);
    }

    #[test]
    fn a_compilation_with_one_visible_part() {
        let s = speeches(
            "车间安全管理制度(精选9篇)\n车间安全管理制度 篇1\n车间安全管理制度\n第一条 为了安全生产,制定本制度。",
        );
        assert_eq!(s.len(), 1);
        assert_eq!(s[0].title.as_deref(), Some("车间安全管理制度"));
        let texts: Vec<&str> = s[0].passages.iter().map(|p| p.text.as_str()).collect();
        assert_eq!(texts, ["第一条 为了安全生产,制定本制度。"]);
        assert!(
            s[0].removed
                .iter()
                .any(|r| r.class == NoiseClass::TitleRepeat)
        );
    }

    #[test]
    fn title_from_the_notice_when_no_title_line() {
        let s = speeches(
            "同志们:\n今天开会。……(未完,全文共300字,当前仅显示100字,请阅读下面提示信息。\n收藏《在大会上的讲话》)",
        );
        assert_eq!(s[0].title.as_deref(), Some("在大会上的讲话"));
        assert_eq!(
            s[0].truncated,
            Some(Truncation {
                shown: 100,
                total: 300
            })
        );
        assert_eq!(s[0].passages[1].flags, [Flag::Truncated]);
    }

    #[test]
    fn no_title_says_so() {
        let s = speeches("同志们:\n下面,我再强调几点。");
        assert_eq!(s[0].title, None);
        assert_eq!(s[0].passages.len(), 2);
    }

    #[test]
    fn section_paths_follow_the_headings() {
        let s = speeches(
            "同志们:\n一、认清形势\n今年以来成绩明显。\n(一)项目建设\n1、解决人员不精问题。今天会议之后要过堂。\n二、强化保障\n一是抓项目。要加快推进。",
        );
        let sec: Vec<&str> = s[0].passages.iter().map(|p| p.section.as_str()).collect();
        assert_eq!(
            sec,
            [
                "",
                "一、认清形势",
                "一、认清形势",
                "一、认清形势 › (一)项目建设",
                "一、认清形势 › (一)项目建设 › 1、解决人员不精问题",
                "二、强化保障",
                "二、强化保障 › 一是抓项目",
            ]
        );
    }

    #[test]
    fn long_paragraphs_split_at_sentence_ends_and_lose_nothing() {
        let sentence = "我们要坚持招商引资不动摇,持续优化营商环境。";
        let para = sentence.repeat(60);
        let s = speeches(&para);
        let ps = &s[0].passages;
        assert!(ps.len() > 1);
        assert!(
            ps.iter()
                .all(|p| p.text.chars().count() <= MAX_PASSAGE_CHARS)
        );
        assert!(ps.iter().all(|p| p.text.ends_with('。')));
        assert_eq!(ps.iter().map(|p| p.text.as_str()).collect::<String>(), para);
    }

    #[test]
    fn a_compilation_gives_one_speech_per_part() {
        let s = speeches(
            "讲话大全(2篇)\n发表时间:2023-12-13 21:18:04\n讲话篇一\n同志们:\n第一篇正文。\n讲话篇二\n第二篇正文。",
        );
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].title.as_deref(), Some("讲话篇一"));
        assert_eq!(s[1].title.as_deref(), Some("讲话篇二"));
        assert_eq!(s[1].date.as_deref(), Some("2023-12-13"));
        assert_eq!(s[1].part, 1);
        assert!(
            s[0].removed
                .iter()
                .any(|r| r.class == NoiseClass::Title && r.text == "讲话大全(2篇)")
        );
    }
}
