//! Where a finished node goes: a closed collection becomes a node, and a node joins its parent
//! as a sequence item, a mapping key, or the value of the key read before it. Here go-yaml's
//! mapping rules apply: `<<` merge keys in document order, the last of duplicate keys wins (and
//! is reported), every null key of a map held under one key until the document ends.

use super::builder::{Builder, Frame};
use super::{Duplicate, KeyProblem, MAX_DUPLICATES, YamlError};
use crate::source::Span;
use crate::value::{Map, Node, Origin, Value};

impl<'a> Builder<'a> {
    pub(super) fn close(&mut self, end: Span) -> Result<(), YamlError> {
        let Some(frame) = self.frames.pop() else {
            return Ok(());
        };
        let (value, start, anchor, key) = match frame {
            Frame::Map {
                map,
                start,
                anchor,
                key_origin,
                ..
            } => (Value::Map(map), start, anchor, key_origin),
            Frame::Seq {
                items,
                start,
                anchor,
                key_origin,
                ..
            } => (Value::Seq(items), start, anchor, key_origin),
        };
        let span = Span::new(self.file, start, end.end.max(start));
        let value = match value {
            Value::Map(m) if !m.is_empty() => {
                self.count(crate::budget::MAP_EXTRA, span)?;
                Value::Map(m)
            }
            // Growing by doubling leaves up to half of a list's room unused.
            Value::Seq(mut items) => {
                items.shrink_to_fit();
                Value::Seq(items)
            }
            other => other,
        };
        let node = Node::new(value, Origin::File { key, value: span });
        if anchor > 0 {
            self.out.has_properties = true;
            // NOTE: the copy kept for aliases costs as much as the collection: nested anchors
            // would otherwise copy the same large subtree once per level.
            self.count(node_count(&node), span)?;
            self.anchors.insert(anchor, node.clone());
        }
        let empty = match &node.value {
            Value::Map(m) => m.is_empty(),
            Value::Seq(items) => items.is_empty(),
            _ => false,
        };
        if empty && let Some(e) = self.empty_flow_key_lost(start) {
            return Err(e);
        }
        self.push(node, span, false)
    }

    pub(super) fn push(
        &mut self,
        node: Node,
        span: Span,
        is_merge_key: bool,
    ) -> Result<(), YamlError> {
        let Some((frame, parents)) = self.frames.split_last_mut() else {
            self.out.documents.push(node);
            return Ok(());
        };
        match frame {
            Frame::Seq { items, .. } => items.push(node),
            Frame::Map {
                map,
                pending,
                merged,
                start,
                ..
            } => match pending.take() {
                None => {
                    let key = match node.value {
                        // Most keys: the text itself, not copied again.
                        Value::Str(key) => key,
                        _ => match key_string(&node.value) {
                            Some(key) => key,
                            None => {
                                self.decode_error.get_or_insert_with(|| YamlError::Key {
                                    message: "a map or list used as a key: Helm cannot read \
                                              this (\"invalid map key\")"
                                        .into(),
                                    span,
                                    problem: KeyProblem::Complex {
                                        key: Box::new(node.clone()),
                                    },
                                });
                                // Read on for a syntax error; the document fails either way.
                                format!("\0{}", span.start)
                            }
                        },
                    };
                    let key = if is_merge_key {
                        MERGE_KEY.to_string()
                    } else {
                        key
                    };
                    *pending = Some((key, span));
                    return Ok(());
                }
                Some((key, key_span)) => {
                    // NOTE: go-yaml stores every null key of a map under the one nil key, so
                    // the value the JSON step names is the last one the map read.
                    if let Some(bad) = &mut self.bad_key
                        && bad.map_start == *start
                        && key == bad.held_as
                        && let KeyProblem::Null { value } | KeyProblem::Uint { value, .. } =
                            &mut bad.problem
                    {
                        *value = Some(Box::new(node.clone()));
                    }
                    if key == MERGE_KEY {
                        if let Value::Map(m) = &node.value {
                            merged.extend(m.keys().cloned());
                        } else if let Value::Seq(items) = &node.value {
                            merged.extend(
                                items
                                    .iter()
                                    .filter_map(Node::as_map)
                                    .flat_map(|m| m.keys().cloned()),
                            );
                        }
                        if let Err(e) = merge_into(map, node, span) {
                            self.decode_error.get_or_insert(e);
                        }
                    } else if let Some(i) = merged.iter().position(|k| *k == key) {
                        merged.swap_remove(i);
                        map.insert(key, node);
                    } else if let Some(old) = map.get(&key) {
                        let dropped = old.origin.user_span().unwrap_or(key_span);
                        // Each report copies its whole key path: keep a bounded number of them.
                        if self.out.duplicates.len() < MAX_DUPLICATES {
                            let mut path = path_to(parents);
                            path.push(key.clone());
                            self.out.duplicates.push(Duplicate {
                                path,
                                dropped,
                                kept: key_span,
                            });
                        }
                        map.insert(key, node);
                    } else {
                        map.insert(key, node);
                    }
                }
            },
        }
        Ok(())
    }
}

/// The key path to a collection from the collections open around it, outermost first: the key
/// a mapping is reading the value of, the index a sequence is at. Built only for a duplicate
/// report (was kept up to date for every collection read, a string each).
fn path_to(parents: &[Frame]) -> Vec<String> {
    parents
        .iter()
        .filter_map(|f| match f {
            Frame::Map {
                pending: Some((k, _)),
                ..
            } => Some(k.clone()),
            Frame::Map { .. } => None,
            Frame::Seq { items, .. } => Some(format!("[{}]", items.len())),
        })
        .collect()
}

impl Builder<'_> {
    /// go-yaml v2 merges an alias only of a map: an alias of a list under `<<` fails, where a
    /// list of aliases (`[*a, *b]`) merges.
    pub(super) fn refuse_aliased_list_merge(
        &self,
        node: &Node,
        span: Span,
    ) -> Result<(), YamlError> {
        if self.merging() && matches!(node.value, Value::Seq(_)) {
            return Err(YamlError::Unsupported {
                message: "map merge requires map or sequence of maps as the value: a `<<` \
                          merge key takes an alias of a map, not of a list (list the aliases \
                          instead, `<<: [*a, *b]`)"
                    .into(),
                span,
            });
        }
        Ok(())
    }
}

/// Internal marker for a `<<` merge key (a plain `<<` scalar).
pub(super) const MERGE_KEY: &str = "\u{0}<<";

/// Applies a `<<` value to `map` the way go-yaml v2 does: in document order, so keys that come
/// later in the mapping override merged ones.
fn merge_into(map: &mut Map, node: Node, span: Span) -> Result<(), YamlError> {
    match node.value {
        Value::Map(m) => {
            map.extend(m);
            Ok(())
        }
        Value::Seq(items) => {
            // Earlier maps in the list take precedence: apply them last.
            for item in items.into_iter().rev() {
                match item.value {
                    Value::Map(m) => map.extend(m),
                    _ => return Err(merge_error(span)),
                }
            }
            Ok(())
        }
        _ => Err(merge_error(span)),
    }
}

fn merge_error(span: Span) -> YamlError {
    YamlError::Unsupported {
        message: "map merge requires map or sequence of maps as the value (a `<<` merge key)"
            .into(),
        span,
    }
}

pub(super) fn node_count(node: &Node) -> usize {
    1 + match &node.value {
        Value::Map(m) if !m.is_empty() => {
            crate::budget::MAP_EXTRA + m.values().map(node_count).sum::<usize>()
        }
        Value::Map(_) => 0,
        Value::Seq(s) => s.iter().map(node_count).sum(),
        _ => 0,
    }
}

/// The string a key becomes after Helm's YAML→JSON step.
fn key_string(v: &Value) -> Option<String> {
    match v {
        Value::Map(_) | Value::Seq(_) => None,
        Value::Null => Some("null".into()),
        other => other.render(),
    }
}
