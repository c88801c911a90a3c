//! Pipelines, commands and operands (the expression half of Go's `parse.go`).

use std::rc::Rc;

use super::super::ast::{Arg, Command, Pipe, Variable};
use super::super::lex::ItemType;
use super::super::literal::{NumberKind, fmt_q, parse_number, unquote};
use super::{Parser, R, text};

impl<'a> Parser<'a, '_> {
    /// `declarations? command ('|' command)*`, up to `end`.
    pub(super) fn pipeline(&mut self, context: &str, end: ItemType) -> R<Pipe> {
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
                    // A chart's trees stay for the whole run: no room grown for more.
                    pipe.cmds.shrink_to_fit();
                    pipe.decl.shrink_to_fit();
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
                name: self.names.get(text(&v)),
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
        cmd.args.shrink_to_fit();
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
            fields.push(self.names.get(text(&f).get(1..).unwrap_or("")));
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
                Arg::Identifier(pos, self.names.get(val))
            }
            ItemType::Dot => Arg::Dot(pos),
            ItemType::Nil => Arg::Nil(pos),
            ItemType::Variable => {
                if !self.st.is_declared(val) {
                    return self.error(format!("undefined variable {}", fmt_q(val)));
                }
                Arg::Variable(pos, self.names.get(val), Vec::new())
            }
            ItemType::Field => Arg::Field(pos, vec![self.names.get(val.get(1..).unwrap_or(""))]),
            ItemType::Bool => Arg::Bool(pos, val == "true"),
            ItemType::CharConstant | ItemType::Complex | ItemType::Number => {
                let kind = match token.typ {
                    ItemType::CharConstant => NumberKind::Char,
                    ItemType::Complex => NumberKind::Complex,
                    _ => NumberKind::Number,
                };
                match parse_number(val, kind) {
                    Ok(n) => Arg::Number(pos, Box::new(n)),
                    Err(msg) => return self.error(msg),
                }
            }
            ItemType::LeftParen => {
                self.enter()?;
                let pipe = self.pipeline("parenthesized pipeline", ItemType::RightParen);
                self.depth -= 1;
                Arg::Pipe(pos, Box::new(pipe?))
            }
            ItemType::String | ItemType::RawString => {
                let plain = val
                    .get(1..val.len().saturating_sub(1))
                    .filter(|s| !s.contains(['\\', '\r']));
                match plain.map(Rc::from).or_else(|| unquote(val).map(Rc::from)) {
                    Some(s) => Arg::String(pos, s),
                    None => return self.error("invalid syntax"),
                }
            }
            _ => {
                self.backup();
                return Ok(None);
            }
        };
        Ok(Some((arg, val)))
    }
}
