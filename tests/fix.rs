//! `--fix` and `--diff` on real files: every `tests/fixtures/fix/<case>/before.yaml` fixed with
//! the case's `args` must become `after.yaml` exactly, a second `--fix` must change nothing,
//! comments must survive, and the values may change only under the keys the fixes named.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use stackstate_lint::FileId;
use stackstate_lint::value::{Node, Value};
use stackstate_lint::yaml::{Limits, load};

fn cases() -> Vec<PathBuf> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix");
    let mut out: Vec<PathBuf> = std::fs::read_dir(root)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .collect();
    out.sort();
    out
}

fn temp_dir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("stackstate-lint-fix-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn bin(dir: &Path, args: &[&str]) -> (i32, String, String) {
    let o = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
        .args(args)
        .current_dir(dir)
        .env_remove("GITHUB_ACTIONS")
        .env_remove("NO_COLOR")
        .output()
        .unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into(),
        String::from_utf8_lossy(&o.stderr).into(),
    )
}

/// The keys a report's fixes touch: each fixed finding's key, and every key its fix
/// description sets (`set `a.b: v`, and `c: w``).
fn fixed_keys(report: &serde_json::Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| !f["fix"].is_null())
        .flat_map(|f| {
            let described = f["fix"]["description"].as_str().unwrap_or("");
            f["key"].as_str().map(String::from).into_iter().chain(
                described
                    .split('`')
                    .skip(1)
                    .step_by(2)
                    .filter_map(|set| set.split_once(": ").map(|(k, _)| k.to_string())),
            )
        })
        .collect()
}

fn leaves(text: &str) -> BTreeMap<String, String> {
    fn walk(n: &Node, prefix: &str, out: &mut BTreeMap<String, String>) {
        match &n.value {
            Value::Map(m) => m.iter().for_each(|(k, v)| {
                walk(
                    v,
                    &if prefix.is_empty() {
                        k.clone()
                    } else {
                        format!("{prefix}.{k}")
                    },
                    out,
                )
            }),
            v => {
                out.insert(
                    prefix.to_string(),
                    v.render().unwrap_or_else(|| "null".into()),
                );
            }
        }
    }
    let mut out = BTreeMap::new();
    if let Some(doc) = load(FileId(0), text, &Limits::default())
        .unwrap()
        .documents
        .first()
    {
        walk(doc, "", &mut out);
    }
    out
}

#[test]
fn fixes_turn_before_into_after_and_are_idempotent() {
    let cases = cases();
    assert!(cases.len() >= 6);
    for case in cases {
        let name = case.file_name().unwrap().to_string_lossy().to_string();
        let args: Vec<String> = std::fs::read_to_string(case.join("args"))
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect();
        let before = std::fs::read_to_string(case.join("before.yaml")).unwrap();
        let after = std::fs::read_to_string(case.join("after.yaml")).unwrap();
        let dir = temp_dir(&name);
        std::fs::write(dir.join("values.yaml"), &before).unwrap();

        // Which keys the fixes may touch: the keys of the findings that carry a fix.
        let mut json_args: Vec<&str> = args.iter().map(String::as_str).collect();
        json_args.extend(["--format", "json", "values.yaml"]);
        let (_, report, _) = bin(&dir, &json_args);
        let report: serde_json::Value = serde_json::from_str(&report).unwrap();
        let fixed_keys = fixed_keys(&report);

        let mut fix_args: Vec<&str> = args.iter().map(String::as_str).collect();
        fix_args.extend(["--fix", "values.yaml"]);
        let (code, _, err) = bin(&dir, &fix_args);
        assert!(code == 0 || code == 1, "{name}: exit {code}: {err}");
        let fixed = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
        assert_eq!(fixed, after, "{name}: --fix result");

        // Idempotent: nothing left to fix, --diff is empty and exits 0.
        let (_, _, _) = bin(&dir, &fix_args);
        assert_eq!(
            std::fs::read_to_string(dir.join("values.yaml")).unwrap(),
            after,
            "{name}: second --fix"
        );
        let mut diff_args: Vec<&str> = args.iter().map(String::as_str).collect();
        diff_args.extend(["--diff", "values.yaml"]);
        let (code, out, _) = bin(&dir, &diff_args);
        assert_eq!((code, out.as_str()), (0, ""), "{name}: --diff after fixing");

        // Comments survive.
        for line in before.lines().filter(|l| l.contains('#')) {
            let comment = &line[line.find('#').unwrap()..];
            assert!(fixed.contains(comment), "{name}: lost comment {comment:?}");
        }
        // Values change only under the keys the fixes named (or where a move put them).
        let (b, a) = (leaves(&before), leaves(&fixed));
        let touched = |k: &str| {
            fixed_keys.iter().any(|f| {
                k == f || k.starts_with(&format!("{f}.")) || f.starts_with(&format!("{k}."))
            })
        };
        for (k, v) in &b {
            if a.get(k) != Some(v) {
                assert!(
                    touched(k),
                    "{name}: `{k}` changed but no fix named it ({fixed_keys:?})"
                );
            }
        }
        for k in a.keys().filter(|k| !b.contains_key(*k)) {
            let moved = b.iter().any(|(bk, bv)| {
                a.get(k) == Some(bv) && touched(bk) && k.ends_with(bk.rsplit('.').next().unwrap())
            });
            assert!(
                touched(k) || moved,
                "{name}: new key `{k}` no fix named ({fixed_keys:?})"
            );
        }
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn diff_prints_what_fix_would_write_and_writes_nothing() {
    // Helm fails on the Elasticsearch tag (a number where the chart needs a string), so the
    // render shows the 4.10 only once that is fixed: --diff shows both rounds.
    let dir = temp_dir("diff");
    let before = "# Tags written as numbers: Helm reads 4.10 as 4.1.\nstackstate:\n  components:\n    all:\n      image:\n        tag: 4.10   # the release we tested\nelasticsearch:\n  imageTag: 7.17\nzookeeper:\n  image:\n    tag: 3.6    # renders the same: left alone\n";
    std::fs::write(dir.join("values.yaml"), before).unwrap();
    let (code, out, err) = bin(&dir, &["--chart-version", "4.4.0", "--diff", "values.yaml"]);
    assert_eq!(code, 1, "{err}");
    let expected = "\
--- a/values.yaml
+++ b/values.yaml
@@ -3,9 +3,9 @@
   components:
     all:
       image:
-        tag: 4.10   # the release we tested
+        tag: \"4.10\"   # the release we tested
 elasticsearch:
-  imageTag: 7.17
+  imageTag: \"7.17\"
 zookeeper:
   image:
     tag: 3.6    # renders the same: left alone
";
    assert_eq!(out, expected);
    assert!(
        err.contains("2 fix(es) would be applied to 1 file(s)"),
        "{err}"
    );
    assert_eq!(
        std::fs::read_to_string(dir.join("values.yaml")).unwrap(),
        before
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn fix_keeps_file_permissions() {
    use std::os::unix::fs::PermissionsExt;
    let dir = temp_dir("perms");
    let path = dir.join("values.yaml");
    std::fs::write(
        &path,
        "stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n",
    )
    .unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let (code, _, err) = bin(&dir, &["--chart-version", "4.4.0", "--fix", "values.yaml"]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        std::fs::metadata(&path).unwrap().permissions().mode() & 0o777,
        0o640
    );
    assert!(
        std::fs::read_to_string(&path)
            .unwrap()
            .contains("tag: \"4.10\"")
    );
    let leftovers: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(leftovers.len(), 1, "temporary files left: {leftovers:?}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Property over every conformance values file: `--fix --unsafe-fixes` leaves a file that
/// parses, changes values only under keys a fix named, and a second run changes nothing.
#[test]
fn fixing_any_conformance_file_preserves_everything_but_the_fixed_keys() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/conformance/cases");
    let cases = if shared.is_dir() {
        shared
    } else {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/cases")
    };
    let mut files: Vec<PathBuf> = Vec::new();
    for e in std::fs::read_dir(&cases).unwrap() {
        let p = e.unwrap().path();
        if p.is_dir() {
            files.extend(
                std::fs::read_dir(&p)
                    .unwrap()
                    .map(|e| e.unwrap().path())
                    .filter(|p| p.extension().is_some_and(|x| x == "yaml")),
            );
        } else {
            files.push(p);
        }
    }
    files.sort();
    let dir = temp_dir("property");
    let mut fixed_files = 0;
    for (i, src) in files.iter().enumerate() {
        let before = std::fs::read_to_string(src).unwrap();
        let name = format!("values-{i}.yaml");
        std::fs::write(dir.join(&name), &before).unwrap();
        let common = ["--chart-version", "4.4.0", "--set", "backup.enabled=true"];
        let (_, report, _) = bin(&dir, &[&common[..], &["--format", "json", &name]].concat());
        let report: serde_json::Value = serde_json::from_str(&report).unwrap();
        let fixed_keys = fixed_keys(&report);
        let (code, _, err) = bin(
            &dir,
            &[&common[..], &["--fix", "--unsafe-fixes", &name]].concat(),
        );
        assert!(
            code == 0 || code == 1,
            "{}: exit {code}: {err}",
            src.display()
        );
        let after = std::fs::read_to_string(dir.join(&name)).unwrap();
        if after != before {
            fixed_files += 1;
        }
        let (b, a) = (leaves(&before), leaves(&after));
        let touched = |k: &str| {
            fixed_keys.iter().any(|f| {
                k == f || k.starts_with(&format!("{f}.")) || f.starts_with(&format!("{k}."))
            })
        };
        for (k, v) in &b {
            if a.get(k) != Some(v) && !touched(k) {
                // A moved block keeps its leaves under the new key.
                let moved = a.iter().any(|(ak, av)| {
                    av == v && ak.ends_with(&format!(".{}", k.rsplit('.').next().unwrap()))
                });
                assert!(
                    moved,
                    "{}: `{k}` changed but no fix named it",
                    src.display()
                );
            }
        }
        let (_, _, _) = bin(
            &dir,
            &[&common[..], &["--fix", "--unsafe-fixes", &name]].concat(),
        );
        assert_eq!(
            std::fs::read_to_string(dir.join(&name)).unwrap(),
            after,
            "{}: not idempotent",
            src.display()
        );
    }
    println!("{} files, {fixed_files} changed by --fix", files.len());
    assert!(fixed_files > 10);
    let _ = std::fs::remove_dir_all(&dir);
}

/// Fixes that give a new registry to a key holding the whole reference keep the rest of it
/// (SL005's goes first: SL001's registry alone would make a reference with two hosts):
/// SL002 (`image: docker.io/library/nginx:1.25`, which `global.imageRegistry` does not reach) and
/// SL005 (`quay.io/org/app:3.1` behind a registry key) wrote the repository alone and dropped the
/// tag, so Helm would have pulled `latest`.
#[test]
fn a_fixed_key_holding_the_whole_reference_keeps_its_tag() {
    let (code, fixed, err) = fix_against_whole_reference_chart(
        "whole-reference",
        "# the mirror\nglobal:\n  imageRegistry: m.example.com # ours\napp: quay.io/org/app:3.1 # pinned\n",
    );
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert_eq!(
        fixed,
        "# the mirror\nglobal:\n  imageRegistry: m.example.com # ours\napp: org/app:3.1 # pinned\nimage: m.example.com/library/nginx:1.25\nregistry: m.example.com\n"
    );
}

/// The same fixes where the kept rest of the value is hostile (`$(…)`, a quote) and block
/// scalars stand right above and below the fixed key: the rest is written as it was (in the
/// user's double quotes, which Helm reads back to the same text), nothing runs, and the block
/// scalars, the comment and the key order stay.
#[test]
fn a_hostile_rest_of_a_whole_reference_is_kept_as_text() {
    let before = "global:\n  imageRegistry: m.example.com\nnote: |\n  line one\n  $(touch pwned) \"q\"\napp: \"quay.io/org/app:3.1$(touch pwned)'q\" # pinned\nafter: |-\n  keep\n";
    let (code, fixed, err) = fix_against_whole_reference_chart("whole-hostile", before);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert_eq!(
        fixed,
        // The quotes the user wrote stay.
        "global:\n  imageRegistry: m.example.com\nnote: |\n  line one\n  $(touch pwned) \"q\"\napp: \"org/app:3.1$(touch pwned)'q\" # pinned\nafter: |-\n  keep\nimage: m.example.com/library/nginx:1.25\nregistry: m.example.com\n"
    );
    // What Helm reads back: the user's rest of the value, as text.
    assert_eq!(leaves(&fixed)["app"], "org/app:3.1$(touch pwned)'q");
}

/// The same in single quotes: they stay, with the quote inside doubled as YAML wants.
#[test]
fn a_hostile_rest_in_single_quotes_keeps_them() {
    let before = "global:\n  imageRegistry: m.example.com\nnote: |\n  $(touch pwned)\napp: 'quay.io/org/app:3.1$(touch pwned)''q' # pinned\nafter: |-\n  keep\n";
    let (code, fixed, err) = fix_against_whole_reference_chart("whole-hostile-single", before);
    assert!(code == 0 || code == 1, "exit {code}: {err}");
    assert!(
        fixed.contains("\napp: 'org/app:3.1$(touch pwned)''q' # pinned\nafter: |-\n  keep\n"),
        "{fixed}"
    );
    assert_eq!(leaves(&fixed)["app"], "org/app:3.1$(touch pwned)'q");
    assert_eq!(leaves(&fixed)["note"], "$(touch pwned)\n");
}

/// `--chart chart --unsafe-fixes --fix values.yaml` in a fresh folder, against a chart with a
/// key holding a whole reference (`image`) and one holding repository and tag behind a registry
/// key (`app`): the exit code, the fixed file and stderr. Nothing may appear beside the file
/// (a `$(…)` in it runs nowhere).
fn fix_against_whole_reference_chart(name: &str, values: &str) -> (i32, String, String) {
    let dir = temp_dir(name);
    let chart = dir.join("chart");
    std::fs::create_dir_all(chart.join("templates")).unwrap();
    std::fs::write(
        chart.join("Chart.yaml"),
        "apiVersion: v2\nname: whole\nversion: 0.1.0\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("values.yaml"),
        "image: docker.io/library/nginx:1.25\nregistry: quay.io\napp: quay.io/org/app:3.1\n",
    )
    .unwrap();
    std::fs::write(
        chart.join("templates/pod.yaml"),
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: {{ .Values.image }}\n    - name: app\n      image: \"{{ .Values.registry }}/{{ .Values.app }}\"\n",
    )
    .unwrap();
    std::fs::write(dir.join("values.yaml"), values).unwrap();
    let (code, _, err) = bin(
        &dir,
        &["--chart", "chart", "--unsafe-fixes", "--fix", "values.yaml"],
    );
    let fixed = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
    let mut left: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(left, ["chart", "values.yaml"]);
    (code, fixed, err)
}

/// A repository that already starts with the private registry, behind a registry key that
/// still holds quay.io (stackstate 5.1.15's MinIO): SL001's safe fix of the registry alone would
/// give `registry.corp.example/registry.corp.example/stackstate/minio` (Helm 3.17.3 renders
/// that), so only SL005's fix of the repository is offered, and SL001 says both steps.
#[test]
fn the_registry_fix_waits_for_a_repository_holding_a_host() {
    let dir = std::env::temp_dir().join(format!("sl-fix-double-host-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let text = "global:\n  imageRegistry: registry.corp.example\nbackup:\n  enabled: true\nminio:\n  accessKey: minioaccess\n  secretKey: miniosecret123\n  image:\n    repository: registry.corp.example/stackstate/minio\n";
    std::fs::write(dir.join("values.yaml"), text).unwrap();
    let common = ["--chart-version", "stackstate@5.1.15", "--no-config"];
    let (_, json, _) = bin(
        &dir,
        &[&common[..], &["--format", "json", "values.yaml"]].concat(),
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    let sl001 = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["code"] == "SL001")
        .unwrap_or_else(|| panic!("{json}"));
    assert_eq!(
        sl001["help"],
        "set `minio.image.registry: registry.corp.example` (your private registry, from global.imageRegistry) and write `minio.image.repository` without its registry host (SL005): with both, the reference gets two"
    );
    assert!(sl001["fix"].is_null(), "{sl001}");
    // Safe fixes only: nothing to write for MinIO.
    bin(&dir, &[&common[..], &["--fix", "values.yaml"]].concat());
    let fixed = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
    assert!(
        !fixed.contains(
            "minio:\n  accessKey: minioaccess\n  secretKey: miniosecret123\n  image:\n    registry"
        ),
        "{fixed}"
    );
    // With the unsafe one, both: the repository loses its host, then the registry is set.
    bin(
        &dir,
        &[&common[..], &["--fix", "--unsafe-fixes", "values.yaml"]].concat(),
    );
    let fixed = std::fs::read_to_string(dir.join("values.yaml")).unwrap();
    let _ = std::fs::remove_dir_all(&dir);
    let leaves = leaves(&fixed);
    assert_eq!(
        leaves["minio.image.repository"], "stackstate/minio",
        "{fixed}"
    );
    assert_eq!(
        leaves["minio.image.registry"], "registry.corp.example",
        "{fixed}"
    );
}

/// Values piped on stdin: `--diff -` shows the fix under the `--stdin-filename` name (it said
/// "0 fix(es)", exit 0), and `--fix -` is a filter: the fixed text on stdout, the report on
/// stderr (it dropped the fix without a word).
#[test]
fn values_on_stdin_are_fixed_to_stdout_and_diffed() {
    let dir = temp_dir("stdin");
    let before =
        "stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10   # tested\n";
    let run = |args: &[&str]| {
        let mut child = Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
            .args(args)
            .current_dir(&dir)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("NO_COLOR")
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all(before.as_bytes())
            .unwrap();
        let o = child.wait_with_output().unwrap();
        (
            o.status.code().unwrap_or(-1),
            String::from_utf8_lossy(&o.stdout).into_owned(),
            String::from_utf8_lossy(&o.stderr).into_owned(),
        )
    };
    let (code, out, err) = run(&[
        "--chart-version",
        "4.4.0",
        "--diff",
        "--stdin-filename",
        "prod.yaml",
        "-",
    ]);
    assert_eq!(code, 1, "{err}");
    assert_eq!(
        out,
        "--- a/prod.yaml\n+++ b/prod.yaml\n@@ -2,4 +2,4 @@\n   components:\n     all:\n       image:\n-        tag: 4.10   # tested\n+        tag: \"4.10\"   # tested\n"
    );
    assert!(
        err.contains("1 fix(es) would be applied to 1 file(s)"),
        "{err}"
    );
    let (code, out, err) = run(&[
        "--chart-version",
        "4.4.0",
        "--fix",
        "--format",
        "compact",
        "-",
    ]);
    assert_eq!(out, before.replace("4.10 ", "\"4.10\" "), "{err}");
    assert!(err.contains("fixed 1 finding(s) in stdin"), "{err}");
    assert_eq!(code, 0, "{err}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// A key whose parent map is written in flow style (`elasticsearch: {imageTag: …}`) gets no
/// fix: a block line inserted below a flow map breaks the file (audit 47: JSON and SARIF
/// offered such an edit as safe, and `--fix` dropped it without a word). The help still says
/// what to write.
#[test]
fn no_fix_is_offered_below_a_flow_map() {
    let dir = temp_dir("flow-parent");
    let text =
        "global:\n  imageRegistry: harbor.corp.example\nelasticsearch: {imageTag: \"7.17.10\"}\n";
    std::fs::write(dir.join("values.yaml"), text).unwrap();
    let (_, report, err) = bin(
        &dir,
        &[
            "--chart-version",
            "5.1.15",
            "--format",
            "json",
            "--select",
            "SL002",
            "values.yaml",
        ],
    );
    let report: serde_json::Value = serde_json::from_str(&report).expect(&err);
    let findings = report["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 1, "{report}");
    assert!(findings[0]["fix"].is_null(), "{report}");
    assert_eq!(
        findings[0]["help"],
        "add `elasticsearch.prometheus-elasticsearch-exporter.image.repository: harbor.corp.example/stackstate/elasticsearch-exporter`"
    );
    let (code, out, _) = bin(
        &dir,
        &["--chart-version", "5.1.15", "--diff", "values.yaml"],
    );
    assert_eq!((code, out.as_str()), (0, ""));
    assert_eq!(
        std::fs::read_to_string(dir.join("values.yaml")).unwrap(),
        text
    );
    let _ = std::fs::remove_dir_all(&dir);
}
