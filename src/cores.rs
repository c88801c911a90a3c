//! How many threads a run may use, and whether this thread may borrow a spare core.
//!
//! A folder renders one release per core (the commands' `parallel` module); a single release
//! leaves the second core idle, and the parts of its render that need no shared state (reading
//! every rendered manifest back as YAML) borrow it.

use std::cell::Cell;

/// Overrides the number of worker threads (`1`: everything on the command's own thread).
pub const JOBS_VAR: &str = "STACKSTATE_LINT_JOBS";

/// How many threads work on `jobs` jobs: [`JOBS_VAR`] when it is a positive number, else the
/// cores this process may use; never more than there are jobs.
pub fn workers(jobs: usize) -> usize {
    let wanted = std::env::var(JOBS_VAR)
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|&n| n > 0)
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()));
    wanted.min(jobs).max(1)
}

thread_local! {
    /// This thread is one of a folder's workers: every core already has one.
    static BUSY: Cell<bool> = const { Cell::new(false) };
}

/// Marks this thread as one of several working at once: it borrows no other core.
pub(crate) fn mark_busy() {
    BUSY.with(|b| b.set(true));
}

/// How many threads this thread may use for `jobs` independent pieces of work: one on a
/// folder's worker, else [`workers`].
pub(crate) fn spare(jobs: usize) -> usize {
    if BUSY.with(Cell::get) {
        1
    } else {
        workers(jobs)
    }
}
