//! Running the real binary in a scratch folder: environment cleared, pipes drained on threads,
//! killed when it runs away.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// A run still going after this is killed and fails the test.
pub const KILL_AFTER: Duration = Duration::from_secs(60);

/// A scratch folder unique to one test, removed when dropped.
pub struct Scratch(pub PathBuf);

impl Scratch {
    /// An empty folder named after the test.
    pub fn new(test: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("stackstate-lint-{}-{test}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    /// Writes `contents` to `name` inside the folder.
    pub fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).unwrap();
        }
        std::fs::write(&path, contents).unwrap();
        path
    }

    /// The path of `name` inside the folder.
    pub fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// What a run left.
#[derive(Debug)]
pub struct Run {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard output.
    pub stdout: String,
    /// Standard error.
    pub stderr: String,
    /// Wall time.
    pub elapsed: Duration,
}

/// How to run the binary.
#[derive(Default)]
pub struct Opts<'a> {
    /// Working folder.
    pub dir: Option<&'a Path>,
    /// Extra environment.
    pub env: &'a [(&'a str, &'a str)],
    /// Standard input.
    pub stdin: Option<&'a [u8]>,
    /// Standard output goes to this file instead of a pipe.
    pub stdout_file: Option<&'a Path>,
    /// Kill the run after this instead of [`KILL_AFTER`] (the largest inputs, in a debug build).
    pub kill_after: Option<Duration>,
}

/// Runs the binary with `args`.
pub fn run(args: &[&str]) -> Run {
    run_with(args, &Opts::default())
}

/// Runs the binary with `args` and `opts`.
pub fn run_with(args: &[&str], opts: &Opts) -> Run {
    let start = Instant::now();
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"));
    cmd.args(args)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(if opts.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stderr(Stdio::piped());
    match opts.stdout_file {
        Some(p) => cmd.stdout(std::fs::OpenOptions::new().write(true).open(p).unwrap()),
        None => cmd.stdout(Stdio::piped()),
    };
    if let Some(d) = opts.dir {
        cmd.current_dir(d);
    }
    for (k, v) in opts.env {
        cmd.env(k, v);
    }
    let mut child = cmd.spawn().unwrap();
    if let (Some(input), Some(mut pipe)) = (opts.stdin, child.stdin.take()) {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let drain = |pipe: Option<Box<dyn std::io::Read + Send>>| {
        std::thread::spawn(move || {
            let mut s = Vec::new();
            if let Some(mut p) = pipe {
                let _ = p.read_to_end(&mut s);
            }
            String::from_utf8_lossy(&s).into_owned()
        })
    };
    let out = drain(child.stdout.take().map(|p| Box::new(p) as _));
    let err = drain(child.stderr.take().map(|p| Box::new(p) as _));
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        let limit = opts.kill_after.unwrap_or(KILL_AFTER);
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("stackstate-lint {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed: start.elapsed(),
    }
}

/// A path as `&str`.
pub fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The run did not panic.
#[track_caller]
pub fn no_panic(r: &Run) {
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "panic:\n{}",
        r.stderr
    );
}
