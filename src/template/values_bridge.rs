//! From the crate's merged values tree ([`crate::value::Node`]) to the template's [`Value`]s,
//! keeping where every value came from.
//!
//! `.Values` of a chart is built here: each scalar, list and map carries a [`Prov`] with its key
//! path in the chart's scope (`image.tag` inside the kafka subchart), the path the user writes
//! (`kafka.image.tag`) and the file span or `--set` argument it came from. `fromYaml` uses the
//! same conversion with origins taken from the string it parsed.

use std::cell::RefCell;
use std::rc::Rc;

use super::value::{ElemType, KeyPath, ListData, MapData, Origin, Prov, Seg, Str, Value};
use crate::template::value::Entries;
use crate::value::{Node, Value as NodeValue};

/// Converts a values tree into template values. `prefix` is the key path of the chart's scope in
/// the top-level chart's values (empty for the top-level chart, `["kafka"]` for the kafka
/// subchart); each value's `Prov::path` is relative to the scope and `Prov::user_path` is
/// `prefix` followed by it. Integers (from `--set`) become `int64`, YAML numbers `float64`.
pub fn values_from_node(node: &Node, prefix: &[Rc<str>]) -> Value {
    let mut path = Vec::new();
    convert(node, &mut path, &mut |node, path| {
        let path: KeyPath = Rc::from(path.to_vec());
        let user_path: KeyPath = prefix.iter().chain(path.iter()).cloned().collect();
        Some(Rc::new(Prov {
            path,
            user_path,
            origin: node.origin.clone(),
        }))
    })
}

/// Converts a tree with origins computed by `origin_of` from the node and its key path.
pub(crate) fn convert(
    node: &Node,
    path: &mut Vec<Rc<str>>,
    origin_of: &mut dyn FnMut(&Node, &[Rc<str>]) -> Origin,
) -> Value {
    convert_traced(node, path, origin_of, &mut |_, _| None)
}

/// [`convert`], where `trace` may give a string scalar its own segments (`fromYaml` tracing a
/// scalar byte by byte to the values its text came from); `None` leaves it the scalar's origin.
pub(crate) fn convert_traced(
    node: &Node,
    path: &mut Vec<Rc<str>>,
    origin_of: &mut dyn FnMut(&Node, &[Rc<str>]) -> Origin,
    trace: &mut dyn FnMut(&Node, &str) -> Option<Str>,
) -> Value {
    let origin = origin_of(node, path);
    match &node.value {
        NodeValue::Seq(items) => {
            let items = items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    path.push(Rc::from(i.to_string()));
                    let v = convert_traced(item, path, origin_of, trace);
                    path.pop();
                    v
                })
                .collect();
            Value::List(Rc::new(ListData {
                items,
                elem: ElemType::Any,
                origin,
                nil: false,
            }))
        }
        NodeValue::Map(m) => {
            let mut entries = Entries::new();
            for (k, item) in m {
                let key: Rc<str> = Rc::from(k.as_str());
                path.push(key.clone());
                entries.insert(key, convert_traced(item, path, origin_of, trace));
                path.pop();
            }
            Value::Map(Rc::new(RefCell::new(MapData::build(|m| {
                m.entries = entries;
                m.elem = ElemType::Any;
                m.origin = origin;
                m.values_type = None;
                m.nil = false;
            }))))
        }
        scalar_value => scalar(scalar_value, origin, |s| trace(node, s)),
    }
}

/// A scalar of a values tree as a template value with `origin`; a string takes the segments
/// `traced` gives it, if any (a map or a list is no scalar: nil).
pub(crate) fn scalar(
    value: &NodeValue,
    origin: Origin,
    traced: impl FnOnce(&str) -> Option<Str>,
) -> Value {
    match value {
        NodeValue::Bool(b) => Value::Bool(*b, origin),
        NodeValue::Int(i) => Value::Int(*i, super::value::IntType::Int64, origin),
        NodeValue::Float(f) => Value::Float(*f, origin),
        NodeValue::Str(s) => {
            Value::Str(traced(s).unwrap_or_else(|| Str::with_origin(s.as_str(), &origin)))
        }
        NodeValue::Null | NodeValue::Seq(_) | NodeValue::Map(_) => Value::Nil,
    }
}

/// The provenance of a scalar read at `span` of `text` (`fromYaml`): that of the first segment
/// of `text` that overlaps it (segments are sorted and disjoint; an empty scalar looks at its
/// first byte).
pub(crate) fn scalar_prov(text: &Str, span: &std::ops::Range<usize>) -> Origin {
    let segs = text.segs();
    let seg = &segs[segs.partition_point(|seg| seg.end as usize <= span.start)..];
    seg.first()
        .filter(|seg| (seg.start as usize) < span.end.max(span.start + 1))
        .map(|seg| seg.prov.clone())
}

/// A scalar read from `source` (the text of `text`, or a prefix of it) with the segments of
/// `text` its bytes came from, for `fromYaml`: `image: "{{ $registry }}/{{ $repo }}:{{ $tag }}"`
/// read back keeps three origins and the template's own bytes none. `None` (the scalar's whole
/// origin applies) when one value and line breaks or indentation are all there is — the scalar
/// came whole from that value, reformatted — or when the scalar cannot be traced byte for byte
/// (escapes, folding).
pub(crate) fn trace_str(text: &Str, source: &str, node: &Node, decoded: &str) -> Option<Str> {
    let span = node.origin.value_span()?;
    trace_span(text, source, span.start..span.end, decoded)
}

/// [`trace_str`] for the scalar at `span` of `source`.
pub(crate) fn trace_span(
    text: &Str,
    source: &str,
    span: std::ops::Range<usize>,
    decoded: &str,
) -> Option<Str> {
    if text.segs().is_empty() || decoded.is_empty() {
        return None;
    }
    // The scalar's bytes are all inside its span: when no segment reaches into the span, or one
    // covers it whole, the answer is `None` without locating each byte (most scalars).
    let segs = text.segs();
    let first = segs.partition_point(|s| (s.end as usize) <= span.start);
    match segs.get(first) {
        None => return None,
        Some(seg) if seg.start as usize >= span.end => return None,
        Some(seg) if seg.start as usize <= span.start && seg.end as usize >= span.end => {
            return None;
        }
        Some(_) => {}
    }
    let located = crate::yaml_scalar::scalar(source, span.start..span.end, decoded);
    let (ranges, exact) = located.map(0..decoded.len());
    if !exact {
        return None;
    }
    let mut out: Vec<Seg> = Vec::new();
    let mut at = 0usize;
    for r in &ranges {
        let first = segs.partition_point(|s| (s.end as usize) <= r.start);
        for seg in segs[first..]
            .iter()
            .take_while(|s| (s.start as usize) < r.end)
        {
            let lo = (seg.start as usize).max(r.start) - r.start + at;
            let hi = (seg.end as usize).min(r.end) - r.start + at;
            match out.last_mut() {
                Some(last) if last.end as usize == lo && Rc::ptr_eq(&last.prov, &seg.prov) => {
                    last.end = hi as u32;
                }
                _ => out.push(Seg {
                    start: lo as u32,
                    end: hi as u32,
                    prov: seg.prov.clone(),
                }),
            }
        }
        at += r.len();
    }
    let one_value = out.windows(2).all(|w| w[0].prov == w[1].prov);
    let mut covered = 0;
    let rest_is_layout = out.iter().all(|seg| {
        let gap = decoded.get(covered..seg.start as usize).unwrap_or("");
        covered = seg.end as usize;
        gap.trim().is_empty()
    }) && decoded.get(covered..).unwrap_or("").trim().is_empty();
    if out.is_empty() || (one_value && rest_is_layout) {
        return None;
    }
    Some(Str::from_parts(decoded, out))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::{FileId, Span};
    use crate::value::Origin as NodeOrigin;

    fn file(start: usize) -> NodeOrigin {
        NodeOrigin::File {
            key: None,
            value: Span::new(FileId(0), start, start + 1),
        }
    }

    #[test]
    fn scalars_lists_and_maps_carry_their_paths() {
        let mut inner = crate::value::Map::new();
        inner.insert(
            "tag".into(),
            Node::new(NodeValue::Str("1.2".into()), file(10)),
        );
        inner.insert(
            "ports".into(),
            Node::new(
                NodeValue::Seq(vec![Node::new(NodeValue::Float(80.0), file(20))]),
                file(18),
            ),
        );
        inner.insert(
            "replicas".into(),
            Node::new(NodeValue::Int(3), NodeOrigin::Synthetic),
        );
        let mut root = crate::value::Map::new();
        root.insert("image".into(), Node::new(NodeValue::Map(inner), file(0)));
        let node = Node::new(NodeValue::Map(root), NodeOrigin::Synthetic);

        let v = values_from_node(&node, &[Rc::from("kafka")]);
        let Value::Map(m) = &v else { panic!("{v:?}") };
        let image = m.borrow().entries["image"].clone();
        let Value::Map(image) = image else { panic!() };
        let image = image.borrow();
        let tag = image.entries["tag"].origin().unwrap();
        assert_eq!(&*tag.path, &[Rc::from("image"), Rc::from("tag")][..]);
        assert_eq!(
            &*tag.user_path,
            &[Rc::from("kafka"), Rc::from("image"), Rc::from("tag")][..]
        );
        assert_eq!(tag.origin, file(10));
        let Value::List(ports) = &image.entries["ports"] else {
            panic!()
        };
        let port = ports.items[0].origin().unwrap();
        assert_eq!(
            &*port.path,
            &[Rc::from("image"), Rc::from("ports"), Rc::from("0")][..]
        );
        assert!(matches!(ports.items[0], Value::Float(f, _) if f == 80.0));
        assert!(matches!(
            image.entries["replicas"],
            Value::Int(3, super::super::value::IntType::Int64, _)
        ));
        assert_eq!(
            &*ports.origin.clone().unwrap().path,
            &[Rc::from("image"), Rc::from("ports")][..]
        );
        assert_eq!(image.origin.clone().unwrap().path.len(), 1);
    }
}
