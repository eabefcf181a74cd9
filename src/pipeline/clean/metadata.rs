//! Metadata: what a page says *about* the speech, not the speech.
//!
//! - **Info rows and disclosure tables**: a line of `label:value` fields, or
//!   of `|` cells, whose labels are the words such tables use (索引号, 分类,
//!   发文机构, 文号, 日期, 有效性, 来源, 作者, 浏览次数…): `索引号:
//!   0031/2019-00336 组配分类: 规范性文件`, `文件名称 | … | 索引号 | …`, or a
//!   label alone (`发文字号:`), whose value follows on the next line (the
//!   page model takes that value line, `page_model`). A row's date (under a
//!   date label) and the title it names (`文件名称 | …`, `名称:…`) are kept as
//!   facts.
//! - **Bylines and credits**: `本报讯`, `(记者 王某 通讯员 李某)`, `(图/记者某某摄)`,
//!   `记者某某/某地报导`, `某某社记者 某某`, `某某 摄`.
//! - **Fields glued into text**: a document id opening a line
//!   (`编号:541193579某某讲话…`) and a bracketed field (`[标签:介绍]`).
//! - **Photo captions** marked `▲`/`▼`/`△`.
//! - **Page counters**: `第1页共8页`, `(第3/21页)`, `第2页 / 共4页`, a line `1/8`;
//!   a poll's tally line (`总计 票。`, `已有 1024 人参与`).
//! - **Tags** opening a line or a sentence: `【致辞人】`, `【同期】`, `【某某新闻台】`
//!   (a short bracketed label; part headings such as `【篇一】` are left to
//!   `split`), and a title label inside a line (`文章标题:`).
//! - **Signatures**: an editor's name in brackets after the last sentence
//!   of a paragraph (`…。(王某某)`); `(掌声)` and `(完)` are not names.
//!
//! A speech sentence is never one of these: labels must be the table's
//! words and the line must not be a finished sentence; a byline needs its
//! `讯`, `记者` or `摄`; a counter needs both numbers and 页.

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, Hit, Line, folded_regex};

/// Words that make a `label:` a metadata label (contained in the label).
const LABEL_WORDS: &str = "索引|分类|机构|文号|字号|日期|时间|有效|概述|来源|出处|关键词|主题词|名称|目录|\
部门|形式|范围|作者|编辑|责编|阅读|浏览|点击|编号|标签|栏目|审核|校对|签发|供稿|撰稿|摄影|通讯员|发布|发文|\
成文|公开|生成|生效|废止|次数|字数|格式|大小|页数|上传|体裁|类别|访问";

/// A `label:` field: a short run of Chinese text ending in a colon.
static FIELD: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:^|[\s|])(?P<label>[\p{Han}]{2,8})\s*:").expect("constant"));
/// A label that is a metadata word.
static META_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(&format!(
        r"^[\p{{Han}}]{{0,6}}(?:{LABEL_WORDS})[\p{{Han}}]{{0,3}}$"
    ))
});
/// Labels whose date is the page's publish date.
static DATE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"发布|公开日期|发文日期|成文日期|发表|日期"));

/// Bylines and credits, cut out wherever they are.
static CREDIT: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(concat!(
        // 本报讯 (记者 某某), 本网讯 记者某某
        r"^\s*[(（【\[]?\s*(?:本报|本网|本台|本刊|本站)讯\s*[)）】\]]?(?:\s*[(（]?\s*(?:记者|通讯员)[^()（）。]{0,40}[)）])?",
        // (记者 某某 通讯员 某某), (图/记者某某摄), (文/某某)
        r"|[(（]\s*(?:记者|通讯员|特约记者|文\s*/|图\s*/|图文\s*/|摄影|责任编辑|责编|编辑\s*[:：])[^()（）。]{0,40}[)）]",
        // a photo credit closing a caption: `…。 某某社发 某某 摄`
        r"|(?:^|\s)(?:[\p{Han}]{2,8}\s+)?[\p{Han}]{2,4}\s+摄\s*$",
    ))
});
/// A line that is only a byline or a photo credit.
static BYLINE_LINE: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(concat!(
        r"^\s*(?:[\p{Han}]{2,5}(?:社|网|台|报))?\s*(?:记者|通讯员)\s*[\p{Han}、\s]{2,16}(?:/\s*[\p{Han}]{2,6}(?:报导|报道))?\s*$",
        r"|^\s*[^。!?,]{0,24}\s摄\s*$",
    ))
});
/// Page counters.
static COUNTER: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(concat!(
        r"[(（]?\s*第\s*\d{1,4}\s*页\s*[/,，]?\s*共\s*\d{1,4}\s*页\s*[)）]?",
        r"|[(（]\s*第?\s*\d{1,4}\s*/\s*\d{1,4}\s*页?\s*[)）]",
        r"|^\s*\d{1,4}\s*/\s*\d{1,4}\s*$",
        // a poll's or sign-up's tally, its number left blank by the scrape:
        // `总计 票。`, `已有 1024 人参与`
        r"|^\s*(?:总计|合计|共计|累计|已有|共有)\s*[\d,]*\s*(?:票|人次|人)(?:参与|投票|参加)?\s*[。.]?\s*$",
    ))
});
/// A document's id opening a line, glued to what follows (`编号:541193579…`),
/// and a bracketed field anywhere (`[标签:介绍]`, `【关键词:…】`).
static FIELD_INLINE: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(concat!(
        r"^\s*(?:文档|文章|资料)?(?:编号|索引号|id)\s*:\s*[0-9a-z][0-9a-z_/\-]{3,40}",
        r"|[\[【]\s*(?:标签|关键词|关键字|主题词|栏目|分类|来源|出处|作者|编辑|责编)\s*:[^\[\]【】]{0,24}[\]】]",
    ))
});
/// A short bracketed tag opening a line.
static TAG: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"(?:^|[\s!?。])\s*(?P<all>【(?P<tag>[^【】]{1,10})】)"));
/// A title label inside a line (`… 文章标题:…`): the label goes, the title stays.
static TITLE_FIELD: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"(?:^|\s)(?P<all>(?:文章|文件|信息|文档)(?:标题|名称)\s*:)"));
/// An editor's or reporter's name in brackets closing the last sentence
/// (`…旁听了会议。(王某某)`); audience reactions (`(掌声)`) are speech.
static SIGNATURE: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"[。!?”](?P<all>\s*[(（](?P<name>[\p{Han}]{2,4})[)）])\s*$"));
/// What a bracket after a sentence may hold that is no signature.
const NOT_A_NAME: &[&str] = &[
    "掌声",
    "笑声",
    "鼓掌",
    "热烈掌声",
    "完",
    "全文完",
    "待续",
    "未完待续",
];
/// Tags that head a compilation's part (left to `split`).
static PART_TAG: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"篇|范文|^第|^\d+$|^[一二三四五六七八九十]+$"));

/// Whether the folded line is a finished sentence (and so no table row).
fn is_sentence(folded: &str) -> bool {
    folded.contains(['。', '!', '?', ';'])
}

/// A metadata label alone (`发文字号:`, `文件名称`): its value is on the next line.
pub(super) fn is_label_only(folded: &str) -> bool {
    let t = folded
        .trim()
        .trim_start_matches(['•', '·', '-', '*'])
        .trim_end_matches([':', '|', ' '])
        .trim();
    META_LABEL.is_match(t)
}

/// Whether a label line names a date (`发布日期:`, `成文日期`).
pub(super) fn is_date_label(folded: &str) -> bool {
    is_label_only(folded) && DATE_LABEL.is_match(folded)
}

/// The metadata fields of a row: how many `label:` fields (or `|` cells)
/// are metadata labels, and whether the row is made only of fields.
fn table_row(folded: &str) -> bool {
    let t = folded
        .trim()
        .trim_start_matches(['•', '·', '-', '*'])
        .trim_start();
    if t.is_empty() || is_sentence(t) || t.chars().count() > 160 {
        return false;
    }
    if t.matches('|').count() >= 2 {
        let cells: Vec<&str> = t.split('|').map(str::trim).collect();
        return cells.iter().all(|c| c.chars().count() <= 40)
            && cells.iter().any(|c| !c.is_empty() && is_label_only(c));
    }
    let fields: Vec<_> = FIELD.captures_iter(t).collect();
    let meta = fields
        .iter()
        .filter(|c| META_LABEL.is_match(&c["label"]))
        .count();
    let starts_with_label = fields
        .first()
        .and_then(|c| c.get(0))
        .is_some_and(|m| t[..m.start()].trim().is_empty());
    // `索引号: … 组配分类: …`, or one field that opens a short line.
    (meta >= 2 && starts_with_label)
        || (meta == 1 && starts_with_label && t.chars().count() <= 60 && !t.contains(','))
        || is_label_only(t)
}

/// Labels that name the document's title.
static TITLE_LABEL: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"^(?:文件|文章|信息|文档)?(?:名称|标题|题名)$"));

/// The byte range (in the folded row) of the value of the row's title
/// field: the cell after a `名称` cell, or the text after `名称:` up to the
/// next field.
fn row_title(folded: &str) -> Option<std::ops::Range<usize>> {
    let range = if folded.matches('|').count() >= 2 {
        let mut at = 0;
        let mut cells = Vec::new();
        for c in folded.split('|') {
            cells.push(at..at + c.len());
            at += c.len() + 1;
        }
        let label = cells.iter().position(|r| {
            TITLE_LABEL.is_match(folded[r.clone()].trim().trim_end_matches(':').trim())
        })?;
        cells[label + 1..]
            .iter()
            .find(|r| !folded[(*r).clone()].trim().is_empty())?
            .clone()
    } else {
        let fields: Vec<_> = FIELD.captures_iter(folded).collect();
        let i = fields
            .iter()
            .position(|c| TITLE_LABEL.is_match(&c["label"]))?;
        let start = fields[i].get(0)?.end();
        let end = fields
            .get(i + 1)
            .and_then(|c| c.get(0))
            .map_or(folded.len(), |m| m.start());
        start..end
    };
    let value = &folded[range.clone()];
    let lead = value.len() - value.trim_start().len();
    let range = range.start + lead..range.start + lead + value.trim().len();
    (folded[range.clone()]
        .chars()
        .filter(|c| crate::pipeline::is_han(*c))
        .count()
        >= 4)
        .then_some(range)
}

/// The date of a table row, when one of its labels is a date label.
fn row_date(folded: &str) -> Vec<Fact> {
    let labelled = FIELD
        .captures_iter(folded)
        .any(|c| DATE_LABEL.is_match(&c["label"]))
        || folded.split('|').any(|c| DATE_LABEL.is_match(c.trim()));
    match super::publish_stamp::first_date(folded) {
        Some(d) if labelled => vec![Fact::Date(d)],
        _ => Vec::new(),
    }
}

/// Whether the folded line holds one of `chars` (folded as patterns are).
///
/// The unanchored patterns below would each read the whole of every line;
/// each is tried only on a line holding a char it cannot match without
/// (`str::contains` finds a char with `memchr`), and most lines of a
/// speech hold none.
fn holds_any(folded: &str, chars: &str) -> bool {
    chars
        .chars()
        .any(|c| folded.contains(crate::fold::fold_char(c)))
}

/// The chars each unanchored pattern needs one of: [`CREDIT`] (`讯` of
/// `本报讯`, the bracket of a credit, `摄`), [`COUNTER`] (`页`, the `/` of
/// `3/21`, the `票` or `人` of a tally), [`FIELD_INLINE`] (its colon),
/// [`TAG`] (`【`), [`TITLE_FIELD`] (its colon; `标题` or `名称`) and
/// [`SIGNATURE`] (its bracket).
const CREDIT_NEEDS: &str = "讯(（摄";
const COUNTER_NEEDS: &str = "页/票人";
const FIELD_INLINE_NEEDS: &str = ":：";
const TAG_NEEDS: &str = "【";
const TITLE_FIELD_NEEDS: &str = "题称";
const SIGNATURE_NEEDS: &str = ")）";

pub(super) fn find(line: &Line) -> Option<Hit> {
    find_gated(line, true)
}

/// [`find`]; `gated: false` tries every pattern on every line (the test
/// that the gates change nothing).
fn find_gated(line: &Line, gated: bool) -> Option<Hit> {
    let f = line.folded;
    let may = |needs: &str| !gated || holds_any(f, needs);
    if table_row(f) {
        let mut facts = row_date(f);
        if let Some(r) = row_title(f) {
            facts.push(Fact::NamedTitle(line.orig(r).to_owned()));
        }
        return Some(Hit::whole(line, facts));
    }
    if BYLINE_LINE.is_match(f) {
        return Some(Hit::whole(line, Vec::new()));
    }
    let t = f.trim_start();
    if t.starts_with(['▲', '▼', '△']) && t.chars().count() <= 120 {
        return Some(Hit::whole(line, Vec::new()));
    }
    let inline = [
        (&*CREDIT, CREDIT_NEEDS),
        (&*COUNTER, COUNTER_NEEDS),
        (&*FIELD_INLINE, FIELD_INLINE_NEEDS),
    ]
    .iter()
    .filter(|(_, needs)| may(needs))
    .filter_map(|(re, _)| re.find(f))
    .min_by_key(|m| m.start());
    if let Some(m) = inline {
        return Some(Hit {
            span: m.range(),
            facts: Vec::new(),
            elided: None,
        });
    }
    if let Some(c) = may(TAG_NEEDS).then(|| TAG.captures(f)).flatten()
        && !PART_TAG.is_match(&c["tag"])
        && !f[c.name("all")?.end()..].trim().is_empty()
    {
        return Some(Hit {
            span: c.name("all")?.range(),
            facts: Vec::new(),
            elided: None,
        });
    }
    let signature = may(SIGNATURE_NEEDS)
        .then(|| SIGNATURE.captures(f))
        .flatten()
        .filter(|c| !NOT_A_NAME.contains(&&c["name"]));
    let title_field = (may(FIELD_INLINE_NEEDS) && may(TITLE_FIELD_NEEDS))
        .then(|| TITLE_FIELD.captures(f))
        .flatten();
    if let Some(c) = title_field.or(signature) {
        return Some(Hit {
            span: c.name("all")?.range(),
            facts: Vec::new(),
            elided: None,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cut(s: &str) -> Option<String> {
        super::super::cut_by(find, s)
    }

    /// Pieces of the lines the patterns look for, and of speech around them.
    const FRAGMENTS: &[&str] = &[
        "本报讯",
        "本網訊",
        "(",
        ")",
        "（",
        "）",
        "记者",
        "通讯员",
        "图/",
        "文/",
        "王某某",
        " ",
        "摄",
        "第",
        "3",
        "21",
        "页",
        "頁",
        "共",
        "/",
        "／",
        "总计",
        "票",
        "人",
        "已有",
        "人次",
        "编号",
        ":",
        "：",
        "541193579",
        "【",
        "】",
        "[",
        "]",
        "标签",
        "介绍",
        "文章",
        "標題",
        "标题",
        "名称",
        "。",
        "!",
        "?",
        "”",
        "同志们",
        "今天我们召开全县大会",
        "掌声",
        "致辞人",
        "篇一",
        "id",
        // whole findings, so that a gate missing its pattern's char is seen
        "本报讯 (记者 王某某)",
        "(图/记者王某某摄)",
        "某某社发 王某 摄",
        "第3页共8页",
        "(第3/21页)",
        "3/8",
        "总计 票。",
        "编号:541193579",
        "[标签:介绍]",
        " 【致辞人】",
        "文章标题:",
        "。(王某某)",
    ];

    proptest::proptest! {
        #![proptest_config(proptest::prelude::ProptestConfig::with_cases(1000))]

        #[test]
        fn a_line_without_a_char_a_pattern_needs_never_matches(
            picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..14)
        ) {
            for (re, needs) in [
                (&*CREDIT, CREDIT_NEEDS),
                (&*COUNTER, COUNTER_NEEDS),
                (&*FIELD_INLINE, FIELD_INLINE_NEEDS),
                (&*TAG, TAG_NEEDS),
                (&*TITLE_FIELD, TITLE_FIELD_NEEDS),
                (&*TITLE_FIELD, FIELD_INLINE_NEEDS),
                (&*SIGNATURE, SIGNATURE_NEEDS),
            ] {
                let s: String = picks
                    .iter()
                    .map(|&i| FRAGMENTS[i])
                    .filter(|f| !holds_any(&crate::fold::fold(f), needs))
                    .collect();
                let folded = crate::fold::fold(&s);
                proptest::prop_assert!(!re.is_match(&folded), "{} matches {}", re.as_str(), s);
            }
        }

        #[test]
        fn the_gates_change_no_finding(picks in proptest::collection::vec(0..FRAGMENTS.len(), 0..14)) {
            let s: String = picks.iter().map(|&i| FRAGMENTS[i]).collect();
            let folded = crate::fold::fold(&s);
            let line = Line { text: &s, folded: &folded };
            proptest::prop_assert_eq!(find_gated(&line, true), find_gated(&line, false), "{}", s);
        }
    }

    #[test]
    fn info_rows_and_disclosure_tables() {
        for row in [
            "索引号: 0041/2023-00871 组配分类: 政策解读",
            "信息分类: 通知   发布机构: 某某县人民政府办公室",
            "浏览次数: 311 内容概述:",
            "发文字号:",
            "主题分类:",
            "文件名称 | 某某县2024年工作要点 | |",
            "有效性 | 有效 | 公开日期: | 2024-02-11 09:30 |",
            "作者: 佚名 来源: 原创",
        ] {
            assert_eq!(cut(row).as_deref(), Some(row), "{row}");
        }
    }

    #[test]
    fn a_dated_row_gives_the_date() {
        let s = "成文日期: 2024年02月10日 发布日期: 2024-02-11";
        let folded = crate::fold::fold(s);
        let hit = find(&Line {
            text: s,
            folded: &folded,
        })
        .expect("a row");
        assert_eq!(hit.facts, vec![Fact::Date("2024-02-10".into())]);
    }

    #[test]
    fn a_row_that_names_the_title_gives_it() {
        for (s, want) in [
            (
                "文件名称 | 某某县2024年政府工作报告 | |",
                "某某县2024年政府工作报告",
            ),
            (
                "废止时间: 2025-01-01 名称: 某某县人民政府关于印发规则的通知 文号:",
                "某某县人民政府关于印发规则的通知",
            ),
        ] {
            let folded = crate::fold::fold(s);
            let hit = find(&Line {
                text: s,
                folded: &folded,
            })
            .expect("a row");
            assert!(
                hit.facts.contains(&Fact::NamedTitle(want.into())),
                "{s}: {:?}",
                hit.facts
            );
        }
    }

    #[test]
    fn bylines_credits_captions_counters_and_tags() {
        assert_eq!(
            cut("本报讯(记者 张某 通讯员 李某)昨日,全县召开大会。").as_deref(),
            Some("本报讯(记者 张某 通讯员 李某)")
        );
        assert_eq!(
            cut("会议强调要抓好落实。(图/记者王某摄)").as_deref(),
            Some("(图/记者王某摄)")
        );
        assert_eq!(
            cut("記者趙某某/台中報導").as_deref(),
            Some("記者趙某某/台中報導")
        );
        assert_eq!(cut("某某社记者 钱某").as_deref(), Some("某某社记者 钱某"));
        assert_eq!(
            cut("▲会议现场,与会代表认真听讲。").as_deref(),
            Some("▲会议现场,与会代表认真听讲。")
        );
        assert_eq!(cut("第2页共5页").as_deref(), Some("第2页共5页"));
        assert_eq!(
            cut("各项工作稳步推进(第3/12页)").as_deref(),
            Some("(第3/12页)")
        );
        assert_eq!(cut("3/8").as_deref(), Some("3/8"));
        assert_eq!(cut("總計 票。").as_deref(), Some("總計 票。"));
        assert_eq!(cut("已有 1024 人参与").as_deref(), Some("已有 1024 人参与"));
        assert_eq!(
            cut("编号:541193579在全县大会上的讲话今天开会。").as_deref(),
            Some("编号:541193579")
        );
        assert_eq!(
            cut("我们要抓项目、促发展[标签:讲话]").as_deref(),
            Some("[标签:讲话]")
        );
        assert_eq!(
            cut("【同期】今天我们在这里开会。").as_deref(),
            Some("【同期】")
        );
        assert_eq!(
            cut("就职典礼致辞全文来了! 【现场】各位来宾").as_deref(),
            Some("【现场】")
        );
        assert_eq!(
            cut("某某讲话 文章标题:某某在大会上的讲话").as_deref(),
            Some("文章标题:")
        );
        assert_eq!(
            cut("代表们旁听了会议。(钱某某)").as_deref(),
            Some("(钱某某)")
        );
        assert_eq!(cut("让我们共同努力!(掌声)"), None);
    }

    #[test]
    fn speech_sentences_are_not_metadata() {
        for s in [
            "同志们:",
            "各位代表:",
            "主要目标:全市生产总值增长6%左右,一般公共预算收入增长5%。",
            "一、发布机制要健全",
            "要严格执行发文制度,规范公文来源,做到有据可查。",
            "记者问:今年的重点工作是什么?",
            "要把招商引资作为“一号工程”,全年引进项目1/3以上来自长三角。",
            "【篇一】在全县大会上的讲话",
            "我们在第3页已经说明了有关情况。",
            "今年全市共完成投资1200亿元,同比增长8%。",
        ] {
            assert_eq!(cut(s), None, "{s}");
        }
    }
}
