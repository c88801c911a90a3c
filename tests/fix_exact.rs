//! `--fix` is byte-exact around block scalars, flow collections, anchors and CRLF line ends, and
//! a fix whose result reads back with any other value changed is not applied (issue #11).

mod common;

use std::path::Path;

use common::bin::{Scratch, no_panic, run, s};

fn fix(file: &Path, extra: &[&str]) -> common::bin::Run {
    // One rule at a time: SL002 would also write the exporter's repository.
    let mut args = vec![
        "--fix",
        "--no-config",
        "--chart-version",
        "4.4.0",
        "--select",
        "SL006,SL104",
    ];
    args.extend(extra);
    args.push(s(file));
    let r = run(&args);
    no_panic(&r);
    r
}

#[test]
fn a_block_scalar_keeps_the_line_break_after_it() {
    let dir = Scratch::new("exact-block");
    // Once, the edit ate the line break: `r.example.comstackstate:` moved `stackstate` under
    // `global`, the file still parsed, and the run said "fixed".
    for (style, fixable) in [(">-", true), ("|-", true), ("|", false), (">", false)] {
        let before = format!(
            "global:\n  imageRegistry: {style}\n    https://r.example.com\nstackstate:\n  components:\n    all:\n      image:\n        tag: \"4.4.0\"\n"
        );
        let file = dir.file("values.yaml", &before);
        let r = fix(&file, &[]);
        let after = std::fs::read_to_string(&file).unwrap();
        // A clipped scalar keeps its final line break whatever the line says: the value cannot
        // become a registry by editing the line, so the fix is not applied at all.
        let want = if fixable {
            before.replace("https://r.example.com", "r.example.com")
        } else {
            before.clone()
        };
        assert_eq!(after, want, "{style}: {}", r.stderr);
    }
}

#[test]
fn flow_collections_stay_flow_and_parse() {
    let dir = Scratch::new("exact-flow");
    let file = dir.file(
        "values.yaml",
        "global: {imageRegistry: \"https://r.example.com\", imagePullSecrets: []}\nstackstate: {components: {all: {image: {tag: 4.10}}}}\n",
    );
    let r = fix(&file, &[]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        // The value the user quoted stays quoted.
        "global: {imageRegistry: \"r.example.com\", imagePullSecrets: []}\nstackstate: {components: {all: {image: {tag: \"4.10\"}}}}\n",
        "{}",
        r.stderr
    );
}

#[test]
fn a_fix_through_an_anchor_that_would_change_another_key_is_refused() {
    let dir = Scratch::new("exact-anchor");
    let before = "global:\n  imageRegistry: &reg https://r.example.com\nmirrorOf: *reg\n";
    let file = dir.file("values.yaml", before);
    let r = fix(&file, &["--unsafe-fixes"]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before,
        "{}",
        r.stderr
    );
    assert!(!r.stderr.contains("fixed"), "{}", r.stderr);
    // An alias is replaced by the literal: the anchored key keeps its value.
    let before = "upstream: &reg https://r.example.com\nglobal:\n  imageRegistry: *reg\n";
    let file = dir.file("values.yaml", before);
    let r = fix(&file, &[]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "upstream: &reg https://r.example.com\nglobal:\n  imageRegistry: r.example.com\n",
        "{}",
        r.stderr
    );
}

#[test]
fn quoting_an_anchored_value_quotes_its_aliases_too() {
    let dir = Scratch::new("exact-anchor-quote");
    // The alias reads the anchored scalar: once quoted, both render `7.10` (Helm 3.17.3 renders
    // `7.1` for both before). The fix was refused for changing the alias's value.
    let before = "stackstate:\n  components:\n    all:\n      image:\n        tag: &t 7.10   # one for all\n    server:\n      image:\n        tag: *t\n";
    let file = dir.file("values.yaml", before);
    let r = fix(&file, &[]);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        before.replace("&t 7.10", "&t \"7.10\""),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("fixed 1 finding(s)"), "{}", r.stderr);
}

#[test]
fn a_fix_keeps_the_quotes_the_user_wrote_and_json_stays_json() {
    let dir = Scratch::new("exact-quotes");
    let yaml = dir.file(
        "values.yaml",
        "global:\n  imageRegistry: 'https://r.example.com/'   # quoted on purpose\n",
    );
    let r = fix(&yaml, &[]);
    assert_eq!(
        std::fs::read_to_string(&yaml).unwrap(),
        "global:\n  imageRegistry: 'r.example.com'   # quoted on purpose\n",
        "{}",
        r.stderr
    );
    let json = dir.file(
        "values.json",
        "{\"global\": {\"imageRegistry\": \"https://r.example.com/\"}}\n",
    );
    let r = fix(&json, &[]);
    assert_eq!(
        std::fs::read_to_string(&json).unwrap(),
        "{\"global\": {\"imageRegistry\": \"r.example.com\"}}\n",
        "{}",
        r.stderr
    );
}

#[test]
fn crlf_files_get_crlf_lines() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/fix");
    let dir = Scratch::new("exact-crlf");
    let mut cases = 0;
    for case in std::fs::read_dir(&root).unwrap() {
        let case = case.unwrap().path();
        let crlf = |name: &str| {
            std::fs::read_to_string(case.join(name))
                .unwrap()
                .replace('\n', "\r\n")
        };
        let args: Vec<String> = std::fs::read_to_string(case.join("args"))
            .unwrap_or_default()
            .split_whitespace()
            .map(String::from)
            .collect();
        let file = dir.file("values.yaml", crlf("before.yaml"));
        let mut all = vec!["--fix", "--no-config"];
        all.extend(args.iter().map(String::as_str));
        all.push(s(&file));
        let r = run(&all);
        no_panic(&r);
        let after = std::fs::read_to_string(&file).unwrap();
        assert_eq!(
            after,
            crlf("after.yaml"),
            "{}: {}",
            case.display(),
            r.stderr
        );
        assert!(
            !after.replace("\r\n", "").contains('\n'),
            "{}",
            case.display()
        );
        cases += 1;
    }
    assert!(cases >= 5);
}

#[test]
fn values_with_line_breaks_and_shell_text_beside_a_fix_stay_as_written() {
    let dir = Scratch::new("exact-neighbours");
    // Each fixed key sits between values a careless edit or a shell would change: an escaped
    // line break, a quoted `$(…)`, a literal block holding a command, a plain `;` and backticks.
    let before = concat!(
        "note: \"first\\nsecond $(touch pwned-a)\"\n",
        "global:\n",
        "  imageRegistry: https://r.example.com\n",
        "  shell: '$(touch pwned-b) `touch pwned-c`'\n",
        "stackstate:\n",
        "  components:\n",
        "    all:\n",
        "      extraEnv:\n",
        "        open:\n",
        "          SCRIPT: |\n",
        "            echo $(touch pwned-d)\n",
        "            a; touch pwned-e\n",
        "      image:\n",
        "        tag: 4.10\n",
        "      after: \"x\\ty\\r\\nz\"\n",
    );
    let file = dir.file("values.yaml", before);
    let r = fix(&file, &["--unsafe-fixes"]);
    let want = before
        .replace("https://r.example.com", "r.example.com")
        .replace("tag: 4.10", "tag: \"4.10\"");
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        want,
        "{}",
        r.stderr
    );
    for name in ["pwned-a", "pwned-b", "pwned-c", "pwned-d", "pwned-e"] {
        assert!(!dir.path(name).exists(), "{name} was created");
        assert!(!Path::new(name).exists(), "{name} was created");
    }
}

#[test]
fn an_inserted_block_steps_as_the_file_indents() {
    let dir = Scratch::new("exact-indent");
    // A file indented by 4: the exporter's repository goes in at 4 per level (it got 2).
    let before = "global:\n    imageRegistry: r.example.com\nelasticsearch:\n    replicas: 1\n";
    let file = dir.file("values.yaml", before);
    let r = run(&[
        "--fix",
        "--no-config",
        "--chart-version",
        "4.4.0",
        "--select",
        "SL002",
        s(&file),
    ]);
    no_panic(&r);
    assert_eq!(
        std::fs::read_to_string(&file).unwrap(),
        "global:\n    imageRegistry: r.example.com\nelasticsearch:\n    replicas: 1\n    prometheus-elasticsearch-exporter:\n        image:\n            repository: r.example.com/stackstate/elasticsearch-exporter\n",
        "{}",
        r.stderr
    );
}
