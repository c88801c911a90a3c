//! SARIF 2.1.0 for GitHub code scanning: every rule with its documentation, every finding with a
//! repository-relative location, a stable fingerprint and its fix.

use std::collections::BTreeMap;

use serde_json::{Value as Json, json};

use super::ci::{ReportPath, doc_url, fingerprints, report_path};
use super::{InputPlace, Located};
use crate::diagnostic::RuleMeta;
use crate::diagnostic::{Finding, Severity};
use crate::rules;
use crate::source::{Sources, Span};

/// The final (errata 01) schema of SARIF 2.1.0.
const SCHEMA: &str =
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
/// Artifact URIs are relative to this base, the current directory (the repository root in CI).
const BASE: &str = "%SRCROOT%";
/// The key of our fingerprint in `partialFingerprints` (versioned, should its inputs change).
pub const FINGERPRINT_KEY: &str = "stackstateLint/v2";

/// Renders the SARIF log. Input errors (exit 2) make the run's invocation unsuccessful, each a
/// tool execution notification at its file and line.
pub fn render(items: &[Located], inputs: &[InputPlace], sources: &Sources) -> String {
    let metas: Vec<&RuleMeta> = rules::all().iter().map(|r| r.meta()).collect();
    let results: Vec<Json> = items
        .iter()
        .zip(fingerprints(items))
        .map(|(l, fingerprint)| {
            let rule_index = metas.iter().position(|m| m.code == l.finding.code);
            result(l, rule_index, fingerprint, sources)
        })
        .collect();
    let mut run = json!({
        "tool": {"driver": {
            "name": "stackstate-lint",
            "version": env!("CARGO_PKG_VERSION"),
            "semanticVersion": env!("CARGO_PKG_VERSION"),
            "informationUri": env!("CARGO_PKG_REPOSITORY"),
            "rules": metas.iter().map(|m| rule(m)).collect::<Vec<_>>(),
        }},
        "columnKind": "unicodeCodePoints",
        "results": results,
    });
    if let Some(base) = base_uri() {
        run["originalUriBaseIds"] = json!({ BASE: {"uri": base} });
    }
    if !inputs.is_empty() {
        let notifications: Vec<Json> = inputs.iter().map(notification).collect();
        run["invocations"] = json!([{
            "executionSuccessful": false,
            "toolExecutionNotifications": notifications,
        }]);
    }
    let log = json!({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]});
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_default();
    s.push('\n');
    s
}

/// An input error as a notification, located where it has a file.
fn notification(p: &InputPlace) -> Json {
    let mut n = json!({
        "level": "error",
        "message": {"text": format!("{}: {}", p.location, p.message)},
        "descriptor": {"id": "input-error"},
    });
    if let Some(file) = &p.file {
        let mut physical = json!({"artifactLocation": artifact(file)});
        if let Some((line, column)) = p.line_col {
            physical["region"] = json!({"startLine": line, "startColumn": column});
        }
        n["locations"] = json!([{"physicalLocation": physical}]);
    }
    n
}

fn rule(m: &RuleMeta) -> Json {
    json!({
        "id": m.code,
        "name": pascal_case(m.name),
        "shortDescription": {"text": m.summary},
        "fullDescription": {"text": full_description(m)},
        "help": {"text": m.doc, "markdown": m.doc},
        "helpUri": doc_url(m.code, m.name),
        "defaultConfiguration": {"level": level(m.severity), "enabled": !m.default_off},
        "properties": {"tags": [m.name]},
    })
}

/// SARIF wants a PascalCase friendly name (`unquoted-tag` → `UnquotedTag`); the kebab-case name
/// our CLI accepts is kept as the rule's tag.
fn pascal_case(name: &str) -> String {
    name.split('-')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|first| first.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect()
}

/// The first paragraph of the doc's "What it finds" section (else of the doc), or the summary.
fn full_description(m: &RuleMeta) -> String {
    let section = m
        .doc
        .split_once("## What it finds")
        .map_or(m.doc, |(_, rest)| rest);
    section
        .split("\n\n")
        .map(str::trim)
        .find(|p| !p.is_empty() && !p.starts_with('#') && !p.starts_with("Default severity"))
        .map(|p| p.split_whitespace().collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| m.summary.to_string())
}

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn result(l: &Located, rule_index: Option<usize>, fingerprint: String, sources: &Sources) -> Json {
    let f = l.finding;
    let mut text = f.message.clone();
    if let Some(help) = &f.help {
        text.push_str("\nhelp: ");
        text.push_str(help);
    }
    let mut location = json!({"artifactLocation": artifact(&l.file)});
    match f.span {
        Some(span) => {
            location["region"] = json!({
                "startLine": l.line, "startColumn": l.column,
                "endLine": l.end_line, "endColumn": l.end_column,
            });
            if span.len() <= SNIPPET_MAX {
                location["region"]["snippet"] = json!({"text": sources.slice(span)});
            }
            if let Some(context) = context_region(sources, span, l.line, l.end_line) {
                location["contextRegion"] = context;
            }
        }
        // NOTE: a finding about the whole release (no span) covers its whole file.
        None => {
            let lines = sources
                .iter()
                .find(|(_, file)| file.name == l.file)
                .map_or(1, |(_, file)| file.text.lines().count().max(1));
            location["region"] = json!({"startLine": 1, "endLine": lines});
        }
    }
    let mut out = json!({
        "ruleId": f.code,
        "level": level(f.severity),
        "message": {"text": text},
        "locations": [{"physicalLocation": location}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint},
    });
    if let Some(i) = rule_index {
        out["ruleIndex"] = json!(i);
    }
    let related = related_locations(f, sources);
    if !related.is_empty() {
        out["relatedLocations"] = json!(related);
    }
    if let Some(fix) = fixes(f, sources) {
        out["fixes"] = fix;
    }
    out
}

/// Notes that point into a file.
fn related_locations(f: &Finding, sources: &Sources) -> Vec<Json> {
    f.notes
        .iter()
        .filter_map(|n| n.span.map(|s| (s, &n.message)))
        .enumerate()
        .map(|(i, (span, message))| {
            json!({
                "id": i + 1,
                "message": {"text": message},
                "physicalLocation": {
                    "artifactLocation": artifact(&sources.get(span.file).name),
                    "region": span_region(sources, span),
                },
            })
        })
        .collect()
}

/// The finding's fix as SARIF replacements (byte offsets), grouped by file.
fn fixes(f: &Finding, sources: &Sources) -> Option<Json> {
    let fix = f.fix.as_ref()?;
    let mut by_file: BTreeMap<String, Vec<Json>> = BTreeMap::new();
    let mut edits = fix.edits.clone();
    edits.sort_by_key(|e| e.span);
    for e in &edits {
        by_file
            .entry(sources.get(e.span.file).name.clone())
            .or_default()
            .push(json!({
                "deletedRegion": {"byteOffset": e.span.start, "byteLength": e.span.len()},
                "insertedContent": {"text": e.replacement},
            }));
    }
    let description = if fix.safe {
        fix.description.clone()
    } else {
        format!("{} (unsafe: review before applying)", fix.description)
    };
    Some(json!([{
        "description": {"text": description},
        "artifactChanges": by_file.into_iter().map(|(file, replacements)| json!({
            "artifactLocation": artifact(&file),
            "replacements": replacements,
        })).collect::<Vec<_>>(),
    }]))
}

/// The longest snippet a result carries. Every result repeats its lines, so a values file
/// written on one line (as JSON often is) with thousands of findings made gigabytes of SARIF;
/// a longer region is given by its place alone, which viewers show from the file.
const SNIPPET_MAX: usize = 2_000;

/// The whole lines the finding is on, unless they are longer than [`SNIPPET_MAX`].
fn context_region(sources: &Sources, span: Span, line: usize, end_line: usize) -> Option<Json> {
    let file = sources.get(span.file);
    let (start, end) = (file.line_start(line), file.line_start(end_line + 1));
    if end.saturating_sub(start) > SNIPPET_MAX {
        return None;
    }
    let text = (line..=end_line)
        .map(|n| file.line_text(n))
        .collect::<Vec<_>>()
        .join("\n");
    Some(json!({"startLine": line, "endLine": end_line, "snippet": {"text": text}}))
}

fn span_region(sources: &Sources, span: Span) -> Json {
    let file = sources.get(span.file);
    let (line, column) = file.line_col(span.start);
    let (end_line, end_column) = file.line_col(span.end.max(span.start));
    let end_column = if end_line == line && end_column <= column {
        column + 1
    } else {
        end_column
    };
    json!({"startLine": line, "startColumn": column, "endLine": end_line, "endColumn": end_column})
}

/// A file under the current directory is relative to `%SRCROOT%`; one outside it gets an
/// absolute `file://` URI of its own (a relative URI with `..` would climb out of its base,
/// which SARIF forbids).
fn artifact(file: &str) -> Json {
    match report_path(file) {
        ReportPath::Inside(path) => json!({"uri": encode(&path, false), "uriBaseId": BASE}),
        ReportPath::Outside(path) => {
            let path = if path.starts_with('/') {
                path
            } else {
                format!("/{path}")
            };
            json!({"uri": format!("file://{}", encode(&path, true))})
        }
    }
}

/// `file:///current/dir/`, the value of `%SRCROOT%`.
fn base_uri() -> Option<String> {
    let cwd = std::env::current_dir().ok()?;
    let mut path = cwd.to_string_lossy().replace('\\', "/");
    if !path.starts_with('/') {
        path.insert(0, '/');
    }
    if !path.ends_with('/') {
        path.push('/');
    }
    Some(format!("file://{}", encode(&path, true)))
}

/// Percent-encodes everything but unreserved characters and `/` (and `:` in a drive letter).
fn encode(path: &str, allow_colon: bool) -> String {
    let mut out = String::new();
    for b in path.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(b as char)
            }
            b':' if allow_colon => out.push(':'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_percent_encoded() {
        assert_eq!(encode("a b/ü#1:x.yaml", false), "a%20b/%C3%BC%231%3Ax.yaml");
        assert_eq!(encode("/C:/work dir/", true), "/C:/work%20dir/");
    }

    #[test]
    fn a_finding_without_a_span_covers_its_whole_file() {
        let mut sources = Sources::new();
        sources.add(crate::source::SourceFile::new(
            "values.yaml",
            "a: 1\nb: 2\n",
        ));
        let meta = rules::find("SL004").expect("SL004 exists");
        let finding = Finding::new(meta, "two registries");
        let item = Located {
            finding: &finding,
            file: "values.yaml".into(),
            line: 1,
            column: 1,
            end_line: 1,
            end_column: 1,
        };
        let log: Json = serde_json::from_str(&render(&[item], &[], &sources)).expect("JSON");
        let location = &log["runs"][0]["results"][0]["locations"][0]["physicalLocation"];
        assert_eq!(location["region"], json!({"startLine": 1, "endLine": 2}));
        assert_eq!(location["artifactLocation"]["uri"], "values.yaml");
    }

    #[test]
    fn rule_names_become_pascal_case() {
        assert_eq!(pascal_case("unquoted-tag"), "UnquotedTag");
        assert_eq!(
            pascal_case("registry-in-repository"),
            "RegistryInRepository"
        );
    }

    #[test]
    fn every_rule_has_a_full_description_from_its_doc() {
        for r in rules::all() {
            let d = full_description(r.meta());
            assert!(
                !d.is_empty() && !d.starts_with('#'),
                "{}: {d}",
                r.meta().code
            );
        }
    }
}
