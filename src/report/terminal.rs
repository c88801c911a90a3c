//! What the terminal allows: colour and width, read from the environment as most command-line
//! tools read it (no-color.org, force-color.org, bixense.com/clicolors).

use crate::cli::ColorChoice;

/// Whether to colour. `--color always|never` win; then a non-empty `NO_COLOR` turns colour off,
/// `FORCE_COLOR` or `CLICOLOR_FORCE` (non-empty, not `0`) turn it on even through a pipe, and
/// `TERM=dumb` or `CLICOLOR=0` turn it off; otherwise colour on a terminal.
pub fn color(choice: ColorChoice, is_tty: bool) -> bool {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            if var("NO_COLOR").is_some() {
                return false;
            }
            let forced = |name: &str| var(name).is_some_and(|v| v != "0" && v != "false");
            if forced("FORCE_COLOR") || forced("CLICOLOR_FORCE") {
                return true;
            }
            if var("TERM").as_deref() == Some("dumb") || var("CLICOLOR").as_deref() == Some("0") {
                return false;
            }
            is_tty
        }
    }
}

/// The columns to fit: `COLUMNS` when set, else the width of the terminal on stdout; `None`
/// when output goes elsewhere.
pub fn width(is_tty: bool) -> Option<usize> {
    if let Some(n) = std::env::var("COLUMNS")
        .ok()
        .and_then(|v| v.trim().parse::<usize>().ok())
        .filter(|n| *n > 0)
    {
        return Some(n);
    }
    if !is_tty {
        return None;
    }
    terminal_size::terminal_size().map(|(w, _)| usize::from(w.0))
}
