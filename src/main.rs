fn main() {
    let args: Vec<String> = std::env::args().collect();
    let mut sources = stackstate_lint::source::Sources::new();
    let chart = stackstate_lint::chart::load_path(std::path::Path::new(&args[1]), &mut sources).unwrap();
    print!("{}", stackstate_lint::bundle::write(&chart));
}
