//! What a function call or a printed value makes of the values tree, for read tracking.
//!
//! A field chain records the keys it looks up ([`Exec::record_read`]). A map of the tree that
//! leaves the template as a whole (`toYaml .Values.resources`, `{{ .Values.labels }}`,
//! `merge`d into another one and printed) uses every key under it although no template looks
//! them up one by one: it is recorded as a [`ReadKey::Whole`] read. Lookup functions (`index`,
//! `get`, `hasKey`, `pluck`, `dig`) record the keys they look up, like a field chain does.
//! Functions that only pass a value on (`include`, `default`, `dict`…) record nothing: what
//! happens to the value next decides.

use std::rc::Rc;

use super::ast::Arg;
use super::exec::{Exec, Frame, Read, ReadKey, Unpicked};
use super::value::Value;

/// Functions that hand their arguments on without using what is inside a map: the template that
/// receives the value records what it reads of it.
const PASS_ON: &[&str] = &[
    "include",
    "tpl",
    "default",
    "coalesce",
    "ternary",
    "empty",
    "required",
    "list",
    "dict",
    "set",
    "unset",
    "kindIs",
    "kindOf",
    "typeOf",
    "typeIs",
    "typeIsLike",
    "len",
    "eq",
    "ne",
    "not",
    "merge",
    "mergeOverwrite",
    "omit",
    "deepCopy",
    "mustDeepCopy",
    "pick",
    "without",
    "has",
    "append",
    "prepend",
    "first",
    "last",
    "fail",
];

/// How many elements of template-built lists and maps one call may look through for values of
/// the tree (each costs a step of the execution budget as well).
const WALK_LIMIT: usize = 10_000;

/// How much of a value an [`Unpicked`] keeps to show (characters).
const SHOWN_CHARS: usize = 80;

impl Exec<'_> {
    /// Logs the user's values that the choosing function `name` (`default`, `coalesce`,
    /// `ternary`) was handed straight from a field chain and did not pick ([`Unpicked`]). An
    /// empty text passed over is left out: writing `""` to get the chart's own value is common
    /// and meant; 0 and false are not (Sprig's `default` counts them as unset too).
    pub(super) fn note_unpicked(
        &mut self,
        f: &Frame,
        (name, at): (&str, super::ast::Pos),
        (args, piped_field): (&[Arg], bool),
        vals: &[Value],
    ) {
        let empty = super::funcs::sprig_defaults::empty;
        let (func, picked) = match (name, vals) {
            ("default", [_, given, ..]) => ("default", usize::from(!empty(given))),
            ("default", [_]) => ("default", 0),
            ("coalesce", _) => (
                "coalesce",
                vals.iter().position(|v| !empty(v)).unwrap_or(usize::MAX),
            ),
            ("ternary", [_, _, Value::Bool(cond, _)]) => ("ternary", usize::from(!cond)),
            _ => return,
        };
        // `default` looks at two operands, `ternary` chooses between two.
        let candidates = if func == "coalesce" { vals.len() } else { 2 };
        for (i, v) in vals.iter().enumerate().take(candidates) {
            if i == picked
                || !matches!(
                    v,
                    Value::Str(_) | Value::Int(..) | Value::Float(..) | Value::Bool(..)
                )
                || matches!(v, Value::Str(s) if s.as_str().is_empty())
            {
                continue;
            }
            let straight = match args.get(i) {
                Some(a) => super::eval::is_field_chain(std::slice::from_ref(a)),
                None => piped_field && i + 1 == vals.len(),
            };
            let Some(prov) = v.origin().filter(|p| {
                matches!(
                    p.origin,
                    crate::value::Origin::File { .. } | crate::value::Origin::Set { .. }
                )
            }) else {
                continue;
            };
            if !straight {
                continue;
            }
            let shown = super::fmt::sprint(std::slice::from_ref(v));
            let kept = vals.get(picked);
            let picked_text = kept.map_or_else(
                || "<nil>".to_string(),
                |p| {
                    super::fmt::sprint(std::slice::from_ref(p))
                        .as_str()
                        .to_string()
                },
            );
            // The same value taken from another of the user's keys (a component's registry
            // equal to `global.imageRegistry`) is passed over too: only that key decides. The
            // same value taken from the chart's own defaults is the key restating a default.
            let same = shown.as_str() == picked_text;
            let picked_from = kept.and_then(Value::origin);
            if same
                && !picked_from.as_ref().is_some_and(|p| {
                    matches!(
                        p.origin,
                        crate::value::Origin::File { .. } | crate::value::Origin::Set { .. }
                    )
                })
            {
                continue;
            }
            self.unpicked.push(Unpicked {
                value: prov,
                shown: Rc::from(cut(shown.as_str())),
                func,
                empty: empty(v),
                picked: Rc::from(cut(&picked_text)),
                picked_from,
                same,
                file: f.tree.parse_name.clone(),
                source: f.tree.source.clone(),
                pos: at,
            });
        }
    }

    /// Records what calling `name` with `args` reads of the values tree.
    pub(super) fn record_call_reads(&mut self, f: &Frame, name: &str, args: &[Value]) {
        match name {
            "index" => {
                if let Some((first, keys)) = args.split_first() {
                    self.record_lookups(f, first, keys);
                }
            }
            "get" | "hasKey" => {
                if let [map, key, ..] = args {
                    self.record_lookups(f, map, std::slice::from_ref(key));
                }
            }
            "pluck" => {
                if let Some((key, maps)) = args.split_first() {
                    for m in maps {
                        self.record_lookups(f, m, std::slice::from_ref(key));
                    }
                }
            }
            "dig" => {
                // dig KEY… DEFAULT MAP
                if let [keys @ .., _default, map] = args {
                    self.record_lookups(f, map, keys);
                }
            }
            "not" | "default" | "empty" | "coalesce" => {
                for a in args {
                    self.record_truth(f, a);
                }
            }
            _ if PASS_ON.contains(&name) => {}
            _ => {
                for a in args {
                    self.record_whole(f, a);
                }
            }
        }
    }

    /// Records what a truth test (`if`, `with`, `and`, `or`, `not`, `default`, `empty`,
    /// `coalesce`) of `value` reads: a map of the tree is true for having keys at all, so
    /// with one key that key decides the test (`oidc: {enabled: false}` under `{{ if .oidc }}`
    /// switches OIDC on). With more, none decides alone, and each is used only as far as the
    /// templates look it up.
    pub(super) fn record_truth(&mut self, f: &Frame, value: &Value) {
        let Value::Map(m) = value else {
            return;
        };
        let data = m.borrow();
        let Some(prov) = &data.origin else {
            return;
        };
        // A value lint stood in for a required one is not the user's: it does not count.
        let mut keys = data.entries.iter().filter(|(_, v)| {
            !v.origin()
                .is_some_and(|p| matches!(p.origin, crate::value::Origin::Synthetic))
        });
        if let (Some((key, _)), None) = (keys.next(), keys.next()) {
            self.reads.push(Read {
                key: ReadKey::Child(prov.clone(), key.clone()),
                template: f.name_id,
                pos: f.at,
            });
        }
    }

    /// Records the keys a lookup function follows from `start`.
    pub(super) fn record_lookups(&mut self, f: &Frame, start: &Value, keys: &[Value]) {
        let mut at = start.clone();
        for key in keys {
            let Value::Map(m) = &at else {
                return;
            };
            let Some(k) = key.as_str() else {
                return;
            };
            let k: Rc<str> = Rc::from(k);
            let next = m.borrow().entries.get(&k).cloned();
            let key = match (at.origin(), next.as_ref().and_then(Value::origin)) {
                (Some(prov), _) => Some(ReadKey::Child(prov, k)),
                // A map the template built, holding a value of the tree.
                (None, Some(prov)) => Some(ReadKey::Reached(prov)),
                (None, None) => None,
            };
            if let Some(key) = key {
                self.reads.push(Read {
                    key,
                    template: f.name_id,
                    pos: f.at,
                });
            }
            match next {
                Some(v) => at = v,
                None => return,
            }
        }
    }

    /// Records `value` as used whole when it is a map of the values tree; looks for such maps
    /// inside lists and maps the template built.
    pub(super) fn record_whole(&mut self, f: &Frame, value: &Value) {
        let mut stack = vec![(value.clone(), true)];
        let mut seen = 0;
        while let Some((v, top)) = stack.pop() {
            seen += 1;
            if seen > WALK_LIMIT || self.fuel == 0 {
                return;
            }
            self.fuel -= 1;
            let key = match &v {
                Value::Map(m) => {
                    let data = m.borrow();
                    match &data.origin {
                        Some(prov) => Some(ReadKey::Whole(prov.clone())),
                        None => {
                            stack.extend(data.entries.values().map(|v| (v.clone(), false)));
                            None
                        }
                    }
                }
                Value::List(l) if l.origin.is_none() => {
                    stack.extend(l.items.iter().map(|v| (v.clone(), false)));
                    None
                }
                // A value of the tree inside a list or map the template built is reached.
                other if !top => other.origin().map(ReadKey::Reached),
                _ => None,
            };
            if let Some(key) = key {
                self.reads.push(Read {
                    key,
                    template: f.name_id,
                    pos: f.at,
                });
            }
        }
    }
}

impl Exec<'_> {
    /// Records the values of the tree among the elements of a list or map the template built
    /// (`range` over `merge (dict) .Values.x …`): each is reached.
    pub(super) fn record_reached<'v>(&mut self, f: &Frame, items: impl Iterator<Item = &'v Value>) {
        for v in items {
            if let Some(prov) = v.origin() {
                self.reads.push(Read {
                    key: ReadKey::Reached(prov),
                    template: f.name_id,
                    pos: f.at,
                });
            }
        }
    }
}

/// `text` cut to [`SHOWN_CHARS`] characters, with `…` when cut.
fn cut(text: &str) -> String {
    match text.char_indices().nth(SHOWN_CHARS) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_string(),
    }
}
