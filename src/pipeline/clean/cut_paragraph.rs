//! Cut paragraphs: a line ending in U+FFFD `�`.
//!
//! The page cut the paragraph in the middle of a character; the replacement
//! char is removed and the text marked cut, so a reader knows the sentence
//! is incomplete. U+FFFD inside a line (an undecodable byte) is left alone.

use super::{Kept, NoiseClass, Removed};

/// Removes trailing U+FFFD from a kept piece; returns the repair, if any.
pub(super) fn repair(k: &mut Kept) -> Option<Removed> {
    let trimmed = k
        .text
        .trim_end_matches(|c: char| c == '\u{FFFD}' || c.is_whitespace());
    if trimmed.len() == k.text.len() || !k.text.trim_end().ends_with('\u{FFFD}') {
        return None;
    }
    let removed = k.text[trimmed.len()..].trim().to_owned();
    k.text.truncate(trimmed.len());
    k.cut = true;
    Some(Removed {
        line: *k.lines.end(),
        text: removed,
        class: NoiseClass::CutParagraph,
        repair: true,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(s: &str) -> Kept {
        Kept {
            lines: 1..=1,
            text: s.into(),
            cut: false,
            mojibake: false,
            gap_before: false,
            gap_after: None,
        }
    }

    #[test]
    fn removes_a_trailing_replacement_char_and_marks_the_cut() {
        let mut k = kept("老百姓鑄就了常德的精神,老\u{FFFD}");
        let r = repair(&mut k).unwrap();
        assert_eq!(k.text, "老百姓鑄就了常德的精神,老");
        assert!(k.cut);
        assert_eq!(r.class, NoiseClass::CutParagraph);
    }

    #[test]
    fn keeps_inner_replacement_chars_and_whole_lines() {
        let mut k = kept("一\u{FFFD}二。");
        assert_eq!(repair(&mut k), None);
        assert_eq!(k.text, "一\u{FFFD}二。");
        assert!(!k.cut);
    }
}
