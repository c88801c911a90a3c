//! Opening the files the input names (values files, charts, the config): regular files, and
//! for values the pipes a shell hands over (`-f <(sops -d values.yaml)`), opened without
//! blocking, so that a FIFO or a device given as input cannot hang a run.
//!
//! NOTE: not in `source`, which the build script compiles too (without `libc`).

use std::path::Path;
use std::time::{Duration, Instant};

/// Opens `path` for reading when it is a regular file (symlinks followed) and returns its size.
/// The open never blocks (a FIFO opened without a writer would wait forever), and a FIFO,
/// device, socket or folder is refused: none of them is a file to lint, and some never end.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, u64), String> {
    match open_input(path)? {
        Opened::Regular(file, len) => Ok((file, len)),
        Opened::Pipe(_) => {
            Err("not a regular file but a pipe (FIFO); only files are read here".into())
        }
    }
}

/// A device or socket (a FIFO is read as a pipe where pipes are read).
const NOT_REGULAR: &str = "not a regular file (a device or socket); only files and pipes are read";

/// A file opened by [`open_input`].
pub enum Opened {
    /// A regular file and its size.
    Regular(std::fs::File, u64),
    /// A pipe or FIFO (read with [`read_pipe`]).
    Pipe(std::fs::File),
}

/// Opens `path` when it is a regular file or a pipe; a device, socket or folder is refused.
pub fn open_input(path: &Path) -> Result<Opened, String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.custom_flags(libc::O_NONBLOCK | libc::O_CLOEXEC);
    }
    let file = options.open(path).map_err(|e| io_message(&e))?;
    let meta = file.metadata().map_err(|e| io_message(&e))?;
    if meta.is_dir() {
        return Err("is a folder, not a file".into());
    }
    if meta.is_file() {
        return Ok(Opened::Regular(file, meta.len()));
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if meta.file_type().is_fifo() {
            return Ok(Opened::Pipe(file));
        }
    }
    Err(NOT_REGULAR.into())
}

/// How long a pipe may stay silent (no byte, no end) before the read gives up: a writer that
/// decrypts through a key service takes seconds, a FIFO nobody writes to takes forever.
/// `STACKSTATE_LINT_PIPE_WAIT` (seconds) sets it.
fn pipe_wait() -> Duration {
    std::env::var("STACKSTATE_LINT_PIPE_WAIT")
        .ok()
        .and_then(|s| s.trim().parse::<f64>().ok())
        .filter(|s| s.is_finite() && *s >= 0.0)
        .map_or(Duration::from_secs(30), |s| {
            Duration::from_secs_f64(s.min(86_400.0))
        })
}

/// Reads a pipe opened by [`open_input`] to its end, at most `limit` bytes (one more tells the
/// caller it was larger), waiting at most [`pipe_wait`] at a time for its writer.
pub fn read_pipe(file: std::fs::File, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read;
    let wait = pipe_wait();
    let mut file = file;
    let mut buf = Vec::new();
    let mut chunk = [0u8; 64 * 1024];
    let mut quiet_since = Instant::now();
    while buf.len() as u64 <= limit {
        let left = wait.saturating_sub(quiet_since.elapsed());
        if left.is_zero() {
            return Err(format!(
                "a pipe that gave no more input and did not end within {} s (a FIFO nothing \
                 writes to?)",
                wait.as_secs_f64()
            ));
        }
        if !readable_within(&file, left)? {
            continue;
        }
        match file.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => {
                buf.extend_from_slice(&chunk[..n]);
                quiet_since = Instant::now();
            }
            Err(e)
                if matches!(
                    e.kind(),
                    std::io::ErrorKind::WouldBlock | std::io::ErrorKind::Interrupted
                ) => {}
            Err(e) => return Err(io_message(&e)),
        }
    }
    buf.truncate(limit as usize + 1);
    Ok(buf)
}

/// Whether `file` has input (or its end) within `wait`.
#[cfg(unix)]
fn readable_within(file: &std::fs::File, wait: Duration) -> Result<bool, String> {
    use std::os::fd::AsRawFd;
    let mut fd = libc::pollfd {
        fd: file.as_raw_fd(),
        events: libc::POLLIN,
        revents: 0,
    };
    let ms = wait.as_millis().clamp(1, i32::MAX as u128) as i32;
    // SAFETY: one valid pollfd, for the length given.
    let r = unsafe { libc::poll(&mut fd, 1, ms) };
    if r < 0 {
        let e = std::io::Error::last_os_error();
        return match e.kind() {
            std::io::ErrorKind::Interrupted => Ok(false),
            _ => Err(io_message(&e)),
        };
    }
    Ok(r > 0)
}

#[cfg(not(unix))]
fn readable_within(_file: &std::fs::File, _wait: Duration) -> Result<bool, String> {
    Ok(true)
}

/// A short message for a failed read: `no such file`, `permission denied`, else the error.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
