//! A chart's defaults merged with its subcharts', kept with the chart: every release of a
//! chart needs the same ones (they are computed by `merge`, which coalesces the user's values
//! over them).

use std::sync::{Arc, Mutex};

use crate::value::{Node, Value};

/// A chart's defaults merged with those of its subcharts, per set of enabled subcharts, kept
/// once a process has asked for the same set a few times.
///
/// NOTE: they are the same for every release of a chart, and computing them is most of the
/// coalescing work when one process resolves many files. A single release asks for each set at
/// most twice; keeping them then would only cost memory (and page faults, README
/// "Performance"), so they are computed and moved as before. A copy of a chart starts empty.
#[derive(Debug, Default)]
pub(crate) struct DefaultsCache(Mutex<Vec<CacheEntry>>);

#[derive(Debug)]
struct CacheEntry {
    enabled: Vec<bool>,
    requests: usize,
    defaults: Option<Arc<Node>>,
}

/// Requests for one set of enabled subcharts before its defaults are kept.
pub(crate) const KEEP_AFTER: usize = 3;

/// Largest defaults kept, in values. Real charts' are a few thousand; a chart whose subcharts
/// hold huge values would keep a copy of them at every level of nesting (1.4 GB for 990,000
/// values 8 subcharts deep), so those are computed again instead.
const KEEP_MAX_VALUES: usize = 100_000;

/// Whether `node` holds more than `max` values.
fn larger_than(node: &Node, max: &mut usize) -> bool {
    if *max == 0 {
        return true;
    }
    *max -= 1;
    match &node.value {
        Value::Map(m) => m.values().any(|n| larger_than(n, max)),
        Value::Seq(s) => s.iter().any(|n| larger_than(n, max)),
        _ => false,
    }
}

impl Clone for DefaultsCache {
    fn clone(&self) -> Self {
        DefaultsCache::default()
    }
}

impl DefaultsCache {
    /// The defaults for the set of subcharts `enabled`, computed by `compute` unless kept.
    pub(crate) fn get(&self, enabled: Vec<bool>, compute: impl FnOnce() -> Node) -> Defaults {
        // A panic while holding the lock leaves the list consistent: keep using it.
        let mut entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        let Some(entry) = entries.iter_mut().find(|e| e.enabled == enabled) else {
            entries.push(CacheEntry {
                enabled,
                requests: 1,
                defaults: None,
            });
            return Defaults::Owned(compute());
        };
        if let Some(node) = &entry.defaults {
            return Defaults::Shared(Arc::clone(node));
        }
        entry.requests += 1;
        if entry.requests < KEEP_AFTER {
            return Defaults::Owned(compute());
        }
        let node = compute();
        if larger_than(&node, &mut KEEP_MAX_VALUES.clone()) {
            return Defaults::Owned(node);
        }
        let node = Arc::new(node);
        entry.defaults = Some(Arc::clone(&node));
        Defaults::Shared(node)
    }
}

/// Defaults computed for one use (moved into the values) or kept (copied where missing).
pub(crate) enum Defaults {
    /// Computed for this use.
    Owned(Node),
    /// Kept for every use.
    Shared(Arc<Node>),
}

#[cfg(test)]
impl DefaultsCache {
    /// Whether every set of defaults asked for is kept.
    pub(crate) fn all_kept(&self) -> bool {
        let entries = self.0.lock().unwrap_or_else(|e| e.into_inner());
        entries.iter().all(|e| e.defaults.is_some())
    }
}
