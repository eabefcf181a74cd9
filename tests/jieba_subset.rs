//! The query path's small jieba (`jieba_for`: the dictionary words of one
//! text and a balancing word) segments that text exactly as ingest's jieba
//! over the whole dictionary does, with and without a user dictionary; and
//! the vendored dictionary segments as jieba-rs's built-in one.
//!
//! Texts: every line of the fixture pages and of the seeds (when
//! `../shared/corpus/seeds` is here), random substrings of them, and random
//! strings over their characters mixed with ASCII, punctuation and a
//! private-use char.

mod common;

use std::path::Path;
use std::sync::LazyLock;

use jianghua::fold::fold;
use jianghua::index::analyzers::{Additions, POLICY_TERMS, build_jieba, jieba_for, parse_dict};
use jianghua::index::dict;
use jieba_rs::{Jieba, Token};
use proptest::prelude::*;

/// A user dictionary that changes the segmentation on purpose: it lowers
/// and raises dictionary words and policy terms, repeats a word, gives a
/// frequency of 0, and leaves frequencies for jieba to work out (including
/// for a word with a char jieba does not cut).
const USER_DICT: &str = "\
中国 5
招商引资 3 n
营商
项目建设
人民 0
高质量
建设 1000000 v
一号工程
一号工程 20
工作 7
干部作风
C++语言 100 nz
\u{E000}区
发展
";

/// The folded lines of every page of a folder, or none when it is missing.
fn lines_of(dir: &Path) -> Vec<String> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        eprintln!("note: {} not found; not used", dir.display());
        return Vec::new();
    };
    let mut paths: Vec<_> = entries.map(|e| e.expect("dir entry").path()).collect();
    paths.sort();
    let mut out = Vec::new();
    for p in paths {
        let bytes = std::fs::read(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
        let Ok(processed) = jianghua::pipeline::process(&bytes) else {
            continue;
        };
        out.extend(processed.text_lines.iter().map(|l| fold(l)));
    }
    out
}

/// The folded lines of the fixtures and the seeds.
static LINES: LazyLock<Vec<String>> = LazyLock::new(|| {
    let root = common::repo_root();
    let mut lines = lines_of(&root.join("tests/fixtures/pages"));
    lines.extend(lines_of(&root.join("../shared/corpus/seeds")));
    assert!(lines.len() > 100, "too few lines: {}", lines.len());
    lines
});

/// All the lines as one char sequence.
static CHARS: LazyLock<Vec<char>> = LazyLock::new(|| LINES.join("\n").chars().collect());

/// The distinct chars of the lines, plus some jieba treats apart.
static ALPHABET: LazyLock<Vec<char>> = LazyLock::new(|| {
    let mut set: std::collections::BTreeSet<char> = CHARS.iter().copied().collect();
    set.extend("aBc09+#&._%- ,。\u{E000}\r\n".chars());
    set.into_iter().collect()
});

/// The whole-dictionary jieba and the additions, without and with
/// [`USER_DICT`].
static FULL: LazyLock<[(Jieba, Additions); 2]> = LazyLock::new(|| {
    parse_dict(USER_DICT).expect("the test dictionary parses");
    [
        (build_jieba(""), Additions::new("")),
        (build_jieba(USER_DICT), Additions::new(USER_DICT)),
    ]
});

fn owned(tokens: Vec<Token<'_>>) -> Vec<(String, usize, usize, usize, usize)> {
    tokens
        .into_iter()
        .map(|t| (t.word.to_owned(), t.start, t.end, t.byte_start, t.byte_end))
        .collect()
}

/// jieba's total frequency, which its `Debug` shows.
fn total_of(jieba: &Jieba) -> String {
    let debug = format!("{jieba:?}");
    let at = debug.find("total_freq: ").expect("Debug shows total_freq");
    debug[at..].trim_end_matches([' ', '}']).to_owned()
}

/// The first of `texts` that the small jieba cuts differently, with both cuts.
fn first_difference<'t>(
    texts: impl IntoIterator<Item = &'t str>,
    user: bool,
) -> Option<(String, String, String)> {
    let (full, additions) = &FULL[user as usize];
    for text in texts {
        let small = jieba_for(text, additions);
        assert_eq!(total_of(&small), total_of(full), "{text:?}");
        let want = owned(full.cut_for_search(text, false));
        let got = owned(small.cut_for_search(text, false));
        if got != want {
            return Some((text.to_owned(), format!("{want:?}"), format!("{got:?}")));
        }
    }
    None
}

#[test]
fn every_line_is_cut_alike() {
    for user in [false, true] {
        let lines = LINES.iter().map(String::as_str);
        if let Some((text, want, got)) = first_difference(lines, user) {
            panic!("user dictionary {user}: {text:?}\n whole: {want}\n small: {got}");
        }
    }
}

#[test]
fn the_texts_exercise_the_dictionary() {
    // The equivalence says little unless the texts hold many words and
    // the user dictionary changes some segmentations.
    let (plain, _) = &FULL[0];
    let (user, _) = &FULL[1];
    let all = LINES.join("\n");
    assert!(dict::words_in(&all).len() > 3000);
    let changed = LINES
        .iter()
        .filter(|l| plain.cut_for_search(l, false) != user.cut_for_search(l, false))
        .count();
    assert!(changed > 20, "{changed} lines cut differently");
}

#[test]
fn the_additions_include_every_policy_term() {
    let (full, additions) = &FULL[0];
    for (word, _, _) in parse_dict(POLICY_TERMS).unwrap() {
        let cut = owned(jieba_for(&word, additions).cut(&word, false));
        assert_eq!(cut, owned(full.cut(&word, false)), "{word}");
    }
}

/// A substring of the lines: a char offset and a length.
fn substring() -> impl Strategy<Value = String> {
    (any::<prop::sample::Index>(), 0..300usize).prop_map(|(at, len)| {
        let start = at.index(CHARS.len());
        CHARS[start..(start + len).min(CHARS.len())]
            .iter()
            .collect()
    })
}

/// A string of chars drawn from the lines and some others.
fn scramble() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<prop::sample::Index>(), 0..60).prop_map(|ix| {
        ix.into_iter()
            .map(|i| ALPHABET[i.index(ALPHABET.len())])
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn substrings_are_cut_alike(text in substring(), user in any::<bool>()) {
        let diff = first_difference([text.as_str()], user);
        prop_assert!(diff.is_none(), "{diff:?}");
    }

    #[test]
    fn random_strings_are_cut_alike(text in scramble(), user in any::<bool>()) {
        let diff = first_difference([text.as_str()], user);
        prop_assert!(diff.is_none(), "{diff:?}");
    }
}

/// The vendored dictionary is jieba-rs's own: the same words, and the same
/// cuts of every line, in search mode and in default mode with HMM, alone
/// and with the policy terms added.
#[test]
fn the_vendored_dictionary_is_jieba_rs_own() {
    let builtin = Jieba::new();
    let mut vendored = Jieba::empty();
    vendored.load_dict(&mut dict::TEXT.as_bytes()).unwrap();
    // As many words with the same total frequency, and each vendored word
    // is a built-in one.
    assert_eq!(format!("{vendored:?}"), format!("{builtin:?}"));
    for line in dict::TEXT.lines() {
        let word = &line[..line.find(' ').unwrap()];
        assert!(builtin.has_word(word), "{word}");
    }
    let all = LINES.join("\n");
    assert_eq!(
        owned(vendored.cut_for_search(&all, false)),
        owned(builtin.cut_for_search(&all, false))
    );
    assert_eq!(
        owned(vendored.cut(&all, true)),
        owned(builtin.cut(&all, true))
    );

    let mut builtin_with_terms = builtin;
    for (word, freq, tag) in parse_dict(POLICY_TERMS).unwrap() {
        builtin_with_terms.add_word(&word, freq, tag.as_deref());
    }
    let (full, _) = &FULL[0];
    assert_eq!(
        owned(full.cut_for_search(&all, false)),
        owned(builtin_with_terms.cut_for_search(&all, false))
    );
}
