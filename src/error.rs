//! Bad input, the one error type of a run that cannot go on (exit code 2): where (`file:line:col`,
//! `--set #N`, a file) and what, and — when it points into a text the run loaded — the lines
//! around that place, shown by miette below the message the way findings show theirs.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, MietteError,
    MietteSpanContents, SourceCode, SourceSpan, SpanContents,
};

use crate::escape;
use crate::source::{Sources, Span};

/// Bad input: the run cannot go on (exit code 2).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
// NOTE: locations and messages quote file names, keys and values: printed escaped, one line.
#[error("{}: {}", escape::line(location), escape::line(message))]
pub struct InputError {
    /// `file`, `file:line:col`, or `--set #N`.
    pub location: String,
    /// What is wrong.
    pub message: String,
    /// The lines around the place, when the error has one in a loaded text.
    pub excerpt: Option<Box<Excerpt>>,
}

impl InputError {
    /// An error about a whole file (or argument).
    pub fn new(location: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            location: location.into(),
            message: message.into(),
            excerpt: None,
        }
    }

    /// An error at a span of a loaded text: the location names its line and column, and the
    /// lines around it are kept to be shown.
    pub fn at(sources: &Sources, span: Span, message: impl Into<String>) -> Self {
        InputError {
            excerpt: Excerpt::of(sources, span).map(Box::new),
            ..InputError::new(sources.describe(span), message)
        }
    }

    /// `error: LOCATION: MESSAGE`, then the excerpt if there is one: what a terminal or a log
    /// shows of the error.
    pub fn report(&self) -> String {
        let mut out = format!("error: {self}\n");
        if let Some(e) = &self.excerpt {
            out.push_str(&e.render());
        }
        out
    }
}

/// A few lines of a loaded text around an error's place. Only these lines are kept, not the
/// text: a folder of broken files keeps one error per file until the run ends.
#[derive(Debug, Clone, PartialEq)]
pub struct Excerpt {
    /// The file's name, escaped to one line.
    name: String,
    /// The lines, control characters replaced without moving a byte.
    text: String,
    /// Byte offset of `text` in the file.
    offset: usize,
    /// 0-based line of the file where `text` starts.
    first_line: usize,
    /// 0-based column (in characters) of that line where `text` starts: not 0 when a long line
    /// is cut to the error's place.
    first_col: usize,
    /// The error's place, in the file's bytes.
    span: (usize, usize),
}

/// Lines of context kept on each side of the error's line.
const CONTEXT: usize = 2;

/// Bytes of the error's line kept on each side of its place when the lines around it are long
/// (a values file written on one line): miette pads the marker to its column, and Rust's
/// formatter refuses a padding past 65,535 (it panicked there).
const WIDE: usize = 120;

impl Excerpt {
    fn of(sources: &Sources, span: Span) -> Option<Excerpt> {
        let file = sources.get(span.file);
        let (line, _) = file.line_col(span.start);
        let first = line.saturating_sub(CONTEXT).max(1);
        let mut start = file.line_start(first);
        let mut end = file.line_start(line + CONTEXT + 1).min(file.text.len());
        let (mut first_line, mut first_col) = (first - 1, 0);
        if end - start > (2 * CONTEXT + 1) * 4 * WIDE {
            // Only the error's line, cut around the place.
            let line_end = file.line_start(line + 1).min(file.text.len());
            start = span.start.saturating_sub(WIDE).max(file.line_start(line));
            while !file.text.is_char_boundary(start) {
                start += 1;
            }
            end = span.start.saturating_add(WIDE).min(line_end).max(start);
            while !file.text.is_char_boundary(end) {
                end -= 1;
            }
            first_line = line - 1;
            first_col = file.line_col(start).1 - 1;
        }
        let text = file.text.get(start..end)?;
        let at = span.start.clamp(start, end);
        Some(Excerpt {
            name: escape::line(&file.name).into_owned(),
            text: escape::snippet(text).into_owned(),
            offset: start,
            first_line,
            first_col,
            span: (at, span.end.clamp(at, end) - at),
        })
    }

    /// The lines with the place marked, as miette draws a snippet (no colour: errors go to
    /// logs as often as to terminals).
    pub fn render(&self) -> String {
        let handler = GraphicalReportHandler::new_themed(GraphicalTheme::unicode_nocolor())
            .with_links(false)
            .with_context_lines(CONTEXT);
        let mut out = String::new();
        if handler.render_report(&mut out, &Marked(self)).is_err() {
            return String::new();
        }
        // NOTE: miette leads with the diagnostic's message, which `report` has printed as the
        // `error:` line already; only the drawing of the place follows it.
        out.lines()
            .skip_while(|l| !l.trim_start().starts_with('╭'))
            .map(|l| format!("{l}\n"))
            .collect()
    }
}

impl SourceCode for Excerpt {
    fn read_span<'a>(
        &'a self,
        span: &SourceSpan,
        before: usize,
        after: usize,
    ) -> Result<Box<dyn SpanContents<'a> + 'a>, MietteError> {
        let local = SourceSpan::new(span.offset().saturating_sub(self.offset).into(), span.len());
        let inner = self.text.as_str().read_span(&local, before, after)?;
        Ok(Box::new(MietteSpanContents::new_named(
            self.name.clone(),
            inner.data(),
            SourceSpan::new(
                (inner.span().offset() + self.offset).into(),
                inner.span().len(),
            ),
            inner.line() + self.first_line,
            inner.column() + if inner.line() == 0 { self.first_col } else { 0 },
            inner.line_count(),
        )))
    }
}

/// The excerpt as a diagnostic, for miette to draw.
struct Marked<'a>(&'a Excerpt);

impl fmt::Debug for Marked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("input error")
    }
}

impl fmt::Display for Marked<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("input error")
    }
}

impl std::error::Error for Marked<'_> {}

impl Diagnostic for Marked<'_> {
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(self.0)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some("here".to_string()), self.0.span),
        )))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceFile;

    fn error_at(text: &str, needle: &str, message: &str) -> InputError {
        let mut sources = Sources::new();
        let id = sources.add(SourceFile::new("values.yaml", text));
        let start = text.find(needle).expect("needle in text");
        let span = Span {
            file: id,
            start,
            end: start + needle.len(),
        };
        InputError::at(&sources, span, message)
    }

    #[test]
    fn the_report_shows_the_line_with_the_place_marked_and_the_file_line_numbers() {
        let text = "a: 1\nb: 2\nc: 3\nd: [1,\ne: 5\nf: 6\ng: 7\nh: 8\n";
        let e = error_at(text, "e: 5", "invalid YAML: bad flow");
        assert_eq!(e.location, "values.yaml:5:1");
        let report = e.report();
        let lines: Vec<&str> = report.lines().collect();
        assert_eq!(lines[0], "error: values.yaml:5:1: invalid YAML: bad flow");
        assert!(lines[1].contains("╭─[values.yaml:5:1]"), "{report}");
        // Two lines of context on each side, numbered as in the file.
        for (n, t) in [
            (3, "c: 3"),
            (4, "d: [1,"),
            (5, "e: 5"),
            (6, "f: 6"),
            (7, "g: 7"),
        ] {
            assert!(
                lines
                    .iter()
                    .any(|l| l.trim_start().starts_with(&format!("{n} │ {t}"))),
                "line {n} missing:\n{report}"
            );
        }
        assert!(
            !report.contains("b: 2") && !report.contains("h: 8"),
            "{report}"
        );
        assert!(report.contains("here"), "{report}");
    }

    #[test]
    fn an_error_without_a_place_is_one_line_and_control_characters_are_replaced() {
        let e = InputError::new("--set #2", "bad\nvalue");
        assert_eq!(e.report(), "error: --set #2: bad\\nvalue\n");
        let e = error_at("a: \u{1b}[31mred\n", "red", "no");
        assert!(!e.report().contains('\u{1b}'), "{}", e.report());
    }

    #[test]
    fn an_error_far_along_a_long_line_shows_the_line_around_it() {
        // A values file on one line, wrong 200,000 characters in (miette panicked padding the
        // marker that far).
        let text = format!("big: [{}x}}]\n", "{a: 0},".repeat(25_000));
        let e = error_at(&text, "x}", "invalid YAML: bad flow");
        assert_eq!(e.location, "values.yaml:1:175007");
        let report = e.report();
        assert!(report.contains("╭─[values.yaml:1:175007]"), "{report}");
        assert!(report.contains("{a: 0},x}]"), "{report}");
        assert!(report.contains("here"), "{report}");
        assert!(report.len() < 2_000, "{report}");
        // Long lines around a short one: the short one alone.
        let text = format!(
            "a: {}\nb: [1,\nc: {}\n",
            "y".repeat(9_000),
            "z".repeat(9_000)
        );
        let e = error_at(&text, "[1,", "invalid YAML: bad flow");
        let report = e.report();
        assert!(report.contains("2 │ b: [1,"), "{report}");
        assert!(
            !report.contains("yyy") && !report.contains("zzz"),
            "{report}"
        );
    }

    #[test]
    fn an_error_at_the_end_of_a_text_still_renders() {
        let e = error_at("a: [1,\n", "\n", "unexpected end");
        let report = e.report();
        assert!(report.contains("1 │ a: [1,"), "{report}");
    }
}
