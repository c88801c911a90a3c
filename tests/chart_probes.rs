//! `stackstate-lint render` on small charts written for the chart pipeline around the engine:
//! Helm's loader checks (Chart.yaml, lock files, subcharts), dependency processing (conditions,
//! tags, aliases, what `.Chart.Dependencies` shows), `global`, `--no-hooks`, install order and
//! the order of `charts/`. Each expectation is what real Helm printed for the same chart
//! (`helm template x DIR`): Helm 3.17.3, or Helm 4.1.4 where a test says so. Where Helm fails,
//! it printed `Error: …` and exited 1; stackstate-lint prints the same line and exits 2 when
//! Helm's loader refuses the chart (an input error), 1 when the render fails.

use std::io::Write;
use std::path::Path;

/// A chart's files: (path in the chart folder, text). `A//P` is the file `P` of the subchart
/// archive `A` (`charts/b-0.1.0.tgz//Chart.yaml`), packed under the top folder `b`.
type Files<'a> = &'a [(&'a str, &'a str)];

fn pack(name: &str, files: &[(&str, &str)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (path, text) in files {
        let mut header = tar::Header::new_gnu();
        header.set_size(text.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder
            .append_data(&mut header, format!("{name}/{path}"), text.as_bytes())
            .unwrap();
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&builder.into_inner().unwrap()).unwrap();
    gz.finish().unwrap()
}

fn write(dir: &Path, files: Files<'_>) {
    std::fs::create_dir_all(dir).unwrap();
    let mut archives: Vec<(&str, Vec<(&str, &str)>)> = Vec::new();
    for (path, text) in files {
        match path.split_once("//") {
            Some((archive, inner)) => match archives.iter_mut().find(|(a, _)| *a == archive) {
                Some((_, list)) => list.push((inner, text)),
                None => archives.push((archive, vec![(inner, text)])),
            },
            None => {
                let at = dir.join(path);
                std::fs::create_dir_all(at.parent().unwrap()).unwrap();
                std::fs::write(at, text).unwrap();
            }
        }
    }
    for (archive, list) in archives {
        let at = dir.join(archive);
        std::fs::create_dir_all(at.parent().unwrap()).unwrap();
        let file = at.file_name().unwrap().to_string_lossy().to_string();
        let top = file.rsplit_once('-').map_or(file.as_str(), |(n, _)| n);
        std::fs::write(&at, pack(top, &list)).unwrap();
    }
}

/// Writes the chart and runs `stackstate-lint render x --chart DIR ARGS`: Ok(stdout) on exit 0,
/// else Err((exit code, stderr)).
fn render(files: Files<'_>, args: &[&str]) -> Result<String, (i32, String)> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static N: AtomicUsize = AtomicUsize::new(0);
    let root = std::env::temp_dir().join(format!(
        "stackstate-lint-chart-probe-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let dir = root.join("x");
    write(&dir, files);
    let mut argv = vec![
        "stackstate-lint".to_string(),
        "render".to_string(),
        "x".to_string(),
        "--chart".to_string(),
        dir.display().to_string(),
    ];
    argv.extend(args.iter().map(|a| a.to_string()));
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(argv, false, &mut out, &mut err);
    std::fs::remove_dir_all(&root).ok();
    let (out, err) = (
        String::from_utf8(out).unwrap(),
        String::from_utf8(err).unwrap(),
    );
    if code == 0 {
        assert_eq!(err, "");
        Ok(out)
    } else {
        assert_eq!(out, "");
        Err((code, err))
    }
}

fn ok(text: &str) -> Result<String, (i32, String)> {
    Ok(text.to_string())
}

/// Helm's loader refused the chart: its message, exit 2.
fn refused(message: &str) -> Result<String, (i32, String)> {
    Err((2, format!("Error: {message}\n")))
}

#[test]
fn every_subchart_gets_a_global_map() {
    // Helm's coalesceGlobals gives each subchart's values a `global` map, even where neither
    // the parent nor the subchart has one; the top chart gets none.
    assert_eq!(
        render(
            &[
                (
                    "Chart.yaml",
                    "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: s\n  version: 0.1.0\n  repository: file://charts/s\n"
                ),
                ("values.yaml", "k: 1\n"),
                (
                    "templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: top\ndata:\n  v: {{ toJson .Values | quote }}\n"
                ),
                (
                    "charts/s/Chart.yaml",
                    "apiVersion: v2\nname: s\nversion: 0.1.0\n"
                ),
                (
                    "charts/s/templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  v: {{ toJson .Values | quote }}\n  registry: {{ .Values.global.registry | default \"docker.io\" }}\n"
                ),
                (
                    "charts/s/charts/ss/Chart.yaml",
                    "apiVersion: v2\nname: ss\nversion: 0.1.0\n"
                ),
                (
                    "charts/s/charts/ss/templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ss\ndata:\n  v: {{ toJson .Values | quote }}\n"
                ),
            ],
            &[]
        ),
        ok(r##"---
# Source: x/charts/s/charts/ss/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: ss
data:
  v: "{\"global\":{}}"
---
# Source: x/charts/s/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
data:
  v: "{\"global\":{},\"ss\":{\"global\":{}}}"
  registry: docker.io
---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: top
data:
  v: "{\"k\":1,\"s\":{\"global\":{},\"ss\":{\"global\":{}}}}"
"##)
    );
}

const DEPENDENCIES: Files<'static> = &[
    (
        "Chart.yaml",
        "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: a\n  version: \">=0.1.0\"\n  repository: file://charts/a\n  condition: a.enabled\n  tags: [front]\n- name: b\n  alias: bee\n  version: 0.1.0\n  repository: https://example.com/charts\n  import-values:\n  - data\n  - child: x.y\n    parent: z\n- name: c\n  repository: \"\"\n  condition: c.enabled,other.enabled\nmaintainers:\n- name: Ann\n  email: ann@example.com\n  url: https://ann.example.com\n- name: Bob\n",
    ),
    (
        "templates/t.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  deps: {{ toJson .Chart.Dependencies | quote }}\n  maintainers: {{ toJson .Chart.Maintainers | quote }}\n  yaml: {{ toYaml .Chart.Dependencies | quote }}\n  url: {{ (index .Chart.Maintainers 0).URL }}\n",
    ),
    (
        "charts/a/Chart.yaml",
        "apiVersion: v2\nname: a\nversion: 0.1.0\n",
    ),
    (
        "charts/b/Chart.yaml",
        "apiVersion: v2\nname: b\nversion: 0.1.0\n",
    ),
    (
        "charts/b/values.yaml",
        "exports:\n  data:\n    d: 1\nx:\n  \"y\":\n    w: 2\n",
    ),
    (
        "charts/c/Chart.yaml",
        "apiVersion: v2\nname: c\nversion: 0.1.0\n",
    ),
];

#[test]
fn chart_dependencies_and_maintainers_print_with_helms_json_names() {
    // Helm 3: `[]*chart.Dependency` and `[]*chart.Maintainer`, marshalled with their JSON tags
    // (omitempty everywhere but a dependency's name and repository); import-values as Helm
    // rewrites them (`data` is `exports.data` into `.`), an alias as the name.
    assert_eq!(
        render(DEPENDENCIES, &[]),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  deps: "[{\"name\":\"a\",\"version\":\"\\u003e=0.1.0\",\"repository\":\"file://charts/a\",\"condition\":\"a.enabled\",\"tags\":[\"front\"],\"enabled\":true},{\"name\":\"bee\",\"version\":\"0.1.0\",\"repository\":\"https://example.com/charts\",\"enabled\":true,\"import-values\":[{\"child\":\"exports.data\",\"parent\":\".\"},{\"child\":\"x.y\",\"parent\":\"z\"}],\"alias\":\"bee\"},{\"name\":\"c\",\"repository\":\"\",\"condition\":\"c.enabled,other.enabled\",\"enabled\":true}]"
  maintainers: "[{\"name\":\"Ann\",\"email\":\"ann@example.com\",\"url\":\"https://ann.example.com\"},{\"name\":\"Bob\"}]"
  yaml: "- condition: a.enabled\n  enabled: true\n  name: a\n  repository: file://charts/a\n  tags:\n  - front\n  version: '>=0.1.0'\n- alias: bee\n  enabled: true\n  import-values:\n  - child: exports.data\n    parent: .\n  - child: x.y\n    parent: z\n  name: bee\n  repository: https://example.com/charts\n  version: 0.1.0\n- condition: c.enabled,other.enabled\n  enabled: true\n  name: c\n  repository: \"\""
  url: https://ann.example.com
"##)
    );
    // Helm 4.1.4: `.Chart` is a map made by reflection, every field under its Go name.
    assert_eq!(
        render(DEPENDENCIES, &["--helm-version", "4"]),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  deps: "[{\"Alias\":\"\",\"Condition\":\"a.enabled\",\"Enabled\":true,\"ImportValues\":[],\"Name\":\"a\",\"Repository\":\"file://charts/a\",\"Tags\":[\"front\"],\"Version\":\"\\u003e=0.1.0\"},{\"Alias\":\"bee\",\"Condition\":\"\",\"Enabled\":true,\"ImportValues\":[{\"child\":\"exports.data\",\"parent\":\".\"},{\"child\":\"x.y\",\"parent\":\"z\"}],\"Name\":\"bee\",\"Repository\":\"https://example.com/charts\",\"Tags\":[],\"Version\":\"0.1.0\"},{\"Alias\":\"\",\"Condition\":\"c.enabled,other.enabled\",\"Enabled\":true,\"ImportValues\":[],\"Name\":\"c\",\"Repository\":\"\",\"Tags\":[],\"Version\":\"\"}]"
  maintainers: "[{\"Email\":\"ann@example.com\",\"Name\":\"Ann\",\"URL\":\"https://ann.example.com\"},{\"Email\":\"\",\"Name\":\"Bob\",\"URL\":\"\"}]"
  yaml: "- Alias: \"\"\n  Condition: a.enabled\n  Enabled: true\n  ImportValues: []\n  Name: a\n  Repository: file://charts/a\n  Tags:\n  - front\n  Version: '>=0.1.0'\n- Alias: bee\n  Condition: \"\"\n  Enabled: true\n  ImportValues:\n  - child: exports.data\n    parent: .\n  - child: x.y\n    parent: z\n  Name: bee\n  Repository: https://example.com/charts\n  Tags: []\n  Version: 0.1.0\n- Alias: \"\"\n  Condition: c.enabled,other.enabled\n  Enabled: true\n  ImportValues: []\n  Name: c\n  Repository: \"\"\n  Tags: []\n  Version: \"\""
  url: https://ann.example.com
"##)
    );
}

#[test]
fn only_the_dependencies_helm_keeps_are_listed() {
    // A tag and a condition switch `a` and `c` off: Helm drops them from the chart's metadata.
    let mut files = DEPENDENCIES.to_vec();
    files.push((
        "values.yaml",
        "tags:\n  front: false\nother:\n  enabled: false\n",
    ));
    assert_eq!(
        render(&files, &[]),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  deps: "[{\"name\":\"bee\",\"version\":\"0.1.0\",\"repository\":\"https://example.com/charts\",\"enabled\":true,\"import-values\":[{\"child\":\"exports.data\",\"parent\":\".\"},{\"child\":\"x.y\",\"parent\":\"z\"}],\"alias\":\"bee\"}]"
  maintainers: "[{\"name\":\"Ann\",\"email\":\"ann@example.com\",\"url\":\"https://ann.example.com\"},{\"name\":\"Bob\"}]"
  yaml: "- alias: bee\n  enabled: true\n  import-values:\n  - child: exports.data\n    parent: .\n  - child: x.y\n    parent: z\n  name: bee\n  repository: https://example.com/charts\n  version: 0.1.0"
  url: https://ann.example.com
"##)
    );
    // None left: Helm appends the kept ones to a nil slice, so `toJson` says null; no
    // maintainers is a nil slice too.
    assert_eq!(
        render(
            &[
                (
                    "Chart.yaml",
                    "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: a\n  repository: \"\"\n  condition: a.en\n"
                ),
                ("values.yaml", "a:\n  en: true\n"),
                (
                    "templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  deps: {{ toJson .Chart.Dependencies | quote }}\n  count: {{ len .Chart.Dependencies | quote }}\n  maintainers: {{ toJson .Chart.Maintainers | quote }}\n"
                ),
                (
                    "charts/a/Chart.yaml",
                    "apiVersion: v2\nname: a\nversion: 0.1.0\n"
                ),
            ],
            &["--set", "a.en=false"]
        ),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  deps: "null"
  count: "0"
  maintainers: "null"
"##)
    );
}

const HOOKS: Files<'static> = &[
    ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
    (
        "templates/h.yaml",
        "---\napiVersion: v1\nkind: Job\nmetadata:\n  name: h0\n  annotations:\n    helm.sh/hook: pre-install\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: h1\n  annotations:\n    helm.sh/hook: post-install\n---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: h2\n  annotations:\n    helm.sh/hook: test\n---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: plain\n",
    ),
];

#[test]
fn no_hooks_leaves_every_hook_out() {
    assert_eq!(
        render(HOOKS, &[]),
        ok(r##"---
# Source: x/templates/h.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
---
# Source: x/templates/h.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: h1
  annotations:
    helm.sh/hook: post-install
---
# Source: x/templates/h.yaml
apiVersion: v1
kind: Pod
metadata:
  name: h2
  annotations:
    helm.sh/hook: test
---
# Source: x/templates/h.yaml
apiVersion: v1
kind: Job
metadata:
  name: h0
  annotations:
    helm.sh/hook: pre-install
"##)
    );
    // Helm 3.17.3 and Helm 4.1.4 alike.
    let plain = r##"---
# Source: x/templates/h.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
"##;
    assert_eq!(
        out_of_helm4_equal(
            plain,
            r##"---
# Source: x/templates/h.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: plain
"##
        ),
        plain
    );
    assert_eq!(render(HOOKS, &["--no-hooks"]), ok(plain));
    assert_eq!(
        render(HOOKS, &["--no-hooks", "--helm-version", "4"]),
        ok(plain)
    );
}

/// Both Helms printed the same text.
fn out_of_helm4_equal<'a>(helm3: &'a str, helm4: &str) -> &'a str {
    assert_eq!(helm3, helm4);
    helm3
}

const KINDS: Files<'static> = &[
    ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
    (
        "templates/k.yaml",
        "---\napiVersion: v1\nkind: ValidatingWebhookConfiguration\nmetadata:\n  name: k0\n---\napiVersion: v1\nkind: Certificate\nmetadata:\n  name: k1\n---\napiVersion: v1\nkind: MutatingWebhookConfiguration\nmetadata:\n  name: k2\n---\napiVersion: v1\nkind: APIService\nmetadata:\n  name: k3\n---\napiVersion: v1\nkind: Deployment\nmetadata:\n  name: k4\n",
    ),
];

#[test]
fn helm_4_installs_admission_webhooks_after_the_kinds_it_knows() {
    // Helm 3.17.3: webhook configurations are unknown kinds, sorted by name after the known.
    assert_eq!(
        render(KINDS, &[]),
        ok(r##"---
# Source: x/templates/k.yaml
apiVersion: v1
kind: Deployment
metadata:
  name: k4
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: APIService
metadata:
  name: k3
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: Certificate
metadata:
  name: k1
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: MutatingWebhookConfiguration
metadata:
  name: k2
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: ValidatingWebhookConfiguration
metadata:
  name: k0
"##)
    );
    // Helm 4.1.4's InstallOrder ends with MutatingWebhookConfiguration and
    // ValidatingWebhookConfiguration, before any unknown kind.
    assert_eq!(
        render(KINDS, &["--helm-version", "4"]),
        ok(r##"---
# Source: x/templates/k.yaml
apiVersion: v1
kind: Deployment
metadata:
  name: k4
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: APIService
metadata:
  name: k3
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: MutatingWebhookConfiguration
metadata:
  name: k2
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: ValidatingWebhookConfiguration
metadata:
  name: k0
---
# Source: x/templates/k.yaml
apiVersion: v1
kind: Certificate
metadata:
  name: k1
"##)
    );
}

#[test]
fn charts_are_read_in_name_order() {
    // Helm reads charts/ through a Go map filled in walk order: in name order most often
    // (Helm 3.17.3's most frequent output over 15 runs), folders and archives alike.
    assert_eq!(
        render(
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                (
                    "templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  subcharts: {{ keys .Subcharts | sortAlpha | join \",\" | quote }}\n"
                ),
                (
                    "charts/c/Chart.yaml",
                    "apiVersion: v2\nname: c\nversion: 0.1.0\n"
                ),
                (
                    "charts/c/crds/c.yaml",
                    "kind: CustomResourceDefinition\nmetadata:\n  name: c\n"
                ),
                (
                    "charts/a/Chart.yaml",
                    "apiVersion: v2\nname: a\nversion: 0.1.0\n"
                ),
                (
                    "charts/a/crds/a.yaml",
                    "kind: CustomResourceDefinition\nmetadata:\n  name: a\n"
                ),
                (
                    "charts/B/Chart.yaml",
                    "apiVersion: v2\nname: B\nversion: 0.1.0\n"
                ),
                (
                    "charts/B/crds/B.yaml",
                    "kind: CustomResourceDefinition\nmetadata:\n  name: B\n"
                ),
                (
                    "charts/b-0.1.0.tgz//Chart.yaml",
                    "apiVersion: v2\nname: b\nversion: 0.1.0\n"
                ),
                (
                    "charts/b-0.1.0.tgz//crds/b.yaml",
                    "kind: CustomResourceDefinition\nmetadata:\n  name: b\n"
                ),
            ],
            &["--include-crds"]
        ),
        ok(r##"---
# Source: x/charts/B/crds/B.yaml
kind: CustomResourceDefinition
metadata:
  name: B

---
# Source: x/charts/a/crds/a.yaml
kind: CustomResourceDefinition
metadata:
  name: a

---
# Source: x/charts/b/crds/b.yaml
kind: CustomResourceDefinition
metadata:
  name: b

---
# Source: x/charts/c/crds/c.yaml
kind: CustomResourceDefinition
metadata:
  name: c

---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  subcharts: "B,a,b,c"
"##)
    );
}

#[test]
fn a_condition_is_trimmed_as_a_whole() {
    // Helm trims the condition, splits it at commas and reads each path as it is: in
    // `a.en, b.en` the second path is ` b.en`, which no value has.
    let rendered = r##"---
# Source: x/charts/s/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
data:
"##;
    for (condition, values, on) in [
        ("a.en, b.en", "b:\n  en: false\n", true),
        (" a.en , b.en ", "a:\n  en: false\nb:\n  en: false\n", true),
        ("a.en ,b.en", "a:\n  en: false\n", true),
        ("x.en,,b.en", "b:\n  en: false\n", false),
    ] {
        let chart = format!(
            "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: s\n  repository: \"\"\n  condition: {condition:?}\n"
        );
        let files: Files<'_> = &[
            ("Chart.yaml", &chart),
            ("values.yaml", values),
            (
                "charts/s/Chart.yaml",
                "apiVersion: v2\nname: s\nversion: 0.1.0\n",
            ),
            (
                "charts/s/templates/t.yaml",
                "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n",
            ),
        ];
        let want = if on { rendered } else { "\n" };
        assert_eq!(render(files, &[]), ok(want), "{condition:?} {values:?}");
    }
}

const UNDER_S: Files<'static> = &[
    (
        "values.yaml",
        "s:\n  q:\n    en: false\ntags:\n  t: false\n",
    ),
    (
        "charts/s/Chart.yaml",
        "apiVersion: v2\nname: s\nversion: 0.1.0\ndependencies:\n- name: q\n  repository: \"\"\n  condition: q.en\n- name: r\n  repository: \"\"\n  tags: [t]\n- name: w\n  alias: ww\n  repository: \"\"\n",
    ),
    (
        "charts/s/templates/t.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n  deps: {{ toJson .Chart.Dependencies | quote }}\n  subcharts: {{ keys .Subcharts | sortAlpha | join \",\" | quote }}\n",
    ),
    (
        "charts/s/charts/q/Chart.yaml",
        "apiVersion: v2\nname: q\nversion: 0.1.0\n",
    ),
    (
        "charts/s/charts/r/Chart.yaml",
        "apiVersion: v2\nname: r\nversion: 0.1.0\n",
    ),
    (
        "charts/s/charts/w/Chart.yaml",
        "apiVersion: v2\nname: w\nversion: 0.1.0\n",
    ),
];

#[test]
fn nothing_is_processed_below_a_chart_without_dependencies() {
    // Helm's processDependencyEnabled stops at a chart whose Chart.yaml lists no dependencies:
    // below it no condition, tag or alias applies, and `.Chart.Dependencies` is as written.
    let mut files = UNDER_S.to_vec();
    files.push(("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"));
    assert_eq!(
        render(&files, &[]),
        ok(r##"---
# Source: x/charts/s/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
data:
  deps: "[{\"name\":\"q\",\"repository\":\"\",\"condition\":\"q.en\"},{\"name\":\"r\",\"repository\":\"\",\"tags\":[\"t\"]},{\"name\":\"w\",\"repository\":\"\",\"alias\":\"ww\"}]"
  subcharts: "q,r,w"
"##)
    );
    // Declared by the top chart, `s` is processed: `q` and `r` are off, `w` is `ww`.
    files.pop();
    files.push((
        "Chart.yaml",
        "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: s\n  repository: \"\"\n",
    ));
    assert_eq!(
        render(&files, &[]),
        ok(r##"---
# Source: x/charts/s/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
data:
  deps: "[{\"name\":\"ww\",\"repository\":\"\",\"enabled\":true,\"alias\":\"ww\"}]"
  subcharts: "w"
"##)
    );
}

#[test]
fn a_subcharts_own_tags_count_for_its_dependencies() {
    // Helm coalesces a subchart's defaults into the top of the values before it processes the
    // subchart's dependencies: `tags.q: false` in s's values.yaml switches q off.
    assert_eq!(
        render(
            &[
                (
                    "Chart.yaml",
                    "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: s\n  repository: \"\"\n"
                ),
                (
                    "charts/s/Chart.yaml",
                    "apiVersion: v2\nname: s\nversion: 0.1.0\ndependencies:\n- name: q\n  repository: \"\"\n  tags: [q]\n"
                ),
                ("charts/s/values.yaml", "tags:\n  q: false\n"),
                (
                    "charts/s/templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: s\ndata:\n"
                ),
                (
                    "charts/s/charts/q/Chart.yaml",
                    "apiVersion: v2\nname: q\nversion: 0.1.0\n"
                ),
                (
                    "charts/s/charts/q/templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: q\ndata:\n"
                ),
            ],
            &[]
        ),
        ok(r##"---
# Source: x/charts/s/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: s
data:
"##)
    );
}

#[test]
fn the_loader_refuses_what_helm_refuses() {
    // Chart.yaml decoded into chart.Metadata (encoding/json's type errors), then
    // Metadata.Validate.
    for (chart_yaml, message) in [
        (
            "apiVersion: v2\nversion: 0.1.0\n",
            "validation: chart.metadata.name is required",
        ),
        (
            "apiVersion: v2\nname: x\n",
            "validation: chart.metadata.version is required",
        ),
        (
            "apiVersion: v2\nname: x\nversion: one\n",
            "validation: chart.metadata.version \"one\" is invalid",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\ntype: app\n",
            "validation: chart.metadata.type must be application or library",
        ),
        (
            "apiVersion: v2\nname: a/x\nversion: 0.1.0\n",
            "validation: chart.metadata.name \"a/x\" is invalid",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\nmaintainers:\n- null\n",
            "validation: maintainers must not contain empty or null nodes",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\nmaintainers:\n- bob\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.maintainers of type chart.Maintainer",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- null\n",
            "validation: dependencies must not contain empty or null nodes",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: a\n  alias: a.b\n  repository: ''\n",
            "validation: dependency \"a\" has disallowed characters in the alias",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: a\n  repository: ''\n- name: b\n  alias: a\n  repository: ''\n",
            "validation: more than one dependency with name or alias \"a\"",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\ndependencies:\n- name: a\n  tags: t\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Dependency.dependencies.tags of type []string",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\nkeywords: abc\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.keywords of type []string",
        ),
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\ndeprecated: 'yes'\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.deprecated of type bool",
        ),
        (
            "- a\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type chart.Metadata",
        ),
        ("", "validation: chart.metadata.name is required"),
    ] {
        assert_eq!(
            render(&[("Chart.yaml", chart_yaml)], &[]),
            refused(message),
            "{chart_yaml:?}"
        );
    }
    // A subchart's refusal names the entry of charts/ and the parent.
    for (name, files) in [
        (
            "bad_sub",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                (
                    "charts/s/Chart.yaml",
                    "apiVersion: v2\nname: x\nversion: one\n",
                ),
            ],
        ),
        (
            "bad_sub_archive",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                (
                    "charts/s-0.1.0.tgz//Chart.yaml",
                    "apiVersion: v2\nname: x\n",
                ),
            ],
        ),
        (
            "bad_sub_missing",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                ("charts/notes.txt", "x\n"),
            ],
        ),
        (
            "bad_values",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                ("values.yaml", "- a\n"),
            ],
        ),
    ] {
        let want = match name {
            "bad_sub" => {
                "error unpacking subchart s in x: validation: chart.metadata.version \"one\" is invalid"
            }
            "bad_sub_archive" => {
                "error unpacking subchart s-0.1.0.tgz in x: validation: chart.metadata.version is required"
            }
            "bad_sub_missing" => {
                "error unpacking subchart notes.txt in x: Chart.yaml file is missing"
            }
            _ => {
                "cannot load values.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
            }
        };
        assert_eq!(render(files, &[]), refused(want), "{name}");
    }
}

#[test]
fn the_loader_takes_what_helm_takes() {
    // No apiVersion is v1; numbers are text; a version Masterminds/semver reads (`1.2`) is
    // valid; white space in strings is one space; a null source is an empty string.
    assert_eq!(
        render(
            &[
                (
                    "Chart.yaml",
                    "name: x\nversion: 1.2\nappVersion: 1.10\ndescription: \"a\\tb\"\nsources:\n- null\n"
                ),
                (
                    "templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  chart: {{ toJson .Chart | quote }}\n"
                ),
            ],
            &[]
        ),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  chart: "{\"name\":\"x\",\"sources\":[\"\"],\"version\":\"1.2\",\"description\":\"a b\",\"apiVersion\":\"v1\",\"appVersion\":\"1.1\",\"IsRoot\":true}"
"##)
    );
}

#[test]
fn lock_files_are_read_as_helm_reads_them() {
    // Chart.lock decoded into chart.Lock: `generated` is a time.Time in RFC 3339.
    for (lock, message) in [
        (
            "dependencies: [\n",
            "cannot load Chart.lock: error converting YAML to JSON: yaml: line 1: did not find expected node content",
        ),
        (
            "dependencies:\n  name: s\n",
            "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go struct field Lock.dependencies of type []*chart.Dependency",
        ),
        (
            "generated: yesterday\n",
            "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\"",
        ),
        (
            "generated: 2024-01-01\n",
            "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: parsing time \"2024-01-01\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"\" as \"T\"",
        ),
        (
            "generated: 5\n",
            "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: Time.UnmarshalJSON: input is not a JSON string",
        ),
        (
            "- a\n",
            "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type chart.Lock",
        ),
    ] {
        let files: Files<'_> = &[
            ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
            ("Chart.lock", lock),
        ];
        assert_eq!(render(files, &[]), refused(message), "{lock:?}");
    }
    assert_eq!(
        render(
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                ("requirements.lock", "generated: yesterday\n"),
            ],
            &[]
        ),
        refused(
            "cannot load requirements.lock: error unmarshaling JSON: while decoding JSON: parsing time \"yesterday\" as \"2006-01-02T15:04:05Z07:00\": cannot parse \"yesterday\" as \"2006\""
        )
    );
    assert_eq!(
        render(
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                (
                    "Chart.lock",
                    "dependencies: []\ndigest: sha256:0\ngenerated: \"2024-01-01T10:00:00.5+02:00\"\n"
                ),
                (
                    "templates/t.yaml",
                    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n"
                ),
            ],
            &[]
        ),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
"##)
    );
}

const CAPABILITIES: Files<'static> = &[
    ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
    (
        "templates/t.yaml",
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  kube: {{ toJson .Capabilities.KubeVersion | quote }}\n  helm: {{ toJson .Capabilities.HelmVersion | quote }}\n  apis: {{ len .Capabilities.APIVersions | quote }}\n  has: {{ .Capabilities.APIVersions.Has \"resource.k8s.io/v1\" | quote }}\n  types: {{ printf \"%T %T\" .Capabilities .Capabilities.KubeVersion | quote }}\n  structs: {{ printf \"%+v|%#v\" .Capabilities.KubeVersion .Capabilities.HelmVersion | quote }}\n",
    ),
];

#[test]
fn helm_4s_capabilities_are_helm_4s() {
    // Helm 3.17.3: Kubernetes v1.32.0, 56 API versions.
    assert_eq!(
        render(CAPABILITIES, &[]),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  kube: "{\"Version\":\"v1.32.0\",\"Major\":\"1\",\"Minor\":\"32\"}"
  helm: "{\"version\":\"v3.17.3\",\"git_commit\":\"e4da49785aa6e6ee2b86efd5dd9e43400318262b\",\"git_tree_state\":\"clean\",\"go_version\":\"go1.23.7\"}"
  apis: "56"
  has: "false"
  types: "*chartutil.Capabilities chartutil.KubeVersion"
  structs: "{Version:v1.32.0 Major:1 Minor:32}|version.BuildInfo{Version:\"v3.17.3\", GitCommit:\"e4da49785aa6e6ee2b86efd5dd9e43400318262b\", GitTreeState:\"clean\", GoVersion:\"go1.23.7\"}"
"##)
    );
    // Helm 4.1.4: Kubernetes v1.35.0, client-go 1.35's 57 API versions, its build (with the
    // client-go version), its package names, its KubeVersion's unexported field.
    assert_eq!(
        render(CAPABILITIES, &["--helm-version", "4"]),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
  kube: "{\"Version\":\"v1.35.0\",\"Major\":\"1\",\"Minor\":\"35\"}"
  helm: "{\"version\":\"v4.1.4\",\"git_commit\":\"05fa37973dc9e42b76e1d2883494c87174b6074f\",\"git_tree_state\":\"clean\",\"go_version\":\"go1.25.9\",\"kube_client_version\":\"v1.35\"}"
  apis: "57"
  has: "true"
  types: "*common.Capabilities common.KubeVersion"
  structs: "{Version:v1.35.0 normalizedVersion:v1.35.0 Major:1 Minor:35}|version.BuildInfo{Version:\"v4.1.4\", GitCommit:\"05fa37973dc9e42b76e1d2883494c87174b6074f\", GitTreeState:\"clean\", GoVersion:\"go1.25.9\", KubeClientVersion:\"v1.35\"}"
"##)
    );
    // A chart for Kubernetes 1.33 and later installs with Helm 4 only.
    let files = &[
        (
            "Chart.yaml",
            "apiVersion: v2\nname: x\nversion: 0.1.0\nkubeVersion: \">=1.33.0-0\"\n",
        ),
        (
            "templates/t.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n",
        ),
    ];
    assert_eq!(
        render(files, &[]),
        Err((1, "Error: chart requires kubeVersion: >=1.33.0-0 which is incompatible with Kubernetes v1.32.0\n\nUse --debug flag to render out invalid YAML\n".to_string()))
    );
    assert_eq!(
        render(files, &["--helm-version", "4"]),
        ok(r##"---
# Source: x/templates/t.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: x
data:
"##)
    );
}

#[test]
fn helm_4s_loader_refuses_in_its_own_words() {
    // Helm 4.1.4 first reads the top chart's apiVersion alone (loader.chartBase), loads v1 and
    // v2 charts with its v2 package, refuses a name of `.` or `..`, and loads an apiVersion v3
    // chart only to refuse to install it.
    for (chart_yaml, message) in [
        (
            "apiVersion: v2\nname: x\nversion: 0.1.0\nmaintainers:\n- bob\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go struct field Metadata.maintainers of type v2.Maintainer",
        ),
        (
            "- a\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type loader.chartBase",
        ),
        (
            "apiVersion: [a]\nname: x\nversion: 0.1.0\n",
            "cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go struct field chartBase.apiVersion of type string",
        ),
        (
            "apiVersion: v9\nname: x\nversion: 0.1.0\n",
            "unsupported chart version",
        ),
        (
            "apiVersion: v3\nname: x\nversion: 0.1.0\n",
            "invalid chart apiVersion",
        ),
        (
            "apiVersion: v3\nname: x\n",
            "validation: chart.metadata.version is required",
        ),
        (
            "apiVersion: v2\nname: .\nversion: 0.1.0\n",
            "validation: chart.metadata.name \".\" is not allowed",
        ),
    ] {
        assert_eq!(
            render(&[("Chart.yaml", chart_yaml)], &["--helm-version", "4"]),
            refused(message),
            "{chart_yaml:?}"
        );
    }
    for (name, files) in [
        (
            "h4_values",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                ("values.yaml", "- a\n"),
            ],
        ),
        (
            "h4_lock",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                ("Chart.lock", "- a\n"),
            ],
        ),
        (
            "h4_sub",
            &[
                ("Chart.yaml", "apiVersion: v2\nname: x\nversion: 0.1.0\n"),
                ("charts/s/Chart.yaml", "- a\n"),
            ],
        ),
    ] {
        let want = match name {
            "h4_values" => {
                "cannot load values.yaml: cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
            }
            "h4_lock" => {
                "cannot load Chart.lock: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type v2.Lock"
            }
            _ => {
                "error unpacking subchart s in x: cannot load Chart.yaml: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type v2.Metadata"
            }
        };
        assert_eq!(
            render(files, &["--helm-version", "4"]),
            refused(want),
            "{name}"
        );
    }
}

/// A folder without Chart.yaml: Helm 3.17.3 loads it and finds no Chart.yaml ("Chart.yaml file
/// is missing"); Helm 4.1.4 looks for the file first ("unable to detect chart at
/// DIR/Chart.yaml: open DIR/Chart.yaml: no such file or directory"). Found on bitnami's
/// authentik folder, which holds only a README.
#[test]
fn a_folder_without_chart_yaml_is_refused_in_each_helms_words() {
    let files: Files<'_> = &[("templates/t.yaml", "a: 1\n")];
    assert_eq!(render(files, &[]), refused("Chart.yaml file is missing"));
    let (code, err) = render(files, &["--helm-version", "4"]).unwrap_err();
    assert_eq!(code, 2);
    let message = err
        .strip_prefix("Error: unable to detect chart at ")
        .unwrap_or(&err);
    let (file, rest) = message.split_once(": open ").unwrap_or(("", ""));
    assert!(file.ends_with("/x/Chart.yaml"), "{err}");
    assert_eq!(
        rest,
        format!("{file}: no such file or directory\n"),
        "{err}"
    );
}
