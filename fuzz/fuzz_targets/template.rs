//! The template engine: the input is a template text, optionally followed by a line `---values`
//! and a YAML values document. The template is parsed and executed with a small budget; any
//! outcome but a panic, a hang or an allocation blow-up is fine.
#![no_main]

use std::collections::BTreeMap;
use std::rc::Rc;

use libfuzzer_sys::fuzz_target;
use stackstate_lint::source::FileId;
use stackstate_lint::template::value::Value;
use stackstate_lint::template::{Exec, Limits, Templates};
use stackstate_lint::value::{Node, Value as HelmValue};

fn to_value(node: &Node) -> Value {
    match &node.value {
        HelmValue::Null => Value::Nil,
        HelmValue::Bool(b) => Value::bool(*b),
        HelmValue::Int(n) => Value::int64(*n),
        HelmValue::Float(f) => Value::float(*f),
        HelmValue::Str(s) => Value::str(s.as_str()),
        HelmValue::Seq(items) => Value::list(items.iter().map(to_value).collect()),
        HelmValue::Map(m) => Value::map(
            m.iter()
                .map(|(k, v)| (Rc::from(k.as_str()), to_value(v)))
                .collect(),
        ),
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (template, values) = text.split_once("\n---values\n").unwrap_or((text, ""));
    let values = stackstate_lint::yaml::load(FileId(0), values, &Default::default())
        .ok()
        .and_then(|f| f.documents.first().map(to_value))
        .unwrap_or_else(Value::empty_map);
    let mut top = BTreeMap::new();
    top.insert(Rc::from("Values"), values);
    let mut set = Templates::new();
    if set.parse_file("t", template).is_err() {
        return;
    }
    let limits = Limits {
        fuel: 100_000,
        max_depth: 200,
        max_output: 1 << 20,
    };
    let mut exec = Exec::new(&set, limits);
    let _ = exec.execute("t", Value::map(top));
});
