//! The `search` query language (DESIGN.md): words are ANDed
//! (`招商引资 营商环境`); `"…"` or `“…”` is an exact phrase; `-word` excludes;
//! `A OR B`; `title:…`; `site:…`.
//!
//! Rules: tokens are separated by whitespace (ASCII, U+3000, NBSP). A phrase
//! opened with `"` closes with `"`, one opened with `“` closes with `”`;
//! spaces inside belong to it. `-` excludes only at the start of a token
//! (`3-5` is a word). `OR` (upper case, alone) joins the terms on each side
//! into alternatives; lower-case `or` is a word. `title:` and `site:` (any
//! case, ASCII or full-width colon) take a word or a phrase; any other
//! `x:y` is a word. Text is kept as typed: the caller folds it.
//!
//! Every malformed query gets one sentence naming what is wrong and where
//! (1-based character positions); nothing here panics.

/// A parsed query: clauses that must all hold.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Query {
    /// The clauses, in the order typed.
    pub clauses: Vec<Clause>,
}

/// One clause of a query.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Clause {
    /// Must match: one term, or alternatives joined by `OR` (one must match).
    Any(Vec<Term>),
    /// Must not match.
    Not(Term),
}

/// A word or phrase, and the field it applies to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    /// Which field.
    pub field: Field,
    /// The text as typed (not folded).
    pub text: String,
    /// Quoted: an exact phrase.
    pub phrase: bool,
}

/// Fields a term can address.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Passage text (the default).
    Text,
    /// The speech title (`title:`).
    Title,
    /// The site (`site:`).
    Site,
}

/// A malformed query. Each displays as one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Nothing but whitespace.
    #[error("the query is empty: give a word or a \"phrase\" to search for")]
    Empty,
    /// A quote that is never closed.
    #[error("unbalanced quote: the {quote} at character {at} is never closed")]
    Unbalanced {
        /// The quote char.
        quote: char,
        /// Its 1-based position.
        at: usize,
    },
    /// `""`.
    #[error("the empty phrase at character {at} matches nothing: put words between the quotes")]
    EmptyPhrase {
        /// 1-based position.
        at: usize,
    },
    /// A `-` with nothing after it.
    #[error("a lone \"-\" at character {at} excludes nothing: write -word to exclude a word")]
    LoneMinus {
        /// 1-based position.
        at: usize,
    },
    /// `OR` at an edge or next to another `OR`.
    #[error("\"OR\" at character {at} needs a term on each side, as in 招商 OR 引资")]
    OrNeedsTerms {
        /// 1-based position.
        at: usize,
    },
    /// `A OR -B`.
    #[error(
        "\"OR\" at character {at} joins an excluded term: alternatives must be words to find; exclude separately"
    )]
    OrWithExclusion {
        /// 1-based position.
        at: usize,
    },
    /// `title:` with nothing after the colon.
    #[error("{field}: at character {at} has no value: write {field}:word or {field}:\"phrase\"")]
    EmptyField {
        /// `title` or `site`.
        field: &'static str,
        /// 1-based position.
        at: usize,
    },
    /// Only `-…` terms.
    #[error("a query needs at least one term that is not excluded")]
    OnlyExclusions,
}

impl Query {
    /// Positive terms of the text field (for ranking and highlighting).
    pub fn positive_terms(&self) -> impl Iterator<Item = &Term> {
        self.clauses
            .iter()
            .filter_map(|c| match c {
                Clause::Any(terms) => Some(terms.iter()),
                Clause::Not(_) => None,
            })
            .flatten()
            .filter(|t| t.field == Field::Text)
    }
}

/// A token: a term (possibly negated) or `OR`.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Token {
    Term { term: Term, negated: bool },
    Or,
}

struct Lexer {
    chars: Vec<char>,
    at: usize,
}

impl Lexer {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn skip_space(&mut self) {
        while self.peek().is_some_and(char::is_whitespace) {
            self.at += 1;
        }
    }

    /// A quoted phrase starting at the opening quote.
    fn phrase(&mut self) -> Result<String, ParseError> {
        let open = self.chars[self.at];
        let close = if open == '“' { '”' } else { '"' };
        let start = self.at;
        self.at += 1;
        let body_start = self.at;
        while let Some(c) = self.peek() {
            if c == close {
                let text: String = self.chars[body_start..self.at].iter().collect();
                self.at += 1;
                if text.trim().is_empty() {
                    return Err(ParseError::EmptyPhrase { at: start + 1 });
                }
                return Ok(text);
            }
            self.at += 1;
        }
        Err(ParseError::Unbalanced {
            quote: open,
            at: start + 1,
        })
    }

    /// A bare word up to the next whitespace.
    fn word(&mut self) -> Result<String, ParseError> {
        let start = self.at;
        while let Some(c) = self.peek() {
            if c.is_whitespace() {
                break;
            }
            if matches!(c, '"' | '“' | '”') {
                return Err(ParseError::Unbalanced {
                    quote: c,
                    at: self.at + 1,
                });
            }
            self.at += 1;
        }
        Ok(self.chars[start..self.at].iter().collect())
    }

    /// A word or a phrase as the value of a term.
    fn value(&mut self) -> Result<(String, bool), ParseError> {
        match self.peek() {
            Some('"' | '“') => Ok((self.phrase()?, true)),
            Some('”') => Err(ParseError::Unbalanced {
                quote: '”',
                at: self.at + 1,
            }),
            _ => Ok((self.word()?, false)),
        }
    }

    /// The field prefix at the cursor (`title:`), consumed if present.
    fn field(&mut self) -> Option<(Field, &'static str)> {
        for (name, field) in [("title", Field::Title), ("site", Field::Site)] {
            let n = name.chars().count();
            let head: String = self.chars.get(self.at..self.at + n)?.iter().collect();
            let colon = self.chars.get(self.at + n);
            if head.eq_ignore_ascii_case(name) && matches!(colon, Some(':' | '：')) {
                self.at += n + 1;
                return Some((field, name));
            }
        }
        None
    }

    fn next(&mut self) -> Result<Option<(usize, Token)>, ParseError> {
        self.skip_space();
        let start = self.at;
        let Some(c) = self.peek() else {
            return Ok(None);
        };
        let mut negated = false;
        if c == '-' {
            self.at += 1;
            if self.peek().is_none_or(char::is_whitespace) {
                return Err(ParseError::LoneMinus { at: start + 1 });
            }
            negated = true;
        }
        let field = self.field();
        if let Some((_, name)) = field
            && self.peek().is_none_or(char::is_whitespace)
        {
            return Err(ParseError::EmptyField {
                field: name,
                at: start + 1,
            });
        }
        let (text, phrase) = self.value()?;
        if !negated && field.is_none() && !phrase && text == "OR" {
            return Ok(Some((start + 1, Token::Or)));
        }
        let term = Term {
            field: field.map_or(Field::Text, |(f, _)| f),
            text,
            phrase,
        };
        Ok(Some((start + 1, Token::Term { term, negated })))
    }
}

/// Parses a query.
pub fn parse(input: &str) -> Result<Query, ParseError> {
    let mut lexer = Lexer {
        chars: input.chars().collect(),
        at: 0,
    };
    let mut tokens = Vec::new();
    while let Some(t) = lexer.next()? {
        tokens.push(t);
    }
    if tokens.is_empty() {
        return Err(ParseError::Empty);
    }
    let mut clauses: Vec<Clause> = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match &tokens[i] {
            (at, Token::Or) => return Err(ParseError::OrNeedsTerms { at: *at }),
            (
                _,
                Token::Term {
                    term,
                    negated: true,
                },
            ) => {
                if let Some((at, Token::Or)) = tokens.get(i + 1) {
                    return Err(ParseError::OrWithExclusion { at: *at });
                }
                clauses.push(Clause::Not(term.clone()));
                i += 1;
            }
            (
                _,
                Token::Term {
                    term,
                    negated: false,
                },
            ) => {
                let mut alternatives = vec![term.clone()];
                i += 1;
                while let Some((at, Token::Or)) = tokens.get(i) {
                    match tokens.get(i + 1) {
                        Some((
                            _,
                            Token::Term {
                                term,
                                negated: false,
                            },
                        )) => {
                            alternatives.push(term.clone());
                            i += 2;
                        }
                        Some((_, Token::Term { negated: true, .. })) => {
                            return Err(ParseError::OrWithExclusion { at: *at });
                        }
                        _ => return Err(ParseError::OrNeedsTerms { at: *at }),
                    }
                }
                clauses.push(Clause::Any(alternatives));
            }
        }
    }
    if !clauses.iter().any(|c| matches!(c, Clause::Any(_))) {
        return Err(ParseError::OnlyExclusions);
    }
    Ok(Query { clauses })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn word(t: &str) -> Term {
        Term {
            field: Field::Text,
            text: t.into(),
            phrase: false,
        }
    }
    fn phrase(t: &str) -> Term {
        Term {
            field: Field::Text,
            text: t.into(),
            phrase: true,
        }
    }
    fn any(terms: &[Term]) -> Clause {
        Clause::Any(terms.to_vec())
    }

    #[test]
    fn words_are_anded_in_any_script_and_width() {
        assert_eq!(
            parse("招商引资 营商环境").unwrap().clauses,
            [any(&[word("招商引资")]), any(&[word("营商环境")])]
        );
        assert_eq!(parse("招商引資\u{3000}營商環境").unwrap().clauses.len(), 2);
        assert_eq!(
            parse("ＡＢＣ 3+7+5 5020 3-5 http://x.cn")
                .unwrap()
                .clauses
                .len(),
            5
        );
    }

    #[test]
    fn phrases_in_both_quote_styles() {
        assert_eq!(
            parse("\"百日 会战\"").unwrap().clauses,
            [any(&[phrase("百日 会战")])]
        );
        assert_eq!(
            parse("“双过半” 招商").unwrap().clauses,
            [any(&[phrase("双过半")]), any(&[word("招商")])]
        );
    }

    #[test]
    fn exclusions_alternatives_and_fields() {
        let q = parse(
            "招商 OR 引资 营商 -专精特新 -\"会员\" title:讲话 site:“新文秘网” -SITE：某网 or",
        )
        .unwrap();
        assert_eq!(
            q.clauses,
            [
                any(&[word("招商"), word("引资")]),
                any(&[word("营商")]),
                Clause::Not(word("专精特新")),
                Clause::Not(phrase("会员")),
                any(&[Term {
                    field: Field::Title,
                    text: "讲话".into(),
                    phrase: false
                }]),
                any(&[Term {
                    field: Field::Site,
                    text: "新文秘网".into(),
                    phrase: true
                }]),
                Clause::Not(Term {
                    field: Field::Site,
                    text: "某网".into(),
                    phrase: false
                }),
                any(&[word("or")]),
            ]
        );
        assert_eq!(
            parse("a OR b OR c").unwrap().clauses,
            [any(&[word("a"), word("b"), word("c")])]
        );
        let texts: Vec<&str> = q.positive_terms().map(|t| t.text.as_str()).collect();
        assert_eq!(texts, ["招商", "引资", "营商", "or"]);
    }

    #[test]
    fn malformed_queries_say_what_is_wrong() {
        let err = |q: &str| parse(q).unwrap_err();
        assert_eq!(err(""), ParseError::Empty);
        assert_eq!(err("   \u{3000}"), ParseError::Empty);
        assert_eq!(err("\"\""), ParseError::EmptyPhrase { at: 1 });
        assert_eq!(
            err("招商 \"abc"),
            ParseError::Unbalanced { quote: '"', at: 4 }
        );
        assert_eq!(
            err("“abc"),
            ParseError::Unbalanced {
                quote: '“', at: 1
            }
        );
        assert_eq!(
            err("abc”"),
            ParseError::Unbalanced {
                quote: '”', at: 4
            }
        );
        assert_eq!(err("-"), ParseError::LoneMinus { at: 1 });
        assert_eq!(err("招商 - 引资"), ParseError::LoneMinus { at: 4 });
        assert_eq!(err("OR abc"), ParseError::OrNeedsTerms { at: 1 });
        assert_eq!(err("abc OR"), ParseError::OrNeedsTerms { at: 5 });
        assert_eq!(err("a OR OR b"), ParseError::OrNeedsTerms { at: 3 });
        assert_eq!(err("a OR -b"), ParseError::OrWithExclusion { at: 3 });
        assert_eq!(err("-a"), ParseError::OnlyExclusions);
        assert_eq!(
            err("title: 讲话"),
            ParseError::EmptyField {
                field: "title",
                at: 1
            }
        );
        assert!(err("\"abc").to_string().starts_with("unbalanced quote"));
    }

    proptest! {
        #[test]
        fn never_panics(s in "\\PC{0,40}") {
            let _ = parse(&s);
        }

        #[test]
        fn plain_words_become_one_clause_each(words in proptest::collection::vec("[\u{4e00}-\u{9fa5}]{1,6}", 1..8)) {
            let q = parse(&words.join(" ")).unwrap();
            let expected: Vec<Clause> = words.iter().map(|w| any(&[word(w)])).collect();
            prop_assert_eq!(q.clauses, expected);
        }
    }
}
