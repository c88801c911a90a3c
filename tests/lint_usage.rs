//! Lint asks the render (with a real chart): unused keys (SL201, SL202, SL206) and why Helm fails
//! (SL105, SL203), for real values files and the real charts of `../shared/charts-src`. Every
//! unused key expected was checked against the manifests real Helm rendered
//! (`../shared/render/expected`): the keys reported are absent from them, the keys not reported are
//! present; every failure is the one `helm template` prints for the same input (its innermost
//! part). Skipped without `../shared`.

mod common;

use std::path::{Path, PathBuf};

use common::bin::{self, Scratch};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.join("charts-src").is_dir().then_some(p)
}

/// The SL2xx lines of a compact lint of `file` against `chart` (after `extra` arguments).
fn key_findings(chart: &Path, extra: &[&str], file: &Path) -> Vec<String> {
    let mut args = vec!["--chart", chart.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend(["--format", "compact", file.to_str().unwrap()]);
    let run = bin::run(&args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.stdout
        .lines()
        .filter(|l| l.contains("[SL20") || l.contains("[SL105]"))
        .map(|l| l.replace(file.to_str().unwrap(), "FILE"))
        .collect()
}

#[test]
fn a_documented_oidc_claim_the_chart_never_renders() {
    let Some(s) = shared() else { return };
    let found = key_findings(
        &s.join("charts-src/suse-observability-2.0.1.tgz"),
        &["--set", "anomaly-detection.enabled=false"],
        &s.join("render/cases/b/21-docs-oidc.yaml"),
    );
    // Helm renders usernameField and groupsField into the server config, not displayNameField.
    assert_eq!(
        found,
        [
            "FILE:15:9: warning[SL201] no template of suse-observability 2.0.1 reads `stackstate.authentication.oidc.jwtClaims.displayNameField` with these values: it has no effect"
        ]
    );
}

#[test]
fn the_documented_non_ha_values_set_a_key_elasticsearch_7_ignores() {
    let Some(s) = shared() else { return };
    let found = key_findings(
        &s.join("charts-src/stackstate-4.4.0.tgz"),
        &["--set", "anomaly-detection.enabled=false"],
        &s.join("render/cases/a/15-docs-non-ha.yaml"),
    );
    assert_eq!(
        found,
        [
            "FILE:9:3: warning[SL201] no template of stackstate 4.4.0 reads `elasticsearch.minimumMasterNodes` with these values: it has no effect"
        ]
    );
}

#[test]
fn sizing_values_of_a_newer_chart_on_an_older_one() {
    let Some(s) = shared() else { return };
    let found = key_findings(
        &s.join("charts-src/suse-observability-2.0.1.tgz"),
        &["--set", "anomaly-detection.enabled=false"],
        &s.join("render/cases/b/14-sizing-10-nonha.yaml"),
    );
    // 2.0.1 has no `stackstate.features` (its split switch is `stackstate.experimental`), so the
    // server stays split and `stackstate.components.server` configures nothing.
    assert_eq!(
        found,
        [
            "FILE:13:3: warning[SL202] `stackstate.apiKey` is not a key of chart suse-observability 2.0.1: no template reads it, Helm ignores it",
            "FILE:17:3: warning[SL202] `stackstate.features` is not a key of chart suse-observability 2.0.1: no template reads it, Helm ignores it",
            "FILE:21:5: warning[SL201] no template of suse-observability 2.0.1 reads `stackstate.components.server` with these values: it has no effect",
            "FILE:79:3: info[SL206] `clickhouse.replicaCount` configures the clickhouse subchart, which this release does not deploy: the clickhouse subchart is off (`clickhouse.enabled` is false)",
            "FILE:80:3: info[SL206] `clickhouse.persistence` configures the clickhouse subchart, which this release does not deploy: the clickhouse subchart is off (`clickhouse.enabled` is false)",
            "FILE:91:3: warning[SL201] no template of suse-observability 2.0.1 reads `elasticsearch.minimumMasterNodes` with these values: it has no effect",
            "FILE:154:5: warning[SL201] no template of suse-observability 2.0.1 reads `victoria-metrics-0.backup.vmbackup` with these values: it has no effect",
            "FILE:162:3: info[SL206] `victoria-metrics-1.server` configures the victoria-metrics-1 subchart, which this release does not deploy: the victoria-metrics-1 subchart is off (`victoria-metrics-1.enabled` is false)",
        ]
    );
}

#[test]
fn every_reason_a_key_has_no_effect() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("every_reason_a_key_has_no_effect");
    let file = dir.file(
        "values.yaml",
        "stackstate:\n  baseUrl: http://a.example.com\n  license:\n    key: k\n  admin:\n    authentication:\n      password: p\n  authentication:\n    adminPassword: p\n  components:\n    server:\n      config: x\n    api:\n      replicaCount: 2\n      replicaCont: 2\n  nonsense: 1\nglobal:\n  unusedThing: 2\nzookeeper:\n  enabled: false\n  image:\n    tag: \"1\"\n",
    );
    let found = key_findings(
        &s.join("charts-src/stackstate-4.4.0.tgz"),
        &[
            "--set",
            "anomaly-detection.enabled=false",
            "--set",
            "stackstate.baseUrl=http://b.example.com",
        ],
        &file,
    );
    assert_eq!(
        found,
        [
            "FILE:2:3: warning[SL201] `stackstate.baseUrl` is set again by --set #2, which Helm uses: this value has no effect",
            "FILE:11:5: warning[SL201] no template of stackstate 4.4.0 reads `stackstate.components.server` with these values: it has no effect",
            // The api Deployment has `replicas: 1` written in 4.4.0: nothing reads a count.
            "FILE:14:7: warning[SL202] `stackstate.components.api.replicaCount` is not a key of chart stackstate 4.4.0: no template reads it, Helm ignores it",
            "FILE:15:7: warning[SL202] `stackstate.components.api.replicaCont` is not a key of chart stackstate 4.4.0: no template reads it, Helm ignores it",
            "FILE:16:3: warning[SL202] `stackstate.nonsense` is not a key of chart stackstate 4.4.0: no template reads it, Helm ignores it",
            "FILE:18:3: warning[SL202] `global.unusedThing` is not a key of chart stackstate 4.4.0: no template reads it, Helm ignores it",
            "FILE:21:3: info[SL206] `zookeeper.image` configures the zookeeper subchart, which this release does not deploy: the zookeeper subchart is off (`zookeeper.enabled` is false)",
        ]
    );
}

const REQUIRED_44: &str = "stackstate:\n  baseUrl: http://a\n  admin:\n    authentication:\n      password: p\n  authentication:\n    adminPassword: p\n";

#[test]
fn a_null_that_breaks_the_render_is_blamed_where_it_was_written() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("a_null_that_breaks_the_render");
    let file = dir.file(
        "values.yaml",
        "stackstate:\n  baseUrl: http://a\n  license:\n    key: k\n  authentication:\n    adminPassword: p\n  components:\n    all:\n      image: null\n",
    );
    let found = key_findings(
        &s.join("charts-src/suse-observability-2.10.3.tgz"),
        &[],
        &file,
    );
    assert_eq!(
        found,
        [
            "FILE:9:7: error[SL203] `stackstate.components.all.image` is null: it deletes the chart default (a map); Helm cannot render the release: template: suse-observability/charts/common/templates/_images.tpl:47:16: executing \"common.image.registry\" at <.image.registry>: nil pointer evaluating interface {}.registry"
        ]
    );
}

#[test]
fn a_required_value_left_null_or_out_is_blamed_on_its_key() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("a_required_value_left_null");
    let chart = s.join("charts-src/stackstate-4.4.0.tgz");
    let helm_error = "Helm cannot render this release: template: stackstate/templates/secret-license-key.yaml:5:55: executing \"stackstate.license.secret\" at <b64enc>: invalid value; expected string";
    let null = dir.file(
        "null.yaml",
        format!("{REQUIRED_44}  license:\n    key: null\n"),
    );
    let found = key_findings(&chart, &["--set", "anomaly-detection.enabled=false"], &null);
    assert_eq!(found, [format!("FILE:9:5: error[SL105] {helm_error}")]);
    // Not written at all: passed at install time, most likely; checked with a stand-in and said.
    let out = dir.file("out.yaml", REQUIRED_44);
    let found = key_findings(&chart, &["--set", "anomaly-detection.enabled=false"], &out);
    assert!(found.is_empty(), "{found:?}");
    let run = bin::run(&[
        "--chart",
        chart.to_str().unwrap(),
        "--set",
        "anomaly-detection.enabled=false",
        "--format",
        "compact",
        out.to_str().unwrap(),
    ]);
    assert!(
        run.stderr.contains("the chart requires `stackstate.license.key` and these values do not set it; checked with a stand-in"),
        "{}",
        run.stderr
    );
}

#[test]
fn no_render_failure_the_model_predicts_when_helm_renders() {
    let Some(s) = shared() else { return };
    // The 4.x image model predicts failures for suse-observability's templates; Helm renders them.
    let found = key_findings(
        &s.join("charts-src/suse-observability-2.10.3.tgz"),
        &[],
        &s.join("render/cases/c/01-minimal.yaml"),
    );
    assert_eq!(found, Vec::<String>::new());
}

#[test]
fn a_null_printed_into_a_manifest_is_blamed_on_the_null() {
    let Some(s) = shared() else { return };
    let c = s.join("conformance");
    let found = key_findings(
        &s.join("charts-src/stackstate-4.4.0.tgz"),
        &[
            "-f",
            c.join("base-values.yaml").to_str().unwrap(),
            "--set",
            "anomaly-detection.enabled=false",
        ],
        &c.join("cases/28-null-hbase-stackgraph-tag.yaml"),
    );
    // Helm: the null prints nothing, and `image: quay.io/stackstate/hbase-master:` fails to parse.
    assert_eq!(
        found,
        [
            "FILE:6:7: error[SL203] `hbase.stackgraph.image.tag` is null: it deletes the chart default `4.1.8`; Helm cannot render the release: YAML parse error on stackstate/charts/hbase/templates/console-deployment.yaml: error converting YAML to JSON: yaml: line 42: mapping values are not allowed in this context"
        ]
    );
}

#[test]
fn the_condition_that_switched_a_subchart_off_is_named() {
    // Helm 3.17.3 checked: the first path of `condition:` is not in the values, the second is a
    // boolean and decides (the subchart does not render).
    let dir = Scratch::new("the_condition_that_switched_a_subchart_off");
    dir.file(
        "qc/Chart.yaml",
        "apiVersion: v2\nname: qc\nversion: 0.1.0\ndependencies:\n  - name: sub\n    version: 0.1.0\n    condition: missing.enabled,sub.deploy\n",
    );
    dir.file("qc/values.yaml", "sub:\n  deploy: true\n  image: x\n");
    dir.file("qc/templates/a.yaml", "a: {{ .Values.sub.deploy }}\n");
    dir.file(
        "qc/charts/sub/Chart.yaml",
        "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
    );
    dir.file("qc/charts/sub/values.yaml", "image: y\n");
    dir.file("qc/charts/sub/templates/b.yaml", "b: {{ .Values.image }}\n");
    let file = dir.file("v.yaml", "sub:\n  deploy: false\n  image: z\n");
    let found = key_findings(&dir.path("qc"), &[], &file);
    assert_eq!(
        found,
        [
            "FILE:3:3: info[SL206] `sub.image` configures the sub subchart, which this release does not deploy: the sub subchart is off (`sub.deploy` is false)"
        ]
    );
}

/// Values that several templates require and the file leaves out all stand in (one render finds
/// them all: each file is rendered for its own failure). What stands in, and the failure
/// reported when the stand-ins do not cure it, are those of trying one key at a time (checked
/// against the build before, which did).
#[test]
fn values_several_templates_require_all_stand_in() {
    let dir = Scratch::new("values_several_templates_require");
    dir.file(
        "rq/Chart.yaml",
        "apiVersion: v2\nname: rq\nversion: 0.1.0\n",
    );
    dir.file(
        "rq/values.yaml",
        "first:\n  key: null\nsecond:\n  url: \"\"\nimage: registry.example.com/app:1.0\n",
    );
    dir.file(
        "rq/templates/a.yaml",
        "a: {{ .Values.first.key | b64enc }}\n",
    );
    dir.file(
        "rq/templates/b.yaml",
        "{{- if not .Values.second.url }}{{ fail \"Helm value 'second.url' is required\" }}{{ end }}\nb: {{ .Values.second.url }}\n",
    );
    dir.file(
        "rq/templates/c.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: c\nspec:\n  containers:\n    - name: c\n      image: {{ .Values.image }}\n",
    );
    let file = dir.file("v.yaml", "image: registry.example.com/app:1.1\n");
    let lint = |dir: &Scratch| {
        bin::run(&[
            "--no-config",
            "--chart",
            dir.path("rq").to_str().unwrap(),
            "--format",
            "compact",
            file.to_str().unwrap(),
        ])
    };
    let note = |keys: &str| {
        format!(
            "note: {}: the chart requires {keys} and these values do not set them; checked with a stand-in",
            file.display()
        )
    };
    // Helm renders b.yaml before a.yaml (reverse order of names).
    let r = lint(&dir);
    assert_eq!((r.code, r.stdout.as_str()), (0, ""), "{}", r.stderr);
    assert!(
        r.stderr.contains(&note("`second.url`, `first.key`")),
        "{}",
        r.stderr
    );
    let r = bin::run(&[
        "images",
        "--chart",
        dir.path("rq").to_str().unwrap(),
        file.to_str().unwrap(),
    ]);
    assert_eq!(r.stdout, "registry.example.com/app:1.1\n", "{}", r.stderr);
    // A stand-in that leads to another failure: that failure, after both keys.
    dir.file(
        "rq/templates/0z.yaml",
        "z: {{ .Values.first.key | b64enc }}\n{{- if .Values.first.key }}{{ fail \"first.key: bad\" }}{{ end }}\n",
    );
    let r = lint(&dir);
    assert_eq!(r.code, 1, "{}", r.stderr);
    assert_eq!(
        r.stdout.replace(file.to_str().unwrap(), "FILE"),
        "FILE:1:1: error[SL105] Helm cannot render this release: execution error at (rq/templates/0z.yaml:2:30): first.key: bad\n"
    );
    assert!(
        r.stderr.contains(&note("`second.url`, `first.key`")),
        "{}",
        r.stderr
    );
    // A stand-in on which its own template fails otherwise: that failure, and only the keys
    // reached before it (one key at a time never reaches `first.key`).
    std::fs::remove_file(dir.path("rq/templates/0z.yaml")).unwrap();
    dir.file(
        "rq/templates/b.yaml",
        "{{- if .Values.second.url }}{{ fail \"second.url: no such service\" }}{{ else }}{{ fail \"Helm value 'second.url' is required\" }}{{ end }}\n",
    );
    let r = lint(&dir);
    assert_eq!(
        r.stdout.replace(file.to_str().unwrap(), "FILE"),
        "FILE:1:1: error[SL105] Helm cannot render this release: execution error at (rq/templates/b.yaml:1:31): second.url: no such service\n"
    );
    assert!(
        r.stderr.contains(&format!(
            "note: {}: the chart requires `second.url` and these values do not set it",
            file.display()
        )),
        "{}",
        r.stderr
    );
}

#[test]
fn one_render_failure_does_not_hide_the_others_or_the_rest_of_the_file() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("one_render_failure_does_not_hide");
    // Helm 3.17.3 fails on the null ui image (deployment-ui.yaml: templates run before their
    // output is read as YAML); with it removed, on the null tag (deployment-api.yaml); with both
    // removed it renders the receiver as `…/stackstate-receiver-stable:5.1`.
    let file = dir.file(
        "values.yaml",
        format!(
            "{REQUIRED_44}  components:\n    all:\n      image:\n        tag: null\n    ui:\n      image: null\n    receiver:\n      image:\n        tag: 5.10\nunknownKey: 1\n"
        ),
    );
    let run = bin::run(&[
        "--chart",
        s.join("charts-src/stackstate-4.4.0.tgz").to_str().unwrap(),
        "--set",
        "anomaly-detection.enabled=false",
        "--format",
        "compact",
        file.to_str().unwrap(),
    ]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let found: Vec<String> = run
        .stdout
        .lines()
        .map(|l| l.replace(file.to_str().unwrap(), "FILE"))
        .collect();
    assert_eq!(
        found,
        [
            "FILE:8:3: warning[SL103] Kafka topic-create job is pulled as quay.io/stackstate/kafka:latest: `latest` moves: every pull may bring another image, and a mirror copies whatever it was that day",
            "FILE:11:9: error[SL203] `stackstate.components.all.image.tag` is null: it deletes the chart default `4.4.0`; Helm cannot render the release: YAML parse error on stackstate/templates/deployment-api.yaml: error converting YAML to JSON: yaml: line 77: mapping values are not allowed in this context",
            "FILE:13:7: error[SL203] `stackstate.components.ui.image` is null: it deletes the chart default (a map); Helm cannot render the release: template: stackstate/templates/deployment-ui.yaml:5:62: executing \"stackstate.ui.deployment.main.container\" at <.Values.stackstate.components.ui.image.repository>: nil pointer evaluating interface {}.repository",
            "FILE:16:14: error[SL104] `stackstate.components.receiver.image.tag: 5.10` is a YAML number: Helm renders it as `5.1`, not `5.10`, in Deployment release-name-stackstate-receiver (stackstate/templates/deployment-receiver.yaml)",
            "FILE:17:1: warning[SL202] `unknownKey` is not a key of chart stackstate 4.4.0: no template reads it, Helm ignores it",
        ]
    );
    assert!(
        run.stderr.contains(": Helm cannot render these values; the other findings come from rendering them without `stackstate.components.ui.image` and `stackstate.components.all.image.tag` (fix them, then lint again)"),
        "{}",
        run.stderr
    );
}

/// A map the chart tests for being set at all (`{{ if $auth.oidc }}`) is switched on by any key
/// in it: `oidc: {enabled: false}`, written to turn OIDC off, turns it on, and Helm then fails
/// on the client id it requires (Helm 3.17.3: "OIDC authentication requires the client id to
/// be set."). The key decides the test, so it is no "no effect" key (audit 48); the required
/// values the chart then wants are quoted as its templates say them.
#[test]
fn a_key_that_makes_a_tested_map_true_is_used() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("a_key_that_makes_a_tested_map_true_is_used");
    let chart = s.join("charts-src/suse-observability-2.10.3.tgz");
    let base = "global:\n  suseObservability:\n    license: L\n    baseUrl: https://so.example.org\n    adminPassword: changeme-very-long\n";
    for (name, auth) in [
        ("oidc", "    oidc:\n      enabled: false\n"),
        ("keycloak", "    keycloak:\n      enabled: false\n"),
        ("rancher", "    rancher:\n      enabled: false\n"),
    ] {
        let file = dir.file(
            &format!("{name}.yaml"),
            format!("{base}stackstate:\n  authentication:\n{auth}"),
        );
        let found = key_findings(&chart, &[], &file);
        assert!(found.is_empty(), "{name}: {found:?}");
        let run = bin::run(&[
            "--chart",
            chart.to_str().unwrap(),
            "--format",
            "compact",
            file.to_str().unwrap(),
        ]);
        let capitalised = match name {
            "oidc" => "OIDC",
            "keycloak" => "Keycloak",
            _ => "Rancher",
        };
        assert!(
            run.stderr.contains(&format!(
                "(its templates say \"{capitalised} authentication requires the client id to be set.\""
            )),
            "{}",
            run.stderr
        );
    }
}
