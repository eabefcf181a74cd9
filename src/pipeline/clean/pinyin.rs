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
    Regex::new(r"([^\s])([(（?]([a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ?][a-zü]{0,5})[)）])")
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
    // (Three byte searches: a search for any of three chars steps char by
    // char through every line of every page.)
    let bytes = line.as_bytes();
    if memchr::memchr2(b'(', b'?', bytes).is_none()
        && memchr::memmem::find(bytes, "（".as_bytes()).is_none()
    {
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
        // A `?` for a lost tone mark, or for a lost `(` (mojibake ate it),
        // is taken only after a Chinese char.
        let lost_tone = content.as_str().contains('?');
        let lost_open = ann.as_str().starts_with('?');
        let prev = before.as_str().chars().next().unwrap_or(' ');
        let after_han = prev > '\u{2E80}';
        // After an ASCII letter or digit only when it is a lone letter
        // (`閷I(yè)`, `?,F(xiàn)` in mojibake), never in `abc(jìn)`.
        let ok_before = if prev.is_ascii_alphanumeric() {
            prev.is_ascii_alphabetic()
                && !line[..before.start()]
                    .chars()
                    .next_back()
                    .is_some_and(|c| c.is_ascii_alphanumeric())
        } else {
            true
        };
        let ok = is_annotation(content.as_str())
            && ok_before
            && (!(lost_tone || lost_open) || after_han);
        if ok && !(lost_tone && lost_open) {
            // A `?` that stands for an eaten `(` is mojibake, not pinyin:
            // it stays, so the garbage is still seen as such.
            let start = if lost_open {
                ann.start() + 1
            } else {
                ann.start()
            };
            out.push_str(&line[last..start]);
            removed.push_str(&line[start..ann.end()]);
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
    fn removes_annotations_mangled_by_mojibake() {
        // A lone ASCII letter of mojibake before the bracket.
        assert_eq!(strip("閷I(yè)的").0, "閷I的");
        assert_eq!(strip("偨Y(jié)果").0, "偨Y果");
        assert_eq!(strip("激烈?,F(xiàn)在").0, "激烈?,F在");
        // The opening bracket itself eaten: `?zāi)`.
        assert_eq!(strip("葹?zāi)后").0, "葹?后");
        assert_eq!(strip("因?yàn)榧?xì)分").0, "因?榧?分");
        // But not after a word, nor a question mark in prose.
        assert_eq!(strip("abc(jìn)").0, "abc(jìn)");
        assert_eq!(strip("为什么?(注)").0, "为什么?(注)");
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
