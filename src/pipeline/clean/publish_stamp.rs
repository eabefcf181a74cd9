//! Publish stamps: `发表时间:2024/5/21 18:48:54`, `格式:DOC 上传日期:2023-12-13 21:18:04`,
//! `时间:2023-12-13 21:18:04 小编:字海`, `来源:某某日报 作者:张三`.
//!
//! A stamp is a short line of `label:value` fields. The first date on it is
//! kept as the speech's date. A body sentence that mentions a date or a
//! 时间 has no such label and colon, or is long and ends like a sentence.

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, Hit, Line, folded_regex};

/// Stamp labels followed by a colon.
static LABEL: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"(?:^|\s)(?:(?:发表|发布|上传|更新|录入|创建|提交|编辑|修改)(?:时间|日期|于)|时间|日期|小编|作者|来源|出处|责任编辑|编辑|浏览|阅读|点击|浏览次数|阅读次数|点击数|浏览量|阅读量|字数|格式|文章来源)\s*[:：]",
    )
});
/// A date: 2024/5/21, 2023-12-13, 2023年8月6日, 2023.08.06.
static DATE: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(r"(?P<y>(?:19|20)\d{2})\s*[-/年.]\s*(?P<m>\d{1,2})\s*[-/月.]\s*(?P<d>\d{1,2})")
});

/// Reads the first valid date in a folded string as `YYYY-MM-DD`.
pub(crate) fn first_date(folded: &str) -> Option<String> {
    DATE.captures_iter(folded).find_map(|c| {
        let y: u32 = c["y"].parse().ok()?;
        let m: u32 = c["m"].parse().ok()?;
        let d: u32 = c["d"].parse().ok()?;
        ((1..=12).contains(&m) && (1..=31).contains(&d)).then(|| format!("{y:04}-{m:02}-{d:02}"))
    })
}

pub(super) fn find(line: &Line) -> Option<Hit> {
    let label = LABEL.find(line.folded)?;
    let chars = line.folded.chars().count();
    let date = first_date(line.folded);
    // A stamp is short; it starts with its label, or carries a date.
    let starts = line.folded[..label.start()].trim().is_empty();
    let sentence = line
        .folded
        .trim_end()
        .ends_with(['。', '!', '?', '！', '？']);
    if chars > 120 || sentence || !(starts || date.is_some()) || (!starts && chars > 60) {
        return None;
    }
    Some(Hit::whole(line, date.map(Fact::Date).into_iter().collect()))
}

#[cfg(test)]
mod tests {
    use super::super::{Fact, Line};
    use super::find;

    fn run(s: &str) -> Option<Vec<Fact>> {
        let f = crate::fold::fold(s);
        find(&Line {
            text: s,
            folded: &f,
        })
        .map(|h| h.facts)
    }

    #[test]
    fn finds_stamps_and_their_dates() {
        assert_eq!(
            run("發表時間:2023/8/6 21:04:19"),
            Some(vec![Fact::Date("2023-08-06".into())])
        );
        assert_eq!(
            run("格式:DOC 上傳日期:2023-12-13 21:18:04"),
            Some(vec![Fact::Date("2023-12-13".into())])
        );
        assert_eq!(
            run("時間:2023-12-13 21:18:04 \u{a0}\u{a0}\u{a0} 小編:字海"),
            Some(vec![Fact::Date("2023-12-13".into())])
        );
        assert_eq!(
            run("发布时间：2022年3月8日"),
            Some(vec![Fact::Date("2022-03-08".into())])
        );
        assert_eq!(run("来源：某某日报  作者：张三"), Some(vec![]));
    }

    #[test]
    fn keeps_sentences_with_dates_and_times() {
        assert_eq!(
            run("2022年,是我市工业倍增三年行动的第二年,是承上启下的一年。"),
            None
        );
        assert_eq!(
            run("自去年6月10日召开全市大会以来,时间:紧迫,任务繁重。"),
            None
        );
        assert_eq!(run("时间就是效益,大家要只争朝夕"), None);
    }
}
