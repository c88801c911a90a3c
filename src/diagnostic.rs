//! What every layer shares about a problem found: its severity, the finding with its notes and
//! help, the fix as data (edits), and the metadata a rule declares about itself.
//!
//! Rules produce these, the engine filters and sorts them, reports render them; so this module
//! imports nothing above `source`.

use std::fmt;

use crate::source::Span;

/// What every rule declares about itself.
#[derive(Debug)]
pub struct RuleMeta {
    /// Stable code (`SL104`).
    pub code: &'static str,
    /// Stable kebab-case name (`unquoted-tag`).
    pub name: &'static str,
    /// Default severity.
    pub severity: Severity,
    /// Off unless configured (policy rules).
    pub default_off: bool,
    /// One line.
    pub summary: &'static str,
    /// The Markdown documentation (`rules/docs/SLnnn-name.md`).
    pub doc: &'static str,
}

/// How bad a finding is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Severity {
    /// Worth knowing.
    Info,
    /// Likely wrong; does not fail the run.
    Warning,
    /// Will break or leak; fails the run (exit 1).
    Error,
}

impl Severity {
    /// `error`, `warning` or `info`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Info => "info",
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    }

    /// Parses `error`, `warning`, `info`.
    pub fn parse(s: &str) -> Option<Severity> {
        match s {
            "error" => Some(Severity::Error),
            "warning" | "warn" => Some(Severity::Warning),
            "info" | "note" => Some(Severity::Info),
            _ => None,
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One text edit: replace `span` with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Edit {
    /// The bytes to replace (empty for an insertion).
    pub span: Span,
    /// The new text.
    pub replacement: String,
}

/// A fix: edits that together remove the finding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fix {
    /// What the fix does, for people.
    pub description: String,
    /// Whether it can be applied without review (`--fix`); unsafe ones need `--unsafe-fixes`.
    pub safe: bool,
    /// The edits, in any order; they never overlap.
    pub edits: Vec<Edit>,
    /// The dotted keys whose values the fix changes: every other value of the file must read
    /// back the same, or the fix is not applied.
    pub keys: Vec<String>,
}

/// A secondary location or remark.
#[derive(Debug, Clone, PartialEq)]
pub struct Note {
    /// Where, when it is in a user file.
    pub span: Option<Span>,
    /// What it says.
    pub message: String,
}

/// A problem a rule found.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Rule code (`SL104`).
    pub code: &'static str,
    /// Rule name (`unquoted-tag`).
    pub name: &'static str,
    /// Severity after configuration.
    pub severity: Severity,
    /// What is wrong, naming the image as it will be rendered.
    pub message: String,
    /// Where: the key the user wrote, or the nearest one to where they should write.
    pub span: Option<Span>,
    /// The label text at `span`.
    pub label: String,
    /// What to do.
    pub help: Option<String>,
    /// Related remarks (the chart default that won, …).
    pub notes: Vec<Note>,
    /// The dotted values key concerned.
    pub key: Option<String>,
    /// An automatic fix.
    pub fix: Option<Fix>,
    /// Set when another finding of the same release is its cause (a registry with a scheme
    /// makes every image reference built on it invalid): reports show the cause, with a count.
    pub caused_by: Option<Cause>,
}

/// The finding another one follows from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cause {
    /// Its rule code.
    pub code: &'static str,
    /// Its primary location.
    pub span: Option<Span>,
}

impl Finding {
    /// A finding of `rule` with its default severity.
    pub fn new(meta: &RuleMeta, message: impl Into<String>) -> Self {
        Finding {
            code: meta.code,
            name: meta.name,
            severity: meta.severity,
            message: message.into(),
            span: None,
            label: String::new(),
            help: None,
            notes: Vec::new(),
            key: None,
            fix: None,
            caused_by: None,
        }
    }

    /// Sets the primary location and its label.
    pub fn at(mut self, span: Option<Span>, label: impl Into<String>) -> Self {
        self.span = span;
        self.label = label.into();
        self
    }

    /// Sets the help text.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Sets the key.
    pub fn key(mut self, key: impl Into<String>) -> Self {
        self.key = Some(key.into());
        self
    }

    /// Adds a note.
    pub fn note(mut self, span: Option<Span>, message: impl Into<String>) -> Self {
        self.notes.push(Note {
            span,
            message: message.into(),
        });
        self
    }

    /// Attaches a fix.
    pub fn fix(mut self, fix: Fix) -> Self {
        self.fix = Some(fix);
        self
    }

    /// Overrides the severity.
    pub fn severity(mut self, severity: Severity) -> Self {
        self.severity = severity;
        self
    }
}
