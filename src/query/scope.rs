//! [`SpeechScope`]: a query that matches speech documents, widened to the
//! passages of each speech it matches.
//!
//! Fields that describe a whole speech (its title) are indexed once, on the
//! speech document, not on every passage: indexing the title's n-grams on
//! each passage made about a tenth of all the tokens of an ingest. A
//! passage still matches `title:…` through its speech: a speech's documents
//! sit together in one segment, the speech document first, then its
//! passages (see `index::schema`), so the documents from a matching speech
//! document up to the next speech document are that speech's.

use std::fmt;

use tantivy::query::{EnableScoring, Explanation, Query, QueryClone, Scorer, Weight};
use tantivy::schema::Field;
use tantivy::{DocId, DocSet, Score, SegmentReader, TERMINATED, Term};

use crate::index::schema::speech_starts;

/// Matches every document of each speech whose speech document `inner`
/// matches, with the score `inner` gave the speech document.
pub struct SpeechScope {
    inner: Box<dyn Query>,
    kind: Field,
}

impl Clone for SpeechScope {
    fn clone(&self) -> SpeechScope {
        SpeechScope {
            inner: self.inner.box_clone(),
            kind: self.kind,
        }
    }
}

impl SpeechScope {
    /// Widens `inner` (a query on speech documents) to whole speeches; `kind`
    /// is the field that tells speech documents apart.
    pub fn new(inner: Box<dyn Query>, kind: Field) -> SpeechScope {
        SpeechScope { inner, kind }
    }
}

impl fmt::Debug for SpeechScope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "SpeechScope({:?})", self.inner)
    }
}

impl Query for SpeechScope {
    fn weight(&self, enable_scoring: EnableScoring<'_>) -> tantivy::Result<Box<dyn Weight>> {
        Ok(Box::new(ScopeWeight {
            inner: self.inner.weight(enable_scoring)?,
            kind: self.kind,
        }))
    }

    fn query_terms<'a>(&'a self, visitor: &mut dyn FnMut(&'a Term, bool)) {
        self.inner.query_terms(visitor);
    }
}

struct ScopeWeight {
    inner: Box<dyn Weight>,
    kind: Field,
}

impl ScopeWeight {
    /// The doc ranges of the matching speeches in one segment, in order, each
    /// with its score.
    fn ranges(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Vec<Range>> {
        let mut inner = self.inner.scorer(reader, boost)?;
        let mut starts = speech_starts(reader, self.kind)?;
        let max_doc = reader.max_doc();
        let mut ranges: Vec<Range> = Vec::new();
        let mut doc = inner.doc();
        while doc != TERMINATED {
            // A match inside the last range (an index whose passages carry
            // the field too) adds nothing.
            if ranges.last().is_none_or(|r| doc >= r.end) {
                let end = match starts.as_mut() {
                    Some(s) => match s.seek(doc + 1) {
                        TERMINATED => max_doc,
                        next => next,
                    },
                    None => max_doc,
                };
                ranges.push(Range {
                    start: doc,
                    end,
                    score: inner.score(),
                });
            }
            doc = inner.advance();
        }
        Ok(ranges)
    }
}

impl Weight for ScopeWeight {
    fn scorer(&self, reader: &SegmentReader, boost: Score) -> tantivy::Result<Box<dyn Scorer>> {
        let ranges = self.ranges(reader, boost)?;
        let doc = ranges.first().map_or(TERMINATED, |r| r.start);
        Ok(Box::new(ScopeScorer { ranges, at: 0, doc }))
    }

    fn explain(&self, reader: &SegmentReader, doc: DocId) -> tantivy::Result<Explanation> {
        let ranges = self.ranges(reader, 1.0)?;
        match ranges.iter().find(|r| r.start <= doc && doc < r.end) {
            Some(r) => Ok(Explanation::new(
                "the speech's document matched (speech scope)",
                r.score,
            )),
            None => Err(tantivy::TantivyError::InvalidArgument(format!(
                "document {doc} is not in a matching speech"
            ))),
        }
    }
}

/// The documents `start..end` of one speech, and its score.
#[derive(Debug, Clone, Copy)]
struct Range {
    start: DocId,
    end: DocId,
    score: Score,
}

struct ScopeScorer {
    ranges: Vec<Range>,
    /// Index of the range `doc` is in.
    at: usize,
    doc: DocId,
}

impl DocSet for ScopeScorer {
    fn advance(&mut self) -> DocId {
        if self.doc == TERMINATED {
            return TERMINATED;
        }
        self.doc += 1;
        if self.ranges.get(self.at).is_some_and(|r| self.doc >= r.end) {
            self.at += 1;
            self.doc = self.ranges.get(self.at).map_or(TERMINATED, |r| r.start);
        }
        self.doc
    }

    fn seek(&mut self, target: DocId) -> DocId {
        if self.doc >= target {
            return self.doc;
        }
        // The first range that ends after the target (ranges are sorted and
        // disjoint).
        let rest = self.ranges.get(self.at..).unwrap_or_default();
        self.at += rest.partition_point(|r| r.end <= target);
        self.doc = self
            .ranges
            .get(self.at)
            .map_or(TERMINATED, |r| r.start.max(target));
        self.doc
    }

    fn doc(&self) -> DocId {
        self.doc
    }

    fn size_hint(&self) -> u32 {
        self.ranges.iter().map(|r| r.end - r.start).sum()
    }
}

impl Scorer for ScopeScorer {
    fn score(&mut self) -> Score {
        self.ranges.get(self.at).map_or(0.0, |r| r.score)
    }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;
    use tantivy::{DocSet, TERMINATED};

    use super::{Range, ScopeScorer};

    /// Sorted, disjoint ranges from gaps and lengths.
    fn ranges(spans: &[(u32, u32)]) -> Vec<Range> {
        let mut at = 0;
        spans
            .iter()
            .enumerate()
            .map(|(i, &(gap, len))| {
                let start = at + gap;
                at = start + len + 1;
                Range {
                    start,
                    end: start + len + 1,
                    score: i as f32,
                }
            })
            .collect()
    }

    fn scorer(ranges: Vec<Range>) -> ScopeScorer {
        let doc = ranges.first().map_or(TERMINATED, |r| r.start);
        ScopeScorer { ranges, at: 0, doc }
    }

    proptest! {
        /// Advancing and seeking visit exactly the docs of the ranges.
        #[test]
        fn visits_exactly_the_ranges(
            spans in prop::collection::vec((0u32..5, 0u32..5), 0..6),
            targets in prop::collection::vec(0u32..40, 0..6),
        ) {
            let ranges = ranges(&spans);
            let all: Vec<u32> = ranges.iter().flat_map(|r| r.start..r.end).collect();
            let mut s = scorer(ranges.clone());
            let mut seen = Vec::new();
            while s.doc() != TERMINATED {
                seen.push(s.doc());
                s.advance();
            }
            prop_assert_eq!(&seen, &all);
            prop_assert_eq!(s.advance(), TERMINATED);

            let mut targets = targets;
            targets.sort();
            let mut s = scorer(ranges);
            for t in targets {
                let want = all.iter().copied().find(|&d| d >= t.max(s.doc())).unwrap_or(TERMINATED);
                prop_assert_eq!(s.seek(t.max(s.doc())), want);
                prop_assert_eq!(s.doc(), want);
            }
        }
    }
}
