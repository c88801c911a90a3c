//! `images --mirror --format script` on one values file: the script must be valid POSIX shell
//! (`sh -n`) and every word taken from the input single-quoted, whatever the values hold.
#![no_main]

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn scratch() -> &'static PathBuf {
    static PATH: OnceLock<PathBuf> = OnceLock::new();
    PATH.get_or_init(|| {
        std::env::temp_dir().join(format!("stackstate-lint-fuzz-script-{}.yaml", std::process::id()))
    })
}

const CHARTS: [&str; 5] = ["4.2.5", "4.3.0", "4.4.0", "4.4.2", "4.5.0"];
const MIRRORS: [&str; 3] = [
    "r.example.com",
    "mirror.example.com:5000/sts",
    "57413481473.dkr.ecr.eu-west-1.amazonaws.com",
];
const TOOLS: [&str; 2] = ["skopeo", "crane"];

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
        "--chart-version",
        CHARTS[pick % 5],
        "--mirror",
        MIRRORS[(pick / 5) % 3],
        "--tool",
        TOOLS[(pick / 15) % 2],
        "--format",
        "script",
        path.to_str().unwrap_or_default(),
    ];
    let (mut out, mut err) = (Vec::new(), Vec::new());
    let code = stackstate_lint::run(args, false, &mut out, &mut err);
    assert!((0..=2).contains(&code), "exit code {code}");
    if code == 2 {
        assert!(out.is_empty(), "a refused script was printed anyway");
        return;
    }
    let script = String::from_utf8(out).expect("UTF-8 script");
    for line in script.lines() {
        let line = line.trim_start();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        // Only the fixed words of the tool are unquoted; every other word is `'…'`.
        for word in words(line) {
            let fixed = [
                "skopeo", "crane", "copy", "set", "-eu", "for", "repo", "in", "do", "done", "aws",
                "ecr", "describe-repositories", "create-repository", "--region", "--repository-names",
                "--repository-name", "\"$repo\"", ">/dev/null", "2>&1", "||",
            ];
            assert!(
                fixed.contains(&word.trim_end_matches(';')) || (word.starts_with('\'') && word.trim_end_matches(';').ends_with('\'')),
                "unquoted word {word:?} in {line:?}"
            );
        }
    }
    let mut sh = Command::new("sh")
        .arg("-n")
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("sh");
    sh.stdin.take().expect("stdin").write_all(script.as_bytes()).expect("write");
    let o = sh.wait_with_output().expect("sh -n");
    assert!(o.status.success(), "sh -n: {}\n{script}", String::from_utf8_lossy(&o.stderr));
});

/// Words split on spaces outside single quotes.
fn words(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    for c in line.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                cur.push(c);
            }
            ' ' if !quoted => {
                if !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
            }
            _ => cur.push(c),
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}
