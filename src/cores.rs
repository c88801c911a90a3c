//! How many threads a run may use: a folder renders one release per core (the commands'
//! `parallel` module); a single release renders on the command's own thread.

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
