//! The built-in charts end to end: named `chart@version` (a bare version is the stackstate
//! chart), pinned by the config, picked for the values' keys when nothing names one, an unknown
//! version refused with the nearest built-in one and the exact `helm pull`; `render` and
//! `images` on them without `--chart`, compared with what Helm printed (`../shared/render`).

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::bin::{Opts, Run, Scratch, run, run_with, s};

fn shared(rel: &str) -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../shared")
        .join(rel);
    if p.exists() {
        Some(p)
    } else {
        eprintln!("skipped: {} is not there", p.display());
        None
    }
}

/// The distinct images Helm's render of an expectation pulls (`images.tsv`, first column).
fn helm_images(expectation: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(expectation.join("images.tsv"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|i| !i.is_empty())
        .map(String::from)
        .collect()
}

fn lines(r: &Run) -> BTreeSet<String> {
    r.stdout.lines().map(String::from).collect()
}

#[test]
fn a_chart_is_named_with_its_version_and_a_bare_version_is_stackstate() {
    // The four values the chart requires (Helm fails without them, so does `images`).
    let required = "stackstate.baseUrl=http://x,stackstate.license.key=k,stackstate.admin.authentication.password=p,stackstate.authentication.adminPassword=p";
    let a = run(&[
        "images",
        "--chart-version",
        "4.4.0",
        "--format",
        "json",
        "--set",
        required,
    ]);
    let b = run(&[
        "images",
        "--chart-version",
        "stackstate@4.4.0",
        "--format",
        "json",
        "--set",
        required,
    ]);
    assert_eq!(a.code, 0, "{}", a.stderr);
    // The same release (job names carry the render's time, so compare the images).
    let distinct = |r: &Run| {
        let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
        v["releases"][0]["distinct"].clone()
    };
    assert_eq!(distinct(&a), distinct(&b));
    assert!(distinct(&a).as_array().is_some_and(|d| d.len() >= 21));
    assert!(
        a.stdout.contains("\"stackstate 4.4.0 (built-in)\""),
        "{}",
        a.stdout
    );
    assert!(!a.stderr.contains("picked"), "{}", a.stderr);
}

#[test]
fn images_of_a_chart_the_model_does_not_know_are_rendered() {
    // stackstate-k8s 1.12.1 with the minimal values of its family: exactly the images Helm's
    // render pulls.
    let (Some(case), Some(exp)) = (
        shared("render/cases/b/01-minimal.yaml"),
        shared("render/expected/stackstate-k8s-1.12.1/01-minimal"),
    ) else {
        return;
    };
    let r = run(&[
        "images",
        "--chart-version",
        "stackstate-k8s@1.12.1",
        "--format",
        "plain",
        "--set",
        "anomaly-detection.enabled=false",
        s(&case),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(lines(&r), helm_images(&exp));
    // The same with --render said outright.
    let rendered = run(&[
        "images",
        "--render",
        "--chart-version",
        "stackstate-k8s@1.12.1",
        "--format",
        "plain",
        "--set",
        "anomaly-detection.enabled=false",
        s(&case),
    ]);
    assert_eq!(rendered.stdout, r.stdout);
}

#[test]
fn images_of_suse_observability_are_helms() {
    // suse-observability 2.10.3 renders its real anomaly-detection subchart: nothing disabled.
    // (`render` itself is compared with Helm's manifests in tests/render_builtin.rs.)
    let (Some(case), Some(exp)) = (
        shared("render/cases/c/06-private-mirror.yaml"),
        shared("render/expected/suse-observability-2.10.3/06-private-mirror"),
    ) else {
        return;
    };
    // `images` without --render: the model does not know this chart, so it is rendered.
    let images = run(&[
        "images",
        "--chart-version",
        "suse-observability@2.10.3",
        "--format",
        "plain",
        s(&case),
    ]);
    assert_eq!(images.code, 0, "{}", images.stderr);
    assert_eq!(lines(&images), helm_images(&exp));
}

#[test]
fn an_unknown_version_names_the_nearest_and_the_helm_pull() {
    let r = run(&["render", "--chart-version", "suse-observability@2.10.2"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert_eq!(
        r.stderr,
        "error: --chart-version: `suse-observability@2.10.2` is not built in; the nearest built-in \
         version is suse-observability@2.10.3; for exactly this chart: `helm pull suse-observability \
         --repo https://charts.rancher.com/server-charts/prime/suse-observability --version 2.10.2`, \
         then --chart suse-observability-2.10.2.tgz\n"
    );
    let r = run(&["images", "--chart-version", "4.4.1", "--format", "plain"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(
            "nearest built-in version is stackstate@4.4.0; for exactly this chart: \
             `helm pull stackstate --repo https://helm.stackstate.io --version 4.4.1`"
        ),
        "{}",
        r.stderr
    );
    let r = run(&["--chart-version", "suse-observabilty@2.10.3", "x.yaml"]);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("did you mean suse-observability@2.10.3?"),
        "{}",
        r.stderr
    );
}

#[test]
fn the_config_pins_the_chart() {
    let dir = Scratch::new("config-pins-chart");
    dir.file(".git/HEAD", "ref: refs/heads/main\n");
    dir.file(".stackstate-lint.yaml", "chart: stackstate-k8s@1.12.1\n");
    let values = dir.file(
        "values.yaml",
        "stackstate:\n  baseUrl: http://x\n  license:\n    key: k\n  admin:\n    authentication:\n      password: p\n  authentication:\n    adminPassword: p\nanomaly-detection:\n  enabled: false\n",
    );
    let opts = Opts {
        dir: Some(&dir.0),
        ..Opts::default()
    };
    let r = run_with(&["images", "--format", "json", s(&values)], &opts);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stdout.contains("stackstate-k8s 1.12.1 (built-in)"),
        "{}",
        r.stdout
    );
    assert!(!r.stderr.contains("picked"), "{}", r.stderr);
    // Lint keeps it too.
    let r = run_with(&["--format", "json", s(&values)], &opts);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("picked"), "{}", r.stderr);
    // --chart-version wins over the config.
    let r = run_with(
        &[
            "images",
            "--chart-version",
            "4.4.0",
            "--format",
            "json",
            s(&values),
        ],
        &opts,
    );
    assert!(
        r.stdout.contains("stackstate 4.4.0 (built-in)"),
        "{}",
        r.stdout
    );
    // A chart that is not built in is an error at its line.
    dir.file(
        ".stackstate-lint.yaml",
        "# pinned\nchart: stackstate-k8s@1.12.0\n",
    );
    let r = run_with(&["images", "--format", "plain", s(&values)], &opts);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains(".stackstate-lint.yaml:2:8: `stackstate-k8s@1.12.0` is not built in; the nearest built-in version is stackstate-k8s@1.12.1"),
        "{}",
        r.stderr
    );
}

#[test]
fn without_a_name_the_chart_the_values_fit_is_picked() {
    // The SUSE Observability documentation's global-mode values: suse-observability.
    let (Some(suse), Some(exp)) = (
        shared("render/cases/c/22-docs-global-mode.yaml"),
        shared("render/expected/suse-observability-2.10.3/22-docs-global-mode"),
    ) else {
        return;
    };
    let r = run(&["images", "--format", "plain", s(&suse)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    let note = r
        .stderr
        .lines()
        .find(|l| l.contains("picked"))
        .unwrap_or_default();
    assert!(
        note.starts_with("note: chart suse-observability@2.10.3, picked: 4 of the 4 keys set are keys of this chart (100%; stackstate@5.1.15 0%, stackstate-k8s@1.12.1 0%)"),
        "{}",
        r.stderr
    );
    assert_eq!(lines(&r), helm_images(&exp));

    // The StackState 4.x LDAP example of the docs: stackstate, its newest built-in version.
    let Some(ldap) = shared("render/cases/a/23-docs-ldap.yaml") else {
        return;
    };
    let r = run(&["images", "--format", "plain", s(&ldap)]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("note: chart stackstate@5.1.15, picked: 16 of the 16 keys set"),
        "{}",
        r.stderr
    );
    let r = run(&[
        "render",
        "-f",
        s(&ldap),
        "--set",
        "anomaly-detection.enabled=false",
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr
            .starts_with("note: chart stackstate@5.1.15, picked:"),
        "{}",
        r.stderr
    );
    assert!(
        r.stdout.contains("# Source: stackstate/templates/"),
        "{}",
        r.stdout
    );
}

/// `render CHART` with a built-in chart's name (not a path) renders that chart, as `helm
/// template` takes a lone argument for the chart: the README's `render stackstate -f
/// values.yaml`. A lone argument that is neither says how to name a built-in chart's release.
#[test]
fn render_takes_a_built_in_chart_by_name() {
    let dir = Scratch::new("render-by-name");
    let values = dir.file(
        "values.yaml",
        "stackstate:\n  license: {key: LIC}\n  baseUrl: https://x.example\n  receiver: {baseUrl: https://x.example/r}\n  admin: {authentication: {password: 5f4dcc3b5aa765d61d8327deb882cf99}}\n  authentication: {adminPassword: 5f4dcc3b5aa765d61d8327deb882cf99}\nanomaly-detection: {enabled: false}\n",
    );
    let by_name = run(&["render", "stackstate@5.1.15", "-f", s(&values)]);
    assert_eq!(by_name.code, 0, "{}", by_name.stderr);
    let by_flag = run(&[
        "render",
        "--chart-version",
        "stackstate@5.1.15",
        "-f",
        s(&values),
    ]);
    assert_eq!(by_flag.code, 0, "{}", by_flag.stderr);
    // The same manifests but for the random fields (secrets, checksums of them).
    let stable = |t: &str| t.lines().filter(|l| l.starts_with("# Source:")).count();
    assert!(stable(&by_name.stdout) > 20);
    assert_eq!(stable(&by_name.stdout), stable(&by_flag.stdout));
    let bare = run(&["render", "stackstate", "-f", s(&values)]);
    assert_eq!(bare.code, 0, "{}", bare.stderr);
    let neither = run(&["render", "myrelease", "-f", s(&values)]);
    assert_eq!(neither.code, 2);
    assert!(
        neither.stderr.contains(
            "myrelease: no such file, and no built-in chart of that name: a lone argument is the chart"
        ),
        "{}",
        neither.stderr
    );
}
