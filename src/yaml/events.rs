//! Where the builder's events come from: saphyr's parser, or the fast block reader of
//! [`crate::yaml_block`] for the plain block YAML templates print. Both are turned into one
//! event type ([`Ev`]) so that one builder makes the same tree from either; saphyr's errors are
//! put in go-yaml's words on the way (see `go_yaml_errors`).

use saphyr_parser::{Event, Parser, ScalarStyle};

#[cfg(test)]
use super::Limits;
use super::builder::Builder;
use super::{YamlError, YamlFile};
#[cfg(test)]
use crate::source::FileId;
use crate::source::Span;

/// A parser event as the builder needs it, from saphyr or from [`crate::yaml_block`].
pub(super) enum Ev<'e> {
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

/// saphyr's own nesting limit, reported as ours when the parser hits it first.
const PARSER_MAX_DEPTH: usize = 256;

/// saphyr's reading of `text`; where saphyr refuses a quoted scalar's continuation line for its
/// indentation (go-yaml does not look at it), the line is padded and the text read again.
pub(super) fn run_saphyr<'a>(
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
            // Tabs of a flow collection that could not be read as spaces: libyaml's words.
            Err(YamlError::Syntax { message, span }) if message == crate::yaml_quoted::FLOW_TAB => {
                return Err(YamlError::Syntax {
                    message: "found character that cannot start any token".into(),
                    span,
                });
            }
            done => return done,
        }
    }
}

impl<'a> Builder<'a> {
    /// Builds from saphyr's events for `parse`: the text, or it padded (`char_to_byte` then maps
    /// its characters to the text's bytes).
    fn run(mut self, parse: &str) -> Result<(YamlFile, usize), YamlError> {
        // Where the last event ended (bytes of the text).
        let mut last_end = 0;
        if let Err(e) = self.read_events(parse, &mut last_end) {
            // An anchor or alias whose name go-yaml ends at a `:` or `?`: saphyr found no
            // anchor of the name it read, or failed further on.
            let at = e.span().start;
            let unknown_alias = matches!(&e, YamlError::Syntax { message, .. } if message.contains("unknown anchor"))
                && self.text.as_bytes().get(at) == Some(&b'*');
            let glued = if unknown_alias {
                crate::yaml_gap::alias_glued(self.text, at)
            } else {
                // (Past the last event no scalar is known: only a node's start is looked at.)
                crate::yaml_gap::glued_at_node_start(self.text, last_end, at, &|g| {
                    self.read_apart(g)
                })
            };
            // (Once read apart, an alias go-yaml too finds no anchor for is its error.)
            let glued = glued.filter(|gap| !self.read_apart(gap.at));
            if let Some(gap) = glued {
                return Err(YamlError::from_gap(self.file, &gap));
            }
            let before = last_end.min(at);
            return Err(self.refused_property(before).unwrap_or(e));
        }
        // A name go-yaml ends before a `:` or `?` is read again (see `Padded::cure`).
        if self.out.has_properties
            && let Some(gap) = crate::yaml_gap::property_names(
                self.text,
                &self.out.scalar_spans,
                self.text.len(),
                &|at| self.read_apart(at),
            )
            && gap.message == crate::yaml_quoted::GLUED_TO_PROPERTY
        {
            return Err(YamlError::from_gap(self.file, &gap));
        }
        // The errors found once the whole document is read (a null or complex key) come after
        // every scanner error.
        if self.deferred()
            && let Some(e) = self.refused_property(self.text.len())
        {
            return Err(e);
        }
        self.finish()
    }

    /// Whether the text was read with a blank inserted before byte `at` (the padded text's
    /// characters map to the original's bytes; an inserted one to the byte after it).
    fn read_apart(&self, at: usize) -> bool {
        self.char_to_byte.as_ref().is_some_and(|map| {
            let i = map.partition_point(|&b| b < at);
            map.get(i + 1) == Some(&at)
        })
    }

    /// The first property (anchor, alias or tag) go-yaml's scanner refuses before byte `before`,
    /// up to where every scalar is known: saphyr reports a text's first error of its own, and
    /// the builder its own, which may come after such a property, where go-yaml stops first.
    fn refused_property(&self, before: usize) -> Option<YamlError> {
        let spans = &self.out.scalar_spans;
        let gap =
            crate::yaml_gap::property_names(self.text, spans, before, &|at| self.read_apart(at))?;
        Some(YamlError::from_gap(self.file, &gap))
    }

    /// Builds from saphyr's events for `parse`; `events_end`: where the last event read ended.
    fn read_events(&mut self, parse: &str, events_end: &mut usize) -> Result<(), YamlError> {
        let mut parser = Parser::new_from_str(parse);
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
                self.out.scanned_to = Some(self.byte(e.marker().index()));
                break;
            }
            let (event, yspan) = ev.map_err(|e| {
                let at = self.byte(e.marker().index());
                let at = if e.info().starts_with("while parsing") {
                    self.block_scalar_token_start(at, last_end)
                        .or_else(|| self.block_entry_before(at))
                        .or_else(|| {
                            e.info()
                                .ends_with("did not find expected key")
                                .then(|| self.refused_block_entry(at))
                                .flatten()
                        })
                        .unwrap_or(at)
                } else {
                    at
                };
                let span = Span::new(self.file, at, at);
                let message = e.info().to_string();
                if let Some(err) = self.empty_flow_refused(last_end, at, documents_started) {
                    err
                } else if let Some(err) = self.block_scalar_key(&message, last_end) {
                    err
                } else if let Some(err) = self.wrongly_indented_block_line(&message, at) {
                    err
                } else if let Some(err) = self.flow_start_after_plain(&message, at, last_end) {
                    err
                } else if message.starts_with("invalid trailing content after")
                    && let Some(err) = self
                        .required_key_before_flow_indicator(at)
                        .or_else(|| self.required_key_before_plain(at))
                {
                    err
                } else if message.starts_with("invalid trailing content after")
                    && let Some(problem) = self.trailing_content(at)
                {
                    YamlError::Syntax {
                        message: problem.into(),
                        span,
                    }
                } else if message.starts_with("while parsing a tag, found a")
                    && let Some(gap) = crate::yaml_gap::tag_gap(self.text, at)
                {
                    // A `%` escape of a tag's URI: libyaml's words, at the `%`.
                    YamlError::from_gap(self.file, &gap)
                } else if message == "the handle wasn't declared" {
                    // libyaml's parser fails on the tag's handle where saphyr's does.
                    YamlError::Syntax {
                        message: "found undefined tag handle".into(),
                        span,
                    }
                } else if let Some(err) = self.tab_error(&message, at) {
                    err
                } else if let Some(err) = self.block_entry_in_flow(&message, at) {
                    err
                } else if message.ends_with("did not find expected '-' indicator")
                    && !self.in_block_sequence()
                {
                    // libyaml ends an indentless sequence there; its mapping wants a key.
                    YamlError::Syntax {
                        message: "did not find expected key".into(),
                        span,
                    }
                } else if let Some(err) = self.implicit_pair_in_sequence(&message, at, last_end) {
                    err
                } else if message.contains("recursion limit") {
                    YamlError::Limit {
                        message: format!(
                            "nesting deeper than {} levels",
                            self.limits.max_depth.min(PARSER_MAX_DEPTH)
                        ),
                        span,
                    }
                } else if message == "simple key expect ':'" || message == "simple key expected" {
                    // libyaml's words for a possible key left without its `:`; a quoted key
                    // over lines goes stale where it ends.
                    let at = self.quoted_key_end(at).unwrap_or(at);
                    // A key that went stale (it ran over lines) at the end of a text whose
                    // last line is unended fails on that line; one the stream's end finds,
                    // on the line the end moves to (`yaml_error`'s for a span starting at
                    // the text's end). So the stale one spans its last line. go-yaml checks a
                    // key after each token it reads, so one on an earlier line than the last
                    // token went stale there, before the stream's end (saphyr found it at the
                    // end: "simple key expected").
                    let stale =
                        message == "simple key expect ':'" || self.required_key_above_last_line(at);
                    let start = if stale && at == self.text.len() {
                        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
                    } else {
                        at
                    };
                    YamlError::Syntax {
                        message: "could not find expected ':'".into(),
                        span: Span::new(self.file, start, at),
                    }
                } else if message.ends_with("did not find expected hexadecimal number") {
                    // saphyr mended the spelling of libyaml's message; go-yaml, and so Helm,
                    // still prints `hexdecimal`.
                    YamlError::Syntax {
                        message: message.replace("hexadecimal", "hexdecimal"),
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
            let read_to = last_end;
            last_end = match &event {
                Event::Scalar(_, style, ..) => self.quoted_span(span, *style).end,
                _ => span.end,
            };
            *events_end = last_end;
            let ev = match event {
                Event::DocumentStart(_) => {
                    documents_started += 1;
                    Ev::DocumentStart
                }
                Event::Scalar(value, style, anchor, tag) => {
                    let value = match &self.kept_breaks {
                        Some((first_line, breaks))
                            if span.start == *first_line
                                && matches!(
                                    style,
                                    saphyr_parser::ScalarStyle::Literal
                                        | saphyr_parser::ScalarStyle::Folded
                                ) =>
                        {
                            std::borrow::Cow::Owned(breaks.clone())
                        }
                        _ => self.unglue(value, style, span),
                    };
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
                    self.out.has_properties |= tag.is_some();
                    let tag = tag.map(|t| format!("{}{}", t.handle, t.suffix));
                    Ev::Scalar(value, style, anchor, tag)
                }
                Event::Alias(id) => Ev::Alias(id),
                Event::MappingStart(anchor, tag) => {
                    self.out.has_properties |= tag.is_some();
                    Ev::MappingStart(anchor)
                }
                Event::SequenceStart(anchor, tag) => {
                    self.out.has_properties |= tag.is_some();
                    Ev::SequenceStart(anchor)
                }
                Event::MappingEnd | Event::SequenceEnd => Ev::End,
                Event::DocumentEnd | Event::StreamStart | Event::StreamEnd | Event::Nothing => {
                    continue;
                }
            };
            if matches!(ev, Ev::MappingStart(_) | Ev::SequenceStart(_))
                && let Some(err) = self
                    .empty_flow_key(span.start)
                    .or_else(|| self.empty_flow_refused(read_to, span.start, documents_started))
            {
                return Err(err);
            }
            self.handle(ev, span)?;
        }
        Ok(())
    }

    /// Builds from the events of [`crate::yaml_block`] (spans in bytes already).
    pub(super) fn run_block(
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
}

/// Both readings of `text`, for tests: [`crate::yaml_block`]'s (when it reads the text) and
/// saphyr's.
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

impl Builder<'_> {
    /// A plain scalar read through the `:` stood in for (`yaml::load_once`): go-yaml's own,
    /// `:` and all, when it is on one line; also notes a plain scalar in a flow collection
    /// that ends glued to a `:` and a flow indicator, which go-yaml reads as part of it.
    fn unglue<'v>(
        &mut self,
        value: std::borrow::Cow<'v, str>,
        style: saphyr_parser::ScalarStyle,
        span: Span,
    ) -> std::borrow::Cow<'v, str> {
        if style != saphyr_parser::ScalarStyle::Plain {
            return value;
        }
        if crate::yaml::glued_colon(self.text, span.end) && self.in_flow() {
            self.out.glued.push(span.end);
        }
        let Some(unglued) = self.unglued else {
            return value;
        };
        let (mut read, mut written) = (
            self.text.get(span.start..span.end),
            unglued.get(span.start..span.end),
        );
        // A tag or anchor before the scalar (`[!t -]`, `[&x a -]`) is inside its span: the
        // scalar is the span's end. (The texts differ only in ASCII stand-ins: the same cut
        // is on a character boundary of both.)
        if let (Some(r), Some(w)) = (read, written)
            && r != value.as_ref()
            && r.ends_with(value.as_ref())
            && r.len() == w.len()
        {
            let cut = r.len() - value.len();
            (read, written) = (r.get(cut..), w.get(cut..));
        }
        match written {
            Some(written) if Some(written) != read && read == Some(value.as_ref()) => {
                std::borrow::Cow::Owned(written.to_string())
            }
            // Over lines (folded): the stand-in is the scalar's last character.
            Some(written) if written.ends_with(':') && value.ends_with('x') => {
                std::borrow::Cow::Owned(format!("{}:", &value[..value.len() - 1]))
            }
            _ => value,
        }
    }
}
