//! Escaping of input-controlled text on its way out: every line the tool prints stays one line
//! and carries no terminal escape, scripts quote every word, Markdown cells hold no live markup.
//!
//! Keys, values, file names and a chart's `Chart.yaml` fields are all chosen by whoever wrote
//! the input; a newline in one of them must not start a GitHub workflow command, an ESC must not
//! drive the user's terminal, and a `;` must not become a shell command.

use std::borrow::Cow;

/// Characters a terminal, a CI log parser or a reader could take for something other than text:
/// C0/C1 controls and DEL, Unicode line/paragraph separators and bidirectional overrides
/// ("Trojan Source").
pub fn is_unsafe(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{2028}' | '\u{2029}' | '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}'
        )
}

/// `s` as one printable line: unsafe characters written as Rust-style escapes (`\n`, `\u{1b}`).
pub fn line(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_unsafe) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if is_unsafe(c) {
            out.extend(c.escape_default());
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// A source text shown as a snippet: unsafe characters other than line ends and tabs replaced by
/// a visible character of the same UTF-8 length, so byte spans into the text stay valid.
pub fn snippet(text: &str) -> Cow<'_, str> {
    let keep =
        |c: char, next: Option<char>| c == '\n' || c == '\t' || (c == '\r' && next == Some('\n'));
    let mut chars = text.chars().peekable();
    let mut out: Option<String> = None;
    let mut at = 0;
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        if is_unsafe(c) && !keep(c, next) {
            let o = out.get_or_insert_with(|| text[..at].to_string());
            o.push(match c.len_utf8() {
                1 => '?',
                2 => '\u{bf}',
                3 => '\u{fffd}',
                _ => '\u{1f6ab}',
            });
        } else if let Some(o) = out.as_mut() {
            o.push(c);
        }
        at += c.len_utf8();
    }
    out.map_or(Cow::Borrowed(text), Cow::Owned)
}

/// One POSIX shell word: always single-quoted, a `'` inside written as `'\''`.
pub fn sh(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// Text as the content of one GitHub Markdown table cell: no HTML tag, entity, Markdown
/// construct, pipe or line break survives. `` `code` `` spans of the message become `<code>`
/// elements whose content is escaped like the rest.
pub fn markdown_cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut in_code = false;
    for c in s.chars() {
        match c {
            '`' => {
                out.push_str(if in_code { "</code>" } else { "<code>" });
                in_code = !in_code;
            }
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\n' => out.push_str("<br>"),
            c if is_unsafe(c) => out.extend(c.escape_default()),
            // Emphasis, links and images, strike-through, math, table cells: a backslash makes
            // each literal. (Heading and list markers only count at the start of a line.)
            '\\' | '*' | '_' | '[' | ']' | '|' | '~' | '$' => {
                out.push('\\');
                out.push(c);
            }
            c => out.push(c),
        }
    }
    if in_code {
        out.push_str("</code>");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_stay_lines() {
        assert_eq!(line("a\nb\r\u{1b}]0;x\u{7}"), "a\\nb\\r\\u{1b}]0;x\\u{7}");
        assert_eq!(
            line("\u{9b}31m\u{202e}x\u{2028}"),
            "\\u{9b}31m\\u{202e}x\\u{2028}"
        );
        assert!(matches!(line("plain: é"), Cow::Borrowed(_)));
    }

    #[test]
    fn snippets_keep_byte_offsets() {
        let text = "a: \u{1b}[31m\r\nb: \u{9b}\u{202e}\tx\n";
        let shown = snippet(text);
        assert_eq!(shown.len(), text.len());
        assert_eq!(shown, "a: ?[31m\r\nb: \u{bf}\u{fffd}\tx\n");
        assert!(!shown.chars().any(|c| is_unsafe(c) && !"\r\n\t".contains(c)));
    }

    #[test]
    fn shell_words_are_always_quoted() {
        assert_eq!(sh("a b"), "'a b'");
        assert_eq!(sh("it's"), r"'it'\''s'");
        assert_eq!(sh(""), "''");
        assert_eq!(sh("plain"), "'plain'");
    }

    #[test]
    fn markdown_cells_hold_no_markup() {
        assert_eq!(
            markdown_cell("a | b <img src=x> `<nil>` *x* [l](u)\nc"),
            "a \\| b &lt;img src=x&gt; <code>&lt;nil&gt;</code> \\*x\\* \\[l\\](u)<br>c"
        );
        assert_eq!(markdown_cell("`open"), "<code>open</code>");
    }
}
