//! Global budgets and linear cost (issue #11): what one run may read, build and spend is
//! bounded across all its inputs, not per file, and the cost of a lint grows with the input.

mod common;

use std::fmt::Write as _;
use std::time::Duration;

use common::bin::{Scratch, no_panic, run, s};

#[test]
fn twenty_thousand_unknown_keys_lint_in_linear_time() {
    let dir = Scratch::new("budget-unknown-keys");
    let mut text = String::from("stackstate:\n");
    for i in 0..20_000 {
        let _ = writeln!(text, "  unknownKey{i}: {i}");
    }
    let file = dir.file("values.yaml", text);
    let r = run(&["--no-config", "--format", "compact", s(&file)]);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("[SL202]").count(), 20_000);
    // Debug build on a shared machine: about 5 s; the quadratic version took 47 s in release.
    assert!(r.elapsed < Duration::from_secs(30), "{:?}", r.elapsed);
}
