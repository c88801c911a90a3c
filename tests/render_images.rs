//! The images of the rendered release against the image lists Helm's output gave for every chart
//! and values case of `../shared/render` (`images.tsv`: `image<TAB>kind/name<TAB>container`,
//! sorted). Renders through the library, two cases at a time. Skipped when `../shared` is not
//! there.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use stackstate_lint::HelmVersion;
use stackstate_lint::Sources;
use stackstate_lint::chart::{self, Load};
use stackstate_lint::release::{self, SetArg};
use stackstate_lint::render::{self, Options, images};
use stackstate_lint::value::SetKind;
use stackstate_lint::yaml::Limits;

/// One expectation with an image list.
struct Case {
    /// `stackstate-5.1.15/01-minimal`.
    id: String,
    /// The `cmd` file's words.
    cmd: Vec<String>,
    /// `images.tsv`, line by line.
    expected: Vec<String>,
}

/// The `cmd` file split like a shell (the suite quotes with single quotes where needed).
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut word: Option<String> = None;
    let mut quoted = false;
    for c in cmd.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                word.get_or_insert_with(String::new);
            }
            c if c.is_whitespace() && !quoted => out.extend(word.take()),
            c => word.get_or_insert_with(String::new).push(c),
        }
    }
    out.extend(word);
    out
}

fn cases(expected: &Path) -> Vec<Case> {
    let mut out = Vec::new();
    let mut charts: Vec<PathBuf> = std::fs::read_dir(expected)
        .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    charts.sort();
    for chart in charts.iter().filter(|p| p.is_dir()) {
        let mut dirs: Vec<PathBuf> = std::fs::read_dir(chart)
            .map(|d| d.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        dirs.sort();
        for dir in dirs {
            let read = |f: &str| std::fs::read_to_string(dir.join(f)).ok();
            if read("rc").as_deref().map(str::trim) != Some("0") {
                continue;
            }
            let (Some(cmd), Some(tsv)) = (read("cmd"), read("images.tsv")) else {
                panic!("{}: rc 0 without cmd or images.tsv", dir.display());
            };
            let id = dir
                .strip_prefix(expected)
                .unwrap_or(&dir)
                .display()
                .to_string();
            out.push(Case {
                id,
                cmd: words(&cmd),
                expected: tsv.lines().map(String::from).collect(),
            });
        }
    }
    out
}

/// Renders a case as `helm template` would with its words; the sorted, normalised rows.
fn rows(root: &Path, cmd: &[String]) -> Result<Vec<String>, String> {
    let (Some(name), Some(chart_path)) = (cmd.first(), cmd.get(1)) else {
        return Err(format!("bad cmd: {cmd:?}"));
    };
    let mut sources = Sources::new();
    let chart = chart::load_path_with(&root.join(chart_path), &mut sources, Load::Everything)
        .map_err(|e| e.message().to_string())?;
    let helm = HelmVersion::V3;
    let (mut files, mut sets) = (Vec::new(), Vec::new());
    let mut it = cmd[2..].iter();
    while let Some(flag) = it.next() {
        let arg = it.next().ok_or_else(|| format!("{flag} without a value"))?;
        match flag.as_str() {
            "-f" | "--values" => {
                let path = root.join(arg);
                let text = std::fs::read_to_string(&path).map_err(|e| e.to_string())?;
                let file = release::load_values(arg, text, &mut sources, helm, &Limits::default())
                    .map_err(|e| e.to_string())?;
                files.push(file);
            }
            "--set" | "--set-string" => sets.push(SetArg {
                text: arg.clone(),
                kind: if flag == "--set-string" {
                    SetKind::String
                } else {
                    SetKind::Set
                },
            }),
            other => return Err(format!("unknown flag {other}")),
        }
    }
    let user = release::user_values(&files, &sets, helm, &mut |_| Err("no --set-file".into()))
        .map_err(|e| e.to_string())?;
    let opts = Options {
        release_name: name.clone(),
        ..Options::default()
    };
    let output = render::render(&chart, user, helm, &opts).map_err(|e| e.message)?;
    let mut rows: Vec<String> = images::images(&output.files)
        .iter()
        .map(|i| {
            let mut object = i.object.clone();
            let mut container = i.container.clone();
            normalise(name, &mut object, &mut container);
            format!("{}\t{object}\t{container}", i.reference)
        })
        .collect();
    rows.sort();
    Ok(rows)
}

/// The suite writes render-time name suffixes as `TIMESTAMP` and the random test pod (and its
/// container) as `RELEASE-RANDOM-test`; ours are made the same way, for comparison only.
fn normalise(release: &str, object: &mut images::Object, container: &mut String) {
    if object.kind == "Job" {
        let name = &object.name;
        let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
        if let Some((head, time)) = name.rsplit_once('t')
            && time.len() == 6
            && digits(time)
        {
            let keep = head.trim_end_matches(|c: char| c.is_ascii_digit());
            if keep.len() < head.len() {
                object.name = format!("{keep}TIMESTAMP");
            }
        }
    }
    let random = |s: &str| {
        s.strip_prefix(&format!("{release}-"))
            .and_then(|r| r.strip_suffix("-test"))
            .is_some_and(|r| r.len() == 5 && r.bytes().all(|b| b.is_ascii_lowercase()))
    };
    if object.kind == "Pod" && random(&object.name) {
        object.name = format!("{release}-RANDOM-test");
        if random(container) {
            *container = object.name.clone();
        }
    }
}

#[test]
fn rendered_images_are_the_images_helms_output_has() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let expected = root.join("shared/render/expected");
    if !expected.is_dir() {
        eprintln!("skipped: {} is not there", expected.display());
        return;
    }
    let cases = cases(&expected);
    assert!(!cases.is_empty(), "no expectation with an image list");
    let next = AtomicUsize::new(0);
    let results: Mutex<Vec<(String, Result<(), String>)>> = Mutex::new(Vec::new());
    std::thread::scope(|s| {
        for _ in 0..2 {
            let worker = || {
                while let Some(case) = cases.get(next.fetch_add(1, Ordering::Relaxed)) {
                    let result = rows(&root, &case.cmd).and_then(|got| {
                        if got == case.expected {
                            Ok(())
                        } else {
                            Err(diff(&case.expected, &got))
                        }
                    });
                    if let Ok(mut r) = results.lock() {
                        r.push((case.id.clone(), result));
                    }
                }
            };
            std::thread::Builder::new()
                .stack_size(64 << 20)
                .spawn_scoped(s, worker)
                .expect("spawn a worker");
        }
    });
    let mut results = results.into_inner().expect("no worker panicked");
    results.sort_by(|a, b| a.0.cmp(&b.0));
    let mut per_chart: BTreeMap<&str, (usize, usize)> = BTreeMap::new();
    let mut failures = String::new();
    for (id, result) in &results {
        let chart = id.split('/').next().unwrap_or(id);
        let entry = per_chart.entry(chart).or_default();
        entry.1 += 1;
        match result {
            Ok(()) => entry.0 += 1,
            Err(e) => failures.push_str(&format!("--- {id}\n{e}\n")),
        }
    }
    let passed: usize = per_chart.values().map(|(p, _)| p).sum();
    for (chart, (p, n)) in &per_chart {
        println!("{chart}: {p}/{n}");
    }
    println!("{passed}/{} expectations", results.len());
    assert_eq!(results.len(), cases.len());
    assert!(
        failures.is_empty(),
        "{passed}/{} image lists agree\n{failures}",
        results.len()
    );
}

/// The rows only one side has.
fn diff(expected: &[String], got: &[String]) -> String {
    let mut out = String::new();
    for e in expected.iter().filter(|e| !got.contains(e)) {
        out.push_str(&format!("  missing: {e}\n"));
    }
    for g in got.iter().filter(|g| !expected.contains(g)) {
        out.push_str(&format!("  extra:   {g}\n"));
    }
    if out.is_empty() {
        out.push_str("  same rows, different counts\n");
    }
    out
}

/// Runs the binary's `run` with `args`, from the folder that holds `shared/`.
fn cli(args: &[&str]) -> (i32, String, String) {
    let mut argv = vec!["stackstate-lint".to_string()];
    argv.extend(args.iter().map(|a| a.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(argv, false, &mut out, &mut err);
    (
        code,
        String::from_utf8_lossy(&out).into_owned(),
        String::from_utf8_lossy(&err).into_owned(),
    )
}

#[test]
fn images_render_lists_helms_images_with_the_origin_of_every_part() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let case = root.join("shared/render/expected/suse-observability-2.10.3/05-global-registry");
    if !case.is_dir() {
        eprintln!("skipped: {} is not there", case.display());
        return;
    }
    let chart = root.join("shared/charts-src/suse-observability-2.10.3.tgz");
    let values = root.join("shared/render/cases/c/05-global-registry.yaml");
    let (chart, values) = (chart.display().to_string(), values.display().to_string());
    let args = |format: &'static str| {
        let v: Vec<String> = [
            "images",
            "--render",
            "--chart",
            &chart,
            "--release-name",
            "stackstate",
            "-f",
            &values,
            "--format",
            format,
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        v
    };
    let run = |format| {
        let a = args(format);
        cli(&a.iter().map(String::as_str).collect::<Vec<_>>())
    };

    // plain: the distinct references of Helm's output.
    let tsv = std::fs::read_to_string(case.join("images.tsv")).unwrap_or_default();
    let mut distinct: Vec<&str> = tsv.lines().filter_map(|l| l.split('\t').next()).collect();
    distinct.dedup();
    let (code, out, err) = run("plain");
    assert_eq!((code, err.as_str()), (0, ""));
    assert_eq!(out.lines().collect::<Vec<_>>(), distinct);

    // json: every image's registry is the user's global.imageRegistry, traced to its line, and
    // every part's sources cover the part's text.
    let (code, out, _) = run("json");
    assert_eq!(code, 0);
    let doc: serde_json::Value = serde_json::from_str(&out).expect("json output");
    let images = doc["releases"][0]["images"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(images.len(), tsv.lines().count());
    let at = format!("{values}:3:3");
    for img in &images {
        let registry = &img["parts"]["registry"];
        assert_eq!(registry["value"], "registry.example.com:5000", "{img}");
        let sources = registry["sources"].as_array().cloned().unwrap_or_default();
        assert_eq!(sources.len(), 1, "{img}");
        assert_eq!(sources[0]["origin"], at.as_str(), "{img}");
        assert!(
            sources[0]["key"]
                .as_str()
                .is_some_and(|k| k.ends_with("global.imageRegistry")),
            "{img}"
        );
        // Repository and tag come from their own keys, not from the registry's value (the
        // charts pass containers through `fromYaml`, which keeps each piece's origin).
        for part in ["repository", "tag"] {
            let keys: Vec<&str> = img["parts"][part]["sources"]
                .as_array()
                .into_iter()
                .flatten()
                .filter_map(|s| s["key"].as_str())
                .collect();
            assert!(
                keys.iter().all(|k| !k.ends_with("imageRegistry")),
                "{part} of {img}"
            );
        }
        for part in ["registry", "repository", "tag"] {
            let p = &img["parts"][part];
            if p["exact"] == true {
                let joined: String = p["sources"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s["text"].as_str())
                    .collect();
                assert_eq!(
                    joined,
                    p["value"].as_str().unwrap_or("-"),
                    "{part} of {img}"
                );
            }
        }
    }
    // The backup jobs embedded in a ConfigMap name it.
    assert!(images.iter().any(|i| i["object"]
        == "ConfigMap/stackstate-suse-observability-backup-restore-scripts>Job/stackgraph-list-backups"
        && i["embedded_in"] == "ConfigMap/stackstate-suse-observability-backup-restore-scripts"));

    // table: a block per image and deciding keys, naming the containers that pull it.
    let (code, out, _) = run("table");
    assert_eq!(code, 0);
    assert!(
        out.contains("\n  pulled by: ")
            && out.contains(
                "ConfigMap/stackstate-suse-observability-backup-restore-scripts>Job/configuration-download-backup (download)"
            ),
        "{out}"
    );
    assert!(out.contains(&format!(
        "{} images, {} distinct",
        images.len(),
        distinct.len()
    )));
}

#[test]
fn images_render_takes_a_built_in_chart_and_leaves_mirror_alone() {
    // No chart named, no values: the newest suse-observability chart (the line installed
    // today), whose defaults Helm refuses (no admin password, no base URL): the keys stand in,
    // and that is said.
    let (code, out, err) = cli(&["images", "--render"]);
    assert_eq!(code, 0, "{err}");
    assert!(
        out.contains("quay.io/stackstate/stackstate-server:7.0.0-snapshot.20260803130756-master-8ad8817-2.5\n"),
        "{out}"
    );
    assert!(
        err.starts_with("note: chart suse-observability@2.10.3, picked: no values keys to fit"),
        "{err}"
    );
    assert!(
        err.contains(
            "note: (chart defaults): the chart requires `global.suseObservability.adminPassword`"
        ),
        "{err}"
    );
    let (code, _, err) = cli(&["images", "--render", "--chart", "x", "--mirror", "r.io"]);
    assert_eq!(code, 2, "{err}");
}

#[test]
fn images_render_fails_where_helm_fails_with_helms_message() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let chart = root.join("shared/charts-src/suse-observability-2.10.3.tgz");
    let values = root.join("shared/render/cases/c/19-fail-legacy-backup-key.yaml");
    if !chart.is_file() || !values.is_file() {
        eprintln!("skipped: ../shared is not there");
        return;
    }
    let (chart, values) = (chart.display().to_string(), values.display().to_string());
    let (code, out, err) = cli(&["images", "--render", "--chart", &chart, "-f", &values]);
    assert_eq!((code, out.as_str()), (1, ""));
    // Helm 3.17.3: Error: execution error at (suse-observability/templates/validations.yaml:157:6):
    // Please use `global.backup.enabled=true` instead of `backup.enabled=true` — on the key the
    // failing action read.
    assert_eq!(
        err,
        format!(
            "error: {values}: Helm cannot render this release: `backup.enabled` ({values}:4:3): execution error at (suse-observability/templates/validations.yaml:157:6): Please use `global.backup.enabled=true` instead of `backup.enabled=true`\n"
        )
    );
}

/// Lint and `images` never show a key, so their renders take one stand-in RSA key of each size
/// instead of finding primes for every certificate (suse-observability with Kafka TLS on made
/// `images` take longer than `helm template`); `render` makes a new key every time, as Helm.
#[test]
fn analysed_renders_take_a_stand_in_rsa_key_and_render_makes_new_ones() {
    let dir = std::env::temp_dir().join(format!("stackstate-lint-rsa-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        "apiVersion: v2\nname: c\nversion: 1.0.0\n",
    )
    .unwrap();
    std::fs::write(
        dir.join("templates/pod.yaml"),
        concat!(
            "{{- $a := genCA \"a\" 1 }}{{- $b := genSelfSignedCert \"b\" nil nil 1 }}\n",
            "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n",
            "  - name: c\n",
            "    image: \"r.io/x:{{ if eq $a.Key $b.Key }}stand-in{{ else }}fresh{{ end }}\"\n",
        ),
    )
    .unwrap();
    let chart = dir.display().to_string();
    let (code, out, err) = cli(&["images", "--chart", &chart]);
    assert_eq!((code, out.as_str()), (0, "r.io/x:stand-in\n"), "{err}");
    let (code, out, err) = cli(&["render", "x", "--chart", &chart]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("image: \"r.io/x:fresh\""), "{out}");
    let _ = std::fs::remove_dir_all(&dir);
}
