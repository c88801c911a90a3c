//! `file:line:col: severity[CODE] message`, one line per finding.

use super::Located;
use crate::escape::line;

/// Renders the compact format.
pub fn render(items: &[Located]) -> String {
    let mut out = String::new();
    for l in items {
        let f = l.finding;
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            line(&l.file),
            l.line,
            l.column,
            f.severity,
            f.code,
            line(&f.message)
        ));
    }
    out
}
