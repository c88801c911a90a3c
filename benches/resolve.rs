//! Library benchmarks: one typical values file through load + merge + the images of its render
//! (stand-ins for the required values it leaves out included), on the built-in stackstate 4.5.0.
//! Whole-process timings are `bench/run.sh`.

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use stackstate_lint::HelmVersion;
use stackstate_lint::chart::Load;
use stackstate_lint::yaml::Limits;
use stackstate_lint::{Sources, release};

const TYPICAL: &str = include_str!("../examples/air-gapped/values.yaml");

fn typical_file(c: &mut Criterion) {
    let chart = stackstate_lint::find_builtin_chart("stackstate", "4.5.0")
        .expect("built-in chart")
        .load(Load::Everything);
    c.bench_function(
        "typical values file: load + merge + images of the render",
        |b| {
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
                black_box(stackstate_lint::release_images(&rel))
            })
        },
    );
}

criterion_group!(benches, typical_file);
criterion_main!(benches);
