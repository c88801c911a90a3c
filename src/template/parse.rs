//! The parser (Go's `text/template/parse/parse.go`), a recursive descent over the lexer's tokens.
//!
//! It keeps Go's three-token look-ahead and its error wording, and reports the line of the last
//! token read, as Go does. Like Go, each `define`/`block` body is parsed with a state of its own
//! (look-ahead, variables, `range` depth) over the shared lexer. Unlike Go, nesting is bounded
//! ([`MAX_DEPTH`]) so hostile input cannot exhaust the stack.

use std::collections::HashMap;
use std::rc::Rc;

use super::Error;
use super::ast::{Branch, List, Node, Pos, Tree};
use super::lex::{Item, ItemType, Lexer};
use super::literal::{fmt_q, unquote};

#[cfg(test)]
mod charts;
mod pipeline;
#[cfg(test)]
mod tests;

/// How deeply control structures, `else if` chains and parentheses may nest (the charts nest at
/// most 13 levels; 100 levels stay within 1 MiB of stack even unoptimised).
pub(crate) const MAX_DEPTH: usize = 100;

/// Parses the template file `name` into its own tree followed by one tree per `define`/`block`,
/// in source order. `func_exists` answers Go's "function %q not defined" check (and decides, as
/// in Go, whether `break` and `continue` are keywords).
///
/// Within one file Go's set rules already apply: a name defined twice is an error unless one of
/// the bodies is empty (whitespace only), and the non-empty body is kept. So the file's own tree
/// comes first unless a non-empty `define` of the file's name replaced its empty body.
pub(crate) fn parse(
    name: &str,
    text: &str,
    func_exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, Error> {
    parse_as(name, text, func_exists, Syntax::CURRENT)
}

/// What the Go release a Helm was built with reads in a template (`set::syntax_of`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Syntax {
    /// `{{break}}` and `{{continue}}` are keywords (Go 1.18).
    pub(crate) break_continue: bool,
    /// `{{else with …}}` (Go 1.23).
    pub(crate) else_with: bool,
    /// The line breaks inside a comment count for the lines of later parse errors (all but Go
    /// 1.20 to 1.23, see [`HelmBuild::counts_comment_lines`](crate::helm_build::HelmBuild)).
    pub(crate) comment_lines: bool,
}

impl Syntax {
    /// Go 1.23 and later.
    pub(crate) const CURRENT: Syntax = Syntax {
        break_continue: true,
        else_with: true,
        comment_lines: true,
    };
}

/// [`parse`] as an older Go reads: without `break` and `continue` (before Go 1.18 they are
/// names of functions, which Helm does not define) or without `else with` (before 1.23).
pub(crate) fn parse_as(
    name: &str,
    text: &str,
    func_exists: &dyn Fn(&str) -> bool,
    syntax: Syntax,
) -> Result<Vec<Tree>, Error> {
    if text.len() >= Pos::MAX as usize {
        return Err(Error::parse(name, 1, "template text too large"));
    }
    let keywords = syntax.break_continue;
    let mut lex = Lexer::new(
        text,
        keywords && !func_exists("break"),
        keywords && !func_exists("continue"),
    );
    lex.comment_lines = syntax.comment_lines;
    let name: Rc<str> = Rc::from(name);
    let mut p = Parser {
        lex,
        source: Rc::from(text),
        parse_name: name.clone(),
        funcs: func_exists,
        trees: Vec::new(),
        index: HashMap::new(),
        st: TreeState::new(name),
        depth: 0,
        names: Names::default(),
        else_with: syntax.else_with,
    };
    let root = p.parse_file()?;
    p.add(root)?;
    // The file was added last (as in Go), but callers expect it first.
    if let Some(i) = p
        .trees
        .iter()
        .position(|t| Rc::ptr_eq(&t.name, &p.parse_name))
    {
        let file = p.trees.remove(i);
        p.trees.insert(0, file);
    }
    Ok(p.trees)
}

/// Whether a template body holds nothing but whitespace (Go's `parse.IsEmptyTree`; comments are
/// never kept in the tree, so they count as empty too). `source` is the text the body was
/// parsed from.
pub(crate) fn is_empty_tree(list: &List, source: &str) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text { text, .. } => text.trim().is_empty(),
        Node::SourceText { pos, len } => super::ast::source_text(source, *pos, *len)
            .trim()
            .is_empty(),
        _ => false,
    })
}

/// Line and column of `pos` in `source` as Go's `ErrorContext` computes them: the line is
/// 1-based, the column is the 0-based byte offset within the line.
#[cfg(test)]
pub(crate) fn line_col(source: &str, pos: Pos) -> (usize, usize) {
    let before = source
        .as_bytes()
        .get(..pos as usize)
        .unwrap_or(source.as_bytes());
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let col = match before.iter().rposition(|&b| b == b'\n') {
        Some(nl) => before.len() - (nl + 1),
        None => before.len(),
    };
    (line, col)
}

/// Go's `ErrorContext` location: `PARSENAME:LINE:COL`.
#[cfg(test)]
pub(crate) fn error_context(tree: &Tree, pos: Pos) -> String {
    let (line, col) = line_col(&tree.source, pos);
    format!("{}:{line}:{col}", tree.parse_name)
}

/// What `textOrAction` produced: a node, or the `{{end}}`/`{{else}}` that closes a list.
enum Parsed {
    Node(Node),
    End,
    Else(Pos),
}

/// The per-tree parsing state Go keeps in each `Tree` while parsing.
struct TreeState<'a> {
    name: Rc<str>,
    token: [Item<'a>; 3],
    peek_count: usize,
    /// Variables in scope, innermost last, and how many times each name is in the list (so a
    /// lookup stays O(1) however many variables a template declares).
    vars: Vec<&'a str>,
    var_count: HashMap<&'a str, usize>,
    action_line: usize,
    range_depth: usize,
}

impl<'a> TreeState<'a> {
    fn new(name: Rc<str>) -> TreeState<'a> {
        let none = Item {
            typ: ItemType::Eof,
            pos: 0,
            val: "",
            line: 0,
        };
        TreeState {
            name,
            token: [none; 3],
            peek_count: 0,
            vars: vec!["$"],
            var_count: HashMap::from([("$", 1)]),
            action_line: 0,
            range_depth: 0,
        }
    }

    fn declare(&mut self, name: &'a str) {
        self.vars.push(name);
        *self.var_count.entry(name).or_default() += 1;
    }

    /// Go's `popVars`: forget the variables declared after the first `n`.
    fn pop_vars(&mut self, n: usize) {
        while self.vars.len() > n {
            if let Some(name) = self.vars.pop()
                && let Some(c) = self.var_count.get_mut(name)
            {
                *c -= 1;
            }
        }
    }

    fn is_declared(&self, name: &str) -> bool {
        self.var_count.get(name).is_some_and(|&c| c > 0)
    }
}

struct Parser<'a, 'f> {
    lex: Lexer<'a>,
    source: Rc<str>,
    parse_name: Rc<str>,
    funcs: &'f dyn Fn(&str) -> bool,
    /// The tree set of this file, in insertion order, and where each name is.
    trees: Vec<Tree>,
    index: HashMap<Rc<str>, usize>,
    st: TreeState<'a>,
    depth: usize,
    names: Names<'a>,
    /// `{{else with …}}` is read (Go 1.23).
    else_with: bool,
}

/// Field, variable and function names shared between nodes: the charts repeat a few hundred
/// names (`Values`, `include`…) hundreds of thousands of times.
#[derive(Default)]
struct Names<'a>(HashMap<&'a str, Rc<str>, BuildFnv>);

impl<'a> Names<'a> {
    fn get(&mut self, name: &'a str) -> Rc<str> {
        self.0.entry(name).or_insert_with(|| Rc::from(name)).clone()
    }
}

/// FNV-1a: short keys, no hostile-collision concern worth SipHash's cost (a template's author
/// can only slow down their own parse, and only to what a `Vec` search would cost).
#[derive(Default, Clone, Copy)]
struct BuildFnv;

struct Fnv(u64);

impl std::hash::BuildHasher for BuildFnv {
    type Hasher = Fnv;
    fn build_hasher(&self) -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
    }
}

type R<T> = Result<T, Error>;

/// The text of a token.
fn text<'a>(item: &Item<'a>) -> &'a str {
    item.val
}

impl<'a> Parser<'a, '_> {
    // --- tokens -----------------------------------------------------------------------------

    fn next(&mut self) -> Item<'a> {
        if self.st.peek_count > 0 {
            self.st.peek_count -= 1;
        } else {
            self.st.token[0] = self.lex.next_item();
        }
        self.st.token[self.st.peek_count]
    }

    fn backup(&mut self) {
        self.st.peek_count += 1;
    }

    fn backup2(&mut self, t1: Item<'a>) {
        self.st.token[1] = t1;
        self.st.peek_count = 2;
    }

    fn backup3(&mut self, t2: Item<'a>, t1: Item<'a>) {
        self.st.token[1] = t1;
        self.st.token[2] = t2;
        self.st.peek_count = 3;
    }

    fn peek(&mut self) -> Item<'a> {
        if self.st.peek_count > 0 {
            return self.st.token[self.st.peek_count - 1];
        }
        self.st.peek_count = 1;
        self.st.token[0] = self.lex.next_item();
        self.st.token[0]
    }

    fn next_non_space(&mut self) -> Item<'a> {
        loop {
            let t = self.next();
            if t.typ != ItemType::Space {
                return t;
            }
        }
    }

    fn peek_non_space(&mut self) -> Item<'a> {
        let t = self.next_non_space();
        self.backup();
        t
    }

    // --- errors -----------------------------------------------------------------------------

    /// Go's `errorf`: the line is that of the last token read from the lexer.
    fn error<T>(&self, msg: impl std::fmt::Display) -> R<T> {
        Err(Error::parse(&self.parse_name, self.st.token[0].line, msg))
    }

    fn unexpected<T>(&self, token: &Item<'a>, context: &str) -> R<T> {
        if token.typ == ItemType::Error {
            let mut extra = String::new();
            if self.st.action_line != 0 && self.st.action_line != token.line {
                extra = format!(
                    " in action started at {}:{}",
                    self.parse_name, self.st.action_line
                );
                if self.lex.error().ends_with(" action") {
                    extra.replace_range(..10, ""); // avoid "action in action"
                }
            }
            return self.error(format!("{}{extra}", self.lex.error()));
        }
        self.error(format!("unexpected {token} in {context}"))
    }

    fn expect(&mut self, expected: ItemType, context: &str) -> R<Item<'a>> {
        let token = self.next_non_space();
        if token.typ != expected {
            return self.unexpected(&token, context);
        }
        Ok(token)
    }

    fn enter(&mut self) -> R<()> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return self.error(format!("nesting deeper than {MAX_DEPTH} levels"));
        }
        Ok(())
    }

    // --- trees ------------------------------------------------------------------------------

    /// Go's `Tree.add`: put a finished tree into this file's set.
    fn add(&mut self, tree: Tree) -> R<()> {
        match self.index.get(&tree.name) {
            Some(&i) if !self.trees[i].root.is_empty() => {
                if !tree.root.is_empty() {
                    let msg = format!(
                        "template: multiple definition of template {}",
                        fmt_q(&tree.name)
                    );
                    return self.error(msg);
                }
            }
            Some(&i) => self.trees[i] = tree,
            None => {
                self.index.insert(tree.name.clone(), self.trees.len());
                self.trees.push(tree);
            }
        }
        Ok(())
    }

    fn tree(&self, name: Rc<str>, root: List) -> Tree {
        Tree {
            name,
            parse_name: self.parse_name.clone(),
            source: self.source.clone(),
            root: Rc::new(super::ast::Root::parsed(root, &self.source)),
        }
    }

    /// Go's `Tree.parse`: the file's body, hoisting `{{define}}`s.
    fn parse_file(&mut self) -> R<Tree> {
        let mut root = List {
            pos: self.peek().pos,
            nodes: Vec::new(),
        };
        while self.peek().typ != ItemType::Eof {
            if self.peek().typ == ItemType::LeftDelim {
                let delim = self.next();
                if self.next_non_space().typ == ItemType::Define {
                    let outer =
                        std::mem::replace(&mut self.st, TreeState::new("definition".into()));
                    let result = self.parse_definition();
                    self.st = outer;
                    result?;
                    continue;
                }
                self.backup2(delim);
            }
            match self.text_or_action()? {
                Parsed::Node(n) => root.nodes.push(n),
                Parsed::End => return self.error("unexpected {{end}}"),
                Parsed::Else(_) => return self.error("unexpected {{else}}"),
            }
        }
        root.nodes.shrink_to_fit();
        Ok(self.tree(self.parse_name.clone(), root))
    }

    /// `{{define "name"}} … {{end}}`; the keyword has been read.
    fn parse_definition(&mut self) -> R<()> {
        const CONTEXT: &str = "define clause";
        let name = self.next_non_space();
        if !matches!(name.typ, ItemType::String | ItemType::RawString) {
            return self.unexpected(&name, CONTEXT);
        }
        let Some(def_name) = unquote(text(&name)) else {
            return self.error("invalid syntax");
        };
        self.st.name = Rc::from(def_name);
        self.expect(ItemType::RightDelim, CONTEXT)?;
        let (root, end) = self.item_list()?;
        if let Parsed::Else(_) = end {
            return self.error(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        let tree = self.tree(self.st.name.clone(), root);
        self.add(tree)
    }

    /// `textOrAction*` up to an `{{end}}` or `{{else}}`, which is returned separately.
    fn item_list(&mut self) -> R<(List, Parsed)> {
        let mut list = List {
            pos: self.peek_non_space().pos,
            nodes: Vec::new(),
        };
        while self.peek_non_space().typ != ItemType::Eof {
            match self.text_or_action()? {
                Parsed::Node(n) => list.nodes.push(n),
                end => {
                    list.nodes.shrink_to_fit();
                    return Ok((list, end));
                }
            }
        }
        self.error("unexpected EOF")
    }

    fn text_or_action(&mut self) -> R<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => {
                // Text is the source's own bytes at its position (trim markers move its ends):
                // the tree points into the source rather than holding a copy.
                let t = text(&token);
                let start = token.pos as usize;
                let len = u32::try_from(t.len()).ok();
                Ok(Parsed::Node(match len {
                    Some(len) if self.source.get(start..start + t.len()) == Some(t) => {
                        Node::SourceText {
                            pos: token.pos,
                            len,
                        }
                    }
                    _ => Node::Text {
                        pos: token.pos,
                        text: Rc::from(t),
                    },
                }))
            }
            ItemType::LeftDelim => {
                self.st.action_line = token.line;
                let result = self.action();
                self.st.action_line = 0;
                result
            }
            _ => self.unexpected(&token, "input"),
        }
    }

    /// An action; the left delimiter has been read. A keyword may come first.
    fn action(&mut self) -> R<Parsed> {
        let token = self.next_non_space();
        let node = match token.typ {
            ItemType::Block => self.block_control()?,
            ItemType::Break | ItemType::Continue => self.loop_control(&token)?,
            ItemType::Else => return self.else_control(),
            ItemType::End => {
                self.expect(ItemType::RightDelim, "end")?;
                return Ok(Parsed::End);
            }
            ItemType::If => Node::If(Box::new(self.parse_control("if")?)),
            ItemType::Range => Node::Range(Box::new(self.parse_control("range")?)),
            ItemType::Template => self.template_control()?,
            ItemType::With => Node::With(Box::new(self.parse_control("with")?)),
            _ => {
                self.backup();
                let pos = self.peek().pos;
                // Variables are not popped here: they persist until "end".
                let pipe = self.pipeline("command", ItemType::RightDelim)?;
                Node::Action {
                    pos,
                    pipe: Box::new(pipe),
                }
            }
        };
        Ok(Parsed::Node(node))
    }

    /// `{{break}}` / `{{continue}}`; the keyword has been read.
    fn loop_control(&mut self, keyword: &Item<'a>) -> R<Node> {
        let word = text(keyword);
        let token = self.next_non_space();
        if token.typ != ItemType::RightDelim {
            return self.unexpected(&token, &format!("{{{{{word}}}}}"));
        }
        if self.st.range_depth == 0 {
            return self.error(format!("{{{{{word}}}}} outside {{{{range}}}}"));
        }
        let pos = keyword.pos;
        Ok(if keyword.typ == ItemType::Break {
            Node::Break { pos }
        } else {
            Node::Continue { pos }
        })
    }

    fn else_control(&mut self) -> R<Parsed> {
        let peek = self.peek_non_space();
        // "{{else if …" and "{{else with …" are "{{else}}{{if …": leave the keyword pending.
        if peek.typ == ItemType::If || self.else_with && peek.typ == ItemType::With {
            return Ok(Parsed::Else(peek.pos));
        }
        let token = self.expect(ItemType::RightDelim, "else")?;
        Ok(Parsed::Else(token.pos))
    }

    /// `if`, `range` and `with`: the pipeline, the list, and the `else` part.
    fn parse_control(&mut self, context: &str) -> R<Branch> {
        self.enter()?;
        let vars = self.st.vars.len();
        let result = self.control_body(context);
        self.st.pop_vars(vars);
        self.depth -= 1;
        result
    }

    fn control_body(&mut self, context: &str) -> R<Branch> {
        let pipe = self.pipeline(context, ItemType::RightDelim)?;
        let is_range = context == "range";
        if is_range {
            self.st.range_depth += 1;
        }
        let listed = self.item_list();
        if is_range {
            self.st.range_depth -= 1;
        }
        let (list, next) = listed?;
        let mut else_list = None;
        if let Parsed::Else(else_pos) = next {
            let peek = self.peek().typ;
            if context == "if" && peek == ItemType::If
                || context == "with" && peek == ItemType::With
            {
                // `else if`: parse the inner `if` up to its `{{end}}`; ours is implied.
                self.next();
                let inner = self.parse_control(context)?;
                let node = if context == "if" {
                    Node::If(Box::new(inner))
                } else {
                    Node::With(Box::new(inner))
                };
                else_list = Some(List {
                    pos: else_pos,
                    nodes: vec![node],
                });
            } else {
                let (list, next) = self.item_list()?;
                if let Parsed::Else(_) = next {
                    return self.error("expected end; found {{else}}");
                }
                else_list = Some(list);
            }
        }
        Ok(Branch {
            pos: pipe.pos,
            pipe,
            list: list.into(),
            else_list: else_list.map(Into::into),
        })
    }

    /// `{{block "name" pipeline}} … {{end}}`: a `define` plus a call of it.
    fn block_control(&mut self) -> R<Node> {
        const CONTEXT: &str = "block clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let pipe = self.pipeline(CONTEXT, ItemType::RightDelim)?;
        self.enter()?;
        let outer = std::mem::replace(&mut self.st, TreeState::new(name.clone()));
        let body = self.item_list();
        let inner = std::mem::replace(&mut self.st, outer);
        self.depth -= 1;
        let (root, end) = body?;
        if let Parsed::Else(_) = end {
            return self.error(format!("unexpected {{{{else}}}} in {CONTEXT}"));
        }
        let saved = std::mem::replace(&mut self.st, inner);
        let added = self.add(self.tree(name.clone(), root));
        self.st = saved;
        added?;
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe: Some(Box::new(pipe)),
        })
    }

    /// `{{template "name" [pipeline]}}`.
    fn template_control(&mut self) -> R<Node> {
        const CONTEXT: &str = "template clause";
        let token = self.next_non_space();
        let name = self.template_name(&token, CONTEXT)?;
        let mut pipe = None;
        if self.next_non_space().typ != ItemType::RightDelim {
            self.backup();
            pipe = Some(Box::new(self.pipeline(CONTEXT, ItemType::RightDelim)?));
        }
        Ok(Node::Template {
            pos: token.pos,
            name,
            pipe,
        })
    }

    fn template_name(&mut self, token: &Item<'a>, context: &str) -> R<Rc<str>> {
        if !matches!(token.typ, ItemType::String | ItemType::RawString) {
            return self.unexpected(token, context);
        }
        match unquote(text(token)) {
            Some(s) => Ok(Rc::from(s)),
            None => self.error("invalid syntax"),
        }
    }
}
