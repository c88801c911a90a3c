//! `--chart` with packaged charts the tests build themselves: a `.tgz` of the real 4.4.0 chart
//! skeleton with its subcharts as nested archives must give the same merged values and subcharts
//! as the built-in chart; aliases, `requirements.yaml`, conditions and tags must be honoured.

use std::io::Write;
use std::path::{Path, PathBuf};

use stackstate_lint::HelmVersion;
use stackstate_lint::Sources;
use stackstate_lint::chart;
use stackstate_lint::release::Release;
use stackstate_lint::value::{Map, Value};

fn temp(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "stackstate-lint-charts-{}-{name}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Packs `dir` as Helm does: one top folder named after the chart, subcharts as nested archives.
fn pack(dir: &Path, top: &str) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    add_chart(&mut builder, dir, top);
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    gz.finish().unwrap()
}

fn add_file(builder: &mut tar::Builder<Vec<u8>>, path: &str, data: &[u8]) {
    let mut header = tar::Header::new_gnu();
    header.set_size(data.len() as u64);
    header.set_mode(0o644);
    header.set_cksum();
    builder.append_data(&mut header, path, data).unwrap();
}

fn add_chart(builder: &mut tar::Builder<Vec<u8>>, dir: &Path, top: &str) {
    for name in ["Chart.yaml", "values.yaml", "requirements.yaml"] {
        if let Ok(data) = std::fs::read(dir.join(name)) {
            add_file(builder, &format!("{top}/{name}"), &data);
        }
    }
    let charts = dir.join("charts");
    if let Ok(entries) = std::fs::read_dir(&charts) {
        for e in entries {
            let sub = e.unwrap().path();
            let meta = std::fs::read_to_string(sub.join("Chart.yaml")).unwrap();
            let field = |k: &str| {
                meta.lines()
                    .find_map(|l| l.strip_prefix(&format!("{k}: ")))
                    .unwrap()
                    .trim()
                    .to_string()
            };
            let (name, version) = (field("name"), field("version"));
            let archive = pack(&sub, &name);
            add_file(
                builder,
                &format!("{top}/charts/{name}-{version}.tgz"),
                &archive,
            );
        }
    }
}

/// A value without its origins, comparable across charts loaded from different places.
fn plain(v: &Value) -> String {
    match v {
        Value::Map(m) => {
            let inner: Vec<String> = m
                .iter()
                .map(|(k, n)| format!("{k:?}: {}", plain(&n.value)))
                .collect();
            format!("{{{}}}", inner.join(", "))
        }
        Value::Seq(items) => {
            let inner: Vec<String> = items.iter().map(|n| plain(&n.value)).collect();
            format!("[{}]", inner.join(", "))
        }
        other => format!("{other:?}"),
    }
}

/// The merged values of a release of `chart` with `user`, and which subcharts it deploys.
fn merged(chart: &chart::Chart, user: Map) -> (String, Vec<bool>) {
    let release = Release::build(chart, user, HelmVersion::V3);
    let enabled = chart
        .dependencies
        .iter()
        .map(|d| release.is_enabled(std::slice::from_ref(&d.key)))
        .collect();
    (plain(&Value::Map(release.values.clone())), enabled)
}

#[test]
fn packaged_chart_with_nested_archives_matches_the_builtin_defaults() {
    let skeleton = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/charts/stackstate-4.4.0");
    if !skeleton.is_dir() {
        println!("skipped: ../shared/charts is not there");
        return;
    }
    let dir = temp("pack");
    let tgz = dir.join("stackstate-4.4.0.tgz");
    std::fs::write(&tgz, pack(&skeleton, "stackstate")).unwrap();
    let cases = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/conformance/cases");
    let mut checked = 0;
    for entry in std::fs::read_dir(&cases).unwrap() {
        let case = entry.unwrap().path();
        if case.is_dir() {
            continue;
        }
        let (case, tgz) = (case.display().to_string(), tgz.display().to_string());
        // The skeleton has no templates: what the archive must get right is the chart it
        // describes — the same defaults, subcharts and switches as the built-in chart.
        let text = std::fs::read_to_string(&case).unwrap();
        let builtin_chart = stackstate_lint::find_builtin_chart("stackstate", "4.4.0")
            .unwrap()
            .load(chart::Load::Values);
        let packed_chart = chart::load_path(Path::new(&tgz), &mut Sources::new()).unwrap();
        assert_eq!(
            merged(builtin_chart, user(&text)),
            merged(&packed_chart, user(&text)),
            "{case}"
        );
        checked += 1;
    }
    assert!(checked >= 30);
    let _ = std::fs::remove_dir_all(&dir);
}

/// A small chart: an aliased dependency with a condition, a tagged one, a v1 requirements.yaml
/// (each with a version range its subchart is in: Helm takes a dependency only then).
fn write_toy_chart(dir: &Path) {
    let w = |p: &str, t: &str| {
        let path = dir.join(p);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, t).unwrap();
    };
    w(
        "Chart.yaml",
        "apiVersion: v2\nname: stackstate\nversion: 4.4.0\ndependencies:\n- name: zookeeper\n  version: 5.16.0\n  alias: zk\n  condition: zk.enabled,ignored.enabled\n- name: minio\n  version: 8.x.x\n  tags: [backup]\n- name: legacy\n  version: '*'\n",
    );
    w(
        "values.yaml",
        "global:\n  imageRegistry: ''\nzk:\n  enabled: true\n  image:\n    tag: parent-tag\n",
    );
    w(
        "charts/zookeeper/Chart.yaml",
        "apiVersion: v2\nname: zookeeper\nversion: 5.16.0\n",
    );
    w(
        "charts/zookeeper/values.yaml",
        "image:\n  registry: docker.io\n  repository: bitnami/zookeeper\n  tag: sub-tag\n",
    );
    w(
        "charts/minio/Chart.yaml",
        "apiVersion: v2\nname: minio\nversion: 8.0.10\n",
    );
    w(
        "charts/minio/values.yaml",
        "image:\n  repository: minio/minio\n  tag: x\n",
    );
    w(
        "charts/legacy/Chart.yaml",
        "apiVersion: v1\nname: legacy\nversion: 0.1.0\n",
    );
    w(
        "charts/legacy/requirements.yaml",
        "dependencies:\n- name: inner\n  version: 1.0.0\n  condition: inner.active\n",
    );
    w(
        "charts/legacy/charts/inner/Chart.yaml",
        "apiVersion: v1\nname: inner\nversion: 1.0.0\n",
    );
    w(
        "charts/legacy/charts/inner/values.yaml",
        "active: false\nvalue: 1\n",
    );
}

fn user(yaml: &str) -> Map {
    let f =
        stackstate_lint::yaml::load(stackstate_lint::FileId(0), yaml, &Default::default()).unwrap();
    match f.documents.into_iter().next().map(|d| d.value) {
        Some(Value::Map(m)) => m,
        _ => Map::new(),
    }
}

#[test]
fn aliases_conditions_tags_and_requirements_are_honoured() {
    let dir = temp("toy");
    write_toy_chart(&dir);
    let mut sources = Sources::new();
    let c = chart::load_path(&dir, &mut sources).unwrap();
    let keys: Vec<&str> = c.dependencies.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(keys, ["zk", "minio", "legacy"]);
    assert_eq!(
        c.dependencies[0].conditions,
        ["zk.enabled", "ignored.enabled"]
    );
    assert_eq!(
        c.subchart(&["legacy", "inner"]).map(|s| s.version.as_str()),
        Some("1.0.0")
    );

    // Defaults: zk on (parent says so), minio on (no tags map), inner off (its own default).
    let r = Release::build(&c, Map::new(), HelmVersion::V3);
    assert_eq!(r.enabled, ["zk", "minio", "legacy"]);
    assert_eq!(r.disabled, ["legacy.inner"]);
    let zk = r.values_at(&["zk".into()]).unwrap();
    assert_eq!(
        zk["image"].as_map().unwrap()["tag"].value,
        Value::Str("parent-tag".into())
    );
    assert_eq!(
        zk["image"].as_map().unwrap()["registry"].value,
        Value::Str("docker.io".into())
    );

    // The condition follows the alias; tags switch minio off; a user value turns inner on;
    // globals reach the aliased subchart.
    let r = Release::build(
        &c,
        user(
            "zk:\n  enabled: false\ntags:\n  backup: false\nlegacy:\n  inner:\n    active: true\nglobal:\n  imageRegistry: r.example.com\n",
        ),
        HelmVersion::V3,
    );
    assert_eq!(r.enabled, ["legacy", "legacy.inner"]);
    assert!(r.disabled.contains(&"zk".to_string()) && r.disabled.contains(&"minio".to_string()));
    let r = Release::build(
        &c,
        user("global:\n  imageRegistry: r.example.com\n"),
        HelmVersion::V3,
    );
    let g = &r.values_at(&["zk".into()]).unwrap()["global"];
    assert_eq!(
        g.as_map().unwrap()["imageRegistry"].value,
        Value::Str("r.example.com".into())
    );

    // A packaged copy of the same chart reads the same.
    let tgz = dir.with_extension("tgz");
    std::fs::write(&tgz, pack(&dir, "stackstate")).unwrap();
    let packed = chart::load_path(&tgz, &mut sources).unwrap();
    let packed_keys: Vec<&str> = packed.dependencies.iter().map(|d| d.key.as_str()).collect();
    assert_eq!(packed_keys, keys);
    let _ = std::fs::remove_dir_all(&dir);
    let _ = std::fs::remove_file(&tgz);
}

/// An archive holding an entry twice (`tar -r` appends; a hand-made archive can do anything):
/// Helm's loader reads the entries in order, and the last `values.yaml`, `Chart.yaml` or
/// template of a path is the one it keeps. `helm template` 3.17.3 of such an archive deploys
/// the second `values.yaml`'s image; the tool read the first (an allow-list gate passed an
/// archive that deploys something else).
#[test]
fn an_entry_given_twice_in_an_archive_is_the_last_one_as_in_helm() {
    let dir = temp("twice");
    let mut builder = tar::Builder::new(Vec::new());
    add_file(
        &mut builder,
        "twice/Chart.yaml",
        b"apiVersion: v2\nname: twice\nversion: 0.1.0\n",
    );
    add_file(&mut builder, "twice/values.yaml", b"image: nginx:1.0\n");
    add_file(
        &mut builder,
        "twice/templates/pod.yaml",
        b"kind: Pod\nspec:\n  containers:\n  - name: a\n    image: first\n",
    );
    add_file(&mut builder, "twice/values.yaml", b"image: other:2\n");
    add_file(
        &mut builder,
        "twice/templates/pod.yaml",
        b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: a\n    image: {{ .Values.image }}\n",
    );
    let tar = builder.into_inner().unwrap();
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    gz.write_all(&tar).unwrap();
    let tgz = dir.join("twice-0.1.0.tgz");
    std::fs::write(&tgz, gz.finish().unwrap()).unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_stackstate-lint"))
        .args(["images", "--format", "plain", "--chart"])
        .arg(&tgz)
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "other:2\n",
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}
