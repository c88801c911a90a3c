//! The linter end to end on one values file: every output format, `--diff` and `--fix` (on a
//! scratch copy). The first byte picks the chart version, Helm version and mode; the rest is the
//! file. Every text format must print one line per record: no raw control character (other than
//! the line ends and the colour the format adds), and `--fix` must leave a file that reads with
//! every value it does not fix unchanged — the run re-lints it, so a broken file shows as exit 2.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        let dir = std::env::temp_dir().join(format!("stackstate-lint-fuzz-lint-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        dir.join("values.yaml")
    })
}

const HELM: [&str; 3] = ["3", "3.16", "4"];
const CHARTS: [&str; 5] = ["4.2.5", "4.3.0", "4.4.0", "4.4.2", "4.5.0"];
const MODES: [&[&str]; 8] = [
    &["--format", "human"],
    &["--format", "compact"],
    &["--format", "json"],
    &["--format", "github"],
    &["--format", "sarif"],
    &["--format", "gitlab"],
    &["--diff"],
    &["--fix", "--unsafe-fixes", "--format", "compact"],
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, file)) = data.split_first() else {
        return;
    };
    let path = scratch();
    if std::fs::write(path, file).is_err() {
        return;
    }
    let pick = usize::from(pick);
    let mode = MODES[pick % MODES.len()];
    let mut args = vec![
        "stackstate-lint",
        "--no-config",
        "--color",
        "never",
        "--helm-version",
        HELM[(pick / 8) % 3],
        "--chart-version",
        CHARTS[(pick / 24) % 5],
    ];
    args.extend_from_slice(mode);
    args.push(path.to_str().unwrap_or_default());
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(args, false, &mut out, &mut err);
    assert!((0..=2).contains(&code), "exit code {code}");
    // JSON formats escape by construction; the text ones must do it themselves.
    if matches!(mode[..], ["--format", "json" | "sarif" | "gitlab"]) {
        return;
    }
    for stream in [&out, &err] {
        let text = String::from_utf8_lossy(stream);
        let bad = text
            .chars()
            .find(|c| c.is_control() && !matches!(c, '\n' | '\t') || matches!(c, '\u{2028}' | '\u{2029}' | '\u{202e}'));
        // A diff shows the user's own lines, control characters and all.
        if mode[0] != "--diff" {
            assert!(bad.is_none(), "raw {bad:?} in output:\n{text}");
        }
        for line in text.lines() {
            assert!(
                !line.starts_with("::") || ["::error ", "::warning ", "::notice "].iter().any(|p| line.starts_with(p)),
                "a line that is a workflow command of its own: {line:?}"
            );
        }
    }
    if mode[0] == "--fix" {
        // The fixed file lints without an input error.
        let args = ["stackstate-lint", "--no-config", "--format", "compact", path.to_str().unwrap_or_default()];
        let before_ok = code != 2;
        let (mut out, mut err) = (Vec::new(), Vec::new());
        let again = stackstate_lint::run(args, false, &mut out, &mut err);
        assert!(!before_ok || again != 2, "--fix broke the file: {}", String::from_utf8_lossy(&err));
    }
});
