// One-range vectors are the expected mappings here, not a mistaken `Vec` of a range.
#![allow(clippy::single_range_in_vec_init)]

use std::rc::Rc;

use super::*;
use crate::template::value::{KeyPath, Prov, Seg, StrBuf};
use crate::yaml_scalar::{self as locate, Located};

fn prov(key: &str) -> Rc<Prov> {
    let path: KeyPath = key.split('.').map(Rc::from).collect();
    Rc::new(Prov {
        path: path.clone(),
        user_path: path,
        origin: crate::value::Origin::Synthetic,
    })
}

/// A rendered file: `parts` are (text, key) pairs, an empty key for template text.
fn rendered(parts: &[(&str, &str)]) -> StrBuf {
    let mut buf = StrBuf::new();
    for (text, key) in parts {
        if key.is_empty() {
            buf.push_plain(text);
        } else {
            buf.push_with(text, &Some(prov(key)));
        }
    }
    buf
}

fn images_of(buf: &StrBuf) -> Vec<Image> {
    let mut out = Vec::new();
    let actions = walk::Actions::new(&[], &[], 0..0);
    walk::file(
        "c/templates/x.yaml",
        (&buf.text, crate::render::manifest::DocEnds::Trimmed),
        &buf.segs,
        &actions,
        None,
        &mut out,
    );
    out
}

/// `(reference, object, container)` rows.
fn rows(images: &[Image]) -> Vec<(String, String, String)> {
    images
        .iter()
        .map(|i| {
            (
                i.reference.clone(),
                i.object.to_string(),
                i.container.clone(),
            )
        })
        .collect()
}

/// Each part as `kind=text<-key|key…` (`-` for template text; `~` marks an inexact part).
fn origins(img: &Image) -> Vec<String> {
    img.parts
        .iter()
        .map(|p| {
            let keys: Vec<String> = p
                .sources
                .iter()
                .map(|s| match &s.prov {
                    Some(p) => p.path.join("."),
                    None => "-".into(),
                })
                .collect();
            let mark = if p.exact { "" } else { "~" };
            format!(
                "{}={}{mark}<-{}",
                p.kind.name(),
                img.text(p),
                keys.join("|")
            )
        })
        .collect()
}

#[test]
fn every_container_list_of_every_pod_template_kind() {
    let buf = rendered(&[(
        "kind: Deployment\nmetadata:\n  name: d\nspec:\n  template:\n    spec:\n      initContainers:\n      - name: i\n        image: busybox\n      containers:\n      - name: c\n        image: \"r.io/a/b:1\"\n      ephemeralContainers:\n      - name: e\n        image: r.io/dbg@sha256:ab\n---\nkind: CronJob\nmetadata:\n  name: cj\nspec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n          - name: j\n            image: 'x:2'\n---\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: t\n    image: p:3\n  - name: no-image\n---\nkind: Service\nmetadata:\n  name: s\nspec:\n  template:\n    spec: {}\n",
        "",
    )]);
    let s = |a: &str, b: &str, c: &str| (a.to_string(), b.to_string(), c.to_string());
    assert_eq!(
        rows(&images_of(&buf)),
        [
            s("busybox", "Deployment/d", "i"),
            s("r.io/a/b:1", "Deployment/d", "c"),
            s("r.io/dbg@sha256:ab", "Deployment/d", "e"),
            s("x:2", "CronJob/cj", "j"),
            s("p:3", "Pod/p", "t"),
        ]
    );
}

#[test]
fn documents_helm_drops_have_no_images() {
    let buf = rendered(&[(
        "kind: Pod\nmetadata:\n  name: p\n  annotations:\n    helm.sh/hook: nonsense\nspec:\n  containers:\n  - name: t\n    image: p:3\n---\nkind: Pod\nmetadata:\n  name: q\n  annotations:\n    helm.sh/hook: test\nspec:\n  containers:\n  - name: t\n    image: q:3\n",
        "",
    )]);
    let got = rows(&images_of(&buf));
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, "Pod/q");
}

#[test]
fn each_part_names_the_value_it_came_from() {
    let buf = rendered(&[
        (
            "kind: Job\nmetadata:\n  name: j\nspec:\n  template:\n    spec:\n      containers:\n      - name: c\n        image: \"",
            "",
        ),
        ("quay.io", "global.imageRegistry"),
        ("/", ""),
        ("stackstate/wait", "wait.image.repository"),
        (":", ""),
        ("1.0", "wait.image.tag"),
        ("-x\"\n", ""),
    ]);
    let images = images_of(&buf);
    assert_eq!(
        origins(&images[0]),
        [
            "registry=quay.io<-global.imageRegistry",
            "repository=stackstate/wait<-wait.image.repository",
            "tag=1.0-x<-wait.image.tag|-",
        ]
    );
}

#[test]
fn an_escaped_scalar_gives_whole_scalar_origins() {
    let buf = rendered(&[
        (
            "kind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n  - name: c\n    image: \"r.io/a\\u0062:",
            "",
        ),
        ("1", "tag"),
        ("\"\n", ""),
    ]);
    let images = images_of(&buf);
    assert_eq!(images[0].reference, "r.io/ab:1");
    assert_eq!(
        origins(&images[0]),
        ["registry=r.io~<-tag", "repository=ab~<-tag", "tag=1~<-tag"]
    );
}

#[test]
fn manifests_embedded_in_a_configmap_are_read_with_provenance() {
    let buf = rendered(&[
        (
            "kind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  run.sh: |\n    echo image: x\n  job.yaml: |\n    apiVersion: batch/v1\n    kind: Job\n    metadata:\n      name: restore\n    spec:\n      template:\n        spec:\n          containers:\n            - name: restore\n              image: \"r.io/tools:",
            "",
        ),
        ("1.2", "tools.tag"),
        ("\"\n  pvc.yaml: |\n    kind: PersistentVolumeClaim\n", ""),
    ]);
    let images = images_of(&buf);
    assert_eq!(
        rows(&images),
        [(
            "r.io/tools:1.2".to_string(),
            "ConfigMap/scripts>Job/restore".to_string(),
            "restore".to_string()
        )]
    );
    assert_eq!(
        origins(&images[0]),
        [
            "registry=r.io<--",
            "repository=tools<--",
            "tag=1.2<-tools.tag"
        ]
    );
}

/// Only data that names a container list is read as a manifest; a key spelt with an escape
/// still counts.
#[test]
fn embedded_manifests_need_a_container_list_spelt_out_or_escaped() {
    use super::walk::may_hold_containers as has;
    assert!(has("spec:\n  initContainers: []"));
    assert!(has("{\"\\x63ontainers\": []}"));
    assert!(!has("image: x\nkind: Pod\n"));
    let buf = rendered(&[(
        "kind: ConfigMap\nmetadata:\n  name: scripts\ndata:\n  pod.yaml: |\n    kind: Pod\n    metadata:\n      name: p\n    spec:\n      \"\\x63ontainers\":\n        - name: c\n          image: r.io/a:1\n  note: \"image: r.io/b:2\"\n",
        "",
    )]);
    assert_eq!(
        rows(&images_of(&buf)),
        [(
            "r.io/a:1".to_string(),
            "ConfigMap/scripts>Pod/p".to_string(),
            "c".to_string()
        )]
    );
}

#[test]
fn literal_blocks_map_line_by_line() {
    let src = "k: |\n  ab\n\n   c\nnext: 1\n";
    let span = 7..src.find("next").unwrap_or(0);
    let decoded = "ab\n\n c\n";
    let l = locate::scalar(src, span, decoded);
    assert_eq!(l.map(0..2), (vec![7..9], true));
    assert_eq!(l.map(4..6), (vec![13..15], true));
    // A range across lines maps to the line breaks as written.
    assert_eq!(l.map(1..5), (vec![8..11, 13..14], true));
    // Through an outer placement (the document at 100 of a file).
    let outer = Located::identity(100, src.len());
    assert_eq!(l.through(&outer).map(4..6), (vec![113..115], true));
}

#[test]
fn sources_mark_template_text_between_values() {
    let segs = vec![Seg {
        start: 12,
        end: 15,
        prov: prov("a"),
    }];
    let got = sources(&segs, &[10..20], 0..10, true);
    let spans: Vec<(std::ops::Range<usize>, bool)> = got
        .iter()
        .map(|s| (s.range.clone(), s.prov.is_some()))
        .collect();
    assert_eq!(spans, [(0..2, false), (2..5, true), (5..10, false)]);
}

#[test]
fn part_names_are_found_in_any_case_anywhere_in_a_key() {
    use super::contains_ascii_nocase as has;
    assert!(has("imageTag", "tag"));
    assert!(has("TAG", "tag"));
    assert!(has("registryOverride", "registry"));
    assert!(has("xRegistrY", "registry"));
    assert!(has("anything", ""));
    assert!(!has("ta", "tag"));
    assert!(!has("tga", "tag"));
    assert!(!has("", "tag"));
    // Non-ASCII letters are no ASCII case of anything.
    assert!(!has("tÄg", "tag"));
    assert!(has("régistrytag", "tag"));
}

/// The one-pass search finds what a search for each name finds.
#[test]
fn part_names_in_one_pass_are_the_four_searches() {
    let names = [
        "registry",
        "imageRegistry",
        "REPOSITORY",
        "repositorySuffix",
        "tag",
        "imageTag",
        "digest",
        "tagDigest",
        "registryRepository",
        "rEgIsTrYtAg",
        "r",
        "t",
        "d",
        "re",
        "ta",
        "dig",
        "",
        "regist",
        "xtagx",
        "repo",
        "registr",
        "tagtag",
        "digestdigest",
        "é-tag",
    ];
    for name in names {
        let four = [
            PartKind::Registry,
            PartKind::Repository,
            PartKind::Tag,
            PartKind::Digest,
        ]
        .iter()
        .enumerate()
        .filter(|(_, k)| super::contains_ascii_nocase(name, k.name()))
        .fold(0u8, |bits, (i, _)| bits | 1 << i);
        assert_eq!(super::walk::part_names(name), four, "{name}");
    }
}
