//! The values a template computes with: Go's dynamic types as Helm's templates see them.
//!
//! Cheap to clone (reference-counted), and carrying provenance: a scalar read from the values
//! tree knows the key path and file span it came from ([`Prov`]); a string knows it byte range by
//! byte range ([`Str`]), so concatenation, `printf`, `include` and `toYaml` keep the origin of
//! every piece. Maps are shared and mutable, as Go maps are: Sprig's `set`, `unset` and `merge`
//! change a map for everyone holding it, and charts rely on that.

use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// A key path into the merged values: `["stackstate", "components", "all", "image", "tag"]`.
/// List elements appear as their decimal index.
pub(crate) type KeyPath = Rc<[Rc<str>]>;

/// Where a value of the values tree came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Prov {
    /// The key path under `.Values` of the chart that reads it (a subchart's values are rooted at
    /// the subchart: the parent's `kafka.image.tag` is `image.tag` in the kafka scope).
    pub(crate) path: KeyPath,
    /// The path as the user writes it in their values file, from the top-level chart.
    pub(crate) user_path: KeyPath,
    /// The file, span or `--set` argument, or the chart default.
    pub(crate) origin: crate::value::Origin,
}

/// An optional provenance: `None` for values the template made up itself.
pub(crate) type Origin = Option<Rc<Prov>>;

/// Go's integer types that Helm's templates meet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum IntType {
    /// `int`: number literals, `len`, `int`, `atoi`, `until`.
    Int,
    /// `int64`: `--set` integers, Sprig arithmetic (`add`, `mul`, `max`…), `int64`.
    Int64,
    /// `int32`: a rune (`'a'`).
    Int32,
    /// `uint8`: a byte.
    Uint8,
    /// `uint64`.
    Uint64,
    /// `time.Month` (kind `int`): a time's `.Month`, printed by its `String` method (`March`).
    Month,
    /// `time.Weekday` (kind `int`): a time's `.Weekday` (`Tuesday`).
    Weekday,
    /// `time.Duration` (kind `int64`): a time's `.Sub` (`1h2m3s`).
    Duration,
}

impl IntType {
    /// The Go type name (`%T`, `typeOf`, `kindOf`).
    pub(crate) fn go_name(self) -> &'static str {
        match self {
            IntType::Int => "int",
            IntType::Int64 => "int64",
            IntType::Int32 => "int32",
            IntType::Uint8 => "uint8",
            IntType::Uint64 => "uint64",
            IntType::Month => "time.Month",
            IntType::Weekday => "time.Weekday",
            IntType::Duration => "time.Duration",
        }
    }

    /// Go's `reflect.Kind` name (`kindOf`): that of the underlying type for a named one.
    pub(crate) fn kind_name(self) -> &'static str {
        match self {
            IntType::Month | IntType::Weekday => "int",
            IntType::Duration => "int64",
            other => other.go_name(),
        }
    }

    /// Whether this is one of `time`'s named integer types, whose `String` method `fmt` and
    /// actions print (see `funcs::go_time`).
    pub(crate) fn is_named(self) -> bool {
        matches!(self, IntType::Month | IntType::Weekday | IntType::Duration)
    }
}

/// The element type of a Go slice or map value, for `typeOf` and `%T`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum ElemType {
    /// `interface {}`: lists and maps from values, `list`, `dict`, `append`…
    #[default]
    Any,
    /// `string`: `splitList`, `keys`, `sortAlpha`, `regexFindAll`, `split` (a map).
    String,
    /// `int`: `until`, `untilStep`.
    Int,
    /// `map[string]interface {}`: the arrays of tables `fromToml` decodes.
    Map,
    /// `[]interface {}`: the chunks of `chunk` (a `[][]interface {}`).
    List,
}

/// One byte range of a string and the value it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Seg {
    /// First byte (inclusive).
    pub(crate) start: u32,
    /// Last byte (exclusive).
    pub(crate) end: u32,
    /// Where those bytes came from.
    pub(crate) prov: Rc<Prov>,
}

/// A string with the provenance of its byte ranges (ranges not covered came from the template).
/// The ranges are in order and do not overlap: they are found by binary search.
#[derive(Debug, Clone, Default)]
pub struct Str {
    text: Rc<str>,
    segs: Option<Rc<[Seg]>>,
}

impl Str {
    /// A string with no provenance.
    pub(crate) fn new(text: impl Into<Rc<str>>) -> Str {
        Str {
            text: text.into(),
            segs: None,
        }
    }

    /// A string that came whole from one value.
    pub(crate) fn with_origin(text: impl Into<Rc<str>>, origin: &Origin) -> Str {
        let text: Rc<str> = text.into();
        let segs = match origin {
            Some(prov) if !text.is_empty() => Some(Rc::from(vec![Seg {
                start: 0,
                end: text.len() as u32,
                prov: prov.clone(),
            }])),
            _ => None,
        };
        Str { text, segs }
    }

    /// A string from text and its segments (sorted, non-overlapping, inside the text).
    pub(crate) fn from_parts(text: impl Into<Rc<str>>, segs: Vec<Seg>) -> Str {
        debug_assert!(
            segs.windows(2).all(|w| w[0].end <= w[1].start),
            "segments out of order"
        );
        let segs = if segs.is_empty() {
            None
        } else {
            Some(Rc::from(segs))
        };
        Str {
            text: text.into(),
            segs,
        }
    }

    /// The text.
    pub(crate) fn as_str(&self) -> &str {
        &self.text
    }

    /// The shared text.
    pub(crate) fn text(&self) -> &Rc<str> {
        &self.text
    }

    /// The provenance segments, sorted by position.
    pub(crate) fn segs(&self) -> &[Seg] {
        self.segs.as_deref().unwrap_or(&[])
    }

    /// The single origin when one value covers the whole string.
    pub(crate) fn whole_origin(&self) -> Origin {
        match self.segs() {
            [seg] if seg.start == 0 && seg.end as usize == self.text.len() => {
                Some(seg.prov.clone())
            }
            _ => None,
        }
    }
}

impl PartialEq for Str {
    /// Strings compare by text only, as in Go.
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
    }
}

impl From<&str> for Str {
    fn from(s: &str) -> Str {
        Str::new(s)
    }
}

impl From<String> for Str {
    fn from(s: String) -> Str {
        Str::new(s)
    }
}

/// A growable string with provenance: the output of a template, `include`, `printf`, `toYaml`.
#[derive(Debug, Clone, Default)]
pub struct StrBuf {
    /// The text so far.
    pub(crate) text: String,
    /// Segments so far, sorted.
    pub(crate) segs: Vec<Seg>,
}

impl StrBuf {
    /// An empty buffer.
    pub(crate) fn new() -> StrBuf {
        StrBuf::default()
    }

    /// Appends text made by the template (no provenance).
    pub(crate) fn push_plain(&mut self, s: &str) {
        self.text.push_str(s);
    }

    /// Appends text that came whole from one value.
    pub(crate) fn push_with(&mut self, s: &str, origin: &Origin) {
        let start = self.text.len() as u32;
        self.text.push_str(s);
        if let Some(prov) = origin
            && !s.is_empty()
        {
            self.segs.push(Seg {
                start,
                end: self.text.len() as u32,
                prov: prov.clone(),
            });
        }
    }

    /// Appends a string with its segments.
    pub(crate) fn push_str(&mut self, s: &Str) {
        let base = self.text.len() as u32;
        self.text.push_str(s.as_str());
        self.segs.extend(s.segs().iter().map(|seg| Seg {
            start: seg.start + base,
            end: seg.end + base,
            prov: seg.prov.clone(),
        }));
    }

    /// Appends a substring `range` of `s`, with the segments that overlap it (cut to it).
    pub(crate) fn push_slice(&mut self, s: &Str, range: std::ops::Range<usize>) {
        let base = self.text.len() as u32;
        self.text.push_str(&s.as_str()[range.clone()]);
        let (lo, hi) = (range.start as u32, range.end as u32);
        // A line of a long text at a time (`indent`): only the segments that reach the range.
        let segs = s.segs();
        let first = segs.partition_point(|seg| seg.end <= lo);
        for seg in segs[first..].iter().take_while(|seg| seg.start < hi) {
            let (a, b) = (seg.start.max(lo), seg.end.min(hi));
            if a < b {
                self.segs.push(Seg {
                    start: a - lo + base,
                    end: b - lo + base,
                    prov: seg.prov.clone(),
                });
            }
        }
    }

    /// The length in bytes.
    pub(crate) fn len(&self) -> usize {
        self.text.len()
    }

    /// The finished string.
    pub(crate) fn finish(self) -> Str {
        Str::from_parts(self.text, self.segs)
    }
}

/// A Go slice.
#[derive(Debug, Clone, Default)]
pub struct ListData {
    /// The elements.
    pub(crate) items: Vec<Value>,
    /// The element type.
    pub(crate) elem: ElemType,
    /// Where the list came from, when it is part of the values tree.
    pub(crate) origin: Origin,
    /// A nil slice (Sprig's `concat` of nothing, `regexFindAll` without a match, `fromJsonArray
    /// "null"`): `toJson` and `toYaml` write `null`; to everything else it is an empty one.
    pub(crate) nil: bool,
}

impl Drop for ListData {
    fn drop(&mut self) {
        if !self.items.is_empty() {
            deep_drop::drop_later(deep_drop::Parts::Items(std::mem::take(&mut self.items)));
        }
    }
}

impl MapData {
    /// An empty map with what `set` sets (the map drops its entries itself, so it cannot be
    /// built from a default one by struct update).
    pub(crate) fn build(set: impl FnOnce(&mut MapData)) -> MapData {
        let mut map = MapData::default();
        set(&mut map);
        map
    }
}

impl Drop for MapData {
    fn drop(&mut self) {
        if !self.entries.is_empty() {
            deep_drop::drop_later(deep_drop::Parts::Entries(std::mem::take(&mut self.entries)));
        }
    }
}

/// Dropping a value nested deeper than the stack allows: a template may build a map or list
/// as deep as its steps allow (`range until 100000` of `dict "a" $d`, which Helm renders), and
/// dropping one drops the next inside it, each a few frames of the native stack. Past
/// [`MAX_NESTED`] drops in progress, what a map or list holds is put aside and dropped by the
/// outermost drop, one after another.
mod deep_drop {
    use std::cell::{Cell, RefCell};

    use super::{Entries, Value};

    /// Drops in progress one inside another before the rest is put aside.
    const MAX_NESTED: usize = 256;

    /// What a map or list held.
    pub(super) enum Parts {
        Entries(Entries),
        Items(Vec<Value>),
    }

    impl Parts {
        fn drop_now(self) {
            match self {
                Parts::Entries(entries) => drop(entries),
                Parts::Items(items) => drop(items),
            }
        }
    }

    thread_local! {
        static NESTED: Cell<usize> = const { Cell::new(0) };
        static LATER: RefCell<Vec<Parts>> = const { RefCell::new(Vec::new()) };
    }

    /// Drops `parts` now, or puts it aside when drops are nested too deep; the outermost drop
    /// drops what was put aside.
    pub(super) fn drop_later(parts: Parts) {
        // (A value dropped while the thread's own storage is being torn down, by a cache held
        // in another thread-local, is dropped as it is.)
        let Ok(nested) = NESTED.try_with(Cell::get) else {
            return parts.drop_now();
        };
        if nested >= MAX_NESTED {
            // (Gone already: the closure, and what it holds, is dropped as it is.)
            let _ = LATER.try_with(|later| later.borrow_mut().push(parts));
            return;
        }
        NESTED.set(nested + 1);
        parts.drop_now();
        if nested == 0 {
            // The outermost drop: what was put aside, each dropped with the stack unwound.
            while let Some(next) = LATER
                .try_with(|later| later.borrow_mut().pop())
                .ok()
                .flatten()
            {
                next.drop_now();
            }
        }
        NESTED.set(nested);
    }
}

/// A Go map with string keys, iterated in key order as Go's templates and `fmt` do.
#[derive(Debug, Clone)]
pub struct MapData {
    /// The entries.
    pub(crate) entries: crate::template::value::Entries,
    /// The element type.
    pub(crate) elem: ElemType,
    /// Where the map came from, when it is part of the values tree (read tracking uses its
    /// key path).
    pub(crate) origin: Origin,
    /// The Go name of Helm's named `map[string]interface{}` type when the map is one (a
    /// template's dot, `.Values`, `.Template`: `chartutil.Values` in Helm 3, `common.Values` in
    /// Helm 4), which `typeOf`, `%T` and errors print.
    pub(crate) values_type: Option<&'static str>,
    /// A nil map (`fromJson "null"`): `toJson` and `toYaml` write `null`; to everything else it
    /// is an empty one.
    pub(crate) nil: bool,
    /// The other maps that are the same Go map under another type (see [`retyped`]).
    pub(crate) twins: Twins,
    /// When the map was made, in the order of this thread's maps (see `memo`; a copy keeps
    /// its original's, which only makes it look older).
    pub(crate) serial: u64,
    /// A chart's dot, whose `Template` entry Helm changes between files (see `memo`).
    pub(crate) root: bool,
    /// A remembered `include` may have seen what this map holds (see `memo`): a write into it
    /// forgets them all.
    pub(crate) marked: bool,
    /// Every map this one reaches is marked too (see `memo::mark`).
    pub(crate) marked_deep: bool,
    /// The remembered call that last noted looking into this map, and whether at all it
    /// reaches (see `memo::Memo::observe`): a note it holds already is not taken again.
    pub(crate) seen: std::cell::Cell<u64>,
}

impl Default for MapData {
    fn default() -> Self {
        MapData {
            entries: Entries::new(),
            elem: ElemType::default(),
            origin: None,
            values_type: None,
            nil: false,
            twins: Twins::default(),
            serial: super::memo::next_serial(),
            root: false,
            marked: false,
            marked_deep: false,
            seen: std::cell::Cell::new(0),
        }
    }
}

/// A shared, mutable Go map.
pub(crate) type Map = Rc<RefCell<MapData>>;

/// The entries of a template map, in key order (Go's `text/template` ranges over and prints a
/// map's keys sorted).
pub(crate) type Entries = crate::sorted_map::SortedMap<Rc<str>, Value>;

/// The maps that are one Go map with a map: a subchart's `.Values` and its parent's
/// `.Values.<subchart>`, `.Values` and `.Values.AsMap`. The type belongs to the map here, so
/// each type has a map of its own, and a write into one is made in the others. A copy of a
/// map (`deepCopy`, a clone) is a new Go map: it has no twins.
#[derive(Debug, Default)]
pub struct Twins(Vec<std::rc::Weak<RefCell<MapData>>>);

impl Twins {
    /// The other maps, as weak references.
    pub(crate) fn iter(&self) -> impl Iterator<Item = &std::rc::Weak<RefCell<MapData>>> {
        self.0.iter()
    }
}

impl Clone for Twins {
    fn clone(&self) -> Self {
        Twins::default()
    }
}

/// Changes the entries of `map` and of every map that is the same Go map.
pub(crate) fn write_entries(map: &Map, change: impl Fn(&mut crate::template::value::Entries)) {
    let twins: Vec<Map> = map
        .borrow()
        .twins
        .0
        .iter()
        .filter_map(|w| w.upgrade())
        .collect();
    {
        let mut m = map.borrow_mut();
        super::memo::note_write(m.serial, m.marked);
        change(&mut m.entries);
    }
    for twin in twins {
        if let Ok(mut t) = twin.try_borrow_mut() {
            super::memo::note_write(t.serial, t.marked);
            change(&mut t.entries);
        }
    }
}

/// Whether two origins are the same provenance (not an equal one), or both none.
pub(crate) fn same_origin(a: &Origin, b: &Origin) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(a), Some(b)) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

/// Whether writing `new` over `old` would change nothing anyone can see: the same map, list or
/// object, the same scalar from the same origin, or equal text with no provenance. Lets `set`
/// and `merge` skip a write that repeats one (see `memo`: a write into a map a remembered
/// `include` saw forgets them all).
pub(crate) fn identical(old: &Value, new: &Value) -> bool {
    match (old, new) {
        (Value::Nil, Value::Nil) => true,
        (Value::Bool(a, oa), Value::Bool(b, ob)) => a == b && same_origin(oa, ob),
        (Value::Int(a, ta, oa), Value::Int(b, tb, ob)) => a == b && ta == tb && same_origin(oa, ob),
        (Value::Float(a, oa), Value::Float(b, ob)) => {
            a.to_bits() == b.to_bits() && same_origin(oa, ob)
        }
        (Value::Str(a), Value::Str(b)) => match (&a.segs, &b.segs) {
            (None, None) => Rc::ptr_eq(a.text(), b.text()) || a.text() == b.text(),
            (Some(x), Some(y)) => Rc::ptr_eq(a.text(), b.text()) && Rc::ptr_eq(x, y),
            _ => false,
        },
        (Value::List(a), Value::List(b)) => Rc::ptr_eq(a, b),
        (Value::Map(a), Value::Map(b)) => Rc::ptr_eq(a, b),
        (Value::Bytes(a), Value::Bytes(b)) => Rc::ptr_eq(a, b),
        (Value::Object(a), Value::Object(b)) => Rc::ptr_eq(a, b),
        _ => false,
    }
}

/// A new map with `map`'s entries (the values in it shared), element type and origin, of the
/// named type `values_type` (none: a plain map).
pub(crate) fn retyped(map: &Map, values_type: Option<&'static str>) -> Value {
    let copy = {
        let data = map.borrow();
        let mut twins: Vec<_> = data.twins.0.clone();
        twins.push(Rc::downgrade(map));
        Rc::new(RefCell::new(MapData {
            entries: data.entries.clone(),
            elem: data.elem,
            origin: data.origin.clone(),
            values_type,
            nil: data.nil,
            twins: Twins(twins),
            serial: data.serial,
            root: data.root,
            marked: data.marked,
            marked_deep: data.marked_deep,
            seen: std::cell::Cell::new(0),
        }))
    };
    // Every other map of the Go map learns of the new one.
    for twin in copy
        .borrow()
        .twins
        .0
        .iter()
        .filter_map(std::rc::Weak::upgrade)
    {
        twin.borrow_mut().twins.0.push(Rc::downgrade(&copy));
    }
    Value::Map(copy)
}

/// `map` handed to a Go function whose parameter is a `map[string]interface{}` and given back
/// (Sprig's `set`, `unset`, `merge`…): Go converts a `chartutil.Values` to the plain map type on
/// the call, so what comes back is the same map as a plain one (a twin here, see [`retyped`]).
pub(crate) fn through_plain_map_parameter(map: &Map) -> Value {
    if map.borrow().values_type.is_some() {
        retyped(map, None)
    } else {
        Value::Map(map.clone())
    }
}

/// A Go struct as `fmt` prints it field by field: `{a b}`, `{A:a B:b}` for `%+v`,
/// `pkg.T{A:"a", B:"b"}` for `%#v`, with `&` before it when the value is a pointer.
#[derive(Debug)]
pub struct GoStruct {
    /// The struct type as `%#v` names it, without the pointer's `*` (`chart.Metadata`).
    pub type_name: &'static str,
    /// Whether the value is a pointer to the struct: `&{…}` at the top, an address inside
    /// another value.
    pub pointer: bool,
    /// Whether the value has a `String` method, which `fmt` prints for the string verbs and
    /// `%v` (not `%#v`) instead of the fields.
    pub stringer: bool,
    /// The fields in declaration order, under their Go names.
    pub fields: Vec<(&'static str, Value)>,
}

impl GoStruct {
    /// The exported field `name`, for an object whose fields are all its members.
    pub fn field(self, name: &str) -> Option<Value> {
        self.fields
            .into_iter()
            .find(|(field, _)| *field == name)
            .map(|(_, value)| value)
    }
}

/// A Go struct or pointer with fields and methods: `.Release`, `.Chart`, `.Capabilities`,
/// `.Files`, a semver version.
pub trait Object: fmt::Debug {
    /// The Go type name, as `%T` prints it (`*chart.Metadata`).
    fn type_name(&self) -> &str;
    /// A field, or a method that takes no argument; `None` when the type has no such member.
    fn field(&self, name: &str) -> Option<Value>;
    /// A method with arguments, given as many as [`Object::arity`] says; `None` when the type
    /// has no such method. A parameter of the wrong type is a [`FuncError::Arg`] (made by
    /// `funcs::args`, so the executor can blame the operand as Go does).
    ///
    /// [`FuncError::Arg`]: super::FuncError::Arg
    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, super::FuncError>>;
    /// How many parameters the method `name` takes (`Some(0)` for one that [`Object::field`]
    /// answers); `None` when `name` is no method (a field, a map key, or nothing). Go checks
    /// the count before it evaluates any argument: `wrong number of args for Has: want 1 got 0`.
    fn arity(&self, _name: &str) -> Option<usize> {
        None
    }
    /// The named integer type an untyped number constant written as an argument of method
    /// `name` becomes (Go converts a constant to the parameter's type: `$t.Add 1000` passes a
    /// `time.Duration`, where a variable holding an `int` is the wrong type). `None`: none.
    fn constant_int_param(&self, _name: &str) -> Option<IntType> {
        None
    }
    /// How `%v` prints it (a function's argument: a copy of the value); a struct without a
    /// `String` method prints its fields ([`Object::go_struct`]).
    fn fmt_v(&self) -> String {
        self.go_struct()
            .map(|s| super::fmt::sprint_struct(&s))
            .unwrap_or_default()
    }
    /// What its `GoString` method gives, which `%#v` prints; `None` for a type without one.
    fn go_string(&self) -> Option<String> {
        None
    }
    /// The object itself, for a function that takes this Go type as a parameter (Sprig's
    /// `date` reads a `time.Time`'s instant and zone, which no template-visible member gives
    /// whole). `None` for a type no function reads.
    fn as_any(&self) -> Option<&dyn std::any::Any> {
        None
    }
    /// How an action prints it, where that differs from [`Object::fmt_v`]: text/template
    /// prints what a pointer points to, and calls a `String` method of the pointer type on a
    /// value it can take the address of (a field of a struct reached through a pointer).
    fn print_action(&self) -> Option<String> {
        None
    }
    /// What a function's (or method's) parameter receives, where that differs: Go copies a
    /// struct into an `interface {}`, and the copy is not addressable, so the pointer's methods
    /// (`String`) are gone wherever it travels from there. `None` when it is the same object.
    fn passed(&self) -> Option<Value> {
        None
    }
    /// The Go struct the object is or points to, as `fmt` walks it for a verb its `String`
    /// method does not answer (`%d`, `%+v`, `%#v`…). `None` for a type that is no struct, or
    /// one whose fields no run prints alike (`time.Time`'s clock).
    fn go_struct(&self) -> Option<GoStruct> {
        None
    }
    /// The object as a plain value for `toYaml`/`toJson` (a struct marshals as a map).
    fn to_plain(&self) -> Value {
        Value::Nil
    }
    /// The order `encoding/json` writes the keys of [`Object::to_plain`] in: a struct's fields
    /// in declaration order (`toJson .Capabilities.KubeVersion` is
    /// `{"Version":…,"Major":…,"Minor":…}`), keys not named after them. Empty for a map type
    /// (sorted keys).
    fn json_order(&self) -> &'static [&'static str] {
        &[]
    }
    /// The Go map or slice the object is, when its type is one with methods (Helm's `.Files` is
    /// a `map[string][]byte`, `.Capabilities.APIVersions` a `[]string`): truthiness and `range`
    /// see this value. `None` for a struct.
    fn underlying(&self) -> Option<Value> {
        None
    }
    /// The same named slice type holding `items` (elements of [`Object::underlying`]) instead:
    /// reflect's `Slice` keeps a slice's type (Sprig's `slice` of `.Capabilities.APIVersions`
    /// is still a `chartutil.VersionSet`). `None` for a type that is no slice.
    fn resliced(&self, _items: &[Value]) -> Option<Value> {
        None
    }
    /// How Go's `==` (`eq`, `ne`) compares it: a pointer by identity, a struct of comparable
    /// fields field by field, a map, a slice or a struct holding one not at all.
    fn comparison(&self) -> Comparison {
        if self.kind() == "ptr" {
            Comparison::Identity
        } else {
            Comparison::No
        }
    }
    /// Go's `reflect.Kind` name for `kindOf`: that of the underlying map or slice, else `ptr`
    /// for a pointer type (`*semver.Version`) and `struct` for a struct value
    /// (`sprig.certificate`, `time.Time`).
    fn kind(&self) -> &'static str {
        match self.underlying() {
            Some(v) => v.kind_name(),
            None if self.type_name().starts_with('*') => "ptr",
            None => "struct",
        }
    }
}

/// How Go's `==` compares an [`Object`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Comparison {
    /// A pointer: the same object.
    Identity,
    /// A struct of comparable fields: equal when these texts, one for all its fields, are.
    Fields(String),
    /// A type Go cannot compare: `eq` fails.
    No,
}

/// A value of a template.
#[derive(Debug, Clone, Default)]
pub enum Value {
    /// A nil interface: `nil`, a missing key, a YAML null.
    #[default]
    Nil,
    /// A boolean.
    Bool(bool, Origin),
    /// An integer of one of Go's integer types.
    Int(i64, IntType, Origin),
    /// A float64: every number that came from a YAML or JSON document.
    Float(f64, Origin),
    /// A complex128: only a template's complex constant makes one (`1i`, `2+3i`).
    Complex(f64, f64),
    /// A string.
    Str(Str),
    /// A `[]byte` (`.Files.GetBytes`).
    Bytes(Rc<[u8]>),
    /// A slice.
    List(Rc<ListData>),
    /// A map.
    Map(Map),
    /// A struct with fields and methods.
    Object(Rc<dyn Object>),
}

impl Value {
    /// A plain string.
    pub(crate) fn str(s: impl Into<Rc<str>>) -> Value {
        Value::Str(Str::new(s))
    }

    /// A Go `int`.
    pub(crate) fn int(n: i64) -> Value {
        Value::Int(n, IntType::Int, None)
    }

    /// A Go `int64`.
    pub(crate) fn int64(n: i64) -> Value {
        Value::Int(n, IntType::Int64, None)
    }

    /// A float64.
    pub(crate) fn float(f: f64) -> Value {
        Value::Float(f, None)
    }

    /// A boolean.
    pub(crate) fn bool(b: bool) -> Value {
        Value::Bool(b, None)
    }

    /// A `[]interface{}` of `items`.
    pub(crate) fn list(items: Vec<Value>) -> Value {
        Value::typed_list(items, ElemType::Any)
    }

    /// A nil slice of element type `elem` (see [`ListData::nil`]).
    pub(crate) fn nil_list(elem: ElemType) -> Value {
        Value::List(Rc::new(ListData {
            items: Vec::new(),
            elem,
            origin: None,
            nil: true,
        }))
    }

    /// A slice of `items` with element type `elem`.
    pub(crate) fn typed_list(items: Vec<Value>, elem: ElemType) -> Value {
        Value::List(Rc::new(ListData {
            items,
            elem,
            origin: None,
            nil: false,
        }))
    }

    /// A new `map[string]interface{}`.
    pub fn map(entries: crate::template::value::Entries) -> Value {
        Value::Map(Rc::new(RefCell::new(MapData::build(|m| {
            m.entries = entries;
        }))))
    }

    /// A nil `map[string]interface{}` (see [`MapData::nil`]).
    pub(crate) fn nil_map() -> Value {
        Value::Map(Rc::new(RefCell::new(MapData::build(|m| {
            m.nil = true;
        }))))
    }

    /// An empty `map[string]interface{}`.
    pub fn empty_map() -> Value {
        Value::map(Entries::new())
    }

    /// The string, when the value is a string.
    pub(crate) fn as_str(&self) -> Option<&str> {
        match self {
            Value::Str(s) => Some(s.as_str()),
            _ => None,
        }
    }

    /// Whether this is a nil interface.
    pub(crate) fn is_nil(&self) -> bool {
        matches!(self, Value::Nil)
    }

    /// Go's `isNil` of reflection: a nil interface, or a nil slice or map.
    pub(crate) fn is_go_nil(&self) -> bool {
        match self {
            Value::Nil => true,
            Value::List(l) => l.nil,
            Value::Map(m) => m.borrow().nil,
            _ => false,
        }
    }

    /// Whether this is a list or a map (which may hold values of the tree).
    pub(crate) fn is_container(&self) -> bool {
        matches!(self, Value::List(_) | Value::Map(_))
    }

    /// The provenance of a value as a whole: a scalar, list or map of the values tree, or a
    /// string that came from one value.
    pub(crate) fn origin(&self) -> Origin {
        match self {
            Value::Bool(_, o) | Value::Int(_, _, o) | Value::Float(_, o) => o.clone(),
            Value::Str(s) => s.whole_origin(),
            Value::List(l) => l.origin.clone(),
            Value::Map(m) => m.borrow().origin.clone(),
            Value::Nil | Value::Complex(..) | Value::Bytes(_) | Value::Object(_) => None,
        }
    }

    /// Go's truthiness (`if`, `with`, `and`, `or`, `not`): false, 0, nil, and empty strings,
    /// slices and maps are false; structs are true.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            Value::Nil => false,
            Value::Bool(b, _) => *b,
            Value::Int(n, _, _) => *n != 0,
            Value::Float(f, _) => *f != 0.0,
            Value::Complex(re, im) => *re != 0.0 || *im != 0.0,
            Value::Str(s) => !s.as_str().is_empty(),
            Value::Bytes(b) => !b.is_empty(),
            Value::List(l) => !l.items.is_empty(),
            Value::Map(m) => !m.borrow().entries.is_empty(),
            Value::Object(o) => o.underlying().is_none_or(|v| v.truthy()),
        }
    }

    /// Go's `reflect.Kind` name (`kindOf`): `string`, `int64`, `float64`, `bool`, `slice`, `map`,
    /// `ptr`, `invalid` for nil.
    pub(crate) fn kind_name(&self) -> &'static str {
        match self {
            Value::Nil => "invalid",
            Value::Bool(..) => "bool",
            Value::Int(_, t, _) => t.kind_name(),
            Value::Float(..) => "float64",
            Value::Complex(..) => "complex128",
            Value::Str(_) => "string",
            Value::Bytes(_) | Value::List(_) => "slice",
            Value::Map(_) => "map",
            Value::Object(o) => o.kind(),
        }
    }

    /// Go's type name (`typeOf`, `%T`): `map[string]interface {}`, `[]interface {}`, `<nil>`…
    pub(crate) fn type_name(&self) -> String {
        fn elem(e: ElemType) -> &'static str {
            match e {
                ElemType::Any => "interface {}",
                ElemType::String => "string",
                ElemType::Int => "int",
                ElemType::Map => "map[string]interface {}",
                ElemType::List => "[]interface {}",
            }
        }
        match self {
            Value::Nil => "<nil>".into(),
            Value::Bool(..) => "bool".into(),
            Value::Int(_, t, _) => t.go_name().into(),
            Value::Float(..) => "float64".into(),
            Value::Complex(..) => "complex128".into(),
            Value::Str(_) => "string".into(),
            Value::Bytes(_) => "[]uint8".into(),
            Value::List(l) => format!("[]{}", elem(l.elem)),
            Value::Map(m) => match m.borrow().values_type {
                Some(name) => name.into(),
                None => format!("map[string]{}", elem(m.borrow().elem)),
            },
            Value::Object(o) => o.type_name().into(),
        }
    }
}

impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::Str(s)
    }
}
