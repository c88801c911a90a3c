//! `upgrade`, end to end: the images to mirror before an upgrade are what Helm 3.17.3 pulls
//! after it and not before (`../shared/render`'s image lists of both charts, for every case
//! both render), the new findings, the formats and the usage errors.

mod common;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use common::{run_bin, scratch};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

/// `../shared/render/expected`, when it is there.
fn render_suite() -> Option<PathBuf> {
    let p = root().join("../shared/render/expected");
    p.is_dir().then_some(p)
}

/// The cmd file's words after `NAME CHART` (the `-f` and `--set` arguments; no word is quoted
/// in the cases of the two pairs below).
fn case_args(dir: &Path) -> Vec<String> {
    let cmd = std::fs::read_to_string(dir.join("cmd")).unwrap();
    assert!(!cmd.contains('\''), "{cmd}");
    cmd.split_whitespace().skip(2).map(String::from).collect()
}

/// The distinct images of an `images.tsv`.
fn images(dir: &Path) -> BTreeSet<String> {
    std::fs::read_to_string(dir.join("images.tsv"))
        .unwrap()
        .lines()
        .filter_map(|l| l.split('\t').next().map(String::from))
        .collect()
}

#[test]
fn the_images_to_mirror_are_what_helm_pulls_after_the_upgrade_and_not_before() {
    let Some(expected) = render_suite() else {
        eprintln!("skipped: ../shared/render is not there");
        return;
    };
    let suite_root = expected.join("../../..");
    let mut checked = 0;
    for (before, after, from, to) in [
        (
            "stackstate-4.5.0",
            "stackstate-5.1.15",
            "4.5.0",
            "stackstate@5.1.15",
        ),
        (
            "stackstate-k8s-1.12.1",
            "suse-observability-2.0.1",
            "stackstate-k8s@1.12.1",
            "suse-observability@2.0.1",
        ),
    ] {
        let mut cases: Vec<_> = std::fs::read_dir(expected.join(before))
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        cases.sort();
        for case in cases {
            let (b, a) = (
                expected.join(before).join(&case),
                expected.join(after).join(&case),
            );
            let rc = |d: &Path| std::fs::read_to_string(d.join("rc")).unwrap_or_default();
            if rc(&b).trim() != "0" || rc(&a).trim() != "0" {
                continue;
            }
            let args = case_args(&b);
            let mut argv = vec!["upgrade", "--chart-version", from, "--to", to];
            argv.extend(["--format", "json", "--no-config"]);
            argv.extend(args.iter().map(String::as_str));
            let run = run_bin(&suite_root, &argv, &[]);
            let what = format!("{before} → {after}, {}", case.to_string_lossy());
            assert!(run.code == 0 || run.code == 1, "{what}: {}", run.err);
            let doc: serde_json::Value = serde_json::from_str(&run.out).expect(&what);
            let release = &doc["releases"][0];
            let want: Vec<String> = images(&a).difference(&images(&b)).cloned().collect();
            let got: Vec<String> = release["images"]["to_mirror"]
                .as_array()
                .expect(&what)
                .iter()
                .map(|v| v.as_str().unwrap().to_string())
                .collect();
            assert_eq!(got, want, "{what}");
            // Every container of each side is counted once.
            let lines = |d: &Path| {
                std::fs::read_to_string(d.join("images.tsv"))
                    .unwrap()
                    .lines()
                    .count()
            };
            let n = |k: &str| release["images"][k].as_array().map_or(0, Vec::len);
            let unchanged = release["images"]["unchanged"].as_u64().unwrap() as usize;
            assert_eq!(n("changed") + n("added") + unchanged, lines(&a), "{what}");
            assert_eq!(n("changed") + n("removed") + unchanged, lines(&b), "{what}");
            assert_eq!(doc["from"]["helm"], "3.17.3", "{what}");
            checked += 1;
        }
    }
    assert!(
        checked >= 20,
        "only {checked} cases render under both charts"
    );
}

/// `upgrade` of the bundled air-gapped example from stackstate 4.5.0 to 5.1.15, with `extra`.
fn air_gapped_to_5_1_15(extra: &[&str]) -> common::Run {
    let mut args = vec![
        "upgrade",
        "--chart-version",
        "4.5.0",
        "--to",
        "stackstate@5.1.15",
    ];
    args.extend(["--no-config", "examples/air-gapped/values.yaml"]);
    args.extend(extra);
    run_bin(&root(), &args, &[])
}

/// The bundled air-gapped example from stackstate 4.5.0 to 5.1.15: MinIO's new image comes from
/// quay.io, which the global registry does not reach (SL001, an error: exit 1); the images to
/// mirror are listed first.
#[test]
fn an_upgrade_that_pulls_from_a_public_registry_fails() {
    let run = air_gapped_to_5_1_15(&["--color", "never"]);
    assert_eq!(run.code, 1, "{}", run.err);
    let lines: Vec<&str> = run.out.lines().collect();
    assert_eq!(
        lines[..3],
        [
            "Upgrade: stackstate 4.5.0 (built-in), Helm 3.17.3 → stackstate 5.1.15 (built-in), Helm 3.17.3",
            "",
            "examples/air-gapped/values.yaml: 20 new images to mirror first, 73 changed, 8 added, 1 dropped",
        ]
    );
    assert!(
        lines
            .contains(&"  mirror   quay.io/stackstate/minio:RELEASE.2021-02-14T04-01-33Z-709fe718")
    );
    assert!(lines.contains(&"  changed  123456789012.dkr.ecr.eu-west-1.amazonaws.com/stackstate/wait:1.0.5 → 123456789012.dkr.ecr.eu-west-1.amazonaws.com/stackstate/wait:1.0.8-a6ec1609 (27 containers)"));
    assert!(lines.contains(&"  dropped  123456789012.dkr.ecr.eu-west-1.amazonaws.com/stackstate/stackgraph-console:4.2.12 (Deployment/release-name-hbase-console (console))"));
    assert!(lines.contains(&"1 new finding after the upgrade to stackstate 5.1.15 (built-in), Helm 3.17.3; 1 finding of today's is gone (SL002 on `minio.image.repository`):"));
    assert!(run.out.contains("SL001(public-registry)"), "{}", run.out);
    assert!(
        run.out.contains(
            "image still pulled from the public registry quay.io: quay.io/stackstate/minio"
        ),
        "{}",
        run.out
    );
    // One finding, each of which links its rule's page.
    assert_eq!(run.out.matches("/rules/docs/").count(), 1, "{}", run.out);
}

/// A lint format for CI: the new findings on stdout, the image changes as a note on stderr.
#[test]
fn ci_formats_print_the_new_findings_and_note_the_images() {
    let run = air_gapped_to_5_1_15(&["--format", "compact"]);
    assert_eq!(run.code, 1, "{}", run.err);
    assert_eq!(
        run.out,
        "examples/air-gapped/values.yaml:5:3: error[SL001] image still pulled from the public registry quay.io: quay.io/stackstate/minio:RELEASE.2021-02-14T04-01-33Z-709fe718\n"
    );
    assert!(
        run.err.contains(
            "note: examples/air-gapped/values.yaml: upgrading to stackstate 5.1.15 (built-in), Helm 3.17.3: 20 new images to mirror first, 73 changed, 8 added, 1 dropped; mirror first: "
        ),
        "{}",
        run.err
    );
}

/// Moving a stackstate 5.1 file to suse-observability 2.10.3 as it is: the chart refuses
/// `backup.enabled` (Helm 3.17.3 printed the same error, given the required values), so no image
/// can be compared and the upgrade fails.
#[test]
fn a_release_the_new_chart_refuses_is_reported_with_helms_error() {
    let run = run_bin(
        &root(),
        &[
            "upgrade",
            "--chart-version",
            "5.1.15",
            "--to",
            "suse-observability@2.10.3",
            "--no-config",
            "--color",
            "never",
            "examples/half-done-migration/values.yaml",
        ],
        &[],
    );
    assert_eq!(run.code, 1, "{}", run.err);
    assert!(run.out.contains("examples/half-done-migration/values.yaml: Helm cannot render it after the upgrade (suse-observability 2.10.3 (built-in)): `backup.enabled` (examples/half-done-migration/values.yaml:19:3): execution error at (suse-observability/templates/validations.yaml:157:6): Please use `global.backup.enabled=true` instead of `backup.enabled=true`\n"), "{}", run.out);
    // Nothing after the upgrade is known for sure: today's findings missing there are missing
    // from the render lint made without the refused value, not gone. (Today's SL101: StackState
    // 4.4.2 beside 5.1.15's StackGraph 4.9.7.)
    assert!(run.out.contains("4 new findings after the upgrade to suse-observability 2.10.3 (built-in), Helm 3.17.3; 5 findings of today's are not found (SL101 on `hbase.stackgraph.image.tag`, SL201 on `stackstate.components.kafka`, SL004 on `elasticsearch.prometheus-elasticsearch-exporter.image.repository`, 2 more), but only in a render without the values the new chart fails on:"), "{}", run.out);
    assert!(!run.out.contains("are gone"), "{}", run.out);
    assert!(run.err.contains("note: examples/half-done-migration/values.yaml: Helm cannot render these values; the other findings come from rendering them without `backup.enabled` (fix it, then lint again)"), "{}", run.err);
}

/// A new Helm alone: the same chart on both sides (here no image changes).
#[test]
fn a_helm_upgrade_alone_keeps_the_chart() {
    let dir = scratch("upgrade-helm-only");
    std::fs::write(
        dir.join("values.yaml"),
        "stackstate:\n  baseUrl: http://x\n",
    )
    .unwrap();
    let run = run_bin(
        &dir,
        &[
            "upgrade",
            "--chart-version",
            "suse-observability@2.10.3",
            "--to-helm-version",
            "4.1.4",
            "--no-config",
            "values.yaml",
        ],
        &[],
    );
    assert_eq!(run.code, 0, "{}", run.err);
    let first = run.out.lines().next().unwrap_or_default();
    assert_eq!(
        first,
        "Upgrade: suse-observability 2.10.3 (built-in), Helm 3.17.3 → suse-observability 2.10.3 (built-in), Helm 4.1.4"
    );
    assert!(
        run.out.contains("values.yaml: no image changes ("),
        "{}",
        run.out
    );
    assert!(
        run.out.contains("No new findings after the upgrade"),
        "{}",
        run.out
    );
}

#[test]
fn usage_errors_exit_2() {
    let dir = scratch("upgrade-usage");
    std::fs::write(dir.join("values.yaml"), "a: 1\n").unwrap();
    // No target.
    let run = run_bin(&dir, &["upgrade", "values.yaml"], &[]);
    assert_eq!(run.code, 2, "{}", run.err);
    assert!(run.err.contains("--to"), "{}", run.err);
    // Standard input cannot be read for both sides.
    let run = run_bin(&dir, &["upgrade", "--to", "stackstate@5.1.15", "-"], &[]);
    assert_eq!(run.code, 2, "{}", run.err);
    assert!(run.err.contains("give the values as a file"), "{}", run.err);
    // A values file that is no YAML: its error alone.
    std::fs::write(dir.join("bad-values.yaml"), "a: [\n").unwrap();
    let run = run_bin(
        &dir,
        &["upgrade", "--to", "stackstate@5.1.15", "bad-values.yaml"],
        &[],
    );
    assert_eq!((run.code, run.out.as_str()), (2, ""), "{}", run.err);
    assert!(
        run.err.contains("bad-values.yaml:2:1: invalid YAML"),
        "{}",
        run.err
    );
    // A target that is not built in.
    let run = run_bin(
        &dir,
        &["upgrade", "--to", "stackstate@9.9.9", "values.yaml"],
        &[],
    );
    assert_eq!(run.code, 2, "{}", run.err);
    assert!(run.err.contains("is not built in"), "{}", run.err);
}

/// Values today's chart requires and the new one does not (suse-observability 2.0.1 knows no
/// `global.suseObservability` and fails without its `stackstate.*` keys; 2.10.3 takes the
/// global ones): the run says today's render stood in for them, naming the side, as lint of
/// today's chart does.
#[test]
fn what_todays_render_stood_in_for_is_said() {
    let dir = std::env::temp_dir().join(format!("sl-upgrade-stand-in-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let values = dir.join("values.yaml");
    std::fs::write(
        &values,
        "global:\n  imageRegistry: reg.example\n  suseObservability:\n    license: x\n    baseUrl: https://o.example\n    adminPassword: pw\n    sizing:\n      profile: 10-nonha\n",
    )
    .unwrap();
    let path = values.display().to_string();
    let run = run_bin(
        &dir,
        &[
            "upgrade",
            "--chart-version",
            "suse-observability@2.0.1",
            "--to",
            "suse-observability@2.10.3",
            "--no-config",
            &path,
        ],
        &[],
    );
    let _ = std::fs::remove_dir_all(&dir);
    assert!(
        run.err.contains(&format!(
            "note: today (suse-observability 2.0.1 (built-in)): {path}: the chart requires `stackstate.license.key`, `stackstate.admin.authentication.password`, `stackstate.authentication.adminPassword`, `stackstate.receiver.baseUrl` and these values do not set them; checked with a stand-in"
        )),
        "{}",
        run.err
    );
}

/// Files whose configs pin different charts today have no one side to compare from: `upgrade`
/// refuses them (exit 2) rather than compare every file from the first one's chart (audit 48:
/// a release already on 2.10.3 got "31 new images to mirror"); `images` lists them with one
/// chart, and says so.
#[test]
fn files_pinned_to_different_charts_are_not_compared_from_one() {
    let dir = scratch("upgrade-pins");
    for (folder, pin) in [
        ("legacy", "stackstate@5.1.15"),
        ("new", "suse-observability@2.10.3"),
    ] {
        std::fs::create_dir_all(dir.join(folder)).unwrap();
        std::fs::write(
            dir.join(folder).join(".stackstate-lint.yaml"),
            format!("chart: {pin}\n"),
        )
        .unwrap();
        std::fs::write(
            dir.join(folder).join("values.yaml"),
            "global:\n  imageRegistry: reg.example\n",
        )
        .unwrap();
    }
    let run = run_bin(
        &dir,
        &[
            "upgrade",
            "--to",
            "suse-observability@2.10.3",
            "legacy/values.yaml",
            "new/values.yaml",
        ],
        &[],
    );
    assert_eq!((run.code, run.out.as_str()), (2, ""), "{}", run.err);
    assert!(
        run.err
            .contains("the files are on different charts today (stackstate 5.1.15 (built-in), suse-observability 2.10.3 (built-in)"),
        "{}",
        run.err
    );
    // One folder at a time compares from its own pin.
    let run = run_bin(
        &dir,
        &[
            "upgrade",
            "--to",
            "suse-observability@2.10.3",
            "new/values.yaml",
        ],
        &[],
    );
    assert!(
        run.out.contains("no image changes"),
        "{}\n{}",
        run.out,
        run.err
    );
    let run = run_bin(
        &dir,
        &[
            "images",
            "--format",
            "plain",
            "legacy/values.yaml",
            "new/values.yaml",
        ],
        &[],
    );
    assert!(
        run.err
            .contains("warning: new/values.yaml: its config pins `suse-observability@2.10.3`")
            && run
                .err
                .contains("with the chart of the first one (`stackstate@5.1.15`)"),
        "{}",
        run.err
    );
}
