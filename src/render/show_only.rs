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
pub(crate) fn show_only(
    printed: &str,
    patterns: &[String],
    ends: super::manifest::DocEnds,
) -> Result<String, String> {
    static SOURCE: OnceLock<Regex> = OnceLock::new();
    // NOTE: `[^/]+` may run over line breaks, as Go's does: the leftmost match wins.
    let source = SOURCE.get_or_init(|| Regex::new("# Source: [^/]+/(.+)").expect("a regex"));
    let docs: Vec<(&str, Option<&str>)> = super::manifest::split_manifests(printed, ends)
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
