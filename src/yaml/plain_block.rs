//! The loader's reading of a plain block text (what templates print) handed over step by step,
//! for a caller that builds values of its own from it (`fromYaml` builds template values) and
//! so need not build the loader's tree, convert it and drop it (a tenth of a render).
//!
//! Only texts whose reading is plain are read here: the fast block reader reads the text, and
//! no scalar, key or limit needs the loader's judgement (merge keys, null keys, keys that are
//! not strings, scalars the typing refuses, `\/` escapes, anything over a bound). Otherwise
//! [`read`] gives `None` before any value counts, and the caller loads the text with
//! [`super::load`], which reads it the same way or reports why not. What is read here is
//! exactly what [`super::load`] would give: the same fast reader's events, typed by the same
//! functions, charged to the run's budget the same way.

use saphyr_parser::ScalarStyle;

use super::Limits;
use super::builder::{quoted_end, slash_escape};
use super::resolve::{resolve_plain, resolve_tagged};
use crate::value::Value;
use crate::yaml_block::Event;

/// One step of the document.
pub(crate) enum Step {
    /// A mapping opens.
    MapStart,
    /// A sequence opens.
    SeqStart,
    /// The innermost mapping or sequence closes.
    End,
    /// A mapping's next key, as Helm's JSON step spells it.
    Key(String),
    /// A scalar value as Helm types it (never a map or a list), and its span in the text (a
    /// quoted one cut at its closing quote, as the loader's origins are).
    Scalar(Value, std::ops::Range<usize>),
}

/// What is open around the step being read.
enum Open {
    /// A mapping: whether its next scalar is a key, and whether it holds an entry.
    Map {
        key_next: bool,
        filled: bool,
    },
    Seq,
}

/// Reads `text` as [`super::load`] would with `limits`, handing each step to `step`, or gives
/// `None` (having charged nothing) when the loader must read the text itself. An empty text
/// hands no step.
pub(crate) fn read(text: &str, limits: &Limits, step: &mut dyn FnMut(Step)) -> Option<()> {
    if text.len() > limits.max_bytes
        || crate::yaml_breaks::rewrite(text).is_some()
        || crate::yaml_gap::before_first_document(text).is_some()
    {
        return None;
    }
    let ticket = crate::budget::ticket(crate::budget::Pool::Nodes, None);
    let events = crate::yaml_block::events(text)?;
    let mut open: Vec<Open> = Vec::new();
    let mut nodes = 0usize;
    for e in events {
        // A value placed in the innermost mapping fills it and makes its next scalar a key.
        let expects_key = matches!(open.last(), Some(Open::Map { key_next: true, .. }));
        match e.event {
            Event::MappingStart | Event::SequenceStart => {
                // A collection as a key is refused by the loader; depth is its to bound.
                if expects_key || open.len() >= limits.max_depth {
                    return None;
                }
                nodes += 1;
                placed(&mut open);
                let (frame, opened) = match e.event {
                    Event::MappingStart => (
                        Open::Map {
                            key_next: true,
                            filled: false,
                        },
                        Step::MapStart,
                    ),
                    _ => (Open::Seq, Step::SeqStart),
                };
                open.push(frame);
                step(opened);
            }
            Event::MappingEnd | Event::SequenceEnd => {
                if let Some(Open::Map { filled: true, .. }) = open.pop() {
                    nodes += crate::budget::MAP_EXTRA;
                }
                step(Step::End);
            }
            Event::Scalar(value, style) => {
                let end = quoted_end(text, e.start, e.end, style);
                if matches!(style, ScalarStyle::DoubleQuoted)
                    && value.contains('/')
                    && slash_escape(&text[e.start..end.min(text.len())])
                {
                    return None;
                }
                let plain = matches!(style, ScalarStyle::Plain);
                nodes += 1;
                if expects_key {
                    if plain && value == "<<" {
                        return None;
                    }
                    let key = crate::yaml_key::key_string(&value, plain, None).ok()?;
                    if let Some(Open::Map { key_next, .. }) = open.last_mut() {
                        *key_next = false;
                    }
                    step(Step::Key(key));
                } else {
                    let typed = if plain {
                        resolve_plain(&value, None)
                    } else {
                        resolve_tagged(&value, None)
                    };
                    placed(&mut open);
                    step(Step::Scalar(typed.ok()?, e.start..end));
                }
            }
        }
    }
    // The loader checks its bounds as it goes; the count only grows, so the end decides.
    if nodes > limits.max_nodes || nodes > ticket.nodes_left {
        return None;
    }
    ticket.charge(nodes);
    Some(())
}

/// A value was placed in the innermost collection.
fn placed(open: &mut [Open]) {
    if let Some(Open::Map { key_next, filled }) = open.last_mut() {
        *key_next = true;
        *filled = true;
    }
}
