//! Human output: miette diagnostics with the source snippet, labels, help and notes, then a
//! one-line summary.

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, NamedSource, SourceCode,
};

use super::{Located, Summary};
use crate::diagnostic::{Finding, Severity};
use crate::escape::{line, snippet};
use crate::source::{FileId, Sources, Span};

/// The longest line drawn in a snippet: miette pads its markers to their column, and Rust's
/// formatter refuses a padding past 65,535 (a values file written on one line, as JSON often
/// is, panicked there); a place further along a longer line is named, not drawn.
const DRAWN_LINE: usize = 2_000;

/// Whether the line holding `span`'s start is short enough to draw.
fn drawable(sources: &Sources, span: Span) -> bool {
    let file = sources.get(span.file);
    let line = file.line_of(span.start);
    file.line_start(line + 1) - file.line_start(line) <= DRAWN_LINE
}

struct Diag<'a> {
    finding: &'a Finding,
    /// The message as one printable line.
    message: String,
    source: Option<NamedSource<Arc<String>>>,
    labels: Vec<LabeledSpan>,
    help: Option<String>,
}

impl fmt::Debug for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl fmt::Display for Diag<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Diag<'_> {}

impl Diagnostic for Diag<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{}({})",
            self.finding.code, self.finding.name
        )))
    }

    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(super::ci::doc_url(
            self.finding.code,
            self.finding.name,
        )))
    }

    fn severity(&self) -> Option<miette::Severity> {
        Some(match self.finding.severity {
            Severity::Error => miette::Severity::Error,
            Severity::Warning => miette::Severity::Warning,
            Severity::Info => miette::Severity::Advice,
        })
    }

    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.help
            .as_ref()
            .map(|h| Box::new(h) as Box<dyn fmt::Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        self.source.as_ref().map(|s| s as &dyn SourceCode)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        if self.labels.is_empty() {
            return None;
        }
        Some(Box::new(self.labels.iter().cloned()))
    }
}

/// Renders every finding and the summary; `color` picks the colour theme, text wraps at `width`
/// columns between words.
pub fn render(
    items: &[Located],
    summary: &Summary,
    sources: &Sources,
    color: bool,
    width: usize,
) -> String {
    let theme = if color {
        GraphicalTheme::unicode()
    } else {
        GraphicalTheme::unicode_nocolor()
    };
    let handler = GraphicalReportHandler::new_themed(theme)
        .with_width(width)
        .with_wrap_lines(true)
        .with_break_words(false)
        // The rule's documentation URL as text after the code: terminals and logs alike show it.
        .with_links(false);
    let mut out = String::new();
    // Each file's text as a snippet once, shared by its findings.
    let mut texts: HashMap<FileId, Arc<String>> = HashMap::new();
    for l in items {
        let f = l.finding;
        let mut labels = Vec::new();
        let mut source = None;
        // NOTE: every text shown may quote keys, values or file names: escaped to one line, and
        // the snippet's control characters replaced without moving a byte.
        let mut help_lines: Vec<String> = f.help.iter().map(|h| line(h).into_owned()).collect();
        if let Some(span) = f.span.filter(|&s| !drawable(sources, s)) {
            help_lines.push(format!("at {}", line(&sources.describe(span))));
            help_lines.extend(f.notes.iter().map(|n| match n.span {
                Some(s) => format!(
                    "note: {} ({})",
                    line(&n.message),
                    line(&sources.describe(s))
                ),
                None => format!("note: {}", line(&n.message)),
            }));
        } else if let Some(span) = f.span {
            let file = sources.get(span.file);
            let text = texts
                .entry(span.file)
                .or_insert_with(|| Arc::new(snippet(&file.text).into_owned()));
            source = Some(NamedSource::new(line(&file.name), Arc::clone(text)));
            labels.push(LabeledSpan::new_primary_with_span(
                Some(line(&f.label).into_owned()),
                (span.start, span.len()),
            ));
            for n in &f.notes {
                let message = line(&n.message);
                match n.span {
                    Some(s) if s.file == span.file && s != span && !drawable(sources, s) => {
                        help_lines
                            .push(format!("note: {message} ({})", line(&sources.describe(s))));
                    }
                    Some(s) if s.file == span.file && s != span => labels.push(
                        LabeledSpan::new_with_span(Some(message.into_owned()), (s.start, s.len())),
                    ),
                    Some(s) if s.file != span.file => {
                        help_lines.push(format!("note: {message} ({})", line(&sources.describe(s))))
                    }
                    Some(_) => {}
                    None => help_lines.push(format!("note: {message}")),
                }
            }
        } else {
            help_lines.extend(
                f.notes
                    .iter()
                    .map(|n| format!("note: {}", line(&n.message))),
            );
            help_lines.push(format!("(applies to {})", line(&l.file)));
        }
        let diag = Diag {
            message: line(&f.message).into_owned(),
            finding: f,
            source,
            labels,
            help: (!help_lines.is_empty()).then(|| help_lines.join("\n")),
        };
        let mut text = String::new();
        if handler.render_report(&mut text, &diag).is_err() {
            text = format!("{}: {} [{}]\n", f.severity, diag.message, f.code);
        }
        out.push_str(&text);
        if !text.ends_with('\n') {
            out.push('\n');
        }
        // A blank line after each diagnostic, so one never runs into the next.
        out.push('\n');
    }
    // Nothing was linted (every input failed): the errors on stderr say it all.
    if summary.files == 0 && items.is_empty() {
        return out;
    }
    out.push_str(&summary.line());
    out.push('\n');
    out
}
