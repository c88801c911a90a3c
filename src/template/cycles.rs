//! Maps that hold themselves, freed when the render that made them ends.
//!
//! Go's collector frees a map that holds itself (`$d = merge $d (dict "c" $d)`, `set $d "me"
//! $d`); an `Rc` never does, so a chart (or a fuzzer) could keep memory past its render, and a
//! folder of values files renders the chart once per file. Only a write can close a cycle (a
//! list or map is built from values that exist before it), and only a write of a list or map
//! into a map: those maps are noted while a [`Sweep`] is active. When it ends, everything of the
//! render has been dropped, so a noted map still alive is held by a cycle alone: its entries are
//! taken out, which breaks the cycle and frees it.

use std::cell::{Cell, RefCell};
use std::rc::{Rc, Weak};

use super::value::{Map, MapData, Value};

thread_local! {
    /// The maps written with a list or map since the outermost active sweep began.
    static WRITTEN: RefCell<Vec<Weak<RefCell<MapData>>>> = const { RefCell::new(Vec::new()) };
    /// How many sweeps are active on this thread (none: nothing is noted).
    static ACTIVE: Cell<usize> = const { Cell::new(0) };
}

/// Notes that `value` was written into `map`, when that may have closed a cycle.
pub(crate) fn written(map: &Map, value: &Value) {
    super::memo::note_container_write(map, value);
    if !matches!(value, Value::Map(_) | Value::List(_)) || ACTIVE.get() == 0 {
        return;
    }
    WRITTEN.with(|w| {
        let mut w = w.borrow_mut();
        // A merge writes many keys of one map in a row.
        if w.last()
            .is_some_and(|last| last.as_ptr() == Rc::as_ptr(map))
        {
            return;
        }
        w.push(Rc::downgrade(map));
        // The same Go map under its other types was written too.
        if let Ok(m) = map.try_borrow() {
            w.extend(m.twins.iter().cloned());
        }
    });
}

/// Whether `v` reaches a map that holds itself (Go's `%#v` of it recurses until the runtime
/// stops Helm). Walked without recursion, each list and map once.
pub(crate) fn reaches_cycle(v: &Value) -> bool {
    // Only a write of a list or map into a map closes a cycle; none noted since the sweep
    // began: there is none.
    if ACTIVE.get() > 0 && WRITTEN.with(|w| w.borrow().is_empty()) {
        return false;
    }
    enum Step {
        Enter(Value),
        Leave(usize),
    }
    let mut on_path = std::collections::HashSet::new();
    let mut seen = std::collections::HashSet::new();
    let mut steps = vec![Step::Enter(v.clone())];
    while let Some(step) = steps.pop() {
        let (address, children): (usize, Vec<Value>) = match step {
            Step::Leave(address) => {
                on_path.remove(&address);
                continue;
            }
            Step::Enter(Value::List(l)) => (Rc::as_ptr(&l) as usize, l.items.clone()),
            Step::Enter(Value::Map(m)) => {
                let Ok(data) = m.try_borrow() else { continue };
                (
                    Rc::as_ptr(&m) as usize,
                    data.entries.iter().map(|(_, v)| v.clone()).collect(),
                )
            }
            Step::Enter(_) => continue,
        };
        if on_path.contains(&address) {
            return true;
        }
        if !seen.insert(address) {
            continue;
        }
        on_path.insert(address);
        steps.push(Step::Leave(address));
        steps.extend(children.into_iter().map(Step::Enter));
    }
    false
}

/// Active from [`Sweep::new`] until dropped; declare it before everything the render holds
/// (values, executor, output) so that it is dropped after them.
#[must_use = "a sweep breaks cycles when it is dropped"]
pub struct Sweep {
    /// Where this sweep's notes begin.
    start: usize,
}

impl Sweep {
    /// Starts noting written maps.
    pub fn new() -> Self {
        ACTIVE.set(ACTIVE.get() + 1);
        Sweep {
            start: WRITTEN.with(|w| w.borrow().len()),
        }
    }
}

impl Default for Sweep {
    fn default() -> Self {
        Self::new()
    }
}

impl Drop for Sweep {
    fn drop(&mut self) {
        ACTIVE.set(ACTIVE.get().saturating_sub(1));
        let noted: Vec<Weak<RefCell<MapData>>> =
            WRITTEN.with(|w| w.borrow_mut().drain(self.start..).collect());
        for weak in noted {
            let Some(map) = weak.upgrade() else { continue };
            // Taken out before they are dropped: dropping them may free maps noted later.
            let entries = match map.try_borrow_mut() {
                Ok(mut m) => std::mem::take(&mut m.entries),
                Err(_) => continue,
            };
            drop(map);
            drop(entries);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map() -> Map {
        Rc::new(RefCell::new(MapData::default()))
    }

    #[test]
    fn a_map_holding_itself_is_freed_when_the_sweep_ends() {
        let probe;
        {
            let _sweep = Sweep::new();
            let d = map();
            d.borrow_mut()
                .entries
                .insert("me".into(), Value::Map(d.clone()));
            written(&d, &Value::Map(d.clone()));
            probe = Rc::downgrade(&d);
        }
        assert!(probe.upgrade().is_none());
    }

    #[test]
    fn maps_alive_for_another_reason_are_left_alone_outside_a_sweep() {
        let d = map();
        let inner = map();
        d.borrow_mut()
            .entries
            .insert("x".into(), Value::Map(inner.clone()));
        written(&d, &Value::Map(inner));
        // No sweep active: nothing noted, nothing cleared.
        drop(Sweep::new());
        assert_eq!(d.borrow().entries.len(), 1);
    }
}
