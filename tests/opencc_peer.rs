//! Checks folding against OpenCC's own conversion test cases (the peer suite
//! in `../shared/peer/opencc/testcases.json`): for every case with a `t2s`,
//! `tw2s` or `hk2s` expectation, the input and the expected Simplified text
//! must fold to the same search form. Folding is about matching, not about
//! producing perfect Simplified text, so only agreement is checked.

use std::collections::BTreeMap;
use std::path::Path;

use jianghua::fold::fold;
use serde::Deserialize;

/// The conversions whose output is Simplified Chinese.
const TO_SIMPLIFIED: [&str; 3] = ["t2s", "tw2s", "hk2s"];

#[derive(Deserialize)]
struct Suite {
    cases: Vec<Case>,
}

#[derive(Deserialize)]
struct Case {
    id: String,
    input: String,
    expected: BTreeMap<String, String>,
}

/// Drops every `,` (outside strings) that is followed, after whitespace, by
/// `}` or `]`: the file has trailing commas, which JSON does not allow.
fn strip_trailing_commas(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for (i, c) in text.char_indices() {
        if in_string {
            match c {
                _ if escaped => escaped = false,
                '\\' => escaped = true,
                '"' => in_string = false,
                _ => {}
            }
        } else if c == '"' {
            in_string = true;
        } else if c == ',' {
            let next = text[i + 1..].trim_start().chars().next();
            if matches!(next, Some('}' | ']')) {
                continue;
            }
        }
        out.push(c);
    }
    out
}

#[test]
fn strip_trailing_commas_leaves_strings_alone() {
    let text = r#"{"a": [1, 2, ], "b": "x, ]", "c": "\", }",}"#;
    assert_eq!(
        strip_trailing_commas(text),
        r#"{"a": [1, 2 ], "b": "x, ]", "c": "\", }"}"#
    );
}

#[test]
fn fold_agrees_with_opencc_to_simplified() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/peer/opencc/testcases.json");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) if std::env::var("CI").as_deref() == Ok("true") => {
            panic!(
                "{}: {err}; the OpenCC peer suite is required in CI",
                path.display()
            )
        }
        Err(err) => {
            eprintln!(
                "note: skipping the OpenCC peer test: {}: {err}",
                path.display()
            );
            return;
        }
    };
    let suite: Suite = serde_json::from_str(&strip_trailing_commas(&text))
        .unwrap_or_else(|err| panic!("{}: not valid JSON: {err}", path.display()));

    let mut checked = 0;
    let mut failures = Vec::new();
    for case in &suite.cases {
        for conversion in TO_SIMPLIFIED {
            let Some(expected) = case.expected.get(conversion) else {
                continue;
            };
            checked += 1;
            let (got, want) = (fold(&case.input), fold(expected));
            if got != want {
                failures.push(format!(
                    "{} {conversion}: input {:?}\n    folds to {got:?}\n    expected {expected:?} folds to {want:?}",
                    case.id, case.input
                ));
            }
        }
    }
    assert!(
        checked > 100,
        "only {checked} cases checked; is the suite truncated?"
    );
    assert!(
        failures.is_empty(),
        "{} of {checked} cases fold differently:\n{}",
        failures.len(),
        failures.join("\n")
    );
    eprintln!("{checked} of {checked} OpenCC to-Simplified cases agree");
}
