//! Acceptance: every template of every chart in `shared/charts-src` parses, subcharts included
//! (unpacked under `charts/<name>/` or packed as `charts/*.tgz`).

use std::io::Read;
use std::path::Path;
use std::time::{Duration, Instant};

use super::parse;
use crate::template::ast::{Arg, List, Node, Pipe};

/// The functions the charts use (shared/render/INVENTORY.md); the real table is elsewhere.
const FUNCS: &[&str] = &[
    "eq",
    "printf",
    "and",
    "or",
    "not",
    "print",
    "index",
    "ne",
    "gt",
    "len",
    "lt",
    "ge",
    "println",
    "nindent",
    "dict",
    "quote",
    "merge",
    "default",
    "omit",
    "indent",
    "trimSuffix",
    "append",
    "list",
    "b64enc",
    "int",
    "trunc",
    "empty",
    "set",
    "semverCompare",
    "sha256sum",
    "contains",
    "lower",
    "toString",
    "ternary",
    "fail",
    "join",
    "typeIs",
    "randAlphaNum",
    "replace",
    "hasSuffix",
    "hasKey",
    "until",
    "regexFind",
    "upper",
    "coalesce",
    "has",
    "mul",
    "splitList",
    "randAlpha",
    "regexMatch",
    "first",
    "sub",
    "add",
    "kindIs",
    "without",
    "date",
    "now",
    "max",
    "div",
    "sortAlpha",
    "compact",
    "untilStep",
    "add1",
    "toPrettyJson",
    "keys",
    "clean",
    "trim",
    "uniq",
    "genCA",
    "genSignedCert",
    "reverse",
    "randAscii",
    "randNumeric",
    "regexReplaceAllLiteral",
    "shuffle",
    "substr",
    "int64",
    "floor",
    "get",
    "base",
    "b64dec",
    "concat",
    "split",
    "mulf",
    "deepCopy",
    "mustMergeOverwrite",
    "float64",
    "divf",
    "prepend",
    "subf",
    "cat",
    "mergeOverwrite",
    "semver",
    "title",
    "unset",
    "bcrypt",
    "urlParse",
    "kindOf",
    "tuple",
    "include",
    "toYaml",
    "fromYaml",
    "tpl",
    "required",
    "toJson",
    "lookup",
];

/// Whether `path` (inside a chart archive) is under a chart's `templates/` directory: the chart
/// roots are the archive's top directory and every `charts/<name>/` below a root.
fn is_template(path: &str) -> bool {
    let parts: Vec<&str> = path.split('/').collect();
    let mut root = 0;
    loop {
        match parts.get(root + 1) {
            Some(&"templates") => return parts.len() > root + 2,
            Some(&"charts") if parts.len() > root + 3 => root += 2,
            _ => return false,
        }
    }
}

struct Tally {
    max_depth: usize,
    texts: Vec<(String, String)>,
    files: usize,
    bytes: usize,
    trees: usize,
    parse_time: Duration,
    errors: Vec<String>,
}

fn walk_archive(name: &str, gz: &[u8], tally: &mut Tally) {
    let mut archive = tar::Archive::new(flate2::read::GzDecoder::new(gz));
    let Ok(entries) = archive.entries() else {
        tally.errors.push(format!("{name}: not a tar.gz"));
        return;
    };
    for entry in entries {
        let Ok(mut entry) = entry else {
            tally.errors.push(format!("{name}: bad entry"));
            return;
        };
        let path = entry
            .path()
            .map(|p| p.to_string_lossy().into_owned())
            .unwrap_or_default();
        let mut data = Vec::new();
        if entry.read_to_end(&mut data).is_err() {
            tally.errors.push(format!("{name}: {path}: unreadable"));
            continue;
        }
        if path.ends_with(".tgz") && path.contains("/charts/") {
            walk_archive(&format!("{name}!{path}"), &data, tally);
        } else if is_template(&path) {
            let text = String::from_utf8_lossy(&data);
            tally.texts.push((path.clone(), text.to_string()));
            let start = Instant::now();
            let parsed = parse(&path, &text, &|f| FUNCS.contains(&f));
            tally.parse_time += start.elapsed();
            match parsed {
                Ok(trees) => {
                    tally.trees += trees.len();
                    for t in &trees {
                        tally.max_depth = tally.max_depth.max(list_depth(&t.root));
                    }
                }
                Err(e) => tally.errors.push(format!("{name}: {e}")),
            }
            tally.files += 1;
            tally.bytes += data.len();
        }
    }
}

#[test]
fn every_chart_template_parses() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/charts-src");
    let Ok(listing) = std::fs::read_dir(&dir) else {
        eprintln!("skipped: {} not found", dir.display());
        return;
    };
    let mut paths: Vec<_> = listing.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    let mut tally = Tally {
        max_depth: 0,
        texts: Vec::new(),
        files: 0,
        bytes: 0,
        trees: 0,
        parse_time: Duration::ZERO,
        errors: Vec::new(),
    };
    for path in paths
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "tgz"))
    {
        let data = std::fs::read(path).unwrap_or_default();
        walk_archive(&path.display().to_string(), &data, &mut tally);
    }
    eprintln!(
        "parsed {} template files ({} KiB, {} trees, nesting depth up to {}) in {:?}",
        tally.files,
        tally.bytes / 1024,
        tally.trees,
        tally.max_depth,
        tally.parse_time
    );
    assert!(tally.errors.is_empty(), "{}", tally.errors.join("\n"));
    if std::env::var_os("PARSE_BENCH").is_some() {
        bench(&tally.texts);
    }
    assert!(tally.files > 1000, "only {} files found", tally.files);
}

#[test]
fn template_paths() {
    assert!(is_template("a/templates/x.yaml"));
    assert!(is_template("a/templates/sub/x.yaml"));
    assert!(is_template("a/charts/b/templates/x.yaml"));
    assert!(is_template("a/charts/b/charts/c/templates/_h.tpl"));
    assert!(!is_template("a/files/templates/x.yaml"));
    assert!(!is_template("a/charts/b/files/templates/x"));
    assert!(!is_template("a/templates"));
}

fn bench(texts: &[(String, String)]) {
    // CPU time of this thread (the machine is shared, wall time is noisy).
    fn cpu() -> Duration {
        let stat = std::fs::read_to_string("/proc/thread-self/schedstat").unwrap_or_default();
        let ns = stat
            .split(' ')
            .next()
            .and_then(|n| n.parse().ok())
            .unwrap_or(0);
        Duration::from_nanos(ns)
    }
    let set: std::collections::HashSet<&str> = FUNCS.iter().copied().collect();
    let mut best = (Duration::MAX, Duration::MAX);
    for _ in 0..5 {
        let start = cpu();
        for (_, text) in texts {
            let mut l = crate::template::lex::Lexer::new(text, true, true);
            while !matches!(
                l.next_item().typ,
                crate::template::lex::ItemType::Eof | crate::template::lex::ItemType::Error
            ) {}
        }
        let lexed = cpu();
        for (name, text) in texts {
            let _ = parse(name, text, &|f| set.contains(f));
        }
        best.0 = best.0.min(lexed - start);
        best.1 = best.1.min(cpu() - lexed);
    }
    eprintln!(
        "CPU time, best of 5: lex only {:?}, parse {:?}",
        best.0, best.1
    );
}

/// How deeply control structures and parentheses nest, counted as the parser bounds them.
fn list_depth(list: &List) -> usize {
    list.nodes.iter().map(node_depth).max().unwrap_or(0)
}

fn node_depth(node: &Node) -> usize {
    match node {
        Node::If(b) | Node::Range(b) | Node::With(b) => {
            let else_depth = b.else_list.as_ref().map_or(0, |l| list_depth(l));
            1 + pipe_depth(&b.pipe).max(list_depth(&b.list)).max(else_depth)
        }
        Node::Action { pipe, .. } => pipe_depth(pipe),
        Node::Template { pipe, .. } => pipe.as_deref().map_or(0, pipe_depth),
        _ => 0,
    }
}

fn pipe_depth(pipe: &Pipe) -> usize {
    pipe.cmds
        .iter()
        .flat_map(|c| &c.args)
        .map(arg_depth)
        .max()
        .unwrap_or(0)
}

fn arg_depth(arg: &Arg) -> usize {
    match arg {
        Arg::Pipe(_, p) => 1 + pipe_depth(p),
        Arg::Chain(_, a, _) => arg_depth(a),
        _ => 0,
    }
}
