//! A fast reader for the plain block YAML that chart templates print (`key: value` lines, `- `
//! items, quoted scalars on one line, literal `|` blocks, `{}` and `[]`), giving the events and
//! spans saphyr's parser gives for the same text, so the YAML loader (`yaml`) builds the same values from
//! them. Anything else (flow collections, anchors, tags, folded or multi-line scalars, document
//! markers, tabs, non-ASCII text, anything malformed) makes it give up, and the text is read by
//! saphyr: this reader never decides what a text means where the two could differ.
//!
//! Why: every rendered manifest is read as YAML (Helm's sort by kind, the image walk, `fromYaml`),
//! and saphyr's general scanner was a third of a render's instructions.

use std::borrow::Cow;

pub use saphyr_parser::ScalarStyle;

/// One parser event, as saphyr would report it.
#[derive(Debug, Clone, PartialEq)]
pub enum Event<'a> {
    /// A scalar: its decoded value and style.
    Scalar(Cow<'a, str>, ScalarStyle),
    /// A block or empty flow mapping starts.
    MappingStart,
    /// A block or empty flow sequence starts.
    SequenceStart,
    /// The innermost mapping ends.
    MappingEnd,
    /// The innermost sequence ends.
    SequenceEnd,
}

/// An event with its byte span, as saphyr's (a quoted scalar's ends at the next token, which the
/// loader cuts at the closing quote anyway).
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<'a> {
    /// The event.
    pub event: Event<'a>,
    /// First byte.
    pub start: usize,
    /// Byte after the last.
    pub end: usize,
}

/// Giving up: saphyr reads the text.
struct Other;

type R<T> = Result<T, Other>;

/// Deepest nesting read here; deeper texts go to saphyr, which reports the limits.
const MAX_DEPTH: usize = 100;

/// The events of `text` (one document, possibly empty), or `None` when the text is not of the
/// plain form this reader knows exactly.
pub fn events(text: &str) -> Option<Vec<Spanned<'_>>> {
    // Control characters (tabs, carriage returns), the characters YAML 1.1 reads as line
    // breaks and a byte order mark have rules of their own.
    let odd = |c: char| {
        (c < ' ' && c != '\n')
            || ('\u{7f}'..='\u{9f}').contains(&c)
            || matches!(
                c,
                '\u{2028}' | '\u{2029}' | '\u{feff}' | '\u{fffe}' | '\u{ffff}'
            )
    };
    if !crate::byte_scan::printable_ascii(text.as_bytes(), false)
        && (text.bytes().any(|b| b < 0x20 && b != b'\n')
            || (!text.is_ascii() && text.chars().any(odd)))
    {
        return None;
    }
    let mut r = Reader {
        t: text,
        b: text.as_bytes(),
        pos: 0,
        // A guess at the events of a manifest of templates (one in eight bytes), capped: each
        // takes six times the bytes it stands for, and one long scalar is a handful of events
        // (a 200 MB value reserved 1.2 GB here).
        out: Vec::with_capacity((text.len() / 8).min(1 << 14)),
        depth: 0,
    };
    r.document().ok()?;
    Some(r.out)
}

struct Reader<'a> {
    t: &'a str,
    b: &'a [u8],
    /// The start of the next line not yet read (or the end of the text).
    pos: usize,
    out: Vec<Spanned<'a>>,
    depth: usize,
}

/// The next line with content: its indentation and where its content starts.
#[derive(Clone, Copy)]
struct Line {
    indent: usize,
    at: usize,
}

impl<'a> Reader<'a> {
    fn push(&mut self, event: Event<'a>, start: usize, end: usize) {
        self.out.push(Spanned { event, start, end });
    }

    fn document(&mut self) -> R<()> {
        let Some(line) = self.peek()? else {
            return Ok(());
        };
        if self.starts_entry(line.at) {
            self.sequence(line, false)?;
        } else {
            self.mapping(line.indent, line.at)?;
        }
        // One node per document: anything after it is for saphyr to judge.
        match self.peek()? {
            None => Ok(()),
            Some(_) => Err(Other),
        }
    }

    /// Skips blank and comment lines from `self.pos`; the next line with content, with
    /// `self.pos` at its start. `None` at the end of the text.
    fn peek(&mut self) -> R<Option<Line>> {
        loop {
            if self.pos >= self.b.len() {
                return Ok(None);
            }
            let start = self.pos;
            let mut i = start;
            while i < self.b.len() && self.b[i] == b' ' {
                i += 1;
            }
            match self.b.get(i) {
                None => {
                    self.pos = self.b.len();
                    return Ok(None);
                }
                Some(b'\n') => self.pos = i + 1,
                Some(b'#') => self.pos = self.line_end(i) + 1,
                Some(_) => {
                    let indent = i - start;
                    // Document markers and directives.
                    if indent == 0 {
                        let rest = &self.b[i..];
                        if rest.starts_with(b"---")
                            || rest.starts_with(b"...")
                            || rest.starts_with(b"%")
                        {
                            return Err(Other);
                        }
                    }
                    return Ok(Some(Line { indent, at: i }));
                }
            }
        }
    }

    /// The position of the line break that ends the line holding `i` (or the end of the text).
    fn line_end(&self, i: usize) -> usize {
        memchr::memchr(b'\n', &self.b[i..]).map_or(self.b.len(), |n| i + n)
    }

    /// Moves `self.pos` to the line after the one holding `i`.
    fn next_line(&mut self, i: usize) {
        self.pos = (self.line_end(i) + 1).min(self.b.len());
    }

    /// Whether a `- ` entry starts at `i`.
    fn starts_entry(&self, i: usize) -> bool {
        self.b.get(i) == Some(&b'-') && matches!(self.b.get(i + 1), None | Some(b' ' | b'\n'))
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Other);
        }
        Ok(())
    }

    /// A block mapping whose entries start at column `col`, the first key at `at`.
    fn mapping(&mut self, col: usize, first: usize) -> R<()> {
        self.enter()?;
        self.push(Event::MappingStart, first, first);
        let mut at = first;
        let end = loop {
            let colon = self.key(at)?;
            self.value_after(col, colon, colon + 1, true)?;
            let next = self.peek()?;
            match next {
                Some(l) if l.indent == col && !self.starts_entry(l.at) => at = l.at,
                Some(l) if l.indent < col => break l.at,
                None => break self.b.len(),
                Some(_) => return Err(Other),
            }
        };
        self.push(Event::MappingEnd, end, end);
        self.depth -= 1;
        Ok(())
    }

    /// A block sequence whose `-` are at column `col`, the first at `dash`. `indentless`: at
    /// the column of the key that holds it (saphyr then starts it where its first item starts).
    fn sequence(&mut self, line: Line, indentless: bool) -> R<()> {
        self.enter()?;
        let col = line.indent;
        // saphyr starts a sequence at its first `-`, one at its key's column where the scanner
        // stands after that `-` (and the blanks and comment after it).
        let start = if indentless {
            self.after_dash(line.at)
        } else {
            line.at
        };
        self.push(Event::SequenceStart, start, start);
        let mut dash = line.at;
        let end = loop {
            self.item(col, dash)?;
            let next = self.peek()?;
            match next {
                Some(l) if l.indent == col && self.starts_entry(l.at) => dash = l.at,
                Some(l) if l.indent < col || (indentless && l.indent == col) => break l.at,
                None => break self.b.len(),
                Some(_) => return Err(Other),
            }
        };
        self.push(Event::SequenceEnd, end, end);
        self.depth -= 1;
        Ok(())
    }

    /// Where the scanner stands after the `-` at `dash`: past the blanks and a comment after it.
    fn after_dash(&self, dash: usize) -> usize {
        let mut i = dash + 1;
        while self.b.get(i) == Some(&b' ') {
            i += 1;
        }
        if self.b.get(i) == Some(&b'#') {
            i = self.line_end(i);
        }
        i
    }

    /// One `- ` item of a sequence at column `col`, its `-` at `dash`.
    fn item(&mut self, col: usize, dash: usize) -> R<()> {
        let mut i = dash + 1;
        while self.b.get(i) == Some(&b' ') {
            i += 1;
        }
        match self.b.get(i) {
            None | Some(b'\n' | b'#') => {
                self.next_line(dash);
                self.block_value(col, self.after_dash(dash), false)
            }
            Some(_) if self.starts_entry(i) => Err(Other),
            Some(_) => {
                if self.is_key(i) {
                    // A mapping in the item: its keys line up with the first one.
                    let line_start = dash - col;
                    self.mapping(i - line_start, i)
                } else {
                    self.inline_value(col, i)
                }
            }
        }
    }

    /// The value of a key whose `:` is at `colon`, in a mapping at column `col`, reading from
    /// `from` on the key's line. `indentless`: a sequence may start at the key's column.
    fn value_after(&mut self, col: usize, colon: usize, from: usize, indentless: bool) -> R<()> {
        let mut i = from;
        while self.b.get(i) == Some(&b' ') {
            i += 1;
        }
        match self.b.get(i) {
            None | Some(b'\n') => {
                self.next_line(colon);
                self.block_value(col, colon, indentless)
            }
            Some(b'#') if i > from => {
                self.next_line(colon);
                self.block_value(col, colon, indentless)
            }
            Some(_) if i == from => Err(Other),
            Some(_) => self.inline_value(col, i),
        }
    }

    /// A value on the following lines, more indented than `col` (or a sequence at `col` when
    /// `indentless`); an empty scalar at `empty` when there is none.
    fn block_value(&mut self, col: usize, empty: usize, indentless: bool) -> R<()> {
        let next = self.peek()?;
        match next {
            Some(l) if l.indent > col => {
                if self.starts_entry(l.at) {
                    self.sequence(l, false)
                } else if self.is_key(l.at) {
                    self.mapping(l.indent, l.at)
                } else {
                    self.inline_value(col, l.at)
                }
            }
            Some(l) if l.indent == col && indentless && self.starts_entry(l.at) => {
                self.sequence(l, true)
            }
            _ => {
                self.push(
                    Event::Scalar(Cow::Borrowed(""), ScalarStyle::Plain),
                    empty,
                    empty,
                );
                Ok(())
            }
        }
    }

    /// Whether a `key:` starts at `i` (a key on one line, then `: ` or `:` at the end of the
    /// line).
    fn is_key(&self, i: usize) -> bool {
        self.key_end(i).is_some()
    }

    /// The key's scalar (start, end, style) and the position of its `:`.
    fn key_end(&self, i: usize) -> Option<(usize, usize, ScalarStyle, usize)> {
        let b = self.b;
        match b[i] {
            b'"' | b'\'' => {
                let close = self.quote_end(i)?;
                let mut j = close;
                while b.get(j) == Some(&b' ') {
                    j += 1;
                }
                // go-yaml refuses a key of more than 1024 characters: saphyr's reading says so.
                (j - i <= 1000
                    && b.get(j) == Some(&b':')
                    && matches!(b.get(j + 1), None | Some(b' ' | b'\n')))
                .then(|| {
                    let style = if b[i] == b'"' {
                        ScalarStyle::DoubleQuoted
                    } else {
                        ScalarStyle::SingleQuoted
                    };
                    (i, close, style, j)
                })
            }
            _ if !plain_starts(b, i) => None,
            _ => {
                let mut j = i;
                // Only `:`, `#` and the line's end can end a plain key.
                while let Some(n) = memchr::memchr3(b':', b'#', b'\n', &b[j..]) {
                    j += n;
                    match b[j] {
                        b'\n' => return None,
                        b':' if matches!(b.get(j + 1), None | Some(b' ' | b'\n')) => {
                            // `key  :` has its own span rules.
                            if b[j - 1] == b' ' || j - i > 1000 {
                                return None;
                            }
                            return Some((i, j, ScalarStyle::Plain, j));
                        }
                        b'#' if b[j - 1] == b' ' => return None,
                        _ => j += 1,
                    }
                }
                None
            }
        }
    }

    /// Reads the key at `i`; returns the position of its `:`.
    fn key(&mut self, i: usize) -> R<usize> {
        let (start, end, style, colon) = self.key_end(i).ok_or(Other)?;
        let value = match style {
            ScalarStyle::Plain => Cow::Borrowed(&self.t[start..end]),
            _ => self.quoted(start, end).ok_or(Other)?,
        };
        self.push(Event::Scalar(value, style), start, end);
        Ok(colon)
    }

    /// A value that starts at `i` on its line: a scalar, a `|` block, `{}` or `[]`. `col`: the
    /// column of the collection that holds it.
    fn inline_value(&mut self, col: usize, i: usize) -> R<()> {
        let b = self.b;
        let end_of_line = self.line_end(i);
        match b[i] {
            b'"' | b'\'' => {
                let style = if b[i] == b'"' {
                    ScalarStyle::DoubleQuoted
                } else {
                    ScalarStyle::SingleQuoted
                };
                let (value, close) = match self.quote_end(i) {
                    Some(close) => (self.quoted(i, close).ok_or(Other)?, close),
                    None => self.quoted_lines(col, i).ok_or(Other)?,
                };
                let end_of_line = self.line_end(close - 1);
                self.rest_is_comment(close, end_of_line)?;
                self.push(Event::Scalar(value, style), i, close);
                self.pos = (end_of_line + 1).min(b.len());
                Ok(())
            }
            b'|' => self.literal(col, i, end_of_line),
            b'[' if b.get(i + 1) != Some(&b']') => self.flow_sequence(i, end_of_line),
            b'[' | b'{' => {
                let close = if b[i] == b'[' { b']' } else { b'}' };
                if b.get(i + 1) != Some(&close) {
                    return Err(Other);
                }
                self.rest_is_comment(i + 2, end_of_line)?;
                let (open, shut) = if b[i] == b'[' {
                    (Event::SequenceStart, Event::SequenceEnd)
                } else {
                    (Event::MappingStart, Event::MappingEnd)
                };
                self.push(open, i, i + 1);
                self.push(shut, i + 1, i + 2);
                self.pos = (end_of_line + 1).min(b.len());
                Ok(())
            }
            _ if !plain_starts(b, i) => Err(Other),
            _ => {
                // A plain scalar on one line: up to a comment, without `: ` (a key where none
                // may be) or a trailing `:`.
                let (mut end, ended) = plain_line(b, i, end_of_line)?;
                let mut value = Cow::Borrowed(&self.t[i..end]);
                let mut last_line_end = end_of_line;
                // Lines indented past the collection go on with the scalar (a long string
                // Helm's YAML printer folded); a comment ends it.
                while !ended
                    && let Some((at, blank_lines)) = self.plain_continuation(col, last_line_end)
                {
                    let eol = self.line_end(at);
                    let (line_end, comment) = plain_line(b, at, eol)?;
                    let v = value.to_mut();
                    if blank_lines == 0 {
                        v.push(' ');
                    } else {
                        for _ in 0..blank_lines {
                            v.push('\n');
                        }
                    }
                    v.push_str(&self.t[at..line_end]);
                    end = line_end;
                    last_line_end = eol;
                    if comment {
                        break;
                    }
                }
                self.push(Event::Scalar(value, ScalarStyle::Plain), i, end);
                self.pos = (last_line_end + 1).min(b.len());
                Ok(())
            }
        }
    }

    /// A flow sequence of scalars on one line (`[ReadWriteOnce]`, `["a", "b"]`), its `[` at `i`.
    fn flow_sequence(&mut self, i: usize, end_of_line: usize) -> R<()> {
        let b = self.b;
        self.push(Event::SequenceStart, i, i + 1);
        let mut j = i + 1;
        loop {
            while j < end_of_line && b[j] == b' ' {
                j += 1;
            }
            if j >= end_of_line {
                return Err(Other);
            }
            // An item: a quoted scalar, or a plain one without flow indicators.
            let (start, end, value, style) = match b[j] {
                b'"' | b'\'' => {
                    let close = self.quote_end(j).ok_or(Other)?;
                    let style = if b[j] == b'"' {
                        ScalarStyle::DoubleQuoted
                    } else {
                        ScalarStyle::SingleQuoted
                    };
                    (j, close, self.quoted(j, close).ok_or(Other)?, style)
                }
                _ if !plain_starts(b, j) => return Err(Other),
                _ => {
                    let mut k = j;
                    while k < end_of_line
                        && !matches!(b[k], b',' | b'[' | b']' | b'{' | b'}' | b'#' | b':' | b'?')
                    {
                        k += 1;
                    }
                    // (go-yaml ends a flow scalar at a `?` too, where YAML 1.2 reads on.)
                    if k < end_of_line && matches!(b[k], b'[' | b'{' | b'}' | b'#' | b':' | b'?') {
                        return Err(Other);
                    }
                    let mut end = k;
                    while end > j && b[end - 1] == b' ' {
                        end -= 1;
                    }
                    let text = &self.t[j..end];
                    (j, end, Cow::Borrowed(text), ScalarStyle::Plain)
                }
            };
            self.push(Event::Scalar(value, style), start, end);
            j = end;
            while j < end_of_line && b[j] == b' ' {
                j += 1;
            }
            match b.get(j) {
                Some(b',') if j < end_of_line => {
                    j += 1;
                    // `[a, ]`: a trailing comma has rules of its own.
                    let mut k = j;
                    while k < end_of_line && b[k] == b' ' {
                        k += 1;
                    }
                    if k >= end_of_line || b[k] == b']' {
                        return Err(Other);
                    }
                }
                Some(b']') if j < end_of_line => break,
                _ => return Err(Other),
            }
        }
        self.push(Event::SequenceEnd, j, j + 1);
        self.rest_is_comment(j + 1, end_of_line)?;
        self.pos = (end_of_line + 1).min(b.len());
        Ok(())
    }

    /// A quoted scalar over several lines, its opening quote at `i`, in a collection at column
    /// `col`: each line break folds to a space, or to the line breaks of the blank lines after
    /// it; blanks around a break go; `\` before a break (double quotes) joins the lines.
    /// Returns the value and the byte after the closing quote.
    fn quoted_lines(&self, col: usize, i: usize) -> Option<(Cow<'a, str>, usize)> {
        let b = self.b;
        let double = b[i] == b'"';
        let mut out = String::new();
        // Bytes of `out` an escape wrote: blanks before a break are trimmed only after them.
        let mut kept = 0;
        let mut j = i + 1;
        loop {
            let c = *b.get(j)?;
            match c {
                b'"' if double => return Some((Cow::Owned(out), j + 1)),
                b'\'' if !double => {
                    if b.get(j + 1) == Some(&b'\'') {
                        out.push('\'');
                        j += 2;
                    } else {
                        return Some((Cow::Owned(out), j + 1));
                    }
                }
                b'\\' if double => {
                    if b.get(j + 1) == Some(&b'\n') {
                        // An escaped break: the lines join, without the next one's indentation,
                        // but each empty line between them is a line break (libyaml's escaped
                        // break stores no leading break to fold them into).
                        let (next, blank_lines) = self.continuation(col, j + 2)?;
                        out.extend(std::iter::repeat_n('\n', blank_lines));
                        j = next;
                        kept = out.len();
                        continue;
                    }
                    let mut k = j + 2;
                    if matches!(b.get(j + 1), Some(b'x' | b'u' | b'U')) {
                        k = j
                            + 2
                            + match b[j + 1] {
                                b'x' => 2,
                                b'u' => 4,
                                _ => 8,
                            };
                    }
                    let decoded = self.quoted_escape(j, k)?;
                    out.push_str(&decoded);
                    kept = out.len();
                    j = k;
                }
                b'\n' => {
                    while out.len() > kept && out.ends_with(' ') {
                        out.pop();
                    }
                    let (next, blank_lines) = self.continuation(col, j + 1)?;
                    if blank_lines == 0 {
                        out.push(' ');
                    } else {
                        for _ in 0..blank_lines {
                            out.push('\n');
                        }
                    }
                    kept = out.len();
                    j = next;
                }
                _ => {
                    // One character, whole.
                    let len = self.t[j..].chars().next()?.len_utf8();
                    out.push_str(&self.t[j..j + len]);
                    j += len;
                }
            }
        }
    }

    /// The escape `start..end` of a double-quoted scalar, decoded.
    fn quoted_escape(&self, start: usize, end: usize) -> Option<Cow<'a, str>> {
        let text = self.t.get(start..end)?;
        unescape(text).map(Cow::Owned)
    }

    /// From the start of the line after a break inside a quoted scalar: where its text goes on
    /// (past the indentation) and how many blank lines came first. `None` when a line is not
    /// indented past `col` (or the text ends).
    fn continuation(&self, col: usize, mut line: usize) -> Option<(usize, usize)> {
        let b = self.b;
        let mut blank = 0;
        loop {
            let spaces = b.get(line..)?.iter().take_while(|&&c| c == b' ').count();
            let at = line + spaces;
            match b.get(at) {
                None => return None,
                Some(b'\n') => {
                    blank += 1;
                    line = at + 1;
                }
                Some(_) if spaces <= col => return None,
                Some(_) => return Some((at, blank)),
            }
        }
    }

    /// Where a plain scalar goes on after the line that ends at `eol`: the text of the next
    /// line with content when it is indented past `col` and is no comment, and how many blank
    /// lines came before it.
    fn plain_continuation(&self, col: usize, eol: usize) -> Option<(usize, usize)> {
        let b = self.b;
        let mut line = eol + 1;
        let mut blank = 0;
        loop {
            let spaces = b.get(line..)?.iter().take_while(|&&c| c == b' ').count();
            let at = line + spaces;
            match b.get(at) {
                None => return None,
                Some(b'\n') => {
                    blank += 1;
                    line = at + 1;
                }
                Some(_) if spaces <= col => return None,
                Some(b'#') => return None,
                Some(b'-' | b'?' | b':') if matches!(b.get(at + 1), None | Some(b' ' | b'\n')) => {
                    return None;
                }
                Some(_) => return Some((at, blank)),
            }
        }
    }

    /// Only blanks, then a comment or nothing, from `i` to the end of the line.
    fn rest_is_comment(&self, i: usize, end_of_line: usize) -> R<()> {
        let mut j = i;
        while j < end_of_line && self.b[j] == b' ' {
            j += 1;
        }
        if j == end_of_line || (self.b[j] == b'#' && j > i) {
            Ok(())
        } else {
            Err(Other)
        }
    }

    /// The byte after the closing quote of the quoted scalar at `i`, on the same line.
    fn quote_end(&self, i: usize) -> Option<usize> {
        let b = self.b;
        let q = b[i];
        let mut j = i + 1;
        while j < b.len() {
            match b[j] {
                b'\n' => return None,
                b'\\' if q == b'"' => j += 2,
                b'\'' if q == b'\'' && b.get(j + 1) == Some(&b'\'') => j += 2,
                c if c == q => return Some(j + 1),
                _ => j += 1,
            }
        }
        None
    }

    /// The value of the quoted scalar `start..end` (quotes included); `None` for an escape
    /// this reader does not decode.
    fn quoted(&self, start: usize, end: usize) -> Option<Cow<'a, str>> {
        let inner = &self.t[start + 1..end - 1];
        if self.b[start] == b'\'' {
            return Some(if inner.contains('\'') {
                Cow::Owned(inner.replace("''", "'"))
            } else {
                Cow::Borrowed(inner)
            });
        }
        if !inner.contains('\\') {
            return Some(Cow::Borrowed(inner));
        }
        unescape(inner).map(Cow::Owned)
    }

    /// A literal block scalar whose `|` is at `i`, in a collection at column `col`.
    fn literal(&mut self, col: usize, i: usize, end_of_line: usize) -> R<()> {
        let b = self.b;
        let mut after = i + 1;
        let mut chomp = Chomp::Clip;
        let mut explicit = None;
        let mut chomped = false;
        // At most one chomping and one indentation indicator, in either order (`|-+` is no
        // header to go-yaml).
        for _ in 0..2 {
            match b.get(after) {
                Some(b'-') if !chomped => (chomp, chomped) = (Chomp::Strip, true),
                Some(b'+') if !chomped => (chomp, chomped) = (Chomp::Keep, true),
                Some(d @ b'1'..=b'9') if explicit.is_none() => {
                    explicit = Some(usize::from(d - b'0'))
                }
                _ => break,
            }
            after += 1;
        }
        if after < end_of_line && b[after] != b' ' {
            return Err(Other);
        }
        self.rest_is_comment(after, end_of_line)?;
        let first = end_of_line + 1;
        if first >= b.len() {
            return Err(Other);
        }
        // The indentation: given (relative to the collection), or that of the first line with
        // content, which blank lines before it may not exceed.
        let indent = match explicit {
            Some(d) => col + d,
            None => {
                let mut line = first;
                let mut widest_blank = 0;
                loop {
                    let spaces = b[line..].iter().take_while(|&&c| c == b' ').count();
                    match b.get(line + spaces) {
                        Some(b'\n') => {
                            widest_blank = widest_blank.max(spaces);
                            line += spaces + 1;
                        }
                        None => return Err(Other),
                        Some(_) => {
                            if spaces <= col || widest_blank > spaces {
                                return Err(Other);
                            }
                            break spaces;
                        }
                    }
                }
            }
        };
        let mut value = String::new();
        let mut breaks = 0usize;
        let mut line = first;
        let mut start = None;
        let end = loop {
            if line >= b.len() {
                break b.len();
            }
            let spaces = b[line..].iter().take_while(|&&c| c == b' ').count();
            let at = line + spaces;
            let eol = self.line_end(line);
            if at == eol && spaces <= indent {
                breaks += 1;
                if eol >= b.len() {
                    break b.len();
                }
                line = eol + 1;
                continue;
            }
            if spaces < indent {
                break at;
            }
            if start.is_none() {
                if at == eol {
                    // A first line of only blanks: its own rules.
                    return Err(Other);
                }
                start = Some(line + indent);
            }
            if !value.is_empty() || breaks > 0 {
                if !value.is_empty() {
                    value.push('\n');
                }
                for _ in 0..breaks {
                    value.push('\n');
                }
            }
            breaks = 0;
            value.push_str(&self.t[line + indent..eol]);
            if eol >= b.len() {
                break b.len();
            }
            line = eol + 1;
        };
        let Some(start) = start else {
            return Err(Other);
        };
        // The line break after the last line of content, then the blank lines after it.
        match chomp {
            Chomp::Strip => {}
            Chomp::Clip => value.push('\n'),
            Chomp::Keep => {
                value.push('\n');
                for _ in 0..breaks {
                    value.push('\n');
                }
            }
        }
        self.push(
            Event::Scalar(Cow::Owned(value), ScalarStyle::Literal),
            start,
            end,
        );
        // The loader goes on from the line that ended the block.
        self.pos = if end >= b.len() {
            b.len()
        } else {
            end - b[..end].iter().rev().take_while(|&&c| c == b' ').count()
        };
        Ok(())
    }
}

/// The text of a double-quoted scalar on one line, its escapes decoded; `None` for an escape
/// this reader leaves to saphyr.
fn unescape(inner: &str) -> Option<String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        let e = chars.next()?;
        let hex = |chars: &mut std::str::Chars<'_>, n: usize| -> Option<char> {
            let digits: String = chars.by_ref().take(n).collect();
            if digits.len() != n || !digits.bytes().all(|d| d.is_ascii_hexdigit()) {
                return None;
            }
            char::from_u32(u32::from_str_radix(&digits, 16).ok()?)
        };
        out.push(match e {
            '0' => '\0',
            'a' => '\x07',
            'b' => '\x08',
            't' => '\t',
            'n' => '\n',
            'v' => '\x0b',
            'f' => '\x0c',
            'r' => '\r',
            'e' => '\x1b',
            ' ' => ' ',
            '"' => '"',
            '\'' => '\'',
            '/' => '/',
            '\\' => '\\',
            'x' => hex(&mut chars, 2)?,
            'u' => hex(&mut chars, 4)?,
            'U' => hex(&mut chars, 8)?,
            _ => return None,
        });
    }
    Some(out)
}

/// How a literal block ends: `|-` drops the last line break, `|` keeps one, `|+` every one.
enum Chomp {
    Strip,
    Clip,
    Keep,
}

/// Whether a plain scalar can start at `i`: not with an indicator, except `-`, `?` and `:`
/// before a character that is not a blank.
fn plain_starts(b: &[u8], i: usize) -> bool {
    match b[i] {
        b'-' | b'?' | b':' => !matches!(b.get(i + 1), None | Some(b' ' | b'\n')),
        c => !is_indicator(c),
    }
}

/// Characters that cannot start a plain scalar here (or that start a form this reader leaves
/// to saphyr).
fn is_indicator(c: u8) -> bool {
    matches!(
        c,
        b'-' | b'?'
            | b':'
            | b','
            | b'['
            | b']'
            | b'{'
            | b'}'
            | b'#'
            | b'&'
            | b'*'
            | b'!'
            | b'|'
            | b'>'
            | b'\''
            | b'"'
            | b'%'
            | b'@'
            | b'`'
    )
}

/// The text of a plain scalar on one line, from `from` to `eol`: where it ends without a ` #`
/// comment and trailing spaces, and whether a comment ended it. A `: ` (a key where none may be)
/// or a trailing `:` is left to saphyr.
fn plain_line(b: &[u8], from: usize, eol: usize) -> R<(usize, bool)> {
    let mut stop = eol;
    let mut j = from;
    // Only a `#` or a `:` can end the scalar early.
    while let Some(n) = memchr::memchr2(b'#', b':', &b[j..eol]) {
        j += n;
        match b[j] {
            b'#' if b[j - 1] == b' ' => {
                stop = j;
                break;
            }
            b':' if matches!(b.get(j + 1), None | Some(b' ' | b'\n')) => return Err(Other),
            _ => j += 1,
        }
    }
    let comment = stop < eol;
    while stop > from && b[stop - 1] == b' ' {
        stop -= 1;
    }
    Ok((stop, comment))
}
