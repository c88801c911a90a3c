//! Helpers shared by the CI formats (`github`, `sarif`, `gitlab`): repository-relative paths and
//! stable fingerprints.

use std::collections::HashMap;
use std::path::{Component, Path};
use std::sync::LazyLock;

use regex::Regex;

use super::Located;

/// `file` as a `/`-separated path relative to the current directory, which CI systems take to be
/// the repository root: `./a/values.yaml` → `a/values.yaml`; an absolute path inside the current
/// directory loses that prefix; anything else (`-`, `../x`, a path outside) is kept as given.
pub fn relative_path(file: &str) -> String {
    let path = Path::new(file);
    let stripped = if path.is_absolute() {
        std::env::current_dir()
            .ok()
            .and_then(|cwd| {
                let canonical = cwd.canonicalize().ok();
                path.strip_prefix(&cwd)
                    .ok()
                    .or_else(|| canonical.as_deref().and_then(|c| path.strip_prefix(c).ok()))
                    .map(Path::to_path_buf)
            })
            .unwrap_or_else(|| path.to_path_buf())
    } else {
        path.to_path_buf()
    };
    let parts: Vec<String> = stripped
        .components()
        .filter(|c| !matches!(c, Component::CurDir))
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if parts.is_empty() || (path.is_absolute() && stripped.is_absolute()) {
        return file.replace('\\', "/");
    }
    parts.join("/")
}

/// Where a linted file is, for a CI report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportPath {
    /// Under the current directory: a `/`-separated path relative to it (or a name such as
    /// `<stdin>` that is no path).
    Inside(String),
    /// Elsewhere: the absolute, `/`-separated path.
    Outside(String),
}

/// Sorts `file` into [`ReportPath::Inside`] or [`ReportPath::Outside`] of the current directory,
/// looking through `..` and absolute paths (lexically: a symlink is not followed).
pub fn report_path(file: &str) -> ReportPath {
    let path = Path::new(file);
    let escapes = path.components().any(|c| matches!(c, Component::ParentDir));
    if !path.is_absolute() && !escapes {
        return ReportPath::Inside(relative_path(file));
    }
    let Ok(cwd) = std::env::current_dir() else {
        return ReportPath::Inside(relative_path(file));
    };
    let absolute = normalize(&cwd.join(path));
    for base in [Some(cwd.clone()), cwd.canonicalize().ok()]
        .into_iter()
        .flatten()
    {
        if let Ok(rest) = absolute.strip_prefix(normalize(&base)) {
            return ReportPath::Inside(slashes(rest));
        }
    }
    ReportPath::Outside(slashes(&absolute))
}

/// The path from the current directory to `absolute`, with `..` where it must climb.
pub fn climb_from_cwd(absolute: &str) -> String {
    let Ok(cwd) = std::env::current_dir() else {
        return absolute.to_string();
    };
    let cwd = normalize(&cwd);
    let target = Path::new(absolute);
    let common = cwd
        .components()
        .zip(target.components())
        .take_while(|(a, b)| a == b)
        .count();
    let up = cwd.components().count() - common;
    let mut parts: Vec<String> = vec!["..".into(); up];
    parts.extend(
        target
            .components()
            .skip(common)
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

/// `a/./b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> std::path::PathBuf {
    let mut out = std::path::PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

fn slashes(path: &Path) -> String {
    path.to_string_lossy().replace('\\', "/")
}

/// The rule's documentation in the repository (`rules/docs/SL104-unquoted-tag.md`).
pub fn doc_url(code: &str, name: &str) -> String {
    format!(
        "{}/blob/main/rules/docs/{code}-{name}.md",
        env!("CARGO_PKG_REPOSITORY")
    )
}

/// 64-bit FNV-1a: tiny, and the same on every platform and Rust version (unlike `DefaultHasher`).
pub fn fnv1a(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        hash ^= u64::from(*b);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// `file:12:5` references inside messages (SL205 names the other occurrence) move with edits.
static LOCATION: LazyLock<Regex> = LazyLock::new(|| Regex::new(r":\d+:\d+").expect("valid regex"));

/// One fingerprint per item, 16 hex digits: a hash of rule code, relative path and key, so it
/// survives lines added above the finding and a chart upgrade (messages name the chart version,
/// the rendered image and the object, which an upgrade changes for the same problem); a finding
/// without a key hashes its message instead (with `:line:col` references blanked). Equal
/// findings (several images one key decides) get their rank mixed in, so fingerprints are
/// unique within a report.
pub fn fingerprints(items: &[Located]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    items
        .iter()
        .map(|l| {
            let f = l.finding;
            let subject = match f.key.as_deref() {
                Some(key) => format!("key\0{key}"),
                None => format!("message\0{}", LOCATION.replace_all(&f.message, ":_:_")),
            };
            let base = format!("{}\0{}\0{subject}", f.code, relative_path(&l.file));
            let n = seen.entry(fnv1a(base.as_bytes())).or_insert(0);
            *n += 1;
            // NOTE: the first occurrence keeps the plain hash, so adding a duplicate finding
            // later does not change the fingerprint of the existing one.
            let hash = if *n == 1 {
                fnv1a(base.as_bytes())
            } else {
                fnv1a(format!("{base}\0{n}").as_bytes())
            };
            format!("{hash:016x}")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fnv1a_matches_the_reference_vectors() {
        assert_eq!(fnv1a(b""), 0xcbf2_9ce4_8422_2325);
        assert_eq!(fnv1a(b"a"), 0xaf63_dc4c_8601_ec8c);
        assert_eq!(fnv1a(b"foobar"), 0x8594_4171_f739_67e8);
    }

    #[test]
    fn relative_paths_drop_dot_segments_and_the_current_directory() {
        assert_eq!(relative_path("./a/values.yaml"), "a/values.yaml");
        assert_eq!(relative_path("values.yaml"), "values.yaml");
        assert_eq!(relative_path("-"), "-");
        assert_eq!(relative_path("../x/values.yaml"), "../x/values.yaml");
        let cwd = std::env::current_dir().unwrap();
        let inside = cwd.join("deploy").join("values.yaml");
        assert_eq!(
            relative_path(&inside.to_string_lossy()),
            "deploy/values.yaml"
        );
        assert_eq!(
            relative_path("/elsewhere/values.yaml"),
            "/elsewhere/values.yaml"
        );
    }
}
