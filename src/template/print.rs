//! Nodes printed back as Go's `Node.String()` does, for errors such as
//! `executing "x" at <.Values.foo>: …`.
//!
//! Go prints a string constant as it was written (`"a\x41"`, `` `raw` ``); the tree keeps only
//! the unquoted value, so printing takes the template's source and re-reads the literal there.

use super::ast::{Arg, Branch, Command, List, Node, Pipe, Tree, Variable};
use super::literal::fmt_q;

/// A node that prints like its Go counterpart.
pub(crate) trait GoText {
    /// Appends Go's `String()` of the node; `source` is the text the node was parsed from.
    fn write_go(&self, source: &str, out: &mut String);
}

/// Go's `String()` of `node`, parsed from `source` (the tree's [`Tree::source`]).
pub(crate) fn node_text<T: GoText + ?Sized>(source: &str, node: &T) -> String {
    let mut out = String::new();
    node.write_go(source, &mut out);
    out
}

impl Tree {
    /// Go's `String()` of a node of this tree.
    pub(crate) fn node_text<T: GoText + ?Sized>(&self, node: &T) -> String {
        node_text(&self.source, node)
    }
}

impl GoText for List {
    fn write_go(&self, source: &str, out: &mut String) {
        for n in &self.nodes {
            n.write_go(source, out);
        }
    }
}

impl GoText for Node {
    fn write_go(&self, source: &str, out: &mut String) {
        match self {
            Node::Text { text, .. } => out.push_str(text),
            Node::SourceText { pos, len } => {
                out.push_str(super::ast::source_text(source, *pos, *len));
            }
            Node::Action { pipe, .. } => {
                out.push_str("{{");
                pipe.write_go(source, out);
                out.push_str("}}");
            }
            Node::If(b) => write_branch("if", b, source, out),
            Node::Range(b) => write_branch("range", b, source, out),
            Node::With(b) => write_branch("with", b, source, out),
            Node::Template { name, pipe, .. } => {
                out.push_str("{{template ");
                out.push_str(&fmt_q(name));
                if let Some(pipe) = pipe {
                    out.push(' ');
                    pipe.write_go(source, out);
                }
                out.push_str("}}");
            }
            Node::Break { .. } => out.push_str("{{break}}"),
            Node::Continue { .. } => out.push_str("{{continue}}"),
        }
    }
}

fn write_branch(name: &str, b: &Branch, source: &str, out: &mut String) {
    out.push_str("{{");
    out.push_str(name);
    out.push(' ');
    b.pipe.write_go(source, out);
    out.push_str("}}");
    b.list.write_go(source, out);
    if let Some(else_list) = &b.else_list {
        out.push_str("{{else}}");
        else_list.write_go(source, out);
    }
    out.push_str("{{end}}");
}

impl GoText for Pipe {
    fn write_go(&self, source: &str, out: &mut String) {
        if !self.decl.is_empty() {
            for (i, v) in self.decl.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                v.write_go(source, out);
            }
            out.push_str(if self.is_assign { " = " } else { " := " });
        }
        for (i, c) in self.cmds.iter().enumerate() {
            if i > 0 {
                out.push_str(" | ");
            }
            c.write_go(source, out);
        }
    }
}

impl GoText for Variable {
    fn write_go(&self, _source: &str, out: &mut String) {
        out.push_str(&self.name);
    }
}

impl GoText for Command {
    fn write_go(&self, source: &str, out: &mut String) {
        for (i, arg) in self.args.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            write_parenthesized(arg, source, out);
        }
    }
}

/// A pipeline inside a command or chain gets its parentheses back.
fn write_parenthesized(arg: &Arg, source: &str, out: &mut String) {
    if let Arg::Pipe(_, pipe) = arg {
        out.push('(');
        pipe.write_go(source, out);
        out.push(')');
    } else {
        arg.write_go(source, out);
    }
}

impl GoText for Arg {
    fn write_go(&self, source: &str, out: &mut String) {
        match self {
            Arg::Dot(_) => out.push('.'),
            Arg::Nil(_) => out.push_str("nil"),
            Arg::Bool(_, b) => out.push_str(if *b { "true" } else { "false" }),
            Arg::Number(_, n) => out.push_str(&n.text),
            Arg::String(pos, s) => match written_literal(source, *pos as usize) {
                Some(lit) => out.push_str(lit),
                None => out.push_str(&fmt_q(s)),
            },
            Arg::Identifier(_, name) => out.push_str(name),
            Arg::Variable(_, name, fields) => {
                out.push_str(name);
                push_fields(fields, out);
            }
            Arg::Field(_, fields) => push_fields(fields, out),
            Arg::Chain(_, node, fields) => {
                write_parenthesized(node, source, out);
                push_fields(fields, out);
            }
            Arg::Pipe(_, pipe) => pipe.write_go(source, out),
        }
    }
}

fn push_fields(fields: &[std::rc::Rc<str>], out: &mut String) {
    for f in fields {
        out.push('.');
        out.push_str(f);
    }
}

/// The string literal starting at `pos` in `source`, quotes included.
fn written_literal(source: &str, pos: usize) -> Option<&str> {
    let rest = source.get(pos..)?;
    let b = rest.as_bytes();
    let end = match b.first()? {
        b'`' => rest[1..].find('`')? + 2,
        b'"' => {
            let mut i = 1;
            loop {
                match b.get(i)? {
                    b'\\' => i += 2,
                    b'"' => break i + 1,
                    _ => i += 1,
                }
            }
        }
        _ => return None,
    };
    rest.get(..end)
}
