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

/// The defaults lint checks a values file's keys against (every subchart's merged in, for the
/// Helm whose number [`LintDefaults::get`] is given), kept with the chart: every values file of a
/// folder asks for the same. A copy of a chart starts empty.
#[derive(Debug, Default)]
pub(crate) struct LintDefaults(Mutex<Vec<(u8, Arc<KeptDefaults>)>>);

/// One Helm's [`LintDefaults`], and their paths by last key (for did-you-mean), made when first
/// asked for.
#[derive(Debug)]
pub(crate) struct KeptDefaults {
    /// The defaults.
    pub(crate) map: crate::value::Map,
    /// Every path of them, by its last key.
    pub(crate) by_name: std::sync::OnceLock<std::collections::HashMap<String, Vec<String>>>,
}

impl Clone for LintDefaults {
    fn clone(&self) -> Self {
        LintDefaults::default()
    }
}

impl LintDefaults {
    /// The defaults for Helm number `helm`, computed by `compute` unless kept; those larger than
    /// [`KEEP_MAX_VALUES`] are not kept.
    pub(crate) fn get(
        &self,
        helm: u8,
        compute: impl FnOnce() -> crate::value::Map,
    ) -> Arc<KeptDefaults> {
        // A panic while holding the lock leaves the list consistent: keep using it.
        let mut kept = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, defaults)) = kept.iter().find(|(h, _)| *h == helm) {
            return Arc::clone(defaults);
        }
        let defaults = Arc::new(KeptDefaults {
            map: compute(),
            by_name: std::sync::OnceLock::new(),
        });
        let mut max = KEEP_MAX_VALUES;
        if !defaults.map.values().any(|n| larger_than(n, &mut max)) {
            kept.push((helm, Arc::clone(&defaults)));
        }
        defaults
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::{Map, Node, Origin, Value};

    fn map_of(n: usize) -> Map {
        (0..n)
            .map(|i| {
                (
                    format!("k{i}"),
                    Node::new(Value::Str(i.to_string()), Origin::Synthetic),
                )
            })
            .collect()
    }

    #[test]
    fn lint_defaults_are_kept_per_helm_unless_huge() {
        let kept = LintDefaults::default();
        let mut computed = 0;
        let first = kept.get(0, || {
            computed += 1;
            map_of(3)
        });
        let again = kept.get(0, || {
            computed += 1;
            map_of(3)
        });
        assert!(Arc::ptr_eq(&first, &again));
        let other = kept.get(2, || {
            computed += 1;
            map_of(4)
        });
        assert_eq!((computed, other.map.len()), (2, 4));
        // Larger than the bound: computed for each use, never kept.
        let huge = LintDefaults::default();
        let one = huge.get(0, || map_of(KEEP_MAX_VALUES + 1));
        let two = huge.get(0, || map_of(KEEP_MAX_VALUES + 1));
        assert!(!Arc::ptr_eq(&one, &two));
        // A copy of a chart starts empty.
        assert!(kept.clone().0.lock().unwrap().is_empty());
    }
}
