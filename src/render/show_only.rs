//! `helm template --show-only` (`-s`): the documents rendered from the templates named, as
//! Helm 3.17.3 and 4.1.4 pick them from the text they would print — split into documents
//! again (`SplitManifests`), each matched by the path of its `# Source:` line inside the chart
//! (`templates/x.yaml`, `charts/sub/templates/y.yaml`) against each pattern in turn, with
//! `path/filepath.Match`.

use std::sync::OnceLock;

use regex::Regex;

/// The documents of `printed` (what `helm template` prints without `--show-only`) whose
/// template matches one of `patterns`, pattern by pattern, each printed as `---\nDOC\n`; or
/// Helm's error for the first pattern that matches none.
pub(crate) fn show_only(printed: &str, patterns: &[String]) -> Result<String, String> {
    static SOURCE: OnceLock<Regex> = OnceLock::new();
    // NOTE: `[^/]+` may run over line breaks, as Go's does: the leftmost match wins.
    let source = SOURCE.get_or_init(|| Regex::new("# Source: [^/]+/(.+)").expect("a regex"));
    let docs: Vec<(&str, Option<&str>)> = super::manifest::split_manifests(printed)
        .into_iter()
        .map(|doc| {
            let name = source
                .captures(doc)
                .and_then(|c| c.get(1))
                .map(|m| m.as_str());
            (doc, name)
        })
        .collect();
    let mut out = String::new();
    for pattern in patterns {
        let mut found = false;
        for (doc, name) in &docs {
            if name.is_some_and(|name| matches(pattern, name)) {
                out.push_str("---\n");
                out.push_str(doc);
                out.push('\n');
                found = true;
            }
        }
        if !found {
            return Err(format!("could not find template {pattern} in chart"));
        }
    }
    Ok(out)
}

/// Go's `path/filepath.Match`; a malformed pattern matches nothing (Helm drops the error).
fn matches(pattern: &str, name: &str) -> bool {
    crate::chart::ignore::go_match(pattern, name).unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Go 1.23's `filepath.Match` on Linux (its own test table, the cases that apply), as
    /// `--show-only` uses it.
    #[test]
    fn match_like_go() {
        let cases: &[(&str, &str, bool)] = &[
            ("abc", "abc", true),
            ("*", "abc", true),
            ("*c", "abc", true),
            ("a*", "a", true),
            ("a*", "abc", true),
            ("a*", "ab/c", false),
            ("a*/b", "abc/b", true),
            ("a*/b", "a/c/b", false),
            ("a*b*c*d*e*/f", "axbxcxdxe/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/f", true),
            ("a*b*c*d*e*/f", "axbxcxdxe/xxx/f", false),
            ("a*b*c*d*e*/f", "axbxcxdxexxx/fff", false),
            ("a*b?c*x", "abxbbxdbxebxczzx", true),
            ("a*b?c*x", "abxbbxdbxebxczzy", false),
            ("ab[c]", "abc", true),
            ("ab[b-d]", "abc", true),
            ("ab[e-g]", "abc", false),
            ("ab[^c]", "abc", false),
            ("ab[^b-d]", "abc", false),
            ("ab[^e-g]", "abc", true),
            ("a\\*b", "a*b", true),
            ("a\\*b", "ab", false),
            ("a?b", "a☺b", true),
            ("a[^a]b", "a☺b", true),
            ("a???b", "a☺b", false),
            ("a[^a][^a][^a]b", "a☺b", false),
            ("[a-ζ]*", "α", true),
            ("*[a-ζ]", "A", false),
            ("a?b", "a/b", false),
            ("a*b", "a/b", false),
            ("[\\]a]", "]", true),
            ("[\\-]", "-", true),
            ("[x\\-]", "x", true),
            ("[x\\-]", "-", true),
            ("[x\\-]", "z", false),
            ("[\\-x]", "x", true),
            ("[\\-x]", "-", true),
            ("[\\-x]", "a", false),
            // Malformed patterns (Go: ErrBadPattern) match nothing.
            ("[]a]", "]", false),
            ("[-]", "-", false),
            ("[x-]", "x", false),
            ("[a-b-c]", "a", false),
            ("[", "a", false),
            ("[^", "a", false),
            ("[^bc", "a", false),
            ("a[", "a", false),
            ("a[", "ab", false),
            ("*x", "xxx", true),
        ];
        for (pattern, name, want) in cases {
            assert_eq!(matches(pattern, name), *want, "{pattern} {name}");
        }
    }
}
