//! Library benchmarks: one typical values file through load + merge + resolve, and the built-in
//! chart defaults decoded at startup (with the YAML form they are packed from, for comparison).
//! Whole-process timings are `bench/run.sh`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stackstate_lint::catalog::Catalog;
use stackstate_lint::merge::HelmVersion;
use stackstate_lint::yaml::Limits;
use stackstate_lint::{builtin, bundle, release, resolve, source::Sources};

const TYPICAL: &str = include_str!("../examples/air-gapped/values.yaml");
const BUNDLE_YAML: &str = include_str!("../rules/charts/stackstate-4.5.0.yaml");

fn typical_file(c: &mut Criterion) {
    let chart = builtin::chart(builtin::newest()).expect("built-in chart");
    let catalog = Catalog::builtin();
    c.bench_function("typical values file: load + merge + resolve", |b| {
        b.iter(|| {
            let mut sources = Sources::new();
            let file = release::load_values(
                "values.yaml",
                black_box(TYPICAL).to_string(),
                &mut sources,
                HelmVersion::V3,
                &Limits::default(),
            )
            .expect("valid values");
            let user = release::user_values(&[file], &[], HelmVersion::V3, &mut |_| {
                Err("no --set-file".into())
            })
            .expect("no --set");
            let rel = release::Release::build(chart, user, HelmVersion::V3);
            black_box(resolve::resolve(&rel, catalog))
        })
    });
}

fn builtin_chart(c: &mut Criterion) {
    let packed = builtin::packed_bundle(builtin::newest()).expect("built-in bundle");
    c.bench_function("built-in chart: decode packed bundle", |b| {
        b.iter(|| bundle::read_packed(black_box(packed)).expect("valid bundle"))
    });
    c.bench_function("built-in chart: parse bundle YAML (before packing)", |b| {
        b.iter(|| bundle::read(black_box(BUNDLE_YAML)).expect("valid bundle"))
    });
}

criterion_group!(benches, typical_file, builtin_chart);
criterion_main!(benches);
