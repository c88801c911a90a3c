//! Span-aware YAML loading with Helm's typing.
//!
//! Helm reads values files with go-yaml v2 and a JSON round trip. This loader reproduces the
//! result on top of saphyr's event parser: YAML 1.1 scalars (`yes`/`on`/`y` booleans, octal,
//! hex and `_` integers), every number a float64, anchors and aliases, `<<` merge keys applied in
//! order, duplicate keys where the last one wins. Every node keeps the span of its key and value.
//! Alias expansion, nesting depth, document count and file size are bounded.
//!
//! The loader in parts: `events` feeds the `builder` from saphyr's parser or from the fast
//! block reader; the builder types each scalar as go-yaml does (`resolve`) and places it in the
//! tree (`tree`: `<<` merge keys, duplicate keys); `go_yaml_errors` puts saphyr's errors in
//! go-yaml's words and adds the refusals saphyr lacks; `plain_block` hands a plain block text's
//! reading, step by step, to callers that build values of their own. This file holds the public types and the
//! entry points.

// NOTE: the paths are spelled out because build.rs compiles this file too (`#[path]`), and a
// module file loaded that way looks for its modules beside it, not in `yaml/`.
#[path = "yaml/alias_ratio.rs"]
mod alias_ratio;
#[path = "yaml/builder.rs"]
mod builder;
#[path = "yaml/events.rs"]
mod events;
#[path = "yaml/go_yaml_errors.rs"]
mod go_yaml_errors;
#[path = "yaml/plain_block.rs"]
pub(crate) mod plain_block;
#[path = "yaml/resolve.rs"]
mod resolve;
#[path = "yaml/tree.rs"]
mod tree;

#[cfg(test)]
#[path = "yaml/tests.rs"]
mod tests;

/// The block reader checked against saphyr on real files: both readings must agree.
#[cfg(test)]
#[path = "yaml/block_tests.rs"]
pub(crate) mod block_tests;

use crate::source::{FileId, Span};
use crate::value::Node;

use builder::Builder;
#[cfg(test)]
pub(crate) use events::both_readings;
use events::run_saphyr;
use go_yaml_errors::go_yaml_gaps;
// NOTE: used elsewhere in the crate, but not by build.rs, which compiles this file too.
#[allow(unused_imports)]
pub(crate) use builder::UNSUPPORTED_FLOAT;
#[allow(unused_imports)]
pub(crate) use resolve::{go_yaml_integer, resolve_plain};

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

/// A parser's message as go-yaml prints it: the problem without the parser's context
/// ("while parsing a block mapping, did not find expected key" is "did not find expected key"),
/// in libyaml's words where saphyr has its own.
pub(crate) fn go_problem(message: &str) -> &str {
    let problem = match message.split_once(", ") {
        Some((context, problem)) if context.starts_with("while ") => problem,
        _ => message,
    };
    if problem.starts_with("unexpected character") {
        "found character that cannot start any token"
    } else if problem == "expected ',' or ']'" {
        "did not find expected ',' or ']'"
    } else {
        problem
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
    /// A key that decodes to an integer only a uint64 holds: the JSON step's error, which
    /// prints the key and the value under it.
    Uint {
        /// The key.
        key: u64,
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

    /// go-yaml's error where it refuses a text saphyr reads (see [`crate::yaml_gap`]).
    pub(crate) fn from_gap(file: FileId, gap: &crate::yaml_gap::Gap) -> YamlError {
        YamlError::Syntax {
            message: gap.message.into(),
            span: Span::new(file, gap.at, gap.at),
        }
    }

    /// The message for a user's file: a syntax error in go-yaml's words (its problem, without
    /// the parser's context, as Helm prints it).
    pub(crate) fn user_message(&self) -> String {
        match self {
            YamlError::Syntax { message, .. } => format!("invalid YAML: {}", go_problem(message)),
            e => e.to_string(),
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
    /// Whether the text defines an anchor (so may name one anywhere) or has a tag: only then
    /// are their names checked against go-yaml's rules.
    pub(crate) has_properties: bool,
    /// Where go-yaml stops scanning, when before the text's end: at the token after the first
    /// document's root that ends it without a marker (a line left of a root indented itself).
    pub(crate) scanned_to: Option<usize>,
    /// Where a plain scalar in a flow collection ended glued to a `:` and a flow indicator
    /// (`[a:]`): go-yaml's scalar is `a:`, and `load_once` reads the text again.
    pub(crate) glued: Vec<usize>,
    /// Whether a special float (`.inf`, `.nan`) was read, when [`load_decoded`] left them in
    /// the tree: only then does its caller look for them.
    pub(crate) special_floats: bool,
}

/// Most duplicate keys recorded in [`YamlFile::duplicates`]; later ones are merged the same way
/// but not reported.
pub(crate) const MAX_DUPLICATES: usize = 1_000;

/// Where the first document ends when a later `---` (or `...`) line starts another one: where
/// go-yaml, which reads one document, stops (values files under Helm 3, `fromYaml`, manifests).
pub(crate) fn first_document_end(s: &str) -> Option<usize> {
    let mut offset = 0;
    let mut seen_content = false;
    for line in s.split_inclusive('\n') {
        let marker = (line.starts_with("---") || line.starts_with("..."))
            && line[3..].chars().next().is_none_or(char::is_whitespace);
        if marker && seen_content {
            return Some(offset);
        }
        seen_content |= !marker && !line.trim().is_empty() && !line.trim_start().starts_with('#');
        offset += line.len();
    }
    None
}

/// Loads `text` (the contents of `file`), charging its values to the run's budget every time.
pub fn load(file: FileId, text: &str, limits: &Limits) -> Result<YamlFile, YamlError> {
    load_once(file, None, text, limits, false)
}

/// Loads `text` as go-yaml decodes it, before the JSON step: special floats (`.inf`, `.nan`)
/// stay in the tree, for a reader whose target type turns some of them into text and refuses
/// the rest itself (Helm's `SimpleHead`, through sigs.k8s.io/yaml).
pub(crate) fn load_decoded(
    file: FileId,
    text: &str,
    limits: &Limits,
) -> Result<YamlFile, YamlError> {
    load_once(file, None, text, limits, true)
}

/// Loads `text`, the contents of the file named `name`: charged to the run's budget the first
/// time only (a `-f` file is parsed again for every release).
pub(crate) fn load_named(
    file: FileId,
    name: &str,
    text: &str,
    limits: &Limits,
) -> Result<YamlFile, YamlError> {
    load_once(file, Some(name), text, limits, false)
}

/// Whether byte `at` is a `:` glued to what is before it and followed by a flow indicator
/// (`a:]`, `a:[`): part of a plain scalar for go-yaml, in a flow collection.
pub(crate) fn glued_colon(text: &str, at: usize) -> bool {
    let bytes = text.as_bytes();
    bytes.get(at) == Some(&b':')
        && matches!(bytes.get(at + 1), Some(b',' | b'[' | b']' | b'{' | b'}'))
        && at > 0
        && !matches!(
            bytes[at - 1],
            b' ' | b'\t' | b'\n' | b'\r' | b'"' | b'\'' | b',' | b'[' | b'{'
        )
}

/// Whether saphyr refused, at byte `at`, a character go-yaml v2 reads in a flow collection's
/// plain scalar: a glued `:` (`a:[`, and a scalar over lines as a key, `[a\n b:]`), or a `-`
/// before a flow indicator (`[a, -]`, which YAML 1.2 refuses).
fn refused_plain(text: &str, message: &str, at: usize) -> bool {
    // (saphyr's parser puts its context first: "while parsing a flow mapping, did not …")
    let colon = (message.starts_with("':' may not precede")
        || message.contains("did not find expected ','"))
        && glued_colon(text, at);
    let dash = message.starts_with("plain scalar cannot start with '-'")
        && text.as_bytes().get(at) == Some(&b'-');
    colon || dash
}

/// What every reading of one text sets up its builder with (texts read again, cut or patched,
/// live shorter than the text: a method, not one closure, lends each its own lifetime).
#[derive(Clone, Copy)]
struct BuilderSetup<'a> {
    file: FileId,
    limits: &'a Limits,
    original: Option<(&'a str, Option<char>)>,
    run_left: usize,
    run_max: usize,
    keep_special_floats: bool,
}

impl<'a> BuilderSetup<'a> {
    fn builder<'b>(&self, text: &'b str) -> Builder<'b>
    where
        'a: 'b,
    {
        let mut builder = Builder::new(self.file, text, self.limits);
        builder.original = self.original;
        builder.run_left = self.run_left;
        builder.run_max = self.run_max;
        builder.keep_special_floats = self.keep_special_floats;
        builder
    }
}

/// How many times a text is read again for `:` glued to flow scalars found on the way.
const MAX_GLUED_ROUNDS: usize = 16;

fn load_once(
    file: FileId,
    name: Option<&str>,
    text: &str,
    limits: &Limits,
    keep_special_floats: bool,
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
    let setup = BuilderSetup {
        file,
        limits,
        original,
        run_left: ticket.nodes_left,
        run_max: ticket.run_max,
        keep_special_floats,
    };
    let builder = || setup.builder(text);
    // The text up to where go-yaml stops reading it (what follows is never scanned).
    let read_to = |end: usize| {
        run_saphyr(&text[..end], || setup.builder(&text[..end])).map(|(mut out, nodes)| {
            out.scanned_to = Some(out.scanned_to.map_or(end, |at| at.min(end)));
            (out, nodes)
        })
    };
    // Plain block YAML (what templates print) is read by a reader that knows only it; where it
    // gives up, or where the text breaks a limit (whose error saphyr's events place), saphyr
    // reads the text.
    let fast = match original {
        None => crate::yaml_block::events(text).and_then(|events| builder().run_block(events).ok()),
        Some(_) => None,
    };
    let mut read = match fast {
        Some(done) => (Ok(done), true),
        None => (run_saphyr(text, builder), false),
    };
    // A directive inside a document: go-yaml's scan of it fails, or it ends the document
    // (go-yaml reads no further), unless a flow collection is left open (saphyr's error).
    if let Err(e) = &read.0
        && let at = e.span().start
        && at > 0
        && text.as_bytes().get(at - 1..=at) == Some(b"\n%")
    {
        let ends = e
            .to_string()
            .contains("missing explicit document end marker before directive");
        match crate::yaml_gap::directive_in_document(text, at) {
            Ok(end) if ends => read.0 = read_to(end),
            Ok(_) => {}
            Err(gap) => read.0 = Err(YamlError::from_gap(file, &gap)),
        }
    }
    // A flow collection root, then a token on its line: go-yaml reads no further (so never
    // decodes a `{}: 1` saphyr read as a map with a complex key).
    if let Err(e) = &read.0
        && let at = match e {
            YamlError::Key { .. } => text.len(),
            _ => e.span().start,
        }
        && let Some(end) = crate::yaml_gap::flow_root_read_before(text, at)
    {
        read.0 = read_to(end);
    }
    // A block scalar's blank first lines deeper than the comment after them: libyaml ends the
    // scalar there, empty, where saphyr fails.
    if let Err(YamlError::Syntax { message, span }) = &read.0
        && message == "wrongly indented line in block scalar"
        && let Some((commented, kept)) =
            crate::yaml_gap::blank_lines_before_comment(text, span.start)
    {
        read.0 = run_saphyr(&commented, || {
            let mut builder = setup.builder(&commented);
            builder.kept_breaks = kept.clone();
            builder
        });
    }
    // A plain scalar in a flow collection glued to a `:` and a flow indicator (`[a:]`,
    // `map[a:[1]]`): go-yaml reads the `:` as part of the scalar, saphyr as a value's (and a
    // `-` before a flow indicator as a scalar, which saphyr refuses). saphyr reads the text
    // again with a plain character for each such `:` or `-` (the same length), and the
    // scalars get theirs back.
    let mut patched: Vec<usize> = Vec::new();
    for _ in 0..MAX_GLUED_ROUNDS {
        let mut found = match &read.0 {
            Ok((file, _)) => file.glued.clone(),
            Err(YamlError::Syntax { message, span })
                if refused_plain(text, message, span.start) =>
            {
                vec![span.start]
            }
            Err(_) => Vec::new(),
        };
        found.retain(|at| !patched.contains(at));
        if found.is_empty() {
            break;
        }
        patched.extend(found);
        let mut bytes = text.as_bytes().to_vec();
        for &at in &patched {
            bytes[at] = b'x';
        }
        let Ok(again) = String::from_utf8(bytes) else {
            break;
        };
        let parse: &str = &again;
        read = (
            run_saphyr(parse, || {
                let mut builder = setup.builder(parse);
                builder.unglued = Some(text);
                builder
            }),
            false,
        );
    }
    let (out, nodes) = go_yaml_gaps(file, text, read)?;
    ticket.charge(nodes);
    Ok(out)
}
