//! Errors of parsing and executing templates, worded like Go's `text/template`.

use std::fmt;

/// A parse or execution error, with the text Go would print.
#[derive(Debug, Clone, PartialEq)]
pub struct Error {
    /// What kind of failure.
    pub(crate) kind: ErrorKind,
    /// The full message, e.g. `template: x.yaml:3:7: executing "x.yaml" at <.Values.a>: …`.
    pub(crate) message: String,
}

/// What kind of failure an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ErrorKind {
    /// The template text does not parse.
    Parse,
    /// Execution failed (a function error, a bad field access, `fail`, `required`…).
    Exec,
    /// A budget ran out: execution fuel, recursion depth or output size.
    Budget,
}

impl Error {
    /// A parse error: `template: NAME:LINE: MSG`.
    pub(crate) fn parse(parse_name: &str, line: usize, msg: impl fmt::Display) -> Error {
        Error {
            kind: ErrorKind::Parse,
            message: format!("template: {parse_name}:{line}: {msg}"),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

/// Why a function call failed; the executor adds the template, position and function name.
#[derive(Debug, Clone, PartialEq)]
pub enum FuncError {
    /// Go's arity check: `wrong number of args for NAME: want N got M` (`want at least N` when
    /// the function is variadic).
    Arity {
        /// Parameters required.
        want: usize,
        /// Whether more may follow.
        variadic: bool,
        /// Arguments given.
        got: usize,
    },
    /// Go's argument conversion failed before the call, e.g.
    /// `wrong type for value; expected string; got int`.
    Arg(String),
    /// The function itself returned an error: printed as `error calling NAME: MSG`.
    Call(String),
    /// The function would build more than the engine allows (a list of millions of items, a
    /// string of hundreds of megabytes) where Go would try: a budget, not Helm's verdict.
    Budget(String),
}

impl FuncError {
    /// A function's own error.
    pub(crate) fn call(msg: impl fmt::Display) -> FuncError {
        FuncError::Call(msg.to_string())
    }
}
