//! Helm's `--set` parser: each line of the input is one argument, applied in order to the same
//! values; a line starting with `s:` is a `--set-string`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use stackstate_lint::value::Map;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let mut values = Map::new();
    for (i, line) in text.split('\n').enumerate() {
        let (arg, string) = match line.strip_prefix("s:") {
            Some(rest) => (rest, true),
            None => (line, false),
        };
        let _ = stackstate_lint::parse_set(arg, &mut values, i + 1, string);
    }
});
