//! The render suite: `stackstate-lint render` against what Helm 3.17.3 printed for every chart
//! and values case of `../shared/render` (via its `check.py`). Skipped when `../shared` is not
//! there.

use std::path::Path;
use std::process::Command;

/// Expectations that must pass (raise it as the engine grows; the suite has 176).
const FLOOR: usize = 176;

#[test]
fn render_suite_does_not_regress() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let check = root.join("../shared/render/check.py");
    if !check.is_file() {
        eprintln!("skipped: {} is not there", check.display());
        return;
    }
    let bin = env!("CARGO_BIN_EXE_stackstate-lint");
    let out = Command::new("python3")
        .arg(&check)
        .args(["-q", "-j2"])
        .arg(format!("{bin} render {{all}}"))
        .env_remove("NO_COLOR")
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => {
            eprintln!("skipped: cannot run python3: {e}");
            return;
        }
    };
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("No module named 'yaml'") {
        eprintln!("skipped: python3 has no PyYAML");
        return;
    }
    println!("{stdout}");
    let summary = stdout
        .lines()
        .rev()
        .find(|l| l.ends_with(" failed"))
        .unwrap_or_else(|| panic!("no summary from check.py:\n{stdout}\n{stderr}"));
    let passed: usize = summary
        .split(' ')
        .next()
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("bad summary line: {summary}"));
    assert!(
        passed >= FLOOR,
        "render suite regressed: {passed} passed, floor {FLOOR}\n{stdout}"
    );
}
