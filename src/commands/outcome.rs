//! What a lint run found, and writing it in the chosen format.

use std::io::Write;

use crate::cli::{CheckArgs, LintFormat};
use crate::diagnostic::{Finding, Severity};
use crate::error::InputError;
use crate::report::{self, Summary};
use crate::source::Sources;

/// The outcome of linting: every finding, and the sources they point into.
pub struct LintOutcome {
    /// All loaded texts.
    pub sources: Sources,
    /// Findings of every release, sorted and deduplicated.
    pub findings: Vec<Finding>,
    /// Input errors met on the way (exit code 2).
    pub input_errors: Vec<InputError>,
    /// Number of files linted.
    pub files: usize,
    /// The name of the first linted file (for findings without a location).
    pub first: String,
    /// Notes for stderr: which chart was picked, what the render left out or stood in for.
    pub notes: Vec<String>,
    /// The chart linted against (the first, when the files' configs pin several).
    pub chart: crate::inputs::ChosenChart,
    /// The labels of every chart the files were linted against, in the order of their files.
    pub chart_labels: Vec<String>,
    /// The releases Helm would not render (by their linted file): exit 1 even when the
    /// findings that say why are not selected or are suppressed.
    pub unrenderable: Vec<String>,
}

/// Writes the findings in the chosen format; returns the exit code.
pub fn report(
    format: Option<LintFormat>,
    args: &CheckArgs,
    outcome: &LintOutcome,
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let format = format.unwrap_or(if report::github::in_actions() {
        LintFormat::Github
    } else {
        LintFormat::Human
    });
    // Which chart, and what it means for the image rules, once something was linted with it.
    for note in outcome.notes.iter().filter(|_| outcome.files > 0) {
        let _ = writeln!(err, "{note}");
    }
    for e in &outcome.input_errors {
        // The lines around the place under the message, where a person reads the output;
        // the machine formats keep one line per error.
        match format {
            LintFormat::Human => {
                let _ = write!(err, "{}", e.report());
            }
            _ => {
                let _ = writeln!(err, "error: {e}");
            }
        }
        if format == LintFormat::Github {
            let _ = out.write_all(report::github::input_error(&e.location, &e.message).as_bytes());
        }
    }
    // JSON keeps every finding (marked with its cause); the other formats lead with causes.
    let folded = report::fold_consequences(&outcome.findings);
    let shown = if format == LintFormat::Json {
        &outcome.findings
    } else {
        &folded
    };
    let items = report::locate(shown, &outcome.sources, &outcome.first);
    let summary = Summary::of(&outcome.findings, outcome.files);
    let inputs = report::InputPlace::all(&outcome.input_errors);
    let color = report::terminal::color(args.color, is_tty);
    // Not a terminal: wide enough for most messages, so logs keep one line per message.
    let width = report::terminal::width(is_tty).unwrap_or(120);
    let text = match format {
        LintFormat::Human => {
            report::human::render(&items, &summary, &outcome.sources, color, width)
        }
        LintFormat::Compact => report::compact::render(&items),
        LintFormat::Json => report::json::render(&items, &inputs, &summary, &outcome.sources),
        LintFormat::Github => report::github::output(&items, &summary, &outcome.sources),
        LintFormat::Sarif => report::sarif::render(&items, &inputs, &outcome.sources),
        LintFormat::Gitlab => report::gitlab::render(&items, &inputs),
    };
    let _ = out.write_all(text.as_bytes());
    Ok(if !outcome.input_errors.is_empty() {
        crate::EXIT_INPUT
    } else if !args.exit_zero
        && (!outcome.unrenderable.is_empty()
            || outcome
                .findings
                .iter()
                .any(|f| f.severity == Severity::Error))
    {
        crate::EXIT_FINDINGS
    } else {
        crate::EXIT_OK
    })
}
