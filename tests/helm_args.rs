//! Helm's value flags as users paste them from `helm upgrade`: `--set-json`, `--set-literal`,
//! `--set-file` and comma-separated `-f`, with Helm's meaning, order and provenance.
//!
//! The expected values were taken from `helm template` 3.17.3 (and 4 for the JSON object form)
//! on the same arguments.

mod common;

use common::{Run, run_bin, scratch};
use serde_json::Value;

const TAG: &str = "stackstate.components.all.image.tag";

/// The `api` image's tag part (value, origin) from `images --format json`.
fn api_tag(r: &Run) -> (String, String) {
    assert_eq!(r.code, 0, "{}", r.err);
    let v: Value = serde_json::from_str(&r.out).unwrap();
    let api = v["releases"][0]["images"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["component"] == "api")
        .unwrap()
        .clone();
    (
        api["tag"]["value"].as_str().unwrap().to_string(),
        api["tag"]["origin"].as_str().unwrap().to_string(),
    )
}

fn images(dir: &std::path::Path, extra: &[&str]) -> Run {
    let mut args = vec!["images", "--chart-version", "4.4.0", "--format", "json"];
    args.extend_from_slice(extra);
    run_bin(dir, &args, &[])
}

#[test]
fn set_json_values_are_json_numbers_print_like_go() {
    let dir = scratch("set-json");
    let r = images(&dir, &["--set-json", &format!("{TAG}=4.10")]);
    assert_eq!(api_tag(&r), ("4.1".into(), "--set-json #1".into()));
    let r = images(
        &dir,
        &["--set-json", &format!("x=[1,\"a\"],{TAG}=\"4.10\"")],
    );
    assert_eq!(api_tag(&r), ("4.10".into(), "--set-json #1".into()));
    // A blank JSON value is null: the chart default is deleted, and the tag renders empty.
    let r = run_bin(
        &dir,
        &[
            "images",
            "--chart-version",
            "4.4.0",
            "--set-json",
            &format!("{TAG}="),
        ],
        &[],
    );
    assert_eq!(r.code, 1, "{}", r.out);
    assert!(r.err.contains(TAG), "{}", r.err);
}

#[test]
fn set_json_object_form_is_helm_4_only() {
    let dir = scratch("set-json-object");
    let object = r#"{"stackstate":{"components":{"all":{"image":{"tag":"5.0"}}}}}"#;
    let r = images(&dir, &["--helm-version", "4", "--set-json", object]);
    assert_eq!(api_tag(&r), ("5.0".into(), "--set-json #1".into()));
    let r = images(&dir, &["--set-json", object]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.starts_with("error: --set-json #1 `{\"stackstate\""),
        "{}",
        r.err
    );
}

#[test]
fn set_literal_keeps_commas_and_backslashes() {
    // As real Helm 3.17.3 renders it (an image tag would not do: a backslash in it breaks the
    // YAML the 4.x templates build the image from, and the image is gone).
    let dir = scratch("set-literal");
    let r = run_bin(
        &dir,
        &[
            "render",
            "--chart-version",
            "4.4.0",
            "--show-origin",
            "--set-literal",
            "stackstate.baseUrl=http://a,b\\c=d",
            "--set",
            "anomaly-detection.enabled=false,stackstate.license.key=k",
            "--set",
            "stackstate.admin.authentication.password=p,stackstate.authentication.adminPassword=p",
        ],
        &[],
    );
    assert_eq!(r.code, 0, "{}", r.err);
    assert!(
        r.out
            .contains("value: http://a,b\\c=d # --set-literal #1 stackstate.baseUrl\n"),
        "{}",
        r.out
    );
}

#[test]
fn set_file_values_are_the_file_and_point_at_it() {
    let dir = scratch("set-file");
    std::fs::write(dir.join("tag.txt"), "4.4.1").unwrap();
    let r = images(&dir, &["--set-file", &format!("{TAG}=tag.txt")]);
    assert_eq!(api_tag(&r), ("4.4.1".into(), "tag.txt:1:1".into()));
    // A finding on such a value points into the file.
    std::fs::write(dir.join("tag.txt"), "latest").unwrap();
    std::fs::write(
        dir.join("values.yaml"),
        "anomaly-detection:\n  enabled: false\n",
    )
    .unwrap();
    let r = run_bin(
        &dir,
        &[
            "--chart-version",
            "4.4.0",
            "--format",
            "compact",
            "--select",
            "SL103",
            "--set-file",
            &format!("{TAG}=tag.txt"),
            "values.yaml",
        ],
        &[],
    );
    assert!(
        r.out.starts_with("tag.txt:1:1: warning[SL103]"),
        "{}{}",
        r.out,
        r.err
    );
    let r = images(&dir, &["--set-file", &format!("{TAG}=missing.txt")]);
    assert_eq!(r.code, 2);
    assert_eq!(
        r.err,
        format!("error: --set-file #1 `{TAG}=missing.txt`: missing.txt: no such file\n")
    );
}

#[test]
fn flags_apply_in_helms_order_whatever_their_place() {
    let dir = scratch("set-order");
    std::fs::write(dir.join("tag.txt"), "file").unwrap();
    let lit = format!("{TAG}=literal");
    let file = format!("{TAG}=tag.txt");
    let string = format!("{TAG}=string");
    let set = format!("{TAG}=set");
    let json = format!("{TAG}=\"json\"");
    // Helm: values files < --set-json < --set < --set-string < --set-file < --set-literal.
    let all = [
        "--set-literal",
        &lit,
        "--set-file",
        &file,
        "--set-string",
        &string,
        "--set",
        &set,
        "--set-json",
        &json,
    ];
    for (drop, want, origin) in [
        (0, "literal", "--set-literal #1"),
        (2, "file", "tag.txt:1:1"),
        (4, "string", "--set-string #1"),
        (6, "set", "--set #1"),
        (8, "json", "--set-json #1"),
    ] {
        let r = images(&dir, &all[drop..]);
        assert_eq!(
            api_tag(&r),
            (want.to_string(), origin.to_string()),
            "{:?}",
            &all[drop..]
        );
    }
}

#[test]
fn values_files_split_on_commas_like_helm() {
    let dir = scratch("values-commas");
    std::fs::write(dir.join("a.yaml"), format!("{}: a\n", "x")).unwrap();
    std::fs::write(
        dir.join("b.yaml"),
        "stackstate:\n  components:\n    all:\n      image:\n        tag: from-b\n",
    )
    .unwrap();
    let r = images(&dir, &["-f", "a.yaml,b.yaml"]);
    assert_eq!(api_tag(&r), ("from-b".into(), "b.yaml:5:9".into()));
}

/// pflag reads each `-f` value as one CSV record (Helm 3.17.3 and 4.1.4): a quoted name may
/// hold a comma, `""` is a quote, an empty value is no file, and a bare quote is an error.
#[test]
fn values_files_are_read_as_csv_records_like_helm() {
    let dir = scratch("values-csv");
    std::fs::write(
        dir.join("a,b.yaml"),
        "stackstate:\n  components:\n    all:\n      image:\n        tag: from-ab\n",
    )
    .unwrap();
    let r = images(&dir, &["-f", "\"a,b.yaml\"", "-f", ""]);
    assert_eq!(api_tag(&r), ("from-ab".into(), "a,b.yaml:5:9".into()));
    let r = images(&dir, &["-f", "a\"b.yaml"]);
    assert_eq!(r.code, 2);
    assert!(
        r.err.contains(
            r#"invalid argument "a\"b.yaml" for "-f, --values" flag: parse error on line 1, column 2: bare " in non-quoted-field"#
        ),
        "{}",
        r.err
    );
}
