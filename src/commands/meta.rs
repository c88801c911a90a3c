//! Commands about the tool itself: shell completions, the man page, the version text, and the
//! check that a mistyped subcommand is not linted as a file.

use std::io::Write;
use std::path::Path;
use std::sync::OnceLock;

use clap::CommandFactory;

use crate::builtin_charts;
use crate::cli::Cli;
use crate::error::InputError;

/// `0.1.0 (built-in charts: stackstate 4.2.5, …; suse-observability 2.0.1, 2.10.3)`: the charts
/// this build has built in (name them `chart@version`).
pub fn version_text() -> &'static str {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let charts: Vec<String> = crate::chart_pick::CHARTS
            .iter()
            .map(|name| {
                let versions: Vec<&str> = builtin_charts::versions_of(name)
                    .into_iter()
                    .map(|c| c.version())
                    .collect();
                format!("{name} {}", versions.join(", "))
            })
            .collect();
        format!(
            "{} (built-in charts: {})",
            env!("CARGO_PKG_VERSION"),
            charts.join("; ")
        )
    })
}

/// The clap command with the version text filled in.
pub fn command() -> clap::Command {
    Cli::command().version(version_text())
}

/// Writes the completion script for `shell`.
pub fn completions(shell: clap_complete::Shell, out: &mut dyn Write) {
    let mut cmd = command();
    // NOTE: clap_complete panics when its writer fails (`| head`): it writes to memory instead.
    let mut script = Vec::new();
    clap_complete::generate(shell, &mut cmd, "stackstate-lint", &mut script);
    let _ = out.write_all(&script);
}

/// Writes the man page (roff).
pub fn man(out: &mut dyn Write) {
    let mut page = Vec::new();
    // Rendering into memory cannot fail; a closed stdout is not worth an error.
    let _ = clap_mangen::Man::new(command()).render(&mut page);
    let _ = out.write_all(&page);
}

/// A first PATH that is no file but looks like a subcommand (`image`, `completion`) is a typo:
/// linting it would only end in "no such file" after the other paths.
pub fn mistyped_subcommand(paths: &[std::path::PathBuf]) -> Option<InputError> {
    let first = paths.first()?;
    let word = first.to_str()?;
    if word == "-" || word.contains(['/', '.']) || Path::new(word).exists() {
        return None;
    }
    let cmd = command();
    let names: Vec<&str> = cmd
        .get_subcommands()
        .filter(|c| !c.is_hide_set())
        .map(|c| c.get_name())
        .collect();
    let suggestion = names
        .iter()
        .find(|n| n.starts_with(word) || word.starts_with(**n))
        .copied()
        .or_else(|| crate::suggest::closest(word, names.iter().copied()))?;
    Some(InputError::new(
        word,
        format!("no such file, folder or subcommand; did you mean `stackstate-lint {suggestion}`?"),
    ))
}
