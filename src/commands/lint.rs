//! The default command: lint values files and report the findings.

use std::io::Write;

use super::{batch, outcome};
use crate::cli::LintArgs;
use crate::error::InputError;
use crate::release::SetArg;

/// Runs the lint command; returns the exit code.
pub fn run(
    args: &LintArgs,
    sets: &[SetArg],
    is_tty: bool,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Result<i32, InputError> {
    let selection = batch::selection(args)?;
    let outcome = batch::lint_paths(args, sets, &selection, None)?;
    outcome::report(args, &outcome, is_tty, out, err)
}
