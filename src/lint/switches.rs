//! Which switch keeps a key from being read: for a key the user set that no template read in
//! this render, the templates that name it are searched for the `{{ if … }}`, `{{ with … }}` or
//! `{{ range … }}` around the place, and a condition these values leave off is named. Only a
//! condition whose value can be told from the values alone (a `.Values` chain, `not`, `and`,
//! `or`, `eq`/`ne` with a constant, `with` rebinding dot) is named: nothing is said that the
//! values do not show. A place in a `define` with no such condition is followed to the
//! `include`s and `template`s that call it.

use crate::chart::Chart;
use crate::template::ast::{Arg, Branch, List, Node, Pipe};
use crate::value::{Map, Node as ValueNode, Value};

/// A condition of a template that is off with these values, around a place that reads the key.
#[derive(Debug, Clone, PartialEq)]
pub struct Switch {
    /// The template and line of the condition (`mychart/templates/x.yaml:12`).
    pub at: String,
    /// The condition's action as written (`{{- if .Values.metrics.enabled }}`).
    pub condition: String,
    /// The keys (as the user writes them, from the top chart) the condition reads.
    pub keys: Vec<String>,
    /// Whether the place is in the `else` part (the condition holds, and so the key is not read).
    pub in_else: bool,
}

/// The switch that keeps `key` (a path from the top chart's values) from being read, when a
/// template names it under a condition `values` (the release's merged values) leave off.
///
/// `under` are keys the user wrote below `key` (relative to it): the places that name them are
/// tried first, as what the user meant to set.
pub fn switch_for(
    chart: &Chart,
    values: &Map,
    key: &[&str],
    under: &[Vec<&str>],
) -> Option<Switch> {
    let mut owners = Vec::new();
    owners_of(chart, chart.name.clone(), 0, key, &mut owners);
    let wanted: Vec<Vec<&str>> = under
        .iter()
        .map(|u| key.iter().chain(u).copied().collect())
        .chain(std::iter::once(key.to_vec()))
        .collect();
    wanted.iter().find_map(|want| {
        // Every place's switch: the one that keeps the most places unread is the key's (a
        // component's settings are named all over its workload's template, and once in a
        // backup job).
        let mut found: Vec<(Switch, usize)> = Vec::new();
        for (c, path, depth) in &owners {
            for s in in_chart(c, path, *depth, values, key, want) {
                match found.iter_mut().find(|(f, _)| *f == s) {
                    Some((_, n)) => *n += 1,
                    None => found.push((s, 1)),
                }
            }
        }
        // The first of the most named (a stable choice: templates in name order).
        let most = found.iter().map(|(_, n)| *n).max()?;
        found.into_iter().find(|(_, n)| *n == most).map(|(s, _)| s)
    })
}

/// The switches in the templates of one chart of the key's path (`depth` names of the key
/// lead to it), one per place that names `want`.
fn in_chart(
    c: &Chart,
    path: &str,
    depth: usize,
    values: &Map,
    key: &[&str],
    want: &[&str],
) -> Vec<Switch> {
    let Some(content) = c.content.as_ref() else {
        return Vec::new();
    };
    let prefix = &key[..depth];
    let files: Vec<(String, &str)> = content
        .templates
        .iter()
        .filter_map(|f| {
            Some((
                format!("{path}/{}", f.name),
                std::str::from_utf8(&f.data).ok()?,
            ))
        })
        .collect();
    let lookup = |chain: &[&str]| {
        let full: Vec<&str> = prefix
            .iter()
            .copied()
            .chain(chain.iter().copied())
            .collect();
        crate::value::lookup_path(values, &full).or_else(|| {
            // A subchart's `global` is the top chart's, which Helm copies down.
            (depth > 0 && chain.first() == Some(&"global"))
                .then(|| crate::value::lookup_path(values, chain))
                .flatten()
        })
    };
    let mut search = Search {
        files: &files,
        within: &key[depth..],
        lookup: &lookup,
        defines: Default::default(),
    };
    let rel = &want[depth..];
    let mut out = Vec::new();
    for (i, (_, text)) in files.iter().enumerate() {
        for at in places(text, rel) {
            out.extend(search.at(i, at, 0));
        }
    }
    for s in &mut out {
        for k in &mut s.keys {
            let mut full: Vec<&str> = prefix.to_vec();
            full.extend(k.split('\u{0}'));
            *k = crate::key_path::display(&full);
        }
    }
    out
}

/// How many `include`s deep a place is followed to the conditions around its callers.
const MAX_INCLUDE_DEPTH: usize = 4;

/// One chart's templates, searched for the conditions around places.
struct Search<'a, 'v> {
    files: &'a [(String, &'a str)],
    /// The unread key under this chart's `.Values`.
    within: &'a [&'a str],
    lookup: &'a dyn Fn(&[&str]) -> Option<&'v ValueNode>,
    /// The switches found for each `define` through its callers.
    defines: std::collections::HashMap<String, Vec<Switch>>,
}

impl Search<'_, '_> {
    /// The switches of byte `at` of file `i`: the outermost condition around it that is off, or,
    /// in a `define` with none, those around the places that include it.
    fn at(&mut self, i: usize, at: usize, depth: usize) -> Vec<Switch> {
        let (name, text) = (&self.files[i].0, self.files[i].1);
        let Some(trees) = parsed(name, text) else {
            return Vec::new();
        };
        // A `define` holds the place when its body spans it; else the file's own body does.
        let define = trees
            .iter()
            .skip(1)
            .find(|t| span(t.root.list(), text).is_some_and(|(a, b)| a <= at && at < b));
        let Some(list) = define.or(trees.first()).map(|t| t.root.list()) else {
            return Vec::new();
        };
        let mut stack = Vec::new();
        enclosing(list, at, text, Dot::Root, &mut stack);
        match off(&stack, text, name, self.within, self.lookup) {
            Around::Off(s) => return vec![s],
            // A condition these values do not tell (`{{ if $fromProfile }}`) may be what kept
            // the place from running: a caller's switch would be named for nothing.
            Around::Unknown => return Vec::new(),
            Around::On => {}
        }
        match define.map(|t| t.name.to_string()) {
            Some(d) if depth < MAX_INCLUDE_DEPTH => self.through_callers(&d, depth + 1),
            _ => Vec::new(),
        }
    }

    /// The switches around every `include`/`template` of `define` in the chart's files.
    fn through_callers(&mut self, define: &str, depth: usize) -> Vec<Switch> {
        if let Some(done) = self.defines.get(define) {
            return done.clone();
        }
        // A define that includes itself ends here.
        self.defines.insert(define.to_string(), Vec::new());
        let mut out = Vec::new();
        for i in 0..self.files.len() {
            for at in call_sites(self.files[i].1, define) {
                out.extend(self.at(i, at, depth));
            }
        }
        self.defines.insert(define.to_string(), out.clone());
        out
    }
}

/// A template file's trees: its own body, then each `define`.
type Trees = std::rc::Rc<Vec<crate::template::ast::Tree>>;

/// How many template files a thread keeps parsed for the search.
const PARSED_KEPT: usize = 512;

std::thread_local! {
    /// The trees of the template texts searched so far on this thread (by the text's length
    /// and hash: the same text parses to the same trees, whichever chart holds it), `None` for
    /// one that does not parse: every unread key of every file of a folder searches the same
    /// few templates.
    static PARSED: std::cell::RefCell<crate::fast_hash::FxHashMap<(usize, u64), Option<Trees>>> =
        Default::default();
}

/// The trees of one template file, parsed once per thread.
fn parsed(name: &str, text: &str) -> Option<Trees> {
    let id = {
        use std::hash::BuildHasher;
        (
            text.len(),
            crate::fast_hash::FxBuild::default().hash_one((name, text)),
        )
    };
    if let Some(done) = PARSED.with(|p| p.borrow().get(&id).cloned()) {
        return done;
    }
    // `break` and `continue` as keywords; any other name parses as a function.
    let trees = crate::template::parse::parse(name, text, &|f| f != "break" && f != "continue")
        .ok()
        .map(std::rc::Rc::new);
    PARSED.with(|p| {
        let mut p = p.borrow_mut();
        if p.len() >= PARSED_KEPT {
            p.clear();
        }
        p.insert(id, trees.clone());
    });
    trees
}

/// Where `{{ include "NAME" … }}` or `{{ template "NAME" … }}` calls `define`.
fn call_sites(text: &str, define: &str) -> Vec<usize> {
    let quoted = format!("\"{define}\"");
    text.match_indices(&quoted)
        .filter(|(i, _)| {
            let before = text[..*i].trim_end();
            before.ends_with("include") || before.ends_with("template")
        })
        .map(|(i, _)| i)
        .collect()
}

/// What the conditions around a place make of it with these values.
enum Around {
    /// The outermost condition that keeps the place from running.
    Off(Switch),
    /// None is off, but one cannot be told from the values alone.
    Unknown,
    /// Every condition lets the place run.
    On,
}

/// The outermost condition of `stack` that keeps the place from running with these values.
fn off<'v>(
    stack: &[(&Branch, bool, Dot<'_>)],
    text: &str,
    name: &str,
    within: &[&str],
    lookup: &dyn Fn(&[&str]) -> Option<&'v ValueNode>,
) -> Around {
    let mut unknown = false;
    for (branch, in_else, dot) in stack {
        // A condition that reads the key was never evaluated (nothing read the key): a block
        // around it decides.
        let mut reads_key = false;
        pipe_chains(&branch.pipe, dot, &mut |chain| {
            reads_key |= chain.starts_with(within);
        });
        if reads_key {
            continue;
        }
        let Some(truth) = truth(&branch.pipe, dot, &lookup) else {
            unknown = true;
            continue;
        };
        // The place runs when the condition holds (its `else` when it does not).
        if truth != *in_else {
            continue;
        }
        let start = branch.pos as usize;
        let open = text[..start].rfind("{{").unwrap_or(start);
        let close = text[start..]
            .find("}}")
            .map_or(text.len(), |i| start + i + 2);
        let mut keys = Vec::new();
        pipe_chains(&branch.pipe, dot, &mut |chain| {
            let k = chain.join("\u{0}");
            if !keys.contains(&k) {
                keys.push(k);
            }
        });
        return Around::Off(Switch {
            at: format!("{name}:{}", 1 + text[..open].matches('\n').count()),
            condition: text[open..close].to_string(),
            keys,
            in_else: *in_else,
        });
    }
    if unknown { Around::Unknown } else { Around::On }
}

/// The charts whose `.Values` hold `key`: the top chart, and each subchart on the key's path
/// (with its template path and how many names of the key lead to it).
fn owners_of<'c>(
    chart: &'c Chart,
    path: String,
    depth: usize,
    key: &[&str],
    out: &mut Vec<(&'c Chart, String, usize)>,
) {
    out.push((chart, path.clone(), depth));
    if let Some(name) = key.get(depth)
        && let Some(dep) = chart.dependencies.iter().find(|d| d.key == *name)
    {
        owners_of(
            &dep.chart,
            format!("{path}/charts/{}", dep.chart.name),
            depth + 1,
            key,
            out,
        );
    }
}

/// Where the text names `.Values.<rel>…` (the key or a key under it), as byte offsets.
fn places(text: &str, rel: &[&str]) -> Vec<usize> {
    let want = format!(".Values.{}", rel.join("."));
    text.match_indices(&want)
        .filter(|(i, _)| {
            // The chain ends with the key's last name or goes on below it (`.tag`, not `.tags`).
            let after = text.as_bytes().get(i + want.len()).copied();
            !after.is_some_and(|b| b.is_ascii_alphanumeric() || b == b'_')
        })
        .map(|(i, _)| i)
        .collect()
}

/// Which kind of block a condition opens.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Kind {
    If,
    With,
    Range,
}

/// What dot is where a condition is evaluated: the top of the chart's values context, a map
/// of `.Values` (inside `{{ with .Values.a.b }}`: its path), or something else (an item of a
/// `range`, a value no key holds).
#[derive(Debug, Clone, PartialEq)]
enum Dot<'t> {
    Root,
    Values(Vec<&'t str>),
    Unknown,
}

/// The blocks around byte `at` of `text`, outermost first, each with whether `at` is in its
/// `else` part and what dot is in its condition.
fn enclosing<'t>(
    list: &'t List,
    at: usize,
    text: &str,
    dot: Dot<'t>,
    out: &mut Vec<(&'t Branch, bool, Dot<'t>)>,
) {
    // The last node that starts at or before `at` may hold it.
    let Some(node) = list.nodes.iter().rev().find(|n| node_pos(n) <= at) else {
        return;
    };
    let (branch, kind) = match node {
        Node::If(b) => (&**b, Kind::If),
        Node::With(b) => (&**b, Kind::With),
        Node::Range(b) => (&**b, Kind::Range),
        _ => return,
    };
    let holds = |l: &List| span(l, text).is_some_and(|(a, b)| a <= at && at < b);
    if let Some(else_list) = &branch.else_list
        && holds(else_list.list())
    {
        out.push((branch, true, dot.clone()));
        enclosing(else_list.list(), at, text, dot, out);
    } else if holds(branch.list.list()) {
        out.push((branch, false, dot.clone()));
        let inner = match kind {
            Kind::If => dot,
            // `with` sets dot to its value: a values key when the condition is one.
            Kind::With if branch.pipe.decl.is_empty() => match branch.pipe.cmds.as_slice() {
                [cmd] => match cmd.args.as_slice() {
                    [arg] => values_chain(arg, &dot).map_or(Dot::Unknown, Dot::Values),
                    _ => Dot::Unknown,
                },
                _ => Dot::Unknown,
            },
            Kind::With | Kind::Range => Dot::Unknown,
        };
        enclosing(branch.list.list(), at, text, inner, out);
    }
}

/// The bytes a list's nodes cover: from its first node's start to its last node's end.
fn span(list: &List, text: &str) -> Option<(usize, usize)> {
    let first = list.nodes.first()?;
    let last = list.nodes.last()?;
    Some((node_pos(first), node_end(last, text)))
}

/// Where a node ends: a text's last byte, an action's `}}`, a block's last node's end (the
/// `{{ end }}` after it is no place a key is read).
fn node_end(n: &Node, text: &str) -> usize {
    let action_end = |pos: usize| {
        text.get(pos..)
            .and_then(|t| t.find("}}"))
            .map_or(text.len(), |i| pos + i + 2)
    };
    match n {
        Node::Text { pos, text: t } => *pos as usize + t.len(),
        Node::SourceText { pos, len } => (*pos + *len) as usize,
        Node::Action { pos, .. } | Node::Template { pos, .. } => action_end(*pos as usize),
        Node::Break { pos } | Node::Continue { pos } => action_end(*pos as usize),
        Node::If(b) | Node::With(b) | Node::Range(b) => {
            let body = span(b.list.list(), text).map(|(_, e)| e);
            let other = b
                .else_list
                .as_ref()
                .and_then(|l| span(l.list(), text))
                .map(|(_, e)| e);
            body.max(other)
                .unwrap_or_else(|| action_end(b.pos as usize))
        }
    }
}

fn node_pos(n: &Node) -> usize {
    (match n {
        Node::Text { pos, .. }
        | Node::SourceText { pos, .. }
        | Node::Action { pos, .. }
        | Node::Template { pos, .. }
        | Node::Break { pos }
        | Node::Continue { pos } => *pos,
        Node::If(b) | Node::With(b) | Node::Range(b) => b.pos,
    }) as usize
}

/// Whether a condition holds with these values, when the values alone say it.
fn truth<'v>(
    pipe: &Pipe,
    dot: &Dot<'_>,
    lookup: &impl Fn(&[&str]) -> Option<&'v ValueNode>,
) -> Option<bool> {
    if !pipe.decl.is_empty() && pipe.cmds.len() != 1 {
        return None;
    }
    match pipe.cmds.as_slice() {
        [cmd] => arg_truth_of(&cmd.args, dot, lookup),
        _ => None,
    }
}

fn arg_truth_of<'v>(
    args: &[Arg],
    dot: &Dot<'_>,
    lookup: &impl Fn(&[&str]) -> Option<&'v ValueNode>,
) -> Option<bool> {
    match args {
        [one] => arg_truth(one, dot, lookup),
        [Arg::Identifier(_, f), rest @ ..] => match (&**f, rest) {
            ("not", [x]) => arg_truth(x, dot, lookup).map(|t| !t),
            ("and", xs) if !xs.is_empty() => {
                // Go's `and` stops at the first false operand.
                for x in xs {
                    if !arg_truth(x, dot, lookup)? {
                        return Some(false);
                    }
                }
                Some(true)
            }
            ("or", xs) if !xs.is_empty() => {
                for x in xs {
                    if arg_truth(x, dot, lookup)? {
                        return Some(true);
                    }
                }
                Some(false)
            }
            ("eq" | "ne", [a, b]) => {
                let same = constant(a, dot, lookup)? == constant(b, dot, lookup)?;
                Some(if &**f == "eq" { same } else { !same })
            }
            _ => None,
        },
        _ => None,
    }
}

fn arg_truth<'v>(
    arg: &Arg,
    dot: &Dot<'_>,
    lookup: &impl Fn(&[&str]) -> Option<&'v ValueNode>,
) -> Option<bool> {
    match arg {
        Arg::Bool(_, b) => Some(*b),
        Arg::Pipe(_, p) => truth(p, dot, lookup),
        _ => {
            let chain = values_chain(arg, dot)?;
            Some(lookup(&chain).is_some_and(|n| truthy(&n.value)))
        }
    }
}

/// A value compared by `eq`: a constant, or a values key holding a scalar, as text.
fn constant<'v>(
    arg: &Arg,
    dot: &Dot<'_>,
    lookup: &impl Fn(&[&str]) -> Option<&'v ValueNode>,
) -> Option<(u8, String)> {
    match arg {
        Arg::String(_, s) => Some((0, s.to_string())),
        Arg::Bool(_, b) => Some((1, b.to_string())),
        _ => match &lookup(&values_chain(arg, dot)?)?.value {
            Value::Str(s) => Some((0, s.clone())),
            Value::Bool(b) => Some((1, b.to_string())),
            _ => None,
        },
    }
}

/// `.Values.a.b` or `$.Values.a.b` as `[a, b]`; inside `{{ with .Values.a }}`, `.b` as
/// `[a, b]` too.
fn values_chain<'t>(arg: &'t Arg, dot: &Dot<'t>) -> Option<Vec<&'t str>> {
    let names = |f: &'t [std::rc::Rc<str>]| f.iter().map(|s| &**s).collect::<Vec<&str>>();
    let from_root = |f: &'t [std::rc::Rc<str>]| match f.split_first() {
        Some((first, rest)) if &**first == "Values" && !rest.is_empty() => Some(names(rest)),
        _ => None,
    };
    match arg {
        Arg::Variable(_, v, f) if &**v == "$" => from_root(f),
        Arg::Field(_, f) => match dot {
            Dot::Root => from_root(f),
            Dot::Values(prefix) => {
                let mut path = prefix.clone();
                path.extend(names(f));
                Some(path)
            }
            Dot::Unknown => None,
        },
        _ => None,
    }
}

/// Every `.Values` chain a pipeline reads.
fn pipe_chains(pipe: &Pipe, dot: &Dot<'_>, found: &mut impl FnMut(&[&str])) {
    for cmd in &pipe.cmds {
        for arg in &cmd.args {
            match arg {
                Arg::Pipe(_, p) => pipe_chains(p, dot, found),
                _ => {
                    if let Some(chain) = values_chain(arg, dot) {
                        found(&chain);
                    }
                }
            }
        }
    }
}

/// Go's truth of a value (`if`): false, 0, nil and empty strings, lists and maps are false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Int(i) => *i != 0,
        Value::Float(f) => *f != 0.0,
        Value::Str(s) => !s.is_empty(),
        Value::Seq(items) => !items.is_empty(),
        Value::Map(m) => !m.is_empty(),
    }
}
