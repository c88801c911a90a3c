//! Every line the tool prints is one line of plain text (issue #11): a key, value, file name or
//! `Chart.yaml` field holding a newline, ESC/OSC sequence or HTML must not start a GitHub
//! workflow command, drive the terminal, or become live markup in the job summary.

mod common;

use common::bin::{Opts, Run, Scratch, no_panic, run, run_with, s};

const HOSTILE: &str = r#""x\n::add-mask::secret\n::stop-commands::tok": 1
"\e]0;pwned\a\e[31mred": 2
"<img src=x onerror=alert(1)>": 3
"\u202Eevil": 4
stackstate:
  components:
    server:
      image:
        tag: "latest\n::error::fake\r\e[2J"
"#;

/// The file name itself carries a newline and an escape sequence.
const NAME: &str = "values-\n::warning::named\u{1b}[1m.yaml";

/// No raw control character, and no line that a CI log would read as a command of its own.
#[track_caller]
fn clean(r: &Run, what: &str) {
    no_panic(r);
    for (stream, text) in [("stdout", &r.stdout), ("stderr", &r.stderr)] {
        for c in ['\u{1b}', '\u{7}', '\r', '\u{9b}', '\u{202e}'] {
            assert!(!text.contains(c), "{what}: {stream} holds {c:?}:\n{text}");
        }
        for line in text.lines() {
            let ours = ["::error ", "::warning ", "::notice "]
                .iter()
                .any(|p| line.starts_with(p));
            assert!(
                !line.contains("::") || ours || !line.trim_start().starts_with("::"),
                "{what}: {stream} line starts a workflow command: {line:?}"
            );
            assert!(!line.starts_with("::add-mask") && !line.starts_with("::stop-commands"));
        }
    }
}

#[test]
fn lint_formats_escape_keys_values_and_file_names() {
    let dir = Scratch::new("escape-lint");
    let file = dir.file(NAME, HOSTILE);
    for format in ["human", "compact", "github"] {
        // The stackstate chart: suse-observability prints the hostile value into a ConfigMap,
        // where Helm (and so the tool) fails on its control characters.
        let r = run(&[
            "--chart-version",
            "stackstate@5.1.15",
            "--format",
            format,
            "--color",
            "never",
            s(&file),
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        clean(&r, format);
        // In colour, the only escape sequences are the tool's own colours.
        let r = run(&[
            "--chart-version",
            "stackstate@5.1.15",
            "--format",
            format,
            "--color",
            "always",
            s(&file),
        ]);
        for bad in ["\u{1b}]", "\u{1b}[2J", "\u{1b}[31mred", "\u{7}", "\r"] {
            assert!(!r.stdout.contains(bad), "{format}: {bad:?}");
        }
        assert!(
            r.stdout.contains("\\n::add-mask::secret"),
            "{format}:\n{}",
            r.stdout
        );
    }
    let compact = run(&["--format", "compact", s(&file)]);
    for line in compact.stdout.lines() {
        assert!(
            line.starts_with(
                &dir.path("values-\\n::warning::named\\u{1b}[1m.yaml:")
                    .display()
                    .to_string()
            ),
            "{line}"
        );
    }
}

#[test]
fn the_job_summary_holds_no_live_html_or_markdown() {
    let dir = Scratch::new("escape-summary");
    let file = dir.file("values.yaml", HOSTILE);
    let summary = dir.file("summary.md", "");
    let r = run_with(
        &["--format", "github", s(&file)],
        &Opts {
            env: &[("GITHUB_STEP_SUMMARY", s(&summary))],
            ..Opts::default()
        },
    );
    clean(&r, "github");
    let md = std::fs::read_to_string(&summary).unwrap();
    assert!(md.contains("[SL202]"), "{md}");
    assert!(!md.contains("<img"), "{md}");
    assert!(md.contains("&lt;img src=x onerror=alert(1)&gt;"), "{md}");
    for line in md.lines().filter(|l| l.starts_with("| ")) {
        // Five cells: the escaped pipes of a message cannot add one.
        assert_eq!(line.replace("\\|", "").matches('|').count(), 5, "{line}");
    }
}

#[test]
fn input_errors_are_one_line_in_every_mode() {
    let dir = Scratch::new("escape-input");
    let file = dir.file("bad\n::add-mask::x\u{1b}]0;t\u{7}.yaml", "a: [\n");
    for format in ["human", "github"] {
        let r = run(&["--format", format, s(&file)]);
        assert_eq!(r.code, 2, "{}", r.stderr);
        clean(&r, format);
        // One line says what and where; the human format draws the place below it, every
        // line of the drawing inside its frame.
        let mut lines = r.stderr.lines();
        assert!(
            lines.next().is_some_and(|l| l.starts_with("error: ")),
            "{}",
            r.stderr
        );
        match format {
            "github" => assert_eq!(lines.count(), 0, "{}", r.stderr),
            _ => assert!(
                lines.all(|l| l.trim_start().starts_with(['╭', '│', '·', '╰'])
                    || l.trim_start()
                        .split_once(" │")
                        .is_some_and(|(n, _)| n.parse::<u32>().is_ok())),
                "{}",
                r.stderr
            ),
        }
        assert!(
            r.stderr
                .contains("bad\\n::add-mask::x\\u{1b}]0;t\\u{7}.yaml:"),
            "{}",
            r.stderr
        );
    }
    let r = run(&[
        "--set",
        "a\n::add-mask::x=[",
        "--format",
        "github",
        s(&file),
    ]);
    clean(&r, "github --set");
}

#[test]
fn images_output_is_escaped() {
    let dir = Scratch::new("escape-images");
    let file = dir.file(
        NAME,
        "stackstate:\n  components:\n    server:\n      image:\n        repository: \"stackstate/server\\n::add-mask::x\\e[31m\"\n",
    );
    for format in ["plain", "table", "json"] {
        // (As a PATH: `-f` reads its value as one CSV record, as Helm does, so a name with a
        // line break would end there.)
        let r = run(&[
            "images",
            "--chart-version",
            "stackstate@5.1.15",
            "--format",
            format,
            s(&file),
        ]);
        assert_eq!(r.code, 0, "{format}: {}", r.stderr);
        clean(&r, format);
    }
    for format in ["table", "plain", "values"] {
        let r = run(&[
            "images",
            "--chart-version",
            "stackstate@5.1.15",
            "--mirror",
            "r.example.com",
            "--format",
            format,
            s(&file),
        ]);
        clean(&r, format);
    }
}

#[test]
fn chart_yaml_fields_are_escaped() {
    let dir = Scratch::new("escape-chart");
    let chart = dir.path("chart");
    dir.file(
        "chart/Chart.yaml",
        "apiVersion: v2\nname: \"stackstate\\e]0;pwned\\a\"\nversion: \"4.4.0\\n::add-mask::v\"\n",
    );
    dir.file("chart/values.yaml", "global:\n  imageRegistry: \"\"\n");
    let values = dir.file("values.yaml", "a: 1\n");
    for args in [
        vec![
            "images",
            "--format",
            "table",
            "--chart",
            s(&chart),
            s(&values),
        ],
        vec!["--format", "human", "--chart", s(&chart), s(&values)],
        vec!["--format", "github", "--chart", s(&chart), s(&values)],
    ] {
        let r = run(&args);
        clean(&r, &args.join(" "));
    }
}
