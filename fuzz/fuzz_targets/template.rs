//! The template engine: the input is a template text, optionally followed by a line `---values`
//! and a YAML values document. The template is parsed and executed with a small budget; any
//! outcome but a panic, a hang or an allocation blow-up is fine.
#![no_main]

use std::rc::Rc;

use libfuzzer_sys::fuzz_target;
use stackstate_lint::FileId;
use stackstate_lint::template::value::Value;
use stackstate_lint::template::values_bridge;
use stackstate_lint::template::{Exec, Limits, Templates};

fuzz_target!(|data: &[u8]| {
    // First, so that it ends after the values and the executor: frees maps that hold themselves.
    let _sweep = stackstate_lint::template::cycles::Sweep::new();
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (template, values) = text.split_once("\n---values\n").unwrap_or((text, ""));
    let values = stackstate_lint::yaml::load(FileId(0), values, &Default::default())
        .ok()
        .and_then(|f| f.documents.first().map(|d| values_bridge::values_from_node(d, &[])))
        .unwrap_or_else(Value::empty_map);
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
    let _ = exec.execute("t", Value::map([(Rc::from("Values"), values)].into()));
});
