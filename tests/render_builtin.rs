//! The render suite on the built-in charts: `stackstate-lint render --chart-version
//! <chart>@<version>` against what Helm 3.17.3 printed for the chart's archive (via
//! `../shared/render/check.py`), so a built-in chart renders exactly like the `.tgz` it was
//! packed from. A sample that runs every chart: the minimal values, a private mirror, and the
//! cases where Helm fails. Skipped when `../shared` is not there.

use std::path::Path;
use std::process::Command;

#[test]
fn built_in_charts_render_as_helm() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let check = root.join("../shared/render/check.py");
    if !check.is_file() {
        eprintln!("skipped: {} is not there", check.display());
        return;
    }
    let bin = env!("CARGO_BIN_EXE_stackstate-lint");
    // `{chart}` is the archive, `…/suse-observability-2.10.3.tgz`: the shell turns it into the
    // built-in chart's name, `suse-observability@2.10.3`.
    let cmd = format!(
        r#"c={{chart}}; c=${{c##*/}}; c=${{c%.tgz}}; '{bin}' render {{release}} --chart-version "${{c%-*}}@${{c##*-}}" {{args}}"#
    );
    let out = Command::new("python3")
        .arg(&check)
        .args(["-q", "-j2"])
        .args([
            "--case=01-minimal",
            "--case=private-mirror",
            "--case=-fail-",
        ])
        .arg(cmd)
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
    let counts: Vec<usize> = summary.split(' ').filter_map(|w| w.parse().ok()).collect();
    // 11 charts: 01-minimal and a private mirror each, and every failing case of their family.
    assert!(
        counts.len() == 2 && counts[0] >= 40 && counts[1] == 0,
        "{summary}\n{stdout}"
    );
}
