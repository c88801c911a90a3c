//! The executor: walks a template's statements (Go's `exec.go` `walk*`), with Helm's `include`
//! and `tpl`, execution fuel and a depth bound. Expression evaluation is in [`super::eval`].
//!
//! One [`Exec`] serves a whole render: the template set, the function context, the record of
//! values keys read, and the budgets are shared by every template, `include` and `tpl` call.

use std::rc::Rc;

use super::ast::{Branch, List, Node, Pos, Tree};
use super::error::{Error, ErrorKind};
use super::funcs;
use super::set::{Layered, Templates};
use super::value::{GoStruct, KeyPath, Prov, StrBuf, Value};

/// Budgets of one render.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Steps (nodes walked and functions called) before the render is stopped.
    pub fuel: u64,
    /// Nested template calls (`template`, `include`, `tpl`) before the render is stopped. Helm
    /// stops one name included more than 1000 times inside itself and Go's `template` actions
    /// 100000 deep within one execution (each `include` and `tpl` starts its own), both failing
    /// as Helm fails; this bound, just above Go's, stops what neither does (Go's own stack of
    /// 1 GB would: includes of many names, each a long way inside the other).
    pub max_depth: usize,
    /// Bytes one template may write.
    pub max_output: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            fuel: 200_000_000,
            max_depth: GO_MAX_EXEC_DEPTH + 10_000,
            max_output: 256 << 20,
        }
    }
}

/// Stack left below which a template call gets a new stack segment, and that segment's size.
const STACK_RED_ZONE: usize = 256 * 1024;
const STACK_GROWTH: usize = 4 * 1024 * 1024;

/// Helm's bound on one name included inside itself (`recursionMaxNums`).
const INCLUDE_MAX_NESTING: usize = 1000;

/// Go's bound on nested `template` actions within one execution (`maxExecDepth`).
const GO_MAX_EXEC_DEPTH: usize = 100_000;

/// `tpl` calls running one inside another at most (Go has no such bound; see where it is used).
const MAX_TPL_NESTING: usize = 10_000;

/// A values key a template read, and where.
#[derive(Debug, Clone, PartialEq)]
pub struct Read {
    /// What was read.
    pub(crate) key: ReadKey,
    /// The template whose text did the read: its number in [`Exec::template_names`] (a read
    /// log holds tens of thousands of reads; a name of its own in each made it a third larger).
    pub(crate) template: u32,
    /// Where in that template's source.
    pub(crate) pos: Pos,
}

/// The key of a [`Read`], kept as cheap references until a path is asked for.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum ReadKey {
    /// A key looked up in a map of the values tree (found or not).
    Child(Rc<Prov>, Rc<str>),
    /// A value of the tree reached through a map the template built (`merge`, `dict`, `omit`):
    /// the value itself is used, what is under it only as far as later reads say.
    Reached(Rc<Prov>),
    /// A map of the tree used as a whole (printed, `toYaml`, `toJson`…): every key under it.
    Whole(Rc<Prov>),
}

impl ReadKey {
    /// Who reads the same key of the same map (or the same value) has the same address: the
    /// addresses of what was read, alive as long as the read log. For skipping repeated reads
    /// before building their paths ([`AddressSet`]).
    pub(crate) fn address(&self) -> (usize, usize, u8) {
        match self {
            ReadKey::Child(parent, key) => (Rc::as_ptr(parent) as usize, key.as_ptr() as usize, 0),
            ReadKey::Reached(prov) => (Rc::as_ptr(prov) as usize, 0, 1),
            ReadKey::Whole(prov) => (Rc::as_ptr(prov) as usize, 0, 2),
        }
    }
}

/// A value the user gave that a choosing function (`default`, `coalesce`, `ternary`) was handed
/// straight from a field chain (`.Values.a`, `$cfg.a`, a piped `.Values.a | default …`) and did
/// not pick. The field chain logged a read of the key; when every read of a key ends here, the
/// key has no effect on the release although the chart reads it (SL201).
#[derive(Debug, Clone)]
pub struct Unpicked {
    /// The value passed over.
    pub(crate) value: Rc<Prov>,
    /// What it printed as (Go's `fmt.Sprint`).
    pub(crate) shown: Rc<str>,
    /// The function (`default`, `coalesce`, `ternary`).
    pub(crate) func: &'static str,
    /// Whether the function passed it over for being empty (Sprig's `empty`: 0, false…).
    pub(crate) empty: bool,
    /// What the function gave instead, as printed, and where that came from.
    pub(crate) picked: Rc<str>,
    pub(crate) picked_from: super::value::Origin,
    /// Whether what it gave instead prints the same (from another of the user's keys).
    pub(crate) same: bool,
    /// The file of the call's template, its source and the call's position in it.
    pub(crate) file: Rc<str>,
    pub(crate) source: Rc<str>,
    pub(crate) pos: Pos,
}

impl Unpicked {
    /// The file and 1-based line of the call (`kafka/templates/statefulset.yaml:301`), and the
    /// line's text, trimmed.
    pub(crate) fn place(&self) -> (String, String) {
        // Bytes, not text: a position off a character boundary cannot panic here.
        let bytes = self.source.as_bytes();
        let at = (self.pos as usize).min(bytes.len());
        let start = bytes[..at]
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(0, |i| i + 1);
        let end = bytes[at..]
            .iter()
            .position(|&b| b == b'\n')
            .map_or(bytes.len(), |i| at + i);
        let line = 1 + bytes[..at].iter().filter(|&&b| b == b'\n').count();
        let text = self.source.get(start..end).unwrap_or_default().trim();
        (format!("{}:{line}", self.file), text.to_string())
    }
}

/// A set of [`ReadKey::address`]es.
pub(crate) type AddressSet =
    std::collections::HashSet<(usize, usize, u8), std::hash::BuildHasherDefault<AddressHasher>>;

/// A hasher for addresses (never for text a user controls): one multiply per word.
#[derive(Default)]
pub(crate) struct AddressHasher(u64);

impl std::hash::Hasher for AddressHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.write_u64(u64::from(*b));
        }
    }

    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0.rotate_left(5) ^ n).wrapping_mul(0x517c_c1b7_2722_0a95);
    }
}

impl Read {
    /// The key, as the user writes it from the top-level chart.
    pub(crate) fn path(&self) -> KeyPath {
        match &self.key {
            ReadKey::Child(parent, key) => parent
                .user_path
                .iter()
                .cloned()
                .chain(std::iter::once(key.clone()))
                .collect(),
            ReadKey::Reached(prov) | ReadKey::Whole(prov) => prov.user_path.clone(),
        }
    }

    /// The last name of [`Read::path`], without building the path.
    pub(crate) fn last_name(&self) -> Option<&str> {
        match &self.key {
            ReadKey::Child(_, key) => Some(key),
            ReadKey::Reached(prov) | ReadKey::Whole(prov) => prov.user_path.last().map(|k| &**k),
        }
    }

    /// Whether [`Read::path`] is `path`, without building it.
    pub(crate) fn path_is(&self, path: &[Rc<str>]) -> bool {
        match &self.key {
            ReadKey::Child(parent, key) => path
                .split_last()
                .is_some_and(|(last, rest)| last == key && *parent.user_path == *rest),
            ReadKey::Reached(prov) | ReadKey::Whole(prov) => *prov.user_path == *path,
        }
    }
}

/// Control flow out of a statement: an error, or `break`/`continue` of the innermost `range`.
#[derive(Debug)]
pub(super) enum Flow {
    Err(Error),
    Break,
    Continue,
}

impl From<Error> for Flow {
    fn from(e: Error) -> Flow {
        Flow::Err(e)
    }
}

/// The kind of node an error names (Go's `state.node`): an operand, a `{{template}}` call, or
/// a whole pipeline (Go marks the pipeline before its commands: an error before any of them
/// names it, `at <(printf "a") "x">`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AtKind {
    Operand,
    Template,
    Pipe,
}

/// One running template: its tree (for positions), its name and its variables.
pub(super) struct Frame {
    pub(crate) tree: Rc<Tree>,
    pub(crate) name: Rc<str>,
    /// The name's number in [`Exec::template_names`], for the reads it makes.
    pub(crate) name_id: u32,
    /// The variables in scope, innermost last; the flag marks an element `range` bound from a
    /// list or map of any type, which Go holds as an interface value (as `dot_slot`).
    pub(crate) vars: Vec<(Rc<str>, Value, bool)>,
    /// The node being evaluated, for error messages.
    pub(crate) at: Pos,
    /// What kind of node that is.
    pub(crate) at_kind: AtKind,
    /// How many reads there were when the current action began: the reads after it are the
    /// action's (an error blames them).
    pub(crate) action_reads: usize,
    /// Whether dot is an element of a ranged list or map of any type: Go holds it as an
    /// interface value, so a missing field of it names `interface {}` and a field of a nil one
    /// fails, as for a map slot (see `eval.rs`).
    pub(crate) dot_slot: bool,
}

/// The executor of one render.
pub struct Exec<'a> {
    pub(super) set: Layered<'a>,
    /// State of the functions (random numbers).
    pub(crate) ctx: funcs::Ctx,
    /// Every values key read, in order.
    pub(crate) reads: Vec<Read>,
    /// The user's values choosing functions passed over, in order.
    pub(crate) unpicked: Vec<Unpicked>,
    /// Whether the pipeline's command before the one running is a lone field chain, whose
    /// value the running call receives straight from the values (see [`Unpicked`]).
    pub(super) piped_field: bool,
    /// The names of the templates that ran, numbered as [`Read::template`] counts them.
    pub(crate) template_names: Vec<Rc<str>>,
    name_ids: crate::fast_hash::FxHashMap<Rc<str>, u32>,
    /// The actions of the outermost template (the file being rendered) that wrote output: the
    /// bytes they wrote and the reads they made (ranges of its output and of `reads`).
    pub(crate) printed: Vec<(std::ops::Range<usize>, std::ops::Range<usize>)>,
    pub(super) fuel: u64,
    pub(super) depth: usize,
    /// Nested `template` actions since the current Go execution began (the file's, an
    /// `include`'s or a `tpl`'s): Go's `state.depth`.
    template_depth: usize,
    pub(super) limits: Limits,
    pub(super) included: crate::fast_hash::FxHashMap<Rc<str>, usize>,
    /// The name `$`, shared by every frame.
    dollar: Rc<str>,
    /// The Helm whose Go runs the templates (`range` over an integer since Go 1.24, `and` and
    /// `or` stopping early since 1.18) and whose functions `tpl` knows. Taken from the set
    /// ([`Templates::build`]).
    pub(crate) build: crate::helm_build::HelmBuild,
    /// Where each error of the failing chain was raised, innermost first: the template and the
    /// number of reads when its action began.
    error_sites: std::cell::RefCell<Vec<(u32, usize)>>,
    /// `include` results remembered for replay.
    pub(super) memo: super::memo::Memo,
    /// The texts `tpl` is running, by the source their trees were parsed from: the template's
    /// own text pieces are bytes of a value, and carry its provenance.
    tpl_sources: Vec<(Rc<str>, super::value::Str)>,
}

impl Drop for Exec<'_> {
    fn drop(&mut self) {
        std::mem::take(&mut self.ctx.yaml_cache).carry();
    }
}

impl<'a> Exec<'a> {
    /// An executor over `set` with the given budgets.
    pub fn new(set: &'a Templates, limits: Limits) -> Exec<'a> {
        Exec {
            set: Layered::new(set),
            ctx: funcs::Ctx {
                build: set.build,
                yaml_cache: funcs::YamlCache::for_render(),
                ..funcs::Ctx::default()
            },
            reads: Vec::new(),
            unpicked: Vec::new(),
            piped_field: false,
            template_names: Vec::new(),
            name_ids: Default::default(),
            printed: Vec::new(),
            fuel: limits.fuel,
            depth: 0,
            template_depth: 0,
            limits,
            included: Default::default(),
            dollar: Rc::from("$"),
            build: set.build,
            error_sites: Default::default(),
            memo: super::memo::Memo::new(),
            tpl_sources: Vec::new(),
        }
    }

    /// Executes the template `name` with `dot` (Go's `ExecuteTemplate`).
    pub fn execute(&mut self, name: &str, dot: Value) -> Result<StrBuf, Error> {
        let Some(tree) = self.set.get(name) else {
            return Err(Error {
                kind: ErrorKind::Exec,
                message: format!(
                    "template: no template {name:?} associated with template \"gotpl\""
                ),
            });
        };
        // Helm sets `.Template` on the chart's dot before each file.
        self.memo.file += 1;
        let mut out = StrBuf::new();
        self.run(tree, dot, &mut out)?;
        Ok(out)
    }

    /// Runs `tree` with a fresh variable scope (`$` = dot), writing to `out`.
    pub(super) fn run(
        &mut self,
        tree: Rc<Tree>,
        dot: Value,
        out: &mut StrBuf,
    ) -> Result<(), Error> {
        if self.depth >= self.limits.max_depth {
            return Err(Error {
                kind: ErrorKind::Budget,
                message: format!(
                    "template: {}: exceeded maximum template depth ({})",
                    tree.name, self.limits.max_depth
                ),
            });
        }
        self.depth += 1;
        self.memo.reached(self.depth);
        let name_id = self.name_id(&tree.name);
        let mut frame = Frame {
            name: tree.name.clone(),
            name_id,
            vars: vec![(self.dollar.clone(), dot.clone(), false)],
            at: 0,
            at_kind: AtKind::Operand,
            action_reads: self.reads.len(),
            tree: tree.clone(),
            dot_slot: false,
        };
        // NOTE: templates calling templates 100,000 deep need far more than a thread's usual stack
        // (a debug build spends ~10 KiB per level); grow it on the heap when it runs low.
        let result = stacker::maybe_grow(STACK_RED_ZONE, STACK_GROWTH, || {
            self.walk_list(&mut frame, &dot, &tree.root, out)
        });
        self.depth -= 1;
        match result {
            Ok(()) => Ok(()),
            Err(Flow::Err(e)) => Err(e),
            // The parser allows break/continue only inside range.
            Err(Flow::Break | Flow::Continue) => Ok(()),
        }
    }

    /// [`Exec::run`] as an execution of its own (Helm's `include` and `tpl` call Go's
    /// `ExecuteTemplate`): Go counts its `template` depth from zero again.
    fn run_apart(&mut self, tree: Rc<Tree>, dot: Value, out: &mut StrBuf) -> Result<(), Error> {
        let outer = std::mem::take(&mut self.template_depth);
        let result = self.run(tree, dot, out);
        self.template_depth = outer;
        result
    }

    /// The number of a template's name in [`Exec::template_names`].
    fn name_id(&mut self, name: &Rc<str>) -> u32 {
        if let Some(&id) = self.name_ids.get(name) {
            return id;
        }
        let id = u32::try_from(self.template_names.len()).unwrap_or(u32::MAX);
        self.template_names.push(name.clone());
        self.name_ids.insert(name.clone(), id);
        id
    }

    /// Spends one unit of fuel.
    pub(super) fn burn(&mut self, f: &Frame) -> Result<(), Error> {
        self.burn_n(f, 1)
    }

    /// Spends `n` units of fuel.
    pub(super) fn burn_n(&mut self, f: &Frame, n: u64) -> Result<(), Error> {
        if self.fuel < n {
            self.fuel = 0;
            return Err(Error {
                kind: ErrorKind::Budget,
                message: format!(
                    "template: {}: execution budget of {} steps exhausted",
                    self.location(f),
                    self.limits.fuel
                ),
            });
        }
        self.fuel -= n;
        Ok(())
    }

    /// Forgets what a failed file left behind (its failing actions, its printed values), for
    /// rendering the next file after a failure (the render option `every_failure`).
    pub(crate) fn forget_failure(&mut self) {
        self.error_sites.borrow_mut().clear();
        self.printed.clear();
    }

    /// The reads of the action that failed (the innermost action of the failing chain that read
    /// anything; else the last reads made at one place), the key at fault last.
    pub(crate) fn failing_reads(&self) -> Vec<KeyPath> {
        let sites = self.error_sites.borrow();
        // An action's own reads, not those of the templates it called before failing.
        let window: Vec<&Read> = sites
            .iter()
            .map(|(name, k)| {
                self.reads[(*k).min(self.reads.len())..]
                    .iter()
                    .filter(|r| r.template == *name)
                    .collect::<Vec<_>>()
            })
            .find(|w| !w.is_empty())
            // NOTE: when the failing actions read no value (a `fail` inside an `if`), the
            // last value the failing template read is to blame (the `if`'s); none when it read
            // none (a `fail` under a test of `.Capabilities`: not the last read of another
            // template). An error raised outside any action falls back to the render's last.
            .unwrap_or_else(|| match sites.first() {
                Some((name, _)) => self.reads.iter().filter(|r| r.template == *name).collect(),
                None => self.reads.iter().collect(),
            });
        let Some(last) = window.last() else {
            return Vec::new();
        };
        let mut out: Vec<KeyPath> = window
            .iter()
            .rev()
            .take_while(|r| r.template == last.template && r.pos == last.pos)
            .map(|r| r.path())
            .collect();
        out.reverse();
        out.dedup();
        out
    }

    /// `NAME:LINE:COL` of the node being evaluated, as Go's `ErrorContext` computes it.
    pub(super) fn location(&self, f: &Frame) -> String {
        let pos = (f.at as usize).min(f.tree.source.len());
        let before = f.tree.source.get(..pos).unwrap_or("");
        let line = 1 + before.matches('\n').count();
        let col = match before.rfind('\n') {
            Some(nl) => pos - (nl + 1),
            None => pos,
        };
        format!("{}:{}:{}", f.tree.parse_name, line, col)
    }

    /// Go's `String()` of the node being evaluated, found again by its position.
    fn context(&self, f: &Frame) -> String {
        let tree = &f.tree;
        match f.at_kind {
            AtKind::Template => super::eval::find_template(&tree.root, f.at)
                .map(|n| tree.node_text(n))
                .unwrap_or_default(),
            AtKind::Pipe => super::eval::find_pipe(&tree.root, f.at)
                .map(|p| tree.node_text(p))
                .unwrap_or_default(),
            AtKind::Operand => super::eval::find_arg(&tree.root, f.at)
                .map(|a| tree.node_text(a))
                .unwrap_or_default(),
        }
    }

    /// An execution error at the current node, worded like Go's.
    pub(super) fn err(&self, f: &Frame, msg: impl std::fmt::Display) -> Flow {
        Flow::Err(self.error(f, msg))
    }

    /// An execution error at the current node, worded like Go's.
    pub(super) fn error(&self, f: &Frame, msg: impl std::fmt::Display) -> Error {
        let msg = msg.to_string();
        self.error_sites
            .borrow_mut()
            .push((f.name_id, f.action_reads));
        // Go's evalCall reports a function's own error at the whole command
        // (`<include "x" .>`), every other error at the node being evaluated.
        let context = match super::eval::find_command(&f.tree.root, f.at) {
            Some(cmd) if f.at_kind == AtKind::Operand && msg.starts_with("error calling ") => {
                f.tree.node_text(cmd)
            }
            _ => self.context(f),
        };
        Error {
            kind: ErrorKind::Exec,
            message: format!(
                "template: {}: executing {:?} at <{}>: {}",
                self.location(f),
                f.name.as_ref(),
                context,
                msg
            ),
        }
    }

    fn walk_list(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        list: &List,
        out: &mut StrBuf,
    ) -> Result<(), Flow> {
        for node in &list.nodes {
            self.walk(f, dot, node, out)?;
        }
        Ok(())
    }

    fn walk(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        node: &Node,
        out: &mut StrBuf,
    ) -> Result<(), Flow> {
        self.burn(f)?;
        if !matches!(node, Node::Text { .. } | Node::SourceText { .. }) {
            f.action_reads = self.reads.len();
        }
        match node {
            Node::Text { pos, text } => {
                let at = *pos as usize;
                match self.tpl_source(f) {
                    Some(s) if f.tree.source.get(at..at + text.len()) == Some(&**text) => {
                        out.push_slice(s, at..at + text.len());
                    }
                    _ => out.push_plain(text),
                }
                self.check_output(f, out)?;
            }
            Node::SourceText { pos, len } => {
                let text = super::ast::source_text(&f.tree.source, *pos, *len);
                match self.tpl_source(f) {
                    Some(s) if !text.is_empty() => {
                        out.push_slice(s, *pos as usize..*pos as usize + text.len());
                    }
                    _ => out.push_plain(text),
                }
                self.check_output(f, out)?;
            }
            Node::Action { pipe, .. } => {
                let val = self.eval_pipeline(f, dot, pipe)?;
                if pipe.decl.is_empty() {
                    if val.is_container() {
                        self.memo.observe(&val, true);
                        self.record_whole(f, &val);
                        if self.memo.watching() && super::memo::reaches_root(&val) {
                            super::memo::note_per_file_seen();
                        }
                    }
                    let start = out.len();
                    print_value(&val, out);
                    self.note_printed(f, start..out.len());
                    self.check_output(f, out)?;
                }
            }
            Node::If(b) => self.walk_if_or_with(f, dot, b, false, out)?,
            Node::With(b) => self.walk_if_or_with(f, dot, b, true, out)?,
            Node::Range(b) => self.walk_range(f, dot, b, out)?,
            Node::Template { pos, name, pipe } => {
                f.at = *pos;
                f.at_kind = AtKind::Template;
                let Some(tree) = self.set.get(name) else {
                    return Err(self.err(f, format!("template {:?} not defined", name.as_ref())));
                };
                if self.template_depth == GO_MAX_EXEC_DEPTH {
                    let e = format!("exceeded maximum template depth ({GO_MAX_EXEC_DEPTH})");
                    return Err(self.err(f, e));
                }
                // Variables the pipeline declares persist after the call, as in Go.
                let new_dot = match pipe {
                    Some(p) => self.eval_pipeline(f, dot, p)?,
                    None => Value::Nil,
                };
                let (start, reads) = (out.len(), f.action_reads);
                self.template_depth += 1;
                let result = self.run(tree, new_dot, out);
                self.template_depth -= 1;
                result?;
                if self.depth == 1 && out.len() > start {
                    self.printed
                        .push((start..out.len(), reads..self.reads.len()));
                }
            }
            Node::Break { .. } => return Err(Flow::Break),
            Node::Continue { .. } => return Err(Flow::Continue),
        }
        Ok(())
    }

    /// Logs what an action of the file's own template wrote, with the reads it made.
    fn note_printed(&mut self, f: &Frame, bytes: std::ops::Range<usize>) {
        if self.depth == 1 && !bytes.is_empty() {
            self.printed.push((bytes, f.action_reads..self.reads.len()));
        }
    }

    fn check_output(&self, f: &Frame, out: &StrBuf) -> Result<(), Flow> {
        crate::large_render::rendered(out.len());
        if out.len() > self.limits.max_output {
            return Err(Flow::Err(Error {
                kind: ErrorKind::Budget,
                message: format!(
                    "template: {}: output exceeds {} bytes",
                    self.location(f),
                    self.limits.max_output
                ),
            }));
        }
        Ok(())
    }

    fn walk_if_or_with(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        b: &Branch,
        is_with: bool,
        out: &mut StrBuf,
    ) -> Result<(), Flow> {
        let mark = f.vars.len();
        let val = self.eval_pipeline(f, dot, &b.pipe)?;
        self.memo.observe(&val, false);
        self.record_truth(f, &val);
        let result = if val.truthy() {
            if is_with {
                let outer = std::mem::replace(&mut f.dot_slot, false);
                let r = self.walk_list(f, &val, &b.list, out);
                f.dot_slot = outer;
                r
            } else {
                self.walk_list(f, dot, &b.list, out)
            }
        } else if let Some(else_list) = &b.else_list {
            self.walk_list(f, dot, else_list, out)
        } else {
            Ok(())
        };
        f.vars.truncate(mark);
        result
    }

    fn walk_range(
        &mut self,
        f: &mut Frame,
        dot: &Value,
        b: &Branch,
        out: &mut StrBuf,
    ) -> Result<(), Flow> {
        let mark = f.vars.len();
        // The loop variables are declared by the pipeline; evaluate it without them.
        let val = match self.eval_pipeline_value(f, dot, &b.pipe)? {
            // A Go map or slice type with methods (`.Files`) ranges as what it is.
            Value::Object(o) => o.underlying().unwrap_or(Value::Object(o)),
            v => v,
        };
        if self.memo.watching() && super::memo::is_root(&val) {
            super::memo::note_per_file_seen();
        }
        self.memo.observe(&val, false);
        // Go declares the loop variables with the ranged value and sets them per iteration; in
        // the `else` branch they still hold the ranged value. `range $x = …` declares nothing:
        // it sets variables of the enclosing scope (an undefined one fails), first to the
        // ranged value, then per iteration, and they keep the last value after `{{ end }}`.
        let assign = b.pipe.is_assign;
        if assign {
            self.bind(f, &b.pipe, val.clone())?;
        } else {
            for var in &b.pipe.decl {
                f.vars.push((var.name.clone(), val.clone(), false));
            }
        }
        let body_mark = f.vars.len();
        let mut ran = false;
        let mut one = |this: &mut Self,
                       f: &mut Frame,
                       index: Value,
                       elem: Value,
                       slot: bool|
         -> Result<bool, Flow> {
            ran = true;
            // Each iteration costs fuel, so an empty body cannot loop for free.
            this.burn(f)?;
            // Go binds the element as the list or map holds it, an interface value (see
            // `dot_slot`).
            let set = |f: &mut Frame, name: &str, v: Value, slot: bool| {
                if let Some(var) = f.vars.iter_mut().rev().find(|(n, _, _)| **n == *name) {
                    (var.1, var.2) = (v, slot);
                }
            };
            match b.pipe.decl.as_slice() {
                [] => {}
                [one] if assign => set(f, &one.name, elem.clone(), slot),
                [index_var, elem_var, ..] if assign => {
                    set(f, &index_var.name, index, false);
                    set(f, &elem_var.name, elem.clone(), slot);
                }
                [_] => {
                    f.vars[body_mark - 1] = (f.vars[body_mark - 1].0.clone(), elem.clone(), slot)
                }
                _ => {
                    f.vars[body_mark - 1] = (f.vars[body_mark - 1].0.clone(), elem.clone(), slot);
                    f.vars[body_mark - 2].1 = index;
                }
            }
            let outer = std::mem::replace(&mut f.dot_slot, slot);
            let r = this.walk_list(f, &elem, &b.list, out);
            f.dot_slot = outer;
            f.vars.truncate(body_mark);
            match r {
                Ok(()) | Err(Flow::Continue) => Ok(true),
                Err(Flow::Break) => Ok(false),
                Err(e) => Err(e),
            }
        };
        let result: Result<(), Flow> = (|| {
            match &val {
                Value::List(l) => {
                    if l.origin.is_none() {
                        self.record_reached(f, l.items.iter());
                    }
                    for (i, item) in l.items.iter().enumerate() {
                        let slot = l.elem == super::value::ElemType::Any;
                        if !one(self, f, Value::int(i as i64), item.clone(), slot)? {
                            break;
                        }
                    }
                }
                Value::Bytes(bytes) => {
                    for (i, byte) in bytes.iter().enumerate() {
                        let elem = Value::Int(i64::from(*byte), super::value::IntType::Uint8, None);
                        if !one(self, f, Value::int(i as i64), elem, false)? {
                            break;
                        }
                    }
                }
                Value::Map(m) => {
                    let entries: Vec<(Rc<str>, Value)> = m
                        .borrow()
                        .entries
                        .iter()
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect();
                    if val.origin().is_some() {
                        self.record_map_reads(f, &val, entries.iter().map(|(k, _)| k));
                    } else {
                        self.record_reached(f, entries.iter().map(|(_, v)| v));
                    }
                    let slot = m.borrow().elem == super::value::ElemType::Any;
                    for (k, v) in entries {
                        if !one(self, f, Value::str(k), v, slot)? {
                            break;
                        }
                    }
                }
                Value::Int(n, t, _) if self.build.ranges_over_int() => {
                    if b.pipe.decl.len() > 1 {
                        return Err(self.err(
                            f,
                            format!("can't use {n} to iterate over more than one variable"),
                        ));
                    }
                    for i in 0..(*n).max(0) {
                        let v = Value::Int(i, *t, None);
                        if !one(self, f, v.clone(), v, false)? {
                            break;
                        }
                    }
                }
                Value::Nil => {}
                other => {
                    return Err(self.err(
                        f,
                        format!("range can't iterate over {}", super::fmt::sprint_v(other)),
                    ));
                }
            }
            Ok(())
        })();
        result?;
        if !ran && let Some(else_list) = &b.else_list {
            // Go's walkRange recovers `break` for its whole run, the `else` branch included:
            // a `break` there ends this range (not an enclosing one); a `continue` goes on up.
            match self.walk_list(f, dot, else_list, out) {
                Ok(()) | Err(Flow::Break) => {}
                Err(e) => return Err(e),
            }
        }
        f.vars.truncate(mark);
        Ok(())
    }

    /// Records a read of every key of a map of the values tree (a `range` over it, `toYaml`…).
    pub(super) fn record_map_reads<'k>(
        &mut self,
        f: &Frame,
        map: &Value,
        keys: impl Iterator<Item = &'k Rc<str>>,
    ) {
        if let Some(prov) = map.origin() {
            for k in keys {
                self.reads.push(Read {
                    key: ReadKey::Child(prov.clone(), k.clone()),
                    template: f.name_id,
                    pos: f.at,
                });
            }
        }
    }

    /// Helm's `include`: runs a named template with `data` as dot and returns its output.
    pub(super) fn include(&mut self, f: &Frame, name: &str, data: Value) -> Result<StrBuf, Error> {
        let count = self.included.get(name).copied().unwrap_or(0);
        if count > INCLUDE_MAX_NESTING {
            return Err(self.error(
                f,
                format!(
                    "error calling include: rendering template has a nested reference name: {name}: unable to execute template"
                ),
            ));
        }
        // NOTE: the name is copied only the first time it is included.
        match self.included.get_mut(name) {
            Some(c) => *c += 1,
            None => {
                self.included.insert(Rc::from(name), 1);
            }
        }
        let result = match self.set.get(name) {
            Some(tree) => self.include_tree(tree, data),
            None => Err(Error {
                kind: ErrorKind::Exec,
                message: format!(
                    "template: no template {name:?} associated with template \"gotpl\""
                ),
            }),
        };
        if let Some(c) = self.included.get_mut(name) {
            *c -= 1;
        }
        result.map_err(|e| match e.kind {
            ErrorKind::Budget => e,
            _ => self.error(f, format!("error calling include: {}", e.message)),
        })
    }

    /// Runs an included template, or replays its remembered run (see [`super::memo`]).
    fn include_tree(&mut self, tree: Rc<Tree>, data: Value) -> Result<StrBuf, Error> {
        let layered = self.set.is_layered();
        let bound = self.limits.max_depth.min(INCLUDE_MAX_NESTING);
        let key = self.memo.key(&tree, &data, layered);
        if let Some(key) = key {
            let at = (self.fuel, self.depth, self.reads.len(), self.unpicked.len());
            if let Some(hit) = self.memo.lookup(&key, &data, at, bound) {
                self.reads.extend_from_within(hit.reads);
                self.unpicked.extend_from_within(hit.unpicked);
                self.fuel -= hit.fuel;
                self.memo
                    .replayed(self.depth + hit.depth_below, hit.file_bound);
                return Ok(hit.out);
            }
            self.memo.begin(
                key,
                &tree,
                &data,
                (self.reads.len(), self.unpicked.len(), self.fuel, self.depth),
                self.ctx.unmet.len(),
            );
        }
        let remembering = key.is_some();
        let mut out = StrBuf::new();
        let result = self.run_apart(tree, data, &mut out).map(|()| out);
        if remembering {
            self.memo.end(
                result.as_ref().ok(),
                (self.reads.len(), self.unpicked.len()),
                self.fuel,
                self.ctx.unmet.len(),
            );
        }
        result
    }

    /// The value a `tpl` parsed the running tree from, when it carries provenance.
    fn tpl_source(&self, f: &Frame) -> Option<&super::value::Str> {
        if self.tpl_sources.is_empty() {
            return None;
        }
        self.tpl_sources
            .iter()
            .rev()
            .find(|(source, _)| Rc::ptr_eq(source, &f.tree.source))
            .map(|(_, s)| s)
    }

    /// Helm's `tpl`: parses `text` as a template in a copy of the set and runs it with `data`.
    pub(super) fn tpl(
        &mut self,
        f: &Frame,
        value: &super::value::Str,
        data: Value,
    ) -> Result<StrBuf, Error> {
        let text = value.as_str();
        let build = self.build;
        // NOTE: before Helm 3.14, `tpl` rendered its text as the template its data's
        // `.Template.Name` names, with Helm's cleanup of a render's errors.
        let name = if build.tpl_parses_apart() {
            "gotpl".to_string()
        } else {
            match template_of(&data) {
                Ok(name) => name,
                Err((part, key)) => {
                    let e = format!(
                        "error calling tpl: cannot retrieve Template.{part} from values inside tpl \
                         function: {text}: \"{key}\" is not a value"
                    );
                    return Err(self.error(f, e));
                }
            }
        };
        let during = |e: String| {
            format!("error calling tpl: error during tpl function execution for {text:?}: {e}")
        };
        let trees = match super::parse::parse_as(
            &name,
            text,
            &|n: &str| funcs::exists_for(n, build),
            super::set::syntax_of(build),
        ) {
            Ok(t) => t,
            Err(e) if build.tpl_parses_apart() => {
                return Err(self.error(
                    f,
                    format!(
                        "error calling tpl: cannot parse template {text:?}: {}",
                        e.message
                    ),
                ));
            }
            Err(e) => {
                let e = super::helm_errors::cleanup_parse_error(&name, &e.message);
                return Err(self.error(f, during(e)));
            }
        };
        // The text's own pieces are the value's bytes (the value's provenance, when it has some).
        let source = trees
            .first()
            .filter(|t| !value.segs().is_empty() && *t.source == *text)
            .map(|t| t.source.clone());
        let mut layer = Templates::new();
        let mut main = None;
        // Before Helm 3.14 the chart's files were parsed after the text, all but the caller's:
        // their `define`s win over the text's, and the caller's own are not there.
        let hidden: Option<Rc<str>> = (!build.tpl_parses_apart()).then(|| name.as_str().into());
        let referenced = |tree: &super::ast::Tree| {
            let old = self.set.get(&tree.name);
            old.is_some_and(|old| *old.parse_name != *name && !old.root.is_empty())
        };
        for tree in trees {
            if main.is_none() && *tree.name == *name {
                main = Some(Rc::new(tree.clone()));
            }
            if hidden.is_some() && referenced(&tree) {
                continue;
            }
            if self.set.should_add(&tree) {
                layer.add(tree);
            }
        }
        // Each call inside another adds a layer that every lookup of a template walks: Helm
        // runs on until Go's goroutine stack gives out (1 GB, tens of seconds); we stop.
        if self.set.layers() >= MAX_TPL_NESTING {
            return Err(Error {
                kind: ErrorKind::Budget,
                message: format!(
                    "template: {}: tpl calls nested more than {MAX_TPL_NESTING} deep",
                    self.location(f)
                ),
            });
        }
        self.set.push(layer, hidden);
        let sourced = source.is_some();
        if let Some(source) = source {
            self.tpl_sources.push((source, value.clone()));
        }
        let mut out = StrBuf::new();
        let result = match main {
            Some(tree) => self.run_apart(tree, data, &mut out),
            None => Ok(()),
        };
        if sourced {
            self.tpl_sources.pop();
        }
        self.set.pop();
        match result {
            Ok(()) => Ok(remove_no_value(out)),
            Err(e) if e.kind == ErrorKind::Budget => Err(e),
            Err(e) if build.tpl_parses_apart() => Err(self.error(f, during(e.message))),
            Err(e) => {
                let cleaned = super::helm_errors::cleanup_exec_message(&name, &e.message);
                Err(self.error(f, during(cleaned.unwrap_or(e.message))))
            }
        }
    }
}

/// How an action prints a value: nothing there is `<no value>`, a string as it is (with its
/// provenance), anything else as `fmt.Print` prints it.
pub(super) fn print_value(val: &Value, out: &mut StrBuf) {
    match val {
        Value::Nil => out.push_plain(NO_VALUE),
        Value::Str(s) => out.push_str(s),
        Value::Object(o) if let Some(text) = o.print_action() => out.push_plain(&text),
        // What a pointer without a `String` method points to, field by field.
        Value::Object(o)
            if let Some(s) = o.go_struct()
                && s.pointer
                && !s.stringer =>
        {
            let pointee = GoStruct {
                pointer: false,
                ..s
            };
            out.push_plain(&super::fmt::sprint_struct(&pointee))
        }
        other => out.push_with(&super::fmt::sprint_v(other), &other.origin()),
    }
}

/// What Go prints for a missing key, and Helm then removes.
pub(crate) const NO_VALUE: &str = "<no value>";

/// Where `text` has [`NO_VALUE`], in order (the text cannot overlap itself). A vectorised
/// search: every rendered file is scanned for it twice, and the standard library's two-way
/// search was a percent of a render.
pub(crate) fn no_value_positions(text: &str) -> impl Iterator<Item = usize> + '_ {
    static FINDER: std::sync::LazyLock<memchr::memmem::Finder<'static>> =
        std::sync::LazyLock::new(|| memchr::memmem::Finder::new(NO_VALUE));
    FINDER.find_iter(text.as_bytes())
}

/// Helm's work-around for Go printing `<no value>` for missing keys: every occurrence in the
/// output is removed (also one a values string happened to contain, as in Helm).
pub(crate) fn remove_no_value(buf: StrBuf) -> StrBuf {
    if no_value_positions(&buf.text).next().is_none() {
        return buf;
    }
    let whole = buf.finish();
    let mut out = StrBuf::new();
    let text = whole.as_str();
    let mut last = 0;
    for i in no_value_positions(text) {
        out.push_slice(&whole, last..i);
        last = i + NO_VALUE.len();
    }
    out.push_slice(&whole, last..text.len());
    out
}

/// `.Template.Name` of `tpl`'s data, as Helm before 3.14 reads it (`Values.PathValue`); where
/// there is none, the part Helm's message names and the key missing (`BasePath` is asked
/// first, as Helm asks).
fn template_of(data: &Value) -> Result<String, (&'static str, &'static str)> {
    let Value::Map(m) = data else {
        return Err(("Basepath", "BasePath"));
    };
    let template = m.borrow().entries.get("Template").cloned();
    let leaf = |key: &str| -> Option<Value> {
        let Some(Value::Map(t)) = &template else {
            return None;
        };
        let v = t.borrow().entries.get(key).cloned()?;
        (!matches!(v, Value::Map(_))).then_some(v)
    };
    if leaf("BasePath").is_none() {
        return Err(("Basepath", "BasePath"));
    }
    match leaf("Name") {
        Some(v) => Ok(v.as_str().map(str::to_string).unwrap_or_default()),
        None => Err(("Name", "Name")),
    }
}
