//! Split numbers: `引進。` / `100。` / `家投資。` on lines of their own.
//!
//! Some scrapers broke a sentence at every number (and at quote marks) and
//! put a `。` after each piece. A line that holds only a number, a percentage,
//! a short Latin word (`gdp`) or a lone quote mark is such a fragment: it is
//! joined with the text before and after it, and the spurious `。` at each
//! joint dropped. Best effort: the joined sentence reads as the original did
//! wherever the scraper only added breaks and full stops.

use std::sync::LazyLock;

use regex::Regex;

use super::{Kept, NoiseClass, Removed};

/// A fragment line (folded): a number, a percentage, a short Latin word, or
/// a lone quote or operator, with an optional spurious full stop.
static FRAGMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"^(?:[-+×x*]?\d[\d.,]*\s*[%‰]?|[a-z]{1,6}|["“”'‘’+×*%])\s*[。.]?$"#)
        .expect("constant pattern")
});

fn is_fragment(k: &Kept) -> bool {
    !k.gap_before
        && k.gap_after.is_none()
        && !k.cut
        && FRAGMENT.is_match(&crate::fold::fold(&k.text))
}

fn strip_stop(s: &mut String) {
    if s.ends_with('。') {
        s.pop();
    }
}

/// Joins fragment lines with their neighbours.
pub(super) fn rejoin(kept: Vec<Kept>, removed: &mut Vec<Removed>) -> Vec<Kept> {
    let mut out: Vec<Kept> = Vec::with_capacity(kept.len());
    // Whether the last piece of `out` ends in a fragment awaiting the next line.
    let mut open = false;
    for mut k in kept {
        let fragment = is_fragment(&k);
        let joinable = out
            .last()
            .is_some_and(|p: &Kept| p.gap_after.is_none() && !p.cut)
            && !k.gap_before;
        if joinable && (fragment || open) {
            let prev = out.last_mut().expect("joinable implies a previous piece");
            removed.push(Removed {
                line: *k.lines.start(),
                text: k.text.clone(),
                class: NoiseClass::SplitNumber,
                repair: true,
            });
            strip_stop(&mut prev.text);
            if fragment {
                strip_stop(&mut k.text);
            }
            prev.absorb(k);
            open = fragment;
        } else {
            if fragment {
                strip_stop(&mut k.text);
            }
            open = fragment;
            out.push(k);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kept(lines: &[(usize, &str)]) -> Vec<Kept> {
        lines
            .iter()
            .map(|&(n, t)| Kept {
                lines: n..=n,
                text: t.into(),
                cut: false,
                mojibake: false,
                gap_before: false,
                gap_after: None,
            })
            .collect()
    }

    #[test]
    fn joins_numbers_with_their_sentence() {
        let mut removed = vec![];
        let out = rejoin(
            kept(&[
                (1, "天的有效工作日,引進。"),
                (3, "100。"),
                (5, "家投資。"),
                (7, "500。"),
                (9, "萬元以上的項目。"),
            ]),
            &mut removed,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(
            out[0].text,
            "天的有效工作日,引進100家投資500萬元以上的項目。"
        );
        assert_eq!(out[0].lines, 1..=9);
        assert_eq!(removed.len(), 4);
    }

    #[test]
    fn joins_lone_quotes_and_latin_words() {
        let mut removed = vec![];
        let out = rejoin(
            kept(&[
                (1, "全市"),
                (2, "gdp。"),
                (3, "總值達到。"),
                (4, "1.5。"),
                (5, "萬億。"),
            ]),
            &mut removed,
        );
        assert_eq!(out[0].text, "全市gdp總值達到1.5萬億。");
        let out = rejoin(
            kept(&[
                (1, "各級干部特別是黨政"),
                (2, "\""),
                (3, "一把手。"),
                (4, "\""),
            ]),
            &mut removed,
        );
        assert_eq!(out[0].text, "各級干部特別是黨政\"一把手\"");
    }

    #[test]
    fn leaves_sentences_and_gaps_alone() {
        let mut removed = vec![];
        let input = kept(&[(1, "今年要引进100家企业。"), (2, "一是抓项目。")]);
        assert_eq!(rejoin(input.clone(), &mut removed), input);
        let mut gap = kept(&[(1, "取得了明显成"), (3, "100。")]);
        gap[0].gap_after = Some(614);
        assert_eq!(rejoin(gap.clone(), &mut removed).len(), 2);
        assert!(removed.is_empty());
    }
}
