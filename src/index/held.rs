//! Cleaned pages held back, by site, until their site's templates settle.
//!
//! A site's template (`pipeline::template`) is learned only once it has
//! been seen on several of the site's pages, so the first pages that carry
//! it were cleaned before it was known. Written at once, each such page
//! would be indexed twice: once as cleaned, and again when the last pass
//! of the ingest cleans every stale page again. The walk lists a folder's
//! files in order, so a site's pages come together: holding the pages of
//! the sites seen last, and writing a site's pages only when the walk has
//! moved on (or the held bytes reach a cap), lets the ingest check each
//! page against its site's templates as they stand then, and clean again
//! only the stale ones before they are written. The index a folder gives
//! does not change: the last pass still settles whatever was written
//! before its template was learned.
//!
//! This module answers only which held pages to let go, and when; what is
//! held, and what letting go means, is the writer's.

use std::collections::VecDeque;

/// Pages of at most this many sites are held; the least recently seen
/// site's go first.
pub const MAX_SITES: usize = 8;

/// Pages of at most this many bytes (as read) are held.
pub const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// The held pages, by site, the least recently seen site first.
#[derive(Debug)]
pub struct Held<T> {
    sites: VecDeque<Site<T>>,
    bytes: u64,
    max_sites: usize,
    max_bytes: u64,
}

/// One site's held pages, oldest first, each with its size in bytes.
#[derive(Debug)]
struct Site<T> {
    name: String,
    pages: VecDeque<(u64, T)>,
}

impl<T> Default for Held<T> {
    fn default() -> Self {
        Held::with_limits(MAX_SITES, MAX_BYTES)
    }
}

impl<T> Held<T> {
    /// Holds the pages of at most `max_sites` sites and `max_bytes` bytes
    /// (at least one page is held whatever its size, at least one site).
    pub fn with_limits(max_sites: usize, max_bytes: u64) -> Held<T> {
        Held {
            sites: VecDeque::new(),
            bytes: 0,
            max_sites: max_sites.max(1),
            max_bytes,
        }
    }

    /// Holds a page of `site` (of `bytes`), and returns the pages to let
    /// go now, in the order they were held: the pages of the least
    /// recently seen sites while more sites or bytes are held than allowed,
    /// then, when the page's own site alone holds too many bytes, its
    /// oldest pages.
    pub fn push(&mut self, site: &str, bytes: u64, page: T) -> Vec<T> {
        let at = self.sites.iter().position(|s| s.name == site);
        let mut entry = match at.and_then(|i| self.sites.remove(i)) {
            Some(s) => s,
            None => Site {
                name: site.to_owned(),
                pages: VecDeque::new(),
            },
        };
        entry.pages.push_back((bytes, page));
        self.bytes += bytes;
        self.sites.push_back(entry);

        let mut out = Vec::new();
        while self.sites.len() > self.max_sites
            || (self.bytes > self.max_bytes && self.sites.len() > 1)
        {
            if let Some(s) = self.sites.pop_front() {
                for (b, p) in s.pages {
                    self.bytes -= b;
                    out.push(p);
                }
            }
        }
        if let Some(s) = self.sites.back_mut() {
            while self.bytes > self.max_bytes && s.pages.len() > 1 {
                if let Some((b, p)) = s.pages.pop_front() {
                    self.bytes -= b;
                    out.push(p);
                }
            }
        }
        out
    }

    /// Lets every held page go, the least recently seen site's first.
    pub fn drain(&mut self) -> Vec<T> {
        self.bytes = 0;
        self.sites
            .drain(..)
            .flat_map(|s| s.pages.into_iter().map(|(_, p)| p))
            .collect()
    }

    /// How many pages are held.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.sites.iter().map(|s| s.pages.len()).sum()
    }

    /// Whether no page is held.
    #[cfg(test)]
    pub fn is_empty(&self) -> bool {
        self.sites.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_site_is_let_go_once_the_walk_has_moved_past_enough_others() {
        let mut h = Held::with_limits(2, u64::MAX);
        assert!(h.push("a", 1, "a1").is_empty());
        assert!(h.push("a", 1, "a2").is_empty());
        assert!(h.push("b", 1, "b1").is_empty());
        // Seeing `a` again makes `b` the least recently seen.
        assert!(h.push("a", 1, "a3").is_empty());
        assert_eq!(h.push("c", 1, "c1"), vec!["b1"]);
        assert_eq!(h.push("d", 1, "d1"), vec!["a1", "a2", "a3"]);
        assert_eq!(h.len(), 2);
        assert_eq!(h.drain(), vec!["c1", "d1"]);
        assert!(h.is_empty());
        assert_eq!(h.push("e", 1, "e1"), Vec::<&str>::new());
    }

    #[test]
    fn the_byte_cap_lets_go_of_older_sites_then_of_the_sites_own_oldest_pages() {
        let mut h = Held::with_limits(10, 10);
        assert!(h.push("a", 4, "a1").is_empty());
        assert!(h.push("b", 4, "b1").is_empty());
        assert_eq!(h.push("b", 4, "b2"), vec!["a1"]);
        assert_eq!(h.push("b", 4, "b3"), vec!["b1"]);
        // One page over the cap is still held: something must be.
        let mut big = Held::with_limits(10, 10);
        assert!(big.push("a", 50, "huge").is_empty());
        assert_eq!(big.push("a", 1, "next"), vec!["huge"]);
        assert_eq!(big.drain(), vec!["next"]);
    }

    #[test]
    fn every_page_held_comes_out_once_in_order_per_site() {
        // A pseudo-random walk of sites and sizes: whatever the limits,
        // each page is let go exactly once, and a site's pages in the
        // order they came.
        let mut seed = 7u64;
        let mut next = || {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            seed >> 33
        };
        for (max_sites, max_bytes) in [(1, 5), (3, 40), (16, 1000), (2, u64::MAX)] {
            let mut h = Held::with_limits(max_sites, max_bytes);
            let mut out = Vec::new();
            let mut pushed = Vec::new();
            for i in 0..500u64 {
                let site = format!("s{}", next() % 6);
                let page = (site.clone(), i);
                pushed.push(page.clone());
                out.extend(h.push(&site, next() % 20, page));
                assert!(h.sites.len() <= max_sites);
            }
            out.extend(h.drain());
            let mut sorted = out.clone();
            sorted.sort_by_key(|p| p.1);
            assert_eq!(sorted, pushed);
            for s in 0..6 {
                let name = format!("s{s}");
                let order: Vec<u64> = out.iter().filter(|p| p.0 == name).map(|p| p.1).collect();
                assert!(order.windows(2).all(|w| w[0] < w[1]), "{name}: {order:?}");
            }
        }
    }
}
