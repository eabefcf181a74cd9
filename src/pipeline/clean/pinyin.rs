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

/// One pinyin syllable with at least one tone-marked vowel, in brackets,
/// after a char that is neither an ASCII letter or digit nor whitespace.
static ANNOTATION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"([^A-Za-z0-9\s])([(（][a-zü]{0,5}[āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜńňǹ][a-zü]{0,5}[)）])")
        // A constant pattern, exercised by every test below.
        .expect("pinyin pattern compiles")
});

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
        let ann = c.get(2).map_or(0..0, |m| m.range());
        let syllable = &line[ann.start..ann.end];
        // A real syllable is short; the char class bounds it, but be explicit.
        if syllable.chars().count() <= 9 {
            out.push_str(&line[last..ann.start]);
            removed.push_str(syllable);
            last = ann.end;
        }
        at = ann.end;
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
        ] {
            assert_eq!(strip(keep).0, keep);
        }
    }
}
