//! Bad input, end to end: the real binary on broken, hostile or huge inputs must stop with a
//! message naming the file (and line:col where there is one) and exit code 2 — or succeed where
//! the input is valid — never panic, and finish in bounded time.
//!
//! Large inputs are generated at test time under the system temp folder, never committed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_stackstate-lint");
/// A run slower than this fails the test (debug build, shared 2-core machine).
/// Lint and `images` render the chart (twice when required values are left out); an
/// unoptimised test build renders some ten times slower than a release build.
const TIME_LIMIT: Duration = Duration::from_secs(if cfg!(debug_assertions) { 15 } else { 5 });
/// A run still going after this is killed.
const KILL_AFTER: Duration = Duration::from_secs(30);

/// A scratch folder unique to one test, removed when dropped.
struct Scratch(PathBuf);

impl Scratch {
    fn new(test: &str) -> Self {
        let dir = std::env::temp_dir().join(format!(
            "stackstate-lint-bad-input-{}-{test}",
            std::process::id()
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Scratch(dir)
    }

    fn file(&self, name: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

fn run(args: &[&str]) -> Run {
    let start = Instant::now();
    let mut child = Command::new(BIN)
        .args(args)
        .env_remove("NO_COLOR")
        .env_remove("CI")
        .env_remove("GITHUB_ACTIONS")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Read the pipes on threads so that a chatty child cannot block on a full pipe.
    let mut out_pipe = child.stdout.take().unwrap();
    let mut err_pipe = child.stderr.take().unwrap();
    let out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut out_pipe, &mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = std::io::Read::read_to_string(&mut err_pipe, &mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if start.elapsed() > KILL_AFTER {
            let _ = child.kill();
            panic!("stackstate-lint {args:?} still running after {KILL_AFTER:?}");
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let elapsed = start.elapsed();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: out.join().unwrap(),
        stderr: err.join().unwrap(),
        elapsed,
    }
}

fn images_of(path: &Path) -> Run {
    run(&["images", "-f", s(path), "--format", "plain"])
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The run ended with `code`, in time, without a panic, and stderr names `needle`.
#[track_caller]
fn check(r: &Run, code: i32, needle: &str) {
    assert!(
        !r.stderr.contains("panicked") && !r.stderr.contains("RUST_BACKTRACE"),
        "panic:\n{}",
        r.stderr
    );
    assert_eq!(r.code, code, "exit code; stderr:\n{}", r.stderr);
    assert!(
        r.stderr.contains(needle),
        "stderr does not name `{needle}`:\n{}",
        r.stderr
    );
    assert!(
        r.elapsed < TIME_LIMIT,
        "took {:?}; stderr:\n{}",
        r.elapsed,
        r.stderr
    );
}

/// An input error (exit 2) naming `needle`, on one line starting with `error:`.
#[track_caller]
fn input_error(r: &Run, needle: &str) {
    check(r, 2, needle);
    assert!(r.stdout.is_empty(), "stdout: {}", r.stdout);
    assert!(r.stderr.starts_with("error: "), "{}", r.stderr);
}

#[test]
fn invalid_yaml_names_file_line_and_column() {
    let t = Scratch::new("invalid");
    let f = t.file("values.yaml", "a: [1, 2\nb: 3\n");
    let r = images_of(&f);
    input_error(&r, &format!("{}:2:2: invalid YAML", s(&f)));
}

/// A `:` with no key before it: go-yaml's parser fails ("did not find expected key", Helm
/// 3.17.3 and 4.1.4), before any key is made; a null key (`~: x`) is the JSON step's refusal.
#[test]
fn an_empty_key_is_go_yamls_parser_error_a_null_key_the_json_steps() {
    let t = Scratch::new("empty-key");
    let f = t.file("values.yaml", "a: 1\n: x\n");
    input_error(
        &images_of(&f),
        &format!(
            "{}:2:1: invalid YAML: did not find expected key (a `:` with no key before it)",
            s(&f)
        ),
    );
    let f = t.file("null.yaml", "~: x\n");
    input_error(
        &images_of(&f),
        &format!(
            "{}:1:1: the key `~` is null: Helm cannot turn it into a JSON key",
            s(&f)
        ),
    );
}

#[test]
fn tab_indentation_is_an_error_with_position() {
    let t = Scratch::new("tabs");
    let f = t.file("values.yaml", "global:\n\timageRegistry: r.example.com\n");
    let r = images_of(&f);
    // Helm 3.17.3 and 4.1.4 (`-f`): "yaml: line 2: found character that cannot start any
    // token"; in a plain scalar's indentation, "line 3: found a tab character that violates
    // indentation". The place is the tab.
    input_error(
        &r,
        &format!(
            "{}:2:1: invalid YAML: found character that cannot start any token",
            s(&f)
        ),
    );
    let f = t.file("more.yaml", "a:\n  b: 1\n\tc: 2\n");
    input_error(
        &images_of(&f),
        &format!(
            "{}:3:1: invalid YAML: found a tab character that violates indentation",
            s(&f)
        ),
    );
}

#[test]
fn top_level_list_and_scalar_are_rejected() {
    let t = Scratch::new("toplevel");
    let list = t.file("list.yaml", "- a\n- b\n");
    input_error(
        &images_of(&list),
        &format!("{}:1:1: a values file must be a map", s(&list)),
    );
    let scalar = t.file("scalar.yaml", "just a string\n");
    let r = images_of(&scalar);
    input_error(
        &r,
        &format!("{}:1:1: a values file must be a map", s(&scalar)),
    );
    assert!(r.stderr.contains("string"), "{}", r.stderr);
}

#[test]
fn binary_and_non_utf8_files_are_rejected() {
    let t = Scratch::new("binary");
    let bin = t.file("bin.yaml", b"a: 1\nb: \x00\x01\x02\x03");
    let r = images_of(&bin);
    input_error(&r, &format!("{}:2:4: binary file", s(&bin)));
    let latin1 = t.file("latin1.yaml", b"a: 1\nb: caf\xe9\n");
    let r = images_of(&latin1);
    input_error(&r, &format!("{}:2:7: not UTF-8", s(&latin1)));
    let random: Vec<u8> = (0u32..4096)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let noise = t.file("noise.bin", random);
    input_error(&images_of(&noise), s(&noise));
}

#[test]
fn empty_and_comment_only_files_are_valid() {
    let t = Scratch::new("empty");
    for (name, text) in [
        ("empty.yaml", ""),
        ("comments.yaml", "# nothing set here\n# yet\n"),
        ("blank.yaml", "\n\n   \n"),
        ("null.yaml", "~\n"),
        ("doc.yaml", "---\n...\n"),
    ] {
        let f = t.file(name, text);
        let r = images_of(&f);
        check(&r, 0, "");
        assert!(
            r.stdout.contains("quay.io/stackstate/"),
            "{name}: {}",
            r.stdout
        );
    }
}

#[test]
fn missing_file_and_folder_are_named() {
    let t = Scratch::new("missing");
    let missing = t.0.join("nope.yaml");
    input_error(
        &images_of(&missing),
        &format!("{}: no such file", s(&missing)),
    );
    // Also as a PATH rather than -f.
    let r = run(&["images", s(&missing), "--format", "plain"]);
    input_error(&r, s(&missing));
}

/// The text form of the top-level key `""` is the empty text, which also reads as the root of
/// the values: the unknown-key rules indexed its first key and panicked.
#[test]
fn an_empty_top_level_key_is_reported_not_a_panic() {
    let t = Scratch::new("empty-key");
    let f = t.file("values.yaml", "\"\": 1\na: {\"\": 2}\n");
    let r = run(&["-f", s(&f), "--format", "compact"]);
    check(&r, 0, "");
    assert!(
        r.stdout.contains(":1:1: warning[SL202] `` is not a key"),
        "{}",
        r.stdout
    );
}

/// A chart whose manifest Helm cannot parse, printing `toYaml .Values` (a read of the whole
/// values: the empty key path), with a values file holding the top-level key `""`: the blame
/// for the YAML error took the path's first key and then `path[1..]` of the empty path.
#[test]
fn a_yaml_error_after_reading_all_values_with_an_empty_key_is_no_panic() {
    let t = Scratch::new("empty-key-yaml-error");
    t.file("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    t.file("values.yaml", "b: 1\n");
    std::fs::create_dir_all(t.0.join("templates")).unwrap();
    t.file(
        "templates/t.yaml",
        "x: {{ toYaml .Values | quote }}\n  y: [\n",
    );
    let f = t.file("user.yaml", "\"\": 1\n");
    let r = run(&["--chart", s(&t.0), "-f", s(&f), "--format", "compact"]);
    check(&r, 1, "");
    assert!(
        r.stdout.contains("YAML parse error on c/templates/t.yaml"),
        "{}",
        r.stdout
    );
}

/// A chart template that doubles a value in a loop builds 2^40 places out of 40 values: `toJson`,
/// `toYaml` and `deepCopy` walked every place (16 GB in two minutes, then killed); `merge` of
/// two such maps built apart pairs up every place of one with the other's.
#[test]
fn a_template_doubling_a_value_is_stopped_in_time() {
    let t = Scratch::new("doubling");
    t.file("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    std::fs::create_dir_all(t.0.join("templates")).unwrap();
    for call in ["toJson $x", "toYaml $x", "deepCopy $x", "merge $y $x"] {
        t.file(
            "templates/t.yaml",
            format!(
                "{{{{- $x := dict }}}}{{{{ $y := dict }}}}{{{{ range until 40 }}}}{{{{ $x = dict \"a\" $x \"b\" $x }}}}{{{{ $y = dict \"a\" $y \"b\" $y }}}}{{{{ end }}}}x: {{{{ {call} | len }}}}\n"
            ),
        );
        let r = run(&["render", "--chart", s(&t.0)]);
        check(&r, 2, "stackstate-lint stopped the render");
        assert!(r.stderr.contains("nested elements"), "{call}: {}", r.stderr);
    }
    // Two such values built apart: each pair of lists is compared once (Go's DeepEqual
    // remembers the pairs it compared), not once per place.
    for call in ["deepEqual $x $y", "has $x (list $y)"] {
        t.file(
            "templates/t.yaml",
            format!(
                "{{{{- $x := list }}}}{{{{ $y := list }}}}{{{{ range until 40 }}}}{{{{ $x = list $x $x }}}}{{{{ $y = list $y $y }}}}{{{{ end }}}}x: {{{{ {call} }}}}\n"
            ),
        );
        let r = run(&["render", "--chart", s(&t.0)]);
        check(&r, 0, "");
        assert!(r.stdout.contains("x: true"), "{call}: {}", r.stdout);
    }
    // Printing stops at as much as a function may build, as `repeat` does (Go's printer would
    // go on; a printed text cut short there was Helm's no more).
    for call in ["printf \"%v\" $x", "toString $x", "print $x"] {
        t.file(
            "templates/t.yaml",
            format!(
                "{{{{- $x := list }}}}{{{{ range until 40 }}}}{{{{ $x = list $x (list $x) }}}}{{{{ end }}}}x: {{{{ {call} | len }}}}\n"
            ),
        );
        let r = run(&["render", "--chart", s(&t.0)]);
        check(&r, 2, "stackstate-lint stopped the render");
        assert!(
            r.stderr.contains("a string longer than 67108864 bytes"),
            "{call}: {}",
            r.stderr
        );
    }
}

/// A registry of `/` renders image references whose registry part no values key wrote: SL001
/// offered to add the empty key, and the fix took the last key of the empty path.
#[test]
fn a_registry_of_only_a_slash_is_no_panic() {
    let t = Scratch::new("slash-registry");
    let f = t.file("values.yaml", "global:\n  imageRegistry: \"/\"\n");
    let r = run(&["-f", s(&f), "--format", "compact"]);
    check(&r, 1, "");
    assert!(r.stdout.contains("error[SL006]"), "{}", r.stdout);
}

#[test]
fn a_folder_given_as_values_file_is_rejected() {
    let t = Scratch::new("folder");
    let dir = t.0.join("values.d");
    std::fs::create_dir(&dir).unwrap();
    std::fs::write(dir.join("values.yaml"), "a: 1\n").unwrap();
    input_error(&images_of(&dir), &format!("{}: is a folder", s(&dir)));
    // Unreadable too (root can still read it; the message is the same either way).
    set_mode(&dir, 0o000);
    let r = images_of(&dir);
    set_mode(&dir, 0o755);
    input_error(&r, s(&dir));
}

#[test]
fn an_unreadable_file_is_named() {
    let t = Scratch::new("unreadable");
    let f = t.file("values.yaml", "a: 1\n");
    set_mode(&f, 0o000);
    let readable = std::fs::read(&f).is_ok();
    let r = images_of(&f);
    set_mode(&f, 0o644);
    if readable {
        // Running as root: permissions do not apply.
        check(&r, 0, "");
    } else {
        input_error(&r, &format!("{}: permission denied", s(&f)));
    }
}

#[cfg(unix)]
fn set_mode(path: &Path, mode: u32) {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
}

#[cfg(not(unix))]
fn set_mode(_: &Path, _: u32) {}

#[test]
fn an_endless_device_is_not_read_forever() {
    let zero = Path::new("/dev/zero");
    if !zero.exists() {
        return;
    }
    input_error(&images_of(zero), "/dev/zero: not a regular file");
    let r = run(&["images", "--chart", "/dev/zero", "--format", "plain"]);
    input_error(&r, "/dev/zero");
}

#[test]
fn an_alias_bomb_is_rejected() {
    let t = Scratch::new("bomb");
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for i in 1..12 {
        let refs = vec![format!("*a{}", i - 1); 10].join(", ");
        text.push_str(&format!("a{i}: &a{i} [{refs}]\n"));
    }
    let f = t.file("bomb.yaml", text);
    let r = images_of(&f);
    input_error(&r, &format!("{}:", s(&f)));
    assert!(r.stderr.contains("alias bomb"), "{}", r.stderr);
}

#[test]
fn nested_anchors_cannot_multiply_a_large_subtree() {
    // Each anchor keeps a copy for its aliases: 150 nested anchors around 100,000 items would
    // copy the items 150 times without a budget.
    let t = Scratch::new("nested-anchors");
    let mut text = String::from("a: ");
    for i in 0..150 {
        text.push_str(&format!("&n{i} ["));
    }
    text.push_str(&"x, ".repeat(100_000));
    text.push_str(&"]".repeat(150));
    text.push('\n');
    let f = t.file("anchors.yaml", text);
    let r = images_of(&f);
    input_error(&r, &format!("{}:", s(&f)));
    assert!(r.stderr.contains("more than"), "{}", r.stderr);
}

#[test]
fn deep_flow_nesting_is_rejected() {
    let t = Scratch::new("deep-flow");
    for (name, text) in [
        (
            "seqs.yaml",
            format!("a: {}{}\n", "[".repeat(20_000), "]".repeat(20_000)),
        ),
        ("unclosed.yaml", "[".repeat(20_000)),
        (
            "maps.yaml",
            format!("a: {}1{}\n", "{b: ".repeat(20_000), "}".repeat(20_000)),
        ),
    ] {
        let f = t.file(name, text);
        let r = images_of(&f);
        input_error(&r, &format!("{}:1:", s(&f)));
        assert!(
            r.stderr.contains("nesting deeper than"),
            "{name}: {}",
            r.stderr
        );
    }
}

#[test]
fn deep_block_nesting_is_rejected() {
    let t = Scratch::new("deep-block");
    // 20,000 block sequences nested on one line (`- - - … x`).
    let seqs = t.file("seqs.yaml", format!("a:\n  {}x\n", "- ".repeat(20_000)));
    let r = images_of(&seqs);
    input_error(&r, &format!("{}:2:", s(&seqs)));
    assert!(r.stderr.contains("nesting deeper than"), "{}", r.stderr);
    // Block maps indented one more space per level: 20,000 levels would take 200 MB, so nest
    // as deep as the 8 MiB size limit allows (4,000 levels).
    let mut text = String::new();
    for i in 0..4_000 {
        text.push_str(&" ".repeat(i));
        text.push_str("k:\n");
    }
    let maps = t.file("maps.yaml", text);
    let r = images_of(&maps);
    input_error(&r, &format!("{}:201:", s(&maps)));
    assert!(
        r.stderr.contains("nesting deeper than 200 levels"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_20_mb_file_is_rejected_by_size() {
    let t = Scratch::new("big");
    let path = t.0.join("big.yaml");
    let mut w = std::io::BufWriter::new(std::fs::File::create(&path).unwrap());
    let mut written = 0;
    let mut i = 0u64;
    while written < 20 * 1024 * 1024 {
        let line = format!("key{i:08}: some value\n");
        w.write_all(line.as_bytes()).unwrap();
        written += line.len();
        i += 1;
    }
    w.flush().unwrap();
    drop(w);
    let r = images_of(&path);
    input_error(&r, &format!("{}: file is", s(&path)));
    assert!(r.stderr.contains("larger than the limit"), "{}", r.stderr);
}

#[test]
fn many_documents_are_bounded() {
    let t = Scratch::new("documents");
    let f = t.file("docs.yaml", "---\na: 1\n".repeat(2_000));
    let r = run(&[
        "images",
        "-f",
        s(&f),
        "--helm-version",
        "4",
        "--format",
        "plain",
    ]);
    input_error(&r, &format!("{}:", s(&f)));
    assert!(r.stderr.contains("YAML documents"), "{}", r.stderr);
}

#[test]
fn many_duplicate_keys_are_fine() {
    let t = Scratch::new("duplicates");
    let f = t.file("dups.yaml", format!("a:\n{}", "  b: 1\n".repeat(100_000)));
    check(&images_of(&f), 0, "");
}

#[test]
fn malformed_set_values_are_rejected() {
    let long_index_chain = format!("a{}=1", "[0]".repeat(40_000));
    let many_big_indexes = "a[65536]=1,".repeat(3_000) + "b=1";
    for (arg, why) in [
        ("a", "has no value"),
        ("a[x]=1", "error parsing index"),
        ("a[-1]=1", "negative"),
        ("a[99999999999999999999]=1", "error parsing index"),
        ("a[70000]=1", "maximum supported index"),
        ("l={a,b", "must terminate"),
        ("a=1,a.b=2", "not a map"),
        ("a[0", "EOF"),
        (long_index_chain.as_str(), "nested deeper than"),
    ] {
        let r = run(&["images", "--set", "x=1", "--set", arg, "--format", "plain"]);
        input_error(&r, "--set #2");
        assert!(r.stderr.contains(why), "{arg}: {}", r.stderr);
        // A long argument is quoted cut short, not whole.
        assert!(r.stderr.len() < 400, "{} bytes of message", r.stderr.len());
    }
    let r = run(&["images", "--set-string", "a.=1", "--format", "plain"]);
    input_error(&r, "--set-string #1");
    // Valid but heavy: thousands of assignments into one large list stay fast.
    let r = run(&["images", "--set", &many_big_indexes, "--format", "plain"]);
    check(&r, 0, "");
}

#[test]
fn unknown_chart_and_helm_versions_are_rejected() {
    let r = run(&["images", "--chart-version", "9.9.9", "--format", "plain"]);
    input_error(
        &r,
        "--chart-version: `stackstate@9.9.9` is not built in; the nearest built-in version is stackstate@5.1.15",
    );
    let r = run(&["images", "--helm-version", "2", "--format", "plain"]);
    input_error(&r, "--helm-version: `2` is not one of");
}

#[test]
fn a_folder_that_is_not_a_chart_is_rejected() {
    let t = Scratch::new("not-a-chart");
    t.file("values.yaml", "a: 1\n");
    let r = run(&["images", "--chart", s(&t.0), "--format", "plain"]);
    input_error(&r, &format!("{}: not a chart: no Chart.yaml", s(&t.0)));
    // The path is named once, not repeated.
    assert_eq!(r.stderr.matches(s(&t.0)).count(), 1, "{}", r.stderr);
    let r = run(&["chart-bundle", s(&t.0)]);
    input_error(&r, &format!("{}: not a chart", s(&t.0)));
    assert_eq!(r.stderr.matches(s(&t.0)).count(), 1, "{}", r.stderr);
    let missing = t.0.join("nowhere");
    let r = run(&["images", "--chart", s(&missing), "--format", "plain"]);
    input_error(&r, &format!("{}: no such file", s(&missing)));
}

#[test]
fn a_chart_with_broken_values_names_the_line() {
    let t = Scratch::new("chart-broken-values");
    t.file("Chart.yaml", "name: stackstate\nversion: 4.4.0\n");
    t.file("values.yaml", "a:\n  b: [1\n");
    let r = run(&["images", "--chart", s(&t.0), "--format", "plain"]);
    input_error(&r, &format!("{}/values.yaml:3:1: invalid YAML", s(&t.0)));
}

#[test]
fn garbage_archives_are_rejected() {
    let t = Scratch::new("garbage-tgz");
    let noise: Vec<u8> = (0u32..5000)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 7) as u8)
        .collect();
    let cases = [
        ("noise.tgz", noise),
        ("text.tgz", b"not gzip at all".to_vec()),
        ("gzip-not-tar.tgz", gzip(b"hello, not a tar archive")),
        ("empty.tgz", Vec::new()),
        ("truncated.tgz", {
            let mut a = archive(&[("stackstate/Chart.yaml", b"name: stackstate\n")]);
            a.truncate(a.len() / 2);
            a
        }),
    ];
    for (name, bytes) in cases {
        let f = t.file(name, bytes);
        let r = run(&["images", "--chart", s(&f), "--format", "plain"]);
        input_error(&r, &format!("{}: ", s(&f)));
    }
}

#[test]
fn an_archive_without_chart_yaml_is_rejected() {
    let t = Scratch::new("no-chart-yaml");
    let f = t.file("c.tgz", archive(&[("foo/values.yaml", b"a: 1\n")]));
    let r = run(&["images", "--chart", s(&f), "--format", "plain"]);
    input_error(&r, &format!("{}: Chart.yaml file is missing", s(&f)));
}

/// Helm drops the first part of every entry's name (`loader.LoadArchiveFiles`), so `../evil/x`
/// and `/etc/x` are the chart's own `evil/x` and `etc/x`, and nothing is ever read or written
/// outside the archive; what still climbs out after that, a misplaced `Chart.yaml`, a doubled
/// slash, a file beside the chart folder or a drive letter is refused in Helm's words (Helm
/// 3.17.3 asked for each).
#[test]
fn archive_entries_cannot_escape() {
    let t = Scratch::new("traversal");
    for (inside, read_as) in [
        ("../evil/values.yaml", "evil/values.yaml"),
        ("/etc/values.yaml", "etc/values.yaml"),
    ] {
        let template = format!("a: {{{{ .Files.Get \"{read_as}\" | quote }}}}\n");
        let f = t.file(
            "c.tgz",
            archive(&[
                (
                    "stackstate/Chart.yaml",
                    b"apiVersion: v2\nname: stackstate\nversion: 4.4.0\n",
                ),
                ("stackstate/templates/t.yaml", template.as_bytes()),
                (inside, b"x: 1\n"),
            ]),
        );
        let r = run(&["render", "--chart", s(&f)]);
        check(&r, 0, "");
        assert!(
            r.stdout.contains("a: \"x: 1\\n\""),
            "{inside}: {}",
            r.stdout
        );
    }
    for (evil, helm) in [
        (
            "stackstate/../../values.yaml",
            "chart illegally references parent directory".to_string(),
        ),
        (
            "stackstate//values.yaml",
            "chart illegally contains absolute paths".into(),
        ),
        (
            "README",
            "chart illegally contains content outside the base directory: \"README\"".into(),
        ),
        (
            "stackstate/C:/x",
            "chart contains illegally named files".into(),
        ),
    ] {
        let f = t.file(
            "c.tgz",
            archive(&[
                (
                    "stackstate/Chart.yaml",
                    b"name: stackstate\nversion: 4.4.0\n",
                ),
                (evil, b"a: 1\n"),
            ]),
        );
        let r = run(&["images", "--chart", s(&f), "--format", "plain"]);
        input_error(&r, &format!("{}: {helm}", s(&f)));
        let r = run(&["render", "--chart", s(&f)]);
        check(&r, 2, &format!("Error: {helm}"));
    }
    // Packed with `tar czf c.tgz ./stackstate`: the chart is `stackstate/`, one level down,
    // and Helm finds no Chart.yaml (audit 48).
    let f = t.file(
        "c.tgz",
        archive(&[(
            "./stackstate/Chart.yaml",
            b"name: stackstate\nversion: 4.4.0\n",
        )]),
    );
    input_error(
        &run(&["images", "--chart", s(&f), "--format", "plain"]),
        "Chart.yaml file is missing",
    );
}

#[test]
fn a_valid_archive_is_read() {
    let t = Scratch::new("valid-tgz");
    let f = t.file(
        "c.tgz",
        archive(&[
            (
                "mychart/Chart.yaml",
                b"name: mychart\nversion: 1.0.0\n",
            ),
            ("mychart/values.yaml", b"stackstate:\n  components: {}\n"),
            (
                "mychart/templates/pod.yaml",
                b"apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n    - name: c\n      image: quay.io/x/y:1\n",
            ),
        ]),
    );
    let r = run(&["images", "--chart", s(&f), "--format", "plain"]);
    check(&r, 0, "");
    assert_eq!(r.stdout, "quay.io/x/y:1\n");
    assert!(r.elapsed < TIME_LIMIT);
}

fn gzip(bytes: &[u8]) -> Vec<u8> {
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

/// A .tgz with the given entries, names written raw (the `tar` builder refuses `..`).
fn archive(entries: &[(&str, &[u8])]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_old();
        let raw = &mut header.as_old_mut().name;
        raw[..name.len()].copy_from_slice(name.as_bytes());
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, *data).unwrap();
    }
    gzip(&builder.into_inner().unwrap())
}

/// `n` unknown keys `k0`… and a known one, as one line of JSON.
fn one_line_of_keys(n: usize) -> String {
    let keys: String = (0..n).map(|i| format!("\"k{i}\": {i}, ")).collect();
    format!("{{{keys}\"stackstate\": {{\"baseUrl\": \"http://x\"}}}}\n")
}

/// A values file on one line (JSON, as generated values often are): a YAML error and a finding
/// 70,000 characters and more along it are named with their line and column. miette pads its
/// markers to the column, and Rust's formatter refuses a padding past 65,535: both panicked.
#[test]
fn places_far_along_one_long_line_are_named_not_drawn() {
    let dir = Scratch::new("one-long-line");
    let keys: String = (0..8_000).map(|i| format!("\"k{i}\": {i}, ")).collect();
    let broken = dir.file("broken.json", format!("{{{keys}\"last\": [1, 2}}\n"));
    let r = images_of(&broken);
    input_error(&r, "broken.json:1:");
    assert!(r.stderr.len() < 4_000, "{}", r.stderr);
    let text = one_line_of_keys(8_000);
    let unknown = dir.file("unknown.json", &text);
    let r = run(&[
        "--no-config",
        "--chart-version",
        "stackstate@4.4.0",
        s(&unknown),
    ]);
    // Warnings only (the unknown keys): exit 0.
    check(&r, 0, "");
    // The last unknown key, named where its quote is (the text is ASCII: a byte a column).
    let last = format!(
        "at {}:1:{}",
        s(&unknown),
        text.find("\"k7999\"").unwrap() + 1
    );
    assert!(r.stdout.contains(&last), "no `{last}` in:\n{}", r.stdout);
}

/// SARIF repeats a result's lines as its context: thousands of findings along a values file on
/// one line made gigabytes (20,000 keys on a 289 KB line never finished). A longer line is
/// given by its place alone; the columns stay exact.
#[test]
fn sarif_of_findings_along_one_long_line_stays_small() {
    let dir = Scratch::new("one-long-line-sarif");
    let text = one_line_of_keys(3_000);
    let unknown = dir.file("unknown.json", &text);
    let r = run(&[
        "--no-config",
        "--chart-version",
        "stackstate@4.4.0",
        "--format",
        "sarif",
        s(&unknown),
    ]);
    check(&r, 0, "");
    // Each result once held the whole 45 KB line: 135 MB.
    assert!(r.stdout.len() < 5_000_000, "{} bytes", r.stdout.len());
    let log: serde_json::Value = serde_json::from_str(&r.stdout).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert!(results.len() >= 3_000, "{} results", results.len());
    let last = results
        .iter()
        .find(|r| r["message"]["text"].as_str().unwrap().contains("`k2999`"))
        .expect("a finding on k2999");
    let location = &last["locations"][0]["physicalLocation"];
    assert_eq!(
        location["region"]["startColumn"],
        text.find("\"k2999\"").unwrap() + 1
    );
    assert_eq!(location["region"]["snippet"]["text"], "\"k2999\"");
    assert!(location.get("contextRegion").is_none(), "{location}");
}
