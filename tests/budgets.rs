//! Global budgets and linear cost (issue #11): what one run may read, build and spend is
//! bounded across all its inputs, not per file, and the cost of a lint grows with the input.

mod common;

use std::fmt::Write as _;
use std::time::Duration;

use common::bin::{Opts, Scratch, no_panic, run, run_with, s};

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

#[test]
fn fix_on_ten_thousand_unknown_keys_takes_linear_time() {
    let dir = Scratch::new("budget-fix-keys");
    // One fixable tag among many unknown keys: every fix re-lints the whole file.
    let mut text =
        String::from("stackstate:\n  components:\n    all:\n      image:\n        tag: 4.10\n");
    for i in 0..10_000 {
        let _ = writeln!(text, "  unknownKey{i}: {i}");
    }
    let file = dir.file("values.yaml", text);
    let r = run(&["--no-config", "--fix", "--format", "compact", s(&file)]);
    no_panic(&r);
    assert!(
        r.stderr.contains("fixed 1 finding(s) in 1 file(s)"),
        "{}",
        r.stderr
    );
    assert!(
        std::fs::read_to_string(&file)
            .unwrap()
            .contains("tag: \"4.10\"")
    );
    // About 10 s in a debug build beside other tests; 150,000 keys did not finish in 12
    // minutes when each key cost a merge of four charts' defaults.
    assert!(r.elapsed < Duration::from_secs(45), "{:?}", r.elapsed);
}

/// The largest resident set of any child this test process has waited for, in KiB.
fn children_peak_kib() -> i64 {
    let mut usage: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: a valid pointer to a zeroed rusage.
    unsafe { libc::getrusage(libc::RUSAGE_CHILDREN, &mut usage) };
    usage.ru_maxrss
}

/// Peak memory a run may reach on any input (the README, Limits, states the measured bound;
/// bench/memory.sh measures every worst case there in a release build).
const MEMORY_BOUND_KIB: i64 = 2048 * 1024;

fn gzip(bytes: &[u8]) -> Vec<u8> {
    use std::io::Write;
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(bytes).unwrap();
    enc.finish().unwrap()
}

fn tar(entries: &[(String, Vec<u8>)]) -> Vec<u8> {
    let mut builder = tar::Builder::new(Vec::new());
    for (name, data) in entries {
        let mut header = tar::Header::new_gnu();
        header.set_size(data.len() as u64);
        header.set_mode(0o644);
        header.set_cksum();
        builder.append_data(&mut header, name, &data[..]).unwrap();
    }
    builder.into_inner().unwrap()
}

#[test]
fn sixteen_subcharts_share_one_node_budget() {
    let dir = Scratch::new("budget-subcharts");
    // Each subchart stays under the per-file limit; together they are 2.4 million values.
    let list = format!("big: [{}0]\n", "0,".repeat(149_999));
    let mut entries = vec![
        (
            "stackstate/Chart.yaml".to_string(),
            b"apiVersion: v2\nname: stackstate\nversion: 4.4.0\n".to_vec(),
        ),
        (
            "stackstate/values.yaml".to_string(),
            b"global: {}\n".to_vec(),
        ),
    ];
    for i in 0..16 {
        let sub = tar(&[
            (
                format!("sub{i}/Chart.yaml"),
                format!("apiVersion: v2\nname: sub{i}\nversion: 1.0.0\n").into_bytes(),
            ),
            (format!("sub{i}/values.yaml"), list.clone().into_bytes()),
        ]);
        entries.push((format!("stackstate/charts/sub{i}.tgz"), gzip(&sub)));
    }
    let chart = dir.file("chart.tgz", gzip(&tar(&entries)));
    assert!(std::fs::metadata(&chart).unwrap().len() < 64 * 1024);
    let r = run(&["images", "--chart", s(&chart), "--format", "plain"]);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(r.stderr.contains("values.yaml:1:"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the inputs of this run expand to more than 1000000 values in all"),
        "{}",
        r.stderr
    );
    assert!(
        children_peak_kib() < MEMORY_BOUND_KIB,
        "{} KiB",
        children_peak_kib()
    );
}

#[test]
fn set_list_growth_is_summed_over_every_argument() {
    let one = run(&["images", "--format", "plain", "--set", "a[65536]=1"]);
    assert_eq!(one.code, 0, "Helm's own limit still holds: {}", one.stderr);
    let ten = "a[65536]=1,b[65536]=1,c[65536]=1,d[65536]=1,e[65536]=1".repeat(2);
    for args in [
        vec!["images", "--format", "plain", "--set", &ten],
        vec![
            "images",
            "--format",
            "plain",
            "--set",
            "a[65536]=1",
            "--set-string",
            "b[65536]=1",
        ],
    ] {
        let r = run(&args);
        no_panic(&r);
        assert_eq!(r.code, 2, "{}", r.stderr);
        assert!(
            r.stderr
                .contains("create more than 65537 list elements in all"),
            "{}",
            r.stderr
        );
    }
    assert!(
        children_peak_kib() < MEMORY_BOUND_KIB,
        "{} KiB",
        children_peak_kib()
    );
}

#[test]
fn fifos_devices_and_huge_configs_are_refused() {
    let dir = Scratch::new("budget-fifo");
    let fifo = dir.path("values.yaml");
    let c = std::ffi::CString::new(s(&fifo)).unwrap();
    // SAFETY: a valid C string; mkfifo only creates the node.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
    let values = dir.file("ok-values.yaml", "a: 1\n");
    let set_fifo = format!("a={}", s(&fifo));
    let big = dir.file("big.yaml", "");
    std::fs::OpenOptions::new()
        .write(true)
        .open(&big)
        .unwrap()
        .set_len(300 << 20)
        .unwrap();
    // A values file may be a pipe (`-f <(sops -d …)`): one nothing writes to ends after the
    // wait; a chart or a config is never one.
    let waited = "values.yaml: a pipe that gave no more input and did not end within 1 s";
    for (args, says) in [
        (vec![s(&fifo)], waited),
        (vec!["images", "-f", s(&fifo)], waited),
        (vec!["images", "--set-file", &set_fifo], waited),
        (
            vec!["images", "--chart", s(&fifo)],
            "values.yaml: not a regular file",
        ),
        (
            vec!["--config", s(&fifo), s(&values)],
            "cannot read config: not a regular file",
        ),
        (
            vec!["--config", "/dev/zero", s(&values)],
            "cannot read config: not a regular file",
        ),
        (
            vec!["--config", s(&big), s(&values)],
            "config is 314572800 bytes, larger than the limit",
        ),
        (
            vec!["images", "--set-file", "a=/dev/zero"],
            "/dev/zero: not a regular file",
        ),
        (
            vec!["images", "-f", "/dev/zero"],
            "/dev/zero: not a regular file",
        ),
    ] {
        let r = run_with(
            &args,
            &Opts {
                env: &[("STACKSTATE_LINT_PIPE_WAIT", "1")],
                ..Opts::default()
            },
        );
        no_panic(&r);
        assert_eq!(r.code, 2, "{args:?}: {}", r.stderr);
        assert!(r.stderr.contains(says), "{args:?}: {}", r.stderr);
        assert!(
            r.elapsed < Duration::from_secs(10),
            "{args:?}: {:?}",
            r.elapsed
        );
    }
}

#[test]
fn a_pipe_of_values_is_read_once_like_a_file() {
    // `images -f <(…)` and a PATH that is a pipe: the text a writer sends (late, in pieces) is
    // the values, though the run reads a PATH twice (to pick the chart, then to lint).
    let dir = Scratch::new("budget-pipe");
    let text = "global:\n  imageRegistry: reg.example\n";
    let file = dir.file("file-values.yaml", text);
    for args in [
        vec!["images", "--format", "plain", "-f"],
        vec!["images", "--format", "plain"],
    ] {
        let fifo = dir.path("pipe-values.yaml");
        let _ = std::fs::remove_file(&fifo);
        let c = std::ffi::CString::new(s(&fifo)).unwrap();
        // SAFETY: a valid C string; mkfifo only creates the node.
        assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o600) }, 0);
        let writer = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                use std::io::Write;
                std::thread::sleep(Duration::from_millis(300));
                let mut w = std::fs::OpenOptions::new().write(true).open(&fifo).unwrap();
                let (a, b) = text.split_at(10);
                w.write_all(a.as_bytes()).unwrap();
                w.flush().unwrap();
                std::thread::sleep(Duration::from_millis(300));
                w.write_all(b.as_bytes()).unwrap();
            })
        };
        let mut piped = args.clone();
        piped.push(s(&fifo));
        let r = run(&piped);
        writer.join().unwrap();
        let mut named = args.clone();
        named.push(s(&file));
        let want = run(&named);
        no_panic(&r);
        assert_eq!(
            (r.code, want.code),
            (0, 0),
            "{args:?}: {}{}",
            r.stderr,
            want.stderr
        );
        assert!(r.stdout.contains("reg.example/"), "{}", r.stdout);
        assert_eq!(r.stdout, want.stdout, "{args:?}");
    }
}

#[test]
fn bytes_read_are_bounded_across_files() {
    let dir = Scratch::new("budget-bytes");
    let mut args: Vec<String> = vec!["--no-config".into(), "--format".into(), "compact".into()];
    for i in 0..20 {
        // Sparse: 7 MiB each on paper, nothing on disk (each is also refused for its NUL bytes,
        // after it was read).
        let f = dir.file(&format!("v{i:02}-values.yaml"), "");
        std::fs::OpenOptions::new()
            .write(true)
            .open(&f)
            .unwrap()
            .set_len(7 << 20)
            .unwrap();
        args.push(s(&f).into());
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&args);
    no_panic(&r);
    assert_eq!(r.code, 2);
    assert!(
        r.stderr
            .contains("larger than the limit of 134217728 bytes in all"),
        "{}",
        r.stderr
    );
}

#[test]
fn set_file_bytes_count_with_the_values_files() {
    let dir = Scratch::new("budget-set-file");
    // 19 names of one 7 MiB text file: each under the per-file limit, 133 MiB together.
    let text = dir.file("text.txt", "x".repeat(7 << 20));
    let mut args = vec!["images".to_string(), "--format".into(), "plain".into()];
    for i in 0..19 {
        let link = dir.path(&format!("t{i}.txt"));
        std::fs::hard_link(&text, &link).unwrap();
        args.extend(["--set-file".into(), format!("k{i}={}", s(&link))]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let r = run(&args);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr.contains("--set-file #19")
            && r.stderr
                .contains("larger than the limit of 134217728 bytes in all"),
        "{}",
        r.stderr
    );
    assert!(
        children_peak_kib() < MEMORY_BOUND_KIB,
        "{} KiB",
        children_peak_kib()
    );
}

#[test]
fn set_and_set_json_values_count_with_the_values_files() {
    let dir = Scratch::new("budget-set-nodes");
    // 990,001 values in the file, under the run's 1,000,000; each argument adds 20,001.
    let file = dir.file("values.yaml", format!("big: [{}0]\n", "0,".repeat(989_999)));
    let json = format!("extra=[{}0]", "0,".repeat(20_000));
    let list = format!("extra={{{}0}}", "0,".repeat(20_000));
    let alone = run(&["images", "--format", "plain", "--set-json", &json]);
    assert_eq!(alone.code, 0, "{}", alone.stderr);
    // A file just within the budget leaves too little for the built-in chart's own values,
    // which count in it: the run's budget is spent, an input error (it panicked, calling the
    // chart corrupt).
    let nearly = dir.file("nearly.yaml", format!("big: [{}0]\n", "0,".repeat(998_997)));
    let r = run(&["images", "--format", "plain", "-f", s(&nearly)]);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the inputs of this run expand to more than 1000000 values in all")
            && !r.stderr.contains("corrupt"),
        "{}",
        r.stderr
    );
    for (flag, arg) in [
        ("--set-json", json.as_str()),
        ("--set", list.as_str()),
        ("--set-string", list.as_str()),
    ] {
        let r = run(&["images", "--format", "plain", "-f", s(&file), flag, arg]);
        no_panic(&r);
        assert_eq!(r.code, 2, "{flag}: {}", r.stderr);
        assert!(
            r.stderr.contains(&format!("error: {flag} #1 `extra="))
                && r.stderr
                    .contains("the inputs of this run expand to more than 1000000 values in all"),
            "{flag}: {}",
            r.stderr
        );
    }
    // Helm 4's whole-object form counts the same.
    let object = format!("{{\"extra\": [{}0]}}", "0,".repeat(20_000));
    let r = run(&[
        "images",
        "--format",
        "plain",
        "--helm-version",
        "4",
        "-f",
        s(&file),
        "--set-json",
        &object,
    ]);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.stderr);
    assert!(
        r.stderr
            .contains("the inputs of this run expand to more than 1000000 values in all"),
        "{}",
        r.stderr
    );
}

#[test]
fn a_values_file_shared_by_many_paths_is_held_once() {
    let dir = Scratch::new("budget-shared-base");
    // 7 MiB of blank lines: a large text with a large line index (8 bytes a line).
    let base = dir.file("base.yaml", format!("{}a: 1\n", "\n".repeat(7 << 20)));
    let mut args = vec!["--no-config", "--format", "compact", "-f", s(&base)];
    let paths: Vec<_> = (0..10)
        .map(|i| dir.file(&format!("v{i}-values.yaml"), format!("b{i}: 1\n")))
        .collect();
    args.extend(paths.iter().map(|p| s(p)));
    let r = run(&args);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    assert_eq!(r.stdout.matches("[SL202]").count(), 11, "{}", r.stdout);
    // Held once per PATH, it took 690 MB (release build).
    assert!(
        children_peak_kib() < MEMORY_BOUND_KIB,
        "{} KiB",
        children_peak_kib()
    );
}

#[test]
fn small_maps_count_what_they_take() {
    let dir = Scratch::new("budget-small-maps");
    // 2.3 MB of one-entry maps under the old count took 1.8 GB to lint: a map's storage has room
    // for 11 entries however few it holds, and the budget now counts it.
    let list = |n: usize| format!("big: [{}{{a: 0}}]\n", "{a: 0},".repeat(n - 1));
    let refused = dir.file("refused-values.yaml", list(330_000));
    let r = run(&["--no-config", "--format", "compact", s(&refused)]);
    no_panic(&r);
    assert_eq!(r.code, 2, "{}", r.stderr);
    // The file's own limit or the run's, whichever the chart's values leave first.
    assert!(
        r.stderr.contains("refused-values.yaml:1:")
            && r.stderr.contains("expand to more than 1000000 values")
            || r.stderr.contains("expands to more than 1000000 values"),
        "{}",
        r.stderr
    );
    let file = dir.file("values.yaml", list(70_000));
    let r = run(&["--no-config", "--format", "compact", s(&file)]);
    no_panic(&r);
    assert_eq!(r.code, 0, "{}", r.stderr);
    // 303 MB in a release build.
    assert!(
        children_peak_kib() < MEMORY_BOUND_KIB,
        "{} KiB",
        children_peak_kib()
    );
}

/// The worst input found (bench/memory.sh): a chart holding the run's values at the node
/// limit 8 subcharts deep, and 15 values files of 8 MiB strings spending the byte budget: the
/// chart's values are held by the chart, its merged defaults, the release and the render lint
/// asks for; the strings by the file, the user values, the release and the render's values.
/// 1.68 GiB in a release build.
#[test]
fn the_worst_input_stays_under_the_memory_bound() {
    let dir = Scratch::new("budget-worst");
    let chart_yaml =
        |name: &str| format!("apiVersion: v2\nname: {name}\nversion: 4.4.0\n").into_bytes();
    let mut chart: Option<Vec<u8>> = None;
    for level in (0..=8).rev() {
        let name = if level == 0 {
            "stackstate".to_string()
        } else {
            format!("sub{level}")
        };
        let values = if level == 8 {
            format!("big: [{}a]\n", "a,".repeat(989_999)).into_bytes()
        } else {
            b"x: 1\n".to_vec()
        };
        let mut entries = vec![
            (format!("{name}/Chart.yaml"), chart_yaml(&name)),
            (format!("{name}/values.yaml"), values),
        ];
        if let Some(inner) = chart.take() {
            entries.push((format!("{name}/charts/sub{}.tgz", level + 1), inner));
        }
        chart = Some(gzip(&tar(&entries)));
    }
    let chart = dir.file("chart.tgz", chart.unwrap_or_default());
    let mut args = vec![
        "--no-config".to_string(),
        "--format".into(),
        "compact".into(),
        "--chart".into(),
        s(&chart).into(),
    ];
    for i in 0..15 {
        let text = format!("s{i}: \"{}\"\n", "x".repeat((8 << 20) - 16));
        args.extend([
            "-f".into(),
            s(&dir.file(&format!("s{i}.yaml"), text)).into(),
        ]);
    }
    args.push(s(&dir.file("values.yaml", "a: 1\n")).into());
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    // About 20 s alone in a debug build; much longer beside the rest of the suite.
    let r = run_with(
        &args,
        &Opts {
            kill_after: Some(Duration::from_secs(600)),
            ..Opts::default()
        },
    );
    no_panic(&r);
    assert!(r.code < 2, "{}", r.stderr);
    assert!(
        children_peak_kib() < MEMORY_BOUND_KIB,
        "{} KiB",
        children_peak_kib()
    );
}

#[test]
fn the_renders_of_a_folder_are_not_charged_to_the_input_budget() {
    // The run's budget of a million input values is for what the user gives. Each render of
    // suse-observability 2.10.3 reads some ten thousand values of manifests: charged to it, a
    // folder of a hundred files ran out (every file after the 96th refused with exit 2).
    let dir = Scratch::new("budget-folder-renders");
    for i in 0..110 {
        dir.file(
            &format!("v{i}-values.yaml"),
            format!("global:\n  imageRegistry: r{i}.example.com\n"),
        );
    }
    let folder = dir.0.display().to_string();
    // 110 renders of the biggest chart: about a minute in the test profile on a busy machine.
    let r = run_with(
        &[
            "--no-config",
            "--format",
            "compact",
            "--chart-version",
            "suse-observability@2.10.3",
            &folder,
        ],
        &Opts {
            kill_after: Some(Duration::from_secs(600)),
            ..Opts::default()
        },
    );
    no_panic(&r);
    assert!(!r.stderr.contains("error:"), "{}", r.stderr);
    assert!(
        r.stderr.contains("and 108 more: the chart requires"),
        "{}",
        r.stderr
    );
}
