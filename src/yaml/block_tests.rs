use std::io::Read;
use std::path::Path;

/// Whether the fast reading, where there is one, is saphyr's to the byte (values, spans,
/// duplicates, scalar spans, errors); `None` when the text is left to saphyr.
fn agrees(text: &str) -> Option<bool> {
    let (fast, slow) = crate::yaml::both_readings(text);
    let fast = fast?;
    Some(format!("{fast:?}") == format!("{slow:?}"))
}

#[track_caller]
fn check(text: &str) {
    let (fast, slow) = crate::yaml::both_readings(text);
    let fast = fast.unwrap_or_else(|| panic!("not read fast: {text:?}"));
    assert_eq!(format!("{fast:?}"), format!("{slow:?}"), "{text:?}");
}

#[test]
fn block_forms_read_as_saphyr_reads_them() {
    for text in [
        "",
        "# only a comment\n",
        "a: 1\nb:\n  c: \"x\"  # hi\n  d:\n  - e\n  - f: g\n    h: |\n      line1\n\n      line2\n    i: |-\n      z\n# c\nj: []\nk: {}\nl:\nm: 'q'\n",
        "a:\n- x\n-\n  b: 1\n- # c\n  d: 2\n-   e: 3\n    f: 4\nl:   # com\nm: 1\nn: |+\n  k\n\np:\n  - |\n    s\n  -\n  - y\nq: \"a\\\"b\\\\c\"   \n# end\n  \n",
        "a: |\n  x\n\n  y",
        "a: |-\n  x\n  ",
        "# c\n\"k\" : 1\nb:\n-\n- z\n- |\n  q\nc: 1",
        "- a\n- b: c\n  d: e\n-\n  - f\n",
        "a: -1\nb: -x\nc: :x\nd: 'it''s'\ne: \"\\u00e9\\x41\\t\"\nf: yes\ng: 0x1F\nh: ~\ni: 1e3\n",
        "a:\n  b:\n    c:\n      d: 1\n  e: 2\nf: 3",
        "a: b#c\nb: http://x:8080/y # z\n",
        "a:\n  b: 1\n  b: 2\n",
        "a: 1\n  # indented comment\nb: 2\n",
        "key with spaces: v\n'q k': 'v'\n",
        "a:\n  - b:\n    - c\n    d: 1\n",
        "a: |\n  #!/bin/sh\n  echo \"x: y\"\n    indented\nb: 1\n",
        "a: |2-\n\n    x\nb: 1\n",
        "a: |\n\n  x\n",
        "a: |\n  x\n    \n  y\n",
        "a:\n- |2\n   x\n",
        "a: |4\n     x\n    y\nb: 1\n",
        "a: \"x\n  y\n\n  z \\\n  w\"\n",
        "a: \"x\\\n\n  y\"\n",
        "a: \"x \\\n  \n\n  y\"\nb: 1\n",
        "a: 'x\n  y'\n",
        "a: [x, \"y\", z ]\n",
        "a:\n  {}\nb: 1\n",
        "a: b  \n  c d \n\n   e\nd: 1\n",
        "a:\n- x\n  y\n- z\n",
        "a: x\n  # c\n",
        "a: é … ü\n",
        "a:\n- \n  b: 1\n",
        "a:\n- # c\n  b: 1\n",
        "a:\n  - # c\n  - x\n",
        "  a: 1\n  b: 2\n",
        "a:\n    b: 1\n    c:\n        - d\n",
        "a[0]: b[c, d{e}\nf,g: h\n",
        "a: \"x\" # c\nb: 'y' # d\n",
        "a:\n  b\n",
        "a:\n  'b'\nc: 1\n",
        "- [a, 'b', \"c\"]\n- []\n",
    ] {
        check(text);
    }
}

#[test]
fn other_forms_are_left_to_saphyr() {
    for text in [
        "a: &x 1\nb: *x\n",
        "a: !!str 1\n",
        "a: {b: 1}\n",
        "a: [1, [2]]\n",
        "a: [1, 2,]\n",
        "a: >\n  folded\n",
        "---\na: 1\n",
        "a: 1\n---\nb: 2\n",
        "a:\tb\n",
        "a: x\u{2028}y\n",
        "<<: {a: 1}\n",
        "a: b: c\n",
        "a: - b\n",
        "? a\n: b\n",
        "plain scalar\n",
        "a: |\n\n   \n  x\n",
        "a  : b\n",
        "a:\n  - x\n  b: 1\n",
        "a: \"open\n",
        "a: b\n  - c\n",
        "a: |-+\n  x\n",
    ] {
        assert_eq!(agrees(text), None, "{text:?}");
    }
    // Two chomping indicators are no header to go-yaml (Helm 3.17.3: "did not find expected
    // comment or line break"); the fast reader took the second as it took the first.
    assert!(crate::yaml::load(crate::FileId(0), "a: |-+\n  x\n", &Default::default()).is_err());
}

/// Every document `helm template` printed for the render suite (real Helm output), and every
/// values file of the suites and fixtures, reads the same both ways; nearly all are read fast.
#[test]
fn real_yaml_reads_the_same_both_ways() {
    let (mut fast, mut all, mut manifests) = (0, 0, 0);
    for_each_real_yaml(&mut |text, manifest| {
        all += 1;
        manifests += usize::from(manifest);
        match agrees(text) {
            Some(true) => fast += 1,
            Some(false) => check(text),
            None => {}
        }
    });
    assert!(manifests > 20_000, "{manifests} manifests");
    assert!(all - manifests > 200, "{} values files", all - manifests);
    assert!(
        fast * 100 > all * 95,
        "only {fast} of {all} texts read fast"
    );
}

/// Hands `f` every document `helm template` printed for the render suite (real Helm output;
/// `true`), then every values file of the suites, fixtures, examples and rules (`false`).
pub(crate) fn for_each_real_yaml(f: &mut dyn FnMut(&str, bool)) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let shared = root.join("../shared");
    let expected = shared.join("render/expected");
    for chart in std::fs::read_dir(&expected)
        .expect("../shared/render/expected")
        .flatten()
    {
        for case in std::fs::read_dir(chart.path())
            .into_iter()
            .flatten()
            .flatten()
        {
            let Ok(gz) = std::fs::read(case.path().join("manifest.yaml.gz")) else {
                continue;
            };
            let mut text = String::new();
            flate2::read::GzDecoder::new(&gz[..])
                .read_to_string(&mut text)
                .unwrap();
            for doc in documents(&text) {
                f(doc, true);
            }
        }
    }
    for dir in [
        shared.join("render/cases"),
        shared.join("conformance"),
        root.join("tests/fixtures"),
        root.join("examples"),
        root.join("rules"),
    ] {
        for entry in walkdir::WalkDir::new(dir).into_iter().flatten() {
            let p = entry.path();
            if p.extension().is_some_and(|e| e == "yaml" || e == "yml")
                && let Ok(text) = std::fs::read_to_string(p)
            {
                f(&text, false);
            }
        }
    }
}

/// The documents of a rendered manifest stream, split at `---` lines. NOTE: Helm's own split
/// lives in the render, a layer above this one; any split serves here, as both readings get
/// the same text.
fn documents(text: &str) -> Vec<&str> {
    let mut docs = Vec::new();
    let (mut start, mut at) = (0, 0);
    for line in text.split_inclusive('\n') {
        if line.starts_with("---") {
            docs.push(&text[start..at]);
            start = at + line.len();
        }
        at += line.len();
    }
    docs.push(&text[start..]);
    docs
}
