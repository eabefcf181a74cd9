//! How an ingest's segments are merged: which merges may run, and how many
//! at once, so that the memory of the largest merge does not grow with the
//! folder.
//!
//! tantivy's log merge policy merges the segments of one size level once
//! eight of them are there, whatever their size: at 800 MB of pages that
//! is eight flushed segments of about 100,000 passages each, and the merge
//! maps all of their files at once (a resident set of about 615 MiB on top
//! of the writer's own memory). Here every merge the log policy proposes
//! is cut into merges of at most [`MAX_MERGED_DOCS`] documents, and one
//! merge runs at a time ([`MERGE_THREADS`]), so an ingest maps at most one
//! bounded merge's files, at any folder size. The price: the number of
//! segments grows with the folder (one per [`MAX_MERGED_DOCS`] passages or
//! so), where the log policy kept it logarithmic.

use std::collections::HashMap;

use tantivy::index::{SegmentId, SegmentMeta};
use tantivy::indexer::{LogMergePolicy, MergeCandidate, MergePolicy};

/// No merge during an ingest writes a segment of more than this many
/// documents (titles and passages). Each passage is rewritten by about one
/// merge (flushed segments hold about 100,000), and the files a merge maps
/// stay near a quarter of a gigabyte.
pub const MAX_MERGED_DOCS: u32 = 250_000;

/// Merges that run at once.
pub const MERGE_THREADS: usize = 1;

/// tantivy's log merge policy, its merges cut to at most `max_docs`
/// documents each.
#[derive(Debug)]
pub struct BoundedMerges {
    log: LogMergePolicy,
    max_docs: u32,
}

impl BoundedMerges {
    /// The policy of an ingest: merges of at most [`MAX_MERGED_DOCS`].
    pub fn new() -> Self {
        Self::with_max_docs(MAX_MERGED_DOCS)
    }

    /// Merges of at most `max_docs` documents.
    pub fn with_max_docs(max_docs: u32) -> Self {
        let mut log = LogMergePolicy::default();
        // A segment this large can take part in no merge within the bound.
        log.set_max_docs_before_merge(max_docs as usize);
        BoundedMerges { log, max_docs }
    }
}

impl Default for BoundedMerges {
    fn default() -> Self {
        Self::new()
    }
}

impl MergePolicy for BoundedMerges {
    fn compute_merge_candidates(&self, segments: &[SegmentMeta]) -> Vec<MergeCandidate> {
        let docs: HashMap<SegmentId, u32> =
            segments.iter().map(|s| (s.id(), s.num_docs())).collect();
        self.log
            .compute_merge_candidates(segments)
            .into_iter()
            .flat_map(|c| {
                let sizes: Vec<(SegmentId, u32)> =
                    c.0.iter()
                        .map(|id| (*id, docs.get(id).copied().unwrap_or(0)))
                        .collect();
                split(&sizes, self.max_docs)
            })
            .collect()
    }
}

/// One proposed merge (segments with their live documents, in the log
/// policy's order, largest first) cut into runs of consecutive segments of
/// at most `max_docs` documents in all. A run of one segment is no merge
/// and is dropped, unless the proposal was of that one segment alone (the
/// log policy's way of purging a segment's deleted documents).
fn split(segments: &[(SegmentId, u32)], max_docs: u32) -> Vec<MergeCandidate> {
    if segments.len() == 1 {
        return vec![MergeCandidate(vec![segments[0].0])];
    }
    let mut out = Vec::new();
    let mut run: Vec<SegmentId> = Vec::new();
    let mut total = 0u64;
    for &(id, n) in segments {
        if !run.is_empty() && total + u64::from(n) > u64::from(max_docs) {
            if run.len() > 1 {
                out.push(MergeCandidate(std::mem::take(&mut run)));
            }
            run.clear();
            total = 0;
        }
        run.push(id);
        total += u64::from(n);
    }
    if run.len() > 1 {
        out.push(MergeCandidate(run));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::split;
    use proptest::prelude::*;
    use tantivy::index::SegmentId;

    fn ids(n: usize) -> Vec<SegmentId> {
        (0..n).map(|_| SegmentId::generate_random()).collect()
    }

    #[test]
    fn eight_flushed_segments_become_merges_of_two() {
        let id = ids(8);
        let segs: Vec<(SegmentId, u32)> = id.iter().map(|&i| (i, 105_000)).collect();
        let merges = split(&segs, 250_000);
        let runs: Vec<Vec<SegmentId>> = merges.into_iter().map(|m| m.0).collect();
        assert_eq!(runs, id.chunks(2).map(<[_]>::to_vec).collect::<Vec<_>>());
    }

    #[test]
    fn a_lone_segment_is_purged_but_never_left_alone_from_a_group() {
        let id = ids(4);
        assert_eq!(split(&[(id[0], 900_000)], 250_000)[0].0, vec![id[0]]);
        // 200k + 40k fit; 200k more, or 200k + 60k, would pass the bound,
        // and a run of one segment is no merge.
        let sizes = [200_000, 40_000, 200_000, 60_000];
        let segs: Vec<(SegmentId, u32)> = id.iter().copied().zip(sizes).collect();
        let m = split(&segs, 250_000);
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].0, vec![id[0], id[1]]);
    }

    proptest! {
        /// Every merge is within the bound, of two segments or more, keeps
        /// the proposal's order, and no segment is in two merges.
        #[test]
        fn merges_stay_within_the_bound(sizes in prop::collection::vec(0u32..300_000, 2..20)) {
            let id = ids(sizes.len());
            let segs: Vec<(SegmentId, u32)> = id.iter().copied().zip(sizes.iter().copied()).collect();
            let merges = split(&segs, 250_000);
            let mut seen = std::collections::HashSet::new();
            let mut last = None;
            for m in &merges {
                prop_assert!(m.0.len() >= 2);
                let total: u64 = m.0.iter().map(|i| {
                    u64::from(segs.iter().find(|s| s.0 == *i).map(|s| s.1).unwrap_or(0))
                }).sum();
                prop_assert!(total <= 250_000);
                for i in &m.0 {
                    prop_assert!(seen.insert(*i));
                    let at = id.iter().position(|x| x == i);
                    prop_assert!(at > last);
                    last = at;
                }
            }
        }
    }
}
