//! `images --mirror`: the copy plan, its formats, and the property that matters — the generated
//! values, passed last with `-f`, make every conformance case pull only from the mirror.

mod common;

use std::path::{Path, PathBuf};

/// The chart versions the routing property runs every case on.
const VERSIONS: &[&str] = &[
    "4.2.5",
    "4.3.0",
    "4.4.0",
    "4.4.2",
    "4.5.0",
    "stackstate@5.1.15",
];
/// A port and a path: both must survive every key the overrides write.
const REG: &str = "mirror.example.com:5000/sts";
const ECR: &str = "57413481473.dkr.ecr.eu-west-1.amazonaws.com";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn base_values() -> String {
    root()
        .join("tests/conformance/base-values.yaml")
        .display()
        .to_string()
}

struct Outcome {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run(args: &[String]) -> Outcome {
    let mut out = Vec::new();
    let mut err = Vec::new();
    let mut all = vec!["stackstate-lint".to_string()];
    all.extend(args.iter().cloned());
    let code = stackstate_lint::run(all, false, &mut out, &mut err);
    Outcome {
        code,
        stdout: String::from_utf8(out).unwrap(),
        stderr: String::from_utf8(err).unwrap(),
    }
}

fn binary(args: &[&str]) -> Outcome {
    let o = std::process::Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .output()
        .unwrap();
    Outcome {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into(),
        stderr: String::from_utf8_lossy(&o.stderr).into(),
    }
}

fn args(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// `images --chart-version V -f base-values.yaml --mirror R` plus `extra`.
/// The plan of the conformance base values on a built-in chart, its stand-in anomaly-detection
/// subchart switched off (left on, the plan is incomplete: see
/// `the_left_out_spotlight_makes_the_plan_incomplete`).
fn mirror(version: &str, registry: &str, extra: &[&str]) -> Outcome {
    let mut a = args(&["images", "--chart-version", version, "-f"]);
    a.push(base_values());
    a.extend(args(&["--mirror", registry]));
    a.extend(args(extra));
    // Last: a test's own `--set` stays `--set #1`.
    a.extend(args(&["--set", "anomaly-detection.enabled=false"]));
    run(&a)
}

/// A chart `name` in a fresh folder: its Chart.yaml and the given files (path, text).
fn temp_chart(name: &str, files: &[(&str, &str)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("sl-mirror-{name}-{}", std::process::id()));
    std::fs::create_dir_all(dir.join("templates")).unwrap();
    std::fs::write(
        dir.join("Chart.yaml"),
        format!("apiVersion: v2\nname: {name}\nversion: 0.1.0\n"),
    )
    .unwrap();
    for (path, text) in files {
        std::fs::write(dir.join(path), text).unwrap();
    }
    dir
}

/// `images --chart DIR USER --mirror m.example.com --format values`: the plan for a user's file.
fn user_plan(dir: &Path, user: &Path) -> Outcome {
    run(&args(&[
        "images",
        "--chart",
        &dir.display().to_string(),
        &user.display().to_string(),
        "--mirror",
        "m.example.com",
        "--format",
        "values",
    ]))
}

/// `images --chart DIR --mirror m.example.com --format FORMAT`.
fn chart_plan(dir: &Path, format: &str) -> Outcome {
    let chart = dir.display().to_string();
    run(&args(&[
        "images",
        "--chart",
        &chart,
        "--mirror",
        "m.example.com",
        "--format",
        format,
    ]))
}

/// The lines of a `--format values` plan that set something: comments dropped.
fn uncommented(o: &Outcome) -> Vec<&str> {
    o.stdout
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect()
}

/// A `--format values` plan without its header and other comments at the left margin (the
/// comments above each key stay).
fn top_level(o: &Outcome) -> Vec<&str> {
    o.stdout.lines().filter(|l| !l.starts_with('#')).collect()
}

fn scrub(s: &str) -> String {
    s.replace(&root().display().to_string(), "[ROOT]")
}

#[test]
fn plan_of_chart_4_4_0_defaults_snapshot() {
    let o = mirror("4.4.0", "registry.example.com", &[]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    // Only notes (the chart's stand-in subchart left out).
    assert!(
        o.stderr.lines().all(|l| l.starts_with("note: ")),
        "{}",
        o.stderr
    );
    let want = "\
mirror plan: [ROOT]/tests/conformance/base-values.yaml (stackstate 4.4.0 (built-in)) -> registry.example.com
22 images to copy

quay.io/stackstate/container-tools:1.0.2               -> registry.example.com/stackstate/container-tools:1.0.2
quay.io/stackstate/elasticsearch-exporter:v1.2.1       -> registry.example.com/stackstate/elasticsearch-exporter:v1.2.1
quay.io/stackstate/elasticsearch:7.6.2-yu              -> registry.example.com/stackstate/elasticsearch:7.6.2-yu
quay.io/stackstate/envoy-alpine:v1.15.5                -> registry.example.com/stackstate/envoy-alpine:v1.15.5
quay.io/stackstate/hadoop:2.9.2-java11-1               -> registry.example.com/stackstate/hadoop:2.9.2-java11-1
quay.io/stackstate/hbase-master:4.1.8                  -> registry.example.com/stackstate/hbase-master:4.1.8
quay.io/stackstate/hbase-regionserver:4.1.8            -> registry.example.com/stackstate/hbase-regionserver:4.1.8
quay.io/stackstate/jmx-exporter:0.15.0-debian-10-r138  -> registry.example.com/stackstate/jmx-exporter:0.15.0-debian-10-r138
quay.io/stackstate/kafka:2.3.1-debian-9-r41-du         -> registry.example.com/stackstate/kafka:2.3.1-debian-9-r41-du
quay.io/stackstate/kafka:latest                        -> registry.example.com/stackstate/kafka:latest
quay.io/stackstate/minio:RELEASE.2021-02-14T04-01-33Z  -> registry.example.com/stackstate/minio:RELEASE.2021-02-14T04-01-33Z
quay.io/stackstate/nginx-prometheus-exporter:0.7.0     -> registry.example.com/stackstate/nginx-prometheus-exporter:0.7.0
quay.io/stackstate/stackgraph-console:4.1.8            -> registry.example.com/stackstate/stackgraph-console:4.1.8
quay.io/stackstate/stackstate-correlate-stable:4.4.0   -> registry.example.com/stackstate/stackstate-correlate-stable:4.4.0
quay.io/stackstate/stackstate-kafka-to-es-stable:4.4.0 -> registry.example.com/stackstate/stackstate-kafka-to-es-stable:4.4.0
quay.io/stackstate/stackstate-receiver-stable:4.4.0    -> registry.example.com/stackstate/stackstate-receiver-stable:4.4.0
quay.io/stackstate/stackstate-server-stable:4.4.0      -> registry.example.com/stackstate/stackstate-server-stable:4.4.0
quay.io/stackstate/stackstate-ui-stable:4.4.0          -> registry.example.com/stackstate/stackstate-ui-stable:4.4.0
quay.io/stackstate/tephra-server:4.1.8                 -> registry.example.com/stackstate/tephra-server:4.1.8
quay.io/stackstate/wait:1.0.0                          -> registry.example.com/stackstate/wait:1.0.0
quay.io/stackstate/wait:1.0.2                          -> registry.example.com/stackstate/wait:1.0.2
quay.io/stackstate/zookeeper:3.6.1-debian-10-r37-du    -> registry.example.com/stackstate/zookeeper:3.6.1-debian-10-r37-du

next: `--format values` prints the values that make the release pull from there (pass them last with -f); `--format script` prints the copy commands
";
    assert_eq!(scrub(&o.stdout), want);
}

#[test]
fn plan_keeps_repository_paths_like_copy_images() {
    let lines = |version: &str| {
        let o = mirror(version, "reg.example.com", &["--format", "plain"]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        o
    };
    let has = |out: &str, line: &str| assert!(out.lines().any(|l| l == line), "{line}\n{out}");
    let old = lines("4.2.5").stdout;
    has(
        &old,
        "docker.io/bitnami/kafka:latest -> reg.example.com/bitnami/kafka:latest",
    );
    has(
        &old,
        "justwatch/elasticsearch_exporter:1.1.0 -> reg.example.com/justwatch/elasticsearch_exporter:1.1.0",
    );
    has(
        &old,
        "minio/minio:RELEASE.2021-02-14T04-01-33Z -> reg.example.com/minio/minio:RELEASE.2021-02-14T04-01-33Z",
    );
    let new = lines("4.4.0");
    has(
        &new.stdout,
        "quay.io/stackstate/minio:RELEASE.2021-02-14T04-01-33Z -> reg.example.com/stackstate/minio:RELEASE.2021-02-14T04-01-33Z",
    );
}

#[test]
fn values_for_chart_4_4_0_defaults() {
    let o = mirror(
        "4.4.0",
        "registry.example.com",
        &[
            "--format",
            "values",
            "--set",
            "anomaly-detection.enabled=false",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    let body = uncommented(&o);
    assert_eq!(
        body,
        [
            "global:",
            "  imageRegistry: \"registry.example.com\"",
            "elasticsearch:",
            "  prometheus-elasticsearch-exporter:",
            "    image:",
            "      repository: \"registry.example.com/stackstate/elasticsearch-exporter\"",
            "minio:",
            "  image:",
            "    repository: \"registry.example.com/stackstate/minio\"",
        ]
    );
    assert!(
        o.stdout
            .contains("# MinIO (backup storage): the template ignores global.imageRegistry")
    );
}

#[test]
fn exporter_key_follows_the_chart_version() {
    for (version, key) in [
        ("4.2.5", "  elasticsearch-exporter:\n"),
        ("4.3.0", "  elasticsearch-exporter:\n"),
        ("4.4.0", "  prometheus-elasticsearch-exporter:\n"),
        ("4.5.0", "  prometheus-elasticsearch-exporter:\n"),
    ] {
        let o = mirror(version, "r.example.com", &["--format", "values"]);
        assert_eq!(o.code, 0, "{version}: {}", o.stderr);
        assert!(o.stdout.contains(key), "{version}:\n{}", o.stdout);
    }
}

#[test]
fn ecr_registries_get_the_repositories_to_create() {
    let o = mirror("4.4.0", ECR, &["--set", "anomaly-detection.enabled=false"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains(&format!(
        "note: {ECR} is Amazon ECR, which does not create repositories on push; create these 20 first"
    )));
    assert!(o.stdout.contains("\n  stackstate/minio\n"));
    assert!(o.stdout.contains("\n  stackstate/elasticsearch-exporter\n"));
    let o = mirror("4.4.0", ECR, &["--format", "script"]);
    assert!(
        o.stdout
            .contains("aws ecr create-repository --region 'eu-west-1'")
    );
    let script_at = |s: &str| o.stdout.find(s).unwrap();
    assert!(script_at("aws ecr") < script_at("skopeo copy"));
    // Not ECR: no note.
    let o = mirror("4.4.0", "registry.example.com", &[]);
    assert!(!o.stdout.contains("ECR"));
}

#[test]
fn the_left_out_spotlight_makes_the_plan_incomplete() {
    // The built-in charts hold a stand-in for the non-public anomaly-detection subchart: its
    // image is in no plan, and a release that deploys it is not mirrored whole (audit 49 #4:
    // the plan said complete, exit 0, and the release pulled Spotlight from quay.io).
    let mut a = args(&["images", "--chart-version", "4.4.0", "-f"]);
    a.push(base_values());
    a.extend(args(&["--mirror", "r.example.com"]));
    let o = run(&a);
    assert_eq!(o.code, 1, "{}", o.stderr);
    assert!(!o.stdout.contains("spotlight"), "{}", o.stdout);
    assert!(
        o.stderr.contains("the Spotlight anomaly detector (image stackstate/spotlight) is not rendered, listed or checked"),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr.contains("these values deploy the `anomaly-detection` subchart, which the built-in chart holds only as a stand-in"),
        "{}",
        o.stderr
    );
    a.extend(args(&["--format", "json"]));
    let json: serde_json::Value = serde_json::from_str(&run(&a).stdout).unwrap();
    let release = &json["releases"][0];
    assert_eq!(release["complete"], false);
    assert_eq!(release["left_out"][0]["subchart"], "anomaly-detection");
    assert!(
        release["values"]
            .as_str()
            .unwrap()
            .contains("# LEFT OUT: these values deploy the `anomaly-detection` subchart")
    );
    // Switched off, nothing is left out.
    a.extend(args(&["--set", "anomaly-detection.enabled=false"]));
    let json: serde_json::Value = serde_json::from_str(&run(&a).stdout).unwrap();
    assert_eq!(json["releases"][0]["complete"], true);
}

#[test]
fn scripts_for_skopeo_and_crane() {
    let o = mirror("4.4.0", "r.example.com", &["--format", "script"]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.starts_with("#!/bin/sh\n"));
    assert!(o.stdout.contains(
        "\nskopeo copy --all 'docker://quay.io/stackstate/minio:RELEASE.2021-02-14T04-01-33Z' 'docker://r.example.com/stackstate/minio:RELEASE.2021-02-14T04-01-33Z'\n"
    ));
    assert_eq!(o.stdout.matches("skopeo copy ").count(), 22);
    let o = mirror(
        "4.4.0",
        "r.example.com",
        &["--format", "script", "--tool", "crane"],
    );
    assert!(o.stdout.contains(
        "\ncrane copy 'quay.io/stackstate/wait:1.0.0' 'r.example.com/stackstate/wait:1.0.0'\n"
    ));
    assert!(!o.stdout.contains("skopeo"));
}

#[test]
fn scripts_refuse_what_is_not_an_image_reference() {
    for (key, value) in [
        ("stackstate.components.wait.image.tag", "1;touch x"),
        // A newline in a repository once became a command of its own (issue #11).
        (
            "stackstate.components.wait.image.repository",
            "stackstate/wait\ntouch /tmp/pwned\n#",
        ),
        ("global.imageRegistry", "evil.example.com/$(touch x)"),
    ] {
        let set = format!("{key}={value}");
        let o = mirror(
            "4.4.0",
            "r.example.com",
            &["--format", "script", "--set-string", &set],
        );
        // No script either way: refused (exit 2), or Helm itself cannot render the release
        // with that value (exit 1, Helm's error: a newline breaks the manifest's YAML).
        assert_eq!(o.stdout, "", "{set}");
        let errors: Vec<&str> = o
            .stderr
            .lines()
            .filter(|l| !l.starts_with("note: "))
            .collect();
        assert_eq!(errors.len(), 1, "{}", o.stderr);
        match o.code {
            2 => assert!(
                errors[0].starts_with("error: --format script: refusing to write the script: ")
                    && errors[0].contains("is not a valid image reference"),
                "{}",
                o.stderr
            ),
            1 => assert!(
                errors[0].contains("Helm cannot render this release"),
                "{}",
                o.stderr
            ),
            code => panic!("{set}: exit {code}: {}", o.stderr),
        }
    }
}

#[test]
fn every_word_of_a_script_is_single_quoted_and_sh_reads_it() {
    for (registry, tool) in [("r.example.com", "skopeo"), (ECR, "crane")] {
        let o = mirror("4.4.0", registry, &["--format", "script", "--tool", tool]);
        assert_eq!(o.code, 0, "{}", o.stderr);
        for line in o.stdout.lines() {
            let line = line.trim_start();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            if let Some(rest) = line
                .strip_prefix("skopeo copy --all --preserve-digests ")
                .or(line.strip_prefix("skopeo copy --all "))
                .or(line.strip_prefix("crane copy "))
            {
                let words: Vec<&str> = rest.split(' ').collect();
                assert_eq!(words.len(), 2, "{line}");
                assert!(
                    words
                        .iter()
                        .all(|w| w.len() > 2 && w.starts_with('\'') && w.ends_with('\'')),
                    "{line}"
                );
            }
            if let Some(region) = line.strip_prefix("aws ecr describe-repositories --region ") {
                assert!(region.starts_with("'eu-west-1' "), "{line}");
            }
        }
        let check = std::process::Command::new("sh")
            .arg("-n")
            .stdin(std::process::Stdio::piped())
            .spawn()
            .and_then(|mut c| {
                use std::io::Write;
                c.stdin.take().unwrap().write_all(o.stdout.as_bytes())?;
                c.wait()
            })
            .unwrap();
        assert!(check.success());
    }
}

#[test]
fn json_has_the_plan_and_the_overrides() {
    let o = mirror("4.4.0", "r.example.com", &["--format", "json"]);
    assert_eq!(o.code, 0);
    let doc: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(doc["version"], 1);
    assert_eq!(doc["registry"], "r.example.com");
    let rel = &doc["releases"][0];
    assert_eq!(rel["complete"], true);
    let copies = rel["copies"].as_array().unwrap();
    assert_eq!(copies.len(), 22);
    assert!(copies.iter().all(|c| c["status"] == "copy"), "{copies:?}");
    let keys: Vec<&str> = rel["overrides"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["key"].as_str().unwrap())
        .collect();
    assert_eq!(
        keys,
        [
            "global.imageRegistry",
            "elasticsearch.prometheus-elasticsearch-exporter.image.repository",
            "minio.image.repository"
        ]
    );
    assert!(rel["values"].as_str().unwrap().contains("imageRegistry"));
}

/// A mirror with a path (a Harbor project, `host:port/team`): the routed release pulls every
/// image from it (Helm 3.17.3 renders the plan to `mirror.example.com:5000/team/stackstate/…`
/// for all of them), and the plan says so: each copy is a `copy`. Before, the registry's path
/// was read as the start of each repository, which then belonged to `global.imageRegistry`,
/// lost its component, and 20 of 4.4.0's 21 copies were "not routed" in a complete plan.
#[test]
fn a_mirror_with_a_path_routes_every_copy() {
    for version in ["4.4.0", "stackstate@5.1.15", "stackstate-k8s@1.12.1"] {
        let o = mirror(
            version,
            "mirror.example.com:5000/team",
            &["--format", "json"],
        );
        assert_eq!(o.code, 0, "{version}: {}", o.stderr);
        let doc: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
        let rel = &doc["releases"][0];
        assert_eq!(rel["complete"], true, "{version}");
        let copies = rel["copies"].as_array().unwrap();
        assert!(copies.len() > 10, "{version}");
        for c in copies {
            assert_eq!(c["status"], "copy", "{version}: {c}");
            let destination = c["destination"].as_str().unwrap();
            assert!(
                destination.starts_with("mirror.example.com:5000/team/"),
                "{version}: {c}"
            );
        }
    }
}

#[test]
fn cluster_agent_images_are_routed_by_their_repositories() {
    let o = mirror(
        "4.4.0",
        "r.example.com",
        &["--format", "values", "--set", "cluster-agent.enabled=true"],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains(
        "cluster-agent:\n  agent:\n    image:\n      # StackState node agent (cluster-agent chart): the template ignores global.imageRegistry; the registry is part of this repository (was docker.io/stackstate/stackstate-agent-2).\n      repository: \"r.example.com/stackstate/stackstate-agent-2\"\n"
    ), "{}", o.stdout);
}

#[test]
fn a_set_that_outranks_the_file_is_named_with_its_fix() {
    let o = mirror(
        "4.4.0",
        "r.example.com",
        &[
            "--format",
            "values",
            "--set",
            "global.imageRegistry=other.example.com",
        ],
    );
    assert_eq!(o.code, 1);
    assert!(o.stdout.contains("# INCOMPLETE"));
    assert!(
        o.stderr.contains(
            "`global.imageRegistry` comes from --set #1, which outranks every values file, so"
        ),
        "{}",
        o.stderr
    );
    assert!(
        o.stderr
            .contains("make it `global.imageRegistry=r.example.com` or drop it")
    );
    // An empty global registry from a --set: the overrides fall back to each image's own key.
    let o = mirror(
        "4.4.0",
        "r.example.com",
        &["--format", "values", "--set", "global.imageRegistry="],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(o.stdout.contains("kafka:\n  image:\n"));
    assert!(o.stdout.contains("so the template falls back to this key"));
}

#[test]
fn already_mirrored_release_needs_no_overrides() {
    let o = mirror(
        "4.4.0",
        "r.example.com",
        &[
            "--format",
            "values",
            "--set",
            "global.imageRegistry=r.example.com,minio.image.repository=r.example.com/stackstate/minio",
            "--set",
            "elasticsearch.prometheus-elasticsearch-exporter.image.repository=r.example.com/x",
        ],
    );
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.ends_with(
            "# Nothing to override: every image already pulls from r.example.com.\n{}\n"
        )
    );
}

/// The release sets `global.imageRegistry` already: the plan sets it again and nothing else on
/// suse-observability 2.10.3 (its wait images read `dict "image" .Values.global.wait.image`
/// before the shared key, which decides their registry: the plan used to add
/// `global.wait.image.registry` too, counted "1 of 42"). Helm 3.17.3 with the file and this plan
/// pulls every image from the mirror.
#[test]
fn a_global_registry_the_release_sets_is_the_one_key_to_set() {
    let dir = temp_chart("global-set", &[]);
    let file = dir.join("values.yaml");
    std::fs::write(
        &file,
        "global:\n  imageRegistry: registry.corp.example\nstackstate:\n  baseUrl: http://x\n",
    )
    .unwrap();
    let o = run(&args(&[
        "images",
        "--chart-version",
        "suse-observability@2.10.3",
        "-f",
        file.to_str().unwrap(),
        "--mirror",
        "mirror.example.com",
        "--format",
        "values",
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let body: Vec<&str> = o.stdout.lines().filter(|l| !l.starts_with('#')).collect();
    assert_eq!(
        body,
        [
            "global:",
            "  # Read first by every image template that has a registry key: 42 of the release's 42 images.",
            "  imageRegistry: \"mirror.example.com\"",
        ],
        "{}",
        o.stdout
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_binary_validates_the_registry() {
    for (reg, says) in [
        ("https://r.example.com", "has a scheme"),
        ("r.example.com/", "ends with `/`"),
        ("r.example .com", "contains spaces"),
        ("", "empty"),
    ] {
        let o = binary(&["images", "--mirror", reg]);
        assert_eq!(o.code, 2, "{reg}");
        assert!(o.stderr.starts_with("error: --mirror: "), "{}", o.stderr);
        assert!(o.stderr.contains(says), "{}", o.stderr);
        assert_eq!(o.stdout, "");
    }
    let o = binary(&["images", "--format", "values"]);
    assert_eq!(o.code, 2);
    assert!(o.stderr.contains("--mirror <REGISTRY>"));
    let o = binary(&[
        "images",
        "--chart-version",
        "4.4.0",
        "--mirror",
        "r.example.com",
        "--format",
        "script",
        "--set",
        "anomaly-detection.enabled=false",
    ]);
    assert_eq!(o.code, 0);
    assert!(o.stdout.contains("skopeo copy --all 'docker://quay.io/stackstate/wait:1.0.2' 'docker://r.example.com/stackstate/wait:1.0.2'\n"));
}

// --- the routing property over the conformance suite ---

fn suites() -> Vec<PathBuf> {
    let mut out = vec![root().join("tests/conformance")];
    let shared = root().join("../shared/conformance");
    if shared.join("cases").is_dir() {
        out.push(shared);
    }
    out
}

/// Every case id with the suite that holds it (the vendored copy first).
fn cases() -> Vec<(PathBuf, String)> {
    let mut out: Vec<(PathBuf, String)> = Vec::new();
    for suite in suites() {
        let mut ids: Vec<String> = std::fs::read_dir(suite.join("cases"))
            .unwrap()
            .filter_map(|e| e.unwrap().file_name().into_string().ok())
            .map(|n| n.trim_end_matches(".yaml").to_string())
            .collect();
        ids.sort();
        for id in ids {
            if !out.iter().any(|(_, i)| *i == id) {
                out.push((suite.clone(), id));
            }
        }
    }
    out
}

/// The `-f` files and extra arguments of a case.
fn case_args(suite: &Path, id: &str) -> (Vec<String>, Vec<String>) {
    let (files, extra) = common::case_args(suite, id);
    (
        files.iter().map(|f| f.display().to_string()).collect(),
        extra,
    )
}

/// `images` on a case: base values, the case's files, `last` files, then its arguments.
fn case_run(suite: &Path, id: &str, version: &str, last: &[String], tail: &[String]) -> Outcome {
    let (files, extra) = case_args(suite, id);
    let mut a = args(&["images", "--chart-version", version, "-f"]);
    a.push(base_values());
    for f in files.iter().chain(last) {
        a.extend(["-f".to_string(), f.clone()]);
    }
    a.extend(extra);
    a.extend(args(&["--set", "anomaly-detection.enabled=false"]));
    a.extend(tail.iter().cloned());
    run(&a)
}

/// `--set K=V` for every "make it `K=V`" the tool advised.
fn advised_sets(stderr: &str) -> Vec<String> {
    stderr
        .split("make it `")
        .skip(1)
        .filter_map(|s| s.split_once('`'))
        .flat_map(|(kv, _)| ["--set".to_string(), kv.to_string()])
        .collect()
}

#[test]
fn generated_values_route_every_conformance_case_to_the_mirror() {
    let tmp = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("mirror-property");
    std::fs::create_dir_all(&tmp).unwrap();
    let (mut routed, mut outranked, mut broken) = (0, 0, 0);
    let mut failures = Vec::new();
    let cases = cases();
    for (suite, id) in &cases {
        for version in VERSIONS {
            let plain = args(&["--format", "plain"]);
            if case_run(suite, id, version, &[], &plain).code != 0 {
                broken += 1;
                continue;
            }
            let values = case_run(
                suite,
                id,
                version,
                &[],
                &args(&["--mirror", REG, "--format", "values"]),
            );
            let file = tmp.join(format!("{id}-{version}.yaml"));
            std::fs::write(&file, &values.stdout).unwrap();
            let last = [file.display().to_string()];
            let mut tail = plain.clone();
            match values.code {
                0 => routed += 1,
                1 if values.stderr.contains("which outranks every values file") => {
                    // Only a --set outranks the last -f: the tool's advice must finish the job.
                    outranked += 1;
                    tail.extend(advised_sets(&values.stderr));
                }
                code => {
                    failures.push(format!("{id} {version}: exit {code}: {}", values.stderr));
                    continue;
                }
            }
            let after = case_run(suite, id, version, &last, &tail);
            let off: Vec<&str> = after
                .stdout
                .lines()
                .filter(|l| !l.starts_with(&format!("{REG}/")))
                .collect();
            if after.code != 0 || !off.is_empty() {
                failures.push(format!(
                    "{id} {version}: exit {}; not on the mirror: {off:?}; {}",
                    after.code, after.stderr
                ));
                continue;
            }
            // The plan's destinations are exactly what the routed release pulls.
            let json = case_run(
                suite,
                id,
                version,
                &[],
                &args(&["--mirror", REG, "--format", "json"]),
            );
            let doc: serde_json::Value = serde_json::from_str(&json.stdout).unwrap();
            let mut dests: Vec<&str> = doc["releases"][0]["copies"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| c["destination"].as_str().unwrap())
                .collect();
            dests.sort();
            dests.dedup();
            let pulled: Vec<&str> = after.stdout.lines().collect();
            if values.code == 0 && dests != pulled {
                failures.push(format!(
                    "{id} {version}: plan destinations {dests:?} != routed images {pulled:?}"
                ));
            }
        }
    }
    println!(
        "{} cases x {}: {routed} routed by the values file, {outranked} needing the advised --set, {broken} not rendering",
        cases.len(),
        VERSIONS.join(", ")
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert_eq!(routed + outranked + broken, cases.len() * VERSIONS.len());
    assert!(routed > outranked + broken);
}

/// A chart of three images: one whose registry the template builds around a key
/// (`{{ account }}.dkr.ecr.{{ region }}.amazonaws.com`, AWS's charts), one written as text, one
/// with a registry key. The plan routes the third, leaves the key of the first alone (set to the
/// mirror it would give an image that exists nowhere) and says why each of the others stays.
/// Helm 3.17.3 renders the plan's values to exactly the plan's images.
#[test]
fn images_no_values_key_moves_are_said_with_the_reason() {
    let dir = temp_chart(
        "why",
        &[
            (
                "values.yaml",
                "image:\n  account: \"602401143452\"\n  region: us-west-2\n  tag: v1\nagent:\n  registry: quay.io\n  repository: org/agent\n  tag: \"2\"\n",
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  initContainers:\n    - name: chown\n      image: busybox:1.36\n  containers:\n    - name: cni\n      image: \"{{ .Values.image.account }}.dkr.ecr.{{ .Values.image.region }}.amazonaws.com/cni:{{ .Values.image.tag }}\"\n    - name: agent\n      image: \"{{ .Values.agent.registry }}/{{ .Values.agent.repository }}:{{ .Values.agent.tag }}\"\n",
            ),
        ],
    );
    let plan = |format: &str| chart_plan(&dir, format);
    let values = plan("values");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(values.code, 1, "{}", values.stderr);
    let body = top_level(&values);
    assert_eq!(
        body,
        [
            "agent:",
            "  # container agent of Pod/p: the template reads no global registry for it; this key is its registry.",
            "  registry: \"m.example.com\""
        ],
        "{}",
        values.stdout
    );
    let warnings: Vec<&str> = values.stderr.lines().collect();
    assert_eq!(
        warnings,
        [
            "warning: (chart defaults): busybox:1.36 stays off m.example.com: the chart's template writes it itself (Pod/p:chown), no values key sets it; have the nodes' container runtime pull its registry from the mirror, or rewrite it with a post-renderer",
            "warning: (chart defaults): `image.account` is only part of the image its template prints: set to `m.example.com`, it gives m.example.com.dkr.ecr.us-west-2.amazonaws.com/cni:v1, not an image on m.example.com, so 602401143452.dkr.ecr.us-west-2.amazonaws.com/cni:v1 stays (the plan leaves the key alone); look for a key of the chart that replaces the whole image, or have the nodes' container runtime pull its registry from the mirror",
        ],
        "{}",
        values.stderr
    );
}

/// Bitnami's charts refuse images other than their own unless
/// `global.security.allowInsecureImages` is true (their NOTES.txt fails the render): a key the
/// chart fails without only once its images come from the mirror, whose default is `false`, is
/// turned on by the plan; one the chart leaves empty is named as what the user must set (the
/// plan is incomplete, exit 1). Helm 3.17.3 renders the first plan's values to the mirror.
#[test]
fn a_switch_the_chart_fails_without_once_mirrored_is_turned_on() {
    let dir = temp_chart(
        "unl",
        &[
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: x\n      image: \"{{ .Values.global.imageRegistry | default .Values.image.registry }}/{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n",
            ),
            // As Bitnami's common library: the failing action reads the images, its message names
            // the switch.
            (
                "templates/NOTES.txt",
                "{{- $img := printf \"%s/%s\" (.Values.global.imageRegistry | default .Values.image.registry) .Values.image.repository }}{{- if and (ne (.Values.global.imageRegistry | default .Values.image.registry) \"docker.io\") (not ((.Values.global).security).allowInsecureImages) }}{{ fail (printf \"Unrecognized images: %s; skip the check by setting 'global.security.allowInsecureImages' to true\" $img) }}{{ end }}\n",
            ),
        ],
    );
    let values = |switch: &str| {
        std::fs::write(
            dir.join("values.yaml"),
            format!("global:\n  imageRegistry: \"\"\n  security:\n    allowInsecureImages: {switch}\nimage:\n  registry: docker.io\n  repository: bitnami/x\n  tag: \"1\"\n"),
        )
        .unwrap();
        run(&args(&[
            "images",
            "--chart",
            &dir.display().to_string(),
            "--mirror",
            "m.example.com",
            "--format",
            "values",
        ]))
    };
    let on = values("false");
    let empty = values("\"\"");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!((on.code, on.stderr.as_str()), (0, ""));
    assert!(
        on.stdout.ends_with(
            "global:\n  # Read first by every image template that has a registry key: 1 of the release's 1 images.\n  imageRegistry: \"m.example.com\"\n  security:\n    # The chart fails the render with images from another registry unless this is true.\n    allowInsecureImages: true\n"
        ),
        "{}",
        on.stdout
    );
    assert_eq!(empty.code, 1);
    assert!(empty.stdout.contains("# INCOMPLETE"), "{}", empty.stdout);
    assert_eq!(
        empty.stderr,
        "warning: (chart defaults): with the mirror overrides Helm would not render the release: `global.security.allowInsecureImages`: the chart fails unless `global.security.allowInsecureImages` is set once its images come from another registry; set it yourself\n"
    );
}

/// An image the user's own values give as an item of a list (`extraContainers`): a values file
/// replaces a list whole, so the plan cannot set the item; it names the user's line and the
/// image to put there (before, it wrote `extraContainers: {0: {image: …}}`, which Helm merges
/// into a table where the chart wants a list, and the render failed).
#[test]
fn an_image_in_a_list_of_the_users_values_is_theirs_to_change() {
    let dir = temp_chart(
        "lst",
        &[
            (
                "values.yaml",
                "image:\n  repository: quay.io/org/main\n  tag: \"1\"\nextraContainers: []\n",
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: main\n      image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n{{- with .Values.extraContainers }}\n{{ toYaml . | indent 4 }}\n{{- end }}\n",
            ),
        ],
    );
    let user = dir.join("user.yaml");
    std::fs::write(
        &user,
        "extraContainers:\n  - name: sleep\n    image: busybox:1.36\n",
    )
    .unwrap();
    let o = user_plan(&dir, &user);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.code, 1, "{}", o.stderr);
    let body = top_level(&o);
    assert_eq!(
        body,
        [
            "image:",
            "  # container main of Pod/p: the template ignores the global registry; the registry is part of this repository (was quay.io/org/main).",
            "  repository: \"m.example.com/org/main\""
        ]
    );
    let user = user.display().to_string();
    assert_eq!(
        o.stderr,
        format!(
            "warning: {user}: `extraContainers.0.image` ({user}:3:5) is an item of a list, which a values file replaces whole, so busybox:1.36 stays off m.example.com; write `m.example.com/busybox:1.36` for `busybox:1.36` there\n"
        )
    );
}

/// Containers written as YAML text the chart renders with `tpl` (Elasticsearch's
/// `extraInitContainers`): the image's bytes are that value's, but the value is far more than
/// the image, so the plan leaves it alone and names the user's line with what to write there.
/// Before, the plan set `extraInitContainers: "m.example.com/busybox"` and Helm 3.17.3 failed to
/// read the manifest (found on stackstate 5.1.15 with the render suite's case 11). Helm renders
/// the plan below to `m.example.com/org/main:1` and, unmoved, `busybox:1.36`.
#[test]
fn an_image_in_text_the_chart_renders_is_theirs_to_change() {
    let dir = temp_chart(
        "txt",
        &[
            (
                "values.yaml",
                "image:\n  repository: quay.io/org/main\n  tag: \"1\"\nextraInitContainers: \"\"\n",
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: main\n      image: \"{{ .Values.image.repository }}:{{ .Values.image.tag }}\"\n  {{- if .Values.extraInitContainers }}\n  initContainers:\n{{ tpl .Values.extraInitContainers . | indent 4 }}\n  {{- end }}\n",
            ),
        ],
    );
    let user = dir.join("user.yaml");
    std::fs::write(
        &user,
        "extraInitContainers: |\n  - name: init\n    image: busybox:1.36\n    command: [\"sh\", \"-c\", \"echo {{ .Release.Name }}\"]\n",
    )
    .unwrap();
    let o = user_plan(&dir, &user);
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.code, 1, "{}", o.stderr);
    let body = uncommented(&o);
    assert_eq!(body, ["image:", "  repository: \"m.example.com/org/main\""]);
    let user = user.display().to_string();
    assert_eq!(
        o.stderr,
        format!(
            "warning: {user}: `extraInitContainers` ({user}:1:1) is text the chart renders with the image inside it, so busybox:1.36 stays off m.example.com; write `m.example.com/busybox` for `busybox` in it\n"
        )
    );
}

/// An image printed through `tpl` of a value names that value's key (its bytes are the value's,
/// parsed as a template), so the plan routes it; and a global registry that also reaches an
/// image whose repository holds its registry (`default .image.registry .global.imageRegistry`
/// before `quay.io/prometheus/pushgateway`, prometheus-community's pushgateway) is not doubled
/// by a repository override in the same round. Helm 3.17.3 renders the plan's values to the
/// plan's destinations.
#[test]
fn tpl_images_are_routed_and_a_global_registry_is_not_doubled() {
    let dir = temp_chart(
        "tplr",
        &[
            (
                "values.yaml",
                "global:\n  imageRegistry: \"\"\nreload:\n  image:\n    repository: quay.io/org/reloader\n    tag: v1\npush:\n  image:\n    registry: \"\"\n    repository: quay.io/prometheus/pushgateway\n    tag: v2\nc:\n  registry: docker.io\n  repository: org/c\n",
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: reload\n      image: \"{{ tpl .Values.reload.image.repository . }}:{{ .Values.reload.image.tag }}\"\n    - name: push\n      {{- $registry := default .Values.push.image.registry (.Values.global).imageRegistry }}\n      image: {{ if $registry }}{{ printf \"%s/%s:%s\" $registry .Values.push.image.repository .Values.push.image.tag }}{{ else }}{{ printf \"%s:%s\" .Values.push.image.repository .Values.push.image.tag }}{{ end }}\n    - name: c\n      image: \"{{ default .Values.c.registry .Values.global.imageRegistry }}/{{ .Values.c.repository }}:1\"\n",
            ),
        ],
    );
    let plan = |format: &str| chart_plan(&dir, format);
    let values = plan("values");
    let table = plan("table");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!((values.code, values.stderr.as_str()), (0, ""));
    let body = uncommented(&values);
    assert_eq!(
        body,
        [
            "global:",
            "  imageRegistry: \"m.example.com\"",
            "reload:",
            "  image:",
            "    repository: \"m.example.com/org/reloader\"",
        ],
        "{}",
        values.stdout
    );
    for line in [
        "quay.io/org/reloader:v1",
        "-> m.example.com/org/reloader:v1",
        "-> m.example.com/quay.io/prometheus/pushgateway:v2",
    ] {
        assert!(table.stdout.contains(line), "{line}: {}", table.stdout);
    }
}

/// `ternary` hands on one of its choices as it is: a choice written in the template is the
/// template's text, not its condition's key (traefik's repository was credited to
/// `hub.hardened`, and the plan set that boolean to a registry, which its schema refused).
#[test]
fn a_ternarys_condition_is_no_source_of_its_result() {
    let dir = temp_chart(
        "tern",
        &[
            ("values.yaml", "b: false\nc: true\nr: org/r\n"),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: x\n      image: docker.io/{{ ternary \"x\" \"traefik\" .Values.b }}:1\n    - name: y\n      image: docker.io/{{ ternary .Values.r \"traefik\" .Values.c }}:1\n",
            ),
        ],
    );
    let o = run(&args(&[
        "images",
        "--chart",
        &dir.display().to_string(),
        "--format",
        "json",
    ]));
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(o.code, 0, "{}", o.stderr);
    let doc: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let keys: Vec<(String, serde_json::Value)> = doc["releases"][0]["images"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            let source = &i["parts"]["repository"]["sources"][0];
            (
                source["text"].as_str().unwrap().to_string(),
                source["key"].clone(),
            )
        })
        .collect();
    assert_eq!(
        keys,
        [
            ("org/r".to_string(), serde_json::json!("r")),
            ("traefik".to_string(), serde_json::Value::Null),
        ]
    );
}

/// A pod named at random on every render (`randAlphaNum`, jenkins' UI test): its image is found
/// again in the release the plan routed by its kind, container and keys, so the plan copies it
/// instead of calling it unrouted (Helm 3.17.3 pulled it from the mirror).
#[test]
fn a_pod_named_at_random_is_found_again_in_the_routed_release() {
    let dir = temp_chart(
        "rnd",
        &[
            (
                "values.yaml",
                "bats:\n  image:\n    registry: docker.io\n    repository: bats/bats\n    tag: 1.14.0\n",
            ),
            (
                "templates/test.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"ui-test-{{ randAlphaNum 5 | lower }}\"\nspec:\n  containers:\n    - name: test-framework\n      image: \"{{ .Values.bats.image.registry }}/{{ .Values.bats.image.repository }}:{{ .Values.bats.image.tag }}\"\n",
            ),
        ],
    );
    let o = chart_plan(&dir, "json");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let doc: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let copy = &doc["releases"][0]["copies"][0];
    assert_eq!(copy["status"], "copy", "{copy}");
    assert_eq!(copy["destination"], "m.example.com/bats/bats:1.14.0");
}

/// Two containers of one name in a pod (a chart's sidecar list beside its own container, as
/// stackstate-k8s 1.11 with a newer clickhouse subchart renders `backup` twice): each image's
/// copy goes to its own destination, found by its keys (before, both went to the first's, and
/// Helm 3.17.3 pulled `m.example.com/org/side:1` which the plan never copied).
#[test]
fn two_containers_of_one_name_keep_their_own_destinations() {
    let dir = temp_chart(
        "twin",
        &[
            (
                "values.yaml",
                "global:\n  imageRegistry: \"\"\nown:\n  repository: org/own\n  tag: \"2\"\nside:\n  repository: org/side\n  tag: \"1\"\n",
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: backup\n      image: \"{{ .Values.global.imageRegistry | default \"quay.io\" }}/{{ .Values.side.repository }}:{{ .Values.side.tag }}\"\n    - name: backup\n      image: \"{{ .Values.global.imageRegistry | default \"quay.io\" }}/{{ .Values.own.repository }}:{{ .Values.own.tag }}\"\n",
            ),
        ],
    );
    let o = chart_plan(&dir, "json");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let doc: serde_json::Value = serde_json::from_str(&o.stdout).unwrap();
    let copies: Vec<(&str, &str)> = doc["releases"][0]["copies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["source"].as_str().unwrap(),
                c["destination"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        copies,
        [
            ("quay.io/org/own:2", "m.example.com/org/own:2"),
            ("quay.io/org/side:1", "m.example.com/org/side:1"),
        ]
    );
}

/// A registry the template writes as a default after a registry key it found empty
/// (`.Values.registry | default "registry.datadoghq.com"`, DataDog's chart): the plan sets
/// that key (before, the image was "the template's own text" and stayed; Helm 3.17.3 pulls
/// `m.example.com/cluster-agent:7.81.1` with DataDog 3.240.0 and the plan).
#[test]
fn a_registry_key_the_template_found_empty_routes_its_default() {
    let dir = temp_chart(
        "dd",
        &[
            ("values.yaml", "registry: \"\"\n"),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: agent\n      image: \"{{ .Values.registry | default \"registry.datadoghq.com\" }}/cluster-agent:7.81.1\"\n",
            ),
        ],
    );
    let o = chart_plan(&dir, "values");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!((o.code, o.stderr.as_str()), (0, ""));
    let body = uncommented(&o);
    assert_eq!(body, ["registry: \"m.example.com\""], "{}", o.stdout);
}

/// A key that holds the whole reference (`image: docker.io/library/nginx:1.25`, a digest too):
/// the plan moves its registry and keeps the rest, tag and digest (it wrote
/// `image: "m.example.com/library/nginx"`, and Helm 3.17.3 then pulled `latest`); the copy goes
/// to the tagged destination, which is what Helm renders with the plan.
#[test]
fn a_key_holding_the_whole_reference_keeps_its_tag_and_digest() {
    let digest = "sha256:0123456789012345678901234567890123456789012345678901234567890123";
    let dir = temp_chart(
        "whole",
        &[
            (
                "values.yaml",
                &format!(
                    "image: docker.io/library/nginx:1.25\nproxy: ghcr.io/org/proxy:2.0@{digest}\n"
                ),
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: web\n      image: {{ .Values.image }}\n    - name: proxy\n      image: {{ .Values.proxy | quote }}\n",
            ),
        ],
    );
    let values = chart_plan(&dir, "values");
    let json = chart_plan(&dir, "json");
    let script = chart_plan(&dir, "script");
    let mut crane_args = args(&["images", "--chart"]);
    crane_args.push(dir.display().to_string());
    crane_args.extend(args(&[
        "--mirror",
        "m.example.com",
        "--format",
        "script",
        "--tool",
        "crane",
    ]));
    let crane = run(&crane_args);
    std::fs::remove_dir_all(&dir).ok();
    // skopeo takes no reference with both a tag and a digest: the source is named by its digest,
    // the copy by its tag; every platform is copied and the digest kept, so the release's
    // `name:tag@digest` pulls from the mirror. crane reads both and copies the same way.
    assert!(
        script.stdout.contains(&format!(
            "\nskopeo copy --all --preserve-digests 'docker://ghcr.io/org/proxy@{digest}' 'docker://m.example.com/org/proxy:2.0'\n"
        )),
        "{}",
        script.stdout
    );
    assert!(
        script.stdout.contains(
            "\nskopeo copy --all 'docker://docker.io/library/nginx:1.25' 'docker://m.example.com/library/nginx:1.25'\n"
        ),
        "{}",
        script.stdout
    );
    assert!(
        crane.stdout.contains(&format!(
            "\ncrane copy 'ghcr.io/org/proxy:2.0@{digest}' 'm.example.com/org/proxy:2.0'\n"
        )),
        "{}",
        crane.stdout
    );
    assert_eq!((values.code, values.stderr.as_str()), (0, ""));
    let body = top_level(&values);
    let proxy = format!("proxy: \"m.example.com/org/proxy:2.0@{digest}\"");
    assert_eq!(
        body,
        ["image: \"m.example.com/library/nginx:1.25\"", &proxy],
        "{}",
        values.stdout
    );
    assert!(
        values
            .stdout
            .contains("the registry is part of this repository (was docker.io/library/nginx:1.25)"),
        "{}",
        values.stdout
    );
    assert!(
        json.stdout
            .contains("\"destination\": \"m.example.com/library/nginx:1.25\""),
        "{}",
        json.stdout
    );
}

/// A registry key that holds a path too (`registry: quay.io/org`): the mirror takes the host's
/// place and the path stays, as every destination keeps its path (the plan set the key to the
/// mirror alone, and `quay.io/org/app` and `quay.io/other/app` would have met in one
/// repository).
#[test]
fn a_registry_key_holding_a_path_keeps_it_under_the_mirror() {
    let dir = temp_chart(
        "regpath",
        &[
            (
                "values.yaml",
                "registry: quay.io/org\nrepo: app\ntag: \"1\"\n",
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: \"{{ .Values.registry }}/{{ .Values.repo }}:{{ .Values.tag }}\"\n",
            ),
        ],
    );
    let values = chart_plan(&dir, "values");
    let json = chart_plan(&dir, "json");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!((values.code, values.stderr.as_str()), (0, ""));
    let body = top_level(&values);
    assert_eq!(
        body,
        ["registry: \"m.example.com/org\""],
        "{}",
        values.stdout
    );
    assert!(
        json.stdout
            .contains("\"destination\": \"m.example.com/org/app:1\""),
        "{}",
        json.stdout
    );
}

/// Two images that differ only in their registry meet in one mirror repository: the script says
/// so where the second copy would replace the first.
#[test]
fn a_script_says_where_two_images_meet_in_one_destination() {
    let dir = temp_chart(
        "meet",
        &[
            (
                "values.yaml",
                "a: quay.io/org/app:1\nb: registry.example.com/org/app:1\n",
            ),
            (
                "templates/pod.yaml",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: a\n      image: {{ .Values.a }}\n    - name: b\n      image: {{ .Values.b }}\n",
            ),
        ],
    );
    let script = chart_plan(&dir, "script");
    std::fs::remove_dir_all(&dir).ok();
    assert_eq!(script.code, 0, "{}", script.stderr);
    let lines: Vec<&str> = script.stdout.lines().collect();
    let note = lines
        .iter()
        .position(|l| {
            l.starts_with(
                "# NOTE: m.example.com/org/app:1 is also the copy of quay.io/org/app:1 above",
            )
        })
        .unwrap_or_else(|| panic!("{}", script.stdout));
    assert_eq!(
        lines[note + 1],
        "skopeo copy --all 'docker://registry.example.com/org/app:1' 'docker://m.example.com/org/app:1'"
    );
}

/// The global key's comment counts the images it reaches in the release resolved with the plan
/// (audit 47: suse-observability 2.10.3 said 22 of 43, though Helm moves every image with it;
/// the first pass credited the chart default those templates read after the global key).
#[test]
fn the_global_keys_comment_counts_what_it_reaches_once_routed() {
    let dir = std::env::temp_dir().join(format!("sl-mirror-count-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let values = dir.join("values.yaml");
    std::fs::write(
        &values,
        "global:\n  suseObservability:\n    license: L\n    baseUrl: https://so.example.org\n    adminPassword: changeme-very-long\n",
    )
    .unwrap();
    let o = run(&args(&[
        "images",
        "--chart-version",
        "suse-observability@2.10.3",
        "--mirror",
        "reg.example",
        "--format",
        "values",
        values.to_str().unwrap(),
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    let comment = o
        .stdout
        .lines()
        .find(|l| l.contains("Read first by every image template"))
        .expect("the global key's comment");
    let counts: Vec<usize> = comment
        .split(|c: char| !c.is_ascii_digit())
        .filter_map(|n| n.parse().ok())
        .collect();
    assert!(
        counts.len() == 2 && counts[0] == counts[1] && counts[0] > 30,
        "{comment}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// The render suite's complete private mirror (2.10.3) makes its pull secret with the
/// pull-secret subchart for `mirror.corp.example`. Mirrored elsewhere, every image moves and the
/// secret does not: the plan says so, names the key and says the list is left alone; the
/// values carry it as a comment and the JSON as `stale_pull_secrets`. Where the release makes
/// no secret its pods use (their secret is made beforehand), a note says it must hold the
/// mirror's credentials.
#[test]
fn a_pull_secret_left_on_the_old_registry_is_named() {
    let case = root().join("../shared/render/cases/c/06-private-mirror.yaml");
    let case = case.to_str().unwrap();
    let plan = |format: &str| {
        run(&args(&[
            "images",
            "--chart-version",
            "suse-observability@2.10.3",
            "--mirror",
            "registry.mirror.example:5000/sts",
            "--format",
            format,
            case,
        ]))
    };
    let table = plan("table");
    assert_eq!(table.code, 0, "{}", table.stderr);
    let warning = table
        .stderr
        .lines()
        .find(|l| l.contains("pull secret"))
        .unwrap_or_else(|| panic!("no pull-secret warning:\n{}", table.stderr));
    assert!(
        warning.starts_with("warning: ")
            && warning.contains(
                "`suse-observability-pull-secret` holds credentials for `mirror.corp.example` only"
            )
            && warning
                .contains("pull from registry.mirror.example:5000, which it does not authenticate")
            && warning.contains("`pull-secret.credentials.0.registry` (")
            && warning.contains("06-private-mirror.yaml:27:7)")
            && warning.contains("`pull-secret.credentials` is a list"),
        "{warning}"
    );
    let values = plan("values");
    let comment: String = values
        .stdout
        .lines()
        .skip_while(|l| !l.starts_with("# PULL SECRET:"))
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        comment.contains("`suse-observability-pull-secret`")
            && comment.contains("`pull-secret.credentials.0.registry`")
            && comment
                .lines()
                .all(|l| l.starts_with("# ") && l.len() <= 102),
        "{}",
        values.stdout
    );
    let json: serde_json::Value = serde_json::from_str(&plan("json").stdout).unwrap();
    let stale = &json["releases"][0]["stale_pull_secrets"];
    assert_eq!(stale[0]["secret"], "suse-observability-pull-secret");
    assert_eq!(
        stale[0]["registries"],
        serde_json::json!(["mirror.corp.example"])
    );
    assert_eq!(
        stale[0]["keys"],
        serde_json::json!(["pull-secret.credentials.0.registry"])
    );
    // Mirrored to the registry it already names, the secret serves every image.
    let same = run(&args(&[
        "images",
        "--chart-version",
        "suse-observability@2.10.3",
        "--mirror",
        "mirror.corp.example",
        case,
    ]));
    assert!(!same.stderr.contains("pull secret"), "{}", same.stderr);

    let dir = std::env::temp_dir().join(format!("sl-mirror-secret-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let own = dir.join("values.yaml");
    std::fs::write(
        &own,
        "global:\n  imagePullSecrets:\n    - corp-pull\n  suseObservability:\n    license: L\n    baseUrl: https://so.example.org\n    adminPassword: changeme-very-long\n",
    )
    .unwrap();
    let o = run(&args(&[
        "images",
        "--chart-version",
        "suse-observability@2.10.3",
        "--mirror",
        "reg.example",
        own.to_str().unwrap(),
    ]));
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stderr.contains(
            "the pods use the pull secret `corp-pull`, which the release does not make: it must \
             hold credentials for reg.example"
        ),
        "{}",
        o.stderr
    );
    let _ = std::fs::remove_dir_all(&dir);
}
