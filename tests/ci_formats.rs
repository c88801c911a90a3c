//! The CI formats on the fixtures under `tests/fixtures/ci/`, run from that folder with relative
//! paths: exact `github` and `gitlab` output, `github` chosen by `GITHUB_ACTIONS=true` with its
//! step summary, SARIF checked for structure and stable fingerprints, and SARIF validated by
//! Microsoft's SARIF Multitool when npm can fetch it.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_stackstate-lint");
/// The SARIF Multitool release the validation test runs (its rule set grows between releases).
const MULTITOOL: &str = "@microsoft/sarif-multitool-linux@5.7.0";

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/ci")
}

/// Runs the linter in `dir` on the two fixture files, with a clean environment plus `env`.
fn lint_in(dir: &Path, args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut cmd = Command::new(BIN);
    cmd.current_dir(dir)
        .args(["--chart-version", "4.5.0"])
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_STEP_SUMMARY");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run stackstate-lint");
    // Notes (the chart's stand-in subchart, required values stood in for) may go to stderr;
    // nothing else may.
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.lines().all(|l| l.starts_with("note: ")),
        "stderr: {stderr}"
    );
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8(out.stdout).expect("UTF-8 output"),
    )
}

fn lint(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let mut all = args.to_vec();
    all.extend(["values.yaml", "team/prod-values.yaml"]);
    lint_in(&fixtures(), &all, env)
}

/// A fresh scratch folder under the target directory.
fn scratch(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("create scratch folder");
    dir
}

const GITHUB: &str = r#"::error file=team/prod-values.yaml,line=9,col=10,endLine=9,endColumn=14,title=SL104 unquoted-tag::`kafka.image.tag: 2.80` is a YAML number: Helm renders it as `2.8`, not `2.80`, in StatefulSet stackstate-kafka (stackstate/charts/kafka/templates/statefulset.yaml)%0Ahelp: quote it: `"2.80"`
::error file=values.yaml,line=7,col=14,endLine=7,endColumn=18,title=SL104 unquoted-tag::`stackstate.components.all.image.tag: 4.10` is a YAML number: Helm renders it as `4.1`, not `4.10`, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml)%0Ahelp: quote it: `"4.10"`%0Anote: also renders as `4.1` in Deployment release-name-stackstate-checks (stackstate/templates/deployment-checks.yaml)%0Anote: also renders as `4.1` in Deployment release-name-stackstate-correlate (stackstate/templates/deployment-correlate.yaml)%0Anote: also renders as `4.1` in Deployment release-name-stackstate-health-sync (stackstate/templates/deployment-healthSync.yaml)%0Anote: and in 11 more objects
::warning file=team/prod-values.yaml,line=6,col=9,endLine=6,endColumn=12,title=SL103 mutable-tag::StackState API (split server) is pulled as quay.io/stackstate/stackstate-server-stable:latest: `latest` moves: every pull may bring another image, and a mirror copies whatever it was that day%0Ahelp: pin `stackstate.components.all.image.tag` to a fixed version
::warning file=values.yaml,line=8,col=3,endLine=8,endColumn=8,title=SL202 unknown-key::`stackstate.heap%25` is not a key of chart stackstate 4.5.0: no template reads it, Helm ignores it%0Ahelp: the chart ignores keys it does not know; check the spelling and the nesting level
::warning file=values.yaml,line=11,col=5,endLine=11,endColumn=8,title=SL205 duplicate-key::`kafka.image.tag` is given twice: Helm drops the first and keeps the one at values.yaml:12:5%0Ahelp: remove one of them (merge their contents if both are maps)%0Anote: the later one wins (values.yaml:12:5)
::notice file=values.yaml,line=13,col=1,endLine=13,endColumn=6,title=SL206 disabled-component::`minio` configures the minio subchart, which this release does not deploy: the minio subchart is off (`backup.enabled` is false)
"#;

const STEP_SUMMARY: &str = r#"### stackstate-lint

2 errors, 3 warnings, 1 info in 2 files

| Severity | Rule | Location | Message |
|---|---|---|---|
| error | [SL104](https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL104-unquoted-tag.md) unquoted-tag | <code>team/prod-values.yaml:9:10</code> | <code>kafka.image.tag: 2.80</code> is a YAML number: Helm renders it as <code>2.8</code>, not <code>2.80</code>, in StatefulSet stackstate-kafka (stackstate/charts/kafka/templates/statefulset.yaml) |
| error | [SL104](https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL104-unquoted-tag.md) unquoted-tag | <code>values.yaml:7:14</code> | <code>stackstate.components.all.image.tag: 4.10</code> is a YAML number: Helm renders it as <code>4.1</code>, not <code>4.10</code>, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml) |
| warning | [SL103](https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL103-mutable-tag.md) mutable-tag | <code>team/prod-values.yaml:6:9</code> | StackState API (split server) is pulled as quay.io/stackstate/stackstate-server-stable:latest: <code>latest</code> moves: every pull may bring another image, and a mirror copies whatever it was that day |
| warning | [SL202](https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL202-unknown-key.md) unknown-key | <code>values.yaml:8:3</code> | <code>stackstate.heap%</code> is not a key of chart stackstate 4.5.0: no template reads it, Helm ignores it |
| warning | [SL205](https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL205-duplicate-key.md) duplicate-key | <code>values.yaml:11:5</code> | <code>kafka.image.tag</code> is given twice: Helm drops the first and keeps the one at values.yaml:12:5 |
| info | [SL206](https://github.com/stackstate-lint/stackstate-lint/blob/main/rules/docs/SL206-disabled-component.md) disabled-component | <code>values.yaml:13:1</code> | <code>minio</code> configures the minio subchart, which this release does not deploy: the minio subchart is off (<code>backup.enabled</code> is false) |

"#;

const GITLAB: &str = r#"[
  {
    "check_name": "SL103",
    "description": "SL103 mutable-tag: StackState API (split server) is pulled as quay.io/stackstate/stackstate-server-stable:latest: `latest` moves: every pull may bring another image, and a mirror copies whatever it was that day",
    "fingerprint": "71f8d5faf0e5349f",
    "location": {
      "lines": {
        "begin": 6
      },
      "path": "team/prod-values.yaml"
    },
    "severity": "minor"
  },
  {
    "check_name": "SL104",
    "description": "SL104 unquoted-tag: `kafka.image.tag: 2.80` is a YAML number: Helm renders it as `2.8`, not `2.80`, in StatefulSet stackstate-kafka (stackstate/charts/kafka/templates/statefulset.yaml)",
    "fingerprint": "5028a0be523519e4",
    "location": {
      "lines": {
        "begin": 9
      },
      "path": "team/prod-values.yaml"
    },
    "severity": "major"
  },
  {
    "check_name": "SL104",
    "description": "SL104 unquoted-tag: `stackstate.components.all.image.tag: 4.10` is a YAML number: Helm renders it as `4.1`, not `4.10`, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml)",
    "fingerprint": "2e6202d06112779c",
    "location": {
      "lines": {
        "begin": 7
      },
      "path": "values.yaml"
    },
    "severity": "major"
  },
  {
    "check_name": "SL202",
    "description": "SL202 unknown-key: `stackstate.heap%` is not a key of chart stackstate 4.5.0: no template reads it, Helm ignores it",
    "fingerprint": "b24b7b136afd8904",
    "location": {
      "lines": {
        "begin": 8
      },
      "path": "values.yaml"
    },
    "severity": "minor"
  },
  {
    "check_name": "SL205",
    "description": "SL205 duplicate-key: `kafka.image.tag` is given twice: Helm drops the first and keeps the one at values.yaml:12:5",
    "fingerprint": "adab4ea6f092a874",
    "location": {
      "lines": {
        "begin": 11
      },
      "path": "values.yaml"
    },
    "severity": "minor"
  },
  {
    "check_name": "SL206",
    "description": "SL206 disabled-component: `minio` configures the minio subchart, which this release does not deploy: the minio subchart is off (`backup.enabled` is false)",
    "fingerprint": "2425cd476cb1cf1e",
    "location": {
      "lines": {
        "begin": 13
      },
      "path": "values.yaml"
    },
    "severity": "info"
  }
]
"#;

#[test]
fn github_annotations_are_escaped_with_errors_first() {
    let (code, out) = lint(&["--format", "github"], &[]);
    assert_eq!(code, 1);
    assert_eq!(out, GITHUB);
}

#[test]
fn github_is_the_default_in_actions_and_appends_the_step_summary() {
    let dir = scratch("ci-step-summary");
    let summary = dir.join("summary.md");
    std::fs::write(&summary, "earlier step\n").unwrap();
    let summary_env = summary.to_string_lossy().into_owned();
    let env = [
        ("GITHUB_ACTIONS", "true"),
        ("GITHUB_STEP_SUMMARY", summary_env.as_str()),
    ];
    let (code, out) = lint(&[], &env);
    assert_eq!(code, 1);
    assert_eq!(out, GITHUB);
    let written = std::fs::read_to_string(&summary).unwrap();
    assert_eq!(written, format!("earlier step\n{STEP_SUMMARY}"));

    // An explicit --format wins, and only `github` writes the summary.
    let (_, compact) = lint(&["--format", "compact"], &env);
    assert!(
        compact.starts_with("team/prod-values.yaml:6:9: warning[SL103]"),
        "{compact}"
    );
    assert_eq!(std::fs::read_to_string(&summary).unwrap(), written);

    // Outside GitHub Actions (or with another value) the default stays human.
    let (_, human) = lint(&["--color", "never"], &[("GITHUB_ACTIONS", "false")]);
    assert!(!human.contains("::error"), "{human}");
}

#[test]
fn github_reports_a_step_summary_it_cannot_write() {
    let dir = scratch("ci-step-summary-missing");
    let missing = dir.join("no/such/dir/summary.md");
    let missing = missing.to_string_lossy().into_owned();
    let (_, out) = lint(
        &["--format", "github"],
        &[("GITHUB_STEP_SUMMARY", missing.as_str())],
    );
    let last = out.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("::warning title=stackstate-lint::cannot append the step summary to "),
        "{last}"
    );
}

#[test]
fn gitlab_code_quality_report() {
    let (code, out) = lint(&["--format", "gitlab"], &[]);
    assert_eq!(code, 1);
    assert_eq!(out, GITLAB);
    let (_, clean) = lint_in(
        &fixtures(),
        &["--format", "gitlab", "--select", "SL107", "values.yaml"],
        &[],
    );
    assert_eq!(clean, "[]\n");
}

fn sarif(dir: &Path, files: &[&str]) -> Value {
    let mut args = vec!["--format", "sarif"];
    args.extend(files);
    let (code, out) = lint_in(dir, &args, &[]);
    assert_eq!(code, 1);
    serde_json::from_str(&out).expect("SARIF is JSON")
}

fn text<'a>(v: &'a Value, what: &str) -> &'a str {
    v.as_str()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| panic!("{what} is not a non-empty string: {v}"))
}

#[test]
fn sarif_has_every_rule_and_relative_locations() {
    let log = sarif(&fixtures(), &["values.yaml", "team/prod-values.yaml"]);
    assert_eq!(log["version"], "2.1.0");
    assert!(text(&log["$schema"], "$schema").ends_with("sarif-schema-2.1.0.json"));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "stackstate-lint");
    assert_eq!(driver["version"], env!("CARGO_PKG_VERSION"));
    assert!(text(&driver["informationUri"], "informationUri").starts_with("https://"));
    let rules = driver["rules"].as_array().expect("rules");
    let all = stackstate_lint::all_rules();
    assert_eq!(rules.len(), all.len());
    for (rule, r) in rules.iter().zip(all) {
        let meta = r.meta();
        assert_eq!(rule["id"], meta.code);
        text(&rule["name"], "name");
        assert_eq!(rule["shortDescription"]["text"], meta.summary);
        text(&rule["fullDescription"]["text"], "fullDescription");
        assert_eq!(rule["help"]["text"], meta.doc);
        assert_eq!(rule["help"]["markdown"], meta.doc);
        let uri = text(&rule["helpUri"], "helpUri");
        assert!(uri.ends_with(&format!("/rules/docs/{}-{}.md", meta.code, meta.name)));
    }
    let base = text(&run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "base");
    assert!(
        base.starts_with("file:///") && base.ends_with('/'),
        "{base}"
    );

    let results = run["results"].as_array().expect("results");
    assert_eq!(results.len(), 6);
    let mut fingerprints = std::collections::HashSet::new();
    for r in results {
        let id = text(&r["ruleId"], "ruleId");
        let index = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[index]["id"], id);
        assert!(["error", "warning", "note"].contains(&text(&r["level"], "level")));
        text(&r["message"]["text"], "message");
        let location = &r["locations"][0]["physicalLocation"];
        let uri = text(&location["artifactLocation"]["uri"], "uri");
        assert!(
            ["values.yaml", "team/prod-values.yaml"].contains(&uri),
            "{uri}"
        );
        assert_eq!(location["artifactLocation"]["uriBaseId"], "%SRCROOT%");
        let region = &location["region"];
        for k in ["startLine", "startColumn", "endLine", "endColumn"] {
            assert!(
                region[k].as_u64().is_some_and(|n| n >= 1),
                "{k} in {region}"
            );
        }
        text(&region["snippet"]["text"], "snippet");
        let fp = text(
            &r["partialFingerprints"]["stackstateLint/v2"],
            "fingerprint",
        );
        assert!(
            fingerprints.insert(fp.to_string()),
            "duplicate fingerprint {fp}"
        );
    }
    // SL104 carries its fix; SL205 points at the occurrence that wins.
    let sl104 = results.iter().find(|r| r["ruleId"] == "SL104").unwrap();
    let change = &sl104["fixes"][0]["artifactChanges"][0];
    assert_eq!(
        change["replacements"][0]["insertedContent"]["text"],
        "\"2.80\""
    );
    let sl205 = results.iter().find(|r| r["ruleId"] == "SL205").unwrap();
    assert_eq!(
        sl205["relatedLocations"][0]["physicalLocation"]["region"]["startLine"],
        12
    );
}

#[test]
fn sarif_fingerprints_survive_lines_added_above() {
    let fingerprints = |log: &Value| -> Vec<(String, u64)> {
        log["runs"][0]["results"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| {
                (
                    r["partialFingerprints"]["stackstateLint/v2"]
                        .as_str()
                        .unwrap()
                        .to_string(),
                    r["locations"][0]["physicalLocation"]["region"]["startLine"]
                        .as_u64()
                        .unwrap(),
                )
            })
            .collect()
    };
    let before = fingerprints(&sarif(&fixtures(), &["values.yaml"]));
    let dir = scratch("ci-fingerprints");
    let original = std::fs::read_to_string(fixtures().join("values.yaml")).unwrap();
    std::fs::write(
        dir.join("values.yaml"),
        format!("# one\n# two\n# three\n{original}"),
    )
    .unwrap();
    let after = fingerprints(&sarif(&dir, &["values.yaml"]));
    assert_eq!(before.len(), after.len());
    for ((fp_before, line_before), (fp_after, line_after)) in before.iter().zip(&after) {
        assert_eq!(fp_before, fp_after);
        assert_eq!(line_before + 3, *line_after);
    }
}

/// The same problem on the same key keeps its fingerprint across a chart upgrade, although the
/// message names the chart version (audit 47: every upgrade closed and reopened each finding).
#[test]
fn fingerprints_survive_a_chart_upgrade() {
    let dir = scratch("ci-fingerprints-upgrade");
    std::fs::write(
        dir.join("values.yaml"),
        "stackstate:\n  components:\n    ui:\n      replicaCountt: 2\n",
    )
    .unwrap();
    let of = |version: &str| -> Vec<(String, String)> {
        let out = Command::new(BIN)
            .current_dir(&dir)
            .args([
                "--chart-version",
                version,
                "--format",
                "gitlab",
                "values.yaml",
            ])
            .output()
            .expect("run stackstate-lint");
        let issues: Value = serde_json::from_slice(&out.stdout).expect("GitLab report is JSON");
        issues
            .as_array()
            .unwrap()
            .iter()
            .map(|i| {
                (
                    i["check_name"].as_str().unwrap().to_string(),
                    i["fingerprint"].as_str().unwrap().to_string(),
                )
            })
            .collect()
    };
    let (old, new) = (of("5.0.8"), of("5.1.15"));
    assert_eq!(old.len(), 1, "{old:?}");
    assert_eq!(old, new);
    assert_eq!(old, of("suse-observability@2.0.1"));
}

fn is_executable(path: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(path).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o100 != 0)
}

/// Unpacks the Multitool into the target directory once; `Err` says why it is not available.
fn multitool() -> Result<PathBuf, String> {
    // NOTE: two tests ask at once; unpacking twice into the same folder left one of them a
    // file without its executable bit (EACCES), so one thread unpacks and the other waits.
    static UNPACK: std::sync::Mutex<()> = std::sync::Mutex::new(());
    let _one = UNPACK.lock().unwrap_or_else(|e| e.into_inner());
    let root = Path::new(env!("CARGO_TARGET_TMPDIR")).join("sarif-multitool-5.7.0");
    let exe = root.join("package/Sarif.Multitool");
    if is_executable(&exe) {
        return Ok(exe);
    }
    // Unpacked beside, then renamed: an interrupted download never looks complete.
    let partial = root.with_extension("partial");
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).map_err(|e| e.to_string())?;
    let pack = Command::new("npm")
        .current_dir(&partial)
        .args([
            "pack",
            MULTITOOL,
            "--fetch-timeout=60000",
            "--fetch-retries=1",
        ])
        .output()
        .map_err(|e| format!("npm is not available ({e})"))?;
    if !pack.status.success() {
        let stderr = String::from_utf8_lossy(&pack.stderr);
        let tail: Vec<&str> = stderr.lines().filter(|l| !l.trim().is_empty()).collect();
        return Err(format!(
            "`npm pack {MULTITOOL}` failed: {}",
            tail.iter().take(2).copied().collect::<Vec<_>>().join(" / ")
        ));
    }
    let stdout = String::from_utf8_lossy(&pack.stdout);
    let tarball = stdout.lines().last().unwrap_or_default().trim();
    let untar = Command::new("tar")
        .current_dir(&partial)
        .args(["xzf", tarball])
        .status()
        .map_err(|e| format!("tar is not available ({e})"))?;
    if !untar.success() {
        return Err(format!("cannot unpack {tarball}"));
    }
    // NOTE: npm's postinstall would make it executable; `npm pack` runs no scripts.
    let unpacked = partial.join("package/Sarif.Multitool");
    let chmod = Command::new("chmod").arg("u+x").arg(&unpacked).status();
    if !chmod.is_ok_and(|s| s.success()) {
        return Err("cannot make Sarif.Multitool executable".into());
    }
    let _ = std::fs::remove_dir_all(&root);
    std::fs::rename(&partial, &root).map_err(|e| e.to_string())?;
    Ok(exe)
}

#[test]
fn sarif_passes_the_sarif_multitool_validator() {
    let exe = match multitool() {
        Ok(exe) => exe,
        Err(reason) => {
            println!("skipped: SARIF Multitool unavailable: {reason}");
            return;
        }
    };
    let dir = scratch("ci-sarif-validate");
    let (_, out) = lint(&["--format", "sarif"], &[]);
    std::fs::write(dir.join("out.sarif"), out).unwrap();
    let run = Command::new(&exe)
        .current_dir(&dir)
        .args(["validate", "out.sarif", "-o", "report.sarif"])
        .args(["--level", "Error;Warning;Note", "--log", "ForceOverwrite"])
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run Sarif.Multitool");
    let console = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{console}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(dir.join("report.sarif")).unwrap()).unwrap();
    let results = report["runs"][0]["results"].as_array().unwrap();
    // NOTE: the validator reports a file it cannot read as no result at all; its notes (text
    // messages rather than message ids, no snippets of context…) prove it read ours.
    assert!(!results.is_empty(), "the validator did not analyse the log");
    let problems: Vec<&Value> = results
        .iter()
        .filter(|r| r["level"] == "error" || r["level"] == "warning")
        .collect();
    assert!(problems.is_empty(), "{console}");
    println!(
        "SARIF Multitool: no error, no warning, {} notes",
        results.len()
    );
}

/// Lints one file inside the working directory (given by its absolute path) and one outside it
/// (given with `..`), returning the report.
fn inside_and_outside(format: &str, test: &str) -> (PathBuf, String) {
    let root = scratch(&format!("ci-paths-{test}-{format}"));
    let work = root.join("work");
    std::fs::create_dir_all(work.join("deploy")).unwrap();
    std::fs::create_dir_all(root.join("elsewhere")).unwrap();
    let text = "stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n";
    std::fs::write(work.join("deploy/values.yaml"), text).unwrap();
    std::fs::write(root.join("elsewhere/values.yaml"), text).unwrap();
    let inside = work.join("deploy/values.yaml").display().to_string();
    let (_, out) = lint_in(
        &work,
        &[
            "--format",
            format,
            "--select",
            "SL104",
            &inside,
            "../elsewhere/values.yaml",
        ],
        &[],
    );
    (root, out)
}

#[test]
fn sarif_and_gitlab_paths_inside_and_outside_the_working_directory() {
    let (root, out) = inside_and_outside("sarif", "uris");
    let log: Value = serde_json::from_str(&out).unwrap();
    let locations: Vec<&Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["locations"][0]["physicalLocation"]["artifactLocation"])
        .collect();
    let outside = format!("file://{}/elsewhere/values.yaml", root.display());
    assert_eq!(
        locations,
        [
            &serde_json::json!({ "uri": outside }),
            &serde_json::json!({"uri": "deploy/values.yaml", "uriBaseId": "%SRCROOT%"}),
        ]
    );
    let (_, out) = inside_and_outside("gitlab", "uris");
    let issues: Value = serde_json::from_str(&out).unwrap();
    let paths: Vec<&str> = issues
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["../elsewhere/values.yaml", "deploy/values.yaml"]);
}

#[test]
fn sarif_with_paths_outside_the_working_directory_passes_the_multitool() {
    let exe = match multitool() {
        Ok(exe) => exe,
        Err(reason) => {
            println!("skipped: SARIF Multitool unavailable: {reason}");
            return;
        }
    };
    let (root, out) = inside_and_outside("sarif", "multitool");
    std::fs::write(root.join("out.sarif"), out).unwrap();
    let run = Command::new(&exe)
        .current_dir(&root)
        .args(["validate", "out.sarif", "-o", "report.sarif"])
        .args(["--level", "Error;Warning", "--log", "ForceOverwrite"])
        .env("DOTNET_SYSTEM_GLOBALIZATION_INVARIANT", "1")
        .output()
        .expect("run Sarif.Multitool");
    let console = String::from_utf8_lossy(&run.stdout);
    assert!(run.status.success(), "{console}");
    let report: Value =
        serde_json::from_slice(&std::fs::read(root.join("report.sarif")).unwrap()).unwrap();
    let problems: Vec<&Value> = report["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["level"] == "error" || r["level"] == "warning")
        .collect();
    assert!(problems.is_empty(), "{problems:?}\n{console}");
}

/// A folder with one broken values file beside a good one: every machine format names the
/// broken file at its line (exit 2), beside the good file's findings, so a tool reading only the
/// document does not take the folder for clean.
#[test]
fn input_errors_are_in_every_machine_format() {
    let dir = scratch("input-errors");
    std::fs::create_dir_all(dir.join("a")).unwrap();
    std::fs::create_dir_all(dir.join("b")).unwrap();
    std::fs::write(
        dir.join("a/values.yaml"),
        "stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("b/values.yaml"),
        "global:\n  imageRegistry: \"unclosed\n",
    )
    .unwrap();
    let run = |format: &str| {
        let out = Command::new(BIN)
            .current_dir(&dir)
            .args(["--chart-version", "4.5.0", "--format", format, "a", "b"])
            .env_remove("CI")
            .env_remove("GITHUB_ACTIONS")
            .output()
            .expect("run stackstate-lint");
        assert_eq!(out.status.code(), Some(2), "{format}");
        let doc: Value = serde_json::from_slice(&out.stdout).expect("a JSON document");
        doc
    };
    let json = run("json");
    assert_eq!(json["summary"]["input_errors"], 1);
    assert_eq!(json["summary"]["errors"], 1, "a's SL104 is still reported");
    let e = &json["input_errors"][0];
    assert_eq!(e["file"], "b/values.yaml");
    assert_eq!(
        (e["line"].as_u64(), e["column"].as_u64()),
        (Some(2), Some(18))
    );
    assert_eq!(e["location"], "b/values.yaml:2:18");
    assert!(e["message"].as_str().unwrap().starts_with("invalid YAML"));

    let sarif = run("sarif");
    let run0 = &sarif["runs"][0];
    assert_eq!(run0["results"].as_array().map(Vec::len), Some(1));
    let invocation = &run0["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let n = &invocation["toolExecutionNotifications"][0];
    assert_eq!(n["level"], "error");
    let physical = &n["locations"][0]["physicalLocation"];
    assert_eq!(physical["artifactLocation"]["uri"], "b/values.yaml");
    assert_eq!(physical["region"]["startLine"], 2);

    let gitlab = run("gitlab");
    let issues = gitlab.as_array().unwrap();
    assert_eq!(issues.len(), 2);
    let blocker = issues
        .iter()
        .find(|i| i["check_name"] == "input-error")
        .unwrap();
    assert_eq!(blocker["severity"], "blocker");
    assert_eq!(blocker["location"]["path"], "b/values.yaml");
    assert_eq!(blocker["location"]["lines"]["begin"], 2);
    // Stable across runs, as GitLab compares them between pipelines.
    assert_eq!(run("gitlab"), gitlab);
}
