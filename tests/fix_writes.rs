//! `--fix` writes without losing what the user had (issue #11): symlinks are written through,
//! hard links, owner, group and mode are kept, a file named twice gets each fix once, and a
//! failure half-way says which files were written.

mod common;

use std::os::unix::fs::{MetadataExt, PermissionsExt};

use common::bin::{Opts, Scratch, no_panic, run, run_with, s};

const BEFORE: &str = "stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10   # tested\nelasticsearch:\n  imageTag: 7.17\n";
const AFTER: &str = "stackstate:\n  components:\n    all:\n      image:\n        tag: \"4.10\"   # tested\nelasticsearch:\n  imageTag: \"7.17\"\n";

fn fix(args: &[&str]) -> common::bin::Run {
    let mut all = vec!["--fix", "--chart-version", "4.4.0", "--no-config"];
    all.extend(args);
    let r = run(&all);
    no_panic(&r);
    r
}

#[test]
fn a_symlink_is_written_through() {
    let dir = Scratch::new("fix-symlink");
    let real = dir.file("real/values.yaml", BEFORE);
    let link = dir.path("values.yaml");
    std::os::unix::fs::symlink(&real, &link).unwrap();
    let r = fix(&[s(&link)]);
    assert!(
        r.stderr.contains("fixed 2 finding(s) in 1 file(s)"),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink()
    );
    assert_eq!(std::fs::read_to_string(&real).unwrap(), AFTER);
    // Nothing but the file itself is left in either folder.
    assert_eq!(std::fs::read_dir(dir.path("real")).unwrap().count(), 1);
}

#[test]
fn hard_links_owner_group_and_mode_are_kept() {
    let dir = Scratch::new("fix-links");
    let a = dir.file("values.yaml", BEFORE);
    let b = dir.path("other-values.yaml");
    std::fs::hard_link(&a, &b).unwrap();
    std::fs::set_permissions(&a, std::fs::Permissions::from_mode(0o640)).unwrap();
    // Root fixing a file of nobody:nogroup must leave it theirs (it could not read it back).
    let root = unsafe { libc::geteuid() } == 0;
    if root {
        std::os::unix::fs::chown(&a, Some(65534), Some(65534)).unwrap();
    }
    let before = std::fs::metadata(&a).unwrap();
    let r = fix(&[s(&a)]);
    assert!(
        r.stderr.contains("fixed 2 finding(s) in 1 file(s)"),
        "{}",
        r.stderr
    );
    let after = std::fs::metadata(&a).unwrap();
    assert_eq!(
        std::fs::read_to_string(&b).unwrap(),
        AFTER,
        "the other link"
    );
    assert_eq!(after.ino(), before.ino());
    assert_eq!(after.nlink(), 2);
    assert_eq!(after.mode() & 0o7777, 0o640);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));

    // A single link is replaced by rename: owner, group and mode still carried over.
    let c = dir.file("c-values.yaml", BEFORE);
    std::fs::set_permissions(&c, std::fs::Permissions::from_mode(0o604)).unwrap();
    if root {
        std::os::unix::fs::chown(&c, Some(65534), Some(65534)).unwrap();
    }
    let before = std::fs::metadata(&c).unwrap();
    fix(&[s(&c)]);
    let after = std::fs::metadata(&c).unwrap();
    assert_ne!(after.ino(), before.ino(), "replaced atomically");
    assert_eq!(std::fs::read_to_string(&c).unwrap(), AFTER);
    assert_eq!(after.mode() & 0o7777, 0o604);
    assert_eq!((after.uid(), after.gid()), (before.uid(), before.gid()));
}

#[test]
fn a_file_named_twice_gets_each_fix_once() {
    let dir = Scratch::new("fix-twice");
    let a = dir.file("values.yaml", BEFORE);
    let link = dir.path("link-values.yaml");
    std::os::unix::fs::symlink(&a, &link).unwrap();
    let dotted = format!("{}/./values.yaml", s(&dir.0));
    let r = fix(&[s(&a), &dotted, s(&link), s(&a)]);
    assert!(
        r.stderr.contains("fixed 2 finding(s) in 1 file(s)"),
        "{}",
        r.stderr
    );
    assert_eq!(std::fs::read_to_string(&a).unwrap(), AFTER);
}

/// A file given as a `-f` layer and as the PATH, twice as a layer, or under a hard link is
/// one file: Helm merges every layer as given, the fix is made once to the one text they share,
/// and the summary counts what the file received. (Each layer used to be fixed apart: with
/// `-f x -f x` every fix was dropped, since the other layer still set the old value.)
#[test]
fn a_file_given_as_layer_and_as_path_gets_each_fix_once() {
    let dir = Scratch::new("fix-layers");
    let a = dir.path("values.yaml");
    let link = dir.path("link-values.yaml");
    std::os::unix::fs::symlink(&a, &link).unwrap();
    let hard = dir.path("hard-values.yaml");
    let cases: [&[&str]; 6] = [
        &["-f", s(&a), "-f", s(&a)],
        &["-f", s(&a), s(&a)],
        &["-f", s(&a), s(&link)],
        &["-f", s(&a), "-f", s(&link), "-f", s(&a)],
        &[s(&a), s(&hard)],
        &["-f", s(&hard), "-f", s(&a), s(&link)],
    ];
    for args in cases {
        std::fs::write(&a, BEFORE).unwrap();
        let _ = std::fs::remove_file(&hard);
        std::fs::hard_link(&a, &hard).unwrap();
        let r = fix(args);
        assert!(
            r.stderr.contains("fixed 2 finding(s) in 1 file(s)"),
            "{args:?}: {}",
            r.stderr
        );
        assert_eq!(std::fs::read_to_string(&a).unwrap(), AFTER, "{args:?}");
        assert_eq!(
            std::fs::metadata(&a).unwrap().nlink(),
            2,
            "{args:?}: links kept"
        );
        let mut diff = vec!["--diff", "--chart-version", "4.4.0", "--no-config"];
        std::fs::write(&a, BEFORE).unwrap();
        diff.extend(args);
        let r = run(&diff);
        no_panic(&r);
        assert!(
            r.stderr.contains("2 fix(es) would be applied to 1 file(s)"),
            "{args:?}: {}",
            r.stderr
        );
        let changed = r
            .stdout
            .lines()
            .filter(|l| {
                (l.starts_with('+') || l.starts_with('-'))
                    && !l.starts_with("+++")
                    && !l.starts_with("---")
            })
            .count();
        assert_eq!(changed, 4, "{args:?}: one diff of the file\n{}", r.stdout);
    }
}

#[test]
fn a_failure_half_way_says_what_was_written() {
    let dir = Scratch::new("fix-partial");
    let small = dir.file("a-values.yaml", BEFORE);
    // Over the file size limit set below: writing its fix fails with EFBIG.
    let big = dir.file(
        "b-values.yaml",
        format!("{BEFORE}{}", "# padding\n".repeat(200)),
    );
    let script = format!(
        "trap '' XFSZ; ulimit -f 1; exec '{}' --fix --no-config --chart-version 4.4.0 --format json '{}' '{}'",
        env!("CARGO_BIN_EXE_stackstate-lint"),
        s(&small),
        s(&big)
    );
    let o = std::process::Command::new("sh")
        .args(["-c", &script])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&o.stderr);
    assert_eq!(o.status.code(), Some(2), "{stderr}");
    assert_eq!(std::fs::read_to_string(&small).unwrap(), AFTER);
    assert!(std::fs::read_to_string(&big).unwrap().starts_with(BEFORE));
    assert!(
        stderr.contains("b-values.yaml: cannot write the fixed file"),
        "{stderr}"
    );
    assert!(
        stderr.contains("fixed 2 finding(s) in 1 file(s)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!(
            "1 of 2 file(s) not written; written: {}",
            s(&small)
        )),
        "{stderr}"
    );
    // The report is of the files as they are on disk: the one not written keeps both SL104
    // errors (its fixed text, never written, had none), the one written has none; the write
    // failure is an input error of the report.
    let report: serde_json::Value = serde_json::from_slice(&o.stdout).expect("a JSON report");
    let codes_in = |file: &str| -> Vec<String> {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["file"] == file && f["severity"] == "error")
            .map(|f| f["code"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(codes_in(s(&big)), ["SL104", "SL104"], "{report}");
    assert!(codes_in(s(&small)).is_empty(), "{report}");
    assert_eq!(report["summary"]["input_errors"], 1);
    assert_eq!(report["input_errors"][0]["file"], s(&big));
    // No temporary file is left behind.
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 2);
}

#[test]
fn writing_a_report_to_a_full_disk_is_an_error() {
    let dir = Scratch::new("full-disk");
    let values = dir.file("values.yaml", AFTER);
    let full = std::path::Path::new("/dev/full");
    for args in [
        vec!["--format", "sarif", s(&values)],
        vec!["--format", "human", s(&values)],
        vec![
            "images",
            "--chart-version",
            "4.4.0",
            "--mirror",
            "r.example.com",
            "--format",
            "script",
        ],
        vec!["images", "--format", "plain", s(&values)],
        vec![
            "--diff",
            "--chart-version",
            "4.4.0",
            s(&dir.file("b-values.yaml", BEFORE)),
        ],
    ] {
        let r = run_with(
            &args,
            &Opts {
                stdout_file: Some(full),
                ..Opts::default()
            },
        );
        no_panic(&r);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(
            r.stderr
                .contains("error: cannot write the output: No space left on device"),
            "{}",
            r.stderr
        );
    }
}

/// A file the user may not write is not fixed, whether it has one name (a rename beside it
/// would replace it: the folder allows that) or several (written in place: refused by the
/// system); the message says why, exit 2. As root, the binary runs as `nobody` (setpriv), for
/// root may write anything.
#[test]
fn a_read_only_file_is_not_fixed_however_it_would_be_written() {
    let as_root = std::fs::metadata("/proc/self")
        .map(|m| m.uid() == 0)
        .unwrap_or(false);
    let setpriv = ["/usr/bin/setpriv", "/bin/setpriv"]
        .into_iter()
        .find(|p| std::path::Path::new(p).exists());
    if as_root && setpriv.is_none() {
        eprintln!("root without setpriv: no unprivileged user to run as");
        return;
    }
    for links in [1, 2] {
        let dir = Scratch::new(&format!("fix-read-only-{links}"));
        let file = dir.file("values.yaml", BEFORE);
        if links == 2 {
            std::fs::hard_link(&file, dir.path("other.yaml")).unwrap();
        }
        std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o444)).unwrap();
        // The folder stays writable for the user, as it is for a checkout of their own.
        std::fs::set_permissions(&dir.0, std::fs::Permissions::from_mode(0o777)).unwrap();
        let bin = env!("CARGO_BIN_EXE_stackstate-lint");
        let args = ["--fix", "--chart-version", "4.4.0", "--no-config", s(&file)];
        let out = match setpriv.filter(|_| as_root) {
            Some(sp) => std::process::Command::new(sp)
                .args(["--reuid=65534", "--regid=65534", "--clear-groups", bin])
                .args(args)
                .output(),
            None => std::process::Command::new(bin).args(args).output(),
        }
        .unwrap();
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{links} link(s): {err}");
        assert!(
            err.contains(
                "values.yaml: is read-only for you: not written (make it writable to fix it)"
            ),
            "{links} link(s): {err}"
        );
        assert_eq!(
            std::fs::read_to_string(&file).unwrap(),
            BEFORE,
            "{links} link(s)"
        );
        assert_eq!(
            std::fs::metadata(&file).unwrap().permissions().mode() & 0o777,
            0o444
        );
    }
}
