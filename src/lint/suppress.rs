//! Inline suppressions: `# stackstate-lint: ignore[SL104,SL201] reason` on the offending line or
//! the line above. Only real YAML comments count, never a `#` inside a value.

use std::sync::OnceLock;

use regex::Regex;

use crate::source::{FileId, SourceFile, Span};

/// One suppression comment.
#[derive(Debug, Clone, PartialEq)]
pub struct Suppression {
    /// The file.
    pub file: FileId,
    /// 1-based line of the comment.
    pub line: usize,
    /// Codes (or rule names) it silences.
    pub codes: Vec<String>,
    /// The comment's span.
    pub span: Span,
}

impl Suppression {
    /// Whether it silences `code`/`name` at 1-based `line` of `file`.
    pub fn covers(&self, file: FileId, line: usize, code: &str, name: &str) -> bool {
        self.file == file
            && (self.line == line || self.line + 1 == line)
            && self
                .codes
                .iter()
                .any(|c| c.eq_ignore_ascii_case(code) || c == name)
    }
}

fn pattern() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(r"^#\s*stackstate-lint:\s*ignore\[([A-Za-z0-9_,\- ]+)\]").expect("valid regex")
    })
}

/// Finds the suppression comments of a file. `scalar_spans` (byte ranges of every scalar, from
/// the YAML loader) tell a comment from a `#` inside a value.
pub fn parse(id: FileId, file: &SourceFile, scalar_spans: &[(usize, usize)]) -> Vec<Suppression> {
    let text = &*file.text;
    let mut spans = scalar_spans.to_vec();
    spans.sort_unstable();
    let inside = |pos: usize| {
        let i = spans.partition_point(|(s, _)| *s <= pos);
        i > 0 && spans[i - 1].1 > pos
    };
    let mut out = Vec::new();
    for (pos, _) in text.match_indices('#') {
        let preceded_ok = pos == 0 || text[..pos].ends_with([' ', '\t', '\n', '\r']);
        if !preceded_ok || inside(pos) {
            continue;
        }
        let end = text[pos..].find('\n').map_or(text.len(), |e| pos + e);
        let comment = &text[pos..end];
        if let Some(caps) = pattern().captures(comment) {
            let codes = caps[1]
                .split(',')
                .map(|c| c.trim().to_string())
                .filter(|c| !c.is_empty())
                .collect();
            out.push(Suppression {
                file: id,
                line: file.line_col(pos).0,
                codes,
                span: Span::new(id, pos, end),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{Limits, load};

    #[test]
    fn only_real_comments_count() {
        let text = "a: \"x # stackstate-lint: ignore[SL104]\"\n# stackstate-lint: ignore[SL104, SL201] doc key\nb: 1 # stackstate-lint: ignore[SL205]\n";
        let f = SourceFile::new("v.yaml", text);
        let y = load(FileId(0), text, &Limits::default()).unwrap();
        let s = parse(FileId(0), &f, &y.scalar_spans);
        assert_eq!(s.len(), 2);
        assert_eq!(s[0].line, 2);
        assert_eq!(s[0].codes, vec!["SL104", "SL201"]);
        assert!(s[0].covers(FileId(0), 3, "SL201", "ineffective-key"));
        assert!(!s[0].covers(FileId(0), 4, "SL201", "ineffective-key"));
        assert!(s[1].covers(FileId(0), 3, "SL205", "duplicate-key"));
    }
}
