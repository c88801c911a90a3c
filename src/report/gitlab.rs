//! GitLab Code Quality report: a JSON array of issues (a subset of the Code Climate format) that
//! a job publishes with `artifacts: reports: codequality:`.

use serde_json::{Value as Json, json};

use super::Located;
use super::ci::{ReportPath, climb_from_cwd, fingerprints, report_path};
use crate::diagnostic::Severity;

/// Renders the report; `[]` when there is nothing to say.
pub fn render(items: &[Located]) -> String {
    let issues: Vec<Json> = items
        .iter()
        .zip(fingerprints(items))
        .map(|(l, fingerprint)| {
            let f = l.finding;
            json!({
                "description": format!("{} {}: {}", f.code, f.name, f.message),
                "check_name": f.code,
                "fingerprint": fingerprint,
                "severity": severity(f.severity),
                "location": {"path": path(&l.file), "lines": {"begin": l.line}},
            })
        })
        .collect();
    let mut s = serde_json::to_string_pretty(&issues).unwrap_or_default();
    s.push('\n');
    s
}

/// Relative to the current directory (the repository root in a job), with `..` for a file
/// outside it: GitLab resolves every path against the repository.
fn path(file: &str) -> String {
    match report_path(file) {
        ReportPath::Inside(path) => path,
        ReportPath::Outside(absolute) => climb_from_cwd(&absolute),
    }
}

/// GitLab's scale is info, minor, major, critical, blocker; ours has three levels. An error
/// fails the pipeline, a warning does not: `major` and `minor`, as ESLint's GitLab formatter does.
fn severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "major",
        Severity::Warning => "minor",
        Severity::Info => "info",
    }
}
