//! GitHub Actions workflow commands: one `::error|warning|notice file=…,line=…::message`
//! annotation per finding, errors first (GitHub shows at most ten per level and step), and a
//! Markdown table of every finding appended to `$GITHUB_STEP_SUMMARY` when that is set.

use std::io::Write;
use std::path::Path;

use super::ci::{doc_url, relative_path};
use super::{Located, Summary};
use crate::diagnostic::Severity;
use crate::escape::{line, markdown_cell};
use crate::source::Sources;

/// Whether this runs inside GitHub Actions (`GITHUB_ACTIONS=true`), where `github` is the
/// default format.
pub fn in_actions() -> bool {
    std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true")
}

/// The annotations; also appends the summary table to the file named by `GITHUB_STEP_SUMMARY`.
/// A summary that cannot be written becomes one more warning annotation.
pub fn output(items: &[Located], summary: &Summary, sources: &Sources) -> String {
    let mut out = render(items, sources);
    let Some(path) = std::env::var_os("GITHUB_STEP_SUMMARY").filter(|p| !p.is_empty()) else {
        return out;
    };
    let written = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(&path)
        .and_then(|mut f| f.write_all(step_summary(items, summary).as_bytes()));
    if let Err(e) = written {
        let message = format!(
            "cannot append the step summary to {}: {e}",
            Path::new(&path).display()
        );
        out.push_str(&format!(
            "::warning title=stackstate-lint::{}\n",
            escape_data(&message)
        ));
    }
    out
}

/// One workflow command per finding, errors first, then warnings, then notices.
pub fn render(items: &[Located], sources: &Sources) -> String {
    errors_first(items)
        .into_iter()
        .map(|l| command(l, sources))
        .collect()
}

/// The Markdown for `$GITHUB_STEP_SUMMARY`: a heading, the counts and a table of all findings.
pub fn step_summary(items: &[Located], summary: &Summary) -> String {
    let mut out = format!("### stackstate-lint\n\n{}\n", summary.line());
    if items.is_empty() {
        return out;
    }
    out.push_str("\n| Severity | Rule | Location | Message |\n|---|---|---|---|\n");
    for l in errors_first(items) {
        let f = l.finding;
        out.push_str(&format!(
            "| {} | [{}]({}) {} | <code>{}:{}:{}</code> | {} |\n",
            f.severity,
            f.code,
            doc_url(f.code, f.name),
            f.name,
            markdown_cell(&relative_path(&l.file)),
            l.line,
            l.column,
            markdown_cell(&f.message)
        ));
    }
    out.push('\n');
    out
}

/// Stable: the report order (file, offset, code) is kept inside each level.
fn errors_first<'a, 'b>(items: &'a [Located<'b>]) -> Vec<&'a Located<'b>> {
    let mut ordered: Vec<&Located> = items.iter().collect();
    ordered.sort_by_key(|l| std::cmp::Reverse(l.finding.severity));
    ordered
}

fn command(l: &Located, sources: &Sources) -> String {
    let f = l.finding;
    let level = match f.severity {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "notice",
    };
    let mut props = Vec::new();
    if !l.file.is_empty() {
        props.push(format!(
            "file={}",
            escape_property(&line(&relative_path(&l.file)))
        ));
        props.push(format!("line={}", l.line));
        // NOTE: GitHub ignores columns on multi-line annotations; a finding without a span is a
        // file-level remark, so it gets no range at all.
        if f.span.is_some() && l.end_line == l.line {
            props.push(format!("col={}", l.column));
            props.push(format!("endLine={}", l.end_line));
            props.push(format!("endColumn={}", l.end_column));
        } else if f.span.is_some() {
            props.push(format!("endLine={}", l.end_line));
        }
    }
    props.push(format!(
        "title={}",
        escape_property(&format!("{} {}", f.code, f.name))
    ));
    // NOTE: the `\n`s joining message, help and notes are the annotation's own lines (sent as
    // %0A); a line break inside one of them came from the input and is escaped before that.
    let mut message = line(&f.message).into_owned();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(&line(help));
    }
    for note in &f.notes {
        message.push_str("\nnote: ");
        message.push_str(&line(&note.message));
        if let Some(span) = note.span {
            message.push_str(&format!(" ({})", line(&sources.describe(span))));
        }
    }
    format!("::{level} {}::{}\n", props.join(","), escape_data(&message))
}

/// GitHub's escaping of a command's message.
pub fn escape_data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// GitHub's escaping of a command property (`file=…`, `title=…`).
pub fn escape_property(s: &str) -> String {
    escape_data(s).replace(':', "%3A").replace(',', "%2C")
}

/// A workflow command for an input error (`file`, `file:line:col`, or an argument name).
pub fn input_error(location: &str, message: &str) -> String {
    let place = super::InputPlace::of(location, message);
    let props = match (&place.file, place.line_col) {
        (Some(f), Some((l, c))) => format!(
            " file={},line={l},col={c}",
            escape_property(&line(&relative_path(f)))
        ),
        (Some(f), None) => format!(" file={}", escape_property(&line(&relative_path(f)))),
        (None, _) => String::new(),
    };
    format!(
        "::error{props},title=stackstate-lint input error::{}\n",
        escape_data(&format!("{}: {}", line(location), line(message)))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostic::Finding;
    use crate::source::{FileId, Span};

    fn finding(severity: Severity, span: Option<Span>) -> Finding {
        let meta = crate::rules::find("SL104").expect("SL104 exists");
        Finding::new(meta, "50% of it:\r\nbroken, really")
            .at(span, "here")
            .severity(severity)
    }

    fn located(f: &Finding, line: usize, end_line: usize) -> Located<'_> {
        Located {
            finding: f,
            file: "dir,a/values:x.yaml".into(),
            line,
            column: 3,
            end_line,
            end_column: 9,
        }
    }

    #[test]
    fn messages_and_properties_are_escaped() {
        assert_eq!(escape_data("a%b\r\nc:d,e"), "a%25b%0D%0Ac:d,e");
        assert_eq!(escape_property("a%b\r\nc:d,e"), "a%25b%0D%0Ac%3Ad%2Ce");
        let f = finding(Severity::Error, Some(Span::new(FileId(0), 0, 1)));
        assert_eq!(
            render(&[located(&f, 2, 2)], &Sources::new()),
            "::error file=dir%2Ca/values%3Ax.yaml,line=2,col=3,endLine=2,endColumn=9,\
             title=SL104 unquoted-tag::50%25 of it:\\r\\nbroken, really\n"
        );
    }

    #[test]
    fn columns_only_on_single_line_spans_and_no_range_without_a_span() {
        let multi = finding(Severity::Warning, Some(Span::new(FileId(0), 0, 1)));
        let none = finding(Severity::Info, None);
        let out = render(
            &[located(&none, 1, 1), located(&multi, 2, 4)],
            &Sources::new(),
        );
        assert_eq!(
            out.lines()
                .map(|l| l.split("::").nth(1).unwrap_or(""))
                .collect::<Vec<_>>(),
            [
                "warning file=dir%2Ca/values%3Ax.yaml,line=2,endLine=4,title=SL104 unquoted-tag",
                "notice file=dir%2Ca/values%3Ax.yaml,line=1,title=SL104 unquoted-tag",
            ]
        );
    }
}
