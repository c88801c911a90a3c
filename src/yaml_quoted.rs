//! Quoted scalars and flow collections whose continuation lines sit left of the block they
//! belong to.
//!
//! libyaml (and so go-yaml v2, which reads Helm's values files and `fromYaml`) never checks the
//! indentation of a quoted scalar's continuation lines, nor of any line inside a flow collection:
//! `a:\n  b: "x\ny"` is `{a: {b: "x y"}}`, and `a:\n  b: [\n1 ]` is `{a: {b: [1]}}` (charts
//! write JSON-like lists with the closing bracket under the key). saphyr follows YAML 1.2 and
//! refuses both ("invalid indentation in quoted scalar", "invalid indentation" and "invalid
//! indentation in flow construct", or "tab cannot be used as indentation" for a tab there). A
//! continuation line's leading blanks are not part of the value, so the loader pads those lines
//! with spaces and parses again: the value is the one go-yaml reads. A [`Padded`] text keeps the map from its characters back to the original bytes,
//! so every span still points into the text the user wrote.
//!
//! saphyr also refuses a tab as the only blank after a mapping's `:` before a word (`a:\t1`),
//! which libyaml takes as any blank: that tab is read as a space.

use std::collections::{BTreeMap, BTreeSet};

/// Most text parsed again for one text, over all retries (each retry fixes at least one scalar
/// and parses the whole text): CRDs made by older controller-gen hold hundreds of such
/// scalars in one document (litmus-agent: 200 KB, over 100 of them).
const MAX_REPARSED: usize = 64 << 20;
/// Most spaces inserted into one text.
const MAX_INSERTED: usize = 1 << 20;

/// The builder's word for a line of a flow collection that starts with a tab: go-yaml skips
/// tabs between a flow collection's tokens, saphyr refuses one starting a line inside a block.
/// Never shown: the tabs are read as spaces ([`Padded::cure`]), or the error gets libyaml's
/// words.
pub(crate) const FLOW_TAB: &str = "a tab starting a line of a flow collection";

/// The builder's word for a `?` glued to the node after it in a flow collection (go-yaml's key
/// indicator, a scalar's first character to YAML 1.2): a blank goes in at the error's place,
/// and the text is read again.
pub(crate) const GLUED_KEY_INDICATOR: &str = "a flow key indicator glued to its node";

/// The builder's word for a `:` or `?` right after an anchor's or alias's name (`*a: b`): go-yaml's
/// name ends there and the character starts a token, where YAML 1.2 reads it as part of the
/// name; a blank goes in before it, and the text is read again.
pub(crate) const GLUED_TO_PROPERTY: &str = "a token glued to an anchor or alias name";

/// The original text with spaces inserted at some line starts.
#[derive(Debug, Default)]
pub(crate) struct Padded {
    /// Original byte offset (of a line start, or of a `#`) → spaces inserted before it.
    inserts: BTreeMap<usize, usize>,
    /// Where the text ends for the parser (after the root scalar of a document, or at a
    /// bracket that closes nothing).
    cut: Option<usize>,
    /// Original byte offset of a `]` or `}` outside any flow collection (saphyr: "misplaced
    /// bracket"): go-yaml scans it as a token, so the builder, reading up to it, decides
    /// whether it ends the one document go-yaml reads or fails in its parser.
    stray: Option<usize>,
    /// Original byte offsets of tabs read as spaces.
    spaces: BTreeSet<usize>,
    /// Original byte offsets of the `'` of a `\'` escape, given to saphyr as `\x27`.
    apostrophes: BTreeSet<usize>,
    /// Original byte offsets of line starts given to saphyr after an empty line of their own.
    breaks: BTreeSet<usize>,
    /// Bytes parsed again so far.
    reparsed: usize,
}

/// The text to parse and, for each of its characters (and one past the end), the byte of the
/// original text it stands for (an inserted space: the byte it was inserted before).
pub(crate) struct Patched {
    pub(crate) text: String,
    pub(crate) char_to_byte: Vec<usize>,
    /// See [`Padded`]'s field of that name.
    pub(crate) stray: Option<usize>,
}

impl Padded {
    /// Records the padding that cures saphyr's `message` at original byte `at`, when the message
    /// is one of the two indentation errors go-yaml does not make. False: the error stands.
    pub(crate) fn cure(&mut self, original: &str, message: &str, at: usize) -> bool {
        self.reparsed += original.len();
        if self.reparsed > MAX_REPARSED {
            return false;
        }
        if message.contains("comments must be separated from other tokens by whitespace") {
            // libyaml starts a comment at a `#` wherever a token may start (`"a"#c`, `[1]#c`);
            // saphyr wants a blank before it, which changes nothing else.
            if original.as_bytes().get(at) != Some(&b'#') || self.inserts.contains_key(&at) {
                return false;
            }
            self.inserts.insert(at, 1);
            return true;
        }
        if message.contains("found unknown escape character") {
            // libyaml knows `\'` in a double-quoted scalar (an apostrophe), YAML 1.2 does not;
            // saphyr reports the opening quote.
            let found = apostrophe_escapes(original, at);
            let before = self.apostrophes.len();
            self.apostrophes.extend(found);
            return self.apostrophes.len() > before;
        }
        if message == "comment intercepting the multiline text" {
            // A comment ends a plain scalar, and libyaml reads the next line as a token of its
            // own; saphyr refuses a next line that could have continued the scalar (YAML 1.2's
            // test BS4K), unless a blank line comes between. One does: it changes nothing else
            // (no scalar is open across it).
            let bytes = original.as_bytes();
            if bytes.get(at) != Some(&b'#') {
                return false;
            }
            let Some(next) = original[at..].find('\n').map(|i| at + i + 1) else {
                return false;
            };
            return self.breaks.insert(next);
        }
        if message == "could not find expected ':'"
            && let Some(header) = block_scalar_at_key_column(original, at)
        {
            // go-yaml's parser takes any node but a key for the value after `key:`, so a block
            // scalar at the key's own column; YAML 1.2 wants it deeper, and saphyr reads it as
            // a key. One space before its header makes it the value (its lines keep theirs).
            if self.inserts.contains_key(&header) {
                return false;
            }
            self.inserts.insert(header, 1);
            return true;
        }
        if message == GLUED_KEY_INDICATOR || message == GLUED_TO_PROPERTY {
            // The character before is the `?`, or the name's last.
            let before = at.checked_sub(1).and_then(|i| original.as_bytes().get(i));
            let fits = if message == GLUED_KEY_INDICATOR {
                before == Some(&b'?')
            } else {
                before.is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            };
            if !fits || self.inserts.contains_key(&at) {
                return false;
            }
            self.inserts.insert(at, 1);
            return true;
        }
        if message == "misplaced bracket" {
            if self.stray.is_some() {
                return false;
            }
            let at = at.min(original.len());
            self.stray = Some(at);
            self.cut = Some(self.cut.map_or(at, |cut| cut.min(at)));
            return true;
        }
        if message.starts_with("invalid trailing content after") {
            // A document's root scalar with text after it on its line (the builder mapped every
            // other case to libyaml's error): go-yaml reads that root and stops.
            let cut = Some(at.min(original.len()));
            let changed = self.cut != cut;
            self.cut = cut;
            return changed;
        }
        if message == FLOW_TAB {
            // go-yaml skips tabs between a flow collection's tokens (JSON indented with tabs
            // inside a block mapping): those starting its lines are read as spaces, the
            // innermost collection's at a time (an outer one gets its own retry).
            let bytes = original.as_bytes();
            let mut changed = false;
            for start in flow_lines(original, at) {
                let blanks = bytes[start..]
                    .iter()
                    .take_while(|&&b| b == b' ' || b == b'\t')
                    .count();
                for (i, &b) in bytes.iter().enumerate().skip(start).take(blanks) {
                    changed |= b == b'\t' && self.spaces.insert(i);
                }
            }
            return changed;
        }
        if message.contains("':' must be followed by a valid YAML whitespace") {
            // saphyr reports the character after the tabs.
            let bytes = original.as_bytes();
            let mut i = at.min(bytes.len());
            while i > 0 && bytes[i - 1] == b'\t' {
                i -= 1;
                self.spaces.insert(i);
            }
            return i < at && i > 0 && bytes[i - 1] == b':';
        }
        let lines = if message.contains("invalid indentation in quoted scalar") {
            // saphyr reports the opening quote.
            continuation_lines(original, at)
        } else if message == "invalid indentation"
            || message.contains("invalid indentation in flow construct")
        {
            // saphyr makes both only inside a flow collection (a block's dedent unrolls its
            // indentation first), at a token on the line too far left.
            flow_lines(original, at)
        } else if message.contains("tab cannot be used as indentation") {
            // saphyr reports the tab, at the start of a continuation line.
            vec![line_start(original, at)]
        } else {
            return false;
        };
        // A column right of every earlier line's end (and of the error's column) is right of the
        // block's indentation.
        let width = original[..at.min(original.len())]
            .lines()
            .map(|l| l.chars().count())
            .max()
            .unwrap_or(0)
            + 1;
        let mut changed = false;
        for start in lines {
            let pad = self.inserts.entry(start).or_insert(0);
            if *pad < width {
                *pad = width;
                changed = true;
            }
        }
        changed && self.inserts.values().sum::<usize>() <= MAX_INSERTED
    }

    /// The padded text.
    pub(crate) fn apply(&self, original: &str) -> Patched {
        let original = self
            .cut
            .and_then(|cut| original.get(..cut))
            .unwrap_or(original);
        let mut text = String::with_capacity(
            original.len() + self.inserts.values().sum::<usize>() + self.breaks.len(),
        );
        let mut char_to_byte = Vec::with_capacity(text.capacity() + 1);
        let mut from = 0;
        // At one offset a line break goes before the spaces (both are at line starts).
        let breaks = self.breaks.range(..=original.len()).map(|&at| (at, None));
        let spaces = self
            .inserts
            .range(..=original.len())
            .map(|(&at, &n)| (at, Some(n)));
        let mut inserts: Vec<(usize, Option<usize>)> = breaks.chain(spaces).collect();
        inserts.sort_by_key(|&(at, n)| (at, n.is_some()));
        for (at, n) in inserts {
            self.push(&mut text, &mut char_to_byte, original, from, at);
            match n {
                Some(n) => {
                    text.extend(std::iter::repeat_n(' ', n));
                    char_to_byte.extend(std::iter::repeat_n(at, n));
                }
                None => {
                    text.push('\n');
                    char_to_byte.push(at);
                }
            }
            from = at;
        }
        self.push(&mut text, &mut char_to_byte, original, from, original.len());
        char_to_byte.push(original.len());
        Patched {
            text,
            char_to_byte,
            stray: self.stray,
        }
    }

    fn push(
        &self,
        text: &mut String,
        map: &mut Vec<usize>,
        original: &str,
        from: usize,
        to: usize,
    ) {
        if self.apostrophes.range(from..to).next().is_none() {
            let start = text.len();
            text.push_str(&original[from..to]);
            for &tab in self.spaces.range(from..to) {
                // A tab and a space are one byte each.
                text.replace_range(start + tab - from..start + tab - from + 1, " ");
            }
            map.extend(original[from..to].char_indices().map(|(i, _)| from + i));
            return;
        }
        for (i, c) in original[from..to].char_indices() {
            let at = from + i;
            if self.apostrophes.contains(&at) {
                text.push_str("x27");
                map.extend([at; 3]);
            } else {
                text.push(if self.spaces.contains(&at) { ' ' } else { c });
                map.push(at);
            }
        }
    }
}

/// The `'` of every `\'` escape in the double-quoted scalar opening at byte `quote`.
fn apostrophe_escapes(text: &str, quote: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let mut found = Vec::new();
    if bytes.get(quote) != Some(&b'"') {
        return found;
    }
    let mut i = quote + 1;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' => {
                if bytes.get(i + 1) == Some(&b'\'') {
                    found.push(i + 1);
                }
                i += 2;
            }
            b'"' => break,
            _ => i += 1,
        }
    }
    found
}

/// The start of the line of a block scalar header (`|`, `>-`, `|2`…) at the column of the key
/// whose empty value it follows (`key:` on the line above, maybe with an anchor or tag), when
/// the scalar's lines run up to byte `at` (where saphyr failed: the next key, or the end).
fn block_scalar_at_key_column(text: &str, at: usize) -> Option<usize> {
    let at = at.min(text.len());
    let before = &text[..line_start(text, at)];
    // The lines before `at`'s, last first: the scalar's own (deeper, or blank), then its header.
    let mut lines = before.split_inclusive('\n').rev();
    let mut header = None;
    let mut end = before.len();
    for line in lines.by_ref() {
        end -= line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let content = body.trim_start_matches(' ');
        let column = body.len() - content.len();
        if content.starts_with(['|', '>']) {
            let after = content[1..]
                .trim_start_matches(|c: char| c == '-' || c == '+' || c.is_ascii_digit());
            if after.is_empty() || after.starts_with([' ', '#']) {
                header = Some((end, column));
                break;
            }
            return None;
        }
        if !content.is_empty() && column == 0 {
            return None;
        }
    }
    let (start, column) = header?;
    // The key line: its key at the header's column, its value empty but for properties.
    let key_line = lines.find(|l| !l.trim().is_empty())?;
    let body = key_line.trim_end_matches(['\n', '\r']);
    let body = body.split(" #").next().unwrap_or(body).trim_end();
    let mut key = body.trim_start_matches(' ');
    while let Some(rest) = key.strip_prefix("- ") {
        key = rest.trim_start_matches(' ');
    }
    let key_column = body.len() - key.len();
    let mut words: Vec<&str> = key.split_whitespace().collect();
    while words.last().is_some_and(|w| w.starts_with(['&', '!'])) {
        words.pop();
    }
    let empty_value = words.last().is_some_and(|w| w.ends_with(':'));
    (key_column == column && empty_value).then_some(start)
}

fn line_start(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1)
}

/// The starts of the continuation lines of the quoted scalar opening at byte `quote`, except
/// document markers at column 0 (which end the scalar with an error in go-yaml too).
fn continuation_lines(text: &str, quote: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let Some(&q) = bytes.get(quote).filter(|b| matches!(b, b'"' | b'\'')) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let mut i = quote + 1;
    while i < bytes.len() {
        match bytes[i] {
            // An escaped line break is a line break for the indentation (saphyr checks it).
            b'\\' if q == b'"' && bytes.get(i + 1) != Some(&b'\n') => i += 1,
            b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 1,
            b if b == q => break,
            b'\n' if !is_document_marker(&bytes[i + 1..]) => out.push(i + 1),
            // A carriage return alone breaks the line too (text split at `\n` from a file
            // with Windows line ends, each piece quoted).
            b'\r' if bytes.get(i + 1) != Some(&b'\n') && !is_document_marker(&bytes[i + 1..]) => {
                out.push(i + 1)
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// The starts of the line holding byte `at`, inside a flow collection, and of the lines after
/// it up to the one where that innermost collection closes, except document markers (which end
/// the document with an error in go-yaml too). Brackets inside quoted scalars and comments do not
/// count; an outer collection left open gets its own retry.
fn flow_lines(text: &str, at: usize) -> Vec<usize> {
    let bytes = text.as_bytes();
    let first = line_start(text, at);
    let mut out = Vec::new();
    if !is_document_marker(&bytes[first..]) {
        out.push(first);
    }
    let mut depth = 0usize;
    let mut quote = None;
    let mut i = first;
    while i < bytes.len() {
        let b = bytes[i];
        let after_blank = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r');
        match (quote, b) {
            (Some(b'"'), b'\\') => i += 1,
            (Some(b'\''), b'\'') if bytes.get(i + 1) == Some(&b'\'') => i += 1,
            (Some(q), b) if b == q => quote = None,
            (_, b'\n') if i + 1 < bytes.len() && !is_document_marker(&bytes[i + 1..]) => {
                out.push(i + 1);
            }
            (Some(_), _) => {}
            (None, b'"' | b'\'')
                if after_blank || matches!(bytes[i - 1], b'[' | b'{' | b',' | b':') =>
            {
                quote = Some(b);
            }
            (None, b'#') if after_blank => {
                while i + 1 < bytes.len() && bytes[i + 1] != b'\n' {
                    i += 1;
                }
            }
            (None, b'[' | b'{') => depth += 1,
            (None, b']' | b'}') => match depth.checked_sub(1) {
                Some(d) => depth = d,
                None => break,
            },
            _ => {}
        }
        i += 1;
    }
    out
}

fn is_document_marker(line: &[u8]) -> bool {
    (line.starts_with(b"---") || line.starts_with(b"..."))
        && line
            .get(3)
            .is_none_or(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_lines_run_to_the_innermost_close() {
        let t = "a:\n  b: [\n\"]\" # ]\n, [x],\n  ]\nc: [\n";
        let first = t.find('"').unwrap_or(0);
        let close = t.rfind("  ]").unwrap_or(0);
        assert_eq!(
            flow_lines(t, first),
            [first, t.find(", [").unwrap_or(0), close]
        );
        assert_eq!(flow_lines(t, close + 2), [close]);
        assert_eq!(flow_lines("a: [\n---\n1]", 10), [9]);
    }

    #[test]
    fn continuation_lines_of_both_quotes() {
        let t = "a:\n  b: \"x\\\"\ny\\\n z\"\nc: 'p''\nq'\n";
        assert_eq!(continuation_lines(t, 8), [13, 16]);
        let c = t.find('\'').unwrap_or(0);
        assert_eq!(continuation_lines(t, c), [t.len() - 3]);
        assert_eq!(continuation_lines("a: \"x\n---\ny\"", 3), [10]);
        // A carriage return alone breaks the line; one before a line feed does not twice.
        assert_eq!(continuation_lines("b:\n  a: \"x\r\"\n", 8), [11]);
        assert_eq!(continuation_lines("b:\n  a: \"x\r\ny\"\n", 8), [12]);
    }

    #[test]
    fn padding_maps_back_to_the_original_bytes() {
        let original = "k:\n  v: \"é\ny\"\n";
        let mut p = Padded::default();
        assert!(p.cure(original, "invalid indentation in quoted scalar", 8));
        let patched = p.apply(original);
        assert_eq!(patched.text, "k:\n  v: \"é\n      y\"\n");
        let y = patched.text.chars().position(|c| c == 'y').unwrap_or(0);
        assert_eq!(patched.char_to_byte[y], original.find('y').unwrap_or(0));
        assert_eq!(patched.char_to_byte.last(), Some(&original.len()));
    }

    #[test]
    fn a_tab_after_a_colon_is_a_blank() {
        let original = "a:\t\tb\n";
        let mut p = Padded::default();
        assert!(p.cure(
            original,
            "':' must be followed by a valid YAML whitespace",
            4
        ));
        assert_eq!(p.apply(original).text, "a:  b\n");
        assert!(!Padded::default().cure(
            "ab",
            "':' must be followed by a valid YAML whitespace",
            1
        ));
    }
}
