//! Which answers can be given again without asking the index? Every
//! answer of the current snapshot ([`super::live`]): the index cannot
//! change under a snapshot, so a request asked again (a chart reloaded, a
//! shared link opened by a colleague, the next page's totals) gets the
//! same bytes. The cache is keyed by the request (endpoint and query
//! string) and emptied as soon as a new snapshot is swapped in, so it never
//! answers from an older state than the index's. It holds at most a given
//! number of bytes, dropping the least recently used answers first; errors
//! are not kept.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

/// An answer as kept: the body and its content type and file name.
#[derive(Debug, Clone)]
pub struct Kept {
    /// The body.
    pub body: Bytes,
    /// `Some(file name)`: CSV to download; `None`: JSON.
    pub csv: Option<&'static str>,
}

struct Entry {
    kept: Arc<Kept>,
    tick: u64,
}

#[derive(Default)]
struct Inner {
    /// The snapshot the entries belong to.
    serial: u64,
    map: HashMap<String, Entry>,
    /// Last use → key, oldest first.
    order: BTreeMap<u64, String>,
    tick: u64,
    bytes: usize,
}

/// The answers of the current snapshot.
pub struct Cache {
    inner: Mutex<Inner>,
    limit: usize,
}

impl Cache {
    /// A cache of at most `limit` bytes of answers (0: none kept).
    pub fn new(limit: usize) -> Cache {
        Cache {
            inner: Mutex::new(Inner::default()),
            limit,
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        match self.inner.lock() {
            Ok(g) => g,
            Err(poisoned) => poisoned.into_inner(),
        }
    }

    /// The answer kept for `key` under snapshot `serial`.
    pub fn get(&self, serial: u64, key: &str) -> Option<Arc<Kept>> {
        if self.limit == 0 {
            return None;
        }
        let mut g = self.lock();
        if g.serial != serial {
            return None;
        }
        g.tick += 1;
        let tick = g.tick;
        let entry = g.map.get_mut(key)?;
        let old = std::mem::replace(&mut entry.tick, tick);
        let kept = Arc::clone(&entry.kept);
        g.order.remove(&old);
        g.order.insert(tick, key.to_owned());
        Some(kept)
    }

    /// Keeps `kept` for `key` under snapshot `serial` (an answer of a newer
    /// snapshot empties the cache first; one of an older one is dropped).
    pub fn put(&self, serial: u64, key: &str, kept: Arc<Kept>) {
        let size = kept.body.len() + key.len();
        if self.limit == 0 || size > self.limit / 8 {
            return;
        }
        let mut g = self.lock();
        if serial < g.serial {
            return;
        }
        if serial > g.serial {
            *g = Inner {
                serial,
                ..Inner::default()
            };
        }
        g.tick += 1;
        let tick = g.tick;
        if let Some(old) = g.map.insert(key.to_owned(), Entry { kept, tick }) {
            g.order.remove(&old.tick);
            g.bytes -= old.kept.body.len() + key.len();
        }
        g.order.insert(tick, key.to_owned());
        g.bytes += size;
        while g.bytes > self.limit {
            let Some((_, oldest)) = g.order.pop_first() else {
                break;
            };
            if let Some(e) = g.map.remove(&oldest) {
                g.bytes -= e.kept.body.len() + oldest.len();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{Cache, Kept};
    use std::sync::Arc;

    fn kept(n: usize) -> Arc<Kept> {
        Arc::new(Kept {
            body: vec![b'x'; n].into(),
            csv: None,
        })
    }

    #[test]
    fn answers_are_kept_per_snapshot_and_the_oldest_go_first() {
        let c = Cache::new(800);
        c.put(1, "a", kept(90));
        c.put(1, "b", kept(90));
        assert!(c.get(1, "a").is_some());
        // Another snapshot never sees them.
        assert!(c.get(2, "a").is_none());
        // Over the limit: the least recently used goes (b, as a was read).
        for k in ["c", "d", "e", "f", "g", "h", "i"] {
            c.put(1, k, kept(90));
        }
        assert!(c.get(1, "b").is_none());
        assert!(c.get(1, "a").is_some());
        // A newer snapshot's answer empties the cache; an older one's is dropped.
        c.put(2, "z", kept(10));
        assert!(c.get(2, "a").is_none() && c.get(2, "z").is_some());
        c.put(1, "old", kept(10));
        assert!(c.get(1, "old").is_none() && c.get(2, "old").is_none());
        // Too big for the cache, or a cache of nothing: not kept.
        c.put(2, "big", kept(200));
        assert!(c.get(2, "big").is_none());
        let none = Cache::new(0);
        none.put(1, "a", kept(1));
        assert!(none.get(1, "a").is_none());
    }
}
