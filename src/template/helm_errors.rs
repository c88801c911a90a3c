//! Helm's rewording of template errors (`pkg/engine/engine.go`): `cleanupParseError` and
//! `cleanupExecError`. The renderer applies them to a template's failure, and `tpl` of a Helm
//! before 3.14 to its own (it rendered its text as a template of the chart).

use super::funcs::helm_data::{ERR_END, ERR_START};

/// `cleanupParseError`: `parse error at (NAME:LINE): the last part of Go's message`.
pub(crate) fn cleanup_parse_error(filename: &str, message: &str) -> String {
    let tokens: Vec<&str> = message.split(": ").collect();
    if tokens.len() == 1 {
        return format!("parse error in ({filename}): {message}");
    }
    let location = tokens[1];
    let last = tokens[tokens.len() - 1];
    format!("parse error at ({location}): {last}")
}

/// `cleanupExecError` of an execution error: a `fail`/`required` message becomes
/// `execution error at (NAME:LINE:COL): MESSAGE`; `None` where Helm keeps Go's words.
pub(crate) fn cleanup_exec_message(filename: &str, message: &str) -> Option<String> {
    let tokens: Vec<&str> = message.splitn(3, ": ").collect();
    if tokens.len() != 3 {
        return Some(format!("execution error in ({filename}): {message}"));
    }
    let start = tokens[2].find(ERR_START)?;
    let end = tokens[2].rfind(ERR_END)?;
    (end >= start + ERR_START.len()).then(|| {
        let inner = &tokens[2][start + ERR_START.len()..end];
        format!("execution error at ({}): {inner}", tokens[1])
    })
}
