//! One large release at a time across a folder's worker threads.
//!
//! Each release is bounded on its own (the engine's fuel, depth and output limits, the run's
//! budget of input values), but a release that renders hundreds of megabytes holds several
//! times that while lint and images analyse it, and two of them on two workers together went
//! past what one alone may take (two 200 MB manifests: 2.7 GB, aborted under a 4 GB address
//! space). So a worker whose release has rendered [`LARGE`] bytes waits until no other worker
//! holds a large release, and holds its own until the job ends ([`job_done`]). Releases below
//! the mark still run side by side; the findings do not depend on the order, only the peak does.
//!
//! Only threads of the worker pool ([`enter_pool`]) ever wait: the thread that makes the jobs
//! must never hold the gate while the workers it feeds wait on it.

use std::cell::{Cell, RefCell};
use std::sync::{Mutex, MutexGuard, PoisonError};

/// Rendered bytes past which a release counts as large: the charts render 1–3 MB; a values
/// file must blow a loop up to pass it.
pub const LARGE: usize = 16 << 20;

static GATE: Mutex<()> = Mutex::new(());

thread_local! {
    static IN_POOL: Cell<bool> = const { Cell::new(false) };
    static HOLDING: RefCell<Option<MutexGuard<'static, ()>>> = const { RefCell::new(None) };
}

/// Marks this thread as a worker of the pool: its large releases take turns with the others'.
pub fn enter_pool() {
    IN_POOL.with(|p| p.set(true));
}

/// The release this thread works on has rendered `bytes` so far: past [`LARGE`], waits for
/// its turn (once per job; nothing outside the pool waits).
pub fn rendered(bytes: usize) {
    if bytes <= LARGE || !IN_POOL.with(Cell::get) {
        return;
    }
    HOLDING.with(|h| {
        let mut h = h.borrow_mut();
        if h.is_none() {
            // A worker that panicked holding the gate poisons it; the gate guards no data.
            *h = Some(GATE.lock().unwrap_or_else(PoisonError::into_inner));
        }
    });
}

/// This thread's job is done: a large release it held lets the next one go on.
pub fn job_done() {
    HOLDING.with(|h| h.borrow_mut().take());
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    /// Four workers, each with a large job then a small one: the large ones never overlap, the
    /// small ones do not wait for them.
    #[test]
    fn large_releases_take_turns_and_small_ones_do_not_wait() {
        static LARGE_NOW: AtomicUsize = AtomicUsize::new(0);
        static LARGE_PEAK: AtomicUsize = AtomicUsize::new(0);
        let (small_done, large_started) = (AtomicUsize::new(0), AtomicUsize::new(0));
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    enter_pool();
                    rendered(LARGE + 1);
                    large_started.fetch_add(1, Ordering::SeqCst);
                    let now = LARGE_NOW.fetch_add(1, Ordering::SeqCst) + 1;
                    LARGE_PEAK.fetch_max(now, Ordering::SeqCst);
                    // Again within the same job: no second wait on a gate it holds.
                    rendered(2 * LARGE);
                    std::thread::sleep(std::time::Duration::from_millis(20));
                    LARGE_NOW.fetch_sub(1, Ordering::SeqCst);
                    job_done();
                    rendered(LARGE);
                    small_done.fetch_add(1, Ordering::SeqCst);
                    job_done();
                });
            }
        });
        assert_eq!(large_started.load(Ordering::SeqCst), 4);
        assert_eq!(small_done.load(Ordering::SeqCst), 4);
        assert_eq!(LARGE_PEAK.load(Ordering::SeqCst), 1);
    }

    #[test]
    fn a_thread_outside_the_pool_never_takes_the_gate() {
        rendered(LARGE * 4);
        assert!(HOLDING.with(|h| h.borrow().is_none()));
    }
}
