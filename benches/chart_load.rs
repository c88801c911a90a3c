//! Reading a chart: the packaged `.tgz` (`--chart`) against the same chart built in
//! (`--chart-version`), everything rendering needs and the values alone. The archives are those of
//! `../shared/charts-src`; without them only the built-in charts are measured.

use std::hint::black_box;
use std::path::Path;

use criterion::{Criterion, criterion_group, criterion_main};
use stackstate_lint::Sources;
use stackstate_lint::chart::{self, Load};

fn load(c: &mut Criterion) {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/charts-src");
    for (name, version) in [("stackstate", "4.4.0"), ("suse-observability", "2.10.3")] {
        let builtin = stackstate_lint::find_builtin_chart(name, version).expect("built in");
        let tgz = src.join(format!("{name}-{version}.tgz"));
        if tgz.is_file() {
            c.bench_function(&format!("{name} {version}: .tgz, everything"), |b| {
                b.iter(|| {
                    chart::load_path_with(black_box(&tgz), &mut Sources::new(), Load::Everything)
                        .expect("a chart")
                })
            });
        }
        c.bench_function(&format!("{name} {version}: built in, everything"), |b| {
            b.iter(|| {
                builtin
                    .read(Load::Everything, &mut Sources::new())
                    .expect("a chart")
            })
        });
        c.bench_function(&format!("{name} {version}: built in, values"), |b| {
            b.iter(|| {
                builtin
                    .read(Load::Values, &mut Sources::new())
                    .expect("a chart")
            })
        });
    }
}

criterion_group! {
    name = benches;
    config = Criterion::default().sample_size(20);
    targets = load
}
criterion_main!(benches);
