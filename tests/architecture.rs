//! The crate's top-level modules form no import circle: data flows one way (inputs → values →
//! render → release → rules → findings → report) and nothing below a layer names one above it.
//!
//! Reads `src/**/*.rs`, collects every `crate::<module>` reference (`use crate::{a, b::c}` groups
//! too, doc links included: a doc that links upward is a dependency the reader follows) per
//! top-level module, and fails naming each cycle with the files behind its edges.
//!
//! Also: the library exports only what its users (the binary, the integration tests, benches and
//! fuzz targets) drive; its top-level public items are listed here, so that widening them is a
//! decision, not an accident.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::path::{Path, PathBuf};

/// Edges still allowed while the layering is finished: (from, to, why). Each must still exist
/// (the test fails on a stale one), so the list only shrinks.
const ALLOWED: &[(&str, &str, &str)] = &[];

/// module → module it references → files that reference it.
type Graph = BTreeMap<String, BTreeMap<String, BTreeSet<String>>>;

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .expect("read src")
        .map(|e| e.expect("entry").path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            rust_files(&p, out);
        } else if p.extension().is_some_and(|e| e == "rs") {
            out.push(p);
        }
    }
}

/// The text without plain `//` comments (doc comments `///`, `//!` stay: their links count).
fn without_comments(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for line in text.lines() {
        // NOTE: `https://` inside a string ends the line early; a reference after a URL on the
        // same line is rare enough to miss.
        let cut = match line.find("//") {
            Some(at) if !matches!(line[at + 2..].chars().next(), Some('/' | '!')) => at,
            _ => line.len(),
        };
        out.push_str(&line[..cut]);
        out.push('\n');
    }
    out
}

fn ident(s: &str) -> &str {
    let end = s
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(s.len());
    &s[..end]
}

/// The first segment of every path in the group that starts at `s` (just after `{`).
fn group_heads(s: &str) -> Vec<String> {
    let mut heads = Vec::new();
    let mut depth = 0;
    let mut start = true;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => break,
            '}' => depth -= 1,
            ',' if depth == 0 => start = true,
            c if start && !c.is_whitespace() => {
                start = false;
                heads.push(ident(&s[i..]).to_string());
            }
            _ => {}
        }
    }
    heads
}

/// The top-level modules `text` references through `crate::`.
fn references(text: &str) -> BTreeSet<String> {
    let mut refs = BTreeSet::new();
    for (i, _) in text.match_indices("crate::") {
        let rest = &text[i + "crate::".len()..];
        if let Some(group) = rest.strip_prefix('{') {
            refs.extend(group_heads(group));
        } else {
            refs.insert(ident(rest).to_string());
        }
    }
    refs
}

fn graph() -> Graph {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let top = |p: &Path| -> String {
        let rel = p.strip_prefix(&src).expect("under src");
        let first = rel.components().next().expect("a component");
        let name = first.as_os_str().to_string_lossy();
        name.trim_end_matches(".rs").to_string()
    };
    let modules: BTreeSet<String> = files
        .iter()
        .map(|p| top(p))
        .filter(|m| m != "lib" && m != "main")
        .collect();
    let mut graph = Graph::new();
    for p in &files {
        let from = top(p);
        if !modules.contains(&from) {
            continue;
        }
        let text = std::fs::read_to_string(p).expect("read a source file");
        let rel = p
            .strip_prefix(&src)
            .expect("under src")
            .display()
            .to_string();
        for to in references(&without_comments(&text)) {
            if to != from && modules.contains(&to) {
                graph
                    .entry(from.clone())
                    .or_default()
                    .entry(to)
                    .or_default()
                    .insert(rel.clone());
            }
        }
    }
    graph
}

/// Strongly connected components with more than one module (Tarjan's algorithm).
fn cycles(graph: &Graph) -> Vec<Vec<String>> {
    struct State<'g> {
        graph: &'g Graph,
        index: BTreeMap<&'g str, usize>,
        low: BTreeMap<&'g str, usize>,
        stack: Vec<&'g str>,
        on: BTreeSet<&'g str>,
        out: Vec<Vec<String>>,
    }
    fn visit<'g>(s: &mut State<'g>, v: &'g str) {
        let n = s.index.len();
        s.index.insert(v, n);
        s.low.insert(v, n);
        s.stack.push(v);
        s.on.insert(v);
        for w in s.graph.get(v).into_iter().flat_map(|m| m.keys()) {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let l = s.low[w].min(s.low[v]);
                s.low.insert(v, l);
            } else if s.on.contains(w) {
                let l = s.index[w].min(s.low[v]);
                s.low.insert(v, l);
            }
        }
        if s.low[v] == s.index[v] {
            let mut comp = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on.remove(w);
                comp.push(w.to_string());
                if w == v {
                    break;
                }
            }
            if comp.len() > 1 {
                comp.sort();
                s.out.push(comp);
            }
        }
    }
    let mut s = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on: BTreeSet::new(),
        out: Vec::new(),
    };
    for v in graph.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.out
}

/// A shortest circle through the first module of `comp`, for the message.
fn one_circle(graph: &Graph, comp: &[String]) -> Vec<String> {
    let start = &comp[0];
    let mut prev: BTreeMap<&str, &str> = BTreeMap::new();
    let mut queue = VecDeque::from([start.as_str()]);
    while let Some(v) = queue.pop_front() {
        for w in graph.get(v).into_iter().flat_map(|m| m.keys()) {
            if !comp.contains(w) {
                continue;
            }
            if w == start {
                let mut path = vec![start.clone()];
                let mut at = v;
                while at != start {
                    path.push(at.to_string());
                    at = prev[at];
                }
                path.push(start.clone());
                path.reverse();
                return path;
            }
            if !prev.contains_key(w.as_str()) {
                prev.insert(w, v);
                queue.push_back(w);
            }
        }
    }
    comp.to_vec()
}

#[test]
fn the_modules_form_no_import_circle() {
    let mut graph = graph();
    let mut stale = Vec::new();
    for (from, to, _) in ALLOWED {
        let removed = graph.get_mut(*from).and_then(|m| m.remove(*to));
        if removed.is_none() {
            stale.push(format!("{from} -> {to}"));
        }
    }
    assert!(
        stale.is_empty(),
        "allowed edges that no longer exist (remove them from ALLOWED): {stale:?}"
    );
    let found = cycles(&graph);
    let mut report = String::new();
    for comp in &found {
        report.push_str(&format!(
            "\n{} modules in a circle, e.g. {}\n",
            comp.len(),
            one_circle(&graph, comp).join(" -> ")
        ));
        for from in comp {
            for (to, files) in &graph[from] {
                if comp.contains(to) {
                    let files: Vec<&str> = files.iter().map(String::as_str).collect();
                    report.push_str(&format!("  {from} -> {to}: {}\n", files.join(", ")));
                }
            }
        }
    }
    assert!(
        found.is_empty(),
        "import circles among src/ modules:{report}"
    );
}

#[test]
fn references_are_read_from_groups_and_paths() {
    let text = "use crate::{a::{b, c}, d};\nuse crate::e::F; // crate::g\n/// [`crate::h`]\n";
    let refs = references(&without_comments(text));
    let refs: Vec<&str> = refs.iter().map(String::as_str).collect();
    assert_eq!(refs, ["a", "d", "e", "h"]);
}

/// Every top-level `pub` item of `src/lib.rs`, as written there: a module, a re-export, a
/// function or constant of the library's own. A new entry needs a user outside the crate (a
/// test that reaches into internals belongs beside them, as a unit test).
const EXPORTED: &[&str] = &[
    "pub mod chart",
    "pub mod release",
    "pub mod render",
    "pub mod template",
    "pub mod value",
    "pub mod yaml",
    "pub use builtin_charts::{all as all_builtin_charts, find as find_builtin_chart}",
    "pub use bundle::write as write_bundle",
    "pub use engine::release_images",
    "pub use merge::HelmVersion",
    "pub use rules::all as all_rules",
    "pub use set::parse_into as parse_set",
    "pub use source::{FileId, Sources}",
    "pub const EXIT_OK",
    "pub const EXIT_FINDINGS",
    "pub const EXIT_INPUT",
    "pub fn exit",
    "pub fn run",
];

/// The top-level `pub` items of a crate root: `pub mod`/`pub use` whole (a wrapped `use` joined
/// onto one line), any other item as `pub <kind> <name>`.
fn exported(lib: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut lines = lib.lines();
    while let Some(line) = lines.next() {
        if !line.starts_with("pub ") {
            continue;
        }
        if line.starts_with("pub use ") || line.starts_with("pub mod ") {
            let mut item = line.to_string();
            while !item.contains(';') {
                let Some(next) = lines.next() else { break };
                item.push_str(next.trim());
            }
            let item = item.trim_end_matches(';').replace(',', ", ");
            let item = item.split_whitespace().collect::<Vec<_>>().join(" ");
            out.push(
                item.replace("{ ", "{")
                    .replace(", }", "}")
                    .replace(" }", "}"),
            );
        } else {
            let words: Vec<&str> = line.split_whitespace().take(3).collect();
            let name = words.get(2).map_or("", |w| ident(w));
            out.push(format!(
                "{} {} {name}",
                words[0],
                words.get(1).unwrap_or(&"")
            ));
        }
    }
    out
}

#[test]
fn the_library_exports_only_the_listed_items() {
    let lib = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("src/lib.rs"))
        .expect("read src/lib.rs");
    let found: BTreeSet<String> = exported(&lib).into_iter().collect();
    let listed: BTreeSet<String> = EXPORTED.iter().map(|s| s.to_string()).collect();
    let added: Vec<&String> = found.difference(&listed).collect();
    let removed: Vec<&String> = listed.difference(&found).collect();
    assert!(
        added.is_empty() && removed.is_empty(),
        "src/lib.rs exports other items than EXPORTED lists (tests/architecture.rs)\n  exported, not listed: {added:?}\n  listed, not exported: {removed:?}"
    );
}

#[test]
fn exported_items_are_read_whole() {
    let lib = "pub mod a;\nmod b;\npub(crate) mod c;\npub use b::{\n    x as y,\n    z,\n};\npub fn run<I>(i: I) {}\npub const N: i32 = 0;\n";
    assert_eq!(
        exported(lib),
        [
            "pub mod a",
            "pub use b::{x as y, z}",
            "pub fn run",
            "pub const N"
        ]
    );
}
