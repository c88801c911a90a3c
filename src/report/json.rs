//! Versioned JSON (`"version": 1`), the contract other tools rely on.

use serde_json::{Value as Json, json};

use super::{InputPlace, Located, Summary};
use crate::source::Sources;

/// Renders the JSON report. Input errors (the run's exit 2) are listed beside the findings, so
/// that a consumer reading only the document does not take a file it could not read for clean.
pub fn render(
    items: &[Located],
    inputs: &[InputPlace],
    summary: &Summary,
    sources: &Sources,
) -> String {
    let findings: Vec<Json> = items
        .iter()
        .map(|l| {
            let f = l.finding;
            json!({
                "code": f.code,
                "name": f.name,
                "severity": f.severity.as_str(),
                "message": f.message,
                "help": f.help,
                "file": l.file,
                "line": l.line,
                "column": l.column,
                "end_line": l.end_line,
                "end_column": l.end_column,
                "key": f.key,
                "caused_by": f.caused_by.as_ref().map(|c| {
                    let at = c.span.map(|s| sources.get(s.file).line_col(s.start));
                    json!({"code": c.code, "line": at.map(|a| a.0), "column": at.map(|a| a.1)})
                }),
                "fix": f.fix.as_ref().map(|fix| json!({
                    "description": fix.description,
                    "safe": fix.safe,
                    "edits": fix.edits.iter().map(|e| {
                        let file = sources.get(e.span.file);
                        let (line, column) = file.line_col(e.span.start);
                        let (end_line, end_column) = file.line_col(e.span.end);
                        json!({
                            "file": file.name,
                            "start": e.span.start, "end": e.span.end,
                            "line": line, "column": column, "end_line": end_line, "end_column": end_column,
                            "replacement": e.replacement,
                        })
                    }).collect::<Vec<_>>(),
                })),
                "notes": f.notes.iter().map(|n| n.message.clone()).collect::<Vec<_>>(),
            })
        })
        .collect();
    let input_errors: Vec<Json> = inputs
        .iter()
        .map(|p| {
            json!({
                "location": p.location,
                "file": p.file,
                "line": p.line_col.map(|(l, _)| l),
                "column": p.line_col.map(|(_, c)| c),
                "message": p.message,
            })
        })
        .collect();
    let doc = json!({
        "version": 1,
        "tool": {"name": "stackstate-lint", "version": env!("CARGO_PKG_VERSION")},
        "findings": findings,
        "input_errors": input_errors,
        "summary": {
            "errors": summary.errors,
            "warnings": summary.warnings,
            "infos": summary.infos,
            "input_errors": inputs.len(),
        },
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}
