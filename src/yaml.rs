//! Span-aware YAML loading with Helm's typing.
//!
//! Helm reads values files with go-yaml v2 and a JSON round trip. This loader reproduces the
//! result on top of saphyr's event parser: YAML 1.1 scalars (`yes`/`on`/`y` booleans, octal,
//! hex and `_` integers), every number a float64, anchors and aliases, `<<` merge keys applied in
//! order, duplicate keys where the last one wins. Every node keeps the span of its key and value.
//! Alias expansion, nesting depth, document count and file size are bounded.

use std::collections::HashMap;

use saphyr_parser::{Event, Parser, ScalarStyle, Span as YSpan};

use crate::source::{FileId, Span};
use crate::value::{Map, Node, Origin, Value};
use crate::yaml_key::{base64_text, go_parse_integer, is_float_form, looks_like_timestamp};

/// Bounds on input-controlled work.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Largest accepted file, in bytes.
    pub(crate) max_bytes: usize,
    /// Deepest accepted nesting of maps and lists.
    pub(crate) max_depth: usize,
    /// Most nodes a file may produce, aliases expanded.
    pub(crate) max_nodes: usize,
    /// Most YAML documents in one file.
    pub(crate) max_documents: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_bytes: 8 * 1024 * 1024,
            max_depth: 200,
            max_nodes: 1_000_000,
            max_documents: 1_000,
        }
    }
}

/// Why a YAML text could not be loaded.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum YamlError {
    /// The parser rejected the text.
    #[error("invalid YAML: {message}")]
    Syntax {
        /// The parser's message.
        message: String,
        /// Where.
        span: Span,
    },
    /// A resource limit was hit.
    #[error("{message}")]
    Limit {
        /// What was exceeded.
        message: String,
        /// Where.
        span: Span,
    },
    /// Valid YAML that Helm cannot read (a complex key, an infinite number, …).
    #[error("{message}")]
    Unsupported {
        /// What.
        message: String,
        /// Where.
        span: Span,
    },
    /// A key Helm cannot read: null, empty, a map or a list. The message is ours; `problem`
    /// keeps what Helm's reader says of it (for `fromYaml`, which returns Helm's words).
    #[error("{message}")]
    Key {
        /// Ours.
        message: String,
        /// Where the key is.
        span: Span,
        /// What kind, for Helm's words.
        problem: KeyProblem,
    },
}

/// Why go-yaml and sigs.k8s.io/yaml refuse a key.
#[derive(Debug, Clone, PartialEq)]
pub enum KeyProblem {
    /// `: x` where a key should be: go-yaml's parser error "did not find expected key".
    Empty,
    /// A key that decodes to nil (`~`, `null`, `? `): the JSON step's error, which prints the
    /// value under it (none when the document ended first).
    Null {
        /// The value.
        value: Option<Box<Node>>,
    },
    /// A map or list as a key: go-yaml's decoder error, which prints the key.
    Complex {
        /// The key.
        key: Box<Node>,
    },
}

impl YamlError {
    /// Where the problem is.
    pub(crate) fn span(&self) -> Span {
        match self {
            YamlError::Syntax { span, .. }
            | YamlError::Limit { span, .. }
            | YamlError::Unsupported { span, .. }
            | YamlError::Key { span, .. } => *span,
        }
    }
}

/// A key given twice in one mapping: Helm keeps the last one.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Duplicate {
    /// Dotted path of the key (parents and the key).
    pub(crate) path: Vec<String>,
    /// The occurrence Helm silently drops.
    pub(crate) dropped: Span,
    /// The occurrence that wins.
    pub(crate) kept: Span,
}

/// One loaded YAML text.
#[derive(Debug, Clone, Default)]
pub struct YamlFile {
    /// The documents, each as Helm types it.
    pub documents: Vec<Node>,
    /// Spans of every `---` document start that opened a second or later document.
    pub(crate) document_starts: Vec<Span>,
    /// Duplicate keys found anywhere (the first [`MAX_DUPLICATES`]).
    pub(crate) duplicates: Vec<Duplicate>,
    /// Spans of every scalar (keys and values): a `#` inside one of them is not a comment.
    pub(crate) scalar_spans: Vec<(usize, usize)>,
    /// Whether the text defines an anchor (so may name one anywhere): only then are the names
    /// checked against go-yaml's rules.
    pub(crate) anchored: bool,
}

/// Loads `text` (the contents of `file`), charging its values to the run's budget every time.
pub fn load(file: FileId, text: &str, limits: &Limits) -> Result<YamlFile, YamlError> {
    load_once(file, None, text, limits)
}

/// Loads `text`, the contents of the file named `name`: charged to the run's budget the first
/// time only (a `-f` file is parsed again for every release).
pub(crate) fn load_named(
    file: FileId,
    name: &str,
    text: &str,
    limits: &Limits,
) -> Result<YamlFile, YamlError> {
    load_once(file, Some(name), text, limits)
}

fn load_once(
    file: FileId,
    name: Option<&str>,
    text: &str,
    limits: &Limits,
) -> Result<YamlFile, YamlError> {
    if text.len() > limits.max_bytes {
        return Err(YamlError::Limit {
            message: format!(
                "file is {} bytes, larger than the limit of {} bytes",
                text.len(),
                limits.max_bytes
            ),
            span: Span::new(file, 0, 0),
        });
    }
    let ticket = crate::budget::ticket(crate::budget::Pool::Nodes, name.map(|n| (n, text)));
    // go-yaml's other line breaks and inner byte-order marks: saphyr reads a rewritten text of
    // the same length (see `yaml_breaks`).
    let rewritten = crate::yaml_breaks::rewrite(text);
    let original = rewritten.as_ref().map(|r| (text, r.mark));
    let text = rewritten.as_ref().map_or(text, |r| r.text.as_str());
    let builder = || {
        let mut builder = Builder::new(file, text, limits);
        builder.original = original;
        builder.run_left = ticket.nodes_left;
        builder.run_max = ticket.run_max;
        builder
    };
    // Plain block YAML (what templates print) is read by a reader that knows only it; where it
    // gives up, or where the text breaks a limit (whose error saphyr's events place), saphyr
    // reads the text.
    let fast = match original {
        None => crate::yaml_block::events(text).and_then(|events| builder().run_block(events).ok()),
        Some(_) => None,
    };
    let read = match fast {
        Some(done) => (Ok(done), true),
        None => (run_saphyr(text, builder), false),
    };
    let (out, nodes) = go_yaml_gaps(file, text, read)?;
    ticket.charge(nodes);
    Ok(out)
}

/// saphyr's reading of `text`, failed where go-yaml refuses a text saphyr reads (see
/// [`crate::yaml_gap`]); the error go-yaml meets first wins when both fail.
fn go_yaml_gaps(
    file: FileId,
    text: &str,
    (read, fast): (Result<(YamlFile, usize), YamlError>, bool),
) -> Result<(YamlFile, usize), YamlError> {
    // NOTE: the fast reader refuses tabs, so only a text saphyr read may hold one.
    let tabs = |scalars: &[(usize, usize)], before: usize| {
        (!fast && text.contains('\t'))
            .then(|| crate::yaml_gap::tab_after_indicator(text, scalars, before))
            .flatten()
    };
    let gap = match &read {
        Ok((out, _)) => crate::yaml_gap::before_first_document(text)
            .or_else(|| {
                out.anchored
                    .then(|| crate::yaml_gap::anchor_names(text, &out.scalar_spans))
                    .flatten()
            })
            .or_else(|| tabs(&out.scalar_spans, text.len())),
        Err(e) => {
            crate::yaml_gap::before_first_document(text).or_else(|| tabs(&[], e.span().start + 1))
        }
    };
    let Some(gap) = gap else {
        return read;
    };
    match read {
        Err(e) if e.span().start < gap.at => Err(e),
        _ => Err(YamlError::Syntax {
            message: gap.message.into(),
            span: Span::new(file, gap.at, gap.at),
        }),
    }
}

/// saphyr's reading of `text`; where saphyr refuses a quoted scalar's continuation line for its
/// indentation (go-yaml does not look at it), the line is padded and the text read again.
fn run_saphyr<'a>(
    text: &'a str,
    builder: impl Fn() -> Builder<'a>,
) -> Result<(YamlFile, usize), YamlError> {
    let mut padded = crate::yaml_quoted::Padded::default();
    let mut patched = None;
    loop {
        let mut b = builder();
        let parse = match patched.take() {
            Some(crate::yaml_quoted::Patched {
                text,
                char_to_byte,
                stray,
            }) => {
                b.char_to_byte = Some(char_to_byte);
                b.stray = stray;
                std::borrow::Cow::Owned(text)
            }
            None => std::borrow::Cow::Borrowed(text),
        };
        match b.run(&parse) {
            Err(YamlError::Syntax { message, span }) if padded.cure(text, &message, span.start) => {
                patched = Some(padded.apply(text));
            }
            done => return done,
        }
    }
}

/// Whether the last token before byte `at` (past blanks and comments) is a mapping's `:`.
fn value_indicator_before(text: &str, at: usize) -> bool {
    let mut before = &text[..at];
    loop {
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let line = &before[line_start..];
        let code = match line.find('#') {
            Some(0) => "",
            Some(i) if line[..i].ends_with([' ', '\t']) => &line[..i],
            _ => line,
        };
        let code = code.trim_end_matches([' ', '\t', '\r']);
        if !code.trim_start().is_empty() {
            return code.ends_with(':');
        }
        if line_start == 0 {
            return false;
        }
        before = &before[..line_start - 1];
    }
}

/// Whether a double-quoted scalar, as written, holds the escape `\/`.
fn slash_escape(written: &str) -> bool {
    let bytes = written.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'\\' {
            if bytes.get(i + 1) == Some(&b'/') {
                return true;
            }
            i += 2;
        } else {
            i += 1;
        }
    }
    false
}

/// A parser event as the builder needs it, from saphyr or from [`crate::yaml_block`].
enum Ev<'e> {
    DocumentStart,
    /// Value, style, anchor id (0: none), tag.
    Scalar(
        std::borrow::Cow<'e, str>,
        ScalarStyle,
        usize,
        Option<String>,
    ),
    Alias(usize),
    MappingStart(usize),
    SequenceStart(usize),
    /// A mapping or sequence ends.
    End,
}

enum Frame {
    Map {
        map: Map,
        start: usize,
        anchor: usize,
        pending: Option<(String, Span)>,
        key_origin: Option<Span>,
        /// Keys that came in through `<<`: overriding them is the point, not a duplicate.
        merged: Vec<String>,
    },
    Seq {
        items: Vec<Node>,
        start: usize,
        anchor: usize,
        key_origin: Option<Span>,
    },
}

struct Builder<'a> {
    file: FileId,
    text: &'a str,
    limits: &'a Limits,
    /// char index → byte offset, only for non-ASCII texts.
    char_to_byte: Option<Vec<usize>>,
    /// The text as written when `text` is its rewriting for saphyr (see [`crate::yaml_breaks`]),
    /// and the character standing for its byte-order marks.
    original: Option<(&'a str, Option<char>)>,
    frames: Vec<Frame>,
    anchors: HashMap<usize, Node>,
    nodes: usize,
    /// Nodes the run's budget still allows this text, and the run's limit (see [`crate::budget`]).
    run_left: usize,
    run_max: usize,
    out: YamlFile,
    /// The first null key read (its message, span, the start of its map, and the value under
    /// it once read): Helm's reader fails on it only after the whole document parsed, so a
    /// syntax error after it is the one reported.
    null_key: Option<(String, Span, usize, Option<Box<Node>>)>,
    /// Where the text was cut at a bracket that closes nothing (see [`Self::stray_bracket`]).
    stray: Option<usize>,
}

impl<'a> Builder<'a> {
    fn new(file: FileId, text: &'a str, limits: &'a Limits) -> Self {
        let char_to_byte = (!text.is_ascii()).then(|| {
            let mut v: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
            v.push(text.len());
            v
        });
        Builder {
            file,
            text,
            limits,
            char_to_byte,
            original: None,
            frames: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            run_left: usize::MAX,
            run_max: usize::MAX,
            out: YamlFile::default(),
            null_key: None,
            stray: None,
        }
    }

    /// The document read, or the null key read in it.
    fn finish(self) -> Result<(YamlFile, usize), YamlError> {
        match self.null_key {
            Some((message, span, _, value)) => Err(YamlError::Key {
                message,
                span,
                problem: KeyProblem::Null { value },
            }),
            None => Ok((self.out, self.nodes)),
        }
    }

    fn byte(&self, char_index: usize) -> usize {
        let mut at = match &self.char_to_byte {
            Some(v) => v.get(char_index).copied().unwrap_or(self.text.len()),
            None => char_index.min(self.text.len()),
        };
        // Inside a break the rewriting spread over more characters: its start.
        if let Some((original, _)) = self.original {
            while !original.is_char_boundary(at) {
                at -= 1;
            }
        }
        at
    }

    fn span(&self, s: &YSpan) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(self.file, start, end)
    }

    /// NOTE: saphyr ends a quoted scalar's span where the next token starts, past any trailing
    /// comment (`"x"  # ignore[…]`), which would hide that comment and make edits swallow it;
    /// the span is cut at the closing quote.
    fn quoted_span(&self, span: Span, style: ScalarStyle) -> Span {
        let quote = match style {
            ScalarStyle::SingleQuoted => b'\'',
            ScalarStyle::DoubleQuoted => b'"',
            _ => return span,
        };
        let bytes = self.text.as_bytes();
        if bytes.get(span.start) != Some(&quote) {
            return span;
        }
        let mut i = span.start + 1;
        while i < span.end.min(bytes.len()) {
            match bytes[i] {
                b'\\' if quote == b'"' => i += 2,
                b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
                b if b == quote => return Span::new(span.file, span.start, i + 1),
                _ => i += 1,
            }
        }
        span
    }

    /// Builds from saphyr's events for `parse`: the text, or it padded (`char_to_byte` then maps
    /// its characters to the text's bytes).
    fn run(mut self, parse: &str) -> Result<(YamlFile, usize), YamlError> {
        let mut parser = Parser::new_from_str(parse);
        // Where the last event ended (bytes of the text).
        let mut last_end = 0;
        let mut documents_started = 0;
        while let Some(ev) = parser.next_event() {
            // go-yaml v2 (sigs.k8s.io/yaml, so Helm's values files, manifests and `fromYaml`)
            // reads one document: past its root node the scanner reads the next token (its
            // errors stand: `--- a: 1` is "mapping values are not allowed"), but the parser
            // never asks for the next document, so text after a flow or scalar root
            // (`{"a":1}\n{"b":2}`) is no error there.
            let first_root_read =
                documents_started == 1 && self.out.documents.len() == 1 && self.frames.is_empty();
            if first_root_read
                && let Err(e) = &ev
                && e.info() == "did not find expected <document start>"
            {
                break;
            }
            let (event, yspan) = ev.map_err(|e| {
                let at = self.byte(e.marker().index());
                let span = Span::new(self.file, at, at);
                let message = e.info().to_string();
                if let Some(err) = self.block_scalar_key(&message, last_end) {
                    err
                } else if message.starts_with("invalid trailing content after")
                    && let Some(problem) = self.trailing_content(at)
                {
                    YamlError::Syntax {
                        message: problem.into(),
                        span,
                    }
                } else if let Some(err) = self.tab_error(&message, at) {
                    err
                } else if message.ends_with("did not find expected '-' indicator")
                    && !self.in_block_sequence()
                {
                    // libyaml ends an indentless sequence there; its mapping wants a key.
                    YamlError::Syntax {
                        message: "did not find expected key".into(),
                        span,
                    }
                } else if message.contains("recursion limit") {
                    YamlError::Limit {
                        message: format!(
                            "nesting deeper than {} levels",
                            self.limits.max_depth.min(PARSER_MAX_DEPTH)
                        ),
                        span,
                    }
                } else if message == "simple key expect ':'" || message == "simple key expected" {
                    // libyaml's words for a possible key left without its `:`.
                    YamlError::Syntax {
                        message: "could not find expected ':'".into(),
                        span,
                    }
                } else {
                    YamlError::Syntax { message, span }
                }
            })?;
            let span = self.span(&yspan);
            if let Some(at) = self.stray
                && span.start >= at
            {
                self.stray = None;
                if let Some(problem) = self.stray_bracket(at, documents_started) {
                    return Err(YamlError::Syntax {
                        message: problem.into(),
                        span: Span::new(self.file, at, at),
                    });
                }
            }
            last_end = match &event {
                Event::Scalar(_, style, ..) => self.quoted_span(span, *style).end,
                _ => span.end,
            };
            let ev = match event {
                Event::DocumentStart(_) => {
                    documents_started += 1;
                    Ev::DocumentStart
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let value = match self.original {
                        Some((original, mark)) => crate::yaml_breaks::scalar(
                            original,
                            (span.start, span.end),
                            style,
                            value,
                            mark,
                        ),
                        None => value,
                    };
                    // NOTE: saphyr's `Display` for a tag puts a `!` between handle and suffix
                    // (`tag:yaml.org,2002:!int`); the resolved name is handle then suffix.
                    let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                    Ev::Scalar(value, style, anchor, tag)
                }
                Event::Alias(id) => Ev::Alias(id),
                Event::MappingStart(anchor, _) => Ev::MappingStart(anchor),
                Event::SequenceStart(anchor, _) => Ev::SequenceStart(anchor),
                Event::MappingEnd | Event::SequenceEnd => Ev::End,
                Event::DocumentEnd | Event::StreamStart | Event::StreamEnd | Event::Nothing => {
                    continue;
                }
            };
            self.handle(ev, span)?;
        }
        self.finish()
    }

    /// saphyr takes a block scalar (or an empty flow collection, `{}`) where a block
    /// collection's next key or item starts for a possible key, and fails when no `:` follows
    /// ("simple key expect…"); libyaml never takes one for a key, and its parser fails on that
    /// token: "did not find expected key" (or `-` indicator) there. `last_end` is where the
    /// last event ended.
    fn block_scalar_key(&self, message: &str, last_end: usize) -> Option<YamlError> {
        if !message.starts_with("simple key expect") {
            return None;
        }
        let rest = self.text.get(last_end..)?;
        let mut offset = last_end;
        for line in rest.split_inclusive('\n') {
            let body = line.trim_start_matches([' ', '\t']);
            let at = offset + (line.len() - body.len());
            offset += line.len();
            match body.as_bytes().first() {
                None | Some(b'\n' | b'\r' | b'#') => continue,
                Some(b'|' | b'>') => {}
                // libyaml forgets the possible key an empty flow collection started when it
                // closes, so it never asks for the `:` either.
                Some(b'{' | b'[') if empty_flow_line(body) => {}
                Some(_) => return None,
            }
            let message = if self.in_block_sequence() {
                "did not find expected '-' indicator"
            } else {
                "did not find expected key"
            };
            return Some(YamlError::Syntax {
                message: message.into(),
                span: Span::new(self.file, at, at),
            });
        }
        None
    }

    /// libyaml's error for text after a quoted scalar on its line, at byte `at` (saphyr fails the
    /// scalar: "invalid trailing content"). libyaml reads the scalar, then the next token, and
    /// fails where the enclosing collection allows no such token: its scanner on a block entry
    /// or key indicator, or a character no token starts with, else its parser, in the words of
    /// the collection. `None` for a document's root scalar: go-yaml reads no further than the
    /// root of the one document it reads (the loader then reads the text up to `at`).
    fn trailing_content(&self, at: usize) -> Option<&'static str> {
        let line = self
            .text
            .get(at..)?
            .split(['\n', '\r'])
            .next()
            .unwrap_or("");
        let mut chars = line.chars();
        let c = chars.next()?;
        let after_c = chars.as_str();
        let blank_after = chars.next().is_none_or(|n| n == ' ' || n == '\t');
        let open = self.frames.last().map(|f| {
            let (start, seq) = match f {
                Frame::Map { start, .. } => (*start, false),
                Frame::Seq { start, .. } => (*start, true),
            };
            let flow = matches!(self.text.as_bytes().get(start), Some(b'{' | b'['));
            (seq, flow)
        });
        let block = !matches!(open, Some((_, true)));
        // A `:` and a blank later on the line make the scalar a simple key (of a mapping that
        // starts there, in a block).
        let key_follows = line
            .split(" #")
            .next()
            .is_some_and(|l| l.contains(": ") || l.contains(":\t") || l.ends_with(':'));
        Some(match (c, open) {
            ('-', _) if block && blank_after => {
                "block sequence entries are not allowed in this context"
            }
            ('?', _) if block && blank_after => "mapping keys are not allowed in this context",
            // A `:` after a scalar that could be no simple key (over lines, or too long): a
            // complex key's value, which may not follow a scalar.
            (':', _) if block && blank_after => "mapping values are not allowed in this context",
            ('@' | '`' | '%', _) => "found character that cannot start any token",
            // A block scalar's indicator: only in a block, where its header may fail.
            ('|' | '>', _) if !block => "found character that cannot start any token",
            ('|' | '>', _) if block_scalar_header(after_c).is_some() => {
                block_scalar_header(after_c)?
            }
            (_, Some((true, true))) => "did not find expected ',' or ']'",
            (_, Some((false, true))) => "did not find expected ',' or '}'",
            _ if key_follows => "did not find expected key",
            (_, Some((true, false))) if self.in_block_sequence() => {
                "did not find expected '-' indicator"
            }
            (_, Some((_, false))) => "did not find expected key",
            (_, None) => return None,
        })
    }

    /// libyaml's reading of a `]` or `}` at byte `at` outside any flow collection (saphyr fails
    /// on it: "misplaced bracket"), called with what was read before it: its scanner unrolls
    /// the block collections indented right of the bracket and makes it a token. When that
    /// ends the first document's root (or the bracket comes after it), go-yaml, which reads
    /// one document, stops there: `None`, the text before it is the value. Else its parser
    /// fails in the words of the collection left open: a block sequence wants a `-`, a mapping
    /// a key, or the value after a `:` just read.
    fn stray_bracket(&self, at: usize, documents_started: usize) -> Option<&'static str> {
        if documents_started > 1 || (self.frames.is_empty() && !self.out.documents.is_empty()) {
            return None;
        }
        let column = |at: usize| at - self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        // (is a sequence, column of its first key or `-`)
        let open: Vec<(bool, usize)> = self
            .frames
            .iter()
            .map(|f| match f {
                Frame::Map { start, .. } => (false, column(self.first_key(*start))),
                Frame::Seq { start, .. } => (true, column(self.dash(*start))),
            })
            .collect();
        let Some(&(_, root)) = open.first() else {
            return Some("did not find expected node content");
        };
        let col = column(at);
        if col < root {
            return None;
        }
        let mut left = open.len() - 1;
        while left > 0 {
            let (seq, c) = open[left];
            // An indentless sequence (`-` in its mapping's key column) ends at any other token.
            let indentless = seq && open[left - 1] == (false, c);
            if c <= col && !indentless {
                break;
            }
            left -= 1;
        }
        Some(match open[left] {
            (true, _) => "did not find expected '-' indicator",
            (false, _) if left == open.len() - 1 && value_indicator_before(self.text, at) => {
                "did not find expected node content"
            }
            (false, _) => "did not find expected key",
        })
    }

    /// Where a block mapping's first key is: saphyr starts the mapping at its anchor or tag.
    fn first_key(&self, start: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = start;
        while matches!(bytes.get(i), Some(b'&' | b'!')) {
            while bytes.get(i).is_some_and(|b| !b.is_ascii_whitespace()) {
                i += 1;
            }
            while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                i += 1;
            }
        }
        i.min(self.text.len())
    }

    /// Where a block sequence's `-` is: saphyr starts the sequence at its first item.
    fn dash(&self, start: usize) -> usize {
        if self.text[start..].starts_with('-') {
            start
        } else {
            self.text[..start].rfind('-').unwrap_or(start)
        }
    }

    /// libyaml's parser error for a key of a flow mapping (`span`) whose `:` is on a later line
    /// or more than 1024 characters on: such a key is no simple key to go-yaml in flow context
    /// either (saphyr checks this in blocks only), so the `:` is a value with no key where the
    /// parser wants `,` or the end.
    fn flow_key_too_far(&self, span: Span) -> Option<YamlError> {
        let start_of = |f: &Frame| match f {
            Frame::Map { start, .. } | Frame::Seq { start, .. } => *start,
        };
        let (map, parent) = match self.frames.as_slice() {
            [.., parent, map] => (start_of(map), Some(start_of(parent))),
            [map] => (start_of(map), None),
            [] => return None,
        };
        let bytes = self.text.as_bytes();
        // A flow sequence holds single-pair mappings with no `{`.
        let message = match (bytes.get(map), parent.and_then(|p| bytes.get(p))) {
            (Some(b'{'), _) => "did not find expected ',' or '}'",
            (_, Some(b'[')) => "did not find expected ',' or ']'",
            _ => return None,
        };
        let mut colon = span.end;
        while let Some(&b) = bytes.get(colon) {
            match b {
                b' ' | b'\t' | b'\n' | b'\r' => colon += 1,
                b'#' => colon += self.text[colon..].find('\n').unwrap_or(0).max(1),
                _ => break,
            }
        }
        if bytes.get(colon) != Some(&b':') {
            return None;
        }
        let key = self.text.get(span.start..colon)?;
        let far = key.contains(['\n', '\r']) || key.chars().count() > 1024;
        far.then(|| YamlError::Syntax {
            message: message.into(),
            span: Span::new(self.file, colon, colon),
        })
    }

    /// Whether the innermost open collection is a block sequence as libyaml's parser reads it:
    /// one whose `-` sits in its mapping's key column (`x:\n- a`) is "indentless", which ends
    /// at any token but a `-`, so that the mapping's "did not find expected key" is the error.
    fn in_block_sequence(&self) -> bool {
        let column = |at: usize| at - self.text[..at].rfind('\n').map_or(0, |i| i + 1);
        match self.frames.as_slice() {
            [.., Frame::Map { start: m, .. }, Frame::Seq { start: s, .. }] => {
                column(*m) != column(self.dash(*s))
            }
            [.., Frame::Seq { .. }] => true,
            _ => false,
        }
    }

    /// libyaml's words and place for saphyr's errors on a tab in indentation (byte `at`): a tab
    /// starting a line of a block is no token ("found character that cannot start any token",
    /// at the tab); one in the indentation after a plain scalar "violates indentation" (at the
    /// tab of the first such line; saphyr points at the scalar).
    fn tab_error(&self, message: &str, at: usize) -> Option<YamlError> {
        let (problem, tab) = match message {
            "tabs disallowed within this context (block indentation)" => {
                let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
                let tab = line_start + self.text[line_start..at].find('\t')?;
                ("found character that cannot start any token", tab)
            }
            "while scanning a plain scalar, found a tab" => {
                let next_line = at + self.text[at..].find('\n')? + 1;
                let mut offset = next_line;
                let tab = self.text[next_line..]
                    .split_inclusive('\n')
                    .find_map(|line| {
                        let lead = line.len() - line.trim_start_matches([' ', '\t']).len();
                        let found = line[..lead].find('\t').map(|i| offset + i);
                        offset += line.len();
                        found
                    })?;
                ("found a tab character that violates indentation", tab)
            }
            _ => return None,
        };
        Some(YamlError::Syntax {
            message: problem.into(),
            span: Span::new(self.file, tab, tab),
        })
    }

    /// Builds from the events of [`crate::yaml_block`] (spans in bytes already).
    fn run_block(
        mut self,
        events: Vec<crate::yaml_block::Spanned<'_>>,
    ) -> Result<(YamlFile, usize), YamlError> {
        use crate::yaml_block::Event as B;
        if let Some(first) = events.first() {
            let at = Span::new(self.file, first.start, first.start);
            self.handle(Ev::DocumentStart, at)?;
        }
        for e in events {
            let span = Span::new(self.file, e.start, e.end);
            let ev = match e.event {
                B::Scalar(value, style) => Ev::Scalar(value, style, 0, None),
                B::MappingStart => Ev::MappingStart(0),
                B::SequenceStart => Ev::SequenceStart(0),
                B::MappingEnd | B::SequenceEnd => Ev::End,
            };
            self.handle(ev, span)?;
        }
        self.finish()
    }

    fn handle(&mut self, ev: Ev<'_>, span: Span) -> Result<(), YamlError> {
        match ev {
            Ev::DocumentStart => {
                if !self.out.documents.is_empty() {
                    self.out.document_starts.push(span);
                }
                if self.out.documents.len() >= self.limits.max_documents {
                    return Err(self.limit(
                        span,
                        format!("more than {} YAML documents", self.limits.max_documents),
                    ));
                }
            }
            Ev::Scalar(value, style, anchor, tag) => {
                let span = self.quoted_span(span, style);
                // Only a value with a `/` can have been written with `\/`: the check costs
                // nothing on the other quoted scalars of every manifest read back.
                if matches!(style, ScalarStyle::DoubleQuoted)
                    && value.contains('/')
                    && slash_escape(&self.text[span.start..span.end.min(self.text.len())])
                {
                    // YAML 1.2's `\/` is no escape to libyaml (go-yaml v2), which refuses it.
                    return Err(YamlError::Syntax {
                        message: "while parsing a quoted scalar, found unknown escape character"
                            .into(),
                        span: Span::new(span.file, span.start, span.start),
                    });
                }
                self.out.scalar_spans.push((span.start, span.end));
                let plain = matches!(style, ScalarStyle::Plain);
                let typed = || {
                    if plain {
                        resolve_plain(&value, tag.as_deref())
                    } else {
                        resolve_tagged(&value, tag.as_deref())
                    }
                };
                // A key is spelled as Helm's JSON step spells it (`1.0` is `1`, `.inf` a key).
                let is_key = matches!(self.frames.last(), Some(Frame::Map { pending: None, .. }));
                if is_key && let Some(err) = self.flow_key_too_far(span) {
                    return Err(err);
                }
                let (typed, anchored) = if is_key {
                    let key = match crate::yaml_key::key_string(&value, plain, tag.as_deref()) {
                        Ok(key) => key,
                        Err(message) if crate::yaml_key::is_null(&value, plain, tag.as_deref()) => {
                            // An empty plain key where the `:` is: go-yaml's parser refuses it.
                            let at = span.start.min(self.text.len());
                            let explicit = self.text[..at].trim_end().ends_with('?');
                            if plain
                                && value.is_empty()
                                && !explicit
                                && self.text[at..].starts_with(':')
                            {
                                return Err(YamlError::Key {
                                    message,
                                    span,
                                    problem: KeyProblem::Empty,
                                });
                            }
                            if self.null_key.is_none()
                                && let Some(Frame::Map { start, .. }) = self.frames.last()
                            {
                                self.null_key = Some((message, span, *start, None));
                            }
                            NULL_KEY.to_string()
                        }
                        Err(message) => return Err(YamlError::Unsupported { message, span }),
                    };
                    // An alias of an anchored key is the scalar a value would be (typed only
                    // then: most keys are never aliased).
                    (
                        Value::Str(key),
                        (anchor > 0).then(typed).and_then(Result::ok),
                    )
                } else {
                    let typed =
                        typed().map_err(|message| YamlError::Unsupported { message, span })?;
                    (typed, None)
                };
                let is_merge_key =
                    matches!(style, ScalarStyle::Plain) && value == "<<" && tag.is_none();
                self.count(1, span)?;
                let node = Node::new(typed, self.origin(span));
                if anchor > 0 {
                    self.out.anchored = true;
                    let anchored = anchored.map(|v| Node::new(v, self.origin(span)));
                    self.anchors
                        .insert(anchor, anchored.unwrap_or_else(|| node.clone()));
                }
                self.push(node, span, is_merge_key)?;
            }
            Ev::Alias(id) => {
                let Some(size) = self.anchors.get(&id).map(node_count) else {
                    return Err(YamlError::Syntax {
                        message: "alias to an unknown anchor".into(),
                        span,
                    });
                };
                self.count(size, span)?;
                let mut node = self.anchors[&id].clone();
                node.origin = self.origin(span);
                self.push(node, span, false)?;
            }
            Ev::MappingStart(anchor) => {
                self.open(span)?;
                let key_origin = self.pending_key_span();
                self.frames.push(Frame::Map {
                    map: Map::new(),
                    start: span.start,
                    anchor,
                    pending: None,
                    key_origin,
                    merged: Vec::new(),
                });
            }
            Ev::SequenceStart(anchor) => {
                self.open(span)?;
                let key_origin = self.pending_key_span();
                self.frames.push(Frame::Seq {
                    items: Vec::new(),
                    start: span.start,
                    anchor,
                    key_origin,
                });
            }
            Ev::End => self.close(span)?,
        }
        Ok(())
    }

    fn limit(&self, span: Span, message: String) -> YamlError {
        YamlError::Limit { message, span }
    }

    fn count(&mut self, n: usize, span: Span) -> Result<(), YamlError> {
        self.nodes = self.nodes.saturating_add(n);
        if self.nodes > self.limits.max_nodes {
            return Err(self.limit(
                span,
                format!(
                    "the file expands to more than {} values (an alias bomb?)",
                    self.limits.max_nodes
                ),
            ));
        }
        if self.nodes > self.run_left {
            return Err(self.limit(
                span,
                format!(
                    "the inputs of this run expand to more than {} values in all (values files, chart values and --set together, aliases expanded)",
                    self.run_max
                ),
            ));
        }
        Ok(())
    }

    fn open(&mut self, span: Span) -> Result<(), YamlError> {
        if self.frames.len() >= self.limits.max_depth {
            return Err(self.limit(
                span,
                format!("nesting deeper than {} levels", self.limits.max_depth),
            ));
        }
        self.count(1, span)
    }

    fn pending_key_span(&self) -> Option<Span> {
        match self.frames.last() {
            Some(Frame::Map {
                pending: Some((_, s)),
                ..
            }) => Some(*s),
            _ => None,
        }
    }

    fn origin(&self, value: Span) -> Origin {
        Origin::File {
            key: self.pending_key_span(),
            value,
        }
    }

    fn close(&mut self, end: Span) -> Result<(), YamlError> {
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        let (value, start, anchor, key) = match frame {
            Frame::Map {
                map,
                start,
                anchor,
                key_origin,
                ..
            } => (Value::Map(map), start, anchor, key_origin),
            Frame::Seq {
                items,
                start,
                anchor,
                key_origin,
            } => (Value::Seq(items), start, anchor, key_origin),
        };
        let span = Span::new(self.file, start, end.end.max(start));
        let value = match value {
            Value::Map(m) if !m.is_empty() => {
                self.count(crate::budget::MAP_EXTRA, span)?;
                Value::Map(m)
            }
            // Growing by doubling leaves up to half of a list's room unused.
            Value::Seq(mut items) => {
                items.shrink_to_fit();
                Value::Seq(items)
            }
            other => other,
        };
        let node = Node::new(value, Origin::File { key, value: span });
        if anchor > 0 {
            self.out.anchored = true;
            // NOTE: the copy kept for aliases costs as much as the collection: nested anchors
            // would otherwise copy the same large subtree once per level.
            self.count(node_count(&node), span)?;
            self.anchors.insert(anchor, node.clone());
        }
        self.push(node, span, false)
    }

    fn push(&mut self, node: Node, span: Span, is_merge_key: bool) -> Result<(), YamlError> {
        let Some((frame, parents)) = self.frames.split_last_mut() else {
            self.out.documents.push(node);
            return Ok(());
        };
        match frame {
            Frame::Seq { items, .. } => items.push(node),
            Frame::Map {
                map,
                pending,
                merged,
                start,
                ..
            } => match pending.take() {
                None => {
                    let key = match node.value {
                        // Most keys: the text itself, not copied again.
                        Value::Str(key) => key,
                        _ => key_string(&node.value).ok_or_else(|| YamlError::Key {
                            message: "a map or list used as a key: Helm cannot read this".into(),
                            span,
                            problem: KeyProblem::Complex {
                                key: Box::new(node.clone()),
                            },
                        })?,
                    };
                    let key = if is_merge_key {
                        MERGE_KEY.to_string()
                    } else {
                        key
                    };
                    *pending = Some((key, span));
                    return Ok(());
                }
                Some((key, key_span)) => {
                    // NOTE: go-yaml stores every null key of a map under the one nil key, so
                    // the value the JSON step names is the last one the map read.
                    if let Some((_, _, map_start, value)) = &mut self.null_key
                        && *map_start == *start
                        && key == NULL_KEY
                    {
                        *value = Some(Box::new(node.clone()));
                    }
                    if key == MERGE_KEY {
                        if let Value::Map(m) = &node.value {
                            merged.extend(m.keys().cloned());
                        } else if let Value::Seq(items) = &node.value {
                            merged.extend(
                                items
                                    .iter()
                                    .filter_map(Node::as_map)
                                    .flat_map(|m| m.keys().cloned()),
                            );
                        }
                        merge_into(map, node, span)?;
                    } else if let Some(i) = merged.iter().position(|k| *k == key) {
                        merged.swap_remove(i);
                        map.insert(key, node);
                    } else if let Some(old) = map.get(&key) {
                        let dropped = old.origin.user_span().unwrap_or(key_span);
                        // Each report copies its whole key path: keep a bounded number of them.
                        if self.out.duplicates.len() < MAX_DUPLICATES {
                            let mut path = path_to(parents);
                            path.push(key.clone());
                            self.out.duplicates.push(Duplicate {
                                path,
                                dropped,
                                kept: key_span,
                            });
                        }
                        map.insert(key, node);
                    } else {
                        map.insert(key, node);
                    }
                }
            },
        }
        Ok(())
    }
}

/// The key path to a collection from the collections open around it, outermost first: the key
/// a mapping is reading the value of, the index a sequence is at. Built only for a duplicate
/// report (was kept up to date for every collection read, a string each).
fn path_to(parents: &[Frame]) -> Vec<String> {
    parents
        .iter()
        .filter_map(|f| match f {
            Frame::Map {
                pending: Some((k, _)),
                ..
            } => Some(k.clone()),
            Frame::Map { .. } => None,
            Frame::Seq { items, .. } => Some(format!("[{}]", items.len())),
        })
        .collect()
}

/// Most duplicate keys recorded in [`YamlFile::duplicates`]; later ones are merged the same way
/// but not reported.
pub(crate) const MAX_DUPLICATES: usize = 1_000;

/// saphyr's own nesting limit, reported as ours when the parser hits it first.
const PARSER_MAX_DEPTH: usize = 256;

/// Internal marker for a `<<` merge key (a plain `<<` scalar).
const MERGE_KEY: &str = "\u{0}<<";

/// Applies a `<<` value to `map` the way go-yaml v2 does: in document order, so keys that come
/// later in the mapping override merged ones.
fn merge_into(map: &mut Map, node: Node, span: Span) -> Result<(), YamlError> {
    match node.value {
        Value::Map(m) => {
            map.extend(m);
            Ok(())
        }
        Value::Seq(items) => {
            // Earlier maps in the list take precedence: apply them last.
            for item in items.into_iter().rev() {
                match item.value {
                    Value::Map(m) => map.extend(m),
                    _ => return Err(merge_error(span)),
                }
            }
            Ok(())
        }
        _ => Err(merge_error(span)),
    }
}

fn merge_error(span: Span) -> YamlError {
    YamlError::Unsupported {
        message: "a `<<` merge key needs a map or a list of maps".into(),
        span,
    }
}

fn node_count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Map(m) if !m.is_empty() => {
            crate::budget::MAP_EXTRA + m.values().map(node_count).sum::<usize>()
        }
        Value::Map(_) => 0,
        Value::Seq(s) => s.iter().map(node_count).sum(),
        _ => 0,
    }
}

/// The string a key becomes after Helm's YAML→JSON step.
fn key_string(v: &Value) -> Option<String> {
    match v {
        Value::Map(_) | Value::Seq(_) => None,
        Value::Null => Some("null".into()),
        other => other.render(),
    }
}

/// go-yaml v2's `resolve` for a plain scalar, then JSON's float64.
pub(crate) fn resolve_plain(s: &str, tag: Option<&str>) -> Result<Value, String> {
    if let Some(tag) = tag {
        return resolve_tagged(s, Some(tag));
    }
    let v = match s {
        "" | "~" | "null" | "Null" | "NULL" => Value::Null,
        "y" | "Y" | "yes" | "Yes" | "YES" | "true" | "True" | "TRUE" | "on" | "On" | "ON" => {
            Value::Bool(true)
        }
        "n" | "N" | "no" | "No" | "NO" | "false" | "False" | "FALSE" | "off" | "Off" | "OFF" => {
            Value::Bool(false)
        }
        ".nan" | ".NaN" | ".NAN" | ".inf" | ".Inf" | ".INF" | "+.inf" | "+.Inf" | "+.INF"
        | "-.inf" | "-.Inf" | "-.INF" => {
            return Err(format!(
                "`{s}` is a YAML special float that Helm cannot convert to JSON; quote it"
            ));
        }
        _ => match s.as_bytes()[0] {
            b'.' => go_parse_float(s)
                .filter(|_| is_float_form(s))
                .map_or_else(|| Value::Str(s.into()), Value::Float),
            b'+' | b'-' | b'0'..=b'9' => number(s).unwrap_or_else(|| Value::Str(s.into())),
            _ => Value::Str(s.into()),
        },
    };
    Ok(v)
}

/// A quoted or block scalar, or one with an explicit tag. go-yaml v2 resolves a scalar tagged
/// `!!null`, `!!bool`, `!!int` or `!!float` as it would a plain one and fails when that gives
/// another type (an integer may become a float); `!!timestamp` keeps a timestamp's text and
/// fails on anything else; `!!binary` is base64; any other tag leaves the text.
fn resolve_tagged(s: &str, tag: Option<&str>) -> Result<Value, String> {
    let Some(tag) = tag else {
        return Ok(Value::Str(s.into()));
    };
    let short = tag
        .trim_start_matches("tag:yaml.org,2002:")
        .trim_start_matches("!!");
    match short {
        "null" | "bool" | "int" | "float" => {
            let (resolved, value) = plain_resolution(s)?;
            if resolved == short || (short == "float" && resolved == "int") {
                Ok(value)
            } else {
                Err(format!(
                    "cannot decode !!{resolved} `{s}` as a !!{short}: Helm refuses the file"
                ))
            }
        }
        // A timestamp stays its text; anything else is refused, named by what it resolves to.
        "timestamp" if crate::yaml_key::go_yaml_timestamp(s) => Ok(Value::Str(s.into())),
        "timestamp" => Err(format!(
            "cannot decode !!{} `{s}` as a !!timestamp: Helm refuses the file",
            plain_resolution(s)?.0
        )),
        "binary" => base64_text(s).ok_or_else(|| {
            "!!binary value contains invalid base64 data: Helm refuses the file".into()
        }),
        _ => Ok(Value::Str(s.into())),
    }
}

/// What go-yaml v2 makes of `s` as a plain scalar with a tag that rules out timestamps: the
/// resolved type's name and the value.
fn plain_resolution(s: &str) -> Result<(&'static str, Value), String> {
    let value = match s.as_bytes().first() {
        // The timestamp-looking text a plain scalar keeps is not tried as one under a tag.
        Some(b'0'..=b'9') if looks_like_timestamp(s) => Value::Str(s.into()),
        _ => resolve_plain(s, None)?,
    };
    let resolved = match &value {
        Value::Null => "null",
        Value::Bool(_) => "bool",
        Value::Str(_) => "str",
        Value::Float(_) => {
            let plain: String = s.chars().filter(|&c| c != '_').collect();
            if go_parse_int(&plain).is_some() {
                "int"
            } else {
                "float"
            }
        }
        _ => "str",
    };
    Ok((resolved, value))
}

/// Go's `strconv.ParseInt(s, 0, 64)` / `ParseUint` / `ParseFloat` chain on the scalar with `_`
/// removed, as go-yaml v2 tries them.
fn number(s: &str) -> Option<Value> {
    if looks_like_timestamp(s) {
        // go-yaml v2 keeps timestamps as their text when decoding into interface{}.
        return None;
    }
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    if let Some(i) = go_parse_int(&plain) {
        return Some(Value::Float(i));
    }
    if is_float_form(&plain) {
        return go_parse_float(&plain).map(Value::Float);
    }
    None
}

/// `strconv.ParseFloat(s, 64)` where it succeeds: a number too large for a float64 is Go's
/// range error (Rust says infinity), so go-yaml keeps the scalar as a string (`1e400`).
fn go_parse_float(s: &str) -> Option<f64> {
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// `strconv.ParseInt(s, 0, 64)` falling back to `ParseUint`, as a float64.
fn go_parse_int(s: &str) -> Option<f64> {
    go_parse_integer(s).map(|i| i as f64)
}

/// The integer go-yaml v2 reads from the plain scalar `s` (`_` removed, then `ParseInt(s, 0,
/// 64)` falling back to `ParseUint`), exactly; `None` when it is no integer.
pub(crate) fn go_yaml_integer(s: &str) -> Option<i128> {
    let plain: String = s.chars().filter(|&c| c != '_').collect();
    go_parse_integer(&plain)
}

/// libyaml's scanner on a block scalar's header, the text after its `|` or `>` on that line:
/// its error, or `None` when it reads (an indentation digit 1–9 and a chomping `+`/`-` in
/// either order, blanks, an optional comment).
fn block_scalar_header(rest: &str) -> Option<&'static str> {
    let b = rest.as_bytes();
    let chomp = |i: usize| usize::from(matches!(b.get(i), Some(b'+' | b'-')));
    let digit = |i: usize| usize::from(b.get(i).is_some_and(u8::is_ascii_digit));
    let first_chomp = chomp(0);
    let d = digit(first_chomp);
    if d == 1 && b[first_chomp] == b'0' {
        return Some("found an indentation indicator equal to 0");
    }
    let mut i = first_chomp + d;
    if first_chomp == 0 {
        i += chomp(i);
    }
    let tail = rest[i..].trim_start_matches([' ', '\t']);
    (!tail.is_empty() && !tail.starts_with('#'))
        .then_some("did not find expected comment or line break")
}

/// Both readings of `text`, for tests: [`crate::yaml_block`]'s (when it reads the text) and
/// saphyr's.
/// A line that is an empty flow collection (`{}`, `[ ]`), then at most blanks and a comment.
fn empty_flow_line(body: &str) -> bool {
    let close = match body.as_bytes().first() {
        Some(b'{') => '}',
        Some(b'[') => ']',
        _ => return false,
    };
    let inner = body[1..].trim_start_matches([' ', '\t']);
    let Some(after) = inner.strip_prefix(close) else {
        return false;
    };
    let after = after.trim_start_matches([' ', '\t']);
    after.is_empty() || after.starts_with(['\n', '\r', '#'])
}

#[cfg(test)]
pub(crate) fn both_readings(
    text: &str,
) -> (
    Option<Result<YamlFile, YamlError>>,
    Result<YamlFile, YamlError>,
) {
    let limits = Limits::default();
    let fast = crate::yaml_block::events(text).map(|e| {
        Builder::new(FileId(0), text, &limits)
            .run_block(e)
            .map(|(f, _)| f)
    });
    let slow = run_saphyr(text, || Builder::new(FileId(0), text, &limits)).map(|(f, _)| f);
    (fast, slow)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(s: &str) -> Value {
        resolve_plain(s, None).unwrap()
    }

    #[test]
    fn yaml11_booleans_and_nulls() {
        for t in ["yes", "Yes", "YES", "on", "ON", "y", "Y", "true", "True"] {
            assert_eq!(typed(t), Value::Bool(true), "{t}");
        }
        for f in ["no", "No", "off", "Off", "n", "N", "false", "FALSE"] {
            assert_eq!(typed(f), Value::Bool(false), "{f}");
        }
        for n in ["", "~", "null", "Null", "NULL"] {
            assert_eq!(typed(n), Value::Null, "{n}");
        }
        assert_eq!(typed("yES"), Value::Str("yES".into()));
    }

    #[test]
    fn numbers_become_float64() {
        let cases = [
            ("4.10", "4.1"),
            ("1.0", "1"),
            ("2.30", "2.3"),
            ("20210214", "2.0210214e+07"),
            ("1e3", "1000"),
            ("0x1F", "31"),
            ("017", "15"),
            ("08", "8"),
            ("0o17", "15"),
            ("0b101", "5"),
            ("1_000", "1000"),
            (".5", "0.5"),
            ("-1", "-1"),
            ("+7", "7"),
            ("1234567", "1.234567e+06"),
            // Helm 3.17.3: `-0` is the integer 0; a float too small for float64 is 0.
            ("-0", "0"),
            ("1e-400", "0"),
        ];
        for (src, want) in cases {
            assert_eq!(typed(src).render().unwrap(), want, "{src}");
        }
    }

    /// go-yaml v2 resolves a tagged scalar as a plain one and refuses another type; every
    /// expectation from Helm 3.17.3 (`helm template` of a values file with the scalar).
    #[test]
    fn tagged_scalars_resolve_or_fail_as_in_go_yaml() {
        let tagged = |s: &str, tag: &str| resolve_tagged(s, Some(tag));
        assert_eq!(tagged("1", "!!float").unwrap().render().unwrap(), "1");
        assert_eq!(tagged("0x1F", "!!int").unwrap().render().unwrap(), "31");
        assert_eq!(
            tagged("12", "tag:yaml.org,2002:int")
                .unwrap()
                .render()
                .unwrap(),
            "12"
        );
        assert_eq!(tagged("off", "!!bool").unwrap(), Value::Bool(false));
        assert_eq!(tagged("", "!!null").unwrap(), Value::Null);
        assert_eq!(tagged("1", "!!str").unwrap(), Value::Str("1".into()));
        assert_eq!(tagged("x", "!!foo").unwrap(), Value::Str("x".into()));
        assert_eq!(
            tagged("2001-1-2t1:2:3Z", "!!timestamp").unwrap(),
            Value::Str("2001-1-2t1:2:3Z".into())
        );
        assert_eq!(
            tagged("aGVs\nbG8=", "!!binary").unwrap(),
            Value::Str("hello".into())
        );
        for (text, tag, want) in [
            (
                "1e400",
                "!!float",
                "cannot decode !!str `1e400` as a !!float",
            ),
            ("1.5", "!!int", "cannot decode !!float `1.5` as a !!int"),
            ("1", "!!bool", "cannot decode !!int `1` as a !!bool"),
            ("yes", "!!int", "cannot decode !!bool `yes` as a !!int"),
            ("x", "!!null", "cannot decode !!str `x` as a !!null"),
            ("~", "!!int", "cannot decode !!null `~` as a !!int"),
            (
                "2001-12-14",
                "!!int",
                "cannot decode !!str `2001-12-14` as a !!int",
            ),
            (
                "x",
                "!!timestamp",
                "cannot decode !!str `x` as a !!timestamp",
            ),
            (
                "12",
                "!!timestamp",
                "cannot decode !!int `12` as a !!timestamp",
            ),
            (
                "aGk",
                "!!binary",
                "!!binary value contains invalid base64 data",
            ),
        ] {
            let e = tagged(text, tag).unwrap_err();
            assert!(e.starts_with(want), "{text} {tag}: {e}");
        }
    }

    #[test]
    fn strings_stay_strings() {
        for s in [
            "4.4.0",
            "v1.2.1",
            "2021-02-14",
            "1.0.2",
            "latest",
            "0x",
            "1e",
            "RELEASE.2021",
            // Too large for a float64: Go's ParseFloat fails, go-yaml keeps the text (Helm
            // 3.17.3 prints `"1e400"` in `toJson .Values`).
            "1e400",
            "-1e400",
            "1.8e308",
            ".5e999",
        ] {
            assert_eq!(typed(s), Value::Str(s.into()), "{s}");
        }
    }

    fn load_str(s: &str) -> YamlFile {
        load(FileId(0), s, &Limits::default()).unwrap()
    }

    #[test]
    fn go_yaml_breaks_marks_keys_and_tabs() {
        let problem = |s: &str| {
            let e = load(FileId(0), s, &Limits::default()).unwrap_err();
            (e.to_string(), e.span().start)
        };
        let doc = load_str("a: 1\u{85}b: \"x\u{2028}y\"\nc: x\u{feff}y\n");
        let text = |k: &str| doc.documents[0].get_path(&[k]).map(|n| n.value.clone());
        assert_eq!(text("b"), Some(Value::Str("x\u{2028}y".into())));
        assert_eq!(text("c"), Some(Value::Str("x\u{feff}y".into())));
        let (message, at) = problem("{a\n b: 1}\n");
        assert!(
            message.contains("did not find expected ',' or '}'"),
            "{message}"
        );
        assert_eq!(at, 5);
        let (message, at) = problem("a:\n-\tx\n");
        assert!(message.contains("found character that cannot start any token"));
        assert_eq!(at, 4);
        let (message, _) = problem("\"a\n b\": 1\n");
        assert!(message.contains("mapping values are not allowed in this context"));
    }

    #[test]
    fn quoted_scalars_are_strings_and_spans_point_at_them() {
        let f = load_str("a:\n  tag: \"4.10\"\n  num: 4.10\n  n: x\n");
        let doc = &f.documents[0];
        let tag = doc.get_path(&["a", "tag"]).unwrap();
        assert_eq!(tag.value, Value::Str("4.10".into()));
        match &tag.origin {
            Origin::File { key, value } => {
                assert_eq!(key.unwrap().start, 5);
                assert_eq!(value.start, 10);
            }
            o => panic!("{o:?}"),
        }
        assert_eq!(
            doc.get_path(&["a", "num"]).unwrap().value,
            Value::Float(4.1)
        );
        // A plain `n` key is the boolean false, which JSON turns into the key "false".
        assert!(doc.get_path(&["a", "false"]).is_some());
    }

    #[test]
    fn anchors_aliases_and_merge_keys() {
        let f = load_str(
            "base: &b\n  registry: r.example.com\n  tag: x\nimg:\n  <<: *b\n  tag: z\nother: *b\n",
        );
        let doc = &f.documents[0];
        assert_eq!(
            doc.get_path(&["img", "registry"]).unwrap().value,
            Value::Str("r.example.com".into())
        );
        assert_eq!(
            doc.get_path(&["img", "tag"]).unwrap().value,
            Value::Str("z".into())
        );
        assert_eq!(
            doc.get_path(&["other", "tag"]).unwrap().value,
            Value::Str("x".into())
        );
    }

    #[test]
    fn duplicate_keys_last_wins_and_are_recorded() {
        let f = load_str("a:\n  b: 1\n  b: 2\n");
        assert_eq!(
            f.documents[0].get_path(&["a", "b"]).unwrap().value,
            Value::Float(2.0)
        );
        assert_eq!(f.duplicates.len(), 1);
        assert_eq!(f.duplicates[0].path, vec!["a", "b"]);
        assert_eq!(f.duplicates[0].dropped.start, 5);
    }

    #[test]
    fn overriding_a_merged_key_is_no_duplicate() {
        let f = load_str("base: &b {tag: x}\nimg:\n  <<: *b\n  tag: z\n");
        assert!(f.duplicates.is_empty(), "{:?}", f.duplicates);
        assert_eq!(
            f.documents[0].get_path(&["img", "tag"]).unwrap().value,
            Value::Str("z".into())
        );
    }

    #[test]
    fn standard_tags_type_the_scalar() {
        // go-yaml: `!!int "2"` is the number 2, `!!str 1` the string "1".
        let f = load_str("a: !!int \"2\"\nb: !!float 3\nc: !!str 1\nd: !custom x\n");
        let doc = &f.documents[0];
        assert_eq!(doc.get_path(&["a"]).unwrap().value, Value::Float(2.0));
        assert_eq!(doc.get_path(&["b"]).unwrap().value, Value::Float(3.0));
        assert_eq!(doc.get_path(&["c"]).unwrap().value, Value::Str("1".into()));
        assert_eq!(doc.get_path(&["d"]).unwrap().value, Value::Str("x".into()));
    }

    #[test]
    fn multiple_documents_are_kept_in_order() {
        let f = load_str("a: 1\n---\na: 2\n");
        assert_eq!(f.documents.len(), 2);
        assert_eq!(f.document_starts.len(), 1);
    }

    #[test]
    fn alias_bombs_are_rejected() {
        let mut s = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
        for i in 1..10 {
            let p = i - 1;
            s.push_str(&format!(
                "a{i}: &a{i} [*a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}, *a{p}]\n"
            ));
        }
        let err = load(FileId(0), &s, &Limits::default()).unwrap_err();
        assert!(matches!(err, YamlError::Limit { .. }), "{err:?}");
    }

    #[test]
    fn copies_kept_for_anchors_count_against_the_budget() {
        // 150 nested anchors would each keep a copy of the same 10,000 items.
        let mut s = String::from("a: ");
        for i in 0..150 {
            s.push_str(&format!("&n{i} ["));
        }
        s.push_str(&"x, ".repeat(10_000));
        s.push_str(&"]".repeat(150));
        let limits = Limits {
            max_nodes: 500_000,
            ..Limits::default()
        };
        let err = load(FileId(0), &s, &limits).unwrap_err();
        assert!(matches!(err, YamlError::Limit { .. }), "{err:?}");
        // One anchor on the same list is fine.
        let one = format!("a: &n [{}]\nb: *n\n", "x, ".repeat(10_000));
        assert!(load(FileId(0), &one, &limits).is_ok());
    }

    #[test]
    fn duplicate_reports_are_bounded() {
        let s = format!("a:\n{}", "  b: 1\n".repeat(MAX_DUPLICATES + 50));
        let f = load_str(&s);
        assert_eq!(f.duplicates.len(), MAX_DUPLICATES);
    }

    #[test]
    fn deep_nesting_is_rejected() {
        let s = "[".repeat(20_000);
        let err = load(FileId(0), &s, &Limits::default()).unwrap_err();
        assert!(matches!(err, YamlError::Limit { .. }), "{err:?}");
    }

    /// A loaded value as JSON (floats as integers: the cases hold none).
    fn js(v: &Value) -> serde_json::Value {
        match v {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => (*b).into(),
            Value::Int(i) => (*i).into(),
            Value::Float(f) => (*f as i64).into(),
            Value::Str(s) => s.as_str().into(),
            Value::Seq(items) => items.iter().map(|n| js(&n.value)).collect(),
            Value::Map(m) => m.iter().map(|(k, n)| (k.clone(), js(&n.value))).collect(),
        }
    }

    #[test]
    fn quoted_continuation_lines_left_of_their_block_are_read_as_go_yaml_reads_them() {
        // Helm 3.17.3, `toJson .Values` of each file: {"a":{"b":"first second","c":1}},
        // {"a":{"b":"first\nsecond","c":1}}, {"a":{"b":"firstsecond"}}, {"a":{"b":["x y"]}},
        // {"a":{"b":"x y"}}; a document marker inside the scalar fails ("found unexpected
        // document indicator").
        let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
        assert_eq!(
            json("a:\n  b: \"first\nsecond\"\n  c: 1\n"),
            r#"{"a":{"b":"first second","c":1}}"#
        );
        assert_eq!(
            json("a:\n  b: 'first\n\n second'\n  c: 1\n"),
            r#"{"a":{"b":"first\nsecond","c":1}}"#
        );
        assert_eq!(
            json("a:\n  b: \"first\\\n  second\"\n"),
            r#"{"a":{"b":"firstsecond"}}"#
        );
        assert_eq!(
            json("a:\n  b:\n    - \"x\n y\"\n"),
            r#"{"a":{"b":["x y"]}}"#
        );
        assert_eq!(json("a:\n  b: \"x\n\ty\"\n"), r#"{"a":{"b":"x y"}}"#);
        // libyaml's escapes, not YAML 1.2's (Helm 3.17.3 and 4.1.4, values files and fromYaml):
        // `\'` is an apostrophe, on one line or several; `\/` is refused where it stands.
        assert_eq!(json("a: \"it\\'s\"\n"), r#"{"a":"it's"}"#);
        assert_eq!(
            json("a:\n  b: \"x\n\\'y\\' \\\\'\"\n"),
            r#"{"a":{"b":"x 'y' \\'"}}"#
        );
        for text in ["a: \"a\\/b\"\n", "a:\n  b: \"x\ny\\/\"\n"] {
            match load(FileId(0), text, &Limits::default()) {
                Err(YamlError::Syntax { message, span }) => {
                    assert!(
                        message.ends_with("found unknown escape character"),
                        "{message}"
                    );
                    assert_eq!(&text[span.start..span.start + 1], "\"");
                }
                other => panic!("{text:?}: {other:?}"),
            }
        }
        // Any number of them in one document (litmus-agent's CRD holds over 100; Helm reads
        // 300 as it reads one), quoted scalars and flow collections alike.
        let many: String = (0..300)
            .map(|i| format!("  k{i}: 'x\ny'\n  f{i}: [1,\n2]\n"))
            .collect();
        let read = load_str(&format!("a:\n{many}"));
        let a = read.documents[0].get_path(&["a"]).and_then(Node::as_map);
        assert_eq!(a.map(|m| m.len()), Some(600));
        assert_eq!(
            js(&read.documents[0].get_path(&["a", "k299"]).unwrap().value).to_string(),
            r#""x y""#
        );
        assert!(
            load(
                FileId(0),
                "a:\n  b: \"first\n---\nsecond\"\n",
                &Limits::default()
            )
            .is_err()
        );
        // Spans still point into the text as written.
        let f = load_str("é:\n  b: \"x\ny\"\n  c: 1\n");
        match &f.documents[0]
            .get_path(&["é", "c"])
            .map(|n| n.origin.clone())
        {
            Some(Origin::File { value, .. }) => assert_eq!(value.start, 20),
            o => panic!("{o:?}"),
        }
    }

    #[test]
    fn flow_collection_lines_left_of_their_block_are_read_as_go_yaml_reads_them() {
        // Helm 3.17.3, `toJson .Values` of each file (the first is bitnami/chainloop's
        // values.yaml); a document marker inside the collection fails ("did not find expected
        // node content").
        let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
        let cases = [
            (
                "vault:\n  server:\n    args: [\n      \"server\",\n      \"-dev\"\n    ]\n    x: 1\n",
                r#"{"vault":{"server":{"args":["server","-dev"],"x":1}}}"#,
            ),
            ("a: [\n1]\n", r#"{"a":[1]}"#),
            ("a:\n  b: {\n  c: 1\n  }\n", r#"{"a":{"b":{"c":1}}}"#),
            (
                "a:\n  b: [[\n1,\n2],\n[3]\n]\nc: 1\n",
                r#"{"a":{"b":[[1,2],[3]]},"c":1}"#,
            ),
            ("a:\n  b: [x\ny, z]\n", r#"{"a":{"b":["x y","z"]}}"#),
            ("a:\n  b: [ # ]\n1 ]\n", r#"{"a":{"b":[1]}}"#),
            ("a:\n  b: [it's,\n'q]'\n]\n", r#"{"a":{"b":["it's","q]"]}}"#),
        ];
        for (text, want) in cases {
            assert_eq!(json(text), want, "{text:?}");
        }
        assert!(load(FileId(0), "a: [\n---\n1]\n", &Limits::default()).is_err());
    }

    #[test]
    fn text_after_the_first_root_node_is_no_error_as_go_yaml_never_reads_it() {
        // Helm 3.17.3 and 4.1.4: values.yaml `{"a":1}\n{"b":2}` is {"a":1}; a manifest
        // `{"kind":"ConfigMap"}\n{"b":2}` renders; `"str"\nfoo` is the string `str`.
        let json = |t: &str| js(&load_str(t).documents[0].value).to_string();
        assert_eq!(json("{\"a\":1}\n{\"b\":2}\n"), r#"{"a":1}"#);
        assert_eq!(json("\"str\"\nfoo\n"), r#""str""#);
        // Inside the root, or before it, an error stays one.
        for text in ["{\"a\":1\n{\"b\":2}\n", "a: 1\n[x\n", "]\n"] {
            assert!(
                load(FileId(0), text, &Limits::default()).is_err(),
                "{text:?}"
            );
        }
    }

    #[test]
    fn syntax_errors_have_a_position() {
        let err = load(FileId(0), "a: [1, 2\nb: 3\n", &Limits::default()).unwrap_err();
        assert!(matches!(err, YamlError::Syntax { .. }), "{err:?}");
    }

    #[test]
    fn non_ascii_offsets_are_bytes() {
        let f = load_str("é: x\nb: y\n");
        match &f.documents[0].get_path(&["b"]).unwrap().origin {
            Origin::File { value, .. } => assert_eq!(value.start, 9),
            o => panic!("{o:?}"),
        }
    }
}

/// The block reader checked against saphyr on real files: both readings must agree.
#[cfg(test)]
#[path = "yaml/block_tests.rs"]
mod block_tests;

/// The key a null key is held under while the rest of the document is read (the document is
/// refused at its end; see [`Builder::finish`]).
const NULL_KEY: &str = "\u{0}null key";
