//! The outline block: `目录/提纲:……`, then the speech's headings, then `……`.
//!
//! Sites print the headings of the speech before it. They are not body text
//! (the same headings stand again in the body), so the block is removed and
//! its lines kept as the speech's outline. The block ends at a line of
//! ellipses; if none comes, it ends before the first line that does not
//! look like a heading (long, or a finished sentence), so a missing end
//! marker can never swallow the speech.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::folded_regex;

/// The block's opening line.
static START: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"^\s*(?:文章|本文)?(?:目录|提纲|大纲)(?:\s*/\s*(?:目录|提纲|大纲))?\s*[:：]?\s*[…\.]*\s*$",
    )
});
/// The block's closing line.
static END: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^\s*[…\.⋯]+\s*$").expect("constant pattern"));

/// An outline block found in the lines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Block {
    /// 0-based indices of the lines it covers (opening and closing included).
    pub lines: Range<usize>,
    /// Its headings, original script.
    pub items: Vec<String>,
}

/// Longest heading line an outline holds.
const MAX_ITEM_CHARS: usize = 80;

fn is_item(folded: &str) -> bool {
    let t = folded.trim();
    t.chars().count() <= MAX_ITEM_CHARS && !t.ends_with(['。', '!', '?', '！', '？', ':', '：'])
}

/// The outline block starting at line `at`, if one starts there.
pub(super) fn block_at(lines: &[String], folded: &[String], at: usize) -> Option<Block> {
    if !START.is_match(&folded[at]) {
        return None;
    }
    let mut items = Vec::new();
    let mut i = at + 1;
    while i < lines.len() {
        if END.is_match(&folded[i]) {
            return Some(Block {
                lines: at..i + 1,
                items,
            });
        }
        if folded[i].trim().is_empty() {
            i += 1;
            continue;
        }
        if !is_item(&folded[i]) {
            break;
        }
        items.push(lines[i].trim().to_owned());
        i += 1;
    }
    // No end marker: the block is the heading-like lines read so far, and
    // trailing blank lines are left to the caller.
    while i > at + 1 && folded[i - 1].trim().is_empty() {
        i -= 1;
    }
    Some(Block {
        lines: at..i,
        items,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(s: &str) -> Option<Block> {
        let lines: Vec<String> = s.split('\n').map(str::to_owned).collect();
        let folded: Vec<String> = lines.iter().map(|l| crate::fold::fold(l)).collect();
        block_at(&lines, &folded, 0)
    }

    #[test]
    fn takes_the_block_up_to_its_end_marker() {
        let b = run("目錄/提綱:……\n一、進一步統一思想\n一是要充分認識\n……\n同志們:").unwrap();
        assert_eq!(b.lines, 0..4);
        assert_eq!(b.items, ["一、進一步統一思想", "一是要充分認識"]);
    }

    #[test]
    fn without_an_end_marker_stops_at_body_text() {
        let b =
            run("提纲：\n一、认清形势\n\n今天我们召开大会,主要任务是动员部署。\n二、……").unwrap();
        assert_eq!(b.lines, 0..2);
        assert_eq!(b.items, ["一、认清形势"]);
    }

    #[test]
    fn a_sentence_about_a_catalogue_is_not_an_outline() {
        assert_eq!(run("目录清单要及时更新。"), None);
        assert_eq!(run("要编制产业招商目录:重点是新材料"), None);
    }
}
