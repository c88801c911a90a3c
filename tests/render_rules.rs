//! Images, image rules and the mirror plan on the render, for every chart family (built-in
//! charts): what the tool says is checked against what real Helm 3.17.3 rendered for the same
//! values (`../shared/render/expected/*/images.tsv`, or the Helm output quoted in a comment).
//! Skipped without `../shared`.

mod common;

use std::path::{Path, PathBuf};

use common::bin::{self, Scratch, s};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.join("render/cases").is_dir().then_some(p)
}

/// The compact lint lines of `file` on a built-in chart, the file's path written `FILE`.
fn lint(chart: &str, file: &Path) -> Vec<String> {
    let run = bin::run(&[
        "--chart-version",
        chart,
        "--no-config",
        "--format",
        "compact",
        s(file),
    ]);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.stdout
        .lines()
        .map(|l| l.replace(s(file), "FILE"))
        .collect()
}

/// The images Helm rendered that are not on `registry` (`images.tsv`'s first column).
fn helm_elsewhere(expected: &Path, registry: &str) -> Vec<String> {
    let text = std::fs::read_to_string(expected.join("images.tsv")).unwrap();
    let mut out: Vec<String> = text
        .lines()
        .filter_map(|l| l.split('\t').next())
        .filter(|i| !i.starts_with(&format!("{registry}/")))
        .map(String::from)
        .collect();
    out.sort();
    out.dedup();
    out
}

#[test]
fn registry_ignores_global_on_every_chart_family() {
    let Some(sh) = shared() else { return };
    // (case, chart, what Helm pulls from elsewhere with `global.imageRegistry` set)
    let cases = [
        (
            "a/04-global-registry",
            "stackstate@4.4.0",
            "stackstate-4.4.0",
        ),
        (
            "a/04-global-registry",
            "stackstate@5.1.15",
            "stackstate-5.1.15",
        ),
        (
            "b/04-global-registry",
            "suse-observability@2.0.1",
            "suse-observability-2.0.1",
        ),
        (
            "c/05-global-registry",
            "suse-observability@2.10.3",
            "suse-observability-2.10.3",
        ),
    ];
    let mut found = Vec::new();
    for (case, chart, expected) in cases {
        let file = sh.join(format!("render/cases/{case}.yaml"));
        let registry = "registry.example.com:5000";
        let lines: Vec<String> = lint(chart, &file)
            .into_iter()
            .filter(|l| l.contains("[SL002]"))
            .collect();
        // Every image Helm pulls from elsewhere is reported, and nothing else.
        let elsewhere = helm_elsewhere(
            &sh.join("render/expected")
                .join(expected)
                .join(case.split('/').nth(1).unwrap()),
            registry,
        );
        assert_eq!(
            lines.len(),
            elsewhere_count(&lines, &elsewhere),
            "{chart}: {lines:?}"
        );
        for image in &elsewhere {
            assert!(
                lines.iter().any(|l| l.contains(image.as_str())),
                "{chart}: Helm pulls {image} from elsewhere; lint said {lines:?}"
            );
        }
        found.push((chart, lines));
    }
    assert_eq!(
        found[0].1,
        [
            "FILE:4:3: error[SL002] Elasticsearch Prometheus exporter still pulls quay.io/stackstate/elasticsearch-exporter:v1.2.1: its template never reads global.imageRegistry"
        ]
    );
    assert_eq!(
        found[2].1,
        [
            "FILE:4:3: error[SL002] container exporter of Deployment/release-name-prometheus-elasticsearch-exporter still pulls quay.io/stackstate/elasticsearch-exporter:v1.7.0-03d6f56d: its template never reads global.imageRegistry",
            "FILE:4:3: error[SL002] container victoria-metrics-0-server of StatefulSet/suse-observability-victoria-metrics-0 still pulls quay.io/stackstate/victoria-metrics:v1.93.14-e17e24af: its template never reads global.imageRegistry",
            "FILE:4:3: error[SL002] container victoria-metrics-1-server of StatefulSet/suse-observability-victoria-metrics-1 still pulls quay.io/stackstate/victoria-metrics:v1.93.14-e17e24af: its template never reads global.imageRegistry",
        ]
    );
    // suse-observability 2.10.3 moves every image with the global registry.
    assert!(found[3].1.is_empty(), "{:?}", found[3].1);
}

/// How many of `lines` name one of `images`.
fn elsewhere_count(lines: &[String], images: &[String]) -> usize {
    lines
        .iter()
        .filter(|l| images.iter().any(|i| l.contains(i.as_str())))
        .count()
}

/// The false claim of the model: a mirror plan for 5.1.15 whose values made Helm pull
/// `quay.io/mirror.example.com/stackstate/minio`. The plan now comes from the render and is
/// checked by rendering again; applied, every image is on the mirror (real Helm, same values:
/// `mirror.example.com/stackstate/minio:RELEASE.2021-02-14T04-01-33Z-709fe718`).
#[test]
fn the_mirror_plan_moves_every_image_of_5_1_15() {
    let t = Scratch::new("render-rules-mirror");
    let values = t.file(
        "values.yaml",
        // The stand-in anomaly-detection subchart off: left on, no plan is complete.
        "backup:\n  enabled: true\nminio:\n  accessKey: AKIAEXAMPLE1\n  secretKey: secretkeyexample123\nanomaly-detection:\n  enabled: false\n",
    );
    let plan = bin::run(&[
        "images",
        "--chart-version",
        "stackstate@5.1.15",
        "--mirror",
        "mirror.example.com",
        "--format",
        "values",
        s(&values),
    ]);
    assert_eq!(plan.code, 0, "{}", plan.stderr);
    let keys: Vec<&str> = plan
        .stdout
        .lines()
        .filter(|l| !l.trim_start().starts_with('#'))
        .collect();
    assert_eq!(
        keys,
        [
            "global:",
            "  imageRegistry: \"mirror.example.com\"",
            "minio:",
            "  image:",
            "    registry: \"mirror.example.com\"",
            "elasticsearch:",
            "  prometheus-elasticsearch-exporter:",
            "    image:",
            "      repository: \"mirror.example.com/stackstate/elasticsearch-exporter\"",
        ],
        "{}",
        plan.stdout
    );
    let overrides = t.file("mirror.yaml", &plan.stdout);
    let images = bin::run(&[
        "images",
        "--chart-version",
        "stackstate@5.1.15",
        "-f",
        s(&values),
        "--format",
        "plain",
        s(&overrides),
    ]);
    assert_eq!(images.code, 0, "{}", images.stderr);
    let lines: Vec<&str> = images.stdout.lines().collect();
    // The 20 distinct images real Helm renders for these values and the plan.
    assert_eq!(lines.len(), 20, "{}", images.stdout);
    for l in &lines {
        assert!(l.starts_with("mirror.example.com/stackstate/"), "{l}");
    }
    assert!(
        lines
            .contains(&"mirror.example.com/stackstate/minio:RELEASE.2021-02-14T04-01-33Z-709fe718")
    );
}

/// Values the chart requires and the file leaves out stand in for lint and `images` (said on
/// stderr); `render`, a drop-in for `helm template`, fails as Helm does.
#[test]
fn required_values_the_file_leaves_out_stand_in() {
    let t = Scratch::new("render-rules-required");
    let values = t.file("values.yaml", "kafka:\n  replicaCount: 3\n");
    let r = bin::run(&[
        "--chart-version",
        "stackstate@5.1.15",
        "--no-config",
        "--format",
        "compact",
        s(&values),
    ]);
    assert_eq!(r.code, 0, "{}\n{}", r.stdout, r.stderr);
    assert!(
        r.stderr.contains(&format!(
            "note: {}: the chart requires `stackstate.license.key`, `stackstate.admin.authentication.password`, `stackstate.authentication.adminPassword`, `stackstate.receiver.baseUrl` and these values do not set them; checked with a stand-in",
            s(&values)
        )),
        "{}",
        r.stderr
    );
    let images = bin::run(&[
        "images",
        "--chart-version",
        "stackstate@5.1.15",
        "--format",
        "plain",
        s(&values),
    ]);
    assert_eq!(images.code, 0, "{}", images.stderr);
    assert!(
        images
            .stdout
            .contains("quay.io/stackstate/stackstate-server-stable:5.1.15\n")
    );
    let render = bin::run(&[
        "render",
        "--chart-version",
        "stackstate@5.1.15",
        "-f",
        s(&values),
        "--set",
        "anomaly-detection.enabled=false",
    ]);
    assert_eq!(render.code, 1, "{}", render.stderr);
    // Helm 3.17.3, same input: the license secret is the first template to fail.
    assert!(
        render
            .stderr
            .starts_with("Error: template: stackstate/templates/secret-license-key.yaml"),
        "{}",
        render.stderr
    );
}

/// A key a template looks into (a nil pointer) is no value the chart requires: a string
/// standing in fails the same action another way, so lint reports Helm's own failure.
#[test]
fn a_nil_pointer_gets_helms_error_not_a_stand_ins() {
    let t = Scratch::new("render-rules-nil-pointer");
    let values = t.file(
        "values.yaml",
        "global:\n  suseObservability:\n    license: x\n    baseUrl: https://o.example\n    adminPassword: pw\n    sizing:\n      profile: 10-nonha\nstackstate:\n  components:\n    correlate:\n      split:\n        enabled: true\n",
    );
    let r = bin::run(&[
        "--chart-version",
        "suse-observability@2.10.3",
        "--no-config",
        "--format",
        "compact",
        s(&values),
    ]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    // Helm 3.17.3, same values: the same words.
    assert!(
        r.stdout.contains(
            "at <.ServiceConfig.resources.limits.memory>: nil pointer evaluating interface {}.memory"
        ),
        "{}",
        r.stdout
    );
    assert!(
        !r.stderr.contains("checked with a stand-in"),
        "{}",
        r.stderr
    );
}

/// An empty string prints nothing, so it shows on no line of the manifest Helm cannot parse:
/// the finding sits on the `""` the failing file read, as on a null.
#[test]
fn an_empty_string_that_breaks_a_manifest_is_blamed() {
    let t = Scratch::new("render-rules-empty-string");
    let values = t.file("values.yaml", "zookeeper:\n  image:\n    tag: \"\"\n");
    let r = bin::run(&[
        "--chart-version",
        "stackstate@5.1.15",
        "--no-config",
        "--format",
        "compact",
        s(&values),
    ]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    // Helm 3.17.3, same values: the same error (`image: quay.io/stackstate/zookeeper:`).
    assert_eq!(
        r.stdout,
        format!(
            "{}:3:5: error[SL105] Helm cannot render this release: YAML parse error on stackstate/charts/zookeeper/templates/statefulset.yaml: error converting YAML to JSON: yaml: line 67: mapping values are not allowed in this context\n",
            s(&values)
        )
    );
}

/// A list item written as a map where the chart wants a string (`imagePullSecrets: [{name:
/// x}]`; these charts take names): a subchart prints it into a line YAML cannot read. The
/// finding sits on the item the user wrote, under the key they wrote (`global.…`, not the
/// subchart's copy of it), and asks for a string.
#[test]
fn a_map_printed_where_a_string_belongs_is_blamed_on_the_users_item() {
    let t = Scratch::new("render-rules-pull-secret-map");
    let values = t.file(
        "values.yaml",
        "global:\n  imageRegistry: reg.example\n  imagePullSecrets:\n    - name: harbor-pull\n  suseObservability:\n    license: x\n    baseUrl: https://o.example\n    adminPassword: pw\n    sizing:\n      profile: 10-nonha\n",
    );
    let r = bin::run(&[
        "--chart-version",
        "suse-observability@2.10.3",
        "--no-config",
        "--format",
        "json",
        s(&values),
    ]);
    assert_eq!(r.code, 1, "{}\n{}", r.stdout, r.stderr);
    let v: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let f = &v["findings"][0];
    // Helm 3.17.3, same values: the exporter prints `- name: name: harbor-pull` at line 38.
    assert!(
        f["message"].as_str().unwrap().ends_with("prometheus-elasticsearch-exporter/templates/deployment.yaml: error converting YAML to JSON: yaml: line 38: mapping values are not allowed in this context"),
        "{f}"
    );
    assert_eq!(
        (&f["line"], &f["column"]),
        (&serde_json::json!(4), &serde_json::json!(7)),
        "{f}"
    );
    assert_eq!(f["key"], "global.imagePullSecrets.0", "{f}");
    assert_eq!(
        f["help"],
        "set `global.imagePullSecrets.0` to a string (use \"\" for empty), or remove it to keep the chart default"
    );
}

/// The built-in charts hold a placeholder for the anomaly-detection subchart: left out, said.
#[test]
fn a_stand_in_subchart_is_left_out_and_said() {
    let t = Scratch::new("render-rules-stand-in-subchart");
    let values = t.file(
        "values.yaml",
        "stackstate:\n  baseUrl: http://x\n  license:\n    key: k\n  admin:\n    authentication:\n      password: p\n  authentication:\n    adminPassword: p\n",
    );
    let r = bin::run(&[
        "images",
        "--chart-version",
        "stackstate@5.1.15",
        "--format",
        "plain",
        s(&values),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(
        r.stderr.contains("note: the built-in stackstate 5.1.15 holds only a stand-in for its `anomaly-detection` subchart"),
        "{}",
        r.stderr
    );
    assert!(!r.stdout.contains("spotlight"), "{}", r.stdout);
    // Switched off by the user: nothing to say.
    let r = bin::run(&[
        "images",
        "--chart-version",
        "stackstate@5.1.15",
        "--set",
        "anomaly-detection.enabled=false",
        "--format",
        "plain",
        s(&values),
    ]);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert!(!r.stderr.contains("stand-in"), "{}", r.stderr);
}

/// The keys catalogue (`rules/ineffective-keys.yaml`) is the stackstate chart's: a
/// suse-observability chart given with `--chart` is version 2.0.1 of another chart, not a
/// stackstate version below 4.3.0. Helm 3.17.3 renders `stackstate.components.mm2es` of this
/// chart nowhere (and 2.0.1 has no `k2es` either); the stackstate 4.2 entry said "the chart
/// reads stackstate.components.k2es (mm2es, e2es and trace2es arrive with chart 4.3.0)".
#[test]
fn a_suse_observability_chart_gets_no_stackstate_catalogue_entry() {
    let Some(sh) = shared() else { return };
    let t = Scratch::new("render-rules-no-stackstate-entry");
    let values = t.file(
        "values.yaml",
        "stackstate:\n  components:\n    mm2es:\n      image:\n        registry: registry.example.com\n",
    );
    let chart = sh.join("charts-src/suse-observability-2.0.1.tgz");
    let r = bin::run(&[
        "--chart",
        s(&chart),
        "--no-config",
        "--format",
        "json",
        s(&values),
    ]);
    assert!(r.code == 0 || r.code == 1, "{}", r.stderr);
    let report: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let found: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {}:{} {} | {}",
                f["code"], f["line"], f["column"], f["message"], f["help"]
            )
        })
        .collect();
    assert_eq!(
        found,
        [
            "\"SL202\" 3:5 \"`stackstate.components.mm2es` is not a key of chart suse-observability 2.0.1: no template reads it, Helm ignores it\" | \"the chart ignores keys it does not know; check the spelling and the nesting level\""
        ]
    );
}

/// A chart that prints all of its values (a checksum of `toJson .Values`, as charts put on pods
/// to restart them when any value changes) uses every key: a change to any of them changes the
/// manifest. The whole read of `.Values` has the empty key path, which the unused-key rules
/// skipped, so every key the chart does not name otherwise was "ignored by the chart".
#[test]
fn a_chart_printing_all_values_uses_every_key() {
    let t = Scratch::new("all-values-read");
    t.file("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    t.file("c/values.yaml", "a: 1\n");
    t.file(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  annotations:\n    checksum: {{ toJson .Values | sha256sum }}\ndata:\n  a: {{ .Values.a | quote }}\n",
    );
    let f = t.file("values.yaml", "a: 2\nb: 3\nnested:\n  c: 4\n");
    let chart = t.path("c");
    let lint = || {
        bin::run(&[
            "--chart",
            s(&chart),
            "--no-config",
            "--format",
            "compact",
            s(&f),
        ])
    };
    let run = lint();
    assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
    assert!(!run.stdout.contains("SL20"), "{}", run.stdout);

    // The same chart without the checksum: `b` and `nested.c` are unknown keys again.
    t.file(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: {{ .Values.a | quote }}\n",
    );
    let run = lint();
    assert!(run.stdout.contains("SL202"), "{}", run.stdout);
}

/// A render that fails on an action reading no values key (a bare `fail`) is reported without a
/// key to blame: it used to say "`` breaks the render" and "set `` to a string".
#[test]
fn a_failure_reading_no_key_names_no_key() {
    let t = Scratch::new("keyless-failure");
    t.file("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    t.file("c/values.yaml", "a: 1\n");
    t.file(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n{{ fail \"this chart needs a licence\" }}\n",
    );
    let f = t.file("values.yaml", "# prod\na: 2\n");
    let run = bin::run(&[
        "--chart",
        s(&t.path("c")),
        "--no-config",
        "--format",
        "json",
        s(&f),
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let findings: Vec<&str> = run.stdout.split("\"code\"").skip(1).collect();
    assert_eq!(findings.len(), 1, "{}", run.stdout);
    let one = findings[0];
    for part in [
        "\"SL105\"",
        "\"message\": \"Helm cannot render this release: execution error at (c/templates/cm.yaml:5:3): this chart needs a licence\"",
        "\"help\": \"the failing template action reads none of your keys: the chart's message above says what it needs\"",
        "\"line\": 2",
        "\"key\": null",
    ] {
        assert!(one.contains(part), "{part} in {}", run.stdout);
    }
    assert!(!run.stdout.contains("``"), "{}", run.stdout);
    let human = bin::run(&["--chart", s(&t.path("c")), "--no-config", s(&f)]);
    assert!(
        human
            .stdout
            .contains("the chart fails to render with these values"),
        "{}",
        human.stdout
    );
    assert!(!human.stdout.contains("``"), "{}", human.stdout);
}

/// A value the chart's own check refuses (`fail` in suse-observability 2.10.3's validations,
/// Helm 3.17.3 printed the same error) is blamed on the key with the chart's message, not with
/// advice about its type: it used to say "set `backup.enabled` to a string".
#[test]
fn a_value_the_chart_refuses_is_blamed_with_the_charts_message() {
    let t = Scratch::new("refused-value");
    let f = t.file(
        "values.yaml",
        "stackstate:\n  baseUrl: http://x\n  authentication:\n    adminPassword: x\nbackup:\n  enabled: true\n",
    );
    let run = bin::run(&[
        "--chart-version",
        "suse-observability@2.10.3",
        "--no-config",
        "--format",
        "json",
        s(&f),
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    let findings: Vec<&str> = run.stdout.split("\"code\"").skip(1).collect();
    let sl105: Vec<&&str> = findings
        .iter()
        .filter(|f| f.contains("\"SL105\""))
        .collect();
    assert_eq!(sl105.len(), 1, "{}", run.stdout);
    for part in [
        "\"message\": \"Helm cannot render this release: execution error at (suse-observability/templates/validations.yaml:157:6): Please use `global.backup.enabled=true` instead of `backup.enabled=true`\"",
        "\"help\": \"the chart refuses this value and its message above says what it needs: change `backup.enabled`, or remove it to keep the chart default\"",
        "\"line\": 6",
        "\"key\": \"backup.enabled\"",
    ] {
        assert!(sl105[0].contains(part), "{part} in {}", run.stdout);
    }
}

/// A chart's own image without a tag (`image: busybox` in a test pod, common in public charts)
/// is pulled as `busybox:latest`: a moving tag (SL103), not an empty one the user made (SL105,
/// an error that claimed "the tag is empty" on a values file that sets nothing of it). A tag key
/// the user blanked, which the template read and so printed no tag, is still SL105 on that key.
#[test]
fn an_image_written_without_a_tag_pulls_latest() {
    let t = Scratch::new("untagged-image");
    t.file("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    t.file(
        "c/values.yaml",
        "image:\n  repository: nginx\n  tag: \"1.27\"\nsidecar:\n  tag: \"\"\n",
    );
    t.file(
        "c/templates/pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: test\n      image: busybox\n    - name: app\n      image: {{ printf \"%s%s\" .Values.image.repository (ternary (printf \":%s\" .Values.image.tag) \"\" (ne .Values.image.tag \"\")) }}\n    - name: pinned\n      image: nginx@sha256:0000000000000000000000000000000000000000000000000000000000000000\n    - name: side\n      image: {{ printf \"envoy%s\" (ternary (printf \":%s\" .Values.sidecar.tag) \"\" (ne .Values.sidecar.tag \"\")) }}\n",
    );
    let lint = |values: &str| {
        let f = t.file("values.yaml", values);
        let run = bin::run(&[
            "--chart",
            s(&t.path("c")),
            "--no-config",
            "--format",
            "compact",
            s(&f),
        ]);
        let lines: Vec<String> = run
            .stdout
            .lines()
            .map(|l| l.replace(s(&f), "FILE"))
            .collect();
        (run.code, lines)
    };
    // The chart's defaults: the test pod and the sidecar (whose empty tag is the chart's own)
    // pull `latest`; the digest alone pins `pinned`.
    let (code, lines) = lint("image:\n  repository: nginx\n");
    assert_eq!(code, 0, "{lines:?}");
    assert_eq!(
        lines,
        [
            "FILE:1:1: warning[SL103] container side of Pod/p is pulled as envoy (no tag: envoy:latest): `latest` moves: every pull may bring another image, and a mirror copies whatever it was that day",
            "FILE:1:1: warning[SL103] container test of Pod/p is pulled as busybox (no tag: busybox:latest): `latest` moves: every pull may bring another image, and a mirror copies whatever it was that day",
        ]
    );
    // The user's own blank tag: the template printed no tag because of it.
    let (code, lines) = lint("image:\n  tag: \"\"\n");
    assert_eq!(code, 1, "{lines:?}");
    assert!(
        lines.contains(
            &"FILE:2:3: error[SL105] the tag is empty, so the release pulls nginx".to_string()
        ),
        "{lines:?}"
    );
}

/// Whether a value of another kind than the chart's default matters is the render's to say:
/// a list where the chart has an empty map, printed with `toYaml`, renders as the user meant
/// (Helm renders it; SL204 said every template reading it fails), and a map where the chart has a
/// string is an error where a template printed it in Go's form, `map[a:b]`.
#[test]
fn a_value_of_another_kind_is_judged_by_the_render() {
    let t = Scratch::new("wrong-type-rendered");
    t.file("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    t.file("c/values.yaml", "extraArgs: {}\nnote: \"\"\nlabels: \"\"\n");
    t.file(
        "c/templates/cm.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n  {{- with .Values.labels }}\n  labels:\n    {{- toYaml . | nindent 4 }}\n  {{- end }}\ndata:\n  args: {{ toYaml .Values.extraArgs | quote }}\n  note: {{ .Values.note | quote }}\n",
    );
    let f = t.file(
        "values.yaml",
        "extraArgs:\n  - --verbose\nlabels:\n  team: a\nnote:\n  text: hi\n",
    );
    let run = bin::run(&[
        "--chart",
        s(&t.path("c")),
        "--no-config",
        "--format",
        "compact",
        s(&f),
    ]);
    assert_eq!(run.code, 1, "{}{}", run.stdout, run.stderr);
    assert_eq!(
        run.stdout
            .replace(s(&f), "FILE")
            .lines()
            .collect::<Vec<_>>(),
        [
            "FILE:5:1: error[SL204] `note` is a string in the chart but a map here: a template prints it in Go's form (`map[…]`) where it expects a string"
        ]
    );
}

/// A key no template read is reported with the switch that keeps it unread, found in the
/// chart's own templates for any chart: the `if`/`with` around the place that names it whose
/// condition these values leave off (the `else` of one they turn on), with `with` rebinding dot,
/// `$` reaching the root, and a `define` followed to the `include` that calls it. Conditions the values alone cannot decide are not named.
#[test]
fn an_unread_key_names_the_switch_around_it() {
    let t = Scratch::new("unread-switch");
    t.file("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    t.file(
        "c/values.yaml",
        "metrics:\n  enabled: false\n  port: 9090\nmode: single\nsplit:\n  replicas: 1\nsingle:\n  replicas: 1\ningress:\n  enabled: false\n  hosts: []\nextra:\n  a: 1\nworker:\n  enabled: false\n  threads: 1\n",
    );
    t.file(
        "c/templates/cm.yaml",
        r#"{{- define "c.split" }}
replicas: {{ .Values.split.replicas }}
{{- end }}
{{- define "c.other" }}x{{ end }}
{{- define "c.worker" }}threads: {{ .Values.worker.threads | quote }}{{ end }}
apiVersion: v1
kind: ConfigMap
metadata:
  name: a
data:
  {{- if .Values.metrics.enabled }}
  port: {{ .Values.metrics.port | quote }}
  {{- end }}
  {{- if eq .Values.mode "split" }}
  r: {{ .Values.split.replicas | quote }}
  {{- else }}
  r: {{ .Values.single.replicas | quote }}
  {{- end }}
  {{- with .Values.ingress }}
  {{- if and .enabled (not $.Values.metrics.enabled) }}
  hosts: {{ toJson $.Values.ingress.hosts | quote }}
  {{- end }}
  {{- end }}
  {{- if (include "c.other" . | contains "9") }}
  x: {{ .Values.extra.a | quote }}
  {{- end }}
  {{- if .Values.worker.enabled }}
  {{ include "c.worker" . }}
  {{- end }}
"#,
    );
    let helps = |values: &str| {
        let f = t.file("values.yaml", values);
        let run = bin::run(&[
            "--chart",
            s(&t.path("c")),
            "--no-config",
            "--format",
            "json",
            s(&f),
        ]);
        assert_eq!(run.code, 0, "{}{}", run.stdout, run.stderr);
        let mut out: Vec<String> = run
            .stdout
            .lines()
            .filter_map(|l| l.trim().strip_prefix("\"help\": "))
            .map(String::from)
            .collect();
        out.sort();
        out
    };
    assert_eq!(
        helps(
            "metrics:\n  port: 8080\nsplit:\n  replicas: 3\ningress:\n  hosts: [a]\nextra:\n  a: 2\nworker:\n  threads: 4\n"
        ),
        [
            r#""the chart reads it inside `{{- if .Values.metrics.enabled }}` (c/templates/cm.yaml:11), which is false with these values (`metrics.enabled`): change them to use it, or remove the key","#,
            // Read in a `define`, included under a switch.
            r#""the chart reads it inside `{{- if .Values.worker.enabled }}` (c/templates/cm.yaml:27), which is false with these values (`worker.enabled`): change them to use it, or remove the key","#,
            r#""the chart reads it inside `{{- if and .enabled (not $.Values.metrics.enabled) }}` (c/templates/cm.yaml:20), which is false with these values (`ingress.enabled`, `metrics.enabled`): change them to use it, or remove the key","#,
            r#""the chart reads it inside `{{- if eq .Values.mode \"split\" }}` (c/templates/cm.yaml:14), which is false with these values (`mode`): change them to use it, or remove the key","#,
            // `include … | contains`: not decided by the values alone.
            r#""the templates read it only with other settings (another mode, a switch that is off) or in other chart versions; remove it, or turn on what needs it","#,
        ]
    );
    assert_eq!(
        helps("mode: split\nsingle:\n  replicas: 3\n"),
        [
            r#""the chart reads it where `{{- if eq .Values.mode \"split\" }}` (c/templates/cm.yaml:14) does not hold, and it holds with these values (`mode`): change them to use it, or remove the key","#
        ]
    );
}
