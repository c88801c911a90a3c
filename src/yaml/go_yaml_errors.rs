//! go-yaml's words for what it refuses. saphyr is a YAML 1.2 parser with its own messages;
//! Helm reads YAML with go-yaml v2 (libyaml's scanner and parser), whose messages users see and
//! `fromYaml` returns. This is where saphyr's errors are mapped to libyaml's wording and place,
//! and where texts saphyr reads but go-yaml refuses are failed (see [`crate::yaml_gap`]).

use super::builder::{Builder, Frame};
use super::{YamlError, YamlFile};
use crate::source::{FileId, Span};

/// saphyr's reading of `text`, failed where go-yaml refuses a text saphyr reads (see
/// [`crate::yaml_gap`]); the error go-yaml meets first wins when both fail.
pub(super) fn go_yaml_gaps(
    file: FileId,
    text: &str,
    (read, fast): (Result<(YamlFile, usize), YamlError>, bool),
) -> Result<(YamlFile, usize), YamlError> {
    // NOTE: the fast reader refuses tabs, so only a text saphyr read may hold one.
    // Tabs that start a line are looked for only where the scalars are known (a tab in a
    // quoted scalar's later line is text).
    let tabs = |scalars: &[(usize, usize)], before: usize, line_starts: bool| {
        (!fast && text.contains('\t'))
            .then(|| crate::yaml_gap::tab_where_a_key_may_start(text, scalars, before, line_starts))
            .flatten()
    };
    // saphyr's alias to an anchor it did not see: go-yaml may read another name there.
    let unknown_alias = |e: &YamlError| matches!(e, YamlError::Syntax { message, .. } if message.contains("unknown anchor"));
    let gap = match &read {
        Ok((out, _)) => {
            let scanned = out.scanned_to.unwrap_or(text.len());
            crate::yaml_gap::before_first_document(text)
                .or_else(|| {
                    out.has_properties
                        .then(|| {
                            // (A name glued to a token was read apart, unless a bound stopped
                            // that: then saphyr's reading stands.)
                            let apart = |_| true;
                            crate::yaml_gap::property_names(
                                text,
                                &out.scalar_spans,
                                scanned,
                                &apart,
                            )
                        })
                        .flatten()
                })
                .or_else(|| tabs(&out.scalar_spans, scanned, true))
        }
        Err(e) => crate::yaml_gap::before_first_document(text)
            .or_else(|| tabs(&[], e.span().start + 1, false))
            .or_else(|| {
                unknown_alias(e)
                    .then(|| crate::yaml_gap::alias_name_at(text, e.span().start))
                    .flatten()
            }),
    };
    // A tab in a block scalar's indentation that go-yaml meets on the line saphyr fails on, or
    // before it (saphyr may fail at the line's start, or with words of its own).
    if let Err(e) = &read
        && !fast
        && text.contains('\t')
    {
        // saphyr points at the header of a block whose text starts with a tab.
        let line_end = if e
            .to_string()
            .contains("block scalar content cannot start with a tab")
        {
            text.len()
        } else {
            text[e.span().start.min(text.len())..]
                .find('\n')
                .map_or(text.len(), |n| e.span().start + n)
        };
        if let Some(tab) = crate::yaml_gap::block_scalar_tab_before(text, line_end + 1)
            && gap.as_ref().is_none_or(|g| tab.at <= g.at)
        {
            return Err(YamlError::from_gap(file, &tab));
        }
    }
    let Some(gap) = gap else {
        // go-yaml's words for an alias to no anchor, with the name go-yaml reads.
        return read.map_err(|e| match e {
            YamlError::Syntax { span, .. } if unknown_alias(&e) => YamlError::Syntax {
                message: format!(
                    "unknown anchor '{}' referenced",
                    crate::yaml_gap::go_alias_name(text, span.start)
                ),
                span,
            },
            e => e,
        });
    };
    match read {
        Err(e) if e.span().start < gap.at => Err(e),
        _ => Err(YamlError::from_gap(file, &gap)),
    }
}

impl<'a> Builder<'a> {
    /// An empty flow collection (`{}`, `[ ]`) read where a block mapping wants its next key:
    /// go-yaml v2 takes the `{` for a possible key, drops that key's entry when the
    /// collection's level closes with no key saved in it (both carry the `{`'s token number),
    /// and so hands the collection to its parser at once, which refuses it there, whatever
    /// follows on the line (`{},`, `{} @`, `[] "x`). saphyr reads on to its own error (byte
    /// `at`), or takes `{}: 1` for a complex key. `from`: where the last event ended.
    pub(super) fn empty_flow_refused(
        &self,
        from: usize,
        at: usize,
        documents_started: usize,
    ) -> Option<YamlError> {
        let start = next_token(self.text, from);
        if start > at || self.in_flow() || !empty_flow_at(self.text, start) {
            return None;
        }
        // (A mapping saphyr began at the collection is `empty_flow_key`'s.)
        match self.frames.last()? {
            Frame::Map {
                pending: None,
                start: map_start,
                ..
            } if self.first_key(*map_start) < start => {}
            _ => return None,
        }
        let problem = self.stray_bracket(start, documents_started)?;
        Some(YamlError::Syntax {
            message: problem.into(),
            span: Span::new(self.file, start, start),
        })
    }

    /// An empty flow collection starting at byte `start` that saphyr made the first key of a
    /// block mapping (`a:` then `  {}: 1`, `- []: 1`): go-yaml's parser read it as the node
    /// there, then its scanner, finding the `:`, appends the key (and the mapping's start)
    /// after it, where the enclosing collection wants another token: a mapping its key, a
    /// block sequence its `-`. `None` at a document's root (go-yaml reads the collection and
    /// stops: `yaml_gap::flow_root_read_before`), or where saphyr's mapping began before.
    pub(super) fn empty_flow_key(&self, start: usize) -> Option<YamlError> {
        if !empty_flow_at(self.text, start) {
            return None;
        }
        let [
            ..,
            below,
            Frame::Map {
                start: map_start,
                pending: None,
                ..
            },
        ] = self.frames.as_slice()
        else {
            return None;
        };
        if self.first_key(*map_start) != start || self.is_flow(below) {
            return None;
        }
        let problem = match below {
            Frame::Seq { .. } if self.in_block_sequence_below_top() => {
                "did not find expected '-' indicator"
            }
            _ => "did not find expected key",
        };
        Some(YamlError::Syntax {
            message: problem.into(),
            span: Span::new(self.file, start, start),
        })
    }

    /// The `-` of a block entry whose token saphyr's parser refused at byte `at`: saphyr marks
    /// a block entry after its `-` and the blanks and comment after it (at its line's end when
    /// nothing follows on the line), libyaml at the `-`; go-yaml names that line, which differs
    /// when the text ends there (`a: 1` then `-`: Helm's line 1, a span at the end was line 2).
    /// Only for `at` at a line's end: an error inside the entry's node is the node's.
    pub(super) fn block_entry_before(&self, at: usize) -> Option<usize> {
        if !matches!(self.text.as_bytes().get(at), None | Some(b'\n' | b'\r')) {
            return None;
        }
        let line_start = self.line_start(at);
        let before = &self.text[line_start..at];
        let comment = before
            .match_indices('#')
            .find(|(i, _)| *i > 0 && matches!(before.as_bytes()[i - 1], b' ' | b'\t'));
        let code = comment.map_or(before, |(i, _)| &before[..i]);
        let code = code.trim_end_matches([' ', '\t']);
        let dash = code.len().checked_sub(1)?;
        let bytes = code.as_bytes();
        (bytes[dash] == b'-' && (dash == 0 || matches!(bytes[dash - 1], b' ' | b'\t')))
            .then_some(line_start + dash)
    }

    /// The `-` of a block entry a block mapping refused (its parser wants a key), when saphyr
    /// marks the first token after it (`a: 1` then `-\tx`): libyaml's parser fails on the
    /// entry's token, before its scanner reads past the `-` (a tab after it is no error then).
    pub(super) fn refused_block_entry(&self, at: usize) -> Option<usize> {
        let line_start = self.line_start(at);
        let before = self.text.get(line_start..at)?;
        let code = before.trim_end_matches([' ', '\t']);
        let dash = code.len().checked_sub(1)?;
        let blanks_after = code.len() < before.len();
        (blanks_after && code.as_bytes()[dash] == b'-' && code[..dash].bytes().all(|b| b == b' '))
            .then_some(line_start + dash)
    }

    /// Whether the possible key the stream's end (byte `at`) found required starts on an
    /// earlier line than the text's last: the first line, going up from the last, that starts
    /// in the innermost block collection's key column.
    pub(super) fn required_key_above_last_line(&self, at: usize) -> bool {
        let Some(frame) = self.frames.last() else {
            return false;
        };
        if at != self.text.len() || self.is_flow(frame) {
            return false;
        }
        let column = self.frame_column(frame);
        let last = self.line_start(at);
        let mut line = last;
        loop {
            let text = &self.text[line..];
            let body = text.trim_start_matches([' ', '\t']);
            if text.len() - body.len() == column && !body.starts_with(['\n', '\r', '#']) {
                return line < last;
            }
            if line == 0 {
                return false;
            }
            line = self.line_start(line - 1);
        }
    }

    /// Where the block scalar starts whose token saphyr's parser refused at byte `at`: saphyr
    /// marks a block scalar from its first content (or where it ended, when it has none), past
    /// its header and blank lines; libyaml marks it at its `|` or `>`, and go-yaml's parser
    /// errors name that line (`tolerations:` then two block scalars: the second's header).
    /// `None` when no header starts a line above `at` with only blank lines between, or the
    /// scalar it starts was read already (a later token is the one refused).
    pub(super) fn block_scalar_token_start(&self, at: usize, last_end: usize) -> Option<usize> {
        let mut line_start = self.line_start(at);
        if !self.text[line_start..at]
            .bytes()
            .all(|b| b == b' ' || b == b'\t')
        {
            return None;
        }
        while line_start > 0 {
            let prev = self.line_start(line_start - 1);
            let line = self.text[prev..line_start].trim_end_matches(['\n', '\r']);
            let body = line.trim_start_matches([' ', '\t']);
            line_start = prev;
            if body.is_empty() {
                continue;
            }
            let indicator = prev + (line.len() - body.len());
            let header = body.strip_prefix(['|', '>'])?;
            let valid = block_scalar_header(header).is_none();
            return (valid && indicator >= last_end).then_some(indicator);
        }
        None
    }

    /// saphyr takes a block scalar (or an empty flow collection, `{}`) where a block
    /// collection's next key or item starts for a possible key, and fails when no `:` follows
    /// ("simple key expect…"); libyaml never takes one for a key, and its parser fails on that
    /// token: "did not find expected key" (or `-` indicator) there. `last_end` is where the
    /// last event ended.
    pub(super) fn block_scalar_key(&self, message: &str, last_end: usize) -> Option<YamlError> {
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

    /// A flow collection opened right after a plain scalar of a flow collection that began on
    /// an earlier line (`[a` then `"b" {x`, the scalar being `a "b"` over both lines). libyaml
    /// holds a token back while it may still be a key, which ends with its line: the scalar
    /// goes to the parser as soon as the `{` is read (after a plain scalar the `{` is no
    /// possible key), and the parser, wanting `,` or the end, fails there. saphyr reads on and
    /// reports what it meets later (an unended quote: "found unexpected end of stream"). Only
    /// when saphyr's error (byte `at`) lies past that `{` or `[`; `last_end` is where the last
    /// event ended.
    ///
    /// The same on one line when saphyr stopped on a `:` before a `[` or `{` in a flow
    /// collection, which go-yaml v2 reads as the end of a plain scalar (`sub:` then `[`): it
    /// reads on to the line's end for the collection's possible key, and its parser fails on
    /// the first such `[` (unless a quote on that line may hold a scanner error first).
    pub(super) fn flow_start_after_plain(
        &self,
        message: &str,
        at: usize,
        last_end: usize,
    ) -> Option<YamlError> {
        let bytes = self.text.as_bytes();
        let skip_blanks = |i: usize| next_token(self.text, i);
        // saphyr holds a collection's start back too, so the collection may have no event yet.
        let mut collection = self.frames.last().map(Frame::start);
        let mut start = skip_blanks(last_end);
        while matches!(bytes.get(start), Some(b'[' | b'{')) {
            collection = Some(start);
            start = skip_blanks(start + 1);
        }
        let collection = collection?;
        let problem = match bytes.get(collection)? {
            b'[' => "did not find expected ',' or ']'",
            b'{' => "did not find expected ',' or '}'",
            _ => return None,
        };
        let line = |at: usize| self.text[..at].matches('\n').count();
        let read_on = message == "':' may not precede any of `[{` in flow mapping";
        // On one line the entries before (plain ones, each `a,` or `a: b`) are read through.
        let (open, break_before) = loop {
            if read_on {
                // Separators, and quoted entries (`"a",`), on the way are read through too.
                match bytes.get(start) {
                    Some(b',') => {
                        start = skip_blanks(start + 1);
                        continue;
                    }
                    Some(&q @ (b'"' | b'\'')) => {
                        start = skip_blanks(quoted_end(bytes, start, q)? + 1);
                        match bytes.get(start) {
                            Some(b',' | b':') => start = skip_blanks(start + 1),
                            _ => return None,
                        }
                        continue;
                    }
                    _ => {}
                }
            }
            match plain_flow_scalar_end(self.text, start)? {
                PlainEnd::Open(open, broke) => break (open, broke),
                PlainEnd::Separator(at) if read_on => start = skip_blanks(at + 1),
                PlainEnd::Separator(_) => return None,
            }
        };
        let held = line(open) > line(start) && line(open) > line(collection);
        let line_end = self.text[open..]
            .find('\n')
            .map_or(self.text.len(), |n| open + n);
        let read_on = read_on && !self.text[open..line_end].contains(['"', '\'']);
        // saphyr stops on that `:`, right before the `[` or `{`, or on a later one.
        let past = at > open || (read_on && at + 1 == open);
        ((held || read_on) && !break_before && past).then(|| YamlError::Syntax {
            message: problem.into(),
            span: Span::new(self.file, open, open),
        })
    }

    /// saphyr refuses a line less indented than a block scalar's first one but more than the
    /// collection holding it ("wrongly indented line in block scalar", at the line's first
    /// character); libyaml ends the scalar there, and the token the line starts cannot follow
    /// it in the collection: its parser wants a key (or a `-` in a sequence). libyaml skips a
    /// comment line, so the next token is where it fails, when that is right of the
    /// collection too. A quote there that never ends fails the scanner first. Otherwise, and
    /// for a scalar at the root, saphyr's word stands.
    pub(super) fn wrongly_indented_block_line(
        &self,
        message: &str,
        at: usize,
    ) -> Option<YamlError> {
        if message != "wrongly indented line in block scalar" || self.frames.is_empty() {
            return None;
        }
        let mut at = at;
        if self.text.as_bytes().get(at) == Some(&b'#') {
            let collection = self.frame_column(self.frames.last()?);
            let mut line_start = at;
            loop {
                line_start += self.text[line_start..].find('\n')? + 1;
                let line = &self.text[line_start..];
                let content = line.len() - line.trim_start_matches([' ', '\t']).len();
                match line.as_bytes().get(content) {
                    None => return None,
                    Some(b'#' | b'\n' | b'\r') => continue,
                    Some(_) => {
                        at = line_start + content;
                        break;
                    }
                }
            }
            if self.column(at) <= collection {
                return None;
            }
        }
        let bytes = self.text.as_bytes();
        let message = match bytes.get(at) {
            // A quote that never ends: the scanner reads it to the end of the text before the
            // parser sees it.
            Some(&q @ (b'"' | b'\'')) if quoted_end(bytes, at, q).is_none() => {
                "while scanning a quoted scalar, found unexpected end of stream"
            }
            _ if self.in_block_sequence() => "did not find expected '-' indicator",
            _ => "did not find expected key",
        };
        Some(YamlError::Syntax {
            message: message.into(),
            span: Span::new(self.file, at, at),
        })
    }

    /// Where libyaml finds a possible key stale when the token before byte `at` is a quoted
    /// scalar over lines: at its end (it checks before it reads on), where saphyr fails at the
    /// next token. `None` for any other token.
    pub(super) fn quoted_key_end(&self, at: usize) -> Option<usize> {
        let bytes = self.text.as_bytes();
        // Back over blanks, line breaks and comments to the previous token's end.
        let mut end = at.min(bytes.len());
        loop {
            while end > 0 && matches!(bytes[end - 1], b' ' | b'\t' | b'\n' | b'\r') {
                end -= 1;
            }
            let line_start = self.text[..end].rfind('\n').map_or(0, |i| i + 1);
            match self.text[line_start..end].find(" #") {
                Some(i) => end = line_start + i,
                None if self.text[line_start..end].trim_start().starts_with('#') => {
                    end = line_start;
                }
                None => break,
            }
        }
        let quote = *bytes.get(end.checked_sub(1)?)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let open = self.opening_quote(end - 1, quote)?;
        self.text[open..end].contains('\n').then_some(end)
    }

    /// libyaml's error for a quoted scalar that must be a key (it starts in the column of the
    /// block collection it is in: libyaml's "required" simple key) followed by `,`, `]` or `}`
    /// at byte `at` (saphyr: "invalid trailing content"): libyaml's scanner drops the possible
    /// key on that flow indicator and fails there, or at the scalar's end when the scalar ran
    /// over lines (the key went stale first). `None` when the scalar may be no key.
    pub(super) fn required_key_before_flow_indicator(&self, at: usize) -> Option<YamlError> {
        if !matches!(self.text.as_bytes().get(at), Some(b',' | b']' | b'}')) {
            return None;
        }
        let (open, end) = self.required_quoted_key(at)?;
        let at = if self.text[open..end].contains('\n') {
            end
        } else {
            at
        };
        Some(YamlError::Syntax {
            message: "could not find expected ':'".into(),
            span: Span::new(self.file, at, at),
        })
    }

    /// A quoted scalar in the key column of the block collection it is in, followed on its
    /// line by a plain scalar at byte `at` (saphyr: "invalid trailing content"): libyaml
    /// scans the plain scalar (over the lines deeper than the key, up to a `: ` or a comment)
    /// while the key waits for its `:`, and drops the key where the scanner stands on a later
    /// line: where the plain scalar stopped, else at the next token. A tab in the plain
    /// scalar's indentation fails first. `None` when the scalar may be no key, or when a `:`
    /// on its own line may still make it one.
    pub(super) fn required_key_before_plain(&self, at: usize) -> Option<YamlError> {
        // The key's start, and the end of a quoted one over lines.
        let (open, over_lines) = match self.required_quoted_key(at) {
            Some((open, end)) => (open, self.text[open..end].contains('\n').then_some(end)),
            None => (self.required_flow_key(at)?, None),
        };
        let key_line = self.line_start(open);
        let stale = |pos: usize| {
            let start = self.line_start(pos);
            if start == key_line {
                return None;
            }
            // At the end of an unended text the stale key fails on the last line itself
            // (a span from the line's start), not on the one the stream's end moves to.
            let from = if pos == self.text.len() { start } else { pos };
            Some(YamlError::Syntax {
                message: "could not find expected ':'".into(),
                span: Span::new(self.file, from, pos),
            })
        };
        if let Some(end) = over_lines {
            return stale(end);
        }
        let i = match self.tokens_on_key_line(at, self.column(open) + 1)? {
            Ok(i) => i,
            Err(tab) => return Some(tab),
        };
        if let Some(err) = stale(i) {
            return Some(err);
        }
        // Stopped on the key's line (at a comment or its end): the key goes stale at the next
        // token, or at the stream's end (on the line it moves to).
        let next = next_token_or_tab(self.text, i);
        if next == self.text.len() && self.line_start(next) == key_line {
            return Some(YamlError::Syntax {
                message: "could not find expected ':'".into(),
                span: Span::new(self.file, next, next),
            });
        }
        stale(next)
    }

    /// libyaml's scan of the tokens after a required key, from byte `at` on its line, while the
    /// key waits for its `:`: where the scanner stands once a token took it past the line (the
    /// end of a plain or quoted scalar over lines), or at the line's end or comment; the
    /// failure of a tab in a plain scalar's indentation. `None` where the tokens may still
    /// make a key of it (a `:` outside flow collections) or fail otherwise.
    fn tokens_on_key_line(&self, at: usize, indent: usize) -> Option<Result<usize, YamlError>> {
        let bytes = self.text.as_bytes();
        let blank_at = |i: usize| is_blankz(bytes, i);
        let flow_indicator =
            |i: usize| matches!(bytes.get(i), Some(b',' | b'[' | b']' | b'{' | b'}'));
        let mut i = at;
        let mut flow = 0usize;
        loop {
            while matches!(bytes.get(i), Some(b' ' | b'\t')) {
                i += 1;
            }
            let Some(&c) = bytes.get(i) else {
                return (flow == 0).then_some(Ok(i));
            };
            match c {
                b'\n' | b'\r' | b'#' if flow == 0 => return Some(Ok(i)),
                // Inside a flow collection the next token past the line is the stale check's.
                b'\n' | b'\r' => return Some(Ok(next_token_or_tab(self.text, i))),
                b'#' => return Some(Ok(i)),
                b'[' | b'{' => {
                    flow += 1;
                    i += 1;
                }
                b']' | b'}' => {
                    flow = flow.checked_sub(1)?;
                    i += 1;
                }
                b',' if flow > 0 => i += 1,
                b'"' | b'\'' => {
                    let end = quoted_end(bytes, i, c)?;
                    if self.text[i..end].contains('\n') {
                        return Some(Ok(end + 1));
                    }
                    i = end + 1;
                }
                b'&' | b'!' | b'*' => {
                    while !blank_at(i) && !flow_indicator(i) {
                        if bytes[i] == b':' {
                            return None;
                        }
                        i += 1;
                    }
                }
                b':' if flow > 0 => i += 1,
                _ if flow == 0 => {
                    let indicator = b"-?:,|>%@`".contains(&c);
                    if indicator && (blank_at(i + 1) || !b"-?:".contains(&c)) {
                        return None;
                    }
                    match self.plain_scalar_stop(i, indent) {
                        Ok((stop, _)) if self.line_start(stop) != self.line_start(at) => {
                            return Some(Ok(stop));
                        }
                        // A `:` on the key's line may still make it a key.
                        Ok((_, true)) => return None,
                        Ok((stop, false)) => i = stop,
                        Err(tab) => return Some(Err(tab)),
                    }
                }
                _ => {
                    // A plain scalar in a flow collection: to a flow indicator, a `: ` or a
                    // comment (a `:` before a flow indicator is its own, as go-yaml v2 reads
                    // it); over lines it is past the key's line.
                    if b"-?|>%@`".contains(&c) && blank_at(i + 1) {
                        return None;
                    }
                    while let Some(&b) = bytes.get(i) {
                        if flow_indicator(i)
                            || (b == b':' && blank_at(i + 1))
                            || (b == b'#' && i > 0 && blank_at(i - 1))
                        {
                            break;
                        }
                        if b == b'\n' || b == b'\r' {
                            return Some(Ok(next_token_or_tab(self.text, i)));
                        }
                        i += 1;
                    }
                }
            }
        }
    }

    /// The flow collection that starts the line of byte `at` when it is libyaml's "required"
    /// simple key (in the column of the block collection it is in) and closes before `at`.
    fn required_flow_key(&self, at: usize) -> Option<usize> {
        let start = self.line_start(at);
        let open =
            start + self.text[start..at].len() - self.text[start..at].trim_start_matches(' ').len();
        if !matches!(self.text.as_bytes().get(open), Some(b'[' | b'{')) {
            return None;
        }
        self.key_required_at(open).then_some(open)
    }

    /// Where libyaml's `scan_plain_scalar` (block context, `indent`: the column its
    /// continuation lines must reach) stops for a plain scalar starting at byte `from`: at a
    /// `: ` (and `true`), at a comment, or at the start of a line left of `indent`. A tab in a
    /// continuation line's indentation left of `indent` fails.
    fn plain_scalar_stop(&self, from: usize, indent: usize) -> Result<(usize, bool), YamlError> {
        let bytes = self.text.as_bytes();
        let blank_at = |i: usize| is_blankz(bytes, i);
        let mut i = from;
        let mut leading_break = false;
        loop {
            if bytes.get(i) == Some(&b'#') {
                return Ok((i, false));
            }
            while !blank_at(i) {
                if bytes[i] == b':' && blank_at(i + 1) {
                    return Ok((i, true));
                }
                i += 1;
            }
            while let Some(&b) = bytes.get(i) {
                match b {
                    b' ' => {}
                    b'\t' if leading_break && self.column(i) < indent => {
                        return Err(YamlError::Syntax {
                            message: "found a tab character that violates indentation".into(),
                            span: Span::new(self.file, i, i),
                        });
                    }
                    b'\t' => {}
                    b'\n' | b'\r' => leading_break = true,
                    _ => break,
                }
                i += 1;
            }
            if i >= bytes.len() || self.column(i) < indent {
                return Ok((i, false));
            }
        }
    }

    /// The quoted scalar that ends right before byte `at` (blanks between) when it is libyaml's
    /// "required" simple key: in the column of the block collection it is in. Its opening
    /// quote and the byte after its closing one.
    fn required_quoted_key(&self, at: usize) -> Option<(usize, usize)> {
        let bytes = self.text.as_bytes();
        let mut end = at;
        while end > 0 && matches!(bytes[end - 1], b' ' | b'\t') {
            end -= 1;
        }
        let quote = *bytes.get(end.checked_sub(1)?)?;
        if quote != b'"' && quote != b'\'' {
            return None;
        }
        let open = self.opening_quote(end - 1, quote)?;
        self.key_required_at(open).then_some((open, end))
    }

    /// Whether a possible simple key starting at byte `at` is libyaml's "required" one: libyaml
    /// unrolls the block collections right of it, and the one left starts in its column (no
    /// flow collection is open).
    fn key_required_at(&self, at: usize) -> bool {
        let col = self.column(at);
        for f in self.frames.iter().rev() {
            if self.is_flow(f) {
                return false;
            }
            let c = self.frame_column(f);
            if c <= col {
                return c == col;
            }
        }
        false
    }

    /// The byte its line starts at.
    fn line_start(&self, at: usize) -> usize {
        self.text[..at].rfind('\n').map_or(0, |i| i + 1)
    }

    /// The opening quote of the quoted scalar whose closing `quote` is at byte `close`: the
    /// previous one that is no escape (`\"`, `''`).
    fn opening_quote(&self, close: usize, quote: u8) -> Option<usize> {
        let bytes = self.text.as_bytes();
        let mut i = close;
        loop {
            i = self.text[..i].rfind(quote as char)?;
            let escaped = match quote {
                b'"' => i > 0 && bytes[i - 1] == b'\\',
                _ => i > 0 && bytes[i - 1] == b'\'',
            };
            if !escaped {
                return Some(i);
            }
            if quote == b'\'' {
                i -= 1;
            }
        }
    }

    /// libyaml's error where saphyr read a single-pair mapping inside a flow sequence (`[a b:
    /// c]`) that go-yaml does not: a key over lines (`[x\n y: 1]`: saphyr's "illegal placement
    /// of ':' indicator", at the `:`, or at the scalar when it follows a collection or a quoted
    /// scalar), or a key followed by a collection before its `:` (`[map[b:1] a: b]`:
    /// saphyr wants the mapping's `,` or `}`). go-yaml reads no key there; its parser wants the
    /// sequence's `,` or `]` after the entry, and fails on the token that follows it: the one
    /// after the last event, which ended at `last_end` (the entry, or the pair's value).
    pub(super) fn implicit_pair_in_sequence(
        &self,
        message: &str,
        at: usize,
        last_end: usize,
    ) -> Option<YamlError> {
        let bytes = self.text.as_bytes();
        let start = if message == "illegal placement of ':' indicator" {
            // After a nested collection or a quoted scalar (`[[]\n y: 1]`, `["x"\n y: 1]`) the
            // scalar is no entry of its own: it is the token that follows one, and go-yaml
            // fails at its start (a line or more above the `:`).
            open_flow_sequence(bytes, at)
                .map_or(at, |open| token_after_entries(self.text, open, at))
        } else if message == "while parsing a flow mapping, did not find expected ',' or '}'" {
            match self.frames.as_slice() {
                [.., Frame::Seq { start: seq, .. }, Frame::Map { start, .. }]
                    if bytes.get(*seq) == Some(&b'[') && bytes.get(*start) != Some(&b'{') =>
                {
                    next_token(self.text, last_end.max(*start))
                }
                _ => return None,
            }
        } else {
            return None;
        };
        Some(YamlError::Syntax {
            message: "did not find expected ',' or ']'".into(),
            span: Span::new(self.file, start, start),
        })
    }

    /// libyaml's error for text after a quoted scalar on its line, at byte `at` (saphyr fails the
    /// scalar: "invalid trailing content"). libyaml reads the scalar, then the next token, and
    /// fails where the enclosing collection allows no such token: its scanner on a block entry
    /// or key indicator, or a character no token starts with, else its parser, in the words of
    /// the collection. `None` for a document's root scalar: go-yaml reads no further than the
    /// root of the one document it reads (the loader then reads the text up to `at`).
    pub(super) fn trailing_content(&self, at: usize) -> Option<&'static str> {
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
        let open = self
            .frames
            .last()
            .map(|f| (matches!(f, Frame::Seq { .. }), self.is_flow(f)));
        let block = !matches!(open, Some((_, true)));
        // A `:` and a blank later on the line make the scalar a simple key (of a mapping that
        // starts there, in a block).
        let key_follows = line
            .split(" #")
            .next()
            .is_some_and(|l| l.contains(": ") || l.contains(":\t") || l.ends_with(':'));
        Some(match (c, open) {
            // Another quoted scalar that never ends: libyaml's scanner reads it to the end of
            // the text before its parser sees it. Outside a block mapping's value the scanner
            // reads on through more quoted scalars on the line (as Helm 3.17.3 shows: `- "" ""
            // "` fails so, `a: "" "" "` on the second scalar).
            ('"' | '\'', Some((false, false)))
                if quoted_end(self.text.as_bytes(), at, c as u8).is_none() =>
            {
                "while scanning a quoted scalar, found unexpected end of stream"
            }
            ('"' | '\'', open)
                if open != Some((false, false))
                    && unended_quote_on_line(self.text.as_bytes(), at) =>
            {
                "while scanning a quoted scalar, found unexpected end of stream"
            }
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
    pub(super) fn stray_bracket(
        &self,
        at: usize,
        documents_started: usize,
    ) -> Option<&'static str> {
        if documents_started > 1 || (self.frames.is_empty() && !self.out.documents.is_empty()) {
            return None;
        }
        // (is a sequence, column of its first key or `-`)
        let open: Vec<(bool, usize)> = self
            .frames
            .iter()
            .map(|f| (matches!(f, Frame::Seq { .. }), self.frame_column(f)))
            .collect();
        let Some(&(_, root)) = open.first() else {
            return Some("did not find expected node content");
        };
        let col = self.column(at);
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

    /// The column of byte `at` (bytes since its line's start).
    fn column(&self, at: usize) -> usize {
        at - self.line_start(at)
    }

    /// The column an open collection's entries start in: its first key's, or its `-`'s.
    fn frame_column(&self, f: &Frame) -> usize {
        match f {
            Frame::Map { start, .. } => self.column(self.first_key(*start)),
            Frame::Seq { start, .. } => self.column(self.dash(*start)),
        }
    }

    /// Whether a flow collection is open (a block collection cannot be inside one).
    /// A plain scalar saphyr read in a flow collection holding what go-yaml v2's scanner takes
    /// for an indicator there: a `?` anywhere but first ends the scalar (and the key indicator
    /// it starts is where the parser wants a `,` or the collection's end), and a `:` first is a
    /// value indicator where the parser wants a node. YAML 1.2 reads both as the scalar's text
    /// (`[http://h/p?q=1]`, `[:a]`); a `|` or `>` first can start no token there. A `?` first is go-yaml's key indicator too (`[?a]` is
    /// `[{a: null}]`): the text is read again with a blank after it
    /// ([`crate::yaml_quoted::GLUED_KEY_INDICATOR`]).
    pub(super) fn flow_indicator_in_plain(&self, span: Span) -> Option<YamlError> {
        let text = self.unglued.unwrap_or(self.text);
        let scalar = text.get(span.start..span.end)?;
        // (Every scalar of every text comes here: most hold none of these.)
        if !scalar.starts_with([':', '|', '>']) && !scalar.contains('?') {
            return None;
        }
        // The innermost flow collection (a pair inside a flow sequence is a block mapping to
        // the builder, and to go-yaml's parser a state of the sequence's).
        let flow_map = match self.frames.iter().rev().find(|f| self.is_flow(f))? {
            Frame::Map { .. } => true,
            Frame::Seq { .. } => false,
        };
        let (message, at) = if scalar.starts_with(':') {
            ("did not find expected node content", span.start)
        } else if scalar.starts_with(['|', '>']) {
            // A block scalar's indicator, which no flow token starts with.
            ("found character that cannot start any token", span.start)
        } else if scalar.len() > 1 && scalar.starts_with('?') {
            (crate::yaml_quoted::GLUED_KEY_INDICATOR, span.start + 1)
        } else if !scalar.starts_with('?')
            && let Some(i) = scalar.find('?')
        {
            let message = if flow_map {
                "did not find expected ',' or '}'"
            } else {
                "did not find expected ',' or ']'"
            };
            (message, span.start + i)
        } else {
            return None;
        };
        Some(YamlError::Syntax {
            message: message.into(),
            span: Span::new(self.file, at, at),
        })
    }

    pub(super) fn in_flow(&self) -> bool {
        self.frames.iter().any(|f| self.is_flow(f))
    }

    /// Whether an open collection is a flow one (`[` or `{`).
    pub(super) fn is_flow(&self, f: &Frame) -> bool {
        let (Frame::Map { flow, .. } | Frame::Seq { flow, .. }) = f;
        *flow
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
    pub(super) fn flow_key_too_far(&self, span: Span) -> Option<YamlError> {
        let (map, parent) = match self.frames.as_slice() {
            [.., parent, map] => (map.start(), Some(parent.start())),
            [map] => (map.start(), None),
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
        // The `?` of an explicit key lets its `:` come on any later line.
        let far = far && !after_key_indicator(self.text, span.start);
        far.then(|| YamlError::Syntax {
            message: message.into(),
            span: Span::new(self.file, colon, colon),
        })
    }

    /// go-yaml v2 (since 2.3) loses the simple key of an empty flow collection (`[]`, `{}`)
    /// inside a flow collection when no token before it on its line is waiting to be a key:
    /// closing the collection forgets where its key was (`yaml_parser_decrease_flow_level`
    /// drops the entry of the collection's own token number), so its `[` goes to the parser
    /// without the KEY token before it, and the parser, which read the collection as a key
    /// with no value, fails at the `:`. A start of an enclosing collection on the same line
    /// that could be a key keeps every token behind it waiting (`{[]: 1}` reads), as does an
    /// anchor or tag before the collection, which is the key's first token. `start`: the
    /// collection's first byte; it is the key being read.
    pub(super) fn empty_flow_key_lost(&self, start: usize) -> Option<YamlError> {
        let bytes = self.text.as_bytes();
        if !matches!(bytes.get(start), Some(b'[' | b'{')) {
            return None;
        }
        // (a collection's span starts at its anchor or tag)
        let start_of = |f: &Frame| past_properties(self.text, f.start());
        let (map, parent) = match self.frames.as_slice() {
            [.., parent, map @ Frame::Map { pending: None, .. }] => {
                (start_of(map), Some(start_of(parent)))
            }
            [map @ Frame::Map { pending: None, .. }] => (start_of(map), None),
            _ => return None,
        };
        // A flow sequence holds single-pair mappings with no `{`, starting at their key.
        let message = match (bytes.get(map), parent.and_then(|p| bytes.get(p))) {
            (Some(b'{'), _) if map != start => "did not find expected ',' or '}'",
            (_, Some(b'[')) => "did not find expected ',' or ']'",
            _ => return None,
        };
        let close = match bytes[start] {
            b'[' => b']',
            _ => b'}',
        };
        let end = start + 1 + self.text[start + 1..].find(|c: char| c != ' ' && c != '\t')?;
        let colon = end
            + 1
            + self
                .text
                .get(end + 1..)?
                .find(|c: char| c != ' ' && c != '\t')?;
        if bytes.get(end) != Some(&close) || bytes.get(colon) != Some(&b':') {
            return None;
        }
        if after_property(self.text, start) {
            return None;
        }
        let line = self.line_start(start);
        let waiting = self.frames.iter().enumerate().any(|(i, f)| {
            let at = start_of(f);
            let opens = matches!(bytes.get(at), Some(b'[' | b'{')) && at != start;
            let outer_flow = i > 0 && self.frames.get(i - 1).is_some_and(|o| self.is_flow(o));
            opens && at >= line && key_may_start(self.text, at, outer_flow)
        });
        (!waiting).then(|| YamlError::Syntax {
            message: message.into(),
            span: Span::new(self.file, colon, colon),
        })
    }

    /// saphyr's scanner refuses a `-` entry inside a flow collection (byte `at`); libyaml's
    /// makes it a block-entry token and leaves the error to its parser, which fails on it:
    /// where a node may start (after `[`, `{`, `,`, `?` or `:`) with "did not find expected
    /// node content"; after a whole node (a quoted scalar, a closed collection, an alias, or an
    /// anchor or tag alone, which it takes for an empty node) wanting the `,` or the
    /// collection's closing bracket.
    pub(super) fn block_entry_in_flow(&self, message: &str, at: usize) -> Option<YamlError> {
        if message != r#""-" is only valid inside a block"# {
            return None;
        }
        // An entry of an enclosing collection followed by no `,` (`[b [- x]]`) fails go-yaml's
        // parser first: its scanner reads the `-` in a flow as a token, not an error.
        if let Some(err) = self.entry_without_separator(at) {
            return Some(err);
        }
        let code = code_before(self.text, at);
        let token = code
            .rfind([' ', '\t', '\n', '[', '{', ','])
            .map_or(code, |i| &code[i + 1..]);
        let wants_node = match code.as_bytes().last() {
            None | Some(b'[' | b'{' | b',' | b'?' | b':') => true,
            Some(_) => {
                !token.starts_with(['&', '!', '*']) && !code.ends_with(['"', '\'', ']', '}'])
            }
        };
        // go-yaml builds the alias's node before its parser asks for the `-`.
        if let Some(name) = token.strip_prefix('*')
            && !anchored_before(code, name)
        {
            return Some(YamlError::Syntax {
                message: format!("unknown anchor '{name}' referenced"),
                span: Span::new(self.file, at, at),
            });
        }
        let message = if wants_node {
            "did not find expected node content"
        } else if matches!(self.frames.last(), Some(Frame::Map { .. })) {
            "did not find expected ',' or '}'"
        } else {
            "did not find expected ',' or ']'"
        };
        Some(YamlError::Syntax {
            message: message.into(),
            span: Span::new(self.file, at, at),
        })
    }

    /// libyaml's parser error where an entry of a flow collection enclosing byte `at` is
    /// followed by a token other than `,` before `at`: the first such token in the text.
    fn entry_without_separator(&self, at: usize) -> Option<YamlError> {
        let bytes = self.text.as_bytes();
        let (open, bad) = open_flow_collections(bytes, at)
            .into_iter()
            .map(|open| (open, token_after_entries(self.text, open, at)))
            .filter(|&(_, bad)| bad < at)
            .min_by_key(|&(_, bad)| bad)?;
        let message = match bytes[open] {
            b'[' => "did not find expected ',' or ']'",
            _ => "did not find expected ',' or '}'",
        };
        Some(YamlError::Syntax {
            message: message.into(),
            span: Span::new(self.file, bad, bad),
        })
    }

    /// Whether the innermost open collection is a block sequence as libyaml's parser reads it:
    /// one whose `-` sits in its mapping's key column (`x:\n- a`) is "indentless", which ends
    /// at any token but a `-`, so that the mapping's "did not find expected key" is the error.
    pub(super) fn in_block_sequence(&self) -> bool {
        self.block_sequence_last(&self.frames)
    }

    /// [`Self::in_block_sequence`] of the collections under the innermost one.
    fn in_block_sequence_below_top(&self) -> bool {
        match self.frames.split_last() {
            Some((_, below)) => self.block_sequence_last(below),
            None => false,
        }
    }

    /// Whether the last of `frames` is a block sequence that is no indentless one.
    fn block_sequence_last(&self, frames: &[Frame]) -> bool {
        match frames {
            [.., Frame::Map { start: m, .. }, Frame::Seq { start: s, .. }] => {
                self.column(*m) != self.column(self.dash(*s))
            }
            [.., Frame::Seq { .. }] => true,
            _ => false,
        }
    }

    /// libyaml's words and place for saphyr's errors on a tab in indentation (byte `at`): a tab
    /// starting a line of a block is no token ("found character that cannot start any token",
    /// at the tab); one in the indentation after a plain scalar "violates indentation" (at the
    /// tab of the first such line; saphyr points at the scalar).
    pub(super) fn tab_error(&self, message: &str, at: usize) -> Option<YamlError> {
        let (problem, tab) = match message {
            "tabs disallowed within this context (block indentation)" => {
                let line_start = self.text[..at].rfind('\n').map_or(0, |i| i + 1);
                let tab = line_start + self.text[line_start..at].find('\t')?;
                // Inside a flow collection go-yaml skips tabs between tokens: the text is read
                // again with spaces for them (`crate::yaml_quoted::Padded::cure`).
                if self.in_flow() {
                    return Some(YamlError::Syntax {
                        message: crate::yaml_quoted::FLOW_TAB.into(),
                        span: Span::new(self.file, tab, tab),
                    });
                }
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
}

/// Whether the last token before byte `at` (past blanks and comments) is a mapping's `:`.
fn value_indicator_before(text: &str, at: usize) -> bool {
    code_before(text, at).ends_with(':')
}

/// Whether `text` holds an anchor `&name` (at a token's start, its name ending there).
fn anchored_before(text: &str, name: &str) -> bool {
    let bytes = text.as_bytes();
    text.match_indices('&').any(|(i, _)| {
        let starts = i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',');
        let rest = &text[i + 1..];
        starts
            && rest.starts_with(name)
            && !rest[name.len()..]
                .starts_with(|c: char| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

/// The text before byte `at` up to its last character that is not a blank or in a comment
/// (`""` when there is none).
fn code_before(text: &str, at: usize) -> &str {
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
            return &text[..line_start + code.len()];
        }
        if line_start == 0 {
            return "";
        }
        before = &before[..line_start - 1];
    }
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

/// The byte after an empty flow collection (`{}`, `[ ]`; blanks, line breaks and comments
/// inside) starting at byte `at`; `None` when none starts there.
fn empty_flow_end(text: &str, at: usize) -> Option<usize> {
    let close = match text.as_bytes().get(at)? {
        b'{' => b'}',
        b'[' => b']',
        _ => return None,
    };
    let inner = next_token(text, at + 1);
    (text.as_bytes().get(inner) == Some(&close)).then_some(inner + 1)
}

fn empty_flow_at(text: &str, at: usize) -> bool {
    empty_flow_end(text, at).is_some()
}

/// A line that is an empty flow collection (`{}`, `[ ]`), then at most blanks and a comment.
fn empty_flow_line(body: &str) -> bool {
    empty_flow_end(body, 0).is_some_and(|end| {
        let after = body[end..].trim_start_matches([' ', '\t']);
        after.is_empty() || after.starts_with(['\n', '\r', '#'])
    })
}

/// How a plain scalar of a flow collection (as go-yaml v2 reads it) ends.
enum PlainEnd {
    /// At a `{` or `[` (its byte), with whether a line break is in the blanks before it
    /// (libyaml then lets a key start there).
    Open(usize, bool),
    /// At a `,` or a `:` before a blank: the next entry or value may start after that byte.
    Separator(usize),
}

/// How the plain scalar of a flow collection starting at byte `start` ends; `None` when no
/// plain scalar starts there or something else ends it.
fn plain_flow_scalar_end(text: &str, start: usize) -> Option<PlainEnd> {
    let bytes = text.as_bytes();
    let first = *bytes.get(start)?;
    let blank_at = |i: usize| is_blankz(bytes, i);
    let indicator = |b: u8| matches!(b, b',' | b'[' | b']' | b'{' | b'}');
    if indicator(first)
        || matches!(
            first,
            b'"' | b'\'' | b'#' | b'!' | b'&' | b'*' | b'|' | b'>' | b'%' | b'@' | b'`'
        )
        || (matches!(first, b'-' | b'?' | b':') && blank_at(start + 1))
    {
        return None;
    }
    let (mut blank_run, mut broke) = (false, false);
    for (i, &b) in bytes.iter().enumerate().skip(start) {
        match b {
            b' ' | b'\t' => blank_run = true,
            b'\n' | b'\r' => (blank_run, broke) = (true, true),
            b'#' if blank_run => return None,
            b'{' | b'[' => return Some(PlainEnd::Open(i, broke)),
            b',' => return Some(PlainEnd::Separator(i)),
            b']' | b'}' => return None,
            // go-yaml v2 ends a plain scalar at a `:` before a blank only, in flow context too.
            b':' if blank_at(i + 1) => return Some(PlainEnd::Separator(i)),
            _ => (blank_run, broke) = (false, false),
        }
    }
    None
}

/// libyaml's `IS_BLANKZ`: a blank, a line break, or the end of the text at byte `i`.
fn is_blankz(bytes: &[u8], i: usize) -> bool {
    matches!(bytes.get(i), None | Some(b' ' | b'\t' | b'\n' | b'\r'))
}

/// Whether the quoted scalars from byte `at` on, one after another on the line (blanks
/// between), end in one that never ends.
fn unended_quote_on_line(bytes: &[u8], mut at: usize) -> bool {
    while let Some(&q) = bytes.get(at) {
        if q != b'"' && q != b'\'' {
            return false;
        }
        let Some(end) = quoted_end(bytes, at, q) else {
            return true;
        };
        at = end + 1;
        while matches!(bytes.get(at), Some(b' ' | b'\t')) {
            at += 1;
        }
    }
    false
}

/// The byte of the quote `q` that ends the quoted scalar starting at byte `start` (`\\"`
/// escapes a double quote, `''` a single one).
fn quoted_end(bytes: &[u8], start: usize, q: u8) -> Option<usize> {
    let mut i = start + 1;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\\' if q == b'"' => i += 2,
            b'\'' if q == b'\'' && bytes.get(i + 1) == Some(&b'\'') => i += 2,
            _ if b == q => return Some(i),
            _ => i += 1,
        }
    }
    None
}

/// The `[` and `{` of every flow collection that byte `at` is in, innermost first.
fn open_flow_collections(bytes: &[u8], at: usize) -> Vec<usize> {
    let mut depth = 0usize;
    let mut out = Vec::new();
    for i in (0..at.min(bytes.len())).rev() {
        match bytes[i] {
            b']' | b'}' => depth += 1,
            b'[' | b'{' if depth > 0 => depth -= 1,
            b'[' | b'{' => out.push(i),
            _ => {}
        }
    }
    out
}

/// The `[` of the flow sequence that byte `at` is in (saphyr may not have reported it yet):
/// `None` when the innermost open collection is a `{`.
fn open_flow_sequence(bytes: &[u8], at: usize) -> Option<usize> {
    open_flow_collections(bytes, at)
        .first()
        .copied()
        .filter(|&open| bytes[open] == b'[')
}

/// In the flow sequence opened at byte `open`, the first token before byte `at` that follows an
/// entry without a `,` (or a pair's value), or `at` when the entries run up to it or the text
/// is not plain enough to tell.
fn token_after_entries(text: &str, open: usize, at: usize) -> usize {
    let bytes = text.as_bytes();
    let at = at.min(bytes.len());
    let mut i = next_token(text, open + 1);
    loop {
        let Some(end) = flow_node_end(text, i, at).filter(|&e| e < at) else {
            return at;
        };
        let mut k = next_token(text, end);
        // A pair's value (`[a: b, …]`).
        if bytes.get(k) == Some(&b':') && flow_value_indicator(bytes, k) {
            let Some(end) = flow_node_end(text, next_token(text, k + 1), at).filter(|&e| e < at)
            else {
                return at;
            };
            k = next_token(text, end);
        }
        if k >= at {
            return at;
        }
        if bytes[k] != b',' {
            return k;
        }
        i = next_token(text, k + 1);
    }
}

/// Whether the `:` at byte `k` of a flow collection is a value indicator (a blank or a flow
/// indicator after it), not part of a plain scalar.
fn flow_value_indicator(bytes: &[u8], k: usize) -> bool {
    matches!(
        bytes.get(k + 1),
        None | Some(b' ' | b'\t' | b'\n' | b'\r' | b',' | b'[' | b']' | b'{' | b'}')
    )
}

/// Where the flow node starting at byte `i` ends (its properties first), as far as byte `at`;
/// `None` where it does not end before the text does.
fn flow_node_end(text: &str, mut i: usize, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    while matches!(bytes.get(i), Some(b'&' | b'!')) {
        let word = text[i..]
            .find([' ', '\t', '\n', '\r'])
            .map_or(text.len(), |n| i + n);
        i = next_token(text, word);
    }
    match *bytes.get(i)? {
        q @ (b'"' | b'\'') => quoted_end(bytes, i, q).map(|e| e + 1),
        b'[' | b'{' => crate::yaml_gap::flow_collection_end(text, i),
        b',' | b']' | b'}' => Some(i),
        _ => {
            // A plain scalar, over lines as flow scalars may run, up to a flow indicator, a
            // value indicator or a comment.
            let mut j = i;
            let mut end = i;
            while j < at {
                match bytes[j] {
                    b',' | b'[' | b']' | b'{' | b'}' => break,
                    b':' if flow_value_indicator(bytes, j) => break,
                    b'#' if matches!(bytes[j - 1], b' ' | b'\t' | b'\n' | b'\r') => break,
                    b' ' | b'\t' | b'\n' | b'\r' => {}
                    _ => end = j + 1,
                }
                j += 1;
            }
            Some(if j >= at { at } else { end })
        }
    }
}

/// Where libyaml's scanner stands for the next token after byte `from` in a block: as
/// [`next_token`], but a tab after a line break stops it (a key may start there).
fn next_token_or_tab(text: &str, from: usize) -> usize {
    scan_to_token(text, from, true)
}

/// Where the next token after byte `from` starts: past blanks, line breaks and comments.
fn next_token(text: &str, from: usize) -> usize {
    scan_to_token(text, from, false)
}

/// Past blanks, line breaks and comments from byte `from`; with `tab_after_break`, a tab after
/// a line break stops the scan.
fn scan_to_token(text: &str, from: usize, tab_after_break: bool) -> usize {
    let bytes = text.as_bytes();
    let mut i = from;
    let mut blank_before = true;
    let mut on_break = false;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'\t' if tab_after_break && on_break => break,
            b' ' | b'\t' => {
                blank_before = true;
                i += 1;
            }
            b'\n' | b'\r' => {
                blank_before = true;
                on_break = true;
                i += 1;
            }
            b'#' if blank_before => i += text[i..].find('\n').unwrap_or(text.len() - i),
            _ => break,
        }
    }
    i.min(text.len())
}

/// The text before the node starting at byte `at`, without the blanks and the node's anchor or
/// tag before it.
fn before_properties(text: &str, at: usize) -> &str {
    let mut before = text.get(..at).unwrap_or_default().trim_end();
    loop {
        let word_start = before
            .rfind(|c: char| c.is_ascii_whitespace() || matches!(c, '{' | '[' | ','))
            .map_or(0, |i| i + 1);
        let word = &before[word_start..];
        if !(word.starts_with('&') || word.starts_with('!')) {
            return before;
        }
        before = before[..word_start].trim_end();
    }
}

/// Whether go-yaml's scanner lets a simple key start with the node at byte `at` (its anchor or
/// tag first), `in_flow` or not (`simple_key_allowed`): at the document's start, after a `-`
/// entry, a `,`, a `[` or `{`, a `?` or a line break outside a flow collection; never after a
/// `---`, a simple key's `:`, a `:` or `?` in a flow collection, a property, a scalar or a
/// closed collection.
fn key_may_start(text: &str, at: usize, in_flow: bool) -> bool {
    let before = before_properties(text, at);
    let gap = text.get(before.len()..at).unwrap_or_default();
    let Some(last) = before.chars().last() else {
        return true;
    };
    if gap.contains('\n') && !in_flow && !before.ends_with("---") {
        return true;
    }
    match last {
        ',' | '[' | '{' => true,
        '-' => !before.ends_with("---"),
        '?' => !in_flow,
        _ => false,
    }
}

/// The first byte of the node at byte `at` past its anchor and tag.
fn past_properties(text: &str, mut at: usize) -> usize {
    let bytes = text.as_bytes();
    while matches!(bytes.get(at), Some(b'&' | b'!')) {
        at += text[at..]
            .find(|c: char| c.is_ascii_whitespace())
            .unwrap_or(text.len() - at);
        at += text[at..]
            .find(|c: char| !c.is_ascii_whitespace())
            .unwrap_or(text.len() - at);
    }
    at
}

/// Whether the node starting at byte `at` has an anchor or tag before it.
fn after_property(text: &str, at: usize) -> bool {
    before_properties(text, at).len() < text.get(..at).unwrap_or_default().trim_end().len()
}

/// Whether the node starting at byte `at` in a flow collection follows a `?` (there always the
/// key indicator), past blanks and the node's anchor or tag.
fn after_key_indicator(text: &str, at: usize) -> bool {
    before_properties(text, at).ends_with('?')
}
