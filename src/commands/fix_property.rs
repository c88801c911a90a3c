//! The property behind `--fix` (issue #11): for every conformance values file, every fix a rule
//! offers, applied alone, leaves the value of every key it does not name unchanged, and the
//! file still reads. A unit test: it drives the engine, the chart choice and the fixer
//! directly, none of which the library exports.

/// The conformance configurations and suites, as the integration tests have them.
mod common {
    include!(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/common/suites.rs"
    ));
}

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::chart::Load;
use crate::cli::InputArgs;
use crate::config::Config;
use crate::engine::{ReleaseReport, Selection, Setup, Text, lint_release};
use crate::fix::apply;
use crate::inputs::{ChartRequest, choose_chart, helm_version};
use crate::source::{FileId, Sources};
use crate::value::{Node, Value};
use crate::yaml::{Limits, load};

/// Every leaf as `dotted.key -> value` (lists by index), read independently of the fixer.
fn leaves(text: &str) -> Option<BTreeMap<String, String>> {
    fn walk(n: &Node, prefix: &str, out: &mut BTreeMap<String, String>) {
        let child = |k: &str| {
            if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            }
        };
        match &n.value {
            Value::Map(m) if !m.is_empty() => m.iter().for_each(|(k, v)| walk(v, &child(k), out)),
            Value::Seq(s) if !s.is_empty() => s
                .iter()
                .enumerate()
                .for_each(|(i, v)| walk(v, &child(&format!("[{i}]")), out)),
            v => {
                out.insert(prefix.to_string(), format!("{v:?}"));
            }
        }
    }
    let file = load(FileId(0), text, &Limits::default()).ok()?;
    let mut out = BTreeMap::new();
    for (i, doc) in file.documents.iter().enumerate() {
        walk(doc, &format!("#{i}"), &mut out);
    }
    Some(out)
}

fn named(leaf: &str, keys: &[String]) -> bool {
    let leaf = leaf.split_once('.').map_or("", |(_, k)| k);
    keys.iter().any(|k| {
        leaf == k || leaf.starts_with(&format!("{k}.")) || k.starts_with(&format!("{leaf}."))
    })
}

fn files() -> Vec<PathBuf> {
    let mut out = Vec::new();
    let suites = [Some(common::vendored()), common::shared()];
    for suite in suites.into_iter().flatten() {
        for e in walkdir(&suite.join("cases")) {
            if e.extension().is_some_and(|x| x == "yaml") {
                out.push(e);
            }
        }
    }
    out
}

fn walkdir(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(walkdir(&p));
        } else {
            out.push(p);
        }
    }
    out.sort();
    out
}

#[test]
fn every_fix_alone_changes_only_the_keys_it_names() {
    let mut checked = 0;
    let files = files();
    for (_, version, helm) in common::CONFIGS {
        let input = InputArgs {
            chart_version: Some(version.to_string()),
            helm_version: helm.to_string(),
            ..InputArgs::default()
        };
        let mut chart_sources = Sources::new();
        let request = ChartRequest {
            input: &input,
            pinned: None,
            keys: &[],
            load: Load::Everything,
        };
        let chosen = choose_chart(&request, &mut chart_sources).unwrap();
        let selection = Selection::default();
        let setup = Setup {
            chart: &chosen.chart,
            helm: helm_version(&input).unwrap(),
            sets: &[],
            selection: &selection,
            release_name: None,
        };
        for path in &files {
            let text = std::fs::read_to_string(path).unwrap();
            let texts = [Text {
                name: path.display().to_string(),
                path: Some(path.to_path_buf()),
                file: None,
                text: text.as_str().into(),
            }];
            let mut sources = Sources::new();
            let Ok(ReleaseReport {
                findings,
                files: ids,
                ..
            }) = lint_release(&setup, &Config::default(), &mut sources, &texts)
            else {
                continue;
            };
            let before = leaves(&text).unwrap();
            for f in &findings {
                let Some(fix) = &f.fix else { continue };
                if fix.edits.iter().any(|e| e.span.file != ids[0]) {
                    continue;
                }
                let Some(after_text) = apply(&text, &fix.edits) else {
                    continue;
                };
                let Some(after) = leaves(&after_text) else {
                    panic!(
                        "{}: {} {}: the fixed file does not read:\n{after_text}",
                        path.display(),
                        f.code,
                        fix.description
                    );
                };
                let mut keys = fix.keys.clone();
                keys.extend(f.key.clone());
                let changed: Vec<&String> = before
                    .keys()
                    .chain(after.keys())
                    .filter(|k| !named(k, &keys) && before.get(*k) != after.get(*k))
                    .collect();
                assert!(
                    changed.is_empty(),
                    "{} ({version}, helm {helm}): {} `{}` also changes {changed:?}\n--- before\n{text}\n--- after\n{after_text}",
                    path.display(),
                    f.code,
                    fix.description
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 0, "no fix was checked");
    eprintln!("{checked} fixes checked");
}
