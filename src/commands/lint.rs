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
    let batch = batch_of(args);
    let selection = batch::selection(&batch)?;
    let outcome = batch::lint_paths(&batch, sets, &selection, None)?;
    outcome::report(args.format, &args.check, &outcome, is_tty, out, err)
}

/// What the run over PATHs reads of the arguments (the lint command's and `--fix`'s).
pub fn batch_of(args: &LintArgs) -> batch::Batch<'_> {
    batch::Batch {
        paths: &args.paths,
        input: &args.input,
        config: args.check.config.as_deref(),
        no_config: args.check.no_config,
        select: &args.check.select,
        ignore: &args.check.ignore,
        include: &args.include,
        exclude: &args.exclude,
        release_name: args.release_name.as_deref(),
    }
}
