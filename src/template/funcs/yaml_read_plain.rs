//! `fromYaml` of a plain block text (what templates print, nearly every text a chart reads
//! back) built straight into template values from the loader's steps
//! ([`crate::yaml::plain_block`]), instead of the loader's tree converted and dropped. Each
//! value is the one the loader's tree converts to (see `helm_yaml::parse_first_document`).

use std::rc::Rc;

use super::super::value::{Str, Value};
use super::super::values_bridge;
use crate::template::value::Entries;
use crate::yaml::plain_block::Step;

/// A collection being read.
enum Open {
    Map(Entries, Option<Rc<str>>),
    List(Vec<Value>),
}

/// The first document of `source` (`text`, or its prefix) as `fromYaml` reads it, with the
/// provenance of `text`; `None` when the loader must read it.
pub(super) fn read(text: &Str, source: &str, limits: &crate::yaml::Limits) -> Option<Value> {
    // Without a final line break a block scalar that ends the text keeps none (see
    // `helm_yaml::unbreak_final_block_scalar`).
    let unbreak = !source.ends_with(['\n', '\r']);
    let mut open: Vec<Open> = Vec::new();
    let mut root = Value::Nil;
    let place = |open: &mut Vec<Open>, root: &mut Value, v: Value| match open.last_mut() {
        Some(Open::Map(entries, key)) => {
            if let Some(key) = key.take() {
                entries.insert(key, v);
            }
        }
        Some(Open::List(items)) => items.push(v),
        None => *root = v,
    };
    crate::yaml::plain_block::read(source, limits, &mut |step| match step {
        Step::MapStart => open.push(Open::Map(Entries::new(), None)),
        Step::SeqStart => open.push(Open::List(Vec::new())),
        Step::Key(key) => {
            if let Some(Open::Map(_, pending)) = open.last_mut() {
                *pending = Some(Rc::from(key));
            }
        }
        Step::End => {
            let v = match open.pop() {
                Some(Open::Map(entries, _)) => Value::map(entries),
                Some(Open::List(items)) => Value::list(items),
                None => return,
            };
            place(&mut open, &mut root, v);
        }
        Step::Scalar(mut value, span) => {
            if unbreak
                && span.end == source.len()
                && crate::yaml_scalar::is_block_scalar(source, span.start)
                && let crate::value::Value::Str(s) = &mut value
                && s.ends_with('\n')
            {
                s.pop();
            }
            let origin = values_bridge::scalar_prov(text, &span);
            let v = values_bridge::scalar(&value, origin, |decoded| {
                values_bridge::trace_span(text, source, span.clone(), decoded)
            });
            place(&mut open, &mut root, v);
        }
    })?;
    Some(root)
}

/// Whether two readings are the same values with the same provenance (the same `Prov`s, not
/// equal ones): the check, in builds with debug assertions (every test), that [`read`] gives
/// what the loader's tree converts to.
pub(super) fn same_reading(a: &Value, b: &Value) -> bool {
    use super::super::value::same_origin;
    match (a, b) {
        (Value::Str(x), Value::Str(y)) => {
            x.as_str() == y.as_str()
                && x.segs().len() == y.segs().len()
                && x.segs().iter().zip(y.segs()).all(|(s, t)| {
                    s.start == t.start && s.end == t.end && Rc::ptr_eq(&s.prov, &t.prov)
                })
        }
        (Value::List(x), Value::List(y)) => {
            x.elem == y.elem
                && x.nil == y.nil
                && same_origin(&x.origin, &y.origin)
                && x.items.len() == y.items.len()
                && x.items
                    .iter()
                    .zip(&y.items)
                    .all(|(v, w)| same_reading(v, w))
        }
        (Value::Map(x), Value::Map(y)) => {
            let (x, y) = (x.borrow(), y.borrow());
            x.elem == y.elem
                && x.nil == y.nil
                && x.values_type == y.values_type
                && same_origin(&x.origin, &y.origin)
                && x.entries.len() == y.entries.len()
                && x.entries
                    .iter()
                    .zip(&y.entries)
                    .all(|((k, v), (l, w))| k == l && same_reading(v, w))
        }
        // Nil, booleans and numbers: the same value from the same origin.
        _ => super::super::value::identical(a, b),
    }
}

#[cfg(test)]
mod tests {
    use super::super::super::value::{Prov, Seg};
    use super::*;

    /// Provenance in runs of five bytes, from two values in turn, with a byte between runs
    /// that came from the template.
    fn in_runs(s: &str, provs: &[Rc<Prov>]) -> Str {
        let segs = (0..s.len())
            .step_by(6)
            .enumerate()
            .map(|(i, start)| Seg {
                start: start as u32,
                end: (start + 5).min(s.len()) as u32,
                prov: provs[i % provs.len()].clone(),
            })
            .collect();
        Str::from_parts(s, segs)
    }

    /// Every real YAML text (each document Helm printed for the render suite, each values file
    /// of the suites and fixtures; with and without its final line break) read by `fromYaml`
    /// with provenance whole, in runs and none: the plain reading gives what the loader gives,
    /// and reads nearly every text.
    #[test]
    fn the_plain_reading_is_the_loaders() {
        let provs: Vec<Rc<Prov>> = ["a", "b"]
            .iter()
            .map(|k| {
                let path: super::super::super::value::KeyPath = Rc::from(vec![Rc::from(*k)]);
                Rc::new(Prov {
                    path: path.clone(),
                    user_path: path,
                    origin: crate::value::Origin::Synthetic,
                })
            })
            .collect();
        let limits = crate::yaml::Limits::default();
        let (mut plain, mut all) = (0usize, 0usize);
        let mut check = |s: &str| {
            let mut texts = vec![Str::new(s), Str::with_origin(s, &Some(provs[0].clone()))];
            if s.is_ascii() {
                texts.push(in_runs(s, &provs));
            }
            for text in texts {
                all += 1;
                let Some(v) = read(&text, s, &limits) else {
                    continue;
                };
                plain += 1;
                let loaded = super::super::helm_yaml::load_first_document(&text, s, &limits)
                    .unwrap_or_else(|e| panic!("the loader refuses what was read plain: {e}\n{s}"));
                assert!(same_reading(&loaded, &v), "{s}");
            }
        };
        crate::yaml::block_tests::for_each_real_yaml(&mut |s, _| {
            check(s);
            // Without its final line break, as `include` output often is.
            if let Some(cut) = s.strip_suffix('\n') {
                check(cut);
            }
        });
        assert!(all > 120_000, "{all} texts");
        assert!(plain * 100 > all * 90, "only {plain} of {all} read plain");
    }

    /// What needs the loader's judgement is left to it, whole.
    #[test]
    fn the_loader_reads_what_is_not_plain() {
        let limits = crate::yaml::Limits::default();
        for s in [
            "a: &x 1\nb: *x\n",
            "base: {a: 1}\nm:\n  <<: {b: 2}\n",
            "m:\n  <<: 1\n",
            "~: 1\n",
            "a:\n  null: 1\n",
            "a: .inf\n",
            "a: \"x\\/y\"\n",
            "a: !!int 1\n",
            "%YAML 1.1\n---\na: 1\n",
            "a: 1\n---\nb: 2\n",
            "a:\tb\n",
        ] {
            assert!(read(&Str::new(s), s, &limits).is_none(), "{s:?}");
        }
        let s = "a:\n  b:\n  - 1\n  - \"2\"\n  c: {}\n";
        let Some(Value::Map(m)) = read(&Str::new(s), s, &limits) else {
            panic!("{s:?} read plain");
        };
        assert!(m.borrow().entries.contains_key("a"));
    }
}
