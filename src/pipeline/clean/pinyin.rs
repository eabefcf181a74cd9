//! Pinyin annotations: `進(jìn)一步` → `進一步`.
//!
//! Some sites run a "pinyin helper" over their pages that writes the reading
//! of a character in brackets after it. The annotation is one pinyin syllable
//! with a tone mark, in ASCII or full-width brackets, right after a
//! char that is not an ASCII letter, digit or space. It must never touch `(一)`, `(2021-2023年)`, `(**)`,
//! `人工智能(AI)` or `(de)`: without a tone mark a bracket is not taken for
//! pinyin.

use std::sync::LazyLock;

use regex::Regex;

/// A bracketed candidate: letters with a tone-marked vowel, or with a `?`
/// where an encoding without tone marks (Big5) lost it, after a char that is
/// neither an ASCII letter or digit nor whitespace.
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"([^A-Za-z0-9\s])([(（]([a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ?][a-zü]{0,5})[)）])",
    )
    // A constant pattern, exercised by every test below.
    .expect("pinyin pattern compiles")
});

const INITIALS: &[&str] = &[
    "zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q", "x", "r",
    "z", "c", "s", "y", "w", "",
];
const FINALS: &[&str] = &[
    "iang", "iong", "uang", "ueng", "ang", "eng", "ing", "ong", "iao", "ian", "uai", "uan", "van",
    "üan", "ai", "ei", "ui", "ao", "ou", "iu", "ie", "ve", "üe", "ue", "er", "an", "en", "in",
    "un", "vn", "ün", "ia", "ua", "uo", "ng", "a", "o", "e", "i", "u", "v", "ü", "n", "m",
];

/// The toneless form of a toned vowel.
fn base(c: char) -> char {
    match c {
        'ā' | 'á' | 'ǎ' | 'à' => 'a',
        'ē' | 'é' | 'ě' | 'è' => 'e',
        'ī' | 'í' | 'ǐ' | 'ì' => 'i',
        'ō' | 'ó' | 'ǒ' | 'ò' => 'o',
        'ū' | 'ú' | 'ǔ' | 'ù' => 'u',
        'ǖ' | 'ǘ' | 'ǚ' | 'ǜ' => 'ü',
        'ń' | 'ň' | 'ǹ' => 'n',
        c => c,
    }
}

/// Whether a toneless string is one pinyin syllable: an initial and a final.
fn is_syllable(s: &str) -> bool {
    INITIALS
        .iter()
        .any(|i| s.strip_prefix(i).is_some_and(|f| FINALS.contains(&f)))
}

/// Whether a bracket's content is one annotated pinyin syllable; a `?` must
/// stand for a vowel that makes it one.
fn is_annotation(content: &str) -> bool {
    let toneless: String = content.chars().map(base).collect();
    match toneless.matches('?').count() {
        0 => is_syllable(&toneless),
        // `(?)` alone is a question, not a syllable.
        1 if toneless.len() > 1 => ["a", "e", "i", "o", "u", "ü"]
            .iter()
            .any(|v| is_syllable(&toneless.replace('?', v))),
        _ => false,
    }
}

/// Removes every pinyin annotation from a line; returns the repaired line
/// and the annotations removed (concatenated, empty when none).
pub(super) fn strip(line: &str) -> (String, String) {
    if !line.contains(['(', '（']) {
        return (line.to_owned(), String::new());
    }
    let mut removed = String::new();
    let mut out = String::with_capacity(line.len());
    let mut last = 0;
    // A loop rather than `replace_all` so that runs like `講(jiǎng)話(huà)`
    // are all found: each match consumes the char before the bracket only.
    let mut at = 0;
    while let Some(c) = ANNOTATION.captures_at(line, at) {
        let (Some(ann), Some(content), Some(before)) = (c.get(2), c.get(3), c.get(1)) else {
            break;
        };
        // A `?` for a lost tone mark is taken only after a Chinese char.
        let lost_tone = content.as_str().contains('?');
        let after_han = before.as_str().chars().all(|ch| ch > '\u{2E80}');
        if is_annotation(content.as_str()) && (!lost_tone || after_han) {
            out.push_str(&line[last..ann.start()]);
            removed.push_str(ann.as_str());
            last = ann.end();
        }
        at = ann.end();
    }
    out.push_str(&line[last..]);
    (out, removed)
}

#[cfg(test)]
mod tests {
    use super::strip;

    #[test]
    fn removes_annotations_in_both_scripts_and_bracket_widths() {
        assert_eq!(strip("進(jìn)一步統(tǒng)一思想").0, "進一步統一思想");
        assert_eq!(strip("講(jiǎng)話(huà)").0, "講話");
        assert_eq!(strip("区（qū）域").0, "区域");
        assert_eq!(strip("正式會(huì)員").1, "(huì)");
        // After a mojibake char, as seed pages have it.
        assert_eq!(strip("嵌赐ズ^(qū)域").0, "嵌赐ズ^域");
        assert_eq!(strip("女(nǚ)士").0, "女士");
    }

    #[test]
    fn removes_annotations_whose_tone_mark_an_encoding_lost() {
        assert_eq!(strip("會戰(zh?n)活動(d?ng)總結(ji?)").0, "會戰活動總結");
        assert_eq!(strip("講話(hu?)").0, "講話");
        assert_eq!(strip("你知道吗(why?)").0, "你知道吗(why?)");
        assert_eq!(strip("是(a?b)吗").0, "是(a?b)吗");
        assert_eq!(strip("好吗(?)").0, "好吗(?)");
    }

    #[test]
    fn keeps_brackets_that_are_not_pinyin() {
        for keep in [
            "(一)以更大力度融入",
            "《工业倍增三年行动计划(2021-2023年)》",
            "新增工业用地(**)亩",
            "人工智能(AI)产业",
            "人工智能(ai)产业",
            "的(de)",
            "通过率(100%)",
            "(jìn)在行首",
            "abc(jìn)",
            "提纲(ǎbc)",
        ] {
            assert_eq!(strip(keep).0, keep);
        }
    }
}
