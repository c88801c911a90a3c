//! Output formats. Only this module writes what users read.

pub mod ci;
pub mod compact;
pub mod github;
pub mod gitlab;
pub mod human;
pub mod json;
pub mod mirror;
pub mod rendered_images;
pub mod sarif;
pub mod terminal;
pub mod upgrade;

use crate::diagnostic::{Finding, Severity};
use crate::source::Sources;

/// An input error (exit 2) as the machine formats place it: a file with a line and column, a
/// whole file, or an argument (`--set #2`), from the error's location text.
pub struct InputPlace<'a> {
    /// The location as the error gives it.
    pub location: &'a str,
    /// The file, when the location names one.
    pub file: Option<String>,
    /// Line and column (1-based), when it has them.
    pub line_col: Option<(usize, usize)>,
    /// What is wrong.
    pub message: &'a str,
}

impl<'a> InputPlace<'a> {
    /// Places `location` (`file`, `file:line:col`, or an argument's name).
    pub fn of(location: &'a str, message: &'a str) -> Self {
        let mut parts = location.rsplitn(3, ':');
        let (col, line, file) = (parts.next(), parts.next(), parts.next());
        let numbers = (|| Some((line?.parse::<usize>().ok()?, col?.parse::<usize>().ok()?)))();
        let (file, line_col) = match (numbers, file) {
            (Some(at), Some(f)) => (Some(f.to_string()), Some(at)),
            // A file the loader could not read or parse as a whole names itself; a flag does not.
            _ if !location.starts_with('-') && std::path::Path::new(location).exists() => {
                (Some(location.to_string()), None)
            }
            _ => (None, None),
        };
        InputPlace {
            location,
            file,
            line_col,
            message,
        }
    }

    /// Every error of a run, placed.
    pub fn all(errors: &'a [crate::error::InputError]) -> Vec<InputPlace<'a>> {
        errors
            .iter()
            .map(|e| InputPlace::of(&e.location, &e.message))
            .collect()
    }
}

/// A finding with its location resolved to file name, lines and columns (1-based).
pub struct Located<'a> {
    /// The finding.
    pub finding: &'a Finding,
    /// The file name as given.
    pub file: String,
    /// Start line and column.
    pub line: usize,
    /// Start column.
    pub column: usize,
    /// End line.
    pub end_line: usize,
    /// End column (exclusive, like most editors' ranges).
    pub end_column: usize,
}

/// Resolves spans; findings without a span land on `fallback` (the linted file) at 1:1.
pub fn locate<'a>(findings: &'a [Finding], sources: &Sources, fallback: &str) -> Vec<Located<'a>> {
    findings
        .iter()
        .map(|f| match f.span {
            Some(span) => {
                let file = sources.get(span.file);
                let (line, column) = file.line_col(span.start);
                let (end_line, end_column) = file.line_col(span.end.max(span.start));
                Located {
                    finding: f,
                    file: file.name.clone(),
                    line,
                    column,
                    end_line,
                    end_column: if end_line == line && end_column <= column {
                        column + 1
                    } else {
                        end_column
                    },
                }
            }
            None => Located {
                finding: f,
                file: fallback.to_string(),
                line: 1,
                column: 1,
                end_line: 1,
                end_column: 1,
            },
        })
        .collect()
}

/// The findings reports show one by one: causes carry a count of the findings that follow from
/// them (which are left out), so one wrong registry reads as one problem, not one per image.
pub fn fold_consequences(findings: &[Finding]) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in findings.iter().filter(|f| f.caused_by.is_none()) {
        let effects: Vec<&Finding> = findings
            .iter()
            .filter(|e| {
                e.caused_by
                    .as_ref()
                    .is_some_and(|c| c.code == f.code && c.span == f.span)
            })
            .collect();
        let mut shown = f.clone();
        if let Some(first) = effects.first() {
            let same = effects.iter().all(|e| e.code == first.code);
            let what = if same {
                format!("{} {} ({})", effects.len(), first.code, first.name)
            } else {
                format!("{} other", effects.len())
            };
            shown.message = format!(
                "{} (this causes {what} findings too, one per image it breaks; --format json lists them)",
                f.message
            );
        }
        out.push(shown);
    }
    out
}

/// Counts per severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Summary {
    /// Error-level findings.
    pub errors: usize,
    /// Warnings.
    pub warnings: usize,
    /// Infos.
    pub infos: usize,
    /// Files linted.
    pub files: usize,
}

impl Summary {
    /// Counts `findings`.
    pub fn of<'a>(findings: impl IntoIterator<Item = &'a Finding>, files: usize) -> Summary {
        let mut s = Summary {
            files,
            ..Summary::default()
        };
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }

    /// `3 errors, 1 warning in 2 files`.
    pub fn line(&self) -> String {
        let plural = |n: usize, w: &str| format!("{n} {w}{}", if n == 1 { "" } else { "s" });
        let mut parts = vec![
            plural(self.errors, "error"),
            plural(self.warnings, "warning"),
        ];
        if self.infos > 0 {
            parts.push(plural(self.infos, "info"));
        }
        format!("{} in {}", parts.join(", "), plural(self.files, "file"))
    }
}
