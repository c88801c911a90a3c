// The render allocates many small, short-lived values; mimalloc does that markedly faster than
// the system allocator (measured in bench/render.sh).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use std::io::IsTerminal;

fn main() {
    let is_tty = std::io::stdout().is_terminal();
    let mut out = std::io::stdout().lock();
    let mut err = std::io::stderr().lock();
    let code = stackstate_lint::run(std::env::args_os(), is_tty, &mut out, &mut err);
    std::process::exit(code);
}
