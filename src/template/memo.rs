//! `include` results remembered within one render.
//!
//! Charts include the same helper with the same dot over and over (`common.labels` with `$`, in
//! every file). An include's output is a function of the template, its dot and the state the
//! template can observe; when that state has not changed, the output, the values keys read and
//! the steps spent are those of the first call, and are replayed instead of walking the
//! template again. What a call can observe, and how each part is kept honest:
//!
//! - **Maps** are mutable and shared. Every map has a creation serial ([`next_serial`]); every
//!   write notes the map it changes ([`note_write`]). A call that wrote into a map older than
//!   itself had a side effect and is not remembered. What a call's output depends on is what
//!   it looked at: the executor notes every map it looks into while a call is being
//!   remembered ([`Memo::observe`]: a field looked up, a map ranged over or tested, a map
//!   printed or handed to a function, [`observe_call`] saying how far each function looks),
//!   and when the call is remembered those maps are marked ([`mark_shallow`], or [`mark`] for
//!   all a map reaches). A write into a marked map forgets every remembered call (an epoch);
//!   a write into a map no remembered call looked into (a helper's `set` into its own corner
//!   of the values) forgets nothing.
//! - **`.Template`** is the one entry Helm changes between the files of a chart (it sets it on
//!   the shared dot before each file, [`set_template`]), and of it only `Name` (`BasePath` is
//!   the chart's). A call that can see it — a field `Name` of it, a root dot ranged over,
//!   printed, or handed to a function that looks inside ([`reaches_root`]) — is remembered for
//!   its file only. Values-tree maps never hold a root while this is on: a
//!   root written into one switches remembering off for the render ([`note_container_write`]).
//! - **Randomness and the clock** (`randAlpha`, `uuidv4`, `genCA`, `now`…) make a call
//!   unrepeatable ([`note_impure`]).
//! - **`tpl`** overlays define templates that a name may resolve to: nothing is remembered or
//!   replayed while an overlay is active.
//! - **Budgets**: a replay spends the steps the call spent, and only where the call's nesting
//!   fits again below every depth bound; otherwise the template runs.
//!
//! A replay is byte-identical to running the template (the render suite is checked both ways:
//! `STACKSTATE_LINT_INCLUDE_MEMO=0` turns remembering off).

use std::cell::Cell;
use std::rc::Rc;

use super::ast::Tree;
use super::value::{Map, StrBuf, Value};

thread_local! {
    static NEXT_SERIAL: Cell<u64> = const { Cell::new(1) };
    /// The oldest serial of a map written in the innermost write window (see
    /// [`begin_write_window`]).
    static MIN_WRITTEN: Cell<u64> = const { Cell::new(u64::MAX) };
    /// Writes into marked maps so far on this thread.
    static MARKED_WRITES: Cell<u64> = const { Cell::new(0) };
    /// Random draws and clock reads so far on this thread.
    static IMPURE: Cell<u64> = const { Cell::new(0) };
    /// Times a running call could see a chart's `.Template` so far on this thread.
    static PER_FILE_SEEN: Cell<u64> = const { Cell::new(0) };
    /// Roots written into a values-tree map so far on this thread.
    static ROOT_ESCAPES: Cell<u64> = const { Cell::new(0) };
}

/// The creation serial of a new map.
pub(crate) fn next_serial() -> u64 {
    NEXT_SERIAL.with(|n| {
        let s = n.get();
        n.set(s + 1);
        s
    })
}

/// A map of creation serial `serial` was written; `marked`: a remembered call may have seen it.
pub(crate) fn note_write(serial: u64, marked: bool) {
    MIN_WRITTEN.with(|m| m.set(m.get().min(serial)));
    if marked {
        MARKED_WRITES.with(|n| n.set(n.get() + 1));
    }
}

fn marked_writes() -> u64 {
    MARKED_WRITES.with(Cell::get)
}

/// Something random or the clock was read.
pub(crate) fn note_impure() {
    IMPURE.with(|n| n.set(n.get() + 1));
}

/// A running call could see what differs between a chart's files (`.Template`).
pub(crate) fn note_per_file_seen() {
    PER_FILE_SEEN.with(|n| n.set(n.get() + 1));
}

fn per_file_seen() -> u64 {
    PER_FILE_SEEN.with(Cell::get)
}

fn impure_count() -> u64 {
    IMPURE.with(Cell::get)
}

fn root_escapes() -> u64 {
    ROOT_ESCAPES.with(Cell::get)
}

/// Starts a window of writes: the oldest serial written before it, to give back to
/// [`end_write_window`] (windows nest, across executors too).
fn begin_write_window() -> u64 {
    MIN_WRITTEN.with(|m| m.replace(u64::MAX))
}

/// Ends a window of writes: the oldest serial written inside it. What was written before it
/// counts again for the windows around it.
fn end_write_window(before: u64) -> u64 {
    MIN_WRITTEN.with(|m| {
        let inside = m.get();
        m.set(before.min(inside));
        inside
    })
}

/// `value` was written into `map`: what a map marked with all it reaches holds is marked, and
/// a root dot reaching a values-tree map breaks the rule that lets [`reaches_root`] stop at
/// values-tree maps.
pub(crate) fn note_container_write(map: &Map, value: &Value) {
    let (into_values_tree, into_marked) = match map.try_borrow() {
        Ok(m) => (m.origin.is_some(), m.marked_deep),
        Err(_) => (true, true),
    };
    if into_marked {
        mark(value);
    }
    if into_values_tree && reaches_root(value) {
        ROOT_ESCAPES.with(|n| n.set(n.get() + 1));
    }
}

/// Sets a chart's dot's `Template`, as Helm does before each file. Only its `Name` differs
/// between the files of one chart (a call that reads it is remembered for its file alone); a
/// `BasePath` that changes (the first file of a chart) is a write like any other.
pub(crate) fn set_template(dot: &Map, template: Value) {
    let base_path = |v: Option<&Value>| match v {
        Some(Value::Map(t)) => t.borrow().entries.get("BasePath").cloned(),
        _ => None,
    };
    let mut d = dot.borrow_mut();
    let (old, new) = (
        base_path(d.entries.get("Template")),
        base_path(Some(&template)),
    );
    if old.as_ref().and_then(Value::as_str) != new.as_ref().and_then(Value::as_str) {
        note_write(d.serial, d.marked);
    }
    d.entries.insert("Template".into(), template);
}

/// Marks a map and its twins (a write into a twin changes the map): a call looked into it.
pub(crate) fn mark_shallow(value: &Value) {
    if let Value::Map(m) = value {
        for twin in mark_one(m, false, &mut Vec::new()) {
            mark_one(&twin, false, &mut Vec::new());
        }
    }
}

/// Marks every map `value` reaches, and their twins (a write into a twin changes the map).
/// What a map marked so holds is marked already, so the walk stops at such maps.
pub(crate) fn mark(value: &Value) {
    let mut todo: Vec<Value> = vec![value.clone()];
    while let Some(v) = todo.pop() {
        match &v {
            Value::Map(m) => {
                let twins = mark_one(m, true, &mut todo);
                todo.extend(twins.into_iter().map(Value::Map));
            }
            Value::List(l) => {
                todo.extend(l.items.iter().filter(|e| e.is_container()).cloned());
            }
            _ => {}
        }
    }
}

/// Marks `m` (`deep`: as reaching only marked maps, its lists and maps put in `todo`) unless
/// it is marked so already; gives its twins, to be marked alike.
fn mark_one(m: &Map, deep: bool, todo: &mut Vec<Value>) -> Vec<Map> {
    match m.try_borrow_mut() {
        Ok(mut d) if !(d.marked_deep || (!deep && d.marked)) => {
            d.marked = true;
            if deep {
                d.marked_deep = true;
                todo.extend(d.entries.values().filter(|e| e.is_container()).cloned());
            }
            d.twins.iter().filter_map(std::rc::Weak::upgrade).collect()
        }
        Ok(_) => Vec::new(),
        // Being changed right now (never while a call is remembered): the write that holds it
        // counts as a write into a marked map.
        Err(_) => {
            MARKED_WRITES.with(|n| n.set(n.get() + 1));
            Vec::new()
        }
    }
}

/// How many lists and maps [`reaches_root`] looks through before it assumes the worst.
const SCAN_LIMIT: usize = 4096;

/// Whether `value` is, or holds, a chart's dot (a map whose `Template` entry changes between
/// files). Values-tree maps and lists are not looked into (see [`note_container_write`]).
pub(crate) fn reaches_root(value: &Value) -> bool {
    let mut todo: Vec<Value> = vec![value.clone()];
    let mut seen = 0usize;
    while let Some(v) = todo.pop() {
        seen += 1;
        if seen > SCAN_LIMIT {
            return true;
        }
        match &v {
            Value::Map(m) => {
                let Ok(m) = m.try_borrow() else {
                    return true;
                };
                if m.root {
                    return true;
                }
                if m.origin.is_none() {
                    todo.extend(m.entries.values().filter(|e| e.is_container()).cloned());
                }
            }
            Value::List(l) if l.origin.is_none() => {
                todo.extend(l.items.iter().filter(|e| e.is_container()).cloned());
            }
            _ => {}
        }
    }
    false
}

/// Functions that do not look at what a map holds (beyond its size and key names): handing
/// them a dot does not let the call see `.Template`.
const NO_LOOK: &[&str] = &[
    "include",
    "tpl",
    "dict",
    "list",
    "default",
    "coalesce",
    "ternary",
    "empty",
    "required",
    "kindIs",
    "kindOf",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "len",
    "hasKey",
    "keys",
    "set",
    "unset",
    "append",
    "prepend",
    "first",
    "last",
    "not",
    "fail",
    // These copy entries without reading them; what they make is flagged as the map they copy
    // (see `sprig_dicts`), so what reads it later is caught.
    "omit",
    "pick",
    "merge",
    "mustMerge",
    "mergeOverwrite",
    "mustMergeOverwrite",
    "deepCopy",
    "mustDeepCopy",
];

/// How far a function looks into the maps it is handed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Look {
    /// Not at all: it keeps, passes on or types them (what the receiver then looks at is
    /// noted when it looks).
    None,
    /// At the map itself: its size, its keys, an entry it hands out.
    Shallow,
    /// Along a path of keys (`index`, `dig`): each map on it.
    Path,
    /// As mergo merges maps: each map, and below it the maps two of them hold under one key.
    Merge,
    /// At everything it reaches (`toYaml`, `deepCopy`, `printf`, and any function not
    /// listed in [`look_of`]).
    Deep,
}

/// How far the function `name` looks into the maps it is handed. Unlike [`NO_LOOK`] (which
/// asks whether a call can reach `.Template`, and so lets copies pass), this asks what the
/// call's result depends on: a copy depends on the entries it copied.
pub(crate) fn look_of(name: &str) -> Look {
    match name {
        "include" | "tpl" | "dict" | "list" | "append" | "mustAppend" | "prepend"
        | "mustPrepend" | "first" | "mustFirst" | "last" | "mustLast" | "ternary" | "kindIs"
        | "kindOf" | "typeOf" | "typeIs" | "typeIsLike" | "concat" => Look::None,
        "len" | "empty" | "default" | "coalesce" | "required" | "not" | "hasKey" | "keys"
        | "get" | "pick" | "omit" | "pluck" | "values" | "set" | "unset" => Look::Shallow,
        "index" | "dig" => Look::Path,
        "merge" | "mustMerge" | "mergeOverwrite" | "mustMergeOverwrite" => Look::Merge,
        _ => Look::Deep,
    }
}

/// Whether calling `name` with these arguments lets the call see a chart's `.Template`.
pub(crate) fn call_sees_template(name: &str, args: &[Value]) -> bool {
    !NO_LOOK.contains(&name) && args.iter().any(|a| a.is_container() && reaches_root(a))
}

/// Whether a map is a chart's dot or its `.Template`, or a copy of either (ranged over, it hands
/// out what differs between files).
pub(crate) fn is_root(value: &Value) -> bool {
    matches!(value, Value::Map(m) if m.try_borrow().map_or(true, |m| m.root))
}

/// What an include was called with, by identity: the same map (held alive by the entry, so
/// its address cannot be reused), the same string with the same provenance, equal text with no
/// provenance, or nil.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum DataKey {
    Nil,
    Map(usize),
    Str(usize, usize, usize),
    /// Text with no provenance, by a hash of it, checked whole on a hit.
    Text(u64),
    /// A small map the template built for the call (`dict "ctx" $ "name" .x`), by what it
    /// holds: a hash of its keys and of the identity of its values, checked entry by entry on
    /// a hit ([`same_dict`]).
    Dict(u64),
}

/// The most entries a map the template built is keyed by (see [`DataKey::Dict`]).
const DICT_KEY_ENTRIES: usize = 16;

fn data_key(data: &Value) -> Option<DataKey> {
    match data {
        Value::Nil => Some(DataKey::Nil),
        Value::Map(m) => Some(match dict_hash(m) {
            Some(h) => DataKey::Dict(h),
            None => DataKey::Map(Rc::as_ptr(m) as usize),
        }),
        Value::Str(s) if s.segs().is_empty() => Some(DataKey::Text(identity(data).3)),
        Value::Str(s) => {
            let segs = match s.segs() {
                [] => 0,
                segs => segs.as_ptr() as usize,
            };
            Some(DataKey::Str(
                s.text().as_ptr() as usize,
                s.as_str().len(),
                segs,
            ))
        }
        _ => None,
    }
}

/// The hash of a map a template built for a call: none for any other map.
fn dict_hash(m: &Map) -> Option<u64> {
    use std::hash::{Hash, Hasher};
    let d = m.try_borrow().ok()?;
    let built = d.origin.is_none()
        && d.values_type.is_none()
        && !d.root
        && !d.nil
        && d.twins.iter().next().is_none()
        && d.entries.len() <= DICT_KEY_ENTRIES;
    if !built {
        return None;
    }
    let mut h = crate::fast_hash::FxHasher::default();
    (d.elem as u8).hash(&mut h);
    for (k, v) in &d.entries {
        k.hash(&mut h);
        identity(v).hash(&mut h);
    }
    Some(h.finish())
}

/// What [`value::identical`](super::value::identical) compares, as a hashable tuple.
fn identity(v: &Value) -> (u8, usize, usize, u64) {
    let origin = |o: &super::value::Origin| o.as_ref().map_or(0, |p| Rc::as_ptr(p) as usize);
    match v {
        Value::Nil => (0, 0, 0, 0),
        Value::Bool(b, o) => (1, origin(o), 0, u64::from(*b)),
        Value::Int(n, t, o) => (2, origin(o), *t as usize, *n as u64),
        Value::Float(x, o) => (3, origin(o), 0, x.to_bits()),
        Value::Complex(re, im) => (4, 0, im.to_bits() as usize, re.to_bits()),
        // Text with no provenance is all there is to see of it (see `value::identical`).
        Value::Str(s) if s.segs().is_empty() => {
            use std::hash::{Hash, Hasher};
            let mut h = crate::fast_hash::FxHasher::default();
            s.as_str().hash(&mut h);
            (10, 0, s.as_str().len(), h.finish())
        }
        Value::Str(s) => (
            5,
            s.text().as_ptr() as usize,
            s.segs().as_ptr() as usize,
            s.as_str().len() as u64,
        ),
        Value::Bytes(b) => (6, b.as_ptr() as usize, 0, 0),
        Value::List(l) => (7, Rc::as_ptr(l) as usize, 0, 0),
        Value::Map(m) => (8, Rc::as_ptr(m) as usize, 0, 0),
        Value::Object(o) => (9, Rc::as_ptr(o) as *const () as usize, 0, 0),
    }
}

/// Whether two maps a template built hold the same keys with identical values.
fn same_dict(a: &Value, b: &Value) -> bool {
    let (Value::Map(a), Value::Map(b)) = (a, b) else {
        return false;
    };
    if Rc::ptr_eq(a, b) {
        return true;
    }
    let (Ok(a), Ok(b)) = (a.try_borrow(), b.try_borrow()) else {
        return false;
    };
    a.elem == b.elem
        && a.entries.len() == b.entries.len()
        && a.entries
            .iter()
            .zip(&b.entries)
            .all(|((ka, va), (kb, vb))| ka == kb && super::value::identical(va, vb))
}

/// A call's key: its template (by address, kept alive by the entry) and its dot.
pub(crate) type Key = (usize, DataKey);

/// A remembered call that can be replayed.
pub(crate) struct Hit {
    /// Its output.
    pub(crate) out: StrBuf,
    /// The reads it logged: a range of the executor's read log, which only grows while the
    /// render runs.
    pub(crate) reads: std::ops::Range<usize>,
    /// The values it passed over: a range of the executor's log of them, which likewise grows.
    pub(crate) unpicked: std::ops::Range<usize>,
    /// The steps it spent.
    pub(crate) fuel: u64,
    /// How many template calls deep it went below itself.
    pub(crate) depth_below: usize,
    /// It saw `.Template`.
    pub(crate) file_bound: bool,
}

/// A remembered call.
struct Entry {
    epoch: u64,
    /// The file it is valid in, when it saw `.Template`.
    file: Option<u64>,
    out: StrBuf,
    reads: std::ops::Range<usize>,
    unpicked: std::ops::Range<usize>,
    fuel: u64,
    /// How many template calls deep it went below itself.
    depth_below: usize,
    /// Keeps the dot (and so its address) alive.
    _data: Value,
    /// Keeps the tree (and so its address) alive.
    _tree: Rc<Tree>,
}

/// A call being remembered.
pub(crate) struct Frame {
    key: Key,
    data: Value,
    tree: Rc<Tree>,
    start_serial: u64,
    /// The oldest serial written before the call began (see [`begin_write_window`]).
    written_before: u64,
    impure: u64,
    template_seen: u64,
    unmet: usize,
    reads: usize,
    unpicked: usize,
    fuel: u64,
    depth: usize,
    peak: usize,
    /// Where its maps looked into start in [`Memo::observed`].
    observed_from: usize,
    /// Its number among the calls remembered in this render (from 1; see `MapData::seen`).
    number: u64,
}

/// How deep and how far [`Memo::observe_merge`] walks before it assumes the worst.
const MERGE_DEPTH: usize = 64;
const MERGE_WALK: usize = 100_000;

/// Bytes of output remembered at most in one render.
const MAX_BYTES: usize = 64 << 20;

/// The remembered calls of one render.
pub(crate) struct Memo {
    on: bool,
    entries: crate::fast_hash::FxHashMap<Key, Entry>,
    frames: Vec<Frame>,
    /// The file being rendered (the executor's top-level calls).
    pub(crate) file: u64,
    root_escapes: u64,
    bytes: usize,
    /// The maps looked into while calls are being remembered (with all they reach: `true`);
    /// each frame owns those from its `observed_from` on, and its callers those too.
    observed: Vec<(Value, bool)>,
    /// Calls begun so far.
    begun: u64,
}

impl Memo {
    pub(crate) fn new() -> Memo {
        let on = std::env::var_os("STACKSTATE_LINT_INCLUDE_MEMO").is_none_or(|v| v != "0");
        Memo {
            on,
            entries: Default::default(),
            frames: Vec::new(),
            file: 0,
            root_escapes: root_escapes(),
            bytes: 0,
            observed: Vec::new(),
            begun: 0,
        }
    }

    /// Whether a call is being remembered (and so what it sees matters).
    pub(crate) fn watching(&self) -> bool {
        !self.frames.is_empty()
    }

    /// The running calls looked into `value` (`deep`: and at all it reaches). Lists and
    /// scalars cannot change, so only maps, and lists for what they reach, count.
    pub(crate) fn observe(&mut self, value: &Value, deep: bool) {
        let Some(top) = self.frames.last() else {
            return;
        };
        match value {
            Value::Map(m) => {
                if let Ok(d) = m.try_borrow() {
                    if d.marked_deep || (!deep && d.marked) {
                        return;
                    }
                    // Noted already while this call runs (so in its part of the notes).
                    let seen = d.seen.get();
                    if seen >> 1 == top.number && (seen & 1 == 1 || !deep) {
                        return;
                    }
                    d.seen.set(top.number << 1 | u64::from(deep));
                }
            }
            Value::List(_) if deep => {}
            _ => return,
        }
        self.observed.push((value.clone(), deep));
    }

    /// The running calls handed `args` to the function `name`, which looks at them as `look`
    /// says (see [`look_of`]).
    pub(crate) fn observe_call(&mut self, name: &str, look: Look, args: &[Value]) {
        if self.frames.is_empty() {
            return;
        }
        match look {
            Look::None => {}
            Look::Shallow => args.iter().for_each(|a| self.observe(a, false)),
            Look::Deep => args.iter().for_each(|a| self.observe(a, true)),
            Look::Path => self.observe_path(name, args),
            Look::Merge => {
                let mut left = MERGE_WALK;
                if !self.observe_merge(args, 0, &mut left) {
                    args.iter().for_each(|a| self.observe(a, true));
                }
            }
        }
    }

    /// What mergo looks at merging `maps` into one another in any order: each of them (its
    /// keys, its entries), and for every two of them, the maps one holds under a key the
    /// other has too (tested for emptiness) and, where both hold maps, those merged likewise.
    /// False when the walk goes too deep or too far (the caller then assumes the worst).
    fn observe_merge(&mut self, maps: &[Value], depth: usize, left: &mut usize) -> bool {
        if depth > MERGE_DEPTH {
            return false;
        }
        for v in maps {
            self.observe(v, false);
        }
        for (i, a) in maps.iter().enumerate() {
            for b in &maps[i + 1..] {
                if !self.observe_merge_pair(a, b, depth, left) {
                    return false;
                }
            }
        }
        true
    }

    fn observe_merge_pair(&mut self, a: &Value, b: &Value, depth: usize, left: &mut usize) -> bool {
        let (Value::Map(a), Value::Map(b)) = (a, b) else {
            return true;
        };
        let both_seen = |m: &Map| m.try_borrow().is_ok_and(|d| d.marked_deep);
        if Rc::ptr_eq(a, b) || (both_seen(a) && both_seen(b)) {
            return true;
        }
        let mut shared: Vec<(Value, Value)> = Vec::new();
        {
            let (Ok(da), Ok(db)) = (a.try_borrow(), b.try_borrow()) else {
                return false;
            };
            let (small, large) = if da.entries.len() <= db.entries.len() {
                (&da, &db)
            } else {
                (&db, &da)
            };
            for (k, x) in &small.entries {
                let Some(n) = left.checked_sub(1) else {
                    return false;
                };
                *left = n;
                if let Some(y) = large.entries.get(k)
                    && (x.is_container() || y.is_container())
                {
                    shared.push((x.clone(), y.clone()));
                }
            }
        }
        for (x, y) in shared {
            match (&x, &y) {
                (Value::Map(_), Value::Map(_)) => {
                    if !self.observe_merge(&[x, y], depth + 1, left) {
                        return false;
                    }
                }
                _ => {
                    self.observe(&x, false);
                    self.observe(&y, false);
                }
            }
        }
        true
    }

    /// `index M k1 k2…` and `dig k1 k2… default M` look at each map on the path of keys.
    fn observe_path(&mut self, name: &str, args: &[Value]) {
        let (start, keys) = match (name, args) {
            ("index", [m, keys @ ..]) => (m, keys),
            ("dig", [keys @ .., _, m]) => (m, keys),
            _ => {
                args.iter().for_each(|a| self.observe(a, true));
                return;
            }
        };
        let mut at = start.clone();
        for key in keys {
            let next = match (&at, key) {
                (Value::Map(m), Value::Str(k)) => {
                    self.observe(&at, false);
                    m.borrow().entries.get(k.as_str()).cloned()
                }
                (Value::List(l), Value::Int(i, _, _)) => usize::try_from(*i)
                    .ok()
                    .and_then(|i| l.items.get(i).cloned()),
                // Keys of other kinds (a list of keys, a number for a map): what it looks at
                // from here is not followed.
                _ => {
                    self.observe(&at, true);
                    return;
                }
            };
            match next {
                Some(v) => at = v,
                None => return,
            }
        }
    }

    /// The key of including `tree` with `data`; none when the call can be neither remembered
    /// nor replayed (remembering is off, a `tpl` overlay is active, or the dot is of a kind not
    /// keyed).
    pub(crate) fn key(&self, tree: &Rc<Tree>, data: &Value, layered: bool) -> Option<Key> {
        if !self.on || layered || root_escapes() != self.root_escapes {
            return None;
        }
        Some((Rc::as_ptr(tree) as usize, data_key(data)?))
    }

    /// The remembered output of the call `key` with `data`, when it can be replayed here: the
    /// output, the reads to log and the steps to spend.
    pub(crate) fn lookup(
        &self,
        key: &Key,
        data: &Value,
        (fuel, depth, reads_len, unpicked_len): (u64, usize, usize, usize),
        depth_bound: usize,
    ) -> Option<Hit> {
        let e = self.entries.get(key)?;
        let fits = e.epoch == marked_writes()
            && match key.1 {
                DataKey::Dict(_) => same_dict(&e._data, data),
                DataKey::Text(_) => super::value::identical(&e._data, data),
                _ => true,
            }
            && e.file.is_none_or(|f| f == self.file)
            && e.fuel <= fuel
            && depth + e.depth_below < depth_bound
            && e.reads.end <= reads_len
            && e.unpicked.end <= unpicked_len;
        if !fits {
            return None;
        }
        Some(Hit {
            out: e.out.clone(),
            reads: e.reads.clone(),
            unpicked: e.unpicked.clone(),
            fuel: e.fuel,
            depth_below: e.depth_below,
            file_bound: e.file.is_some(),
        })
    }

    /// A remembered call was replayed `peak` deep: the running calls saw what it saw.
    pub(crate) fn replayed(&mut self, peak: usize, file_bound: bool) {
        self.reached(peak);
        if file_bound {
            note_per_file_seen();
        }
    }

    /// Starts remembering the call `key`, given the executor's read count, fuel and depth.
    pub(crate) fn begin(
        &mut self,
        key: Key,
        tree: &Rc<Tree>,
        data: &Value,
        (reads, unpicked, fuel, depth): (usize, usize, u64, usize),
        unmet: usize,
    ) {
        self.frames.push(Frame {
            key,
            data: data.clone(),
            tree: tree.clone(),
            start_serial: next_serial(),
            written_before: begin_write_window(),
            impure: impure_count(),
            template_seen: per_file_seen(),
            unmet,
            reads,
            unpicked,
            fuel,
            depth,
            peak: depth,
            observed_from: self.observed.len(),
            number: {
                self.begun += 1;
                self.begun
            },
        });
    }

    /// A template call went `depth` deep.
    pub(crate) fn reached(&mut self, depth: usize) {
        if let Some(top) = self.frames.last_mut() {
            top.peak = top.peak.max(depth);
        }
    }

    /// Ends the innermost remembered call; keeps its result when it succeeded and nothing it
    /// did makes it unrepeatable.
    pub(crate) fn end(
        &mut self,
        out: Option<&StrBuf>,
        (reads_len, unpicked_len): (usize, usize),
        fuel: u64,
        unmet: usize,
    ) {
        let Some(frame) = self.frames.pop() else {
            return;
        };
        self.keep(frame, out, (reads_len, unpicked_len), fuel, unmet);
        if self.frames.is_empty() {
            self.observed.clear();
        }
    }

    /// Keeps the result of the call `frame` when it succeeded and nothing it did makes it
    /// unrepeatable, marking the maps it looked into.
    fn keep(
        &mut self,
        frame: Frame,
        out: Option<&StrBuf>,
        (reads_len, unpicked_len): (usize, usize),
        fuel: u64,
        unmet: usize,
    ) {
        let written_inside = end_write_window(frame.written_before);
        if let Some(parent) = self.frames.last_mut() {
            parent.peak = parent.peak.max(frame.peak);
        }
        let Some(out) = out else {
            return;
        };
        let repeatable = written_inside >= frame.start_serial
            && impure_count() == frame.impure
            && unmet == frame.unmet
            && root_escapes() == self.root_escapes
            && self.bytes + out.len() <= MAX_BYTES;
        if !repeatable {
            return;
        }
        let file = (per_file_seen() != frame.template_seen).then_some(self.file);
        for (v, deep) in &self.observed[frame.observed_from..] {
            if *deep {
                mark(v);
            } else {
                mark_shallow(v);
            }
        }
        self.bytes += out.len();
        let entry = Entry {
            epoch: marked_writes(),
            file,
            out: out.clone(),
            reads: frame.reads.min(reads_len)..reads_len,
            unpicked: frame.unpicked.min(unpicked_len)..unpicked_len,
            fuel: frame.fuel.saturating_sub(fuel),
            depth_below: frame.peak - frame.depth,
            _data: frame.data,
            _tree: frame.tree,
        };
        if let Some(old) = self.entries.insert(frame.key, entry) {
            self.bytes -= old.out.len();
        }
    }
}
