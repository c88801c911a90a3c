//! `stackstate-lint images` on one values file, through `stackstate_lint::run` as the binary
//! calls it. The first byte picks the Helm version, the chart version and the output format;
//! the rest is the file.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("stackstate-lint-fuzz-{}.yaml", std::process::id()))
    })
}

const HELM: [&str; 3] = ["3", "3.16", "4"];
const CHARTS: [&str; 5] = ["4.2.5", "4.3.0", "4.4.0", "4.4.2", "4.5.0"];
const FORMATS: [&str; 3] = ["plain", "table", "json"];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let path = scratch();
    if std::fs::write(path, file).is_err() {
        return;
    }
    let pick = usize::from(pick);
    let args = [
        "stackstate-lint",
        "images",
        path.to_str().unwrap_or_default(),
        "--helm-version",
        HELM[pick % 3],
        "--chart-version",
        CHARTS[(pick / 3) % 5],
        "--format",
        FORMATS[(pick / 15) % 3],
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(args, false, &mut out, &mut err);
    assert!((0..=2).contains(&code), "exit code {code}");
});
