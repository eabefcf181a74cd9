//! Highlights: which characters of a passage a query matched.
//!
//! Works on the folded passage (the form the index saw) and returns char
//! offsets, which are offsets in the original text too, since folding keeps
//! one char for one char. A quoted phrase marks its exact occurrences; a word
//! marks its exact occurrences and, where it was matched loosely, its jieba
//! tokens. Overlapping and touching spans are merged.

use crate::index::analyzers::{LazyJieba, jieba_tokens};
use crate::query::mentions::find_spans;

/// A term to highlight: folded text, and whether only exact matches count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mark {
    /// The folded term.
    pub folded: String,
    /// A quoted phrase: exact occurrences only.
    pub phrase: bool,
}

/// Char spans `[start, end)` in `text` matched by the marks, sorted, merged.
pub fn highlights(text: &str, marks: &[Mark], jieba: &LazyJieba) -> Vec<(usize, usize)> {
    let tokens: Vec<Vec<String>> = marks
        .iter()
        .map(|m| {
            if m.phrase {
                Vec::new()
            } else {
                jieba_tokens(jieba, &m.folded)
                    .into_iter()
                    .map(|(t, _)| t)
                    .collect()
            }
        })
        .collect();
    highlights_with(text, marks, &tokens)
}

/// [`highlights`] with each mark's jieba tokens worked out beforehand (once
/// per query, not once per passage).
pub fn highlights_with(text: &str, marks: &[Mark], tokens: &[Vec<String>]) -> Vec<(usize, usize)> {
    let folded = crate::fold::fold(text);
    let mut spans = Vec::new();
    for (m, toks) in marks.iter().zip(tokens) {
        let exact = find_spans(&folded, &m.folded);
        if exact.is_empty() && !m.phrase {
            for token in toks {
                spans.extend(find_spans(&folded, token));
            }
        }
        spans.extend(exact);
    }
    merge(spans)
}

/// Sorts spans and merges those that overlap or touch.
pub fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_exact_occurrences_in_the_original_script() {
        let jieba = LazyJieba::new(String::new());
        let marks = [Mark {
            folded: crate::fold::fold("招商引资"),
            phrase: true,
        }];
        let text = "全力抓好招商引資,招商引資是一號工程";
        let spans = highlights(text, &marks, &jieba);
        assert_eq!(spans, [(4, 8), (9, 13)]);
        let chars: Vec<char> = text.chars().collect();
        assert_eq!(chars[4..8].iter().collect::<String>(), "招商引資");
    }

    #[test]
    fn merges_overlapping_spans() {
        assert_eq!(
            merge(vec![(5, 8), (0, 2), (1, 3), (8, 9)]),
            [(0, 3), (5, 9)]
        );
    }
}
