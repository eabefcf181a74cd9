//! The query syntax of `jianghua search`: a string in, a [`Query`] out.
//!
//! This module only reads the syntax. It never folds or segments the text of
//! a term (the searcher does that with [`crate::fold`] and the index's
//! analyzers), never touches the index, and never panics: every malformed
//! query is a [`ParseError`] that reads as one sentence.
//!
//! ```text
//! 招商引资 营商环境        both words (terms are ANDed)
//! "百日会战"  “双过半”      an exact phrase; spaces inside are kept
//! -专精特新  -"某某"        excluded
//! 招商 OR 引资 营商         (招商 or 引资) and 营商; OR chains: A OR B OR C
//! title:讲话 site:新文秘网  a field; title:"…", -site:…, Title：… work too
//! ```
//!
//! The rules, in full:
//!
//! - Terms are separated by Unicode whitespace (space, tab, the ideographic
//!   space U+3000, the no-break space, …). A word is a run of anything else,
//!   up to whitespace or a quote.
//! - A phrase opened with `"` ends at the next `"`; one opened with `“` ends at
//!   the next `”`. Pairs are never mixed: inside `“…”` a `"` is text, and
//!   `“abc"` is an unclosed `“` (the error says which quote it needs). A
//!   quote always delimits, even inside a word: `招商“引资”` is the word 招商
//!   and the phrase 引资, and a closing quote ends a term (`“双过半”目标` is
//!   two terms). A `”` that closes nothing is an error, as is an empty or
//!   all-blank phrase.
//! - A `-` at the start of a term excludes it (`-word`, `-"…"`, `-title:…`);
//!   anywhere else it is text (`3-5`). A `-` followed by nothing is an error.
//! - `title:` and `site:` (any case, `:` or `：`) before a word or phrase
//!   limit it to that field; any other `name:` is text (`http://x.cn`, `3:5`).
//!   A field with no value is an error.
//! - A term that is exactly `OR` (upper case, unquoted, with no `-` or field)
//!   joins the terms on either side as alternatives; `or` is a word. `OR`
//!   needs a positive term on each side: `A OR -B` is refused because it
//!   would mean "A, or anything without B", which matches nearly everything.
//! - A query needs at least one term that is not excluded.
//! - The syntax characters `-`, `"`, `:`, the field names and `OR` are also
//!   recognised in their full-width forms (`－`, `＂`, `：`, `ｔｉｔｌｅ`,
//!   `ＯＲ`), which is what a Chinese input method in full-width mode types.
//!   `＂` and `"` are the same quote.
//!
//! - A query is at most [`MAX_QUERY_CHARS`] characters long (a longer one is
//!   an error, before anything else is read).
//!
//! Term text is kept exactly as typed. Error positions are 1-based character
//! (not byte) offsets into the query.

/// The longest query (and `mentions` phrase) read, in characters: far more
/// than any real query, and short enough that no query's work is noticed.
pub const MAX_QUERY_CHARS: usize = 1000;

/// A parsed query: clauses that must all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The clauses, in the order they were typed.
    pub clauses: Vec<Clause>,
}

/// One condition a matching passage must meet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Must match (one term, or alternatives joined by OR: at least one must match).
    Any(Vec<Term>),
    /// Must not match.
    Not(Term),
}

/// A word or phrase, in one field.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Which field the term is searched in.
    pub field: Field,
    /// The text as typed, without quotes or prefixes; never empty, not folded.
    pub text: String,
    /// Whether the term was quoted: its words must appear together, in order.
    pub phrase: bool,
}

/// Where a term is looked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    /// The passage text (the default).
    Text,
    /// The speech title (`title:`).
    Title,
    /// The site the speech was scraped from (`site:`).
    Site,
}

impl Query {
    /// Positive terms of the text field (used for ranking and highlighting):
    /// every alternative of every [`Clause::Any`] whose field is
    /// [`Field::Text`], in query order.
    pub fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses
            .iter()
            .flat_map(|clause| match clause {
                Clause::Any(terms) => terms.as_slice(),
                Clause::Not(_) => &[],
            })
            .filter(|term| term.field == Field::Text)
    }
}

/// Why a query could not be read. Each variant displays as one lower-case
/// sentence; `at` fields are 1-based character offsets into the query.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Nothing but whitespace.
    #[error("the query is empty")]
    Empty,
    /// More than [`MAX_QUERY_CHARS`] characters.
    #[error("the query is {chars} characters long, more than the {max} a query may have", max = MAX_QUERY_CHARS)]
    TooLong {
        /// Its length in characters.
        chars: usize,
    },
    /// A phrase was opened and never closed.
    #[error(
        "unbalanced quote: the {quote} at character {at} is never closed{}",
        mismatch_hint(*quote, *found)
    )]
    UnclosedQuote {
        /// The opening quote as typed.
        quote: char,
        /// Where it is.
        at: usize,
        /// A closing quote of the other kind found after it, if any
        /// (`“abc"`): the likely mistake.
        found: Option<char>,
    },
    /// A closing `”` with no `“` before it.
    #[error("unbalanced quote: the ” at character {at} closes no phrase")]
    StrayClosingQuote {
        /// Where it is.
        at: usize,
    },
    /// `""`, `“”` or a phrase of only whitespace.
    #[error("the phrase at character {at} is empty")]
    EmptyPhrase {
        /// Where its opening quote is.
        at: usize,
    },
    /// A `-` with nothing after it.
    #[error("a lone \"-\" at character {at} excludes nothing")]
    LoneMinus {
        /// Where the `-` is.
        at: usize,
    },
    /// `title:` or `site:` with nothing after it.
    #[error("the field \"{name}\" at character {at} has no value")]
    EmptyField {
        /// The prefix as typed, colon included (`Title：`).
        name: String,
        /// Where the prefix starts.
        at: usize,
    },
    /// `OR` at the start of the query, or right after another `OR`.
    #[error("\"OR\" needs a term on each side, but the OR at character {at} has none before it")]
    OrWithoutLeft {
        /// Where the `OR` is.
        at: usize,
    },
    /// `OR` at the end of the query.
    #[error("\"OR\" needs a term on each side, but the OR at character {at} has none after it")]
    OrWithoutRight {
        /// Where the `OR` is.
        at: usize,
    },
    /// An excluded term on either side of `OR`.
    #[error(
        "the excluded term at character {at} cannot be an \"OR\" alternative, since \"A OR -B\" would match nearly everything (to exclude it, drop the OR)"
    )]
    ExcludedAlternative {
        /// Where the excluded term (its `-`) is.
        at: usize,
    },
    /// Every term is excluded.
    #[error("a query needs at least one term that is not excluded")]
    NoPositiveTerm,
}

/// The tail of [`ParseError::UnclosedQuote`]'s message when a closing quote
/// of the wrong kind follows the opener.
fn mismatch_hint(quote: char, found: Option<char>) -> String {
    match found {
        Some(found) => format!(
            ": a phrase opened with {quote} ends with {}, not {found}",
            closer_of(quote)
        ),
        None => String::new(),
    }
}

/// Reads a query. See the module documentation for the syntax.
pub fn parse(input: &str) -> Result<Query, ParseError> {
    let chars = input.chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(ParseError::TooLong { chars });
    }
    let tokens = lex(input)?;
    if tokens.is_empty() {
        return Err(ParseError::Empty);
    }

    /// What came just before the current token.
    #[derive(Clone, Copy)]
    enum Prev {
        Start,
        Positive,
        Excluded { at: usize },
        Or { at: usize },
    }

    let mut clauses: Vec<Clause> = Vec::new();
    let mut prev = Prev::Start;
    for token in tokens {
        match token {
            Token::Or { at } => match prev {
                Prev::Start | Prev::Or { .. } => return Err(ParseError::OrWithoutLeft { at }),
                Prev::Excluded { at } => return Err(ParseError::ExcludedAlternative { at }),
                Prev::Positive => prev = Prev::Or { at },
            },
            Token::Term {
                term,
                excluded: true,
                at,
            } => {
                if let Prev::Or { .. } = prev {
                    return Err(ParseError::ExcludedAlternative { at });
                }
                clauses.push(Clause::Not(term));
                prev = Prev::Excluded { at };
            }
            Token::Term {
                term,
                excluded: false,
                ..
            } => {
                match (prev, clauses.last_mut()) {
                    (Prev::Or { .. }, Some(Clause::Any(alternatives))) => alternatives.push(term),
                    _ => clauses.push(Clause::Any(vec![term])),
                }
                prev = Prev::Positive;
            }
        }
    }
    if let Prev::Or { at } = prev {
        return Err(ParseError::OrWithoutRight { at });
    }
    if !clauses.iter().any(|c| matches!(c, Clause::Any(_))) {
        return Err(ParseError::NoPositiveTerm);
    }
    Ok(Query { clauses })
}

/// One lexical unit of a query.
#[derive(Debug)]
enum Token {
    /// The `OR` operator.
    Or { at: usize },
    /// A word or phrase, maybe excluded; `at` is where it starts (its `-`).
    Term {
        term: Term,
        excluded: bool,
        at: usize,
    },
}

/// Splits a query into tokens, reporting quote, `-` and field errors.
fn lex(input: &str) -> Result<Vec<Token>, ParseError> {
    let chars: Vec<char> = input.chars().collect();
    let n = chars.len();
    let mut tokens = Vec::new();
    let mut i = 0;
    while i < n {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let start = i;
        let excluded = half_width(chars[i]) == '-';
        if excluded {
            i += 1;
            if i == n || chars[i].is_whitespace() {
                return Err(ParseError::LoneMinus { at: start + 1 });
            }
        }
        let mut field = Field::Text;
        if let Some((named, after)) = field_prefix(&chars, i) {
            if after == n || chars[after].is_whitespace() {
                return Err(ParseError::EmptyField {
                    name: chars[i..after].iter().collect(),
                    at: i + 1,
                });
            }
            field = named;
            i = after;
        }
        let (text, phrase) = match chars[i] {
            '”' => return Err(ParseError::StrayClosingQuote { at: i + 1 }),
            c if is_opening_quote(c) => {
                let closer = closer_of(c);
                let body = i + 1;
                let Some(len) = chars[body..].iter().position(|&d| closes(closer, d)) else {
                    let found = chars[body..]
                        .iter()
                        .copied()
                        .find(|&d| d == '”' || half_width(d) == '"');
                    return Err(ParseError::UnclosedQuote {
                        quote: c,
                        at: i + 1,
                        found,
                    });
                };
                let text: String = chars[body..body + len].iter().collect();
                if text.chars().all(char::is_whitespace) {
                    return Err(ParseError::EmptyPhrase { at: i + 1 });
                }
                i = body + len + 1;
                (text, true)
            }
            _ => {
                let end = word_end(&chars, i);
                let text: String = chars[i..end].iter().collect();
                i = end;
                (text, false)
            }
        };
        let is_or = !excluded
            && field == Field::Text
            && !phrase
            && text.chars().map(half_width).eq("OR".chars());
        tokens.push(if is_or {
            Token::Or { at: start + 1 }
        } else {
            Token::Term {
                term: Term {
                    field,
                    text,
                    phrase,
                },
                excluded,
                at: start + 1,
            }
        });
    }
    Ok(tokens)
}

/// If a `title:` or `site:` prefix starts at `i`, the field and the index
/// just past its colon.
fn field_prefix(chars: &[char], i: usize) -> Option<(Field, usize)> {
    let colon = i + chars[i..]
        .iter()
        .position(|&c| half_width(c) == ':' || c.is_whitespace() || is_quote(c))?;
    if half_width(chars[colon]) != ':' {
        return None;
    }
    let name: String = chars[i..colon]
        .iter()
        .map(|&c| half_width(c).to_ascii_lowercase())
        .collect();
    let field = match name.as_str() {
        "title" => Field::Title,
        "site" => Field::Site,
        _ => return None,
    };
    Some((field, colon + 1))
}

/// The index just past the word starting at `i`: the next whitespace, quote
/// or end of input.
fn word_end(chars: &[char], i: usize) -> usize {
    chars[i..]
        .iter()
        .position(|&c| c.is_whitespace() || is_quote(c))
        .map_or(chars.len(), |len| i + len)
}

/// A full-width ASCII character (U+FF01..U+FF5E) as its ASCII form; anything
/// else unchanged. Used only to recognise syntax, never on term text.
fn half_width(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Whether `c` opens a phrase outside one.
fn is_opening_quote(c: char) -> bool {
    c == '“' || half_width(c) == '"'
}

/// Whether `c` is any quote the syntax knows.
fn is_quote(c: char) -> bool {
    is_opening_quote(c) || c == '”'
}

/// The quote that ends a phrase opened with `open`.
fn closer_of(open: char) -> char {
    if open == '“' { '”' } else { open }
}

/// Whether `c` ends a phrase whose closer is `closer` (`"` and `＂` are one
/// quote).
fn closes(closer: char, c: char) -> bool {
    if closer == '”' {
        c == '”'
    } else {
        half_width(c) == '"'
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn word(text: &str) -> Term {
        Term {
            field: Field::Text,
            text: text.to_owned(),
            phrase: false,
        }
    }

    fn phrase(text: &str) -> Term {
        Term {
            phrase: true,
            ..word(text)
        }
    }

    fn in_field(field: Field, term: Term) -> Term {
        Term { field, ..term }
    }

    fn must(terms: &[Term]) -> Clause {
        Clause::Any(terms.to_vec())
    }

    fn ok(input: &str) -> Vec<Clause> {
        match parse(input) {
            Ok(q) => q.clauses,
            Err(e) => panic!("{input:?} should parse, got: {e}"),
        }
    }

    fn err(input: &str) -> ParseError {
        match parse(input) {
            Ok(q) => panic!("{input:?} should fail, got {q:?}"),
            Err(e) => e,
        }
    }

    // Words and whitespace.

    #[test]
    fn words_are_anded() {
        assert_eq!(
            ok("招商引资 营商环境"),
            [must(&[word("招商引资")]), must(&[word("营商环境")])]
        );
        assert_eq!(
            ok("招商引資 營商環境"),
            [must(&[word("招商引資")]), must(&[word("營商環境")])]
        );
        assert_eq!(ok("5020"), [must(&[word("5020")])]);
    }

    #[test]
    fn all_kinds_of_whitespace_separate() {
        let expected = [
            must(&[word("招商")]),
            must(&[word("引资")]),
            must(&[word("ok")]),
        ];
        assert_eq!(ok("招商\u{3000}引资\u{a0}ok"), expected);
        assert_eq!(ok("  招商\t引资  ok\n"), expected);
    }

    #[test]
    fn punctuation_inside_a_word_is_text() {
        assert_eq!(ok("3+7+5"), [must(&[word("3+7+5")])]);
        assert_eq!(ok("3-5"), [must(&[word("3-5")])]);
        assert_eq!(ok("招商-引资"), [must(&[word("招商-引资")])]);
        assert_eq!(ok("http://x.cn"), [must(&[word("http://x.cn")])]);
        assert_eq!(
            ok("3:5 ＡＢＣ"),
            [must(&[word("3:5")]), must(&[word("ＡＢＣ")])]
        );
    }

    #[test]
    fn text_is_kept_as_typed() {
        assert_eq!(
            ok("ＡbＣ 營商"),
            [must(&[word("ＡbＣ")]), must(&[word("營商")])]
        );
    }

    // Phrases.

    #[test]
    fn ascii_and_curly_quotes_make_phrases() {
        assert_eq!(ok("\"百日会战\""), [must(&[phrase("百日会战")])]);
        assert_eq!(ok("“双过半”"), [must(&[phrase("双过半")])]);
        assert_eq!(ok("“雙過半”"), [must(&[phrase("雙過半")])]);
        assert_eq!(ok("＂百日會戰＂"), [must(&[phrase("百日會戰")])]);
        assert_eq!(ok("\"new deal＂"), [must(&[phrase("new deal")])]);
    }

    #[test]
    fn spaces_inside_a_phrase_are_kept() {
        assert_eq!(
            ok("“招商 引资” 营商"),
            [must(&[phrase("招商 引资")]), must(&[word("营商")])]
        );
        assert_eq!(
            ok("\" made in china \""),
            [must(&[phrase(" made in china ")])]
        );
    }

    #[test]
    fn quote_pairs_do_not_mix() {
        assert_eq!(ok("“他说\"好\"”"), [must(&[phrase("他说\"好\"")])]);
        assert_eq!(ok("\"他说“好”\""), [must(&[phrase("他说“好”")])]);
        let e = err("“abc\"");
        assert_eq!(
            e,
            ParseError::UnclosedQuote {
                quote: '“',
                at: 1,
                found: Some('"')
            }
        );
        assert_eq!(
            e.to_string(),
            "unbalanced quote: the “ at character 1 is never closed: \
             a phrase opened with “ ends with ”, not \""
        );
        assert!(matches!(
            err("\"abc”"),
            ParseError::UnclosedQuote {
                quote: '"',
                found: Some('”'),
                ..
            }
        ));
    }

    #[test]
    fn quotes_delimit_terms() {
        assert_eq!(
            ok("“双过半”目标"),
            [must(&[phrase("双过半")]), must(&[word("目标")])]
        );
        assert_eq!(
            ok("招商\"引资\""),
            [must(&[word("招商")]), must(&[phrase("引资")])]
        );
        assert_eq!(
            ok("\"a\"-b"),
            [must(&[phrase("a")]), Clause::Not(word("b"))]
        );
    }

    #[test]
    fn unbalanced_quotes_are_errors() {
        assert_eq!(
            err("\"abc"),
            ParseError::UnclosedQuote {
                quote: '"',
                at: 1,
                found: None
            }
        );
        let e = err("招商 “abc");
        assert_eq!(
            e.to_string(),
            "unbalanced quote: the “ at character 4 is never closed"
        );
        assert_eq!(err("abc”"), ParseError::StrayClosingQuote { at: 4 });
        assert_eq!(
            err("”營商").to_string(),
            "unbalanced quote: the ” at character 1 closes no phrase"
        );
        assert_eq!(
            err("\"a\" \"b").to_string(),
            "unbalanced quote: the \" at character 5 is never closed"
        );
    }

    #[test]
    fn empty_phrases_are_errors() {
        assert_eq!(err("\"\""), ParseError::EmptyPhrase { at: 1 });
        assert_eq!(err("招商 “”"), ParseError::EmptyPhrase { at: 4 });
        assert_eq!(err("“\u{3000} ”"), ParseError::EmptyPhrase { at: 1 });
        assert_eq!(
            err("\"\"").to_string(),
            "the phrase at character 1 is empty"
        );
    }

    // Exclusion.

    #[test]
    fn minus_excludes_a_word_or_phrase() {
        assert_eq!(
            ok("招商 -专精特新"),
            [must(&[word("招商")]), Clause::Not(word("专精特新"))]
        );
        assert_eq!(
            ok("-“專精特新” 招商"),
            [Clause::Not(phrase("專精特新")), must(&[word("招商")])]
        );
        assert_eq!(
            ok("招商 -\"a b\""),
            [must(&[word("招商")]), Clause::Not(phrase("a b"))]
        );
        assert_eq!(
            ok("招商 －营商"),
            [must(&[word("招商")]), Clause::Not(word("营商"))]
        );
    }

    #[test]
    fn minus_counts_only_at_the_start_of_a_term() {
        assert_eq!(ok("a-b c-"), [must(&[word("a-b")]), must(&[word("c-")])]);
        assert_eq!(ok("x --y"), [must(&[word("x")]), Clause::Not(word("-y"))]);
    }

    #[test]
    fn a_lone_minus_is_an_error() {
        assert_eq!(err("-"), ParseError::LoneMinus { at: 1 });
        assert_eq!(err("招商 - 引资"), ParseError::LoneMinus { at: 4 });
        assert_eq!(
            err("招商 -").to_string(),
            "a lone \"-\" at character 4 excludes nothing"
        );
    }

    #[test]
    fn a_query_of_only_exclusions_is_an_error() {
        assert_eq!(err("-a"), ParseError::NoPositiveTerm);
        assert_eq!(
            err("-招商 -\"引资\" -site:某某网"),
            ParseError::NoPositiveTerm
        );
        assert_eq!(
            err("-a").to_string(),
            "a query needs at least one term that is not excluded"
        );
    }

    // OR.

    #[test]
    fn or_makes_alternatives() {
        assert_eq!(
            ok("招商 OR 引资 营商"),
            [must(&[word("招商"), word("引资")]), must(&[word("营商")])]
        );
        assert_eq!(
            ok("a OR b OR “c d”"),
            [must(&[word("a"), word("b"), phrase("c d")])]
        );
        assert_eq!(
            ok("營商 title:講話 OR site:新文秘網"),
            [
                must(&[word("營商")]),
                must(&[
                    in_field(Field::Title, word("講話")),
                    in_field(Field::Site, word("新文秘網"))
                ])
            ]
        );
        assert_eq!(
            ok("“十四五”OR“十五五”"),
            [must(&[phrase("十四五"), phrase("十五五")])]
        );
        assert_eq!(ok("a ＯＲ b"), [must(&[word("a"), word("b")])]);
    }

    #[test]
    fn or_is_only_the_bare_upper_case_word() {
        assert_eq!(
            ok("a or b"),
            [must(&[word("a")]), must(&[word("or")]), must(&[word("b")])]
        );
        assert_eq!(
            ok("a Or \"OR\" title:OR"),
            [
                must(&[word("a")]),
                must(&[word("Or")]),
                must(&[phrase("OR")]),
                must(&[in_field(Field::Title, word("OR"))])
            ]
        );
        assert_eq!(ok("a -OR"), [must(&[word("a")]), Clause::Not(word("OR"))]);
    }

    #[test]
    fn or_needs_a_term_on_each_side() {
        assert_eq!(err("OR abc"), ParseError::OrWithoutLeft { at: 1 });
        assert_eq!(err("abc OR"), ParseError::OrWithoutRight { at: 5 });
        assert_eq!(err("a OR OR b"), ParseError::OrWithoutLeft { at: 6 });
        assert_eq!(err("OR"), ParseError::OrWithoutLeft { at: 1 });
        assert_eq!(
            err("abc OR").to_string(),
            "\"OR\" needs a term on each side, but the OR at character 5 has none after it"
        );
    }

    #[test]
    fn an_excluded_term_cannot_be_an_alternative() {
        assert_eq!(err("a OR -b"), ParseError::ExcludedAlternative { at: 6 });
        assert_eq!(err("-a OR b"), ParseError::ExcludedAlternative { at: 1 });
        assert_eq!(
            err("招商 OR -site:某某网"),
            ParseError::ExcludedAlternative { at: 7 }
        );
        assert!(
            err("a OR -b")
                .to_string()
                .contains("\"A OR -B\" would match nearly everything")
        );
    }

    // Fields.

    #[test]
    fn field_prefixes() {
        assert_eq!(
            ok("title:讲话 site:新文秘网"),
            [
                must(&[in_field(Field::Title, word("讲话"))]),
                must(&[in_field(Field::Site, word("新文秘网"))])
            ]
        );
        assert_eq!(
            ok("title:\"全县 大会\" site:“新文秘網”"),
            [
                must(&[in_field(Field::Title, phrase("全县 大会"))]),
                must(&[in_field(Field::Site, phrase("新文秘網"))])
            ]
        );
        assert_eq!(
            ok("招商 -site:某某网"),
            [
                must(&[word("招商")]),
                Clause::Not(in_field(Field::Site, word("某某网")))
            ]
        );
        assert_eq!(
            ok("site:http://x.cn"),
            [must(&[in_field(Field::Site, word("http://x.cn"))])]
        );
    }

    #[test]
    fn field_names_ignore_case_and_width() {
        let title = |t: &str| [must(&[in_field(Field::Title, word(t))])];
        assert_eq!(ok("Title:讲话"), title("讲话"));
        assert_eq!(ok("TITLE：招商"), title("招商"));
        assert_eq!(ok("title：招商"), title("招商"));
        assert_eq!(ok("ｔｉｔｌｅ：講話"), title("講話"));
        assert_eq!(ok("SiTe：x"), [must(&[in_field(Field::Site, word("x"))])]);
    }

    #[test]
    fn unknown_prefixes_are_text() {
        assert_eq!(ok("http:x"), [must(&[word("http:x")])]);
        assert_eq!(ok("titles:x"), [must(&[word("titles:x")])]);
        assert_eq!(ok("讲话：招商"), [must(&[word("讲话：招商")])]);
        assert_eq!(ok(":title"), [must(&[word(":title")])]);
    }

    #[test]
    fn an_empty_field_is_an_error() {
        assert_eq!(
            err("title:"),
            ParseError::EmptyField {
                name: "title:".into(),
                at: 1
            }
        );
        assert_eq!(
            err("招商 -Site： 引资"),
            ParseError::EmptyField {
                name: "Site：".into(),
                at: 5
            }
        );
        assert_eq!(
            err("a title:").to_string(),
            "the field \"title:\" at character 3 has no value"
        );
        assert_eq!(err("title:\"\""), ParseError::EmptyPhrase { at: 7 });
        assert_eq!(
            err("title:“abc"),
            ParseError::UnclosedQuote {
                quote: '“',
                at: 7,
                found: None
            }
        );
    }

    // Empty queries, positions, positive terms.

    #[test]
    fn a_query_longer_than_the_bound_is_an_error() {
        let at_bound = "招".repeat(MAX_QUERY_CHARS);
        assert!(parse(&at_bound).is_ok());
        let e = err(&format!("{at_bound}商"));
        assert_eq!(e, ParseError::TooLong { chars: 1001 });
        assert_eq!(
            e.to_string(),
            "the query is 1001 characters long, more than the 1000 a query may have"
        );
    }

    #[test]
    fn an_empty_query_is_an_error() {
        assert_eq!(err(""), ParseError::Empty);
        assert_eq!(err("   "), ParseError::Empty);
        assert_eq!(err("\u{3000}\t\u{a0}\n"), ParseError::Empty);
        assert_eq!(err("").to_string(), "the query is empty");
    }

    #[test]
    fn positions_count_chars_not_bytes() {
        // 招商引资 is 4 chars but 12 bytes.
        assert_eq!(
            err("招商引资 \"x"),
            ParseError::UnclosedQuote {
                quote: '"',
                at: 6,
                found: None
            }
        );
    }

    #[test]
    fn positive_terms_are_the_text_alternatives() {
        let q = parse("招商 OR title:引资 -营商 site:x “双过半” OR 3-5").unwrap();
        let texts: Vec<&str> = q.positive_terms().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["招商", "双过半", "3-5"]);
    }

    #[test]
    fn every_error_is_one_lower_case_sentence() {
        for input in [
            "", "\"\"", "\"abc", "“abc\"", "abc”", "-", "OR abc", "abc OR", "a OR -b", "-a",
            "title:",
        ] {
            let message = err(input).to_string();
            let first = message.chars().next().unwrap();
            assert!(!first.is_uppercase(), "{input:?}: {message}");
            assert!(!message.ends_with('.'), "{input:?}: {message}");
            assert!(!message.contains('\n'), "{input:?}: {message}");
        }
    }

    // Properties.

    /// Plain words of CJK ideographs (Simplified and Traditional).
    fn cjk_word() -> impl Strategy<Value = String> {
        proptest::collection::vec(proptest::char::range('\u{4E00}', '\u{9FFF}'), 1..6)
            .prop_map(|cs| cs.into_iter().collect())
    }

    /// A term as the user might type it, with what it must parse to.
    fn typed_term() -> impl Strategy<Value = (String, bool, Term)> {
        let field = prop_oneof![
            Just(("", Field::Text)),
            Just(("title:", Field::Title)),
            Just(("Site：", Field::Site)),
        ];
        let quotes = prop_oneof![Just(None), Just(Some(('"', '"'))), Just(Some(('“', '”')))];
        (any::<bool>(), field, quotes, cjk_word(), cjk_word()).prop_map(
            |(excluded, (prefix, field), quotes, a, b)| {
                let (typed, text, phrase) = match quotes {
                    None => (a.clone(), a, false),
                    Some((open, close)) => {
                        let text = format!("{a} {b}");
                        (format!("{open}{text}{close}"), text, true)
                    }
                };
                let minus = if excluded { "-" } else { "" };
                let term = Term {
                    field,
                    text,
                    phrase,
                };
                (format!("{minus}{prefix}{typed}"), excluded, term)
            },
        )
    }

    proptest! {
        #[test]
        fn parse_never_panics(s in any::<String>()) {
            let _ = parse(&s);
        }

        #[test]
        fn parse_never_panics_on_syntax_soup(
            s in "[ \u{3000}\"“”＂\\-－:：aOR招商tilesTIE]{0,24}"
        ) {
            if let Ok(q) = parse(&s) {
                prop_assert!(q.clauses.iter().any(|c| matches!(c, Clause::Any(_))));
                for clause in &q.clauses {
                    match clause {
                        Clause::Any(terms) => {
                            prop_assert!(!terms.is_empty());
                            prop_assert!(terms.iter().all(|t| !t.text.is_empty()));
                        }
                        Clause::Not(t) => prop_assert!(!t.text.is_empty()),
                    }
                }
            }
        }

        #[test]
        fn plain_cjk_words_are_one_clause_each(
            words in proptest::collection::vec(cjk_word(), 1..8)
        ) {
            let q = parse(&words.join(" ")).unwrap();
            let expected: Vec<Clause> = words.iter().map(|w| must(&[word(w)])).collect();
            prop_assert_eq!(q.clauses, expected);
        }

        #[test]
        fn typed_terms_parse_to_their_clauses(
            terms in proptest::collection::vec(typed_term(), 1..6)
        ) {
            let input: Vec<&str> = terms.iter().map(|(typed, _, _)| typed.as_str()).collect();
            let result = parse(&input.join("\u{3000}"));
            if terms.iter().all(|(_, excluded, _)| *excluded) {
                prop_assert_eq!(result, Err(ParseError::NoPositiveTerm));
            } else {
                let expected: Vec<Clause> = terms
                    .iter()
                    .map(|(_, excluded, term)| match excluded {
                        true => Clause::Not(term.clone()),
                        false => Clause::Any(vec![term.clone()]),
                    })
                    .collect();
                prop_assert_eq!(result.unwrap().clauses, expected);
            }
        }
    }
}
