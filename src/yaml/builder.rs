//! The tree builder: reads events one at a time, keeps the collections open around the current
//! node ([`Frame`]), types each scalar (see `resolve`), records spans, anchors and aliases, and
//! charges every value to the file's and the run's budgets. Placing a finished node in its parent
//! is in `tree`; go-yaml's error wording in `go_yaml_errors`.

use std::collections::HashMap;

use saphyr_parser::{ScalarStyle, Span as YSpan};

use super::events::Ev;
use super::resolve::{resolve_plain, resolve_tagged};
use super::tree::node_count;
use super::{KeyProblem, Limits, YamlError, YamlFile};
use crate::source::{FileId, Span};
use crate::value::{Map, Node, Origin, Value};

pub(super) enum Frame {
    Map {
        map: Map,
        start: usize,
        /// A flow mapping (`{`), not a block one.
        flow: bool,
        anchor: usize,
        pending: Option<(String, Span)>,
        key_origin: Option<Span>,
        /// Keys that came in through `<<`: overriding them is the point, not a duplicate.
        merged: Vec<String>,
    },
    Seq {
        items: Vec<Node>,
        start: usize,
        /// A flow sequence (`[`), not a block one.
        flow: bool,
        anchor: usize,
        key_origin: Option<Span>,
    },
}

impl Frame {
    /// Where the collection starts (at its anchor or tag, when it has one).
    pub(super) fn start(&self) -> usize {
        match self {
            Frame::Map { start, .. } | Frame::Seq { start, .. } => *start,
        }
    }

    /// Its anchor's id (0: none).
    pub(super) fn anchor(&self) -> usize {
        match self {
            Frame::Map { anchor, .. } | Frame::Seq { anchor, .. } => *anchor,
        }
    }
}

pub(super) struct Builder<'a> {
    pub(super) file: FileId,
    pub(super) text: &'a str,
    pub(super) limits: &'a Limits,
    /// char index → byte offset, only for non-ASCII texts.
    pub(super) char_to_byte: Option<Vec<usize>>,
    /// The text as written when `text` is its rewriting for saphyr (see [`crate::yaml_breaks`]),
    /// and the character standing for its byte-order marks.
    pub(super) original: Option<(&'a str, Option<char>)>,
    pub(super) frames: Vec<Frame>,
    pub(super) anchors: HashMap<usize, Node>,
    pub(super) nodes: usize,
    /// Nodes the run's budget still allows this text, and the run's limit (see [`crate::budget`]).
    pub(super) run_left: usize,
    pub(super) run_max: usize,
    pub(super) out: YamlFile,
    /// The first key the JSON step has no spelling for (a null key, an integer only a uint64
    /// holds): Helm's reader fails on it only after the whole document parsed and decoded, so a
    /// syntax or decoding error after it is the one reported.
    pub(super) bad_key: Option<BadKey>,
    /// Leave special floats (`out.special_floats`) to the caller (see [`super::load_decoded`]):
    /// else the JSON step refuses the first one left in the decoded document, in JSON's order
    /// (a later duplicate key or merge may have dropped it; see [`Builder::finish`]).
    pub(super) keep_special_floats: bool,
    /// The first error go-yaml's decoder meets, in document order: a map or list as a key, a
    /// `<<` value that is no map, a tagged scalar its tag does not fit. go-yaml parses the whole
    /// document before it decodes it, so a syntax error after it is the one reported.
    pub(super) decode_error: Option<YamlError>,
    /// Where the text was cut at a bracket that closes nothing (see [`Self::stray_bracket`]).
    pub(super) stray: Option<usize>,
    /// The text before those `:` were stood in for, when they were (see `yaml::load_once`).
    pub(super) unglued: Option<&'a str>,
    /// A block scalar that keeps its breaks, whose blank lines were read as comments (see
    /// `yaml_gap::blank_lines_before_comment`): where its span starts and the value libyaml
    /// gives.
    pub(super) kept_breaks: Option<(usize, String)>,
    /// go-yaml's counts of decoded and aliased nodes.
    alias_ratio: super::alias_ratio::AliasRatio,
}

impl<'a> Builder<'a> {
    pub(super) fn new(file: FileId, text: &'a str, limits: &'a Limits) -> Self {
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
            unglued: None,
            kept_breaks: None,
            frames: Vec::new(),
            anchors: HashMap::new(),
            nodes: 0,
            run_left: usize::MAX,
            run_max: usize::MAX,
            out: YamlFile::default(),
            bad_key: None,
            keep_special_floats: false,
            decode_error: None,
            stray: None,
            alias_ratio: Default::default(),
        }
    }

    /// The document read, or the error Helm's reader meets once it parsed it, in its order:
    /// go-yaml's decoding, then the JSON conversion's keys, then the JSON encoding's floats.
    pub(super) fn finish(self) -> Result<(YamlFile, usize), YamlError> {
        if let Some(e) = self.decode_error {
            return Err(e);
        }
        if let Some(bad) = self.bad_key {
            return Err(YamlError::Key {
                message: bad.message,
                span: bad.span,
                problem: bad.problem,
            });
        }
        let text = self.original.map_or(self.text, |(original, _)| original);
        if self.out.special_floats
            && !self.keep_special_floats
            && let Some(e) = first_special_float(text, &self.out.documents)
        {
            return Err(e);
        }
        Ok((self.out, self.nodes))
    }

    /// Whether an error waits for the document's end (see [`Self::finish`]).
    pub(super) fn deferred(&self) -> bool {
        self.decode_error.is_some() || self.bad_key.is_some() || self.out.special_floats
    }

    /// Records a key the JSON step refuses, unless an earlier one is recorded: the key it is
    /// held under in its map while the rest is read.
    fn bad_key_read(
        &mut self,
        message: String,
        span: Span,
        held_as: String,
        problem: impl FnOnce() -> KeyProblem,
    ) -> String {
        if self.bad_key.is_none()
            && let Some(Frame::Map { start, .. }) = self.frames.last()
        {
            self.bad_key = Some(BadKey {
                message,
                span,
                map_start: *start,
                held_as: held_as.clone(),
                problem: problem(),
            });
        }
        held_as
    }

    /// Whether the node being read is the value of a `<<` merge key.
    pub(super) fn merging(&self) -> bool {
        matches!(
            self.frames.last(),
            Some(Frame::Map { pending: Some((key, _)), .. }) if key == super::tree::MERGE_KEY
        )
    }

    /// go-yaml's decoder stops the document at the node at `span`: its aliases expand to too
    /// large a share of it (see [`super::alias_ratio`]).
    fn excessive_aliasing(&mut self, span: Span) {
        self.decode_failed(YamlError::Unsupported {
            message: "document contains excessive aliasing".into(),
            span,
        });
    }

    /// Holds go-yaml's decoding error `e` unless an earlier one is held.
    pub(super) fn decode_failed(&mut self, e: YamlError) {
        self.decode_error.get_or_insert(e);
    }

    pub(super) fn byte(&self, char_index: usize) -> usize {
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

    pub(super) fn span(&self, s: &YSpan) -> Span {
        let start = self.byte(s.start.index());
        let end = self.byte(s.end.index()).max(start);
        Span::new(self.file, start, end)
    }

    /// NOTE: saphyr ends a quoted scalar's span where the next token starts, past any trailing
    /// comment (`"x"  # ignore[…]`), which would hide that comment and make edits swallow it;
    /// the span is cut at the closing quote.
    pub(super) fn quoted_span(&self, span: Span, style: ScalarStyle) -> Span {
        Span::new(
            span.file,
            span.start,
            quoted_end(self.text, span.start, span.end, style),
        )
    }

    pub(super) fn handle(&mut self, ev: Ev<'_>, span: Span) -> Result<(), YamlError> {
        match ev {
            Ev::DocumentStart => {
                self.alias_ratio.document();
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
                if plain && let Some(err) = self.flow_indicator_in_plain(span) {
                    return Err(err);
                }
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
                                // In a flow collection libyaml's parser wants a node where
                                // the `:` is; in a block it wants a key.
                                if self.in_flow() {
                                    return Err(YamlError::Syntax {
                                        message: "did not find expected node content".into(),
                                        span: Span::new(self.file, at, at),
                                    });
                                }
                                // go-yaml's parser fails here, before any key is made.
                                return Err(YamlError::Key {
                                    message: "invalid YAML: did not find expected key (a `:` \
                                              with no key before it)"
                                        .into(),
                                    span,
                                    problem: KeyProblem::Empty,
                                });
                            }
                            self.bad_key_read(message, span, NULL_KEY.into(), || KeyProblem::Null {
                                value: None,
                            })
                        }
                        Err(message) => {
                            match crate::yaml_key::uint_key(&value, plain, tag.as_deref()) {
                                Some(key) => {
                                    self.bad_key_read(message, span, format!("\0{key}"), || {
                                        KeyProblem::Uint { key, value: None }
                                    })
                                }
                                // A tagged key go-yaml cannot decode.
                                None => {
                                    self.decode_failed(YamlError::Unsupported { message, span });
                                    format!("\0{}", span.start)
                                }
                            }
                        }
                    };
                    // An alias of an anchored key is the scalar a value would be (typed only
                    // then: most keys are never aliased).
                    (
                        Value::Str(key),
                        (anchor > 0).then(typed).and_then(Result::ok),
                    )
                } else {
                    let typed = match typed() {
                        // A special float under a `!!float` tag.
                        Ok(Value::Float(f)) if !f.is_finite() => {
                            self.out.special_floats = true;
                            Value::Float(f)
                        }
                        Ok(typed) => typed,
                        Err(message) => match crate::yaml_key::special_float(&value) {
                            Some(f) if plain && tag.is_none() => {
                                self.out.special_floats = true;
                                Value::Float(f)
                            }
                            // go-yaml decodes no scalar under `<<`: it wants a map there.
                            _ if self.merging() => Value::Null,
                            _ => {
                                self.decode_failed(YamlError::Unsupported { message, span });
                                Value::Null
                            }
                        },
                    };
                    (typed, None)
                };
                let is_merge_key =
                    matches!(style, ScalarStyle::Plain) && value == "<<" && tag.is_none();
                if !self.alias_ratio.scalar(anchor, is_key && is_merge_key) {
                    self.excessive_aliasing(span);
                }
                self.count(1, span)?;
                let node = Node::new(typed, self.origin(span));
                if anchor > 0 {
                    self.out.has_properties = true;
                    let anchored = anchored.map(|v| Node::new(v, self.origin(span)));
                    self.anchors
                        .insert(anchor, anchored.unwrap_or_else(|| node.clone()));
                }
                self.push(node, span, is_merge_key)?;
            }
            Ev::Alias(id) => {
                if !self.alias_ratio.alias(id) {
                    self.excessive_aliasing(span);
                }
                // An alias inside the node its anchor names: go-yaml's parser takes it (the
                // anchor is known from the node's start) and its decoder refuses the cycle.
                if id > 0 && self.frames.iter().any(|f| f.anchor() == id) {
                    let written = self.text.get(span.start..span.end).unwrap_or_default();
                    let name = written.trim_start_matches('*').trim_end();
                    self.decode_failed(YamlError::Unsupported {
                        message: format!("anchor '{name}' value contains itself"),
                        span,
                    });
                    self.count(1, span)?;
                    let node = Node::new(Value::Null, self.origin(span));
                    return self.push(node, span, false);
                }
                let Some(size) = self.anchors.get(&id).map(node_count) else {
                    return Err(YamlError::Syntax {
                        message: "alias to an unknown anchor".into(),
                        span,
                    });
                };
                self.count(size, span)?;
                let mut node = self.anchors[&id].clone();
                node.origin = self.origin(span);
                if let Err(e) = self.refuse_aliased_list_merge(&node, span) {
                    self.decode_failed(e);
                }
                self.push(node, span, false)?;
            }
            Ev::MappingStart(anchor) => {
                if !self.alias_ratio.open(anchor) {
                    self.excessive_aliasing(span);
                }
                self.open(span)?;
                let key_origin = self.pending_key_span();
                let flow = self.opens_flow(span);
                self.frames.push(Frame::Map {
                    map: Map::new(),
                    start: span.start,
                    flow,
                    anchor,
                    pending: None,
                    key_origin,
                    merged: Vec::new(),
                });
            }
            Ev::SequenceStart(anchor) => {
                if !self.alias_ratio.open(anchor) {
                    self.excessive_aliasing(span);
                }
                self.open(span)?;
                let key_origin = self.pending_key_span();
                let flow = self.opens_flow(span);
                self.frames.push(Frame::Seq {
                    items: Vec::new(),
                    start: span.start,
                    flow,
                    anchor,
                    key_origin,
                });
            }
            Ev::End => {
                self.alias_ratio.close();
                self.close(span)?;
            }
        }
        Ok(())
    }

    /// Whether a collection's start event opens a flow collection: its span ends with the `[`
    /// or `{` (after an anchor or tag); a block collection's is empty, or ends at its first
    /// entry's line (saphyr starts a block sequence at its first item, which may be a `[`).
    fn opens_flow(&self, span: Span) -> bool {
        // saphyr's span of a collection's start runs from its anchor or tag to its first
        // token (past the blanks after a `[`).
        let at = crate::yaml_gap::properties_end(self.text, span.start);
        at < span.end && matches!(self.text.as_bytes().get(at), Some(b'[' | b'{'))
    }

    fn limit(&self, span: Span, message: String) -> YamlError {
        YamlError::Limit { message, span }
    }

    pub(super) fn count(&mut self, n: usize, span: Span) -> Result<(), YamlError> {
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
}

/// Where a scalar's span ends once cut at its closing quote (see [`Builder::quoted_span`]):
/// `end` for a plain or block scalar, or where no closing quote is found before it.
pub(super) fn quoted_end(text: &str, start: usize, end: usize, style: ScalarStyle) -> usize {
    let quote = match style {
        ScalarStyle::SingleQuoted => b'\'',
        ScalarStyle::DoubleQuoted => b'"',
        _ => return end,
    };
    let bytes = text.as_bytes();
    if bytes.get(start) != Some(&quote) {
        return end;
    }
    let mut i = start + 1;
    while i < end.min(bytes.len()) {
        match bytes[i] {
            b'\\' if quote == b'"' => i += 2,
            b'\'' if quote == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            b if b == quote => return i + 1,
            _ => i += 1,
        }
    }
    end
}

/// Whether a double-quoted scalar, as written, holds the escape `\/`.
pub(super) fn slash_escape(written: &str) -> bool {
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

/// The key a null key is held under while the rest of the document is read (the document is
/// refused at its end; see [`Builder::finish`]).
pub(super) const NULL_KEY: &str = "\u{0}null key";

/// A key the JSON step refuses (see [`Builder::bad_key`]).
pub(super) struct BadKey {
    pub(super) message: String,
    pub(super) span: Span,
    /// Where its map starts, and the key it is held under there: go-yaml keeps one entry for
    /// every key that decodes alike (`~` and `null`), so the value the error prints is the last
    /// one read under it.
    pub(super) map_start: usize,
    pub(super) held_as: String,
    pub(super) problem: KeyProblem,
}

/// Go's JSON encoder's error for a special float, before its name (`NaN`, `+Inf`, `-Inf`).
pub(crate) const UNSUPPORTED_FLOAT: &str = "json: unsupported value: ";

/// The first special float left in the decoded documents, in the order Go's JSON encoder
/// meets it (map keys sorted, as this tree keeps them): its error.
fn first_special_float(text: &str, documents: &[Node]) -> Option<YamlError> {
    let mut stack: Vec<&Node> = documents.iter().rev().collect();
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Float(f) if !f.is_finite() => {
                let span = node.origin.value_span()?;
                let written = text.get(span.start..span.end).unwrap_or_default();
                let name = crate::value::go_float(*f);
                return Some(YamlError::Unsupported {
                    message: format!(
                        "`{written}` is a YAML special float that Helm cannot convert to JSON \
                         (\"{UNSUPPORTED_FLOAT}{name}\"); quote it"
                    ),
                    span,
                });
            }
            Value::Map(m) => stack.extend(m.values().rev()),
            Value::Seq(items) => stack.extend(items.iter().rev()),
            _ => {}
        }
    }
    None
}
