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

/// One fingerprint per item, 16 hex digits: a hash of rule code, relative path, key and message
/// (with `:line:col` references blanked), so it survives lines added above the finding. Equal
/// findings get their rank mixed in, so fingerprints are unique within a report.
pub fn fingerprints(items: &[Located]) -> Vec<String> {
    let mut seen: HashMap<u64, usize> = HashMap::new();
    items
        .iter()
        .map(|l| {
            let f = l.finding;
            let message = LOCATION.replace_all(&f.message, ":_:_");
            let base = format!(
                "{}\0{}\0{}\0{}",
                f.code,
                relative_path(&l.file),
                f.key.as_deref().unwrap_or(""),
                message
            );
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
