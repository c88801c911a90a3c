use std::io::IsTerminal;

fn main() {
    let is_tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = stackstate_lint::run(std::env::args_os(), is_tty, &mut out, &mut err);
    std::process::exit(code);
}
