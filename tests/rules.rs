//! Rule fixtures: every file under `tests/fixtures/rules/SLnnn/` is linted and the findings of
//! rule SLnnn in that file must be exactly the `# expect: SLnnn severity line:col` lines it
//! carries (`# expect-none: SLnnn` for near-misses, `# expect-count: SLnnn N` for policies that
//! flag every image). `# args:` adds command-line arguments, `# config:` names a config file
//! next to the fixture.

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
        let mut got: Vec<String> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == code.as_str() && f["file"] == file.as_str())
            .map(|f| {
                format!(
                    "{} {} {}:{}",
                    f["code"].as_str().unwrap(),
                    f["severity"].as_str().unwrap(),
                    f["line"],
                    f["column"]
                )
            })
            .collect();
        got.sort();
        let mut want: Vec<String> = header(&text, "expect")
            .iter()
            .map(|s| s.to_string())
            .collect();
        want.sort();
        let counts = header(&text, "expect-count");
        let ok = if let Some(c) = counts.first() {
            let n: usize = c.split_whitespace().nth(1).unwrap().parse().unwrap();
            got.len() == n
        } else {
            got == want
        };
        if !ok {
            failures.push(format!(
                "{}: want {want:?} ({counts:?}), got {got:?}",
                path.display()
            ));
        }
        checked += 1;
    }
    assert!(checked >= 42, "only {checked} fixtures");
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_rule_has_a_trigger_and_a_near_miss() {
    for rule in stackstate_lint::rules::all() {
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
    let listed: Vec<String> = stackstate_lint::rules::all()
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
        "SL101 stackgraph-version-mismatch",
        "SL102 stackstate-version-skew",
        "SL103 mutable-tag",
        "SL104 unquoted-tag",
        "SL105 empty-image-part",
        "SL106 invalid-reference",
        "SL107 digest-required",
        "SL201 ineffective-key",
        "SL202 unknown-key",
        "SL203 null-deletes-default",
        "SL204 wrong-type",
        "SL205 duplicate-key",
        "SL206 disabled-component",
        "SL207 multi-document-values",
        "SL208 unused-suppression",
    ];
    assert_eq!(listed, pinned);
    for rule in stackstate_lint::rules::all() {
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
