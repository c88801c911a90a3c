//! stackstate-lint: lint and policy-check values files of the StackState Helm chart.
//!
//! The library resolves every image a StackState release would pull, exactly as Helm would, and
//! remembers which file, line and key decided each part. [`run`] is the whole program behind the
//! binary, testable without a process.

// The library exports what its users drive directly: the binary (`run`), the integration
// tests, benches and fuzz targets. Modules they use as a whole are public; of the others only
// the items they name are re-exported below. `tests/architecture.rs` holds this list.
mod budget;
mod builtin;
mod builtin_charts;
mod bundle;
mod byte_scan;
mod catalog;
pub mod chart;
mod chart_pick;
mod cli;
mod commands;
mod config;
mod config_file;
mod cores;
mod diagnostic;
mod emit;
mod engine;
mod error;
mod escape;
mod fast_hash;
mod file;
mod file_bytes;
mod fix;
mod flag_list;
mod helm_build;
mod helm_log;
mod inputs;
mod key_path;
mod large_render;
mod lint;
mod merge;
mod mirror;
mod packed;
mod reference;
pub mod release;
pub mod render;
mod report;
mod resolve;
mod rules;
mod set;
mod sorted_map;
mod source;
mod stand_in;
mod suggest;
pub mod template;
mod upgrade;
pub mod value;
mod values_read;
mod version;
pub mod yaml;
mod yaml_block;
mod yaml_breaks;
mod yaml_gap;
mod yaml_key;
mod yaml_quoted;
mod yaml_scalar;

pub use builtin_charts::{all as all_builtin_charts, find as find_builtin_chart};
pub use bundle::write as write_bundle;
pub use engine::release_images;
pub use merge::HelmVersion;
pub use rules::all as all_rules;
pub use set::parse_into as parse_set;
pub use source::{FileId, Sources};

use std::io::Write;

use clap::FromArgMatches;

use crate::cli::{Cli, Command};

/// Exit code: no error-level finding.
pub const EXIT_OK: i32 = 0;
/// Exit code: an error-level finding, or a release Helm would not render.
pub const EXIT_FINDINGS: i32 = 1;
/// Exit code: bad usage, configuration or input.
pub const EXIT_INPUT: i32 = 2;

/// A writer that remembers its first error, so that every write of a run counts without each
/// renderer checking: a report cut short by a full disk must not exit 0.
struct Checked<'a> {
    inner: &'a mut dyn Write,
    failed: Option<std::io::Error>,
}

impl Write for Checked<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if self.failed.is_some() {
            return Ok(buf.len());
        }
        match self.inner.write_all(buf) {
            Ok(()) => Ok(buf.len()),
            Err(e) => {
                self.failed = Some(e);
                Ok(buf.len())
            }
        }
    }

    fn flush(&mut self) -> std::io::Result<()> {
        if self.failed.is_none()
            && let Err(e) = self.inner.flush()
        {
            self.failed = Some(e);
        }
        Ok(())
    }
}

/// Ends the process with `code`, leaving what this thread's template caches hold to the
/// operating system: freeing the decoded template trees one by one at exit was about 1 % of a
/// one-file run's instructions.
pub fn exit(code: i32) -> ! {
    template::forget_thread_caches();
    std::process::exit(code)
}

/// Runs the program on `args` (including the program name); returns the exit code. A failed
/// write to `out` (a full disk, a closed pipe) ends the run with exit code 2.
pub fn run<I, T>(args: I, is_tty: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let _budget = budget::install(budget::RunLimits::default());
    let mut checked = Checked {
        inner: out,
        failed: None,
    };
    let code = run_checked(args, is_tty, &mut checked, err);
    let _ = checked.flush();
    match checked.failed {
        Some(e) => {
            // A reader that went away (`| head`) needs no message; the exit code still says it.
            if e.kind() != std::io::ErrorKind::BrokenPipe {
                let _ = writeln!(err, "error: cannot write the output: {e}");
            }
            EXIT_INPUT
        }
        None => code,
    }
}

fn run_checked<I, T>(args: I, is_tty: bool, out: &mut dyn Write, err: &mut dyn Write) -> i32
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = match commands::meta::command().try_get_matches_from(args) {
        Ok(m) => m,
        Err(e) => {
            let code = if e.use_stderr() { EXIT_INPUT } else { EXIT_OK };
            let rendered = e.render();
            let text = if is_tty {
                rendered.ansi().to_string()
            } else {
                rendered.to_string()
            };
            if e.use_stderr() {
                let _ = write!(err, "{text}");
            } else {
                let _ = write!(out, "{text}");
            }
            return code;
        }
    };
    let mut cli = match Cli::from_arg_matches(&matches) {
        Ok(c) => c,
        Err(e) => {
            let _ = write!(err, "{e}");
            return EXIT_INPUT;
        }
    };
    if let Err(e) = cli.read_list_flags() {
        let _ = writeln!(err, "error: {e}");
        return EXIT_INPUT;
    }
    let result = match &cli.command {
        Some(Command::Images(args)) => {
            let sets = args.input.sets();
            commands::images::run(args, &sets, is_tty, out, err)
        }
        Some(Command::Render(args)) => {
            let sets = args.input.sets();
            commands::render::run(args, &sets, out, err)
        }
        Some(Command::Upgrade(args)) => {
            let sets = args.input.sets();
            commands::upgrade::run(args, &sets, is_tty, out, err)
        }
        Some(Command::ChartBundle { chart }) => {
            let mut sources = source::Sources::new();
            chart::load_path(chart, &mut sources)
                .map(|c| {
                    let _ = out.write_all(bundle::write(&c).as_bytes());
                    EXIT_OK
                })
                .map_err(|e| error::InputError::new(e.path(), e.message()))
        }
        Some(Command::Explain { code }) => match rules::find(code) {
            Some(meta) => {
                let _ = write!(out, "{}", meta.doc);
                Ok(EXIT_OK)
            }
            None => Err(error::InputError::new(
                "explain",
                format!("no rule `{code}`{}", rules::suggest(code)),
            )),
        },
        Some(Command::Completions { shell }) => {
            commands::meta::completions(*shell, out);
            Ok(EXIT_OK)
        }
        Some(Command::Man) => {
            commands::meta::man(out);
            Ok(EXIT_OK)
        }
        Some(Command::Rules) => {
            for r in rules::all() {
                let m = r.meta();
                let level = if m.default_off {
                    "off"
                } else {
                    m.severity.as_str()
                };
                let _ = writeln!(out, "{}  {:<28} {:<8} {}", m.code, m.name, level, m.summary);
            }
            Ok(EXIT_OK)
        }
        None => match commands::meta::mistyped_subcommand(&cli.lint.paths) {
            Some(e) => Err(e),
            None => {
                let sets = cli.lint.input.sets();
                if cli.lint.fix || cli.lint.diff {
                    commands::fix::run(&cli.lint, &sets, is_tty, out, err)
                } else {
                    commands::lint::run(&cli.lint, &sets, is_tty, out, err)
                }
            }
        },
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            let _ = write!(err, "{}", e.report());
            EXIT_INPUT
        }
    }
}
