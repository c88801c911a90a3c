//! `.Values` for the engine: the merged values tree converted once into template values, every
//! scalar, list and map carrying its [`Prov`].
//!
//! One tree serves every chart of the release, as in Helm: a subchart's `.Values` is the very
//! map the parent sees under the subchart's key, so a template that changes a map (`set`,
//! `merge`) changes it for everyone. Each value's [`Prov::path`] is relative to the innermost
//! chart whose values hold it (`image.tag` in the kafka subchart), [`Prov::user_path`] is the
//! path the user writes from the top-level chart (`kafka.image.tag`).

use std::cell::RefCell;
use std::rc::Rc;

use crate::template::value::Entries;
use crate::template::value::{ElemType, KeyPath, MapData, Prov, Value};
use crate::template::values_bridge;
use crate::value::{Map, Node, Origin};

/// Converts the release's merged values. `scopes` are the key paths of the subcharts that
/// render (`["kafka"]`, `["kafka", "zookeeper"]`); `values_type` is the Go name of `.Values`'s
/// type ([`crate::merge::HelmVersion::values_type`]).
pub(crate) fn convert(values: &Map, scopes: &[Vec<Rc<str>>], values_type: &'static str) -> Value {
    // The scopes whose first key is the path's: every value under one top-level key is asked
    // about with the same first key (the same `Rc`), so they are picked once per key instead
    // of comparing every scope for every value.
    let mut under: (*const u8, Vec<&[Rc<str>]>) = (std::ptr::null(), Vec::new());
    let mut origin_of = |node: &Node, path: &[Rc<str>]| {
        if let Some(first) = path.first()
            && first.as_ptr() != under.0
        {
            under = (
                first.as_ptr(),
                scopes
                    .iter()
                    .filter(|s| s.first() == Some(first))
                    .map(Vec::as_slice)
                    .collect(),
            );
        }
        let candidates = if path.is_empty() {
            &[][..]
        } else {
            &under.1[..]
        };
        Some(prov(&node.origin, path, candidates, values))
    };
    let mut path = Vec::new();
    let mut entries = Entries::new();
    for (k, item) in values {
        let key: Rc<str> = Rc::from(k.as_str());
        path.push(key.clone());
        entries.insert(key, values_bridge::convert(item, &mut path, &mut origin_of));
        path.pop();
    }
    let root = Value::Map(Rc::new(RefCell::new(MapData::build(|m| {
        m.entries = entries;
        m.elem = ElemType::Any;
        m.origin = Some(prov(&Origin::Synthetic, &[], &[], values));
        m.values_type = Some(values_type);
        m.nil = false;
    }))));
    share_globals(&root, scopes);
    root
}

/// Helm's charts share the maps two levels under `global` (`global.K.L`, see
/// `crate::merge`): a template that writes into one (`merge .Values.global.a.b …`, `set`)
/// changes it for the templates of every chart rendered after it. Each subchart's map is
/// made its parent's, parents first.
fn share_globals(root: &Value, scopes: &[Vec<Rc<str>>]) {
    let at = |path: &[Rc<str>]| -> Option<Value> {
        path.iter().try_fold(root.clone(), |v, k| match v {
            Value::Map(m) => m.borrow().entries.get(k).cloned(),
            _ => None,
        })
    };
    let global = |scope: &[Rc<str>]| match at(scope) {
        Some(Value::Map(m)) => match m.borrow().entries.get("global") {
            Some(Value::Map(g)) => Some(g.clone()),
            _ => None,
        },
        _ => None,
    };
    let mut ordered: Vec<&Vec<Rc<str>>> = scopes.iter().collect();
    ordered.sort_by_key(|s| s.len());
    for scope in ordered {
        // The chart it belongs to: the longest other scope it is under, or the top level.
        let parent = scopes
            .iter()
            .filter(|p| p.len() < scope.len() && scope[..p.len()] == p[..])
            .max_by_key(|p| p.len())
            .map_or(&[][..], Vec::as_slice);
        let (Some(from), Some(to)) = (global(parent), global(scope)) else {
            continue;
        };
        // A subchart keyed `global` has the parent's `global` for its values: Helm's steps on
        // shared maps made its tables already, and sharing them again would put a map in
        // itself.
        let own_values_are_from = matches!(at(scope), Some(Value::Map(m)) if Rc::ptr_eq(&m, &from));
        if Rc::ptr_eq(&from, &to) || own_values_are_from {
            continue;
        }
        for (k1, shared) in from.borrow().entries.iter() {
            let (Value::Map(shared), Some(Value::Map(target))) =
                (shared, to.borrow().entries.get(k1).cloned())
            else {
                continue;
            };
            if Rc::ptr_eq(shared, &target) {
                continue;
            }
            let mut target = target.borrow_mut();
            for (k2, inner) in shared.borrow().entries.iter() {
                if matches!(inner, Value::Map(_)) && target.entries.contains_key(k2) {
                    target.entries.insert(k2.clone(), inner.clone());
                }
            }
        }
    }
}

fn prov(origin: &Origin, path: &[Rc<str>], scopes: &[&[Rc<str>]], values: &Map) -> Rc<Prov> {
    let scope_len = scopes
        .iter()
        .filter(|s| s.len() <= path.len() && path[..s.len()] == s[..])
        .map(|s| s.len())
        .max()
        .unwrap_or(0);
    let rel = &path[scope_len..];
    // A subchart's `global` is the top-level one pushed down (Helm's coalesceGlobals: the
    // parent's keys win), so the key a user writes for anything in it, or missing from it, is
    // the top-level `global.…`; only a value the user wrote under the subchart's own `global`
    // keeps the path they wrote.
    let in_scope: KeyPath = Rc::from(rel.to_vec());
    // NOTE: where the user's path is the scope's (the top-level chart, a subchart's `global`)
    // both are one allocation: a path per value of the tree is most of the tree's provenance.
    let user_path: KeyPath = if scope_len == 0
        || copied_global(origin, rel, values)
        || (rel.first().is_some_and(|k| k.as_ref() == "global")
            && matches!(origin, Origin::Synthetic | Origin::Chart(_)))
    {
        in_scope.clone()
    } else {
        Rc::from(path.to_vec())
    };
    Rc::new(Prov {
        path: in_scope,
        user_path,
        origin: origin.clone(),
    })
}

/// Whether `rel` (a path inside a subchart) is a `global` key holding the very value the
/// top-level values hold at the same `global.…` path.
fn copied_global(origin: &Origin, rel: &[Rc<str>], values: &Map) -> bool {
    rel.first().is_some_and(|k| k.as_ref() == "global")
        && !matches!(origin, Origin::Synthetic)
        && crate::value::lookup_through_lists(values, rel)
            .is_some_and(|node| node.origin == *origin)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::template::value::IntType;
    use crate::value::Value as NodeValue;

    fn node(v: NodeValue) -> Node {
        Node::new(v, Origin::Synthetic)
    }

    #[test]
    fn paths_are_relative_to_the_innermost_chart() {
        let mut image = Map::new();
        image.insert("tag".into(), node(NodeValue::Str("1".into())));
        let mut kafka = Map::new();
        kafka.insert("image".into(), node(NodeValue::Map(image)));
        kafka.insert("replicas".into(), node(NodeValue::Int(3)));
        kafka.insert("heap".into(), node(NodeValue::Float(1.5)));
        let mut top = Map::new();
        top.insert("kafka".into(), node(NodeValue::Map(kafka)));
        let v = convert(&top, &[vec![Rc::from("kafka")]], "chartutil.Values");
        let Value::Map(m) = v else { panic!() };
        let Value::Map(k) = m.borrow().entries["kafka"].clone() else {
            panic!()
        };
        let Value::Map(i) = k.borrow().entries["image"].clone() else {
            panic!()
        };
        let tag = i.borrow().entries["tag"].origin().unwrap();
        assert_eq!(&*tag.path, &[Rc::from("image"), Rc::from("tag")]);
        assert_eq!(tag.user_path.len(), 3);
        assert!(matches!(
            k.borrow().entries["replicas"],
            Value::Int(3, IntType::Int64, _)
        ));
        assert!(matches!(k.borrow().entries["heap"], Value::Float(..)));
    }

    #[test]
    fn a_subcharts_copy_of_global_names_the_top_level_key() {
        let file = Origin::File {
            key: None,
            value: crate::source::Span::new(crate::source::FileId(0), 3, 9),
        };
        let registry = || Node::new(NodeValue::Str("r.example.com".into()), file.clone());
        let global = || {
            let mut g = Map::new();
            g.insert("imageRegistry".into(), registry());
            node(NodeValue::Map(g))
        };
        let mut kafka = Map::new();
        kafka.insert("global".into(), global());
        let mut top = Map::new();
        top.insert("global".into(), global());
        top.insert("kafka".into(), node(NodeValue::Map(kafka)));
        let v = convert(&top, &[vec![Rc::from("kafka")]], "chartutil.Values");
        let Value::Map(m) = v else { panic!() };
        let Value::Map(k) = m.borrow().entries["kafka"].clone() else {
            panic!()
        };
        let Value::Map(g) = k.borrow().entries["global"].clone() else {
            panic!()
        };
        let prov = g.borrow().entries["imageRegistry"]
            .origin()
            .expect("origin");
        assert_eq!(prov.user_path.join("."), "global.imageRegistry");
        assert_eq!(prov.path.join("."), "global.imageRegistry");
    }
}
