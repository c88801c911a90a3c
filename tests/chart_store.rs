//! The built-in charts' store under `data/charts/` is exactly the charts of `../shared/charts-src`:
//! every regular file of every archive, nested subchart archives expanded, byte for byte, in
//! archive order. Run with `STACKSTATE_LINT_WRITE_STORE=1` to (re)write the store from the
//! archives; without `../shared` the check is skipped.
//!
//! Layout (read by `build.rs`):
//! - `data/charts/blobs/<sha256>`: every distinct file content once;
//! - `data/charts/index/<chart>-<version>.txt`: `chart <name> <version>`, then `archive <sha256>
//!   <bytes>` of the archive itself, then one line per file, `<sha256> <path>`; a file inside a
//!   subchart archive is `<archive path>//<path inside>`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The store a set of chart archives gives: index texts by file name, blobs by hash.
#[derive(Default)]
struct Store {
    indexes: BTreeMap<String, String>,
    blobs: BTreeMap<String, Vec<u8>>,
}

/// Whether `path` (inside an archive, below its top folder) is where Helm's loader looks for a
/// subchart archive: `charts/<file>.tgz` of the chart root or of a subchart folder in it.
fn is_subchart_archive(path: &str) -> bool {
    let Some((_, rest)) = path.split_once('/') else {
        return false;
    };
    let parts: Vec<&str> = rest.split('/').collect();
    let n = parts.len();
    n.is_multiple_of(2)
        && parts.iter().step_by(2).all(|p| *p == "charts")
        && (parts[n - 1].ends_with(".tgz") || parts[n - 1].ends_with(".tar.gz"))
        && !parts[n - 1].starts_with(['_', '.'])
}

/// Appends the regular files of a gzipped tar to `lines`, archives of subcharts expanded.
fn walk(bytes: &[u8], prefix: &str, store: &mut Store, lines: &mut Vec<String>) {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        if !entry.header().entry_type().is_file() {
            continue;
        }
        let raw = entry.path().unwrap().to_string_lossy().replace('\\', "/");
        let parts: Vec<&str> = raw
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .collect();
        assert!(!parts.contains(&"..") && !raw.starts_with('/'), "{raw}");
        let path = parts.join("/");
        let mut data = Vec::new();
        entry.read_to_end(&mut data).unwrap();
        if is_subchart_archive(&path) {
            walk(&data, &format!("{prefix}{path}//"), store, lines);
            continue;
        }
        let hash = format!("{:x}", Sha256::digest(&data));
        lines.push(format!("{hash} {prefix}{path}"));
        store.blobs.entry(hash).or_insert(data);
    }
}

fn chart_meta(bytes: &[u8]) -> (String, String) {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(bytes));
    for entry in archive.entries().unwrap() {
        let mut entry = entry.unwrap();
        let path = entry.path().unwrap().to_string_lossy().into_owned();
        if path.matches('/').count() == 1 && path.ends_with("/Chart.yaml") {
            let mut text = String::new();
            entry.read_to_string(&mut text).unwrap();
            let field = |k: &str| {
                text.lines()
                    .find_map(|l| l.strip_prefix(&format!("{k}:")))
                    .map(|v| v.trim().trim_matches(['"', '\'']).to_string())
                    .unwrap()
            };
            return (field("name"), field("version"));
        }
    }
    panic!("no Chart.yaml");
}

fn build(archives: &[PathBuf]) -> Store {
    let mut store = Store::default();
    for path in archives {
        let bytes = std::fs::read(path).unwrap();
        let (name, version) = chart_meta(&bytes);
        let mut lines = vec![
            format!("chart {name} {version}"),
            format!("archive {:x} {}", Sha256::digest(&bytes), bytes.len()),
        ];
        walk(&bytes, "", &mut store, &mut lines);
        lines.push(String::new());
        store
            .indexes
            .insert(format!("{name}-{version}.txt"), lines.join("\n"));
    }
    store
}

fn read_dir(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return BTreeMap::new();
    };
    entries
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect()
}

#[test]
fn store_matches_the_chart_archives() {
    let src = root().join("../shared/charts-src");
    if !src.is_dir() {
        eprintln!("skipped: {} is not there", src.display());
        return;
    }
    let mut archives: Vec<PathBuf> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "tgz"))
        .collect();
    archives.sort();
    let store = build(&archives);
    let data = root().join("data/charts");
    if std::env::var_os("STACKSTATE_LINT_WRITE_STORE").is_some() {
        let _ = std::fs::remove_dir_all(&data);
        std::fs::create_dir_all(data.join("index")).unwrap();
        std::fs::create_dir_all(data.join("blobs")).unwrap();
        for (name, text) in &store.indexes {
            std::fs::write(data.join("index").join(name), text).unwrap();
        }
        for (hash, bytes) in &store.blobs {
            std::fs::write(data.join("blobs").join(hash), bytes).unwrap();
        }
    }
    let indexes = read_dir(&data.join("index"));
    let wanted: BTreeMap<String, Vec<u8>> = store
        .indexes
        .iter()
        .map(|(k, v)| (k.clone(), v.clone().into_bytes()))
        .collect();
    assert_eq!(
        indexes.keys().collect::<BTreeSet<_>>(),
        wanted.keys().collect::<BTreeSet<_>>(),
        "data/charts/index/ lists other charts than ../shared/charts-src; \
         rewrite it with STACKSTATE_LINT_WRITE_STORE=1 cargo test --test chart_store"
    );
    for (name, text) in &wanted {
        assert!(indexes[name] == *text, "data/charts/index/{name} is stale");
    }
    let blobs = read_dir(&data.join("blobs"));
    assert_eq!(
        blobs.keys().collect::<BTreeSet<_>>(),
        store.blobs.keys().collect::<BTreeSet<_>>(),
        "data/charts/blobs/ holds other files than the charts"
    );
    for (hash, bytes) in &store.blobs {
        assert!(blobs[hash] == *bytes, "data/charts/blobs/{hash} differs");
    }
}

#[test]
fn every_blob_is_named_by_its_hash_and_used() {
    let data = root().join("data/charts");
    let mut used = BTreeSet::new();
    for (name, text) in read_dir(&data.join("index")) {
        let text = String::from_utf8(text).unwrap();
        let mut lines = text.lines();
        let header = lines.next().unwrap();
        let fields: Vec<&str> = header.split(' ').collect();
        assert_eq!(fields.len(), 3, "{name}: {header}");
        assert_eq!(format!("{}-{}.txt", fields[1], fields[2]), name);
        let archive: Vec<&str> = lines.next().unwrap().split(' ').collect();
        assert!(
            archive.len() == 3 && archive[0] == "archive" && archive[1].len() == 64,
            "{name}: {archive:?}"
        );
        assert!(archive[2].parse::<usize>().is_ok(), "{name}: {archive:?}");
        for line in lines {
            let (hash, path) = line.split_once(' ').unwrap();
            assert!(!path.is_empty(), "{name}: {line}");
            used.insert(hash.to_string());
        }
    }
    assert!(used.len() > 1000, "{} blobs", used.len());
    let blobs = read_dir(&data.join("blobs"));
    assert_eq!(blobs.keys().cloned().collect::<BTreeSet<_>>(), used);
    for (hash, bytes) in blobs {
        assert_eq!(format!("{:x}", Sha256::digest(&bytes)), hash);
    }
}

/// A chart as far as Helm can tell: metadata, values, templates, files, schema, subcharts.
fn describe(chart: &stackstate_lint::chart::Chart, out: &mut String) {
    use std::fmt::Write;
    out.push_str(&stackstate_lint::write_bundle(chart));
    if let Some(c) = &chart.content {
        let _ = writeln!(out, "{:?}", c.metadata);
        for f in c.templates.iter().chain(&c.files) {
            let _ = writeln!(out, "{} {:x}", f.name, Sha256::digest(&f.data));
        }
        let _ = writeln!(out, "schema {:?}", c.schema.as_ref().map(Sha256::digest));
    }
    for d in &chart.dependencies {
        let _ = writeln!(out, "dependency {} {:?} {:?}", d.key, d.conditions, d.tags);
        describe(&d.chart, out);
    }
}

#[test]
fn built_in_charts_load_as_their_archives() {
    use stackstate_lint::Sources;
    use stackstate_lint::chart::{self, Load};
    let src = root().join("../shared/charts-src");
    if !src.is_dir() {
        eprintln!("skipped: {} is not there", src.display());
        return;
    }
    for c in stackstate_lint::all_builtin_charts() {
        let tgz = src.join(format!("{}-{}.tgz", c.name(), c.version()));
        for load in [Load::Values, Load::Everything] {
            let (mut a, mut b) = (String::new(), String::new());
            let archive = chart::load_path_with(&tgz, &mut Sources::new(), load).unwrap();
            describe(&archive, &mut a);
            describe(&c.read(load, &mut Sources::new()).unwrap(), &mut b);
            assert!(a == b, "{} {load:?} differs from its archive", c.id());
        }
    }
}
