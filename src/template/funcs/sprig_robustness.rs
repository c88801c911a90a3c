//! Every Sprig function against awkward arguments: errors are fine, panics are not.

use super::super::value::{ElemType, IntType, Value};
use super::{Ctx, Func};

fn families() -> Vec<(&'static str, Func)> {
    [
        super::sprig_strings::FUNCS,
        super::sprig_words::FUNCS,
        super::sprig_lists::FUNCS,
        super::sprig_dicts::FUNCS,
        super::sprig_defaults::FUNCS,
        super::sprig_math::FUNCS,
        super::sprig_regex::FUNCS,
        super::sprig_semver::FUNCS,
        super::sprig_encoding::FUNCS,
        super::sprig_hash::FUNCS,
        super::sprig_paths::FUNCS,
        super::sprig_date::FUNCS,
        super::sprig_date_parse::FUNCS,
        super::sprig_crypto::FUNCS,
        super::sprig_certs::FUNCS,
    ]
    .iter()
    .flat_map(|f| f.iter().copied())
    // Key derivation at full cost is slow; its inputs are plain strings.
    .filter(|(n, _)| !matches!(*n, "bcrypt" | "htpasswd"))
    .collect()
}

fn samples() -> Vec<Value> {
    let m = || Value::map([("a".into(), Value::int(1))].into_iter().collect());
    vec![
        Value::Nil,
        Value::str(""),
        Value::str("é-x.1/2*[(\\"),
        Value::str("-1"),
        Value::str("2006-01-02 15:04:05.000 -07:00:00 MST Jan _2 __2 002 PM .999 Z07"),
        Value::str("2024-02-29 13:05:07.123 +02:30:00 PST Mar  5 060 061 PM .5 Z"),
        Value::str(">=1.2.x-0 <2 || ~1 ^0.0 !=3 1 - 2"),
        Value::str("v1.2.3-rc.1+b"),
        Value::str("a(?P<n>x*)[\\d-]{2,}$1${n}"),
        Value::str("9999999999999999999999"),
        Value::int(-1),
        Value::int(0),
        Value::int(i64::MAX),
        Value::int(i64::MIN),
        Value::int64(i64::MIN),
        Value::Int(-1, IntType::Uint64, None),
        Value::float(f64::NAN),
        Value::float(-1e300),
        Value::float(0.5),
        Value::bool(true),
        Value::list(vec![Value::Nil, Value::int(2), Value::str("b")]),
        Value::list(vec![]),
        Value::typed_list(vec![Value::str("a")], ElemType::String),
        Value::Bytes(std::rc::Rc::from(vec![0xff, 0x00])),
        m(),
        Value::empty_map(),
    ]
}

#[test]
fn no_function_panics_on_awkward_arguments() {
    let funcs = families();
    let samples = samples();
    for (name, f) in &funcs {
        let mut ctx = Ctx::default();
        let _ = f(&mut ctx, &[]);
        for a in &samples {
            let _ = f(&mut ctx, std::slice::from_ref(a));
            for b in &samples {
                let _ = f(&mut ctx, &[a.clone(), b.clone()]);
            }
        }
        // Three and four arguments: a sparser grid keeps the test fast.
        for (i, a) in samples.iter().enumerate() {
            for (j, b) in samples.iter().enumerate().skip(i % 3).step_by(3) {
                for c in samples.iter().skip(j % 4).step_by(4) {
                    let _ = f(&mut ctx, &[a.clone(), b.clone(), c.clone()]);
                    let _ = f(&mut ctx, &[c.clone(), a.clone(), b.clone(), a.clone()]);
                }
            }
        }
        let _ = name;
    }
}
