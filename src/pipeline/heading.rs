//! What headings look like: section markers (`一、` `(一)` `1、` `(1)` `第一,`
//! `一是`), compilation part headings (`…篇一`, `第二篇`, `范文3`) and title lines.
//!
//! Shared by the stages that need to tell a heading from a sentence: the
//! cleaner (never rejoin a heading to the next line), split (where a part
//! starts) and structure (sections and titles). Pure functions of one
//! line's folded text.

use std::sync::LazyLock;

use regex::Regex;

/// Chinese numerals as they appear in headings.
const NUM: &str = "[一二三四五六七八九十百零〇两]+";

/// Section markers, outermost first; the index is the level.
static MARKERS: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        format!(r"^\s*(?:第{NUM}(?:部分|章|篇)|{NUM}\s*[、.．])"),
        format!(r"^\s*[(（]\s*{NUM}\s*[)）]"),
        r"^\s*\d{1,2}\s*(?:[、．]|\.(?:\D|$))".to_owned(),
        r"^\s*(?:[(（]\s*\d{1,2}\s*[)）]|[①-⑳])".to_owned(),
        format!(r"^\s*第{NUM}\s*[,，、:：]"),
        format!(r"^\s*{NUM}(?:是|要|抓|在|看|靠)"),
    ]
    .iter()
    .map(|p| Regex::new(p).expect("constant heading pattern"))
    .collect()
});

/// Number of section levels [`section_level`] can return.
pub const LEVELS: usize = 6;

/// The section level (0 = outermost) of a line that opens with a section
/// marker, e.g. `二、…` → 0, `(一)…` → 1, `1、…` → 2, `一是…` → 5.
pub fn section_level(folded: &str) -> Option<usize> {
    MARKERS.iter().position(|re| re.is_match(folded))
}

/// Sentence-final punctuation (and closers that end a sentence).
pub fn ends_sentence(folded: &str) -> bool {
    folded.trim_end().ends_with([
        '。', '!', '?', '！', '？', ';', '；', '…', '”', '"', '」', '』', ')', '）', '】',
    ])
}

/// Whether a line is a heading on its own: a section marker, short, and not
/// a finished sentence (`一、进一步统一思想`), as opposed to a paragraph that
/// opens with a marker (`1、解决人员不精问题。今天会议之后,…`).
pub fn is_heading_line(folded: &str) -> bool {
    let t = folded.trim();
    section_level(t).is_some()
        && t.chars().count() <= 60
        && !t.ends_with(['。', '!', '?', '！', '？', ';', '；'])
}

/// Compilation part headings: `市委书记招商引资讲话篇一`, `第二篇`, `范文3`,
/// `【篇三】…`. A collection's own title (`…讲话大全(15篇)`) is not one.
static PART: LazyLock<Regex> = LazyLock::new(|| {
    let core = format!(
        r"(?:.{{0,40}}?篇\s*(?:{NUM}|\d{{1,3}})|第\s*(?:{NUM}|\d{{1,3}})\s*篇|.{{0,40}}?范文\s*(?:{NUM}|\d{{1,3}}))"
    );
    Regex::new(&format!(
        r"^\s*(?:[【\[]\s*{core}\s*[】\]].{{0,60}}|{core}\s*(?:[:：].{{0,60}})?)$"
    ))
    .expect("constant part pattern")
});

/// Whether a line is a compilation part heading.
pub fn is_part_heading(folded: &str) -> bool {
    let t = folded.trim();
    may_be_part_heading(t)
        && !ends_sentence(t)
        && !t.contains(['。', ',', '，'])
        && PART.is_match(t)
}

/// Whether a text, folded or not, is short enough for [`is_part_heading`]
/// (80 chars, trimmed): folding maps one char to one, and whitespace to
/// whitespace only, so a text that is too long unfolded is too long folded.
pub fn may_be_part_heading(text: &str) -> bool {
    text.trim().chars().count() <= 80
}

/// Words that end a speech title: `…上的讲话`, `…致辞`, `…致辞全文(附图)`.
static TITLE_END: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?:讲话|讲话稿|发言|发言稿|致辞|贺词|报告|讲稿|总结|主持词|动员令|演讲|讲话提纲|意见|通知|决定|方案|汇报|规则|办法|计划|纲要|谈话|要点|细则)(?:全文|内容|稿|范文|材料)?\s*(?:[)）]|[(（][^()（）]{1,12}[)）])?$")
        .expect("constant title pattern")
});

/// Whether a line looks like a title line: short, no sentence punctuation at
/// its end, no section marker, not a salutation (`同志们:`).
pub fn is_title_like(folded: &str) -> bool {
    let t = folded.trim();
    let n = t.chars().count();
    (4..=80).contains(&n)
        && !t.ends_with([
            '。', '!', '?', '！', '？', ';', '；', ':', '：', ',', '，', '、',
        ])
        && section_level(t).is_none()
}

/// Whether a title-like line ends with a word titles end with (`讲话`, `致辞`…).
pub fn has_title_ending(folded: &str) -> bool {
    TITLE_END.is_match(folded.trim())
}

/// Whether a line is a salutation opening the speech: `同志们:`, `各位领导、同志们：`.
pub fn is_salutation(folded: &str) -> bool {
    let t = folded.trim();
    t.chars().count() <= 40 && t.ends_with([':', '：']) && !t.contains('。')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn section_levels() {
        assert_eq!(section_level("二、全面提升项目推进效率"), Some(0));
        assert_eq!(section_level("(一)以更大力度融入"), Some(1));
        assert_eq!(section_level("（三）强化平台建设"), Some(1));
        assert_eq!(section_level("1、解决人员不精问题。今天"), Some(2));
        assert_eq!(section_level("3.加强国际交流"), Some(2));
        assert_eq!(section_level("(2)加强督查"), Some(3));
        assert_eq!(section_level("第四,招大引强取得突破。"), Some(4));
        assert_eq!(section_level("一是要充分认识"), Some(5));
        assert_eq!(section_level("2.5亿元的项目已经落地。"), None);
        assert_eq!(section_level("2022年,是我市"), None);
        assert_eq!(section_level("一把手要在一线抓。"), None);
        assert_eq!(section_level("一个柳叶湖,21.8平方公里"), None);
    }

    #[test]
    fn heading_lines_and_paragraphs() {
        assert!(is_heading_line(
            "一、进一步统一思想,凝心聚力,全力投入招商引资冲刺"
        ));
        assert!(!is_heading_line(
            "1、解决人员不精问题。今天会议之后,招商局要对全县进行逐一过堂。"
        ));
    }

    #[test]
    fn part_headings() {
        assert!(is_part_heading("市委书记招商引资讲话篇一"));
        assert!(is_part_heading("市委书记招商引资讲话篇十五"));
        assert!(is_part_heading("第二篇"));
        assert!(is_part_heading("【篇三】在全县大会上的讲话"));
        assert!(is_part_heading("范文3"));
        assert!(is_part_heading("招商引资讲话范文二:在全市大会上的讲话"));
        assert!(!is_part_heading("市委书记招商引资讲话大全(15篇)"));
        assert!(!is_part_heading(
            "屈原、宋玉等在这里留下了脍炙人口的诗篇,成为瑰宝。"
        ));
        assert!(!is_part_heading("谱写高质量发展新篇章"));
    }

    #[test]
    fn titles_and_salutations() {
        assert!(is_title_like("在全市工业倍增暨招商引资攻坚大会上的讲话"));
        assert!(has_title_ending("在全市工业倍增暨招商引资攻坚大会上的讲话"));
        assert!(has_title_ending("区长在新春团拜会上的致辞全文(附图)"));
        assert!(has_title_ending("在全区工作会议上的讲话范文"));
        assert!(!has_title_ending("讲话精神要落到实处"));
        assert!(!is_title_like("同志们:"));
        assert!(is_salutation("同志们:"));
        assert!(is_salutation("尊敬的各位领导,各位来宾:"));
        assert!(!is_title_like("一、认清形势"));
    }
}
