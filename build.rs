//! Packs the data built into the binary: the component catalogue (`rules/catalog.yaml`), loaded
//! with the run-time YAML loader and written in the form of `src/packed.rs`,
//! so that a run decodes them instead of parsing YAML (see the README, "Performance"); and the
//! real charts of `data/charts/` into one compressed pack (see `src/chart/pack.rs`).

// NOTE: the loader's modules are compiled here as well; the build script uses a part of them.
#![allow(dead_code)]

#[path = "src/budget.rs"]
mod budget;
#[path = "src/byte_scan.rs"]
mod byte_scan;
#[path = "src/file_bytes.rs"]
mod file_bytes;
#[path = "src/key_path.rs"]
mod key_path;
#[path = "src/chart/keys.rs"]
mod keys;
#[path = "src/chart/pack.rs"]
mod pack;
#[path = "src/packed.rs"]
mod packed;
#[path = "src/sorted_map.rs"]
mod sorted_map;
#[path = "src/source.rs"]
mod source;
#[path = "src/value.rs"]
mod value;
#[path = "src/yaml.rs"]
mod yaml;
#[path = "src/yaml_block.rs"]
mod yaml_block;
#[path = "src/yaml_breaks.rs"]
mod yaml_breaks;
#[path = "src/yaml_gap.rs"]
mod yaml_gap;
#[path = "src/yaml_key.rs"]
mod yaml_key;
#[path = "src/yaml_quoted.rs"]
mod yaml_quoted;

/// The template lexer and parser, to pack the built-in charts' templates parsed.
#[path = "src/template"]
mod template {
    pub mod ast;
    pub mod ast_pack;
    mod error;
    #[allow(dead_code)]
    pub mod go_bytes;
    pub mod lex;
    pub mod literal;
    pub mod parse;
    pub(crate) use error::Error;
}

use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    // NOTE: every file compiled above (and the submodules they declare): editing one changes
    // how the charts and the catalogue are packed.
    for module in [
        "budget",
        "key_path",
        "packed",
        "sorted_map",
        "source",
        "value",
        "yaml",
        "yaml_block",
        "yaml_breaks",
        "yaml_gap",
        "yaml_key",
        "yaml_quoted",
        "yaml/builder",
        "yaml/events",
        "yaml/go_yaml_errors",
        "yaml/resolve",
        "yaml/tree",
        "template/ast",
        "template/ast_pack",
        "template/error",
        "template/go_bytes",
        "template/lex",
        "template/literal",
        "template/parse",
        "template/parse/pipeline",
    ] {
        println!("cargo::rerun-if-changed=src/{module}.rs");
    }
    println!("cargo::rerun-if-changed=src/chart/pack.rs");
    println!("cargo::rerun-if-changed=src/file_bytes.rs");
    println!("cargo::rerun-if-changed=src/chart/keys.rs");
    pack_charts(Path::new(&out_dir));
    let path = Path::new("rules/catalog.yaml");
    println!("cargo::rerun-if-changed={}", path.display());
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let file = yaml::load(source::FileId(0), &text, &yaml::Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let root = file
        .documents
        .into_iter()
        .next()
        .unwrap_or_else(|| panic!("{}: empty", path.display()));
    let mut bytes = Vec::new();
    packed::encode(&root, &mut bytes);
    let name = path.file_stem().expect("a file name").to_string_lossy();
    let dest = Path::new(&out_dir).join(format!("{name}.bin"));
    std::fs::write(&dest, bytes).unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

/// Packs the chart store (`data/charts/`: `index/<chart>-<version>.txt` naming contents of
/// `blobs/<sha256>`) into `charts.pack`.
fn pack_charts(out_dir: &Path) {
    let store = Path::new("data/charts");
    println!("cargo::rerun-if-changed={}", store.display());
    let mut indexes: Vec<_> = std::fs::read_dir(store.join("index"))
        .expect("data/charts/index")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    indexes.sort();
    let mut numbers: std::collections::BTreeMap<String, usize> = Default::default();
    let mut contents: Vec<Vec<u8>> = Vec::new();
    let mut charts = Vec::new();
    for path in &indexes {
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let mut lines = text.lines();
        let header: Vec<&str> = lines.next().unwrap_or_default().split(' ').collect();
        let ["chart", name, version] = header[..] else {
            panic!(
                "{}: the first line is not `chart NAME VERSION`",
                path.display()
            );
        };
        let archive = lines.next().and_then(|l| {
            let [hash, bytes] = l.strip_prefix("archive ")?.split(' ').collect::<Vec<_>>()[..]
            else {
                return None;
            };
            Some((hex32(hash)?, bytes.parse::<usize>().ok()?))
        });
        let archive = archive.unwrap_or_else(|| {
            panic!(
                "{}: the second line is not `archive SHA256 BYTES`",
                path.display()
            )
        });
        let mut files = Vec::new();
        for line in lines {
            let (hash, file) = line
                .split_once(' ')
                .unwrap_or_else(|| panic!("{}: bad line `{line}`", path.display()));
            let n = *numbers.entry(hash.to_string()).or_insert_with(|| {
                let blob = store.join("blobs").join(hash);
                contents.push(
                    std::fs::read(&blob).unwrap_or_else(|e| panic!("{}: {e}", blob.display())),
                );
                contents.len() - 1
            });
            files.push((file.to_string(), n));
        }
        charts.push(pack::StoredChart {
            name: name.to_string(),
            version: version.to_string(),
            archive,
            files,
        });
    }
    // Every content that serves as a values.yaml, parsed as the chart loader parses it.
    let mut parsed: Vec<Option<Vec<u8>>> = vec![None; contents.len()];
    for chart in &charts {
        for (path, n) in &chart.files {
            if parsed[*n].is_none() && pack::is_chart_values(path) {
                parsed[*n] = parse_values(&contents[*n]);
            }
        }
    }
    // Every content that serves as a template, parsed, where it is not a values.yaml too.
    for chart in &charts {
        for (path, n) in &chart.files {
            if parsed[*n].is_none() && pack::is_template(path) {
                parsed[*n] = parse_template(&contents[*n]);
            }
        }
    }
    let dest = out_dir.join("charts.pack");
    std::fs::write(&dest, pack::write(&charts, &contents, &parsed))
        .unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
    let dest = out_dir.join("chart-keys.bin");
    std::fs::write(&dest, key_trees(&charts, &contents, &parsed))
        .unwrap_or_else(|e| panic!("{}: {e}", dest.display()));
}

/// The 32 bytes a SHA-256 written in hex stands for.
fn hex32(text: &str) -> Option<[u8; 32]> {
    let mut out = [0u8; 32];
    if text.len() != 64 {
        return None;
    }
    for (i, byte) in out.iter_mut().enumerate() {
        *byte = u8::from_str_radix(text.get(2 * i..2 * i + 2)?, 16).ok()?;
    }
    Some(out)
}

/// The key tree of every chart version (see `src/chart/keys.rs`), in store order: per chart its
/// name, version and deflated packed tree (lengths as LEB128 varints).
fn key_trees(
    charts: &[pack::StoredChart],
    contents: &[Vec<u8>],
    parsed: &[Option<Vec<u8>>],
) -> Vec<u8> {
    struct Store<'a>(&'a [Vec<u8>], &'a [Option<Vec<u8>>]);
    impl keys::Contents for Store<'_> {
        fn text(&self, n: usize) -> &[u8] {
            &self.0[n]
        }
        fn parsed(&self, n: usize) -> Option<&[u8]> {
            self.1[n].as_deref()
        }
    }
    let mut out = Vec::new();
    put(&mut out, charts.len());
    for chart in charts {
        // The chart loader, as Helm's, takes the last of two entries with the same path.
        let mut files = std::collections::BTreeMap::new();
        for (path, n) in &chart.files {
            files.insert(path.clone(), *n);
        }
        let top = chart
            .files
            .iter()
            .find_map(|(p, _)| p.strip_suffix("/Chart.yaml").filter(|t| !t.contains('/')))
            .unwrap_or_else(|| panic!("{} {}: no top Chart.yaml", chart.name, chart.version));
        let folder = keys::Folder {
            files: &files,
            prefix: format!("{top}/"),
        };
        let (_, tree) = keys::build(&folder, &Store(contents, parsed));
        let packed = {
            use std::io::Write;
            let mut enc =
                flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
            enc.write_all(&tree).expect("writing to memory");
            enc.finish().expect("writing to memory")
        };
        for field in [chart.name.as_bytes(), chart.version.as_bytes(), &packed] {
            put(&mut out, field.len());
            out.extend_from_slice(field);
        }
        put(&mut out, tree.len());
    }
    out
}

fn put(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A template parsed as the engine parses it (`src/render/engine.rs`: byte-order mark dropped,
/// invalid UTF-8 replaced), packed with what the parse assumed; none when it does not parse
/// (the run parses it and reports the error).
fn parse_template(bytes: &[u8]) -> Option<Vec<u8>> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = String::from_utf8_lossy(bytes);
    // A name no `define` can have: the file's own tree is told apart by it.
    let file = "\u{0}file";
    let answers = std::cell::RefCell::new(Vec::<(String, bool)>::new());
    // Every function exists but `break` and `continue` (the run checks each answer).
    let exists = |name: &str| {
        let answer = name != "break" && name != "continue";
        let mut answers = answers.borrow_mut();
        if !answers.iter().any(|(n, _)| n == name) {
            answers.push((name.to_string(), answer));
        }
        answer
    };
    let trees = template::parse::parse(file, &text, &exists).ok()?;
    if trees.iter().filter(|t| &*t.name == file).count() != 1 {
        return None;
    }
    Some(template::ast_pack::encode(
        &text,
        file,
        &answers.borrow(),
        &trees,
    ))
}

/// A values.yaml as the chart loader reads it (`src/chart.rs`: byte-order mark dropped, the
/// first document, a null or missing one an empty map), packed; none when the loader would
/// refuse it (it then parses the text at run time and reports the error).
fn parse_values(bytes: &[u8]) -> Option<Vec<u8>> {
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).ok()?;
    let file = yaml::load(source::FileId(0), text, &yaml::Limits::default()).ok()?;
    let node = match file.documents.into_iter().next() {
        None => value::Node::empty_map(value::Origin::Synthetic),
        Some(n) if matches!(n.value, value::Value::Null) => {
            value::Node::empty_map(value::Origin::Synthetic)
        }
        Some(n) if n.value.is_map() => n,
        Some(_) => return None,
    };
    let mut out = Vec::new();
    packed::encode(&node, &mut out);
    Some(out)
}
