//! A folder's releases on every core, reported as one thread reports them.
//!
//! The thread that runs the command makes one job per release, in input order (everything that
//! adds to the run's [`crate::source::Sources`] happens there, so file ids and messages are those
//! of a run on one thread); worker threads do the heavy part (the render); results are handed
//! back in the order the jobs were made. The engine's values are `Rc`: they are made and dropped
//! inside one job, and only plain data crosses threads.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, mpsc};

pub use crate::cores::workers;

/// Runs `work` on each job `next` makes, on `workers` threads (one: on this thread, none
/// started), and hands every result to `gather` in the order the jobs were made. `next` and
/// `gather` run on this thread; `next` gives `None` when there is no job left. An error from
/// `next` stops making jobs: the results of the jobs made so far are gathered, then it is
/// returned.
///
/// NOTE: at most `workers` jobs wait for a worker, so that a folder does not hold more releases
/// at a time than there are threads to render them; results wait only for an earlier one.
pub fn ordered<J, R, E>(
    workers: usize,
    mut next: impl FnMut() -> Result<Option<J>, E>,
    work: impl Fn(J) -> R + Sync,
    mut gather: impl FnMut(R),
) -> Result<(), E>
where
    J: Send,
    R: Send,
{
    if workers <= 1 {
        return one_by_one(next, work, gather);
    }
    std::thread::scope(|scope| {
        let (to_workers, jobs) = mpsc::sync_channel::<(usize, J)>(workers);
        // Held by the workers only: when every one is gone (a panic), sending fails instead of
        // waiting for ever.
        let jobs = Arc::new(Mutex::new(jobs));
        let (to_main, results) = mpsc::channel::<(usize, R)>();
        let started = (0..workers)
            .filter(|_| {
                let (jobs, to_main, work) = (Arc::clone(&jobs), to_main.clone(), &work);
                std::thread::Builder::new()
                    .name("render".into())
                    .stack_size(stack_size())
                    .spawn_scoped(scope, move || {
                        crate::large_render::enter_pool();
                        loop {
                            let job = jobs.lock().map(|rx| rx.recv());
                            let Ok(Ok((i, job))) = job else { break };
                            let result = work(job);
                            crate::large_render::job_done();
                            if to_main.send((i, result)).is_err() {
                                break;
                            }
                        }
                    })
                    .is_ok()
            })
            .count();
        drop((jobs, to_main));
        // The system refused every thread: the jobs run here.
        if started == 0 {
            return one_by_one(&mut next, &work, &mut gather);
        }
        // Results in the order of their jobs: each waits only for those before it.
        let mut waiting = BTreeMap::new();
        let mut due = 0;
        let mut take = |(i, r): (usize, R)| {
            waiting.insert(i, r);
            while let Some(r) = waiting.remove(&due) {
                gather(r);
                due += 1;
            }
        };
        let mut made = 0;
        let mut failed = None;
        loop {
            results.try_iter().for_each(&mut take);
            match next() {
                Ok(Some(job)) => {
                    if to_workers.send((made, job)).is_err() {
                        break;
                    }
                    made += 1;
                }
                Ok(None) => break,
                Err(e) => {
                    failed = Some(e);
                    break;
                }
            }
        }
        drop(to_workers);
        results.iter().for_each(&mut take);
        failed.map_or(Ok(()), Err)
    })
}

/// [`ordered`] on this thread alone: each job made, worked and gathered before the next (what
/// a job gives need not cross threads).
pub fn one_by_one<J, R, E>(
    mut next: impl FnMut() -> Result<Option<J>, E>,
    work: impl Fn(J) -> R,
    mut gather: impl FnMut(R),
) -> Result<(), E> {
    while let Some(job) = next()? {
        gather(work(job));
    }
    Ok(())
}

/// A worker's stack: as large as the main thread's (the run's recursion is bounded for that one).
fn stack_size() -> usize {
    const MAIN_DEFAULT: usize = 8 << 20;
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit writes the limit into the struct it is given.
        let read = unsafe { libc::getrlimit(libc::RLIMIT_STACK, &mut limit) } == 0;
        if read && limit.rlim_cur != libc::RLIM_INFINITY {
            // A worker's stack is reserved, not touched: a larger one costs address space only.
            return usize::try_from(limit.rlim_cur)
                .unwrap_or(MAIN_DEFAULT)
                .clamp(MAIN_DEFAULT, 1 << 30);
        }
    }
    MAIN_DEFAULT
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Jobs `0..n`, the result of each its square, gathered with `workers` threads.
    fn squares(
        n: usize,
        workers: usize,
        fail_at: Option<usize>,
    ) -> (Vec<usize>, Result<(), usize>) {
        let mut made = 0;
        let mut got = Vec::new();
        let result = ordered(
            workers,
            || {
                if Some(made) == fail_at {
                    return Err(made);
                }
                made += 1;
                Ok((made <= n).then_some(made - 1))
            },
            |i: usize| {
                // Later jobs finish first.
                std::thread::sleep(std::time::Duration::from_micros(((n - i) * 50) as u64));
                i * i
            },
            |r| got.push(r),
        );
        (got, result)
    }

    #[test]
    fn results_come_in_the_order_of_the_jobs() {
        let want: Vec<usize> = (0..40).map(|i| i * i).collect();
        for workers in [1, 2, 3, 8] {
            assert_eq!(
                squares(40, workers, None),
                (want.clone(), Ok(())),
                "{workers}"
            );
        }
    }

    #[test]
    fn an_error_stops_the_jobs_after_gathering_those_made() {
        for workers in [1, 4] {
            assert_eq!(
                squares(40, workers, Some(5)),
                (vec![0, 1, 4, 9, 16], Err(5))
            );
        }
    }

    #[test]
    fn a_worker_stack_is_at_least_the_default_main_one() {
        assert!(stack_size() >= 8 << 20);
    }
}
