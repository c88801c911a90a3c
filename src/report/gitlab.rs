//! GitLab Code Quality report: a JSON array of issues (a subset of the Code Climate format) that
//! a job publishes with `artifacts: reports: codequality:`.

use serde_json::{Value as Json, json};

use super::ci::{ReportPath, climb_from_cwd, fingerprints, fnv1a, relative_path, report_path};
use super::{InputPlace, Located};
use crate::diagnostic::Severity;

/// Renders the report; `[]` when there is nothing to say. An input error is a `blocker` at its
/// file (line 1 when it has none): the merge request shows it, not only the job's log.
pub fn render(items: &[Located], inputs: &[InputPlace]) -> String {
    let mut issues: Vec<Json> = items
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
    for p in inputs {
        let file = p.file.as_deref().unwrap_or(".");
        let base = format!("input-error\0{}\0{}", relative_path(file), p.message);
        issues.push(json!({
            "description": format!("input error: {}: {}", p.location, p.message),
            "check_name": "input-error",
            "fingerprint": format!("{:016x}", fnv1a(base.as_bytes())),
            "severity": "blocker",
            "location": {"path": path(file), "lines": {"begin": p.line_col.map_or(1, |(l, _)| l)}},
        }));
    }
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
