//! SL104 asks the render where a number or boolean the user wrote lands and what text it
//! becomes there, for any key, on the real charts of `../shared/charts-src`. For the render
//! suite's own cases every finding is also checked against the manifests real Helm 3.17.3 printed
//! (`../shared/render/expected/<chart>/<case>/manifest.yaml.gz`): the named document holds the
//! rendered text (the suite's release is `stackstate`, lint's `release-name`). The scratch files
//! and `--set` arguments were rendered with `helm template` (3.17.3) by hand: the texts expected
//! below are the ones it printed (`"4.1"`, `"1e+06"`, `"493"`, `"true"`, `"12"`, `"0"`; `"3"`
//! for `3` and, for `True`, `"true"`; `elasticsearch: true` in the nodeSelector), and its error
//! for the number the chart splits. Skipped without `../shared`.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};

use common::bin::{self, Scratch};

fn shared() -> Option<PathBuf> {
    let p = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    p.join("charts-src").is_dir().then_some(p)
}

fn chart(s: &Path, name: &str) -> PathBuf {
    s.join(format!("charts-src/{name}.tgz"))
}

/// The lines of rule `code` (and of every rule in `also`) of a compact lint of `file`.
fn findings(chart: &Path, extra: &[&str], file: &Path, codes: &[&str]) -> Vec<String> {
    let mut args = vec!["--chart", chart.to_str().unwrap()];
    args.extend_from_slice(extra);
    args.extend(["--format", "compact", file.to_str().unwrap()]);
    let run = bin::run(&args);
    assert!(run.code == 0 || run.code == 1, "{}", run.stderr);
    run.stdout
        .lines()
        .filter(|l| codes.iter().any(|c| l.contains(&format!("[{c}]"))))
        .map(|l| l.replace(file.to_str().unwrap(), "FILE"))
        .collect()
}

/// The documents real Helm printed for a render-suite case: (`# Source:` template, document).
fn helm_documents(s: &Path, chart: &str, case: &str) -> Vec<(String, String)> {
    let path = s.join(format!("render/expected/{chart}/{case}/manifest.yaml.gz"));
    let mut text = String::new();
    flate2::read::GzDecoder::new(std::fs::File::open(path).unwrap())
        .read_to_string(&mut text)
        .unwrap();
    text.split("\n---\n")
        .filter_map(|doc| {
            let source = doc.lines().find_map(|l| l.strip_prefix("# Source: "))?;
            Some((source.to_string(), doc.to_string()))
        })
        .collect()
}

/// Checks an SL104 line against Helm's manifests: the document of the template and object it
/// names holds the text it says Helm renders.
#[track_caller]
fn helm_agrees(docs: &[(String, String)], line: &str) {
    let text = line
        .split("Helm renders it as `")
        .nth(1)
        .and_then(|r| r.split('`').next())
        .unwrap();
    let place = line.rsplit(", in ").next().unwrap();
    let (object, template) = place.trim_end_matches(')').split_once(" (").unwrap();
    let (kind, name) = object.split_once(' ').unwrap();
    // The suite rendered release `stackstate`; lint renders `helm template`'s `release-name`.
    // The charts' fullname drops the chart name when the release name holds it.
    let name = name
        .replace("release-name-stackstate", "stackstate")
        .replace("release-name", "stackstate");
    let found = docs.iter().any(|(source, doc)| {
        source == template
            && doc.contains(&format!("kind: {kind}\n"))
            && doc.contains(&format!("name: {name}\n"))
            && doc.contains(text)
    });
    assert!(
        found,
        "Helm printed no `{text}` in {kind} {name} ({template})"
    );
}

/// Lints a render-suite case against a chart and checks every SL104 finding against Helm.
fn suite_case(chart_name: &str, family: &str, case: &str) -> Vec<String> {
    let s = shared().unwrap();
    let extra: &[&str] = if chart_name == "suse-observability-2.10.3" {
        &[]
    } else {
        &["--set", "anomaly-detection.enabled=false"]
    };
    let found = findings(
        &chart(&s, chart_name),
        extra,
        &s.join(format!("render/cases/{family}/{case}.yaml")),
        &["SL104"],
    );
    let docs = helm_documents(&s, chart_name, case);
    for line in &found {
        helm_agrees(&docs, line);
    }
    found
}

#[test]
fn image_tags_written_as_numbers_on_a_4x_chart() {
    if shared().is_none() {
        return;
    }
    // `hbase.hdfs.image.tag: 7` and `zookeeper.image.tag: 3.6` render as written.
    assert_eq!(
        suite_case("stackstate-4.4.0", "a", "16-numeric-tags"),
        [
            "FILE:7:14: error[SL104] `stackstate.components.all.image.tag: 4.10` is a YAML number: Helm renders it as `4.1`, not `4.10`, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml)",
            "FILE:10:14: error[SL104] `stackstate.components.wait.image.tag: 1.0` is a YAML number: Helm renders it as `1`, not `1.0`, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml)",
            "FILE:16:14: error[SL104] `stackstate.components.ui.image.tag: 20210214` is a YAML number: Helm renders it as `2.0210214e+07`, not `20210214`, in Deployment release-name-stackstate-ui (stackstate/templates/deployment-ui.yaml)",
            "FILE:27:10: error[SL104] `kafka.image.tag: 2.30` is a YAML number: Helm renders it as `2.3`, not `2.30`, in StatefulSet stackstate-kafka (stackstate/charts/kafka/templates/statefulset.yaml)",
            "FILE:34:12: error[SL104] `hbase.stackgraph.image.tag: 4.20` is a YAML number: Helm renders it as `4.2`, not `4.20`, in Deployment release-name-hbase-console (stackstate/charts/hbase/templates/console-deployment.yaml)",
            "FILE:41:12: error[SL104] `elasticsearch.prometheus-elasticsearch-exporter.image.tag: 1.20` is a YAML number: Helm renders it as `1.2`, not `1.20`, in Deployment release-name-prometheus-elasticsearch-exporter (stackstate/charts/elasticsearch/charts/prometheus-elasticsearch-exporter/templates/deployment.yaml)",
        ]
    );
}

#[test]
fn image_tags_written_as_numbers_on_a_5x_chart() {
    if shared().is_none() {
        return;
    }
    // 5.1.15 has no StackGraph console: the tag lands first in the HBase master.
    assert_eq!(
        suite_case("stackstate-5.1.15", "a", "16-numeric-tags"),
        [
            "FILE:7:14: error[SL104] `stackstate.components.all.image.tag: 4.10` is a YAML number: Helm renders it as `4.1`, not `4.10`, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml)",
            "FILE:10:14: error[SL104] `stackstate.components.wait.image.tag: 1.0` is a YAML number: Helm renders it as `1`, not `1.0`, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml)",
            "FILE:16:14: error[SL104] `stackstate.components.ui.image.tag: 20210214` is a YAML number: Helm renders it as `2.0210214e+07`, not `20210214`, in Deployment release-name-stackstate-ui (stackstate/templates/deployment-ui.yaml)",
            "FILE:27:10: error[SL104] `kafka.image.tag: 2.30` is a YAML number: Helm renders it as `2.3`, not `2.30`, in StatefulSet stackstate-kafka (stackstate/charts/kafka/templates/statefulset.yaml)",
            "FILE:34:12: error[SL104] `hbase.stackgraph.image.tag: 4.20` is a YAML number: Helm renders it as `4.2`, not `4.20`, in StatefulSet release-name-hbase-hbase-master (stackstate/charts/hbase/templates/hbase-master-statefulset.yaml)",
            "FILE:41:12: error[SL104] `elasticsearch.prometheus-elasticsearch-exporter.image.tag: 1.20` is a YAML number: Helm renders it as `1.2`, not `1.20`, in Deployment release-name-prometheus-elasticsearch-exporter (stackstate/charts/elasticsearch/charts/prometheus-elasticsearch-exporter/templates/deployment.yaml)",
        ]
    );
}

#[test]
fn image_tags_written_as_numbers_on_suse_observability_2_0() {
    if shared().is_none() {
        return;
    }
    // `hbase.stackgraph.image.tag: 7.20` is read by no template of 2.0.1 (SL201's), and
    // `hbase.hdfs.image.tag: 8` renders as written.
    assert_eq!(
        suite_case("suse-observability-2.0.1", "b", "16-numeric-tags"),
        [
            "FILE:7:14: error[SL104] `stackstate.components.all.image.tag: 7.10` is a YAML number: Helm renders it as `7.1`, not `7.10`, in Deployment release-name-suse-observability-api (suse-observability/templates/deployment-api.yaml)",
            "FILE:10:14: error[SL104] `stackstate.components.router.image.tag: 1.0` is a YAML number: Helm renders it as `1`, not `1.0`, in Deployment release-name-suse-observability-router (suse-observability/templates/deployment-router.yaml)",
            "FILE:13:14: error[SL104] `stackstate.components.ui.image.tag: 20240918` is a YAML number: Helm renders it as `2.0240918e+07`, not `20240918`, in Deployment release-name-suse-observability-ui (suse-observability/templates/deployment-ui.yaml)",
            "FILE:24:10: error[SL104] `kafka.image.tag: 3.60` is a YAML number: Helm renders it as `3.6`, not `3.60`, in StatefulSet suse-observability-kafka (suse-observability/charts/kafka/templates/statefulset.yaml)",
            "FILE:38:12: error[SL104] `elasticsearch.prometheus-elasticsearch-exporter.image.tag: 1.70` is a YAML number: Helm renders it as `1.7`, not `1.70`, in Deployment release-name-prometheus-elasticsearch-exporter (suse-observability/charts/elasticsearch/charts/prometheus-elasticsearch-exporter/templates/deployment.yaml)",
        ]
    );
}

#[test]
fn image_tags_written_as_numbers_on_suse_observability_2_10() {
    if shared().is_none() {
        return;
    }
    // The backup configuration embeds the server image first, tag and suffix (`7.1-2.5`).
    assert_eq!(
        suite_case("suse-observability-2.10.3", "c", "16-numeric-tags"),
        [
            "FILE:7:14: error[SL104] `stackstate.components.all.image.tag: 7.10` is a YAML number: Helm renders it as `7.1`, not `7.10`, in ConfigMap suse-observability-backup-config (suse-observability/templates/backup/configmap-backup-config.yaml)",
            "FILE:10:14: error[SL104] `stackstate.components.router.image.tag: 1.0` is a YAML number: Helm renders it as `1`, not `1.0`, in Deployment release-name-suse-observability-router (suse-observability/templates/router/deployment-router.yaml)",
            "FILE:13:14: error[SL104] `stackstate.components.ui.image.tag: 20260804` is a YAML number: Helm renders it as `2.0260804e+07`, not `20260804`, in Deployment release-name-suse-observability-ui (suse-observability/templates/ui/deployment-ui.yaml)",
            "FILE:19:10: error[SL104] `kafka.image.tag: 3.60` is a YAML number: Helm renders it as `3.6`, not `3.60`, in StatefulSet suse-observability-kafka (suse-observability/charts/kafka/templates/statefulset.yaml)",
        ]
    );
}

const REQUIRED_210: &str = "stackstate:\n  baseUrl: http://observability.example.com\n  authentication:\n    adminPassword: dummy-password\n";

#[test]
fn any_value_whose_text_the_render_changes() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("any_value_whose_text_the_render_changes");
    let file = dir.file(
        "values.yaml",
        format!(
            "{REQUIRED_210}  components:\n    api:\n      extraEnv:\n        open:\n          CONFIG_FORCE_stackstate_webUIConfig_version: 4.10\n          FEATURE_ON: yes\n          FEATURE_CASE: True\n          BATCH_SIZE: 1000000\n          THREADS: 3\n          MODE: 0755\n          QUOTED: \"4.10\"\n"
        ),
    );
    // `True` prints as `true`: the boolean the user meant, in other letter case. `3` prints as
    // written, a quoted value is a string.
    assert_eq!(
        findings(
            &chart(&s, "suse-observability-2.10.3"),
            &[],
            &file,
            &["SL104"]
        ),
        [
            "FILE:9:56: error[SL104] `stackstate.components.api.extraEnv.open.CONFIG_FORCE_stackstate_webUIConfig_version: 4.10` is a YAML number: Helm renders it as `4.1`, not `4.10`, in Deployment release-name-suse-observability-api (suse-observability/templates/api/deployment-api.yaml)",
            "FILE:10:23: error[SL104] `stackstate.components.api.extraEnv.open.FEATURE_ON: yes` is a YAML boolean: Helm renders it as `true`, not `yes`, in Deployment release-name-suse-observability-api (suse-observability/templates/api/deployment-api.yaml)",
            "FILE:12:23: error[SL104] `stackstate.components.api.extraEnv.open.BATCH_SIZE: 1000000` is a YAML number: Helm renders it as `1e+06`, not `1000000`, in Deployment release-name-suse-observability-api (suse-observability/templates/api/deployment-api.yaml)",
            "FILE:14:17: error[SL104] `stackstate.components.api.extraEnv.open.MODE: 0755` is a YAML number: Helm renders it as `493`, not `0755`, in Deployment release-name-suse-observability-api (suse-observability/templates/api/deployment-api.yaml)",
        ]
    );
}

#[test]
fn numbers_the_chart_takes_as_numbers_or_never_renders() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("numbers_the_chart_takes_as_numbers");
    // `kafka.replicaCount: 3.0` lands as `replicas: 3` in the StatefulSet (the chart counts with
    // it) and as "3" in the topic-create job's environment: a number, rightly written as one.
    // `stackstate.nonsense` is no key of the chart: SL202 says so, not SL104.
    let file = dir.file(
        "values.yaml",
        format!("{REQUIRED_210}  nonsense: 4.10\nkafka:\n  replicaCount: 3.0\n"),
    );
    assert_eq!(
        findings(
            &chart(&s, "suse-observability-2.10.3"),
            &[],
            &file,
            &["SL104", "SL202"]
        ),
        [
            "FILE:5:3: warning[SL202] `stackstate.nonsense` is not a key of chart suse-observability 2.10.3: no template reads it, Helm ignores it",
        ]
    );
}

const REQUIRED_4X: &str = "stackstate:\n  baseUrl: http://stackstate.example.com\n  license:\n    key: dummy-license\n  admin:\n    authentication:\n      password: dummy-admin\n  authentication:\n    adminPassword: dummy-password\n";

#[test]
fn a_number_where_the_chart_needs_a_string_breaks_the_render_once() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("a_number_where_the_chart_needs_a_string");
    let file = dir.file(
        "values.yaml",
        format!("{REQUIRED_4X}elasticsearch:\n  imageTag: 7.10\n"),
    );
    // Helm's own error, innermost part; SL105 leaves it to SL104, which can say what to quote.
    let expected = [
        "FILE:11:13: error[SL104] `elasticsearch.imageTag: 7.10` is a YAML number, but the chart needs a string there: Helm cannot render the release: template: stackstate/charts/elasticsearch/templates/_helpers.tpl:94:57: executing \"elasticsearch.esMajorVersion\" at <\".\">: wrong type for value; expected string; got float64",
    ];
    assert_eq!(
        findings(
            &chart(&s, "stackstate-5.1.15"),
            &["--set", "anomaly-detection.enabled=false"],
            &file,
            &["SL104", "SL105", "SL204"]
        ),
        expected
    );
    // From --set, an integer: no line of the file to quote, --set-string instead.
    let set = bin::run(&[
        "--chart",
        chart(&s, "stackstate-5.1.15").to_str().unwrap(),
        "--set",
        "anomaly-detection.enabled=false",
        "--set",
        "elasticsearch.imageTag=7",
        "--format",
        "json",
        dir.file("base.yaml", REQUIRED_4X).to_str().unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&set.stdout).unwrap();
    let found: Vec<(&str, &str, &str)> = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["severity"] == "error")
        .map(|f| {
            (
                f["code"].as_str().unwrap(),
                f["message"].as_str().unwrap(),
                f["help"].as_str().unwrap_or(""),
            )
        })
        .collect();
    assert_eq!(
        found,
        [(
            "SL104",
            "`--set elasticsearch.imageTag=7` gives a number, but the chart needs a string there: Helm cannot render the release: template: stackstate/charts/elasticsearch/templates/_helpers.tpl:94:57: executing \"elasticsearch.esMajorVersion\" at <\".\">: wrong type for value; expected string; got int64",
            "give it with --set-string elasticsearch.imageTag=7",
        )]
    );
}

#[test]
fn the_fix_quotes_the_value_and_the_render_then_prints_it() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("the_fix_quotes_the_value");
    let file = dir.file(
        "values.yaml",
        format!(
            "{REQUIRED_210}  components:\n    api:\n      extraEnv:\n        open:\n          VERSION: 4.10 # the UI shows it\n"
        ),
    );
    let c = chart(&s, "suse-observability-2.10.3");
    let fix = bin::run(&[
        "--chart",
        c.to_str().unwrap(),
        "--fix",
        file.to_str().unwrap(),
    ]);
    assert!(fix.code == 0 || fix.code == 1, "{}", fix.stderr);
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .ends_with("          VERSION: \"4.10\" # the UI shows it\n")
    );
    assert!(findings(&c, &[], &file, &["SL104"]).is_empty());
    let render = bin::run(&[
        "render",
        "--chart",
        c.to_str().unwrap(),
        "-f",
        file.to_str().unwrap(),
    ]);
    assert_eq!(render.code, 0, "{}", render.stderr);
    assert!(
        render
            .stdout
            .contains("- name: VERSION\n          value: \"4.10\"\n")
    );
}

#[test]
fn a_vendor_sizing_file_sets_a_retention_the_server_gets_in_exponent_form() {
    if shared().is_none() {
        return;
    }
    // Written as the vendor's values chart generates it; the server reads "2.592e+08".
    assert_eq!(
        suite_case("suse-observability-2.0.1", "b", "13-sizing-trial"),
        [
            "FILE:27:54: error[SL104] `stackstate.components.all.extraEnv.open.CONFIG_FORCE_stackgraph_retentionWindowMs: 259200000` is a YAML number: Helm renders it as `2.592e+08`, not `259200000`, in Deployment release-name-suse-observability-api (suse-observability/templates/deployment-api.yaml)",
        ]
    );
}

#[test]
fn a_documented_node_selector_that_becomes_a_boolean() {
    let Some(s) = shared() else { return };
    let conformance = s.join("conformance");
    // The documentation's `elasticsearch: yes`: `toYaml` hands the map on with its YAML types,
    // Helm prints `elasticsearch: true`, and Kubernetes refuses a boolean in a nodeSelector.
    assert_eq!(
        findings(
            &chart(&s, "stackstate-4.4.0"),
            &[
                "-f",
                conformance.join("base-values.yaml").to_str().unwrap(),
                "--set",
                "anomaly-detection.enabled=false",
            ],
            &conformance.join("cases/real-docs-required-permissions-3.yaml"),
            &["SL104"]
        ),
        [
            "FILE:3:20: error[SL104] `elasticsearch.nodeSelector.elasticsearch: yes` is a YAML boolean: Helm renders it as `true`, not `yes`, in StatefulSet stackstate-elasticsearch-master (stackstate/charts/elasticsearch/templates/statefulset.yaml)",
        ]
    );
}

#[test]
fn numbers_from_set_that_print_otherwise() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("numbers_from_set_that_print_otherwise");
    let file = dir.file("values.yaml", REQUIRED_210);
    // --set types only plain integers and booleans: `+12` and `-0` lose their sign, `True` is
    // the boolean meant, `4.10` stays a string. Labelled on the file's first key: --set has no line.
    let open = "stackstate.components.api.extraEnv.open";
    assert_eq!(
        findings(
            &chart(&s, "suse-observability-2.10.3"),
            &[
                "--set",
                &format!("{open}.X=+12,{open}.Y=True,{open}.Z=-0,{open}.V=4.10"),
            ],
            &file,
            &["SL104"]
        ),
        [
            "FILE:1:1: error[SL104] `--set stackstate.components.api.extraEnv.open.X=+12` gives a number: Helm renders it as `12`, not `+12`, in Deployment release-name-suse-observability-api (suse-observability/templates/api/deployment-api.yaml)",
            "FILE:1:1: error[SL104] `--set stackstate.components.api.extraEnv.open.Z=-0` gives a number: Helm renders it as `0`, not `-0`, in Deployment release-name-suse-observability-api (suse-observability/templates/api/deployment-api.yaml)",
        ]
    );
}

#[test]
fn an_anchor_is_quoted_once_and_an_explicit_tag_is_left_alone() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("an_anchor_is_quoted_once");
    // Helm prints "4.1" for A and B and "2.5" for C. The alias is fixed by quoting its anchor;
    // `!!float` asks for the number, and quoting after the tag would not change it.
    let file = dir.file(
        "values.yaml",
        format!(
            "{REQUIRED_210}  components:\n    api:\n      extraEnv:\n        open:\n          A: &v 4.10\n          B: *v\n          C: !!float 2.50\n"
        ),
    );
    assert_eq!(
        findings(
            &chart(&s, "suse-observability-2.10.3"),
            &[],
            &file,
            &["SL104"]
        ),
        [
            "FILE:9:17: error[SL104] `stackstate.components.api.extraEnv.open.A: 4.10` is a YAML number: Helm renders it as `4.1`, not `4.10`, in Deployment release-name-suse-observability-api (suse-observability/templates/api/deployment-api.yaml)",
        ]
    );
}

#[test]
fn every_object_a_mangled_tag_lands_in_is_counted() {
    let Some(s) = shared() else { return };
    let run = bin::run(&[
        "--chart",
        chart(&s, "suse-observability-2.10.3").to_str().unwrap(),
        "--format",
        "json",
        s.join("render/cases/c/16-numeric-tags.yaml")
            .to_str()
            .unwrap(),
    ]);
    let json: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    let first = &json["findings"][0];
    assert_eq!(first["key"], "stackstate.components.all.image.tag");
    let notes: Vec<&str> = first["notes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n.as_str().unwrap())
        .collect();
    // The message names one object, three notes the next ones, the last note the rest.
    let rest: usize = notes[3]
        .strip_prefix("and in ")
        .and_then(|r| r.strip_suffix(" more objects"))
        .unwrap()
        .parse()
        .unwrap();
    let docs = helm_documents(&s, "suse-observability-2.10.3", "16-numeric-tags");
    let by_helm = docs
        .iter()
        .filter(|(_, d)| d.contains(":7.1\"") || d.contains(":7.1\n") || d.contains(":7.1-"))
        .count();
    assert_eq!((notes.len(), 1 + 3 + rest), (4, by_helm));
}

/// `--set-json` with an object that holds the number (how pipelines pass structured overrides):
/// Go's JSON decoder reads `5.10` as the float64 5.1, and Helm 3.17.3 renders
/// `stackstate-server-stable:5.1`. The finding names the flag, not a line of the file.
#[test]
fn a_number_inside_set_json_objects() {
    let Some(s) = shared() else { return };
    let dir = Scratch::new("a_number_inside_set_json_objects");
    let file = dir.file("values.yaml", REQUIRED_4X);
    for (json, written, printed) in [
        (
            r#"stackstate.components.all.image={"tag":5.10}"#,
            "5.10",
            "5.1",
        ),
        (
            r#"stackstate.components={"all": {"image": {"tag": 1e3}}}"#,
            "1e3",
            "1000",
        ),
    ] {
        let found = findings(
            &chart(&s, "stackstate-5.1.15"),
            &[
                "--set",
                "anomaly-detection.enabled=false",
                "--set-json",
                json,
            ],
            &file,
            &["SL104"],
        );
        assert_eq!(
            found,
            [format!(
                "FILE:1:1: error[SL104] `--set-json stackstate.components.all.image.tag={written}` gives a number: Helm renders it as `{printed}`, not `{written}`, in Deployment release-name-stackstate-api (stackstate/templates/deployment-api.yaml)"
            )]
        );
    }
}
