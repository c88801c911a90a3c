//! Where go-yaml v2 (libyaml's rules, which Helm reads YAML with) refuses a text that saphyr, a
//! YAML 1.2 reader, accepts: directives other than `%YAML 1.1` and `%TAG`, a stream whose first
//! token is `...`, and anchor or alias names outside `[0-9A-Za-z_-]`; and one text saphyr
//! refuses that go-yaml reads (blank block scalar lines deeper than the comment after them).
//!
//! Each check looks only where the characters concerned are, so texts without them cost a scan
//! of their first lines and a search for `&` and `*`.

/// A problem go-yaml reports, in its words, and the byte offset its mark points at.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Gap {
    /// go-yaml's problem, as `yaml_error` maps saphyr's messages to it.
    pub(crate) message: &'static str,
    /// Where go-yaml's mark is.
    pub(crate) at: usize,
}

/// The problem go-yaml finds in the directives, or in a first token `...`, before reading the
/// first document (no parsing needed: only the lines before the first content are looked at).
pub(crate) fn before_first_document(text: &str) -> Option<Gap> {
    let mut yaml_seen = false;
    let mut tags: Vec<&str> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let body = line.trim_end_matches(['\n', '\r']);
        let content = body.trim_start_matches([' ', '\t']);
        if content.is_empty() || content.starts_with('#') {
            continue;
        }
        if let Some(directive) = body.strip_prefix('%') {
            let (name, rest) = match directive_name(directive, at) {
                Ok(found) => found,
                Err(gap) => return Some(gap),
            };
            match name {
                "YAML" => {
                    // A malformed version is saphyr's error too; only a well-formed one is ours.
                    let version = version(rest)?;
                    if yaml_seen {
                        return Some(Gap::new("found duplicate %YAML directive", at));
                    }
                    yaml_seen = true;
                    if version != (1, 1) {
                        return Some(Gap::new("found incompatible YAML document", at));
                    }
                }
                "TAG" => {
                    let handle = rest.split_whitespace().next().unwrap_or("");
                    if tags.contains(&handle) {
                        return Some(Gap::new("found duplicate %TAG directive", at));
                    }
                    tags.push(handle);
                }
                _ => return Some(Gap::new("found unknown directive name", at)),
            }
            continue;
        }
        // An implicit document that opens with its end marker has no node.
        let marker = body.starts_with("...")
            && body[3..]
                .chars()
                .next()
                .is_none_or(|c| c == ' ' || c == '\t');
        return (marker && !yaml_seen && tags.is_empty())
            .then(|| Gap::new("did not find expected node content", at));
    }
    None
}

/// go-yaml's `yaml_parser_scan_directive_name` on the text after a `%` at byte `at`: a name,
/// then a blank or the end; the name and what follows it.
fn directive_name(directive: &str, at: usize) -> Result<(&str, &str), Gap> {
    let name_len = directive
        .find(|c: char| !is_alpha(c))
        .unwrap_or(directive.len());
    let (name, rest) = directive.split_at(name_len);
    if name.is_empty() {
        return Err(Gap::new("could not find expected directive name", at));
    }
    if !rest.is_empty() && !rest.starts_with([' ', '\t', '\r']) {
        return Err(Gap::new("found unexpected non-alphabetical character", at));
    }
    Ok((name, rest))
}

/// go-yaml on a directive inside a document, its `%` at byte `at` starting a line (saphyr
/// scanned it and refuses it there: "missing explicit document end marker"). libyaml's
/// scanner closes the open block collections and scans the directive: a malformed one fails
/// that scan; a well-formed one ends the document, and go-yaml v2 reads one document, so no
/// text after it is read at all. `Ok` where the document ends (`at`), or the scan's problem.
pub(crate) fn directive_in_document(text: &str, at: usize) -> Result<usize, Gap> {
    let line = text[at..].split(['\n']).next().unwrap_or("");
    let directive = line.strip_prefix('%').unwrap_or(line);
    match directive_name(directive, at)?.0 {
        "YAML" | "TAG" => Ok(at),
        _ => Err(Gap::new("found unknown directive name", at)),
    }
}

/// go-yaml on a text whose first document's root is an empty flow collection followed on its
/// line by a token no key may start with (`[][]`, `{} &a`, `{}: 1`): libyaml scans that one token and
/// no further, and go-yaml v2 reads one document, so nothing after the token can fail (Helm
/// 3.17.3 reads `[][]` and an unended `"` on the next line as the list; saphyr's scan went on
/// to the quote). Only an empty root: go-yaml v2.4 forgets the root's possible key when it
/// closes a flow level where no key was saved (`decrease_flow_level` drops the key of the
/// token the level began at); after `[a] [` it reads on until that key goes stale, as saphyr
/// does. Where the root ends, when the token ends at or before byte `at` (the error saphyr
/// met).
pub(crate) fn flow_root_read_before(text: &str, at: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    // The root: after blank and comment lines and a `---` line, a `[` or `{` at the start of a
    // line (one on the marker's line could not be a key: go-yaml then reads on).
    let mut i = 0;
    let mut marker_seen = false;
    loop {
        while matches!(bytes.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            i += 1;
        }
        let line_start = i == 0 || bytes[i - 1] == b'\n';
        let marker = !marker_seen
            && line_start
            && text[i..].starts_with("---")
            && text[i + 3..].starts_with([' ', '\t', '\r', '\n'])
            && matches!(
                text[i + 3..].split('\n').next().unwrap_or_default().trim(),
                rest if rest.is_empty() || rest.starts_with('#')
            );
        marker_seen |= marker;
        if bytes.get(i) != Some(&b'#') && !marker {
            break;
        }
        i += text[i..].find('\n')?;
    }
    if !matches!(bytes.get(i), Some(b'[' | b'{')) {
        return None;
    }
    let root_end = flow_collection_end(text, i)?;
    let inside = &text[i + 1..root_end - 1];
    if inside
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'))
    {
        return None;
    }
    let mut next = root_end;
    while matches!(bytes.get(next), Some(b' ' | b'\t')) {
        next += 1;
    }
    let token_end = match bytes.get(next)? {
        b'[' | b'{' | b']' | b'}' | b',' | b':' => next + 1,
        b'&' | b'*' | b'!' => {
            let mut end = next + 1;
            while bytes.get(end).is_some_and(|b| {
                !b.is_ascii_whitespace() && !matches!(b, b',' | b'[' | b']' | b'{' | b'}')
            }) {
                end += 1;
            }
            end
        }
        _ => return None,
    };
    (token_end <= at).then_some(root_end)
}

/// The byte after the `]` or `}` closing the flow collection opened at byte `open`, skipping
/// quoted scalars and comments; `None` when it is not closed.
pub(crate) fn flow_collection_end(text: &str, open: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut depth = 0usize;
    let mut i = open;
    while let Some(&b) = bytes.get(i) {
        let token_start = i == 0
            || matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b',' | b':'
            );
        match b {
            b'[' | b'{' => depth += 1,
            b']' | b'}' => {
                depth = depth.checked_sub(1)?;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            b'#' if i > 0 && matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'\r') => {
                i += text[i..].find('\n')?;
                continue;
            }
            b'"' if token_start => {
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    match c {
                        b'\\' => i += 1,
                        b'"' => break,
                        _ => {}
                    }
                    i += 1;
                }
                bytes.get(i)?;
            }
            b'\'' if token_start => {
                i += 1;
                loop {
                    match bytes.get(i)? {
                        b'\'' if bytes.get(i + 1) == Some(&b'\'') => i += 1,
                        b'\'' => break,
                        _ => {}
                    }
                    i += 1;
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// The first anchor (`&name`) or alias (`*name`) whose name go-yaml reads differently from
/// saphyr, or tag (`!x`) go-yaml's scanner refuses, before byte `before`; `scalars` are the
/// spans of the text's scalars up to there (a `&` inside one is text). A name glued to a `:`
/// or `?` ([`crate::yaml_quoted::GLUED_TO_PROPERTY`]) is passed over where `read_apart` says
/// it was read apart already.
pub(crate) fn property_names(
    text: &str,
    scalars: &[(usize, usize)],
    before: usize,
    read_apart: &dyn Fn(usize) -> bool,
) -> Option<Gap> {
    let bytes = text.as_bytes();
    let before = before.min(bytes.len());
    let mut from = 0;
    while let Some(i) = bytes[from..before]
        .iter()
        .position(|&b| matches!(b, b'&' | b'*' | b'!'))
        .map(|i| from + i)
    {
        from = i + 1;
        let token_start =
            i == 0 || matches!(bytes[i - 1], b' ' | b'\t' | b'\n' | b'[' | b'{' | b',');
        if !token_start || inside(text, scalars, i) || in_comment(text, i) {
            continue;
        }
        let gap = if bytes[i] == b'!' {
            // A directive's handle (`%TAG !e! …`) is no tag.
            let line_start = text[..i].rfind('\n').map_or(0, |n| n + 1);
            if bytes[line_start] == b'%' {
                continue;
            }
            tag_gap(text, i)
        } else {
            name_gap(text, i).filter(|gap| {
                gap.message != crate::yaml_quoted::GLUED_TO_PROPERTY || !read_apart(gap.at)
            })
        };
        if gap.is_some() {
            return gap;
        }
    }
    None
}

/// go-yaml's error for the tag token whose `!` is at `i`, when its scanner refuses it: a
/// `%` escape that is not two hex digits or not UTF-8 ("did not find URI escaped octet", "found
/// an incorrect leading/trailing UTF-8 octet"), or a character after the tag that is not a
/// blank or a line break ("did not find expected whitespace or line break": `!#`, `!x#c`, a `}`
/// right after the tag). Its URI takes `,`, `[` and `]` too, where saphyr ends the tag (that
/// reads differently without an error, and is left to saphyr); a verbatim tag (`!<…>`) and a
/// tag without a URI are saphyr's to refuse alike.
pub(crate) fn tag_gap(text: &str, i: usize) -> Option<Gap> {
    let bytes = text.as_bytes();
    if bytes.get(i + 1) == Some(&b'<') {
        return None;
    }
    let mut j = i + 1;
    while bytes
        .get(j)
        .is_some_and(|&b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    {
        j += 1;
    }
    let handle = bytes.get(j) == Some(&b'!');
    if handle {
        j += 1;
    }
    let uri_start = j;
    // The UTF-8 octets an escape still owes.
    let mut owed = 0u8;
    while let Some(&b) = bytes.get(j) {
        if b == b'%' {
            let hex = |k: usize| bytes.get(k).is_some_and(u8::is_ascii_hexdigit);
            if !(hex(j + 1) && hex(j + 2)) {
                return Some(Gap::new("did not find URI escaped octet", j));
            }
            let octet = u8::from_str_radix(&text[j + 1..j + 3], 16).ok()?;
            if owed == 0 {
                owed = match octet {
                    o if o & 0x80 == 0 => 1,
                    o if o & 0xE0 == 0xC0 => 2,
                    o if o & 0xF0 == 0xE0 => 3,
                    o if o & 0xF8 == 0xF0 => 4,
                    _ => return Some(Gap::new("found an incorrect leading UTF-8 octet", j)),
                };
            } else if octet & 0xC0 != 0x80 {
                return Some(Gap::new("found an incorrect trailing UTF-8 octet", j));
            }
            owed -= 1;
            j += 3;
            continue;
        }
        if owed > 0 {
            return Some(Gap::new("did not find URI escaped octet", j));
        }
        let uri = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'_' | b'-'
                    | b';'
                    | b'/'
                    | b'?'
                    | b':'
                    | b'@'
                    | b'&'
                    | b'='
                    | b'+'
                    | b'$'
                    | b','
                    | b'.'
                    | b'!'
                    | b'~'
                    | b'*'
                    | b'\''
                    | b'('
                    | b')'
                    | b'['
                    | b']'
            );
        if !uri {
            break;
        }
        j += 1;
    }
    if handle && j == uri_start {
        // "did not find expected tag URI": saphyr's words too.
        return None;
    }
    let blankz = match text[j..].chars().next() {
        None => true,
        Some(c) => matches!(
            c,
            ' ' | '\t' | '\r' | '\n' | '\u{85}' | '\u{2028}' | '\u{2029}'
        ),
    };
    (!blankz).then(|| Gap::new("did not find expected whitespace or line break", j))
}

/// go-yaml's error for the anchor or alias token whose `&` or `*` is at `i`, when it reads
/// its name differently from saphyr.
fn name_gap(text: &str, i: usize) -> Option<Gap> {
    let name_len = text[i + 1..]
        .find(|c: char| !is_alpha(c))
        .unwrap_or(text.len() - i - 1);
    let next = text[i + 1 + name_len..].chars().next();
    // Where go-yaml's name ends too: a blank, a line break (as go-yaml knows them) or a flow
    // indicator.
    let ends = next.is_none_or(|c| {
        matches!(
            c,
            ' ' | '\t' | '\n' | '\r' | ',' | ']' | '}' | '\u{85}' | '\u{2028}' | '\u{2029}'
        )
    });
    if name_len > 0 && ends {
        return None;
    }
    if name_len > 0 && matches!(next, Some(':' | '?')) {
        // go-yaml's name ends there, and the rest is a token of its own (`*a: b` is an alias
        // key); saphyr's name runs on. The text is read again with a blank before it.
        return Some(Gap::new(
            crate::yaml_quoted::GLUED_TO_PROPERTY,
            i + 1 + name_len,
        ));
    }
    Some(if name_len > 0 && matches!(next, Some('@' | '`' | '%')) {
        // The name ends before it, and it can start no token.
        Gap::new(
            "found character that cannot start any token",
            i + 1 + name_len,
        )
    } else {
        Gap::new("did not find expected alphabetic or numeric character", i)
    })
}

/// The first anchor or alias between bytes `from` and `to` that starts a line's node (after
/// its indentation and any `- `, `? `, `[`, `{` or `,`: where a key may start) and whose name
/// go-yaml ends before a `:` or `?` (`*a: b`), unless `read_apart` says it was already: saphyr
/// fails further on, with words of its own.
pub(crate) fn glued_at_node_start(
    text: &str,
    from: usize,
    to: usize,
    read_apart: &dyn Fn(usize) -> bool,
) -> Option<Gap> {
    let to = to.min(text.len());
    let mut at = text[..from.min(to)].rfind('\n').map_or(0, |i| i + 1);
    while at < to {
        let end = text[at..].find('\n').map_or(text.len(), |i| at + i);
        let line = &text[at..end];
        let rest = line.trim_start_matches([' ', '-', '?', '[', '{', ',']);
        let i = at + (line.len() - rest.len());
        if rest.starts_with(['&', '*'])
            && let Some(gap) = name_gap(text, i)
            && gap.message == crate::yaml_quoted::GLUED_TO_PROPERTY
            && !read_apart(gap.at)
        {
            return Some(gap);
        }
        at = end + 1;
    }
    None
}

/// The `:` or `?` go-yaml ends the name of the alias at `at` before (`*a: b`), where saphyr's
/// name runs on (so saphyr finds no anchor of that name).
pub(crate) fn alias_glued(text: &str, at: usize) -> Option<Gap> {
    name_gap(text, at).filter(|gap| gap.message == crate::yaml_quoted::GLUED_TO_PROPERTY)
}

/// go-yaml's error for an alias at `at` that saphyr read with a name go-yaml does not (saphyr
/// then looks that name up and finds no anchor): go-yaml's scanner stops at the name first,
/// unless the name ends where a token may start (`*x@`), and go-yaml too finds no anchor `x`.
pub(crate) fn alias_name_at(text: &str, at: usize) -> Option<Gap> {
    (text.as_bytes().get(at) == Some(&b'*'))
        .then(|| name_gap(text, at))
        .flatten()
        .filter(|gap| gap.at == at)
}

/// The name go-yaml reads for the alias saphyr reported at or just past `at` (the last `*` on
/// that line up to there): its letters, digits, `_` and `-`.
pub(crate) fn go_alias_name(text: &str, at: usize) -> &str {
    let at = at.min(text.len());
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[at..].find('\n').map_or(text.len(), |i| at + i);
    let from = text[line_start..line_end]
        .rfind('*')
        .map_or(at, |i| line_start + i + 1);
    let len = text[from..]
        .find(|c: char| !is_alpha(c))
        .unwrap_or(text.len() - from);
    &text[from..from + len]
}

/// Helm 4 reads a values file document by document, split at `---` lines as Kubernetes'
/// `YAMLReader` splits (the `---` line itself left out), so a part that starts with directives
/// has no `---` after them: go-yaml wants the document start where the part's content starts,
/// or where the part ends. For the first such part: where it starts, and that offset.
pub(crate) fn directives_alone(text: &str) -> Option<(usize, Gap)> {
    if !text.starts_with('%') && !text.contains("\n%") {
        return None;
    }
    let separator = |line: &str| {
        let rest = line.get(3..).map(str::trim);
        line.starts_with("---") && rest.is_some_and(|r| r.is_empty() || r.starts_with('#'))
    };
    // The part being read: where it starts, a directive, content.
    let (mut part, mut directive, mut content) = (0, false, false);
    let missing_start =
        |part, at| Some((part, Gap::new("did not find expected <document start>", at)));
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let body = line.trim_start_matches([' ', '\t']).trim_end();
        if separator(line) {
            if directive {
                return missing_start(part, offset);
            }
            content = false;
            part = offset + line.len();
        } else if line.starts_with('%') && !content {
            directive = true;
        } else if !body.is_empty() && !body.starts_with('#') {
            if directive {
                return missing_start(part, offset);
            }
            content = true;
        }
        offset += line.len();
    }
    if directive {
        return missing_start(part, text.len());
    }
    None
}

/// The first tab where go-yaml's scanner, in block context, may start a simple key and so
/// skips only spaces (`scan_to_next_token`): after a `-` or `?` indicator, or a `:` with no key
/// before it on its line (`-\tx`, `?\tx`, `? a\n:\t1`); the tab then starts no token. After a
/// key's `:` (`a:\t1`) and in flow collections a tab is a blank. `scalars` are the spans of
/// the text's scalars (tabs in them are text); only tabs before `before` are looked at. With
/// `line_starts` (when `scalars` are known), also a tab that only spaces precede on its line,
/// where a new line lets a simple key start: `\tb: 1`, or a line of a tab alone.
pub(crate) fn tab_where_a_key_may_start(
    text: &str,
    scalars: &[(usize, usize)],
    before: usize,
    line_starts: bool,
) -> Option<Gap> {
    let bytes = text.as_bytes();
    let before = before.min(bytes.len());
    let (mut depth, mut line_start, mut next_scalar, mut i) = (0usize, 0, 0, 0);
    while i < before {
        while scalars.get(next_scalar).is_some_and(|&(_, end)| end <= i) {
            next_scalar += 1;
        }
        if let Some(&(start, end)) = scalars.get(next_scalar)
            && start <= i
        {
            if line_starts
                && is_block_scalar(text, start)
                && let Some(at) = block_scalar_tab(text, start).filter(|&at| at < before)
            {
                return Some(Gap::new(
                    "found a tab character where an indentation space is expected",
                    at,
                ));
            }
            // A scalar may end at the start of a line (a block scalar takes its last break).
            if let Some(nl) = text[i..end].rfind('\n') {
                line_start = i + nl + 1;
            }
            i = end;
            continue;
        }
        match bytes[i] {
            b'\n' => line_start = i + 1,
            b'#' if i == line_start || matches!(bytes[i - 1], b' ' | b'\t') => {
                i = text[i..].find('\n').map_or(bytes.len(), |n| i + n);
                continue;
            }
            b'[' | b'{' => depth += 1,
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\t' if depth == 0 && only_indicators(&text[line_start..i]) => {
                return Some(Gap::new("found character that cannot start any token", i));
            }
            b'\t'
                if depth == 0 && line_starts && bytes[line_start..i].iter().all(|&b| b == b' ') =>
            {
                let before = scalars[..next_scalar].last().copied();
                if let Some(problem) = line_start_tab_problem(text, before, line_start, i) {
                    return Some(Gap::new(problem, i));
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// go-yaml's words for a tab at `tab`, which only spaces precede on its line (from
/// `line_start`), outside every scalar; `None` where go-yaml takes it for a blank. Which scanner
/// meets it depends on the token before it, when only blank lines lie between: a block scalar
/// reads on through the lines after it looking for more of its text, and takes a tab short of
/// its indentation for a mistake (`yaml_parser_scan_block_scalar_breaks`); a plain scalar reads
/// on for a continuation line, and refuses a tab left of its indentation, one column right of
/// its parent collection's (`yaml_parser_scan_plain_scalar`); otherwise the tab starts no token.
fn line_start_tab_problem(
    text: &str,
    scalar: Option<(usize, usize)>,
    line_start: usize,
    tab: usize,
) -> Option<&'static str> {
    let cannot_start = Some("found character that cannot start any token");
    let Some((start, end)) = scalar else {
        return cannot_start;
    };
    let between = &text[end.min(line_start)..line_start];
    if !between.bytes().all(|b| b == b' ' || b == b'\n') {
        return cannot_start;
    }
    if is_block_scalar(text, start) {
        return Some("found a tab character where an indentation space is expected");
    }
    if matches!(text.as_bytes().get(start), Some(b'"' | b'\'')) {
        return cannot_start;
    }
    (tab - line_start < plain_indent(text, start))
        .then_some("found a tab character that violates indentation")
}

/// The first tab go-yaml takes for a mistake in the block scalar whose text starts at `start`
/// (`yaml_parser_scan_block_scalar_breaks`): while the block's indentation is not known yet (its
/// leading lines and first line of text, without an indentation indicator) a tab after a
/// line's spaces, and later one short of the indentation. saphyr takes such a tab for text.
fn block_scalar_tab(text: &str, start: usize) -> Option<usize> {
    let before = text[..start].trim_end_matches([' ', '\t', '\n', '\r']);
    let header_start = before.rfind('\n').map_or(0, |i| i + 1);
    tab_after_block_header(text, header_start, before.len())
}

/// [`block_scalar_tab`] where saphyr failed (its scalars unknown): the first tab go-yaml
/// refuses in the indentation of a block scalar whose header line starts before `before`.
/// A header is a line's last token, `|` or `>` with its indicators, after a key's `:` or a `-`.
pub(crate) fn block_scalar_tab_before(text: &str, before: usize) -> Option<Gap> {
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        if at >= before {
            break;
        }
        let (code, token) = last_token(line.trim_end_matches(['\n', '\r']));
        let lead = code[..code.len() - token.len()].trim_end();
        if !(is_header(token) && (lead.is_empty() || lead.ends_with(':') || lead.ends_with('-'))) {
            continue;
        }
        if let Some(tab) = tab_after_block_header(text, at, at + code.len()).filter(|&t| t < before)
        {
            return Some(Gap::new(
                "found a tab character where an indentation space is expected",
                tab,
            ));
        }
    }
    None
}

/// The tab of [`block_scalar_tab`] for the block scalar whose header line starts at
/// `header_start` and whose header ends at `header_end`.
fn tab_after_block_header(text: &str, header_start: usize, header_end: usize) -> Option<usize> {
    let header = &text[header_start..header_end];
    if last_token(header).1.bytes().any(|b| b.is_ascii_digit()) {
        // An indentation indicator: its indentation is known from the start.
        return None;
    }
    let parent = block_parent_indent(header);
    let mut pos = header_end + text[header_end..].find('\n')? + 1;
    let (mut indent, mut widest) = (None::<usize>, 0);
    while pos < text.len() {
        let line_end = text[pos..].find('\n').map_or(text.len(), |n| pos + n);
        let line = &text[pos..line_end];
        let limit = indent.unwrap_or(usize::MAX);
        let spaces = line.bytes().take(limit).take_while(|&b| b == b' ').count();
        let rest = &line[spaces..];
        if rest.starts_with('\t') && spaces < limit {
            return Some(pos + spaces);
        }
        if rest.trim_end_matches('\r').is_empty() {
            widest = widest.max(spaces);
        } else {
            let ind = *indent.get_or_insert(widest.max(spaces).max(parent + 1));
            if spaces < ind {
                return None;
            }
        }
        pos = line_end + 1;
    }
    None
}

/// The indentation of the collection a block scalar's header line belongs to (go-yaml's
/// `parser.indent`): the column of the last key on the line, or of the `-` whose item the
/// scalar is.
fn block_parent_indent(header: &str) -> usize {
    let mut col = header.len() - header.trim_start_matches(' ').len();
    let mut rest = &header[col..];
    while let Some(after) = rest
        .strip_prefix('-')
        .filter(|r| r.starts_with([' ', '\t']))
    {
        let trimmed = after.trim_start_matches([' ', '\t']);
        if trimmed.starts_with(['|', '>']) {
            return col;
        }
        col += rest.len() - trimmed.len();
        rest = trimmed;
    }
    col
}

/// Whether the scalar whose text starts at `start` is a block scalar: its header (`|` or `>`,
/// then indicators, then maybe a comment) ends the last line before it that is not blank.
fn is_block_scalar(text: &str, start: usize) -> bool {
    let before = text[..start].trim_end_matches([' ', '\t', '\n', '\r']);
    let line = &before[before.rfind('\n').map_or(0, |i| i + 1)..];
    is_header(last_token(line).1)
}

/// A line without its comment, and its last token.
fn last_token(line: &str) -> (&str, &str) {
    let code = line.split(" #").next().unwrap_or(line).trim_end();
    (code, code.rsplit([' ', '\t']).next().unwrap_or(code))
}

/// Whether `token` is a block scalar's header: `|` or `>`, then its indicators.
fn is_header(token: &str) -> bool {
    let mut chars = token.chars();
    matches!(chars.next(), Some('|' | '>')) && chars.all(|c| matches!(c, '+' | '-' | '0'..='9'))
}

/// The column a plain scalar starting at `start` may continue from: one right of its parent
/// collection's (a sequence's `-` when it is an item, else the mapping's first key).
fn plain_indent(text: &str, start: usize) -> usize {
    let line_start = text[..start].rfind('\n').map_or(0, |i| i + 1);
    let bytes = &text.as_bytes()[line_start..start];
    // Past the line's indentation and its `- ` indicators: the first token.
    let mut col = 0;
    let mut last_dash = None;
    loop {
        while bytes.get(col) == Some(&b' ') {
            col += 1;
        }
        if bytes.get(col) == Some(&b'-') && matches!(bytes.get(col + 1), None | Some(b' ' | b'\t'))
        {
            last_dash = Some(col);
            col += 1;
            continue;
        }
        break;
    }
    if col >= bytes.len() {
        // The scalar is the first token: an item of the sequence, or a root scalar.
        return last_dash.map_or(0, |d| d + 1);
    }
    col + 1
}

/// Whether `head` (a line up to a tab) is one or more of the indicators `-`, `?` and `:`, each
/// after blanks.
fn only_indicators(head: &str) -> bool {
    let mut tokens = head.split([' ', '\t']).filter(|t| !t.is_empty()).peekable();
    tokens.peek().is_some() && tokens.all(|t| matches!(t, "-" | "?" | ":"))
}

impl Gap {
    fn new(message: &'static str, at: usize) -> Gap {
        Gap { message, at }
    }
}

/// libyaml's `is_alpha`: the characters of directive, anchor and alias names.
fn is_alpha(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == '-'
}

/// `%YAML`'s `MAJOR.MINOR` after at least one blank; `None` when malformed.
fn version(rest: &str) -> Option<(u32, u32)> {
    let trimmed = rest.trim_start_matches([' ', '\t']);
    if trimmed.len() == rest.len() {
        return None;
    }
    let word = trimmed
        .split([' ', '\t', '#'])
        .next()?
        .trim_end_matches('\r');
    let (major, minor) = word.split_once('.')?;
    let digits = |s: &str| !s.is_empty() && s.len() <= 9 && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(major) || !digits(minor) {
        return None;
    }
    Some((major.parse().ok()?, minor.parse().ok()?))
}

/// Whether `at` is in one of `spans`, which saphyr starts at a node's tag or anchor (`&`, `!`):
/// those properties are tokens, not the scalar's text.
fn inside(text: &str, spans: &[(usize, usize)], at: usize) -> bool {
    // Spans come in document order; a binary search finds the last one starting at or before.
    let i = spans.partition_point(|&(start, _)| start <= at);
    // A span may start at the scalar's anchor or tag: those are no part of its text.
    spans[..i]
        .iter()
        .rev()
        .take(4)
        .any(|&(s, e)| properties_end(text, s) <= at && at < e)
}

/// Where the text of a node starting at byte `at` starts, past its anchor and tag (and the
/// blanks after each).
pub(crate) fn properties_end(text: &str, at: usize) -> usize {
    let bytes = text.as_bytes();
    let mut i = at;
    while matches!(bytes.get(i), Some(b'&' | b'!')) {
        while bytes.get(i).is_some_and(|b| !b" \t\r\n".contains(b)) {
            i += 1;
        }
        while bytes.get(i).is_some_and(|b| b" \t\r\n".contains(b)) {
            i += 1;
        }
    }
    i
}

/// Whether `at` is after a `#` that starts a comment on its line (outside scalars, which the
/// caller has ruled out for `at`; a `#` in a quoted scalar before it could mislead, so only a
/// `#` at the line start or after a blank counts).
fn in_comment(text: &str, at: usize) -> bool {
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let line = &text.as_bytes()[line_start..at];
    line.iter()
        .enumerate()
        .any(|(j, &b)| b == b'#' && (j == 0 || matches!(line[j - 1], b' ' | b'\t')))
}

/// A block scalar whose blank first lines run deeper than its first line with content, at
/// byte `at` (saphyr: "wrongly indented line in block scalar"), when that line is a comment:
/// libyaml ends the scalar (its indentation is the blank lines' deepest) before the line,
/// empty, and reads the comment as one. The text with the blank lines made comments (same
/// length: a `#` for their first space), which saphyr reads alike, and for a header that keeps
/// its breaks (`+`) where the header is and the value libyaml gives (a line break per blank
/// line); `None` where the blank lines are not only spaces or the header gives the indentation.
/// (The place is where saphyr's span of the scalar starts: the line after the header.)
pub(crate) fn blank_lines_before_comment(
    text: &str,
    at: usize,
) -> Option<(String, Option<(usize, String)>)> {
    if text.as_bytes().get(at) != Some(&b'#') {
        return None;
    }
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    // Back over the blank lines to the header's.
    let mut blanks = Vec::new();
    let mut end = line_start;
    let header = loop {
        let before = end.checked_sub(1)?;
        let start = text[..before].rfind('\n').map_or(0, |i| i + 1);
        let line = text[start..before].trim_end_matches('\r');
        if !line.trim_start_matches(' ').is_empty() {
            break line;
        }
        blanks.push(start..start + line.len());
        end = start;
    };
    let (_, token) = last_token(header);
    if !is_header(token) || token.contains(|c: char| c.is_ascii_digit()) {
        return None;
    }
    // saphyr's span of the scalar starts on the line after its header.
    let kept = token
        .contains('+')
        .then(|| (end, "\n".repeat(blanks.len())));
    let mut out = text.to_string().into_bytes();
    for line in blanks.iter().filter(|l| !l.is_empty()) {
        out[line.start] = b'#';
    }
    Some((String::from_utf8(out).ok()?, kept))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn helm_4_reads_directives_alone() {
        let at = |text: &str| directives_alone(text).map(|(_, g)| g.at);
        assert_eq!(at("%YAML 1.1\n---\na: 1\n"), Some(10));
        assert_eq!(at("a: 1\n---\nb: 2\n"), None);
        // Checked with Helm 4.1.4: "did not find expected <document start>" in each.
        assert_eq!(at("%YAML 1.1\na: 1\n"), Some(10));
        assert_eq!(at("a: 1\n---\n%YAML 1.1\n---\nb: 2\n"), Some(19));
        assert_eq!(at("a: 1\n---\n%YAML 1.1\nb: 2\n"), Some(19));
        // Inside a quoted scalar a `%` line is text.
        assert_eq!(at("a: \"x\n%y\"\n"), None);
    }

    #[test]
    fn a_tab_after_an_indicator_starts_no_token() {
        let tab =
            |text: &str| tab_where_a_key_may_start(text, &[], text.len(), false).map(|g| g.at);
        assert_eq!(tab("a:\n-\tx\n"), Some(4));
        assert_eq!(tab("- -\tx\n"), Some(3));
        assert_eq!(tab("? a\n:\t1\n"), Some(5));
        assert_eq!(tab("a:\t1\n"), None);
        assert_eq!(tab("[-\t1]\n"), None);
        assert_eq!(tab("# -\tx\n"), None);
        // A tab inside a scalar is text.
        assert_eq!(
            tab_where_a_key_may_start("a: |\n  -\tx\n", &[(3, 11)], 11, false),
            None
        );
    }

    #[test]
    fn a_tab_that_starts_a_line_starts_no_token() {
        // Helm 3.17.3 and 4.1.4: "found character that cannot start any token".
        let tab = |text: &str, scalars: &[(usize, usize)]| {
            tab_where_a_key_may_start(text, scalars, text.len(), true).map(|g| g.at)
        };
        assert_eq!(tab("\tb: 1\n", &[(1, 2), (4, 5)]), Some(0));
        let problem = |text: &str, scalars: &[(usize, usize)]| {
            tab_where_a_key_may_start(text, scalars, text.len(), true).map(|g| g.message)
        };
        assert_eq!(
            problem("a: 1\n\t\n", &[(0, 1), (3, 4)]),
            Some("found a tab character that violates indentation")
        );
        assert_eq!(
            problem("a: >\n  x\n\t\n", &[(0, 1), (7, 9)]),
            Some("found a tab character where an indentation space is expected")
        );
        assert_eq!(
            problem("a: 'x'\n\t\n", &[(0, 1), (3, 6)]),
            Some("found character that cannot start any token")
        );
        assert_eq!(tab("\t\nb: 1\n", &[(2, 3), (5, 6)]), Some(0));
        assert_eq!(tab("a: {}\n  \t# c\n", &[(0, 1)]), Some(8));
        // Right of a plain scalar's indentation the tab is a blank to go-yaml (Helm 3.17.3).
        assert_eq!(tab("a: 1\n  \t# c\n", &[(0, 1), (3, 4)]), None);
        // A continued scalar, a flow collection: the tab is a blank.
        assert_eq!(tab("a: x\n\ty\n", &[(0, 1), (3, 8)]), None);
        assert_eq!(tab("a: [1,\n\t2]\n", &[(0, 1), (4, 5), (8, 9)]), None);
        assert_eq!(tab("a: 1\t# c\n", &[(0, 1), (3, 4)]), None);
    }

    #[test]
    fn a_tab_in_a_block_scalars_indentation_is_refused_as_go_yaml_refuses_it() {
        // Helm 3.17.3 and 4.1.4: "found a tab character where an indentation space is
        // expected" where `Some`, a render where `None` (scripts/oracle/release_probes/blocktab.py).
        let tab = |text: &str| block_scalar_tab_before(text, text.len()).map(|g| g.at);
        assert_eq!(tab("a: |\n  \techo hi\n"), Some(7));
        assert_eq!(tab("a: >\n\n  \tx\n"), Some(8));
        assert_eq!(tab("a: |\n\t\n  x\n"), Some(5));
        assert_eq!(tab("a: |\n  x\n\t\n  y\n"), Some(9));
        assert_eq!(tab("a: |\n  x\n \ty\n"), Some(10));
        assert_eq!(tab("x:\n  a: |\n    \tq\n"), Some(14));
        assert_eq!(tab("l:\n- a: |\n    \tq\n"), Some(14));
        assert_eq!(tab("a: |-\n   x\n  \ty\n"), Some(13));
        assert_eq!(tab("a: | # c\n  \tq\n"), Some(11));
        // An indentation indicator fixes it; a tab right of the indentation is text.
        assert_eq!(tab("a: |2\n  \techo hi\n"), None);
        assert_eq!(tab("a: |\n  x\n  \ty\n"), None);
        // After the block, a quoted scalar's tab is text; a key is no header.
        assert_eq!(tab("a: |\n  x\nb: \"\tz\"\n"), None);
        assert_eq!(tab("a: \"|\"\n  \tx\n"), None);
        assert_eq!(tab("a: |\nb: \"\tq\"\n"), None);
    }

    fn first(text: &str) -> Option<(&'static str, usize)> {
        before_first_document(text).map(|g| (g.message, g.at))
    }

    #[test]
    fn only_yaml_1_1_is_compatible() {
        assert_eq!(first("%YAML 1.1\n---\na: 1\n"), None);
        assert_eq!(
            first("%YAML 1.2\n---\na: 1\n"),
            Some(("found incompatible YAML document", 0))
        );
        assert_eq!(
            first("# c\n%YAML 1.1\n%YAML 1.1\n---\n"),
            Some(("found duplicate %YAML directive", 14))
        );
        assert_eq!(
            first("%TAG !e! a:\n%TAG !e! b:\n---\n"),
            Some(("found duplicate %TAG directive", 12))
        );
        assert_eq!(
            first("%FOO bar\n---\n"),
            Some(("found unknown directive name", 0))
        );
        // go-yaml's `yaml_parser_scan_directive_name` (Helm 3.17.3's words: a `printf` that
        // went wrong renders `%!s(MISSING)` at a line's start).
        assert_eq!(
            first("%!s(MISSING)-x\n"),
            Some(("could not find expected directive name", 0))
        );
        assert_eq!(
            first("# c\n%YAML!1.1\na: 1\n"),
            Some(("found unexpected non-alphabetical character", 4))
        );
    }

    #[test]
    fn a_first_token_dots_ends_a_document_with_no_node() {
        assert_eq!(
            first("\n...\na: 1\n"),
            Some(("did not find expected node content", 1))
        );
        assert_eq!(first("a: 1\n...\n"), None);
        assert_eq!(first("...x: 1\n"), None);
    }

    #[test]
    fn anchor_names_are_alphanumeric_dash_and_underscore() {
        let gap = |t: &str, spans: &[(usize, usize)]| {
            property_names(t, spans, t.len(), &|_| false).map(|g| (g.message, g.at))
        };
        assert_eq!(
            gap("a: &a-b_C9 1\nb: *a-b_C9\n", &[(0, 1), (11, 12), (13, 14)]),
            None
        );
        assert_eq!(
            gap("a: &a.b 1\n", &[(0, 1), (8, 9)]),
            Some(("did not find expected alphabetic or numeric character", 3))
        );
        assert_eq!(
            gap("a: &a@b 1\n", &[(0, 1), (8, 9)]),
            Some(("found character that cannot start any token", 5))
        );
        // In a scalar or a comment, `&` is text.
        assert_eq!(gap("a: x &a.b # &c.d\n", &[(0, 1), (3, 9)]), None);
    }
}
