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

/// Whether a template body holds only whitespace (Go's `parse.IsEmptyTree`).
pub fn is_empty_tree(list: &super::ast::List) -> bool {
    list.nodes.iter().all(|n| match n {
        super::ast::Node::Text { text, .. } => text.trim().is_empty(),
        _ => false,
    })
}
