//! go-yaml v2's emitter (`emitterc.go`, a port of libyaml), as `sigs.k8s.io/yaml.Marshal` drives
//! it: block style, 2-space indentation, sequences not indented under their key, lines of plain
//! and quoted scalars folded past column 80, `{}`/`[]` for empty collections.
//!
//! The emitter's state (column, indentation stack, `whitespace`/`indention` flags, the context
//! of the node being written) is kept exactly as in Go, so that every corner — where a fold
//! happens, when a key needs `? `, when a sequence is indentless — comes out byte for byte.
//! Only what this input can reach is ported: no anchors, tags, flow collections with items or
//! folded block scalars.
//!
//! [`emit_v3`] is go-yaml v3's emitter as Helm's `toYamlPretty` drives it (`SetIndent(2)`): the
//! same but for three changes of v3 — a sequence under a key is indented (never indentless),
//! lines are never folded (no width), and a tab no longer rules out a block scalar (`"a\n\tb"`
//! is written literal; a tab still needs quotes otherwise).

use std::rc::Rc;

use super::super::value::{Seg, Str};

/// A node of the document to write, already in the order and with the types go-yaml sees after
/// `sigs.k8s.io/yaml`'s JSON round trip.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A scalar: its text and whether it is a string (a string may need quotes; a number,
    /// boolean or null is always written plain).
    Scalar(Str, bool),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, keys in go-yaml's order.
    Map(Vec<(Rc<str>, Node)>),
}

/// The scalar styles libyaml knows (the folded style is never requested here).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Style {
    Plain,
    Single,
    Double,
    Literal,
}

/// `yaml_emitter_analyze_scalar`'s verdict.
#[derive(Debug, Clone, Copy)]
struct Analysis {
    multiline: bool,
    block_plain_allowed: bool,
    single_quoted_allowed: bool,
    block_allowed: bool,
}

const BEST_INDENT: i64 = 2;
const BEST_WIDTH: i64 = 80;

/// Writes `node` as one YAML document (with its final line break).
pub(crate) fn emit(node: &Node) -> (String, Vec<Seg>) {
    emit_as(node, false)
}

/// Writes `node` as go-yaml v3's emitter with an indentation of 2 does.
pub(crate) fn emit_v3(node: &Node) -> (String, Vec<Seg>) {
    emit_as(node, true)
}

fn emit_as(node: &Node, v3: bool) -> (String, Vec<Seg>) {
    emit_with(node, v3, true)
}

/// [`emit_as`], with or without the shortcut for plain words ([`plain_word`]).
fn emit_with(node: &Node, v3: bool, shortcuts: bool) -> (String, Vec<Seg>) {
    let mut e = Emitter {
        v3,
        shortcuts,
        // v3's default width is -1, which it takes as "no limit" (`1<<31 - 1`).
        width: if v3 { (1 << 31) - 1 } else { BEST_WIDTH },
        out: String::new(),
        segs: Vec::new(),
        column: 0,
        indent: -1,
        indents: Vec::new(),
        whitespace: true,
        indention: true,
        root: false,
        mapping: false,
        simple_key: false,
        runs: Vec::new(),
    };
    e.node(node, true, false, false);
    // Document end (implicit): end the last line.
    e.write_indent();
    (e.out, e.segs)
}

struct Emitter {
    /// go-yaml v3's rules instead of v2's.
    v3: bool,
    /// Plain words are written without the analysis (see [`plain_word`]); off only to check
    /// that this changes nothing.
    shortcuts: bool,
    /// The column past which a line of a scalar is folded.
    width: i64,
    out: String,
    segs: Vec<Seg>,
    column: i64,
    indent: i64,
    indents: Vec<i64>,
    whitespace: bool,
    indention: bool,
    root: bool,
    mapping: bool,
    simple_key: bool,
    /// Runs of the scalar being written copied verbatim: (output offset, source offset, length).
    runs: Vec<(usize, usize, usize)>,
}

impl Emitter {
    /// `yaml_emitter_emit_node`: records the context, then dispatches.
    fn node(&mut self, node: &Node, root: bool, mapping: bool, simple_key: bool) {
        self.root = root;
        self.mapping = mapping;
        self.simple_key = simple_key;
        match node {
            Node::Scalar(text, is_str) => self.scalar(text, *is_str),
            Node::Seq(items) if items.is_empty() => self.empty_flow(b"[", b"]"),
            Node::Map(entries) if entries.is_empty() => self.empty_flow(b"{", b"}"),
            Node::Seq(items) => self.block_sequence(items),
            Node::Map(entries) => self.block_mapping(entries),
        }
    }

    fn increase_indent(&mut self, flow: bool, indentless: bool) {
        self.indents.push(self.indent);
        if self.indent < 0 {
            self.indent = if flow { BEST_INDENT } else { 0 };
        } else if !indentless {
            self.indent += BEST_INDENT;
        }
    }

    fn pop_indent(&mut self) {
        self.indent = self.indents.pop().unwrap_or(-1);
    }

    /// An empty sequence or mapping, in flow style.
    fn empty_flow(&mut self, open: &[u8], close: &[u8]) {
        self.write_indicator(open, true, true, false);
        self.increase_indent(true, false);
        self.pop_indent();
        self.write_indicator(close, false, false, false);
    }

    fn block_sequence(&mut self, items: &[Node]) {
        // v2 writes a sequence that is a mapping's value at the key's indentation.
        self.increase_indent(false, !self.v3 && self.mapping && !self.indention);
        for item in items {
            self.write_indent();
            self.write_indicator(b"-", true, false, true);
            self.node(item, false, false, false);
        }
        self.pop_indent();
    }

    fn block_mapping(&mut self, entries: &[(Rc<str>, Node)]) {
        self.increase_indent(false, false);
        for (key, value) in entries {
            self.write_indent();
            let key_text = Str::new(key.clone());
            // A plain word is a simple key (`yaml_emitter_check_simple_key`: one line, at
            // most 128 bytes) written plain, with no analysis needed.
            let word = self.shortcuts && key.len() <= 128 && plain_word(key);
            let a = (!word).then(|| analyze(key.as_bytes(), self.v3));
            let simple = a.is_none_or(|a| key.len() <= 128 && !a.multiline);
            // `node` for the key, with the analysis just made.
            let key_node = |e: &mut Emitter, simple_key: bool| {
                e.root = false;
                e.mapping = true;
                e.simple_key = simple_key;
                match a {
                    Some(a) => e.scalar_analysed(&key_text, true, a),
                    None => e.write_word(&key_text),
                }
            };
            if simple {
                key_node(self, true);
                self.write_indicator(b":", false, false, false);
            } else {
                self.write_indicator(b"?", true, false, true);
                key_node(self, false);
                self.write_indent();
                self.write_indicator(b":", true, false, true);
            }
            self.node(value, false, true, false);
        }
        self.pop_indent();
    }

    fn scalar(&mut self, text: &Str, is_str: bool) {
        let s = text.as_str();
        if self.shortcuts
            && if is_str {
                plain_word(s)
            } else {
                word(s.as_bytes())
            }
        {
            self.write_word(text);
            return;
        }
        self.scalar_analysed(text, is_str, analyze(s.as_bytes(), self.v3));
    }

    /// What [`Emitter::scalar_analysed`] writes for a plain word (see [`plain_word`]): the
    /// analysis allows every style, the plain style is chosen, and with no blank or break in
    /// it the plain writer copies it whole.
    fn write_word(&mut self, text: &Str) {
        let s = text.as_str();
        if !self.whitespace {
            self.put(b' ');
        }
        self.runs.clear();
        self.runs.push((self.out.len(), 0, s.len()));
        self.out.push_str(s);
        self.column += s.len() as i64;
        self.whitespace = false;
        self.indention = false;
        self.map_segments(text);
    }

    /// [`Emitter::scalar`] with the text's analysis made.
    fn scalar_analysed(&mut self, text: &Str, is_str: bool, a: Analysis) {
        let value = text.as_str().as_bytes();
        let requested = if !is_str {
            Style::Plain
        } else if text.as_str().contains('\n') {
            Style::Literal
        } else if super::yaml_resolve::plain_is_string(text.as_str()) {
            Style::Plain
        } else {
            Style::Double
        };
        let style = self.select_style(requested, &a, value.is_empty());
        self.increase_indent(true, false);
        self.runs.clear();
        let allow_breaks = !self.simple_key;
        match style {
            Style::Plain => self.write_plain(text.as_str(), allow_breaks),
            Style::Single => self.write_single_quoted(text.as_str(), allow_breaks),
            Style::Double => self.write_double_quoted(text.as_str(), allow_breaks),
            Style::Literal => self.write_literal(text.as_str()),
        }
        self.map_segments(text);
        self.pop_indent();
    }

    /// `yaml_emitter_select_scalar_style` outside flow collections, for implicit scalars.
    fn select_style(&self, requested: Style, a: &Analysis, empty: bool) -> Style {
        let mut style = requested;
        if self.simple_key && a.multiline {
            style = Style::Double;
        }
        if style == Style::Plain && (!a.block_plain_allowed || (empty && self.simple_key)) {
            style = Style::Single;
        }
        if style == Style::Single && !a.single_quoted_allowed {
            style = Style::Double;
        }
        if style == Style::Literal && (!a.block_allowed || self.simple_key) {
            style = Style::Double;
        }
        style
    }

    /// Carries the provenance of the scalar's bytes over to the places they were copied to.
    fn map_segments(&mut self, text: &Str) {
        let first = self.segs.len();
        for seg in text.segs() {
            let (lo, hi) = (seg.start as usize, seg.end as usize);
            for &(out, src, len) in &self.runs {
                let (a, b) = (lo.max(src), hi.min(src + len));
                if a < b {
                    self.segs.push(Seg {
                        start: (out + a - src) as u32,
                        end: (out + b - src) as u32,
                        prov: seg.prov.clone(),
                    });
                }
            }
        }
        // Scalars are written one after the other: only this one's pieces need ordering.
        self.segs[first..].sort_by_key(|s| s.start);
    }

    // --- output primitives (`put`, `put_break`, `write`, `write_break`) ---

    fn put(&mut self, c: u8) {
        self.out.push(char::from(c));
        self.column += 1;
    }

    fn put_break(&mut self) {
        self.out.push('\n');
        self.column = 0;
    }

    /// Copies the character of `value` at `*i` and advances past it.
    fn write(&mut self, text: &str, i: &mut usize) {
        let value = text.as_bytes();
        let w = width(value[*i]).min(value.len() - *i);
        let out = self.out.len();
        // The slice is whole characters (a boundary check, not a UTF-8 check of the bytes).
        self.out
            .push_str(text.get(*i..*i + w).unwrap_or("\u{FFFD}"));
        match self.runs.last_mut() {
            Some((o, s, len)) if *o + *len == out && *s + *len == *i => *len += w,
            _ => self.runs.push((out, *i, w)),
        }
        self.column += 1;
        *i += w;
    }

    /// [`Emitter::write`] for every character from `*i` up to the first one `stop` holds for
    /// (or the end), at once.
    fn write_run(&mut self, text: &str, i: &mut usize, stop: impl Fn(&[u8], usize) -> bool) {
        let value = text.as_bytes();
        let start = *i;
        let mut end = start;
        let mut chars = 0;
        while end < value.len() && (end == start || !stop(value, end)) {
            end += width(value[end]).min(value.len() - end);
            chars += 1;
        }
        let out = self.out.len();
        // The run ends at a character boundary.
        self.out
            .push_str(text.get(start..end).unwrap_or("\u{FFFD}"));
        match self.runs.last_mut() {
            Some((o, s, len)) if *o + *len == out && *s + *len == start => *len += end - start,
            _ => self.runs.push((out, start, end - start)),
        }
        self.column += chars;
        *i = end;
    }

    fn write_break(&mut self, text: &str, i: &mut usize) {
        if text.as_bytes()[*i] == b'\n' {
            self.put_break();
            *i += 1;
        } else {
            self.write(text, i);
            self.column = 0;
        }
    }

    fn write_indent(&mut self) {
        let indent = self.indent.max(0);
        if !self.indention || self.column > indent || (self.column == indent && !self.whitespace) {
            self.put_break();
        }
        while self.column < indent {
            self.put(b' ');
        }
        self.whitespace = true;
        self.indention = true;
    }

    fn write_indicator(
        &mut self,
        indicator: &[u8],
        need_whitespace: bool,
        is_whitespace: bool,
        is_indention: bool,
    ) {
        if need_whitespace && !self.whitespace {
            self.put(b' ');
        }
        for &c in indicator {
            self.put(c);
        }
        self.whitespace = is_whitespace;
        self.indention = self.indention && is_indention;
    }

    // --- scalar writers ---

    fn write_plain(&mut self, text: &str, allow_breaks: bool) {
        let value = text.as_bytes();
        if !self.whitespace {
            self.put(b' ');
        }
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if value[i] == b' ' {
                if allow_breaks && !spaces && self.column > self.width && !is_space(value, i + 1) {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(text, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(text, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write_run(text, &mut i, |v, j| v[j] == b' ' || is_break(v, j));
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.whitespace = false;
        self.indention = false;
    }

    fn write_single_quoted(&mut self, text: &str, allow_breaks: bool) {
        let value = text.as_bytes();
        self.write_indicator(b"'", true, false, false);
        let mut spaces = false;
        let mut breaks = false;
        let mut i = 0;
        while i < value.len() {
            if value[i] == b' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.width
                    && i > 0
                    && i < value.len() - 1
                    && !is_space(value, i + 1)
                {
                    self.write_indent();
                    i += 1;
                } else {
                    self.write(text, &mut i);
                }
                spaces = true;
            } else if is_break(value, i) {
                if !breaks && value[i] == b'\n' {
                    self.put_break();
                }
                self.write_break(text, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                if value[i] == b'\'' {
                    self.put(b'\'');
                }
                self.write_run(text, &mut i, |v, j| {
                    matches!(v[j], b' ' | b'\'') || is_break(v, j)
                });
                self.indention = false;
                spaces = false;
                breaks = false;
            }
        }
        self.write_indicator(b"'", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_double_quoted(&mut self, text: &str, allow_breaks: bool) {
        let value = text.as_bytes();
        let mut spaces = false;
        self.write_indicator(b"\"", true, false, false);
        // NOTE: libyaml's `is_bom` looks at the start of the value whatever the position, so a
        // value that starts with a BOM has every character escaped.
        let starts_with_bom = value.starts_with(&[0xEF, 0xBB, 0xBF]);
        let mut i = 0;
        while i < value.len() {
            if !is_printable(value, i)
                || starts_with_bom
                || is_break(value, i)
                || value[i] == b'"'
                || value[i] == b'\\'
            {
                let w = width(value[i]).min(value.len() - i);
                let c = std::str::from_utf8(&value[i..i + w])
                    .ok()
                    .and_then(|s| s.chars().next())
                    .map_or(0xFFFD, u32::from);
                i += w;
                self.put(b'\\');
                match c {
                    0x00 => self.put(b'0'),
                    0x07 => self.put(b'a'),
                    0x08 => self.put(b'b'),
                    0x09 => self.put(b't'),
                    0x0A => self.put(b'n'),
                    0x0B => self.put(b'v'),
                    0x0C => self.put(b'f'),
                    0x0D => self.put(b'r'),
                    0x1B => self.put(b'e'),
                    0x22 => self.put(b'"'),
                    0x5C => self.put(b'\\'),
                    0x85 => self.put(b'N'),
                    0xA0 => self.put(b'_'),
                    0x2028 => self.put(b'L'),
                    0x2029 => self.put(b'P'),
                    _ => {
                        let (letter, digits) = match c {
                            0..=0xFF => (b'x', 2),
                            0x100..=0xFFFF => (b'u', 4),
                            _ => (b'U', 8),
                        };
                        self.put(letter);
                        for k in (0..digits).rev() {
                            let d = ((c >> (4 * k)) & 0xF) as u8;
                            self.put(if d < 10 { b'0' + d } else { b'A' + d - 10 });
                        }
                    }
                }
                spaces = false;
            } else if value[i] == b' ' {
                if allow_breaks
                    && !spaces
                    && self.column > self.width
                    && i > 0
                    && i < value.len() - 1
                {
                    self.write_indent();
                    if is_space(value, i + 1) {
                        self.put(b'\\');
                    }
                    i += 1;
                } else {
                    self.write(text, &mut i);
                }
                spaces = true;
            } else {
                self.write_run(text, &mut i, |v, j| {
                    !is_printable(v, j) || is_break(v, j) || matches!(v[j], b'"' | b'\\' | b' ')
                });
                spaces = false;
            }
        }
        self.write_indicator(b"\"", false, false, false);
        self.whitespace = false;
        self.indention = false;
    }

    fn write_literal(&mut self, text: &str) {
        let value = text.as_bytes();
        self.write_indicator(b"|", true, false, false);
        self.write_block_hints(value);
        self.put_break();
        self.indention = true;
        self.whitespace = true;
        let mut breaks = true;
        let mut i = 0;
        while i < value.len() {
            if is_break(value, i) {
                self.write_break(text, &mut i);
                self.indention = true;
                breaks = true;
            } else {
                if breaks {
                    self.write_indent();
                }
                self.write_run(text, &mut i, is_break);
                self.indention = false;
                breaks = false;
            }
        }
    }

    /// `yaml_emitter_write_block_scalar_hints`: an indentation hint when the text starts with a
    /// space or break, then `-` (no final break) or `+` (more than one).
    fn write_block_hints(&mut self, value: &[u8]) {
        if is_space(value, 0) || is_break(value, 0) {
            self.write_indicator(&[b'0' + BEST_INDENT as u8], false, false, false);
        }
        let chomp = if value.is_empty() {
            Some(b'-')
        } else {
            let mut i = value.len() - 1;
            while i > 0 && value[i] & 0xC0 == 0x80 {
                i -= 1;
            }
            if !is_break(value, i) {
                Some(b'-')
            } else if i == 0 {
                Some(b'+')
            } else {
                i -= 1;
                while i > 0 && value[i] & 0xC0 == 0x80 {
                    i -= 1;
                }
                is_break(value, i).then_some(b'+')
            }
        };
        if let Some(c) = chomp {
            self.write_indicator(&[c], false, false, false);
        }
    }
}

/// Whether `value` is one word of letters, digits and `_./-`, starting with a letter, a digit,
/// `_` or `/`: nothing in it is an indicator, a blank, a break or a special character, so
/// [`analyze`] allows every style and the plain writer copies it whole.
fn word(value: &[u8]) -> bool {
    let inner = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'.' | b'/' | b'-');
    value
        .first()
        .is_some_and(|&b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'/'))
        && value.iter().fold(true, |all, &b| all & inner(b))
}

/// A string the emitter writes plain as it is: a [`word`] that go-yaml would read back as a
/// string (not `true`, `10`, `null`…).
fn plain_word(s: &str) -> bool {
    word(s.as_bytes()) && super::yaml_resolve::plain_is_string(s)
}

/// `yaml_emitter_analyze_scalar`, for the block context; `v3` for v3's, where a tab rules out
/// the plain and single-quoted styles but not a block scalar.
fn analyze(value: &[u8], v3: bool) -> Analysis {
    if value.is_empty() {
        return Analysis {
            multiline: false,
            block_plain_allowed: true,
            single_quoted_allowed: true,
            block_allowed: false,
        };
    }
    let mut block_indicators = value.starts_with(b"---") || value.starts_with(b"...");
    let (mut line_breaks, mut special, mut tabs) = (false, false, false);
    let (mut leading_space, mut leading_break) = (false, false);
    let (mut trailing_space, mut trailing_break) = (false, false);
    let (mut break_space, mut space_break) = (false, false);
    let (mut previous_space, mut previous_break) = (false, false);
    let mut preceded_by_whitespace = true;
    let mut i = 0;
    // The same walk for text without multi-byte characters, byte by byte (most scalars).
    let ascii = value.is_ascii();
    while ascii && i < value.len() {
        // A run of printable characters other than space, `:` and `#` after the first changes
        // nothing but the "previous character" flags: skipped at once (long scalars, such as
        // configuration files, are mostly such runs).
        if i > 0 {
            let start = i;
            while i < value.len()
                && matches!(value[i], 0x21..=0x7E)
                && !matches!(value[i], b':' | b'#')
            {
                i += 1;
            }
            if i > start {
                previous_space = false;
                previous_break = false;
                preceded_by_whitespace = false;
                continue;
            }
        }
        let c = value[i];
        let followed_by_whitespace = matches!(value.get(i + 1), None | Some(b' ' | b'\t'));
        if i == 0 {
            match c {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
                b'?' | b':' | b'-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                b':' if followed_by_whitespace => block_indicators = true,
                b'#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if v3 && c == b'\t' {
            tabs = true;
        } else if !(c == b'\n' || (0x20..=0x7E).contains(&c)) {
            special = true;
        }
        if c == b' ' {
            leading_space |= i == 0;
            trailing_space |= i + 1 == value.len();
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if c == b'\r' || c == b'\n' {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i + 1 == value.len();
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = matches!(c, b' ' | b'\t' | b'\r' | b'\n' | 0);
        i += 1;
    }
    while i < value.len() {
        let w = width(value[i]);
        let followed_by_whitespace = i + w >= value.len() || is_blank(value, i + w);
        let c = value[i];
        if i == 0 {
            match c {
                b'#' | b',' | b'[' | b']' | b'{' | b'}' | b'&' | b'*' | b'!' | b'|' | b'>'
                | b'\'' | b'"' | b'%' | b'@' | b'`' => block_indicators = true,
                b'?' | b':' | b'-' if followed_by_whitespace => block_indicators = true,
                _ => {}
            }
        } else {
            match c {
                b':' if followed_by_whitespace => block_indicators = true,
                b'#' if preceded_by_whitespace => block_indicators = true,
                _ => {}
            }
        }
        if v3 && c == b'\t' {
            tabs = true;
        } else if !is_printable(value, i) {
            special = true;
        }
        if c == b' ' {
            leading_space |= i == 0;
            trailing_space |= i + w == value.len();
            break_space |= previous_break;
            previous_space = true;
            previous_break = false;
        } else if is_break(value, i) {
            line_breaks = true;
            leading_break |= i == 0;
            trailing_break |= i + w == value.len();
            space_break |= previous_space;
            previous_space = false;
            previous_break = true;
        } else {
            previous_space = false;
            previous_break = false;
        }
        preceded_by_whitespace = is_blankz(value, i);
        i += w;
    }
    let mut a = Analysis {
        multiline: line_breaks,
        block_plain_allowed: true,
        single_quoted_allowed: true,
        block_allowed: true,
    };
    if leading_space || leading_break || trailing_space || trailing_break {
        a.block_plain_allowed = false;
    }
    if trailing_space {
        a.block_allowed = false;
    }
    if break_space {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || tabs || special {
        a.block_plain_allowed = false;
        a.single_quoted_allowed = false;
    }
    if space_break || special {
        a.block_allowed = false;
    }
    if line_breaks || block_indicators {
        a.block_plain_allowed = false;
    }
    a
}

fn at(b: &[u8], i: usize) -> u8 {
    b.get(i).copied().unwrap_or(0)
}

fn width(b: u8) -> usize {
    match b {
        _ if b & 0x80 == 0 => 1,
        _ if b & 0xE0 == 0xC0 => 2,
        _ if b & 0xF0 == 0xE0 => 3,
        _ if b & 0xF8 == 0xF0 => 4,
        _ => 1,
    }
}

fn is_space(b: &[u8], i: usize) -> bool {
    at(b, i) == b' '
}

fn is_blank(b: &[u8], i: usize) -> bool {
    matches!(at(b, i), b' ' | b'\t')
}

fn is_break(b: &[u8], i: usize) -> bool {
    match at(b, i) {
        b'\r' | b'\n' => true,
        0xC2 => at(b, i + 1) == 0x85,
        0xE2 => at(b, i + 1) == 0x80 && matches!(at(b, i + 2), 0xA8 | 0xA9),
        _ => false,
    }
}

fn is_blankz(b: &[u8], i: usize) -> bool {
    is_blank(b, i) || is_break(b, i) || at(b, i) == 0
}

/// libyaml's `is_printable`: which characters may appear unescaped.
fn is_printable(b: &[u8], i: usize) -> bool {
    let (c, n1, n2) = (at(b, i), at(b, i + 1), at(b, i + 2));
    c == 0x0A
        || (0x20..=0x7E).contains(&c)
        || (c == 0xC2 && n1 >= 0xA0)
        || (c > 0xC2 && c < 0xED)
        || (c == 0xED && n1 < 0xA0)
        || c == 0xEE
        || (c == 0xEF && !(n1 == 0xBB && n2 == 0xBF) && !(n1 == 0xBF && (n2 == 0xBE || n2 == 0xBF)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every real YAML text (the render suite's manifests as Helm printed them, the values
    /// files of the suites), read and written again by `toYaml` and `toYamlPretty`: the same
    /// text and provenance with the shortcut for plain words as without it.
    #[test]
    fn plain_words_are_written_as_the_analysis_writes_them() {
        use super::super::helm_json::Walk;
        use super::super::helm_yaml::{to_node, to_node_v3};
        let limits = crate::yaml::Limits {
            max_bytes: usize::MAX,
            ..crate::yaml::Limits::default()
        };
        let (mut written, mut words) = (0usize, 0usize);
        crate::yaml::block_tests::for_each_real_yaml(&mut |text, _| {
            let Ok(file) = crate::yaml::load(crate::source::FileId(0), text, &limits) else {
                return;
            };
            for doc in &file.documents {
                let value = crate::template::values_bridge::values_from_node(doc, &[]);
                for v3 in [false, true] {
                    let node = if v3 {
                        to_node_v3(&value, &mut Walk::default())
                    } else {
                        to_node(&value, &mut Walk::default())
                    };
                    let Ok(node) = node else { continue };
                    let (fast, fast_segs) = emit_with(&node, v3, true);
                    let (slow, slow_segs) = emit_with(&node, v3, false);
                    assert_eq!(fast, slow, "v3 {v3}:\n{text}");
                    let spans = |segs: &[Seg]| -> Vec<(u32, u32, usize)> {
                        segs.iter()
                            .map(|s| (s.start, s.end, Rc::as_ptr(&s.prov) as usize))
                            .collect()
                    };
                    assert_eq!(spans(&fast_segs), spans(&slow_segs), "{text}");
                    written += 1;
                    words += fast
                        .split_whitespace()
                        .filter(|w| word(w.as_bytes()))
                        .count();
                }
            }
        });
        assert!(written > 40_000, "{written} documents written");
        assert!(words > 1_000_000, "{words} plain words");
    }

    /// Words at the edges of the shortcut, as keys, values and list items, strings or not.
    #[test]
    fn edge_words_are_written_as_the_analysis_writes_them() {
        let words = [
            "a:",
            "a:b",
            "-",
            "-a",
            "a-",
            ".a",
            "...",
            "---",
            "--a",
            "a#b",
            "#a",
            "true",
            "y",
            "n",
            "on",
            "~",
            "null",
            "1",
            "-1",
            "+1",
            "0x1F",
            "0o17",
            "017",
            "1e3",
            "1.5",
            ".5",
            ".inf",
            "1_000",
            "1:20",
            "190:20:30",
            "a/b",
            "/a",
            "_a",
            "x.y-z",
            "123abc",
            "a b",
            "http://x",
            "a:1",
            "é",
            "a\tb",
            "2001-12-14",
            "<<",
            "=",
            "a=b",
        ];
        for w in words {
            let scalar = |is_str| Node::Scalar(Str::new(w), is_str);
            let docs = [
                Node::Map(vec![(Rc::from(w), scalar(true))]),
                Node::Seq(vec![scalar(true), scalar(false)]),
                Node::Map(vec![(Rc::from("k"), Node::Seq(vec![scalar(true)]))]),
                scalar(true),
                scalar(false),
            ];
            for doc in &docs {
                for v3 in [false, true] {
                    assert_eq!(
                        emit_with(doc, v3, true),
                        emit_with(doc, v3, false),
                        "{w:?} in {doc:?}"
                    );
                }
            }
        }
    }
}
