//! SEO filler: the blurbs content farms put before an article —
//! `总结是我们成长路上的里程碑,…这些总结范文囊括了…`,
//! `下面是众鑫文档网小编为您推荐市委书记在…上发言致辞。`,
//! `…下面是小编给大家带来的…,希望大家喜欢。`
//!
//! A stretch of text is filler when it names the farm's voice (小编, 范文,
//! 本站, a 文档网) *and* does the farm's business (推荐, 整理, 带来,
//! 希望大家喜欢, 仅供参考), or when it holds one of the farms' stock
//! clauses (`STOCK`). A speech sentence does neither.
//!
//! Filler is cut out sentence by sentence, and stock clauses clause by
//! clause, so that speech text sharing a line with a blurb survives (pages
//! are pasted together carelessly: `深入开展“首席服务官”专项行动。总结是我们
//! 成长路上的里程碑,…`). In a marked stretch, a sentence goes whole when
//! what is left of it after its stock clauses still names the farm's voice,
//! or is a short piece of the farm's business (`希望大家喜欢。`); text
//! pasted into such a sentence goes with it. A sentence introducing the
//! article in the farm's voice (`下面是小编为您推荐…`) takes the lead-in
//! before it on the line too (`一分耕耘一分收获,…。下面是…`).

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Hit, Line, folded_regex};

/// The farm's voice.
static VOICE: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"小编|范文|本站|本网|文档网|文库|网友|精心整理|精选|为(?:大家|您|你|你们)(?:整理|推荐|带来|收集|准备)|给(?:大家|您|你)带来",
    )
});
/// The farm's business.
static BUSINESS: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"推荐|整理|带来|分享|收集|希望(?:大家|对你|对您|您|你|你们|能)?.{0,8}(?:喜欢|帮助|有用|参考)|欢迎(?:阅读|参考|借鉴|下载|收藏)|仅供参考|供(?:大家|您|你)参考|囊括|适合不同|一起来看看|快来看看",
    )
});
/// A sentence in the farm's voice that introduces the article
/// (`下面是小编为您推荐…`): what comes before it on the line is the farm's
/// lead-in (`一千个人就有一千种生存方式…。下面是…`).
static INTRO: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"^\s*(?:下面|以下|接下来|下文)(?:是|为|就是|给|请)"));
/// Stock clauses of the farms' blurbs, each specific enough to mark filler
/// on its own wherever it stands.
static STOCK: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"总结是我们成长路上的里程碑|是值得回忆的重要片段|实现自己的目标是每个人都需要思考的问题|这些总结范文囊括了各种不同情境下的总结|适合不同人群的需求|一千个人就有一千种生存方式和生活道路|首先得把自己给找回来",
    )
});
/// Stock clauses too plain to mark filler alone: cut only from a stretch
/// already marked.
static PLAIN_STOCK: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"如何克服困难|要想改变一些事情"));

/// Longest stretch the voice-and-business test applies to: a long paragraph
/// naming both is a speech talking about recommending things.
const MAX_MARKED_CHARS: usize = 400;
/// Longest sentence of the farm's business alone that is cut as filler.
const MAX_BUSINESS_CHARS: usize = 20;

pub(super) fn find(line: &Line) -> Option<Hit> {
    let text = line.folded;
    let stock: Vec<Range<usize>> = STOCK.find_iter(text).map(|m| m.range()).collect();
    let marked = !stock.is_empty()
        || (text.chars().count() <= MAX_MARKED_CHARS
            && VOICE.is_match(text)
            && BUSINESS.is_match(text));
    if !marked {
        return None;
    }
    let mut stock: Vec<Range<usize>> = stock
        .into_iter()
        .chain(PLAIN_STOCK.find_iter(text).map(|m| m.range()))
        .map(|r| r.start..after_closers(text, r.end))
        .collect();
    stock.sort_by_key(|r| r.start);

    let mut spans: Vec<Range<usize>> = Vec::new();
    for sentence in sentences(line) {
        if VOICE.is_match(&text[sentence.clone()]) && INTRO.is_match(&text[sentence.clone()]) {
            // The lead-in before the introduction goes with it.
            spans.clear();
            spans.push(0..sentence.end);
            continue;
        }
        let inside: Vec<Range<usize>> = stock
            .iter()
            .filter(|r| r.start >= sentence.start && r.start < sentence.end)
            .map(|r| r.start..r.end.min(sentence.end))
            .collect();
        let rest = outside(text, sentence.clone(), &inside);
        let voice = VOICE.is_match(&rest);
        let business = BUSINESS.is_match(&rest)
            && rest.chars().filter(|c| c.is_alphanumeric()).count() <= MAX_BUSINESS_CHARS;
        if voice || business {
            spans.push(sentence);
        } else {
            spans.extend(continuations(text, sentence, inside));
        }
    }
    let spans = merge(text, spans);
    let first = spans.first()?.clone();
    Some(if covers(text, &spans, 0..text.len()) {
        Hit::whole(line, vec![])
    } else {
        // The rest of the line is searched again, so one span is enough.
        // The first: plain stock clauses come before the stock clauses that
        // mark them (`如何克服困难,实现自己的目标是…`), so cutting from the
        // left never strands one.
        Hit {
            span: first,
            facts: vec![],
            elided: None,
        }
    })
}

/// Whether `c` ends a clause or closes what a clause opened.
fn is_closer(c: char) -> bool {
    c.is_whitespace() || ",，、;；:：。.!！?？”’)）》」』】".contains(c)
}

/// `end`, moved past the punctuation and closing quotes that follow it.
fn after_closers(text: &str, end: usize) -> usize {
    text[end..]
        .char_indices()
        .find(|&(_, c)| !is_closer(c))
        .map_or(text.len(), |(i, _)| end + i)
}

/// The sentences of a line: byte ranges of `line.folded` ending after
/// `。！？；` (and the closers that follow), the last one possibly
/// unterminated. ASCII `!?;` end a sentence only before a space or the end
/// of the line: a `?` inside a word is a character the page's encoding lost.
fn sentences(line: &Line) -> Vec<Range<usize>> {
    let text = line.folded;
    let mut out = Vec::new();
    let mut start = 0;
    let mut orig = line.text.chars().peekable();
    for (i, f) in text.char_indices() {
        let Some(c) = orig.next() else { break };
        let ends = "。！？；".contains(c)
            || ("!?;".contains(c) && orig.peek().is_none_or(|n| n.is_whitespace()));
        let at = i + f.len_utf8();
        if ends && at > start {
            let end = after_closers(text, at);
            out.push(start..end);
            start = end;
        }
    }
    if start < text.len() {
        out.push(start..text.len());
    }
    out
}

/// `cut` (stock clauses in `sentence`), plus each clause that continues a
/// cut one without a subject of its own: `总结是我们成长路上的里程碑,
/// 是回顾过去、展望未来的重要时刻。` is one blurb however it goes on.
fn continuations(
    text: &str,
    sentence: Range<usize>,
    mut cut: Vec<Range<usize>>,
) -> Vec<Range<usize>> {
    let mut prev: Option<Range<usize>> = None;
    let mut start = sentence.start;
    let mut clauses = Vec::new();
    for (i, c) in text[sentence.clone()].char_indices() {
        if ",:".contains(c) {
            let end = after_closers(text, sentence.start + i + c.len_utf8()).min(sentence.end);
            if end > start {
                clauses.push(start..end);
                start = end;
            }
        }
    }
    if start < sentence.end {
        clauses.push(start..sentence.end);
    }
    for clause in clauses {
        let continues = text[clause.clone()].trim_start().starts_with('是');
        if continues
            && prev.as_ref().is_some_and(|p| covers(text, &cut, p.clone()))
            && !covers(text, &cut, clause.clone())
        {
            cut.push(clause.clone());
        }
        prev = Some(clause);
    }
    cut
}

/// Whether the `spans` hold every letter and digit of `range` (what they
/// leave is punctuation and space).
fn covers(text: &str, spans: &[Range<usize>], range: Range<usize>) -> bool {
    text[range.clone()]
        .char_indices()
        .all(|(i, c)| !c.is_alphanumeric() || spans.iter().any(|s| s.contains(&(range.start + i))))
}

/// The text of `range` outside the `cut` ranges (sorted, inside `range`).
fn outside(text: &str, range: Range<usize>, cut: &[Range<usize>]) -> String {
    let mut rest = String::new();
    let mut at = range.start;
    for r in cut {
        if r.start > at {
            rest.push_str(&text[at..r.start]);
        }
        at = at.max(r.end);
    }
    if at < range.end {
        rest.push_str(&text[at..range.end]);
    }
    rest
}

/// Sorted spans joined where they overlap or only closers lie between.
fn merge(text: &str, mut spans: Vec<Range<usize>>) -> Vec<Range<usize>> {
    spans.sort_by_key(|r| r.start);
    let mut out: Vec<Range<usize>> = Vec::new();
    for r in spans {
        match out.last_mut() {
            Some(prev) if r.start <= after_closers(text, prev.end) => {
                prev.end = prev.end.max(r.end)
            }
            _ => out.push(r),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::{Line, clean};
    use super::find;

    fn is_filler(s: &str) -> bool {
        let f = crate::fold::fold(s);
        let line = Line {
            text: s,
            folded: &f,
        };
        find(&line).is_some_and(|h| h.span == (0..f.len()))
    }

    /// What the whole cleaner keeps of one line.
    fn kept(s: &str) -> Vec<String> {
        clean(&[s.to_owned()], &crate::pipeline::Deadline::never())
            .expect("no deadline")
            .kept
            .into_iter()
            .map(|k| k.text)
            .collect()
    }

    #[test]
    fn finds_filler_in_both_scripts() {
        assert!(is_filler(
            "總結是我們成長路上的里程碑,是值得回憶的重要片段。這些總結范文囊括了各種不同情境下的總結,適合不同人群的需求。"
        ));
        assert!(is_filler(
            "一千个人就有一千种生存方式和生活道路,要想改变一些事情,首先得把自己给找回来。下面是众鑫文档网小编为您推荐市委书记在旅游节上发言致辞。"
        ));
        assert!(is_filler("下面是小编为大家整理的讲话稿,仅供参考。"));
        assert!(is_filler(
            "今年市委提出全力打造十个*,下面是小编给大家带来的讲话,希望大家喜欢。"
        ));
        assert!(is_filler("下面是小编给大家带来的讲话。希望大家喜欢!"));
        assert!(is_filler(
            "一分耕耘一分收获,要想把工作做好,首先要把思路理清楚。下面是小编为您推荐的讲话。"
        ));
        assert!(is_filler(
            "总结是对过去一段时间工作的回顾和检查,是推动工作前进的重要环节。下面是公文范文网小编为大家整理的工作总结,希望大家喜欢。"
        ));
    }

    #[test]
    fn keeps_speech_sentences() {
        assert!(kept("我们要推荐一批优秀项目参加全省评比,整理好项目清单。").len() == 1);
        assert!(kept("希望大家喜欢常德、爱上常德。").len() == 1);
        assert!(kept("要精选一批重点企业,开展一对一帮扶。").len() == 1);
        assert!(kept("研究如何克服困难,要想改变一些事情就要动真格。").len() == 1);
    }

    #[test]
    fn a_clause_continuing_a_blurb_goes_with_it() {
        assert!(is_filler(
            "总结是我们成长路上的里程碑,是回顾过去、展望未来的重要时刻。"
        ));
        assert_eq!(
            kept("总结是我们成长路上的里程碑,要把项目是否落地作为考核标准。"),
            ["要把项目是否落地作为考核标准。"]
        );
    }

    #[test]
    fn keeps_speech_text_pasted_into_filler() {
        let cases = [
            (
                "深入开展“首席服务官”专项行动。总结是我们成长路上的里程碑,是值得回忆的重要片段。如何克服困难,实现自己的目标是每个人都需要思考的问题。",
                vec!["深入开展“首席服务官”专项行动。"],
            ),
            (
                "總結是我們成長路上的里程碑,持續深化雙過半改革,是值得回憶的重要片段。",
                vec!["持續深化雙過半改革,"],
            ),
            (
                "总结是我们成长路上的里程碑,是值得回忆的重要片段。(拿地即开工)如何克服困难,实现自己的目标是每个人都需要思考的问题。",
                vec!["(拿地即开工)"],
            ),
            (
                "这些总结范文囊括了各种不同情境下的总结,确保百日会战适合不同人群的需求。",
                vec!["确保百日会战"],
            ),
            (
                "这些总结范文囊括了各种不同情境下的总结,一网通办是当前工作的重中之重。适合不同人群的需求。",
                vec!["一网通办是当前工作的重中之重。"],
            ),
            (
                "如何克服困难,按照链长制的部署,实现自己的目标是每个人都需要思考的问题。",
                vec!["按照链长制的部署,"],
            ),
        ];
        for (line, want) in cases {
            assert_eq!(kept(line), want, "{line}");
        }
    }
}
