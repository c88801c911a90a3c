//! `.Values` for the engine: the merged values tree converted once into template values, every
//! scalar, list and map carrying its [`Prov`].
//!
//! One tree serves every chart of the release, as in Helm: a subchart's `.Values` is the very
//! map the parent sees under the subchart's key, so a template that changes a map (`set`,
//! `merge`) changes it for everyone. Each value's [`Prov::path`] is relative to the innermost
//! chart whose values hold it (`image.tag` in the kafka subchart), [`Prov::user_path`] is the
//! path the user writes from the top-level chart (`kafka.image.tag`).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use crate::template::value::{ElemType, IntType, KeyPath, ListData, MapData, Prov, Str, Value};
use crate::value::{Map, Node, Origin, Value as NodeValue};

/// Converts the release's merged values. `scopes` are the key paths of the subcharts that
/// render (`["kafka"]`, `["kafka", "zookeeper"]`).
pub fn convert(values: &Map, scopes: &[Vec<Rc<str>>]) -> Value {
    let root = Node::new(NodeValue::Null, Origin::Synthetic);
    let mut path = Vec::new();
    convert_map(values, Some(prov(&root, &path, scopes)), &mut path, scopes)
}

fn convert_map(
    m: &Map,
    origin: crate::template::value::Origin,
    path: &mut Vec<Rc<str>>,
    scopes: &[Vec<Rc<str>>],
) -> Value {
    let mut entries = BTreeMap::new();
    for (k, item) in m {
        let key: Rc<str> = Rc::from(k.as_str());
        path.push(key.clone());
        entries.insert(key, convert_node(item, path, scopes));
        path.pop();
    }
    Value::Map(Rc::new(RefCell::new(MapData {
        entries,
        elem: ElemType::Any,
        origin,
    })))
}

fn prov(node: &Node, path: &[Rc<str>], scopes: &[Vec<Rc<str>>]) -> Rc<Prov> {
    let scope_len = scopes
        .iter()
        .filter(|s| s.len() <= path.len() && path[..s.len()] == s[..])
        .map(Vec::len)
        .max()
        .unwrap_or(0);
    let user_path: KeyPath = Rc::from(path.to_vec());
    let rel: KeyPath = Rc::from(path[scope_len..].to_vec());
    Rc::new(Prov {
        path: rel,
        user_path,
        origin: node.origin.clone(),
    })
}

fn convert_node(node: &Node, path: &mut Vec<Rc<str>>, scopes: &[Vec<Rc<str>>]) -> Value {
    let origin = Some(prov(node, path, scopes));
    match &node.value {
        NodeValue::Null => Value::Nil,
        NodeValue::Bool(b) => Value::Bool(*b, origin),
        NodeValue::Int(i) => Value::Int(*i, IntType::Int64, origin),
        NodeValue::Float(f) => Value::Float(*f, origin),
        NodeValue::Str(s) => Value::Str(Str::with_origin(s.as_str(), &origin)),
        NodeValue::Seq(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    path.push(Rc::from(i.to_string()));
                    let v = convert_node(item, path, scopes);
                    path.pop();
                    v
                })
                .collect();
            Value::List(Rc::new(ListData {
                items,
                elem: ElemType::Any,
                origin,
            }))
        }
        NodeValue::Map(m) => convert_map(m, origin, path, scopes),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let v = convert(&top, &[vec![Rc::from("kafka")]]);
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
}
