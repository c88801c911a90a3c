//! Packs the data built into the binary: every chart bundle under `rules/charts/` and the image
//! catalogue, loaded with the run-time YAML loader and written in the form of `src/packed.rs`,
//! so that a run decodes them instead of parsing YAML (see the README, "Performance").

// NOTE: the loader's modules are compiled here as well; the build script uses a part of them.
#![allow(dead_code)]

#[path = "src/budget.rs"]
mod budget;
#[path = "src/packed.rs"]
mod packed;
#[path = "src/source.rs"]
mod source;
#[path = "src/value.rs"]
mod value;
#[path = "src/yaml.rs"]
mod yaml;

use std::path::Path;

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
    for module in ["packed", "source", "value", "yaml"] {
        println!("cargo::rerun-if-changed=src/{module}.rs");
    }
    println!("cargo::rerun-if-changed=rules/charts");
    let mut charts: Vec<_> = std::fs::read_dir("rules/charts")
        .expect("rules/charts")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "yaml"))
        .collect();
    charts.sort();
    for path in charts
        .iter()
        .chain([&Path::new("rules/catalog.yaml").to_path_buf()])
    {
        println!("cargo::rerun-if-changed={}", path.display());
        let text =
            std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
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
}
