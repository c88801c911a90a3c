//! The syntax tree of a Go `text/template`, one node type per construct (Go's `parse/node.go`).
//!
//! Positions are byte offsets into the template's source ([`Pos`]); line and column are computed
//! only when an error is shown, as Go's `ErrorContext` does. `define` blocks do not appear in a
//! tree: the parser hoists each one into its own [`Tree`] of the same set, and `block` becomes a
//! `define` plus a [`Node::Template`] call, exactly as Go does.

use std::rc::Rc;

/// A byte offset into a template's source text.
pub(crate) type Pos = u32;

/// One parsed template: the file itself, or a `define`d name.
#[derive(Debug, Clone)]
pub(crate) struct Tree {
    /// The template's name (`stackstate/templates/x.yaml`, or a `define`d name).
    pub(crate) name: Rc<str>,
    /// The name of the file the template was parsed from (Go's `ParseName`), used in errors.
    pub(crate) parse_name: Rc<str>,
    /// The whole source text of that file; positions index into it.
    pub(crate) source: Rc<str>,
    /// The body (shared by the trees of files with the same text, see
    /// [`super::set::Templates::parse_file_bytes`]).
    pub(crate) root: Rc<Root>,
}

/// A template's body: parsed, or packed at build time and decoded the first time it runs or is
/// looked at (most `define`s of a chart and its subcharts never run in a render).
pub(crate) struct Root {
    list: LazyList,
    /// Only whitespace and comments (Go's `IsEmptyTree`), known without decoding.
    empty: bool,
}

impl Root {
    /// A body the parser made from `source`.
    pub(crate) fn parsed(list: List, source: &str) -> Root {
        let empty = super::parse::is_empty_tree(&list, source);
        Root {
            list: list.into(),
            empty,
        }
    }

    /// A packed body, decoded when first asked for.
    pub(crate) fn packed(body: super::ast_pack::PackedList, empty: bool) -> Root {
        Root {
            list: LazyList::packed(body),
            empty,
        }
    }

    /// The nodes.
    pub(crate) fn list(&self) -> &List {
        self.list.list()
    }

    /// Whether the body is only whitespace and comments.
    pub(crate) fn is_empty(&self) -> bool {
        self.empty
    }
}

impl std::ops::Deref for Root {
    type Target = List;
    fn deref(&self) -> &List {
        self.list()
    }
}

impl std::fmt::Debug for Root {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.list().fmt(f)
    }
}

/// A sequence of nodes.
#[derive(Debug, Clone, Default)]
pub(crate) struct List {
    /// Position of the first node.
    pub(crate) pos: Pos,
    /// The nodes, in order.
    pub(crate) nodes: Vec<Node>,
}

/// A statement-level node.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// Plain text, copied to the output (after trim markers were applied).
    Text {
        /// Position of the text.
        pos: Pos,
        /// The text.
        text: Rc<str>,
    },
    /// Plain text that is the source's own bytes at `pos` (what the parser makes and a packed
    /// tree decodes to: text pieces are most of a chart's templates, and the tree's source
    /// already holds them). [`Node::Text`] is for text that is not.
    SourceText {
        /// Position of the text.
        pos: Pos,
        /// Its length in bytes.
        len: u32,
    },
    /// `{{ pipeline }}`: evaluate and print (nothing is printed for a declaration or assignment).
    Action {
        /// Position of the action.
        pos: Pos,
        /// The pipeline (boxed, as every large part of a node: a chart's trees are mostly text
        /// and small actions, and a node's size is its largest variant's).
        pipe: Box<Pipe>,
    },
    /// `{{if}}`, `{{else if}}` (nested as the else list), `{{else}}`, `{{end}}`.
    If(Box<Branch>),
    /// `{{range}}` over a list, map, integer or channel-less value; `{{else}}` when empty.
    Range(Box<Branch>),
    /// `{{with}}`: set dot when the value is not empty; `{{else with}}` nests like `else if`.
    With(Box<Branch>),
    /// `{{template "name" pipeline}}`.
    Template {
        /// Position of the action.
        pos: Pos,
        /// The template to call.
        name: Rc<str>,
        /// The new dot; `None` means nil.
        pipe: Option<Box<Pipe>>,
    },
    /// `{{break}}` inside a range.
    Break {
        /// Position of the action.
        pos: Pos,
    },
    /// `{{continue}}` inside a range.
    Continue {
        /// Position of the action.
        pos: Pos,
    },
}

/// The text of a [`Node::SourceText`] in the source of its tree (empty should the source not
/// hold it).
pub(crate) fn source_text(source: &str, pos: Pos, len: u32) -> &str {
    let start = pos as usize;
    source.get(start..start + len as usize).unwrap_or("")
}

/// The shared shape of `if`, `range` and `with`.
#[derive(Debug, Clone)]
pub(crate) struct Branch {
    /// Position of the keyword's action.
    pub(crate) pos: Pos,
    /// The condition (for `range`: the value iterated, with the loop variables as declarations).
    pub(crate) pipe: Pipe,
    /// What runs when the condition holds (for each element, for `range`).
    pub(crate) list: LazyList,
    /// What runs otherwise (`else`, or the chain of `else if`/`else with`).
    pub(crate) else_list: Option<LazyList>,
}

/// A list of nodes: parsed, or packed at build time and decoded the first time it runs or is
/// looked at — a template's body ([`Root`]) or a branch's list. Two in five nodes of the bodies
/// a render runs sit in branches it never takes (a feature switched off, the other side of an
/// `if`), and decoding was a twentieth of a render.
pub(crate) struct LazyList {
    list: std::cell::OnceCell<List>,
    /// Where the list is packed, until it is decoded.
    packed: Option<super::ast_pack::PackedList>,
}

impl LazyList {
    /// A packed list, decoded when first asked for.
    pub(crate) fn packed(packed: super::ast_pack::PackedList) -> LazyList {
        LazyList {
            list: std::cell::OnceCell::new(),
            packed: Some(packed),
        }
    }

    /// The nodes.
    pub(crate) fn list(&self) -> &List {
        self.list.get_or_init(|| match &self.packed {
            Some(packed) => packed.decode(),
            None => List::default(),
        })
    }
}

#[cfg(test)]
impl LazyList {
    /// Whether the list has been decoded (or was parsed).
    pub(crate) fn is_decoded(&self) -> bool {
        self.list.get().is_some()
    }

    /// Where the list is packed.
    pub(crate) fn packed_at(&self) -> Option<std::ops::Range<usize>> {
        self.packed.as_ref().map(super::ast_pack::PackedList::at)
    }
}

impl From<List> for LazyList {
    fn from(list: List) -> LazyList {
        LazyList {
            list: list.into(),
            packed: None,
        }
    }
}

impl std::ops::Deref for LazyList {
    type Target = List;
    fn deref(&self) -> &List {
        self.list()
    }
}

impl Clone for LazyList {
    fn clone(&self) -> Self {
        match self.list.get() {
            Some(list) => LazyList::from(list.clone()),
            None => LazyList {
                list: std::cell::OnceCell::new(),
                packed: self.packed.clone(),
            },
        }
    }
}

impl std::fmt::Debug for LazyList {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.list().fmt(f)
    }
}

/// A pipeline: optional variable declarations, then commands separated by `|`.
#[derive(Debug, Clone)]
pub(crate) struct Pipe {
    /// Position of the pipeline.
    pub(crate) pos: Pos,
    /// `$x = …` (assignment) rather than `$x := …` (declaration).
    pub(crate) is_assign: bool,
    /// The variables declared or assigned (names include the `$`); two for `range $i, $e :=`.
    pub(crate) decl: Vec<Variable>,
    /// The commands; the result of each is passed as the last argument of the next.
    pub(crate) cmds: Vec<Command>,
}

/// A variable in a declaration.
#[derive(Debug, Clone)]
pub(crate) struct Variable {
    /// Position of the variable.
    pub(crate) pos: Pos,
    /// The name, including the leading `$`.
    pub(crate) name: Rc<str>,
}

/// One command of a pipeline: a function or method with arguments, or a single operand.
#[derive(Debug, Clone)]
pub(crate) struct Command {
    /// Position of the command.
    pub(crate) pos: Pos,
    /// The operands; the first is the function (an [`Arg::Identifier`]) when there are several.
    pub(crate) args: Vec<Arg>,
}

/// An operand.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    /// `.` itself.
    Dot(Pos),
    /// `nil`.
    Nil(Pos),
    /// `true` / `false`.
    Bool(Pos, bool),
    /// A number constant (boxed: it is the largest operand and the rarest).
    Number(Pos, Box<Number>),
    /// A string constant, already unquoted.
    String(Pos, Rc<str>),
    /// A function name.
    Identifier(Pos, Rc<str>),
    /// `$x` or `$x.a.b`: the variable (with its `$`) and the field chain after it.
    Variable(Pos, Rc<str>, Vec<Rc<str>>),
    /// `.a.b.c`: a field chain starting at dot.
    Field(Pos, Vec<Rc<str>>),
    /// `(pipeline).a.b` and similar: fields applied to another operand.
    Chain(Pos, Box<Arg>, Vec<Rc<str>>),
    /// `(pipeline)` as an operand.
    Pipe(Pos, Box<Pipe>),
}

impl Arg {
    /// The operand's position.
    pub(crate) fn pos(&self) -> Pos {
        match self {
            Arg::Dot(p)
            | Arg::Nil(p)
            | Arg::Bool(p, _)
            | Arg::Number(p, _)
            | Arg::String(p, _)
            | Arg::Identifier(p, _)
            | Arg::Variable(p, _, _)
            | Arg::Field(p, _)
            | Arg::Chain(p, _, _)
            | Arg::Pipe(p, _) => *p,
        }
    }
}

/// A number constant as Go's parser classifies it (`parse.NumberNode`).
///
/// Go keeps every interpretation that is exact: `1` is an int, a float and a uint at once, and
/// the executor picks the one the context needs (an `int` parameter, an `interface{}` argument…).
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Number {
    /// The literal as written (`0x1F`, `1e3`, `'a'`), for error messages.
    pub(crate) text: Rc<str>,
    /// The value as a signed integer, when it is one exactly.
    pub(crate) int: Option<i64>,
    /// The value as an unsigned integer, when it is one exactly.
    pub(crate) uint: Option<u64>,
    /// The value as a float, when it is representable.
    pub(crate) float: Option<f64>,
    /// A character constant (`'a'`): an `int32` rune when used as an `interface{}` value.
    pub(crate) is_char: bool,
}
