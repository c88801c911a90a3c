//! Rule fixtures: every file under `tests/fixtures/rules/SLnnn/` is linted and the findings of
//! rule SLnnn in that file must be exactly the diagnostics its `# expect:` blocks describe —
//! code, severity, position, message, help and notes, each compared as text:
//!
//! ```yaml
//! # expect: SL104 error 6:14
//! #   message: `stackstate.components.all.image.tag: 4.10` is a YAML number: …
//! #   help: quote it: `"4.10"`
//! #   note: also renders as `4.1` in …
//! ```
//!
//! A finding without help has no `help:` line; every note is one `note:` line, in order; the
//! fixture's own path is written `FILE`.
//! `# expect-none: SLnnn` marks a near-miss, `# expect-count: SLnnn N` a policy that flags every
//! image. `# args:` adds command-line arguments, `# config:` names a config file next to the
//! fixture.

use std::fmt;
use std::path::{Path, PathBuf};

use serde_json::Value;

fn fixtures() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rules");
    let mut out = Vec::new();
    for dir in std::fs::read_dir(&root).unwrap() {
        let dir = dir.unwrap().path();
        for f in std::fs::read_dir(&dir).unwrap() {
            let f = f.unwrap().path();
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            if name.ends_with(".yaml") && !name.contains("stackstate-lint") {
                out.push(f);
            }
        }
    }
    out.sort();
    out
}

fn header<'a>(text: &'a str, tag: &str) -> Vec<&'a str> {
    text.lines()
        .filter_map(|l| l.strip_prefix(&format!("# {tag}:")))
        .map(str::trim)
        .collect()
}

/// One diagnostic as a fixture writes it and as the JSON report gives it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Expected {
    /// `SL104 error 6:14`
    head: String,
    message: Option<String>,
    help: Option<String>,
    notes: Vec<String>,
}

impl fmt::Display for Expected {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "# expect: {}", self.head)?;
        if let Some(m) = &self.message {
            writeln!(f, "#   message: {m}")?;
        }
        if let Some(h) = &self.help {
            writeln!(f, "#   help: {h}")?;
        }
        for n in &self.notes {
            writeln!(f, "#   note: {n}")?;
        }
        Ok(())
    }
}

/// The `# expect:` blocks of a fixture; `Err` names a malformed line.
fn expectations(text: &str) -> Result<Vec<Expected>, String> {
    let mut out: Vec<Expected> = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if let Some(head) = line.strip_prefix("# expect:") {
            out.push(Expected {
                head: head.trim().to_string(),
                message: None,
                help: None,
                notes: Vec::new(),
            });
            continue;
        }
        let Some(field) = line.strip_prefix("#   ") else {
            continue;
        };
        let Some(last) = out.last_mut() else {
            return Err(format!("line {}: `{line}` before any `# expect:`", i + 1));
        };
        let (name, value) = field
            .split_once(": ")
            .ok_or_else(|| format!("line {}: `{line}` is not `#   field: text`", i + 1))?;
        let value = value.to_string();
        match name {
            "message" if last.message.is_none() => last.message = Some(value),
            "help" if last.help.is_none() => last.help = Some(value),
            "note" => last.notes.push(value),
            _ => return Err(format!("line {}: unexpected `{name}:`", i + 1)),
        }
    }
    if let Some(e) = out.iter().find(|e| e.message.is_none()) {
        return Err(format!("`# expect: {}` has no `#   message:` line", e.head));
    }
    Ok(out)
}

/// The finding as a fixture writes it, the fixture's own path written `FILE`.
fn got(finding: &Value, file: &str) -> Expected {
    let text = |v: &Value| v.as_str().map(|s| s.replace(file, "FILE"));
    Expected {
        head: format!(
            "{} {} {}:{}",
            finding["code"].as_str().unwrap(),
            finding["severity"].as_str().unwrap(),
            finding["line"],
            finding["column"]
        ),
        message: text(&finding["message"]),
        help: text(&finding["help"]),
        notes: finding["notes"]
            .as_array()
            .map(|a| a.iter().filter_map(text).collect())
            .unwrap_or_default(),
    }
}

fn lint_json(args: &[String]) -> Value {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let code = stackstate_lint::run(args, false, &mut out, &mut err);
    assert!(
        code == 0 || code == 1,
        "exit {code}: {}",
        String::from_utf8_lossy(&err)
    );
    serde_json::from_slice(&out).unwrap()
}

fn listing(items: &[&Expected]) -> String {
    if items.is_empty() {
        return "    (none)\n".to_string();
    }
    items
        .iter()
        .flat_map(|e| {
            e.to_string()
                .lines()
                .map(|l| format!("    {l}\n"))
                .collect::<Vec<_>>()
        })
        .collect()
}

/// What differs between the wanted and the found diagnostics, in fixture syntax.
fn difference(want: &[Expected], got: &[Expected]) -> String {
    let missing: Vec<&Expected> = want.iter().filter(|w| !got.contains(w)).collect();
    let extra: Vec<&Expected> = got.iter().filter(|g| !want.contains(g)).collect();
    format!(
        "  wanted but not found:\n{}  found but not wanted:\n{}",
        listing(&missing),
        listing(&extra)
    )
}

#[test]
fn every_rule_fixture_gives_exactly_its_expected_findings() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for path in fixtures() {
        let text = std::fs::read_to_string(&path).unwrap();
        let code = path
            .parent()
            .unwrap()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .to_string();
        let mut args: Vec<String> =
            vec!["stackstate-lint".into(), "--format".into(), "json".into()];
        for a in header(&text, "args") {
            args.extend(a.split_whitespace().map(String::from));
        }
        for c in header(&text, "config") {
            args.extend([
                "--config".into(),
                path.parent().unwrap().join(c).display().to_string(),
            ]);
        }
        args.push(path.display().to_string());
        let report = lint_json(&args);
        let file = path.display().to_string();
        let mut found: Vec<Expected> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code.as_str() && f["file"] == file.as_str())
            .map(|f| got(f, &file))
            .collect();
        found.sort();
        checked += 1;
        if let Some(c) = header(&text, "expect-count").first() {
            let n: usize = c.split_whitespace().nth(1).unwrap().parse().unwrap();
            if found.len() != n {
                failures.push(format!(
                    "{}: want {n} {code} findings, got {}",
                    path.display(),
                    found.len()
                ));
            }
            continue;
        }
        let mut want = match expectations(&text) {
            Ok(w) => w,
            Err(e) => {
                failures.push(format!("{}: {e}", path.display()));
                continue;
            }
        };
        want.sort();
        if want
            .iter()
            .any(|w| !w.head.starts_with(&format!("{code} ")))
        {
            failures.push(format!(
                "{}: an `# expect:` of another rule than {code}",
                path.display()
            ));
        }
        if want != found {
            failures.push(format!(
                "{}:\n{}",
                path.display(),
                difference(&want, &found)
            ));
        }
    }
    assert!(checked >= 42, "only {checked} fixtures");
    assert!(
        failures.is_empty(),
        "{} of {checked} fixtures differ:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// The chart family a fixture's `--chart-version` names (a bare version is the stackstate chart).
fn family(args: &str) -> Option<&'static str> {
    let version = args
        .split_whitespace()
        .skip_while(|a| *a != "--chart-version")
        .nth(1)?;
    let (chart, v) = version.split_once('@').unwrap_or(("stackstate", version));
    match chart {
        "stackstate" if v.starts_with("4.6") || v.starts_with('5') => Some("stackstate 5.x"),
        "stackstate" => Some("stackstate 4.x"),
        "stackstate-k8s" => Some("stackstate-k8s / suse-observability 2.0"),
        "suse-observability" if v.starts_with("2.0.") => {
            Some("stackstate-k8s / suse-observability 2.0")
        }
        "suse-observability" => Some("suse-observability 2.10"),
        _ => None,
    }
}

/// The rules whose findings depend on the chart's templates have fixtures on every family.
#[test]
fn rules_that_depend_on_the_chart_have_fixtures_on_every_family() {
    let families = [
        "stackstate 4.x",
        "stackstate 5.x",
        "stackstate-k8s / suse-observability 2.0",
        "suse-observability 2.10",
    ];
    let rules = [
        "SL001", "SL002", "SL007", "SL102", "SL103", "SL104", "SL105", "SL201", "SL202", "SL203",
        "SL204", "SL206",
    ];
    let mut missing = Vec::new();
    for rule in rules {
        let covered: Vec<&str> = fixtures()
            .iter()
            .filter(|p| p.parent().unwrap().ends_with(rule))
            .filter_map(|p| {
                let text = std::fs::read_to_string(p).unwrap();
                header(&text, "args").into_iter().find_map(family)
            })
            .collect();
        for f in families {
            if !covered.contains(&f) {
                missing.push(format!("{rule} on {f}"));
            }
        }
    }
    assert!(missing.is_empty(), "no fixture for {missing:?}");
}

#[test]
fn every_rule_has_a_trigger_and_a_near_miss() {
    for rule in stackstate_lint::all_rules() {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/rules")
            .join(rule.meta().code);
        assert!(
            dir.join("trigger.yaml").is_file(),
            "{} has no trigger fixture",
            rule.meta().code
        );
        assert!(
            dir.join("near-miss.yaml").is_file(),
            "{} has no near-miss fixture",
            rule.meta().code
        );
    }
}

/// The codes are a contract: they never change and are never reused.
#[test]
fn rule_codes_are_pinned_and_documented() {
    let listed: Vec<String> = stackstate_lint::all_rules()
        .iter()
        .map(|r| format!("{} {}", r.meta().code, r.meta().name))
        .collect();
    let pinned = [
        "SL001 public-registry",
        "SL002 registry-ignores-global",
        "SL003 registry-not-allowed",
        "SL004 mixed-registries",
        "SL005 registry-in-repository",
        "SL006 malformed-registry",
        "SL007 pull-secret-registry",
        "SL101 stackgraph-version-mismatch",
        "SL102 stackstate-version-skew",
        "SL103 mutable-tag",
        "SL104 unquoted-tag",
        "SL105 empty-image-part",
        "SL106 invalid-reference",
        "SL107 digest-required",
        "SL108 tag-of-other-chart",
        "SL201 ineffective-key",
        "SL202 unknown-key",
        "SL203 null-deletes-default",
        "SL204 wrong-type",
        "SL205 duplicate-key",
        "SL206 disabled-component",
        "SL207 multi-document-values",
        "SL208 unused-suppression",
        "SL209 duplicate-object",
    ];
    assert_eq!(listed, pinned);
    for rule in stackstate_lint::all_rules() {
        let m = rule.meta();
        let doc = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join(format!("rules/docs/{}-{}.md", m.code, m.name));
        let text = std::fs::read_to_string(&doc).unwrap_or_default();
        assert!(
            text.starts_with(&format!("# {} {}", m.code, m.name)),
            "{} doc title",
            m.code
        );
        for section in [
            "## What it finds",
            "## Why it matters",
            "## Example",
            "## Suppress",
        ] {
            assert!(text.contains(section), "{} doc lacks {section}", m.code);
        }
    }
}
