//! Opening the files the input names (values files, charts, the config): regular files only,
//! opened without blocking, so that a FIFO or a device given as input cannot hang a run.
//!
//! NOTE: not in `source`, which the build script compiles too (without `libc`).

use std::path::Path;

/// Opens `path` for reading when it is a regular file (symlinks followed) and returns its size.
/// The open never blocks (a FIFO opened without a writer would wait forever), and a FIFO,
/// device, socket or folder is refused: none of them is a file to lint, and some never end.
pub fn open_regular(path: &Path) -> Result<(std::fs::File, u64), String> {
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
        return Err("is a folder, not a values file".into());
    }
    if !meta.is_file() {
        return Err("not a regular file (a FIFO, device or socket); only files are read".into());
    }
    Ok((file, meta.len()))
}

/// A short message for a failed read: `no such file`, `permission denied`, else the error.
pub fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        _ => e.to_string(),
    }
}
