//! The parser (Go's `text/template/parse/parse.go`), a recursive descent over the lexer's tokens.
//!
//! It keeps Go's three-token look-ahead and its error wording, and reports the line of the last
//! token read, as Go does. Like Go, each `define`/`block` body is parsed with a state of its own
//! (look-ahead, variables, `range` depth) over the shared lexer. Unlike Go, nesting is bounded
//! ([`MAX_DEPTH`]) so hostile input cannot exhaust the stack.

use std::collections::HashMap;
use std::rc::Rc;

use super::Error;
use super::ast::{Arg, Branch, Command, List, Node, Pipe, Pos, Tree, Variable};
use super::lex::{Item, ItemType, Lexer};
use super::literal::{NumberKind, fmt_q, parse_number, unquote};

#[cfg(test)]
mod charts;
#[cfg(test)]
mod tests;

/// How deeply control structures, `else if` chains and parentheses may nest (the charts nest at
/// most 13 levels; 100 levels stay within 1 MiB of stack even unoptimised).
pub const MAX_DEPTH: usize = 100;

/// Parses the template file `name` into its own tree followed by one tree per `define`/`block`,
/// in source order. `func_exists` answers Go's "function %q not defined" check (and decides, as
/// in Go, whether `break` and `continue` are keywords).
///
/// Within one file Go's set rules already apply: a name defined twice is an error unless one of
/// the bodies is empty (whitespace only), and the non-empty body is kept. So the file's own tree
/// comes first unless a non-empty `define` of the file's name replaced its empty body.
pub fn parse(
    name: &str,
    text: &str,
    func_exists: &dyn Fn(&str) -> bool,
) -> Result<Vec<Tree>, Error> {
    if text.len() >= Pos::MAX as usize {
        return Err(Error::parse(name, 1, "template text too large"));
    }
    let lex = Lexer::new(text, !func_exists("break"), !func_exists("continue"));
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
/// never kept in the tree, so they count as empty too).
pub fn is_empty_tree(list: &List) -> bool {
    list.nodes.iter().all(|n| match n {
        Node::Text { text, .. } => text.trim().is_empty(),
        _ => false,
    })
}

/// Line and column of `pos` in `source` as Go's `ErrorContext` computes them: the line is
/// 1-based, the column is the 0-based byte offset within the line.
pub fn line_col(source: &str, pos: Pos) -> (usize, usize) {
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
pub fn error_context(tree: &Tree, pos: Pos) -> String {
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
            val: "".into(),
            line: 0,
        };
        TreeState {
            name,
            token: [none.clone(), none.clone(), none],
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
}

type R<T> = Result<T, Error>;

/// The text of a token that borrows from the source (all but errors).
fn text<'a>(item: &Item<'a>) -> &'a str {
    match &item.val {
        std::borrow::Cow::Borrowed(s) => s,
        std::borrow::Cow::Owned(_) => "",
    }
}

impl<'a> Parser<'a, '_> {
    // --- tokens -----------------------------------------------------------------------------

    fn next(&mut self) -> Item<'a> {
        if self.st.peek_count > 0 {
            self.st.peek_count -= 1;
        } else {
            self.st.token[0] = self.lex.next_item();
        }
        self.st.token[self.st.peek_count].clone()
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
            return self.st.token[self.st.peek_count - 1].clone();
        }
        self.st.peek_count = 1;
        self.st.token[0] = self.lex.next_item();
        self.st.token[0].clone()
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
                if token.val.ends_with(" action") {
                    extra.replace_range(..10, ""); // avoid "action in action"
                }
            }
            return self.error(format!("{token}{extra}"));
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
            Some(&i) if !is_empty_tree(&self.trees[i].root) => {
                if !is_empty_tree(&tree.root) {
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
            root,
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
                end => return Ok((list, end)),
            }
        }
        self.error("unexpected EOF")
    }

    fn text_or_action(&mut self) -> R<Parsed> {
        let token = self.next_non_space();
        match token.typ {
            ItemType::Text => Ok(Parsed::Node(Node::Text {
                pos: token.pos,
                text: Rc::from(text(&token)),
            })),
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
            ItemType::If => Node::If(self.parse_control("if")?),
            ItemType::Range => Node::Range(self.parse_control("range")?),
            ItemType::Template => self.template_control()?,
            ItemType::With => Node::With(self.parse_control("with")?),
            _ => {
                self.backup();
                let pos = self.peek().pos;
                // Variables are not popped here: they persist until "end".
                let pipe = self.pipeline("command", ItemType::RightDelim)?;
                Node::Action { pos, pipe }
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
        if matches!(peek.typ, ItemType::If | ItemType::With) {
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
                    Node::If(inner)
                } else {
                    Node::With(inner)
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
            list,
            else_list,
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
            pipe: Some(pipe),
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
            pipe = Some(self.pipeline(CONTEXT, ItemType::RightDelim)?);
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

    // --- pipelines ----------------------------------------------------------------------------

    /// `declarations? command ('|' command)*`, up to `end`.
    fn pipeline(&mut self, context: &str, end: ItemType) -> R<Pipe> {
        let start = self.peek_non_space();
        let mut pipe = Pipe {
            pos: start.pos,
            is_assign: false,
            decl: Vec::new(),
            cmds: Vec::new(),
        };
        self.declarations(&mut pipe, context)?;
        loop {
            let token = self.next_non_space();
            match token.typ {
                t if t == end => {
                    self.check_pipeline(&pipe, context)?;
                    return Ok(pipe);
                }
                ItemType::Bool
                | ItemType::CharConstant
                | ItemType::Complex
                | ItemType::Dot
                | ItemType::Field
                | ItemType::Identifier
                | ItemType::Number
                | ItemType::Nil
                | ItemType::RawString
                | ItemType::String
                | ItemType::Variable
                | ItemType::LeftParen => {
                    self.backup();
                    let cmd = self.command()?;
                    pipe.cmds.push(cmd);
                }
                _ => return self.unexpected(&token, context),
            }
        }
    }

    /// `$x :=`, `$x =`, and `range`'s `$i, $e :=`.
    fn declarations(&mut self, pipe: &mut Pipe, context: &str) -> R<()> {
        loop {
            let v = self.peek_non_space();
            if v.typ != ItemType::Variable {
                return Ok(());
            }
            self.next();
            // Space is a token, so telling `$x foo` from `$x := foo` needs 3-token look-ahead.
            let token_after_variable = self.peek();
            let next = self.peek_non_space();
            let var = Variable {
                pos: v.pos,
                name: Rc::from(text(&v)),
            };
            match next.typ {
                ItemType::Assign | ItemType::Declare => {
                    pipe.is_assign = next.typ == ItemType::Assign;
                    self.next_non_space();
                    pipe.decl.push(var);
                    self.st.declare(text(&v));
                    return Ok(());
                }
                ItemType::Char if text(&next) == "," => {
                    self.next_non_space();
                    pipe.decl.push(var);
                    self.st.declare(text(&v));
                    if context == "range" && pipe.decl.len() < 2 {
                        match self.peek_non_space().typ {
                            ItemType::Variable | ItemType::RightDelim | ItemType::RightParen => {
                                continue; // the second variable of a range
                            }
                            _ => return self.error("range can only initialize variables"),
                        }
                    }
                    return self.error(format!("too many declarations in {context}"));
                }
                _ if token_after_variable.typ == ItemType::Space => {
                    self.backup3(v, token_after_variable);
                }
                _ => self.backup2(v),
            }
            return Ok(());
        }
    }

    fn check_pipeline(&self, pipe: &Pipe, context: &str) -> R<()> {
        if pipe.cmds.is_empty() {
            return self.error(format!("missing value for {context}"));
        }
        // Only the first command may start with a non-executable operand.
        for (i, c) in pipe.cmds.iter().enumerate().skip(1) {
            if matches!(
                c.args.first(),
                Some(Arg::Bool(..) | Arg::Dot(_) | Arg::Nil(_) | Arg::Number(..) | Arg::String(..))
            ) {
                return self.error(format!(
                    "non executable command in pipeline stage {}",
                    i + 1
                ));
            }
        }
        Ok(())
    }

    /// `operand (space operand)*`, consuming a following `|` but not the closing delimiter.
    fn command(&mut self) -> R<Command> {
        let mut cmd = Command {
            pos: self.peek_non_space().pos,
            args: Vec::new(),
        };
        loop {
            self.peek_non_space(); // skip leading spaces
            if let Some(arg) = self.operand()? {
                cmd.args.push(arg);
            }
            let token = self.next();
            match token.typ {
                ItemType::Space => continue,
                ItemType::RightDelim | ItemType::RightParen => self.backup(),
                ItemType::Pipe => {}
                _ => return self.unexpected(&token, "operand"),
            }
            break;
        }
        if cmd.args.is_empty() {
            return self.error("empty command");
        }
        Ok(cmd)
    }

    /// A term followed by `.Field`s; `None` when the next token is not an operand.
    fn operand(&mut self) -> R<Option<Arg>> {
        let Some((node, literal)) = self.term()? else {
            return Ok(None);
        };
        if self.peek().typ != ItemType::Field {
            return Ok(Some(node));
        }
        let chain_pos = self.peek().pos;
        let mut fields: Vec<Rc<str>> = Vec::new();
        while self.peek().typ == ItemType::Field {
            let f = self.next();
            fields.push(Rc::from(text(&f).get(1..).unwrap_or("")));
        }
        // As in Go: fields after a field or variable extend it (taking the chain's position);
        // after a literal they are an error; otherwise they form a chain.
        Ok(Some(match node {
            Arg::Field(_, mut idents) => {
                idents.extend(fields);
                Arg::Field(chain_pos, idents)
            }
            Arg::Variable(_, name, mut idents) => {
                idents.extend(fields);
                Arg::Variable(chain_pos, name, idents)
            }
            Arg::Bool(..) | Arg::String(..) | Arg::Number(..) | Arg::Nil(_) | Arg::Dot(_) => {
                return self.error(format!("unexpected . after term {}", fmt_q(literal)));
            }
            other => Arg::Chain(chain_pos, Box::new(other), fields),
        }))
    }

    /// A literal, function name, `.`, `.Field`, `$var` or `(pipeline)`, with its source text
    /// (for literals); `None` when the next token is none of these.
    fn term(&mut self) -> R<Option<(Arg, &'a str)>> {
        let token = self.next_non_space();
        let pos = token.pos;
        let val = text(&token);
        let arg = match token.typ {
            ItemType::Identifier => {
                if !(self.funcs)(val) {
                    return self.error(format!("function {} not defined", fmt_q(val)));
                }
                Arg::Identifier(pos, Rc::from(val))
            }
            ItemType::Dot => Arg::Dot(pos),
            ItemType::Nil => Arg::Nil(pos),
            ItemType::Variable => {
                if !self.st.is_declared(val) {
                    return self.error(format!("undefined variable {}", fmt_q(val)));
                }
                Arg::Variable(pos, Rc::from(val), Vec::new())
            }
            ItemType::Field => Arg::Field(pos, vec![Rc::from(val.get(1..).unwrap_or(""))]),
            ItemType::Bool => Arg::Bool(pos, val == "true"),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let kind = match token.typ {
                    ItemType::CharConstant => NumberKind::Char,
                    ItemType::Complex => NumberKind::Complex,
                    _ => NumberKind::Number,
                };
                match parse_number(val, kind) {
                    Ok(n) => Arg::Number(pos, n),
                    Err(msg) => return self.error(msg),
                }
            }
            ItemType::LeftParen => {
                self.enter()?;
                let pipe = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.depth -= 1;
                Arg::Pipe(pos, Box::new(pipe?))
            }
            ItemType::String | ItemType::RawString => match unquote(val) {
                Some(s) => Arg::String(pos, Rc::from(s)),
                None => return self.error("invalid syntax"),
            },
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some((arg, val)))
    }
}
