//! `file:line:col: severity[CODE] message`, one line per finding.

use super::Located;

/// Renders the compact format.
pub fn render(items: &[Located]) -> String {
    let mut out = String::new();
    for l in items {
        let f = l.finding;
        out.push_str(&format!(
            "{}:{}:{}: {}[{}] {}\n",
            l.file, l.line, l.column, f.severity, f.code, f.message
        ));
    }
    out
}
