//! The parser (Go's `parse/parse.go`). Being written.

use super::Error;
use super::ast::Tree;

/// Parses the template file `name` into its own tree followed by one tree per `define`/`block`,
/// in source order. `func_exists` answers Go's "function %q not defined" check.
pub fn parse(
    name: &str,
    text: &str,
    func_exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, Error> {
    let _ = (name, text, func_exists);
    Err(Error::parse(name, 1, "parser not written yet"))
}
