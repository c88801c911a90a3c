//! Helm's steps as ported here against [`crate::merge`]'s model, on the releases the model
//! covers: for every chart and values case of `../shared/render`, the values the templates
//! see, the subcharts that deploy and whether Helm fails must be the same. (Each side is held
//! to the real Helm elsewhere: the render suite and the cross-release probes.)

use std::path::Path;

use crate::chart::{Load, load_path_for};
use crate::merge::HelmVersion;
use crate::release::{Release, SetArg, load_values, user_values};
use crate::source::Sources;
use crate::value::{Map, SetKind, Value};

/// The values as plain data (origins left out), for comparing.
fn plain(map: &Map) -> String {
    fn value(v: &Value, out: &mut String) {
        match v {
            Value::Map(m) => {
                out.push('{');
                for (k, n) in m {
                    out.push_str(&format!("{k:?}:"));
                    value(&n.value, out);
                    out.push(',');
                }
                out.push('}');
            }
            Value::Seq(items) => {
                out.push('[');
                for n in items {
                    value(&n.value, out);
                    out.push(',');
                }
                out.push(']');
            }
            other => out.push_str(&format!("{other:?}")),
        }
    }
    let mut out = String::new();
    value(&Value::Map(map.clone()), &mut out);
    out
}

#[test]
fn the_port_and_the_model_agree_on_every_render_case() {
    let shared = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared");
    let expected = shared.join("render/expected");
    let mut cases: Vec<_> = walkdir::WalkDir::new(&expected)
        .into_iter()
        .filter_map(Result::ok)
        .filter(|e| e.file_name() == "cmd")
        .map(|e| e.into_path())
        .collect();
    cases.sort();
    assert!(
        cases.len() >= 170,
        "the render cases are in ../shared/render"
    );
    let helms = ["3.14.4", "3.17.3", "4.1.4"].map(|v| HelmVersion::parse(v).unwrap());
    let mut compared = 0;
    for cmd in &cases {
        let words: Vec<String> = std::fs::read_to_string(cmd)
            .unwrap()
            .split_whitespace()
            .map(String::from)
            .collect();
        for helm in helms {
            assert!(helm.modelled());
            let mut sources = Sources::default();
            let chart = load_path_for(
                &shared.join(words[1].trim_start_matches("shared/")),
                &mut sources,
                Load::Everything,
                helm.build(),
            )
            .unwrap();
            let (mut files, mut sets) = (Vec::new(), Vec::new());
            for pair in words[2..].chunks(2) {
                match pair[0].as_str() {
                    "-f" => {
                        let path = shared.join(pair[1].trim_start_matches("shared/"));
                        let text = std::fs::read_to_string(&path).unwrap();
                        let limits = crate::yaml::Limits::default();
                        files.push(
                            load_values(&pair[1], text, &mut sources, helm, &limits).unwrap(),
                        );
                    }
                    "--set" => sets.push(SetArg {
                        text: pair[1].clone(),
                        kind: SetKind::Set,
                    }),
                    other => panic!("{other} in {}", cmd.display()),
                }
            }
            let user = user_values(&files, &sets, helm, &mut |_| Err(String::new())).unwrap();
            let port = crate::merge::shared_maps::release(&chart, &user, helm.build());
            // The model: the import step applied to the chart, then the release built.
            let first = Release::build(&chart, user.clone(), helm);
            let imported = if crate::render::imports::any(&chart) && first.failure.is_none() {
                let enabled = |p: &[String]| first.is_enabled(p);
                crate::render::imports::apply(&chart, helm, &enabled, &mut Vec::new())
            } else {
                chart.clone()
            };
            let model = Release::build(&imported, user, helm);
            let what = format!("{} under Helm {:?}", cmd.display(), helm.build());
            assert_eq!(port.failure.is_some(), model.failure.is_some(), "{what}");
            if model.failure.is_none() {
                assert_eq!(plain(&port.values), plain(&model.values), "{what}");
                let mut on = model.enabled.clone();
                let mut port_on = port.enabled.clone();
                on.sort();
                port_on.sort();
                assert_eq!(port_on, on, "{what}");
            }
            compared += 1;
        }
    }
    assert_eq!(compared, cases.len() * helms.len());
}
