//! One budget per run for everything the input controls, shared by all files, the chart, the
//! config and `--set`: a limit per file alone lets 16 files (or 16 subcharts in one small
//! archive) each stay under it and together exhaust the machine.
//!
//! The budget is installed for the duration of a run ([`install`]) and read by the loaders
//! through a thread-local, so that library users and unit tests without one are unlimited (the
//! per-file limits of the YAML loader still hold). The same file parsed again with the
//! same text (a `-f` file under every PATH, `--set` for every release) is charged once: the
//! budget bounds what the input is, not how often the tool looks at it. Two files with the same
//! text are two files: each builds its own values.

use std::cell::RefCell;
use std::collections::HashSet;
use std::hash::{BuildHasher, RandomState};

/// What a map holding at least one entry counts on top of itself and its entries: its first
/// block of storage has room for 11 entries however few it holds, so `[{a: 0}, {a: 0}, …]`
/// took ten times the memory of a list of numbers with as many values (1.8 GB for 2.3 MB).
pub const MAP_EXTRA: usize = 11;

/// The bounds of one run.
#[derive(Debug, Clone, Copy)]
pub struct RunLimits {
    /// YAML and `--set` values, aliases expanded, across every distinct text.
    pub max_nodes: usize,
    /// Bytes read from values files, stdin, the config and the chart.
    pub max_bytes: u64,
    /// List elements `--set` may create by indexing (`a[65536]=1` creates 65,537), summed over
    /// every argument: Helm's bound for one index, here for all of them together.
    pub max_set_items: usize,
}

/// What a [`Ticket`] draws from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Pool {
    /// Values built from YAML texts.
    Nodes,
    /// List elements created by `--set` indexes.
    SetItems,
}

impl Default for RunLimits {
    fn default() -> Self {
        RunLimits {
            max_nodes: 1_000_000,
            max_bytes: 128 * 1024 * 1024,
            // Helm's largest index (`set::MAX_INDEX`) and the element before it.
            max_set_items: 65_536 + 1,
        }
    }
}

struct Budget {
    limits: RunLimits,
    nodes: usize,
    set_items: usize,
    bytes: u64,
    /// Inside [`uncharged`].
    paused: bool,
    /// Hashes of texts already charged (keys random per run, so no one can aim a collision).
    seen: HashSet<u64>,
    hasher: RandomState,
}

thread_local! {
    static CURRENT: RefCell<Option<Budget>> = const { RefCell::new(None) };
}

/// Removes the budget when the run ends.
pub struct Installed(());

impl Drop for Installed {
    fn drop(&mut self) {
        CURRENT.with(|c| *c.borrow_mut() = None);
    }
}

/// Installs a fresh budget for the run on this thread.
pub fn install(limits: RunLimits) -> Installed {
    CURRENT.with(|c| {
        *c.borrow_mut() = Some(Budget {
            limits,
            nodes: 0,
            set_items: 0,
            bytes: 0,
            paused: false,
            seen: HashSet::new(),
            hasher: RandomState::new(),
        })
    });
    Installed(())
}

/// A text about to be turned into values: how many nodes it may still produce, and the ticket
/// that charges them once it is done.
pub struct Ticket {
    pool: Pool,
    /// Whether there is a budget to charge.
    active: bool,
    /// The input's identity when it is charged once only.
    hash: Option<u64>,
    /// Nodes this text may produce (`usize::MAX` when it was charged before or no budget is set).
    pub nodes_left: usize,
    /// The run's node limit, for messages.
    pub run_max: usize,
}

/// The ticket for a text, drawing from `pool`. `once` names the input (its name and text) when
/// parsing it again must not charge again; `None` charges every time.
pub fn ticket(pool: Pool, once: Option<(&str, &str)>) -> Ticket {
    CURRENT.with(|c| {
        let c = c.borrow();
        let Some(b) = c.as_ref() else {
            return Ticket {
                pool,
                active: false,
                hash: None,
                nodes_left: usize::MAX,
                run_max: usize::MAX,
            };
        };
        let hash = once.map(|key| b.hasher.hash_one((pool, key)));
        let (used, max) = match pool {
            Pool::Nodes => (b.nodes, b.limits.max_nodes),
            Pool::SetItems => (b.set_items, b.limits.max_set_items),
        };
        let nodes_left = if b.paused || hash.is_some_and(|h| b.seen.contains(&h)) {
            usize::MAX
        } else {
            max.saturating_sub(used)
        };
        Ticket {
            pool,
            active: true,
            hash,
            nodes_left,
            run_max: max,
        }
    })
}

impl Ticket {
    /// Charges `nodes` for the text (once per named input).
    pub fn charge(self, nodes: usize) {
        if !self.active {
            return;
        }
        CURRENT.with(|c| {
            if let Some(b) = c.borrow_mut().as_mut()
                && !b.paused
                && self.hash.is_none_or(|h| b.seen.insert(h))
            {
                let used = match self.pool {
                    Pool::Nodes => &mut b.nodes,
                    Pool::SetItems => &mut b.set_items,
                };
                *used = used.saturating_add(nodes);
            }
        });
    }
}

/// Runs `f` without charging the texts it parses: for the re-lints of `--fix`, which parse
/// the same files again with small edits. Per-file limits still hold, and the fixed texts are
/// charged when they are linted for the report.
pub fn uncharged<T>(f: impl FnOnce() -> T) -> T {
    // Nested calls keep the outer pause: the state before is restored, not cleared.
    let set = |on: bool| {
        CURRENT.with(|c| {
            c.borrow_mut()
                .as_mut()
                .map(|b| std::mem::replace(&mut b.paused, on))
        })
    };
    let before = set(true);
    let out = f();
    set(before.unwrap_or(false));
    out
}

/// How many more bytes the run may read (`u64::MAX` without a budget).
pub fn bytes_left() -> u64 {
    CURRENT.with(|c| {
        c.borrow()
            .as_ref()
            .map_or(u64::MAX, |b| b.limits.max_bytes.saturating_sub(b.bytes))
    })
}

/// Charges `n` bytes read; the error says what the run may read in all.
pub fn charge_bytes(n: u64) -> Result<(), String> {
    CURRENT.with(|c| {
        let mut c = c.borrow_mut();
        let Some(b) = c.as_mut() else { return Ok(()) };
        b.bytes = b.bytes.saturating_add(n);
        if b.bytes > b.limits.max_bytes {
            return Err(format!(
                "the inputs of this run are larger than the limit of {} bytes in all (values files, chart and config together)",
                b.limits.max_bytes
            ));
        }
        Ok(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_charged_once_and_the_run_is_bounded() {
        let _b = install(RunLimits {
            max_nodes: 10,
            max_bytes: 100,
            max_set_items: 3,
        });
        let t = ticket(Pool::Nodes, Some(("a.yaml", "a: 1")));
        assert_eq!(t.nodes_left, 10);
        t.charge(6);
        let again = ticket(Pool::Nodes, Some(("a.yaml", "a: 1")));
        assert_eq!(again.nodes_left, usize::MAX, "seen before");
        assert_eq!(ticket(Pool::Nodes, Some(("b.yaml", "a: 1"))).nodes_left, 4);
        ticket(Pool::Nodes, None).charge(1);
        ticket(Pool::Nodes, None).charge(1);
        assert_eq!(ticket(Pool::Nodes, None).nodes_left, 2);
        assert_eq!(ticket(Pool::SetItems, Some(("", "a: 1"))).nodes_left, 3);
        assert!(charge_bytes(60).is_ok() && charge_bytes(60).is_err());
        assert_eq!(bytes_left(), 0);
    }

    #[test]
    fn without_a_budget_nothing_is_bounded() {
        assert_eq!(ticket(Pool::Nodes, None).nodes_left, usize::MAX);
        assert!(charge_bytes(u64::MAX).is_ok());
    }
}
