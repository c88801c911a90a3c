//! Parsed templates in a compact binary form: `build.rs` parses every template of the built-in
//! charts once and packs the trees, so a render decodes them instead of lexing and parsing
//! (see the README, "Performance").
//!
//! A packed file says what its parse assumed: the length and hash of the text it was parsed
//! from, and every function name the parser asked about with the answer it got (whether such a
//! function exists decides parse errors and whether `break`/`continue` are keywords).
//! [`decode_bodies`] gives `None` when the text or an answer differs, and the caller parses the
//! text.
//!
//! Layout: [`MAGIC`], text length, text hash (8 bytes), the answers (count; name, answer byte),
//! the string table (count; strings), the trees (count; per tree its name — 0 for the file's own
//! name, else 1 and a string —, whether it is empty, and its root list as a length and bytes).
//! Each root list is packed on its own (positions start again from 0), so a tree is decoded only
//! when it runs: most `define`s of a chart never do. So is each list of an `if`, `range` or
//! `with` (its length first), decoded when the branch first runs. Nodes are a tag byte and their fields in
//! declaration order; counts and string numbers are LEB128 varints, positions the zigzag
//! varint of their difference from the position before.

use crate::file_bytes::FileBytes;
use std::rc::Rc;

use super::ast::{
    Arg, Branch, Command, LazyList, List, Node, Number, Pipe, Pos, Root, Tree, Variable,
};

/// The first bytes of a packed file (a `values.yaml` packed form never starts so).
pub(crate) const MAGIC: &[u8] = b"\xfftpl3";

/// The text a packed file was parsed from, hashed eight bytes at a time (the check runs over
/// every template of a chart each render: FNV's byte at a time cost more than decoding).
pub(crate) fn text_hash(text: &str) -> u64 {
    bytes_hash(text.as_bytes())
}

/// [`text_hash`] of any bytes (the pack finds a chart's template texts by it).
pub(crate) fn bytes_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ bytes.len() as u64;
    let mut words = bytes.chunks_exact(8);
    for w in &mut words {
        let w = w.try_into().map_or(0, u64::from_le_bytes);
        h = (h.rotate_left(5) ^ w).wrapping_mul(K);
    }
    for &b in words.remainder() {
        h = (h.rotate_left(5) ^ u64::from(b)).wrapping_mul(K);
    }
    h
}

/// Packs the trees parsed from `text` under the file name `file`, with the function-name
/// answers the parse got.
#[allow(
    dead_code,
    reason = "the build script (build.rs) packs with it; the library only reads packs"
)]
pub(crate) fn encode(
    text: &str,
    file: &str,
    answers: &[(String, bool)],
    trees: &[Tree],
) -> Vec<u8> {
    let mut e = Encoder {
        source: text,
        last: 0,
        strings: Vec::new(),
        numbers: Default::default(),
    };
    let mut body = Vec::new();
    put(&mut body, trees.len());
    for t in trees {
        if &*t.name == file {
            body.push(0);
        } else {
            body.push(1);
            e.string(&mut body, &t.name);
        }
        body.push(u8::from(t.root.is_empty()));
        e.last = 0;
        let mut root = Vec::new();
        e.list(&mut root, &t.root);
        put_bytes(&mut body, &root);
    }
    let mut out = MAGIC.to_vec();
    put(&mut out, text.len());
    out.extend_from_slice(&text_hash(text).to_le_bytes());
    put(&mut out, answers.len());
    for (name, answer) in answers {
        put_bytes(&mut out, name.as_bytes());
        out.push(u8::from(*answer));
    }
    put(&mut out, e.strings.len());
    for s in &e.strings {
        put_bytes(&mut out, s.as_bytes());
    }
    out.extend_from_slice(&body);
    out
}

struct Encoder<'a> {
    source: &'a str,
    /// The position written last: positions are written as the difference from it.
    last: Pos,
    strings: Vec<Rc<str>>,
    numbers: std::collections::HashMap<Rc<str>, usize>,
}

impl Encoder<'_> {
    fn pos(&mut self, out: &mut Vec<u8>, pos: Pos) {
        let delta = i64::from(pos) - i64::from(self.last);
        self.last = pos;
        put(out, ((delta << 1) ^ (delta >> 63)) as usize);
    }

    fn string(&mut self, out: &mut Vec<u8>, s: &Rc<str>) {
        let n = match self.numbers.get(s) {
            Some(&n) => n,
            None => {
                self.strings.push(s.clone());
                self.numbers.insert(s.clone(), self.strings.len() - 1);
                self.strings.len() - 1
            }
        };
        put(out, n);
    }

    fn strings(&mut self, out: &mut Vec<u8>, list: &[Rc<str>]) {
        put(out, list.len());
        list.iter().for_each(|s| self.string(out, s));
    }

    fn list(&mut self, out: &mut Vec<u8>, l: &List) {
        self.pos(out, l.pos);
        put(out, l.nodes.len());
        l.nodes.iter().for_each(|n| self.node(out, n));
    }

    fn node(&mut self, out: &mut Vec<u8>, n: &Node) {
        match n {
            // Text is mostly the source's own bytes at its position: packed as a length.
            Node::Text { pos, text }
                if self.source.get(*pos as usize..*pos as usize + text.len()) == Some(&**text) =>
            {
                out.push(8);
                self.pos(out, *pos);
                put(out, text.len());
            }
            Node::SourceText { pos, len } => {
                out.push(8);
                self.pos(out, *pos);
                put(out, *len as usize);
            }
            Node::Text { pos, text } => {
                out.push(0);
                self.pos(out, *pos);
                self.string(out, text);
            }
            Node::Action { pos, pipe } => {
                out.push(1);
                self.pos(out, *pos);
                self.pipe(out, pipe);
            }
            Node::If(b) | Node::Range(b) | Node::With(b) => {
                out.push(match n {
                    Node::If(_) => 2,
                    Node::Range(_) => 3,
                    _ => 4,
                });
                self.branch(out, b);
            }
            Node::Template { pos, name, pipe } => {
                out.push(5);
                self.pos(out, *pos);
                self.string(out, name);
                match pipe {
                    Some(p) => {
                        out.push(1);
                        self.pipe(out, p);
                    }
                    None => out.push(0),
                }
            }
            Node::Break { pos } => {
                out.push(6);
                self.pos(out, *pos);
            }
            Node::Continue { pos } => {
                out.push(7);
                self.pos(out, *pos);
            }
        }
    }

    fn branch(&mut self, out: &mut Vec<u8>, b: &Branch) {
        self.pos(out, b.pos);
        self.pipe(out, &b.pipe);
        self.own_list(out, &b.list);
        match &b.else_list {
            Some(l) => {
                out.push(1);
                self.own_list(out, l);
            }
            None => out.push(0),
        }
    }

    /// A branch's list, packed on its own as a root list is (its length first, positions from
    /// 0 again), so a render skips it until the branch runs.
    fn own_list(&mut self, out: &mut Vec<u8>, l: &List) {
        let before = std::mem::replace(&mut self.last, 0);
        let mut bytes = Vec::new();
        self.list(&mut bytes, l);
        self.last = before;
        put_bytes(out, &bytes);
    }

    fn pipe(&mut self, out: &mut Vec<u8>, p: &Pipe) {
        self.pos(out, p.pos);
        out.push(u8::from(p.is_assign));
        put(out, p.decl.len());
        for v in &p.decl {
            self.pos(out, v.pos);
            self.string(out, &v.name);
        }
        put(out, p.cmds.len());
        for c in &p.cmds {
            self.pos(out, c.pos);
            put(out, c.args.len());
            c.args.iter().for_each(|a| self.arg(out, a));
        }
    }

    fn arg(&mut self, out: &mut Vec<u8>, a: &Arg) {
        let tag = match a {
            Arg::Dot(_) => 0,
            Arg::Nil(_) => 1,
            Arg::Bool(..) => 2,
            Arg::Number(..) => 3,
            Arg::String(..) => 4,
            Arg::Identifier(..) => 5,
            Arg::Variable(..) => 6,
            Arg::Field(..) => 7,
            Arg::Chain(..) => 8,
            Arg::Pipe(..) => 9,
        };
        out.push(tag);
        self.pos(out, a.pos());
        match a {
            Arg::Dot(_) | Arg::Nil(_) => {}
            Arg::Bool(_, b) => out.push(u8::from(*b)),
            Arg::Number(_, n) => {
                self.string(out, &n.text);
                let flags = u8::from(n.int.is_some())
                    | u8::from(n.uint.is_some()) << 1
                    | u8::from(n.float.is_some()) << 2
                    | u8::from(n.is_char) << 3;
                out.push(flags);
                if let Some(i) = n.int {
                    out.extend_from_slice(&i.to_le_bytes());
                }
                if let Some(u) = n.uint {
                    out.extend_from_slice(&u.to_le_bytes());
                }
                if let Some(f) = n.float {
                    out.extend_from_slice(&f.to_bits().to_le_bytes());
                }
            }
            Arg::String(_, s) | Arg::Identifier(_, s) => self.string(out, s),
            Arg::Variable(_, name, fields) => {
                self.string(out, name);
                self.strings(out, fields);
            }
            Arg::Field(_, fields) => self.strings(out, fields),
            Arg::Chain(_, inner, fields) => {
                self.arg(out, inner);
                self.strings(out, fields);
            }
            Arg::Pipe(_, p) => self.pipe(out, p),
        }
    }
}

fn put(out: &mut Vec<u8>, mut n: usize) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

fn put_bytes(out: &mut Vec<u8>, b: &[u8]) {
    put(out, b.len());
    out.extend_from_slice(b);
}

/// The trees packed in `bytes` for the file `file` whose text is `source`, when they were parsed
/// from that text with the answers `func_exists` gives now; `None` otherwise (parse the text).
#[cfg(test)]
pub(crate) fn decode(
    bytes: &FileBytes,
    file: &Rc<str>,
    source: &Rc<str>,
    func_exists: fn(&str) -> bool,
) -> Option<Vec<Tree>> {
    let bodies = decode_bodies(bytes, source, func_exists)?;
    Some(trees(&bodies, file, source))
}

/// A tree of a file without the file's name: its name (`None` for the file's own) and body.
pub(crate) type Body = (Option<Rc<str>>, Rc<Root>);

/// The trees of a file from its [`decode_bodies`]: named `file` where the name is `None`.
pub(crate) fn trees(bodies: &[Body], file: &Rc<str>, source: &Rc<str>) -> Vec<Tree> {
    bodies
        .iter()
        .map(|(name, root)| Tree {
            name: name.clone().unwrap_or_else(|| file.clone()),
            parse_name: file.clone(),
            source: source.clone(),
            root: root.clone(),
        })
        .collect()
}

/// What the bodies of one packed file share: its bytes, text and string table.
struct PackedFile {
    bytes: FileBytes,
    source: Rc<str>,
    strings: Strings,
    /// The answers the pack was checked with, should the text need parsing.
    func_exists: fn(&str) -> bool,
}

impl PackedFile {
    /// The list packed at `at` of the file's bytes, when it decodes to its end.
    fn decode_list(self: &Rc<Self>, at: &std::ops::Range<usize>) -> Option<List> {
        let mut d = Decoder {
            bytes: self.bytes.get(at.clone()).unwrap_or_default(),
            base: at.start,
            file: Some(self),
            source: &self.source,
            last: 0,
            at: 0,
            strings: &self.strings,
            file_bytes: &self.bytes,
            depth: 0,
        };
        d.list().filter(|_| d.at == d.bytes.len())
    }
}

/// A list, packed: decoded by [`LazyList::list`] the first time it is needed.
#[derive(Clone)]
pub(crate) struct PackedList {
    file: Rc<PackedFile>,
    at: std::ops::Range<usize>,
    /// Where the list is in the parsed text, should the text need parsing.
    in_text: InText,
}

/// Where a packed list is in the trees parsed from its file's text.
#[derive(Clone)]
enum InText {
    /// The body of the tree of this name (`None`: the file's own).
    Body(Option<Rc<str>>),
    /// The list of the branch at this position, or its `else` list.
    Branch { pos: Pos, is_else: bool },
}

/// The name the text is parsed under when a packed list does not decode.
const FILE: &str = "\u{0}file";

impl PackedList {
    /// Where the list is packed in its file's bytes.
    #[cfg(test)]
    pub(crate) fn at(&self) -> std::ops::Range<usize> {
        self.at.clone()
    }

    /// The list. The file's header was checked against the text when the file was read; should
    /// the list itself not decode (a build fault), the text is parsed and the list taken from
    /// there, so a render never depends on the pack being right.
    pub(crate) fn decode(&self) -> List {
        if let Some(list) = self.file.decode_list(&self.at) {
            return list;
        }
        let f = &self.file;
        let trees = super::parse::parse(FILE, &f.source, &f.func_exists).unwrap_or_default();
        match &self.in_text {
            InText::Body(name) => trees
                .iter()
                .find(|t| *t.name == *name.as_deref().unwrap_or(FILE))
                .map(|t| t.root.list().clone()),
            InText::Branch { pos, is_else } => trees
                .iter()
                .find_map(|t| find_branch(t.root.list(), *pos))
                .and_then(|b| match is_else {
                    false => Some(b.list.list().clone()),
                    true => b.else_list.as_ref().map(|l| l.list().clone()),
                }),
        }
        .unwrap_or_default()
    }
}

/// The `if`, `range` or `with` at `pos` in `list` or below it.
fn find_branch(list: &List, pos: Pos) -> Option<&Branch> {
    list.nodes.iter().find_map(|n| match n {
        Node::If(b) | Node::Range(b) | Node::With(b) => {
            Some(&**b).filter(|b| b.pos == pos).or_else(|| {
                find_branch(&b.list, pos)
                    .or_else(|| b.else_list.as_ref().and_then(|l| find_branch(l, pos)))
            })
        }
        _ => None,
    })
}

/// The trees of a packed file ([`decode`] without the file's name), their bodies not decoded
/// yet; `None` when the pack was not made from `source` with the answers `func_exists` gives.
pub(crate) fn decode_bodies(
    bytes: &FileBytes,
    source: &Rc<str>,
    func_exists: fn(&str) -> bool,
) -> Option<Vec<Body>> {
    let mut d = Decoder {
        bytes: bytes.strip_prefix(MAGIC)?,
        base: MAGIC.len(),
        file: None,
        source,
        last: 0,
        at: 0,
        strings: &Strings::default(),
        file_bytes: bytes,
        depth: 0,
    };
    if d.num()? != source.len() {
        return None;
    }
    let hash = u64::from_le_bytes(d.take(8)?.try_into().ok()?);
    if hash != text_hash(source) {
        return None;
    }
    for _ in 0..d.num()? {
        let name = std::str::from_utf8(d.field()?).ok()?;
        let answer = d.byte()? == 1;
        if func_exists(name) != answer {
            return None;
        }
    }
    let n = d.num()?;
    let mut strings = Strings {
        at: Vec::with_capacity(n.min(bytes.len())),
        made: Vec::new(),
    };
    for _ in 0..n {
        let len = d.num()?;
        let start = d.base + d.at;
        d.take(len)?;
        strings.at.push(start..start + len);
    }
    strings.made = vec![std::cell::OnceCell::new(); strings.at.len()];
    let n = d.num()?;
    let mut directory = Vec::with_capacity(n.min(bytes.len()));
    for _ in 0..n {
        let name = match d.byte()? {
            0 => None,
            _ => Some(strings.get(bytes, d.num()?)?),
        };
        let empty = d.byte()? == 1;
        let len = d.num()?;
        let start = MAGIC.len() + d.at;
        d.take(len)?;
        directory.push((name, empty, start..start + len));
    }
    if d.at != d.bytes.len() {
        return None;
    }
    let file = Rc::new(PackedFile {
        bytes: bytes.clone(),
        source: source.clone(),
        strings,
        func_exists,
    });
    Some(
        directory
            .into_iter()
            .map(|(name, empty, at)| {
                let body = PackedList {
                    file: file.clone(),
                    at,
                    in_text: InText::Body(name.clone()),
                };
                (name, Rc::new(Root::packed(body, empty)))
            })
            .collect(),
    )
}

/// Deeper than any template the parser accepts.
const MAX_DEPTH: usize = 10_000;

/// A packed file's string table: each string is checked and made the first time a decoded tree
/// needs it (a render decodes a few of a file's trees, and making every string of every file
/// was a percent of it).
#[derive(Default)]
struct Strings {
    /// Where each string is in the file's bytes.
    at: Vec<std::ops::Range<usize>>,
    made: Vec<std::cell::OnceCell<Rc<str>>>,
}

impl Strings {
    /// String `n` of the file whose bytes are `bytes`; `None` past the table or for bytes that
    /// are no UTF-8 text (a build fault: the tree is then parsed from the text).
    fn get(&self, bytes: &[u8], n: usize) -> Option<Rc<str>> {
        let made = self.made.get(n)?;
        if let Some(s) = made.get() {
            return Some(s.clone());
        }
        let text = std::str::from_utf8(bytes.get(self.at.get(n)?.clone())?).ok()?;
        Some(made.get_or_init(|| Rc::from(text)).clone())
    }
}

struct Decoder<'a> {
    bytes: &'a [u8],
    /// Where `bytes` start in the file's bytes.
    base: usize,
    /// The file, for the branch lists left packed (none while the directory is read).
    file: Option<&'a Rc<PackedFile>>,
    source: &'a str,
    /// The position read last (see [`Encoder::pos`]).
    last: Pos,
    at: usize,
    strings: &'a Strings,
    /// The whole file's bytes (the strings are found there).
    file_bytes: &'a [u8],
    depth: usize,
}

impl<'a> Decoder<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.bytes.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }

    fn byte(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn num(&mut self) -> Option<usize> {
        let (mut n, mut shift) = (0usize, 0u32);
        loop {
            let b = self.byte()?;
            n |= usize::from(b & 0x7f).checked_shl(shift)?;
            shift += 7;
            if b & 0x80 == 0 {
                return Some(n);
            }
        }
    }

    fn pos(&mut self) -> Option<Pos> {
        let zigzag = self.num()? as u64;
        let delta = (zigzag >> 1) as i64 ^ -((zigzag & 1) as i64);
        let pos = Pos::try_from(i64::from(self.last).checked_add(delta)?).ok()?;
        self.last = pos;
        Some(pos)
    }

    fn field(&mut self) -> Option<&'a [u8]> {
        let n = self.num()?;
        self.take(n)
    }

    fn string(&mut self) -> Option<Rc<str>> {
        let n = self.num()?;
        self.strings.get(self.file_bytes, n)
    }

    fn strings(&mut self) -> Option<Vec<Rc<str>>> {
        let n = self.num()?;
        let mut out = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            out.push(self.string()?);
        }
        Some(out)
    }

    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }

    fn enter(&mut self) -> Option<()> {
        self.depth += 1;
        (self.depth <= MAX_DEPTH).then_some(())
    }

    fn list(&mut self) -> Option<List> {
        self.enter()?;
        let pos = self.pos()?;
        let n = self.num()?;
        let mut nodes = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            nodes.push(self.node()?);
        }
        self.depth -= 1;
        Some(List { pos, nodes })
    }

    fn node(&mut self) -> Option<Node> {
        Some(match self.byte()? {
            0 => Node::Text {
                pos: self.pos()?,
                text: self.string()?,
            },
            1 => Node::Action {
                pos: self.pos()?,
                pipe: Box::new(self.pipe()?),
            },
            2 => Node::If(Box::new(self.branch()?)),
            3 => Node::Range(Box::new(self.branch()?)),
            4 => Node::With(Box::new(self.branch()?)),
            5 => {
                let pos = self.pos()?;
                let name = self.string()?;
                let pipe = match self.byte()? {
                    0 => None,
                    _ => Some(Box::new(self.pipe()?)),
                };
                Node::Template { pos, name, pipe }
            }
            6 => Node::Break { pos: self.pos()? },
            7 => Node::Continue { pos: self.pos()? },
            8 => {
                let pos = self.pos()?;
                let len = self.num()?;
                let start = pos as usize;
                self.source.get(start..start.checked_add(len)?)?;
                Node::SourceText {
                    pos,
                    len: u32::try_from(len).ok()?,
                }
            }
            _ => return None,
        })
    }

    fn branch(&mut self) -> Option<Branch> {
        let pos = self.pos()?;
        let pipe = self.pipe()?;
        let list = self.own_list(pos, false)?;
        let else_list = match self.byte()? {
            0 => None,
            _ => Some(self.own_list(pos, true)?),
        };
        Some(Branch {
            pos,
            pipe,
            list,
            else_list,
        })
    }

    /// A branch's list, left packed (see [`Encoder::own_list`]).
    fn own_list(&mut self, branch: Pos, is_else: bool) -> Option<LazyList> {
        let len = self.num()?;
        let start = self.base + self.at;
        self.take(len)?;
        Some(LazyList::packed(PackedList {
            file: self.file?.clone(),
            at: start..start + len,
            in_text: InText::Branch {
                pos: branch,
                is_else,
            },
        }))
    }

    fn pipe(&mut self) -> Option<Pipe> {
        self.enter()?;
        let pos = self.pos()?;
        let is_assign = self.byte()? == 1;
        let n = self.num()?;
        let mut decl = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            decl.push(Variable {
                pos: self.pos()?,
                name: self.string()?,
            });
        }
        let n = self.num()?;
        let mut cmds = Vec::with_capacity(n.min(self.bytes.len()));
        for _ in 0..n {
            let pos = self.pos()?;
            let k = self.num()?;
            let mut args = Vec::with_capacity(k.min(self.bytes.len()));
            for _ in 0..k {
                args.push(self.arg()?);
            }
            cmds.push(Command { pos, args });
        }
        self.depth -= 1;
        Some(Pipe {
            pos,
            is_assign,
            decl,
            cmds,
        })
    }

    fn arg(&mut self) -> Option<Arg> {
        self.enter()?;
        let tag = self.byte()?;
        let pos = self.pos()?;
        let arg = match tag {
            0 => Arg::Dot(pos),
            1 => Arg::Nil(pos),
            2 => Arg::Bool(pos, self.byte()? == 1),
            3 => {
                let text = self.string()?;
                let flags = self.byte()?;
                let int = if flags & 1 != 0 {
                    Some(self.u64()? as i64)
                } else {
                    None
                };
                let uint = if flags & 2 != 0 {
                    Some(self.u64()?)
                } else {
                    None
                };
                let float = if flags & 4 != 0 {
                    Some(f64::from_bits(self.u64()?))
                } else {
                    None
                };
                Arg::Number(
                    pos,
                    Box::new(Number {
                        text,
                        int,
                        uint,
                        float,
                        is_char: flags & 8 != 0,
                    }),
                )
            }
            4 => Arg::String(pos, self.string()?),
            5 => Arg::Identifier(pos, self.string()?),
            6 => Arg::Variable(pos, self.string()?, self.strings()?),
            7 => Arg::Field(pos, self.strings()?),
            8 => Arg::Chain(pos, Box::new(self.arg()?), self.strings()?),
            9 => Arg::Pipe(pos, Box::new(self.pipe()?)),
            _ => return None,
        };
        self.depth -= 1;
        Some(arg)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "a{{ if .x }}b{{ range .l }}{{ . }}{{ else }}none{{ end }}{{ else if .y }}c{{ with .z }}{{ .w }}{{ end }}{{ else }}d{{ end }}e{{ define \"t\" }}{{ if .q }}q{{ end }}{{ end }}";

    fn packed(text: &str) -> FileBytes {
        let trees = super::super::parse::parse("\u{0}file", text, &super::super::funcs::exists)
            .expect("parses");
        encode(text, "\u{0}file", &[], &trees).into()
    }

    fn parsed_debug(text: &str) -> String {
        let trees = super::super::parse::parse("f", text, &super::super::funcs::exists).unwrap();
        format!(
            "{:?}",
            trees.iter().map(|t| t.root.list()).collect::<Vec<_>>()
        )
    }

    /// The trees `bytes` decode to for `text`, every list decoded, as text.
    fn decoded_debug(bytes: &FileBytes, text: &str) -> String {
        let source: Rc<str> = Rc::from(text);
        let bodies = decode_bodies(bytes, &source, super::super::funcs::exists).unwrap();
        let trees = trees(&bodies, &Rc::from("f"), &source);
        format!(
            "{:?}",
            trees.iter().map(|t| t.root.list()).collect::<Vec<_>>()
        )
    }

    /// The first branch of a body, decoding the body but not the branch's lists.
    fn first_branch(root: &Root) -> &Branch {
        root.list()
            .nodes
            .iter()
            .find_map(|n| match n {
                Node::If(b) | Node::Range(b) | Node::With(b) => Some(&**b),
                _ => None,
            })
            .expect("a branch")
    }

    #[test]
    fn branch_lists_are_decoded_when_first_asked_for_and_equal_the_parsed_ones() {
        let source: Rc<str> = Rc::from(TEXT);
        let bodies = decode_bodies(&packed(TEXT), &source, super::super::funcs::exists).unwrap();
        let branch = first_branch(&bodies[0].1);
        assert!(!branch.list.is_decoded());
        assert!(!branch.else_list.as_ref().unwrap().is_decoded());
        // Asking for one list decodes that one only.
        assert_eq!(branch.list.nodes.len(), 2);
        assert!(branch.list.is_decoded());
        assert!(!branch.else_list.as_ref().unwrap().is_decoded());
        assert_eq!(decoded_debug(&packed(TEXT), TEXT), parsed_debug(TEXT));
    }

    #[test]
    fn a_branch_list_that_does_not_decode_is_taken_from_the_parsed_text() {
        let good = packed(TEXT);
        let source: Rc<str> = Rc::from(TEXT);
        let bodies = decode_bodies(&good, &source, super::super::funcs::exists).unwrap();
        let branch = first_branch(&bodies[0].1);
        // Break the `else` list (the `else if` chain) and, in another copy, the `then` list.
        for list in [branch.else_list.as_ref().unwrap(), &branch.list] {
            let at = list.packed_at().unwrap();
            let mut bad = good.to_vec();
            bad[at].fill(0xff);
            assert_eq!(decoded_debug(&bad.into(), TEXT), parsed_debug(TEXT));
        }
    }

    #[test]
    fn a_string_of_the_table_that_is_no_text_makes_its_tree_parsed() {
        let text = "{{ define \"a\" }}{{ .zzfield }}{{ end }}{{ define \"b\" }}{{ .y }}{{ end }}";
        let good = packed(text);
        let at = good
            .windows(b"zzfield".len())
            .position(|w| w == b"zzfield")
            .expect("the name is in the table");
        let mut bad = good.to_vec();
        bad[at] = 0xff;
        // The table is read without checking each string: the trees come, and the one that
        // names the broken string is parsed from the text when it is decoded.
        assert_eq!(decoded_debug(&bad.into(), text), parsed_debug(text));
    }
}
