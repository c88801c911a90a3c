//! A map sorted by key that keeps a few entries in one vector and many in a B-tree.
//!
//! Most maps of a values tree or a manifest hold a handful of keys (`labels`, `resources`,
//! `image`), and a standard `BTreeMap` gives each of them a leaf of room for eleven entries: a
//! map of one key of a values tree took 1.3 KB, and those leaves were a fifth of a render's
//! peak heap. Up to [`LARGE_AT`] entries this map is a sorted vector (looked up by binary
//! search, grown entry by entry); past that it moves its entries into a `BTreeMap`, so that a
//! map of a hundred thousand keys (a hostile values file) still inserts in logarithmic time.
//! Iteration is in key order either way, as `BTreeMap`'s, which output depends on.

use std::borrow::Borrow;
use std::collections::{BTreeMap, btree_map};
use std::fmt;
use std::iter::FusedIterator;

/// The number of entries from which a map keeps them in a B-tree: a vector insert moves the
/// entries after it, which costs more than the tree's search beyond a few dozen.
const LARGE_AT: usize = 64;

/// The number of entries up to which a lookup compares keys one by one.
const LINEAR_UP_TO: usize = 32;

/// A map sorted by key (see the module).
#[derive(Clone)]
pub struct SortedMap<K, V>(Repr<K, V>);

#[derive(Clone)]
enum Repr<K, V> {
    Small(Vec<(K, V)>),
    Large(BTreeMap<K, V>),
}

impl<K, V> Default for SortedMap<K, V> {
    fn default() -> Self {
        SortedMap(Repr::Small(Vec::new()))
    }
}

impl<K: Ord, V> SortedMap<K, V> {
    /// An empty map.
    pub const fn new() -> Self {
        SortedMap(Repr::Small(Vec::new()))
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        match &self.0 {
            Repr::Small(v) => v.len(),
            Repr::Large(t) => t.len(),
        }
    }

    /// Whether the map has no entry.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Removes every entry.
    pub fn clear(&mut self) {
        self.0 = Repr::Small(Vec::new());
    }

    /// The value under `key`.
    pub fn get<Q>(&self, key: &Q) -> Option<&V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.0 {
            Repr::Small(v) => position(v, key).map(|i| &v[i].1),
            Repr::Large(t) => t.get(key),
        }
    }

    /// The entry under `key`.
    pub fn get_key_value<Q>(&self, key: &Q) -> Option<(&K, &V)>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &self.0 {
            Repr::Small(v) => find(v, key).ok().map(|i| (&v[i].0, &v[i].1)),
            Repr::Large(t) => t.get_key_value(key),
        }
    }

    /// The value under `key`, to change.
    pub fn get_mut<Q>(&mut self, key: &Q) -> Option<&mut V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.0 {
            Repr::Small(v) => position(v, key).map(|i| &mut v[i].1),
            Repr::Large(t) => t.get_mut(key),
        }
    }

    /// Whether the map has `key`.
    pub fn contains_key<Q>(&self, key: &Q) -> bool
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        self.get(key).is_some()
    }

    /// Sets `key` to `value`; the value it had, if any (its key is kept, as `BTreeMap` does).
    pub fn insert(&mut self, key: K, value: V) -> Option<V> {
        match &mut self.0 {
            Repr::Small(v) => {
                // Keys often come in order (a sorted map copied, `collect`): no search then.
                let at = match v.last() {
                    Some((last, _)) if *last < key => Err(v.len()),
                    None => Err(0),
                    _ => find(v, &key),
                };
                match at {
                    Ok(i) => Some(std::mem::replace(&mut v[i].1, value)),
                    Err(i) if v.len() < LARGE_AT => {
                        v.insert(i, (key, value));
                        None
                    }
                    Err(_) => {
                        self.spill();
                        self.insert(key, value)
                    }
                }
            }
            Repr::Large(t) => t.insert(key, value),
        }
    }

    /// Removes `key`; its value, if it had one.
    pub fn remove<Q>(&mut self, key: &Q) -> Option<V>
    where
        K: Borrow<Q>,
        Q: Ord + ?Sized,
    {
        match &mut self.0 {
            Repr::Small(v) => find(v, key).ok().map(|i| v.remove(i).1),
            Repr::Large(t) => t.remove(key),
        }
    }

    /// Keeps only the entries `keep` says yes to.
    pub fn retain(&mut self, mut keep: impl FnMut(&K, &mut V) -> bool) {
        match &mut self.0 {
            Repr::Small(v) => v.retain_mut(|(k, v)| keep(k, v)),
            Repr::Large(t) => t.retain(keep),
        }
    }

    /// The place of `key`, to fill or change.
    pub fn entry(&mut self, key: K) -> Entry<'_, K, V> {
        // NOTE: searched before the match that borrows the entries for the result (a vacant
        // entry borrows the whole map instead).
        let at = match &self.0 {
            Repr::Small(v) => find(v, &key),
            Repr::Large(_) => Ok(0),
        };
        if let Err(at) = at {
            return Entry::Vacant(VacantEntry(Vacant::Small { map: self, key, at }));
        }
        match &mut self.0 {
            Repr::Small(v) => Entry::Occupied(OccupiedEntry(Occupied::Small(v, at.unwrap_or(0)))),
            Repr::Large(t) => match t.entry(key) {
                btree_map::Entry::Occupied(o) => Entry::Occupied(OccupiedEntry(Occupied::Large(o))),
                btree_map::Entry::Vacant(v) => Entry::Vacant(VacantEntry(Vacant::Large(v))),
            },
        }
    }

    /// The entries in key order.
    pub fn iter(&self) -> Iter<'_, K, V> {
        Iter(match &self.0 {
            Repr::Small(v) => IterRepr::Small(v.iter()),
            Repr::Large(t) => IterRepr::Large(t.iter()),
        })
    }

    /// The entries in key order, values to change.
    pub fn iter_mut(&mut self) -> IterMut<'_, K, V> {
        IterMut(match &mut self.0 {
            Repr::Small(v) => IterMutRepr::Small(v.iter_mut()),
            Repr::Large(t) => IterMutRepr::Large(t.iter_mut()),
        })
    }

    /// The keys in order.
    pub fn keys(&self) -> impl DoubleEndedIterator<Item = &K> + ExactSizeIterator + Clone {
        self.iter().map(|(k, _)| k)
    }

    /// The values in key order.
    pub fn values(&self) -> impl DoubleEndedIterator<Item = &V> + ExactSizeIterator + Clone {
        self.iter().map(|(_, v)| v)
    }

    /// The values in key order, to change.
    pub fn values_mut(&mut self) -> impl DoubleEndedIterator<Item = &mut V> + ExactSizeIterator {
        self.iter_mut().map(|(_, v)| v)
    }

    /// The values in key order, the map consumed.
    pub fn into_values(self) -> impl DoubleEndedIterator<Item = V> + ExactSizeIterator {
        self.into_iter().map(|(_, v)| v)
    }

    /// Moves the entries into a B-tree (the vector is full).
    fn spill(&mut self) {
        if let Repr::Small(v) = &mut self.0 {
            let entries = std::mem::take(v);
            // NOTE: the entries are sorted and distinct: the tree is built without a search.
            self.0 = Repr::Large(entries.into_iter().collect());
        }
    }
}

/// Where `key` is in the sorted entries: a few are compared for equality one by one (keys of
/// another length are passed over without a call to compare bytes), more by binary search.
fn position<K: Borrow<Q>, V, Q: Ord + ?Sized>(entries: &[(K, V)], key: &Q) -> Option<usize> {
    if entries.len() <= LINEAR_UP_TO {
        entries.iter().position(|(k, _)| k.borrow() == key)
    } else {
        find(entries, key).ok()
    }
}

/// Where `key` is in the sorted entries, or where it would go.
fn find<K: Borrow<Q>, V, Q: Ord + ?Sized>(entries: &[(K, V)], key: &Q) -> Result<usize, usize> {
    entries.binary_search_by(|(k, _)| k.borrow().cmp(key))
}

impl<K: Ord, V> FromIterator<(K, V)> for SortedMap<K, V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(iter: I) -> Self {
        let mut map = SortedMap::new();
        map.extend(iter);
        map
    }
}

impl<K: Ord, V> Extend<(K, V)> for SortedMap<K, V> {
    fn extend<I: IntoIterator<Item = (K, V)>>(&mut self, iter: I) {
        let iter = iter.into_iter();
        // Room for what the iterator promises, once (a copied map's entries, mostly).
        if let Repr::Small(v) = &mut self.0 {
            let (promised, _) = iter.size_hint();
            if v.len() + promised <= LARGE_AT {
                v.reserve_exact(promised);
            }
        }
        for (k, v) in iter {
            self.insert(k, v);
        }
    }
}

impl<K: Ord, V, const N: usize> From<[(K, V); N]> for SortedMap<K, V> {
    fn from(entries: [(K, V); N]) -> Self {
        entries.into_iter().collect()
    }
}

impl<K: PartialEq, V: PartialEq> PartialEq for SortedMap<K, V>
where
    K: Ord,
{
    fn eq(&self, other: &Self) -> bool {
        self.len() == other.len() && self.iter().eq(other.iter())
    }
}

impl<K: Ord, V: Eq> Eq for SortedMap<K, V> {}

impl<K: fmt::Debug + Ord, V: fmt::Debug> fmt::Debug for SortedMap<K, V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

impl<K, Q, V> std::ops::Index<&Q> for SortedMap<K, V>
where
    K: Borrow<Q> + Ord,
    Q: Ord + ?Sized,
{
    type Output = V;

    fn index(&self, key: &Q) -> &V {
        self.get(key).expect("no entry found for key")
    }
}

/// The entries of a map in key order.
pub struct Iter<'a, K, V>(IterRepr<'a, K, V>);

impl<K, V> Clone for Iter<'_, K, V> {
    fn clone(&self) -> Self {
        Iter(match &self.0 {
            IterRepr::Small(i) => IterRepr::Small(i.clone()),
            IterRepr::Large(i) => IterRepr::Large(i.clone()),
        })
    }
}

enum IterRepr<'a, K, V> {
    Small(std::slice::Iter<'a, (K, V)>),
    Large(btree_map::Iter<'a, K, V>),
}

impl<'a, K, V> Iterator for Iter<'a, K, V> {
    type Item = (&'a K, &'a V);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next().map(|(k, v)| (k, v)),
            IterRepr::Large(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterRepr::Small(i) => i.size_hint(),
            IterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl<K, V> DoubleEndedIterator for Iter<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterRepr::Small(i) => i.next_back().map(|(k, v)| (k, v)),
            IterRepr::Large(i) => i.next_back(),
        }
    }
}

impl<K, V> ExactSizeIterator for Iter<'_, K, V> {}
impl<K, V> FusedIterator for Iter<'_, K, V> {}

/// The entries of a map in key order, values to change.
pub struct IterMut<'a, K, V>(IterMutRepr<'a, K, V>);

enum IterMutRepr<'a, K, V> {
    Small(std::slice::IterMut<'a, (K, V)>),
    Large(btree_map::IterMut<'a, K, V>),
}

impl<'a, K, V> Iterator for IterMut<'a, K, V> {
    type Item = (&'a K, &'a mut V);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IterMutRepr::Small(i) => i.size_hint(),
            IterMutRepr::Large(i) => i.size_hint(),
        }
    }
}

impl<K, V> DoubleEndedIterator for IterMut<'_, K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IterMutRepr::Small(i) => i.next_back().map(|(k, v)| (&*k, v)),
            IterMutRepr::Large(i) => i.next_back(),
        }
    }
}

impl<K, V> ExactSizeIterator for IterMut<'_, K, V> {}

/// The entries of a map in key order, the map consumed.
pub struct IntoIter<K, V>(IntoIterRepr<K, V>);

enum IntoIterRepr<K, V> {
    Small(std::vec::IntoIter<(K, V)>),
    Large(btree_map::IntoIter<K, V>),
}

impl<K, V> Iterator for IntoIter<K, V> {
    type Item = (K, V);

    fn next(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next(),
            IntoIterRepr::Large(i) => i.next(),
        }
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        match &self.0 {
            IntoIterRepr::Small(i) => i.size_hint(),
            IntoIterRepr::Large(i) => i.size_hint(),
        }
    }
}

impl<K, V> DoubleEndedIterator for IntoIter<K, V> {
    fn next_back(&mut self) -> Option<Self::Item> {
        match &mut self.0 {
            IntoIterRepr::Small(i) => i.next_back(),
            IntoIterRepr::Large(i) => i.next_back(),
        }
    }
}

impl<K, V> ExactSizeIterator for IntoIter<K, V> {}

impl<K, V> IntoIterator for SortedMap<K, V> {
    type Item = (K, V);
    type IntoIter = IntoIter<K, V>;

    fn into_iter(self) -> IntoIter<K, V> {
        IntoIter(match self.0 {
            Repr::Small(v) => IntoIterRepr::Small(v.into_iter()),
            Repr::Large(t) => IntoIterRepr::Large(t.into_iter()),
        })
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a SortedMap<K, V> {
    type Item = (&'a K, &'a V);
    type IntoIter = Iter<'a, K, V>;

    fn into_iter(self) -> Iter<'a, K, V> {
        self.iter()
    }
}

impl<'a, K: Ord, V> IntoIterator for &'a mut SortedMap<K, V> {
    type Item = (&'a K, &'a mut V);
    type IntoIter = IterMut<'a, K, V>;

    fn into_iter(self) -> IterMut<'a, K, V> {
        self.iter_mut()
    }
}

/// The place of a key in a map (see [`SortedMap::entry`]).
pub enum Entry<'a, K, V> {
    /// The key is not in the map.
    Vacant(VacantEntry<'a, K, V>),
    /// The key is in the map.
    Occupied(OccupiedEntry<'a, K, V>),
}

/// A key not in the map, and where it goes.
pub struct VacantEntry<'a, K, V>(Vacant<'a, K, V>);

enum Vacant<'a, K, V> {
    Small {
        map: &'a mut SortedMap<K, V>,
        key: K,
        at: usize,
    },
    Large(btree_map::VacantEntry<'a, K, V>),
}

/// A key in the map and its value.
pub struct OccupiedEntry<'a, K, V>(Occupied<'a, K, V>);

enum Occupied<'a, K, V> {
    Small(&'a mut Vec<(K, V)>, usize),
    Large(btree_map::OccupiedEntry<'a, K, V>),
}

impl<'a, K: Ord, V> Entry<'a, K, V> {
    /// The value, `default` put in first when the key is not there.
    pub fn or_insert(self, default: V) -> &'a mut V {
        match self {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(default),
        }
    }

    /// The value, `default()` put in first when the key is not there.
    pub fn or_insert_with(self, default: impl FnOnce() -> V) -> &'a mut V {
        match self {
            Entry::Occupied(o) => o.into_mut(),
            Entry::Vacant(v) => v.insert(default()),
        }
    }

    /// The value, `V::default()` put in first when the key is not there.
    pub fn or_default(self) -> &'a mut V
    where
        V: Default,
    {
        self.or_insert_with(V::default)
    }
}

impl<'a, K: Ord, V> VacantEntry<'a, K, V> {
    /// Puts `value` under the key.
    pub fn insert(self, value: V) -> &'a mut V {
        match self.0 {
            Vacant::Small { map, key, at } => {
                if map.len() >= LARGE_AT {
                    map.spill();
                }
                match &mut map.0 {
                    Repr::Small(v) => {
                        v.insert(at, (key, value));
                        &mut v[at].1
                    }
                    Repr::Large(t) => t.entry(key).or_insert(value),
                }
            }
            Vacant::Large(v) => v.insert(value),
        }
    }
}

impl<'a, K: Ord, V> OccupiedEntry<'a, K, V> {
    /// The value, to change for as long as the map is borrowed.
    pub fn into_mut(self) -> &'a mut V {
        match self.0 {
            Occupied::Small(v, at) => &mut v[at].1,
            Occupied::Large(o) => o.into_mut(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same operations on a `SortedMap` and a `BTreeMap` give the same maps, across the
    /// move into a tree and back down.
    #[test]
    fn behaves_as_a_btree_map() {
        let mut ours: SortedMap<String, u32> = SortedMap::new();
        let mut std: BTreeMap<String, u32> = BTreeMap::new();
        // A fixed pseudo-random walk: inserts, replacements, removals, entries.
        let mut x: u32 = 12345;
        for step in 0..4000u32 {
            x = x.wrapping_mul(1_103_515_245).wrapping_add(12345);
            let key = format!("k{}", (x >> 8) % 90);
            match (x >> 4) % 6 {
                0 | 1 => assert_eq!(ours.insert(key.clone(), step), std.insert(key, step)),
                2 => assert_eq!(ours.remove(&key), std.remove(&key)),
                3 => {
                    *ours.entry(key.clone()).or_insert(0) += step;
                    *std.entry(key).or_insert(0) += step;
                }
                4 => {
                    assert_eq!(ours.get(&key), std.get(&key));
                    match (ours.get_mut(&key), std.get_mut(&key)) {
                        (Some(a), Some(b)) => (*a, *b) = (*a + 1, *b + 1),
                        (a, b) => assert_eq!(a.is_some(), b.is_some()),
                    }
                }
                _ => {
                    ours.retain(|_, v| *v % 7 != 0);
                    std.retain(|_, v| *v % 7 != 0);
                }
            }
            assert_eq!(ours.len(), std.len());
            assert!(ours.iter().eq(std.iter()), "after step {step}");
        }
        assert!(ours.iter().rev().eq(std.iter().rev()));
        assert!(ours.clone().into_iter().eq(std.clone().into_iter()));
    }

    #[test]
    fn a_large_map_is_a_tree_and_stays_sorted() {
        let map: SortedMap<u32, u32> = (0..1000u32).rev().map(|i| (i * 7 % 1000, i)).collect();
        assert!(matches!(map.0, Repr::Large(_)));
        assert_eq!(map.len(), 1000);
        assert!(map.keys().copied().eq(0..1000));
        let small: SortedMap<u32, u32> = [(3, 0), (1, 0), (2, 0)].into();
        assert!(matches!(small.0, Repr::Small(_)));
        assert!(small.keys().copied().eq(1..4));
    }

    #[test]
    fn later_duplicates_win_as_in_a_btree_map() {
        let pairs = [("a", 1), ("b", 2), ("a", 3)];
        let ours: SortedMap<&str, i32> = pairs.into_iter().collect();
        let std: BTreeMap<&str, i32> = pairs.into_iter().collect();
        assert!(ours.iter().eq(std.iter()));
    }
}
