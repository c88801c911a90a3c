//! The commands about the tool itself: shell completions, the man page, `--version`, and a
//! mistyped subcommand that must not be linted as a file.

mod common;

use common::{run_bin, scratch};

#[test]
fn a_mistyped_subcommand_is_not_read_as_a_file() {
    let dir = scratch("typo");
    std::fs::write(dir.join("values.yaml"), "a: 1\n").unwrap();
    for (typo, meant) in [
        ("image", "images"),
        ("imgaes", "images"),
        ("completion", "completions"),
        ("rule", "rules"),
        ("explian", "explain"),
    ] {
        let r = run_bin(&dir, &[typo, "values.yaml"], &[]);
        assert_eq!(r.code, 2, "{typo}: {}", r.out);
        assert_eq!(r.out, "");
        assert_eq!(
            r.err,
            format!(
                "error: {typo}: no such file, folder or subcommand; did you mean `stackstate-lint {meant}`?\n"
            )
        );
    }
    // A file of that name is linted, as asked.
    std::fs::write(dir.join("image"), "a: 1\n").unwrap();
    let r = run_bin(&dir, &["image", "--format", "compact"], &[]);
    assert!(!r.err.contains("did you mean"), "{}", r.err);
    // So is a path that names no subcommand: the usual message.
    let r = run_bin(&dir, &["nothing-like-it.yaml"], &[]);
    assert_eq!(r.code, 2);
    assert_eq!(r.err, "error: nothing-like-it.yaml: no such file\n");
}

#[test]
fn completions_for_every_shell() {
    let dir = scratch("completions");
    for (shell, first) in [
        ("bash", "_stackstate__lint() {"),
        ("zsh", "#compdef stackstate-lint"),
        ("fish", "# Print an optspec for argparse"),
        ("powershell", ""),
    ] {
        let r = run_bin(&dir, &["completions", shell], &[]);
        assert_eq!(r.code, 0, "{shell}: {}", r.err);
        assert!(r.out.starts_with(first), "{shell}: {}", &r.out[..80]);
        assert!(r.out.contains("images"), "{shell}");
        assert!(r.out.contains("set-json"), "{shell}");
    }
    let bash = run_bin(&dir, &["completions", "bash"], &[]).out;
    let path = dir.join("completion.bash");
    std::fs::write(&path, bash).unwrap();
    let check = std::process::Command::new("bash")
        .arg("-n")
        .arg(&path)
        .output()
        .unwrap();
    assert!(
        check.status.success(),
        "{}",
        String::from_utf8_lossy(&check.stderr)
    );
    let r = run_bin(&dir, &["completions", "tcsh"], &[]);
    assert_eq!(r.code, 2);
    assert!(
        r.err
            .contains("[possible values: bash, elvish, fish, powershell, zsh]")
    );
}

#[test]
fn man_page_and_version_name_the_built_in_charts() {
    let dir = scratch("man");
    let version = "stackstate-lint 0.1.0 (built-in charts: stackstate 4.2.5, 4.3.0, 4.4.0, 4.4.2, 4.5.0, 4.6.1, 5.0.8, 5.1.15; suse-observability 2.0.1, 2.10.3; stackstate-k8s 1.12.1)\n";
    let r = run_bin(&dir, &["--version"], &[]);
    assert_eq!((r.code, r.out.as_str()), (0, version));
    let r = run_bin(&dir, &["man"], &[]);
    assert_eq!(r.code, 0);
    assert!(
        r.out.contains(
            ".TH stackstate-lint 1  \"stackstate-lint 0.1.0 (built-in charts: stackstate 4.2.5"
        ),
        "{}",
        &r.out[..200]
    );
    for needle in [
        ".SH NAME",
        ".SH SYNOPSIS",
        ".SH SUBCOMMANDS",
        "set\\-literal",
        "completions",
    ] {
        assert!(r.out.contains(needle), "{needle}");
    }
}
