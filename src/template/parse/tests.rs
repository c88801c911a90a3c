//! Parser tests. Expected error texts come from Helm 3.17.3 (`helm template` on a one-file chart;
//! Helm shows Go's message after its last `": "`, the full text is Go's wording in parse.go).

use std::rc::Rc;

use super::super::ast::{Arg, List, Node, Tree};
use super::super::print::node_text;
use super::{MAX_DEPTH, error_context, is_empty_tree, line_col, parse};

fn funcs(name: &str) -> bool {
    matches!(
        name,
        "printf" | "print" | "and" | "or" | "not" | "eq" | "include" | "list" | "len"
    )
}

fn trees(src: &str) -> Vec<Tree> {
    match parse("x", src, &funcs) {
        Ok(t) => t,
        Err(e) => panic!("{src:?}: {e}"),
    }
}

fn root(src: &str) -> List {
    (*trees(src).remove(0).root).clone()
}

fn err(src: &str) -> String {
    match parse("x", src, &funcs) {
        Ok(_) => panic!("{src:?} parsed"),
        Err(e) => e.message,
    }
}

/// The tree printed back as Go's `String()` does.
fn show(src: &str) -> String {
    node_text(src, &root(src))
}

/// The text pieces of a tree's body.
fn texts(tree: &Tree) -> Vec<String> {
    tree.root
        .nodes
        .iter()
        .filter_map(|n| match n {
            Node::Text { text, .. } => Some(text.to_string()),
            Node::SourceText { pos, len } => {
                Some(crate::template::ast::source_text(&tree.source, *pos, *len).to_string())
            }
            _ => None,
        })
        .collect()
}

#[test]
fn trim_markers_remove_all_adjacent_ascii_whitespace() {
    assert_eq!(texts(&trees("a \t\r\n{{- 1 -}} \n\tb")[0]), ["a", "b"]);
    assert_eq!(texts(&trees("a {{1}} b")[0]), ["a ", " b"]);
    assert_eq!(texts(&trees("a\n  {{- /* c */}}\n b")[0]), ["a", "\n b"]);
    assert_eq!(texts(&trees("a\n {{/* c */ -}}\n b")[0]), ["a\n ", "b"]);
    // Non-ASCII spaces are not trimmed.
    assert_eq!(texts(&trees("a\u{a0} {{- 1}}")[0]), ["a\u{a0}"]);
    // Only whitespace between two trims: no text node at all.
    assert_eq!(root("{{1 -}}  \n  {{- 2}}").nodes.len(), 2);
}

#[test]
fn printing_matches_go_string() {
    let cases = [
        "{{.Values.a.b}}",
        "{{$x := .a}}{{$x.b.c}}",
        "{{$x = 1}}",
        "{{range $i, $e := .l}}{{$i}}{{end}}",
        "{{if .a}}A{{else}}{{if .b}}B{{else}}C{{end}}{{end}}",
        "{{with .a}}x{{else}}{{with .b}}y{{end}}{{end}}",
        "{{(include \"x\" .).a.b}}",
        "{{printf \"%d\\n\" (len .) | print}}",
        "{{template \"t\" .}}",
        "{{`raw`}}",
        "{{0x1p60 'a' 1_000 -2.5e3 true nil .}}",
        "{{range .}}{{break}}{{continue}}{{end}}",
    ];
    for src in cases {
        assert_eq!(show(src), src);
    }
    // `else if` is printed as Go rebuilds it.
    assert_eq!(
        show("{{if .a}}A{{else if .b}}B{{end}}"),
        "{{if .a}}A{{else}}{{if .b}}B{{end}}{{end}}"
    );
    assert_eq!(show("{{ .a | printf \"%v\" }}"), "{{.a | printf \"%v\"}}");
}

#[test]
fn fields_and_variables_take_the_position_of_their_first_extra_field() {
    // Helm prints `x.yaml:1:13` for `a: {{ .Values.a.b }}`.
    let src = "a: {{ .Values.a.b }}";
    let list = root(src);
    let Node::Action { pipe, .. } = &list.nodes[1] else {
        panic!()
    };
    let arg = &pipe.cmds[0].args[0];
    let Arg::Field(pos, fields) = arg else {
        panic!("{arg:?}")
    };
    assert_eq!(
        fields.iter().map(|f| &**f).collect::<Vec<_>>(),
        ["Values", "a", "b"]
    );
    assert_eq!(line_col(src, *pos), (1, 13));
    let t = trees(src).remove(0);
    assert_eq!(error_context(&t, *pos), "x:1:13");
    assert_eq!(t.node_text(arg), ".Values.a.b");
    assert_eq!(line_col("a\nb: {{ .Values.a.b.c }}", 15), (2, 13));

    let list = root("{{ $x := . }}{{ $x.a }}{{ (.).b }}");
    let args: Vec<&Arg> = list
        .nodes
        .iter()
        .map(|n| match n {
            Node::Action { pipe, .. } => &pipe.cmds[0].args[0],
            _ => panic!(),
        })
        .collect();
    assert!(matches!(args[1], Arg::Variable(18, name, f) if &**name == "$x" && f.len() == 1));
    assert!(
        matches!(args[2], Arg::Chain(29, inner, f) if matches!(**inner, Arg::Pipe(..)) && &*f[0] == "b")
    );
}

#[test]
fn numbers_strings_and_constants() {
    let list = root(r#"{{ print 1e3 0x1p-2 'a' "a\tb\x41" `c\n` true nil }}"#);
    let Node::Action { pipe, .. } = &list.nodes[0] else {
        panic!()
    };
    let args = &pipe.cmds[0].args;
    let Arg::Number(_, n) = &args[1] else {
        panic!()
    };
    assert_eq!(
        (n.int, n.float, &*n.text),
        (Some(1000), Some(1000.0), "1e3")
    );
    let Arg::Number(_, n) = &args[2] else {
        panic!()
    };
    assert_eq!((n.int, n.float), (None, Some(0.25)));
    let Arg::Number(_, n) = &args[3] else {
        panic!()
    };
    assert_eq!((n.int, n.is_char), (Some(97), true));
    assert!(matches!(&args[4], Arg::String(_, s) if &**s == "a\tbA"));
    assert!(matches!(&args[5], Arg::String(_, s) if &**s == "c\\n"));
    assert!(matches!(args[6], Arg::Bool(_, true)));
    assert!(matches!(args[7], Arg::Nil(_)));
    assert_eq!(
        node_text(
            r#"{{ print "a\tb\x41" }}"#,
            &root(r#"{{ print "a\tb\x41" }}"#)
        ),
        r#"{{print "a\tb\x41"}}"#
    );
}

#[test]
fn defines_and_blocks_are_hoisted_in_source_order() {
    let src = "a{{define \"one\"}}1{{end}}b{{block \"two\" .}}2{{end}}{{define `three`}}3{{end}}";
    let t = trees(src);
    let names: Vec<&str> = t.iter().map(|t| &*t.name).collect();
    assert_eq!(names, ["x", "one", "two", "three"]);
    assert!(t.iter().all(|t| &*t.parse_name == "x" && &*t.source == src));
    assert_eq!(node_text(src, t[0].root.list()), "ab{{template \"two\" .}}");
    assert_eq!(texts(&t[2]), ["2"]);
    // A define with an empty body does not replace a non-empty one of this file, and vice versa.
    let t = trees("{{define \"a\"}}\n\n{{end}}{{define \"a\"}}y{{end}}{{define \"a\"}}\n{{end}}");
    assert_eq!(t.len(), 2);
    assert_eq!(texts(&t[1]), ["y"]);
    // A file holding only defines is an empty tree.
    let only_defines = &trees("{{/* c */}}\n{{define \"a\"}}y{{end}}\n")[0];
    assert!(is_empty_tree(&only_defines.root, &only_defines.source));
    assert!(only_defines.root.is_empty());
    let action = &trees("{{.}}")[0];
    assert!(!is_empty_tree(&action.root, &action.source));
}

#[test]
fn variables_are_scoped_like_go() {
    // Declared in an if body: visible in its else branch at parse time, gone after end.
    trees("{{ if .y }}{{ $y := 2 }}{{ else }}{{ $y }}{{ end }}");
    assert_eq!(
        err("{{ $x := 1 }}\n{{ if .y }}{{ $y := 2 }}{{ end }}\n{{ $y }}"),
        r#"template: x:3: undefined variable "$y""#
    );
    // Range variables, and `$` everywhere including define bodies.
    trees("{{ range $i, $e := . }}{{ $i }}{{ $e }}{{ end }}{{ $ }}");
    trees("{{ define \"d\" }}{{ $.a }}{{ end }}");
    assert_eq!(
        err("{{ $x := 1 }}{{ define \"d\" }}{{ $x }}{{ end }}"),
        r#"template: x:1: undefined variable "$x""#
    );
    // Assignment does not check the variable exists (execution does).
    trees("{{ $z = 1 }}");
    trees("{{ $ := 1 }}{{ .x | }}");
}

#[test]
fn break_and_continue_only_inside_range() {
    trees("{{ range . }}{{ if . }}{{ break }}{{ end }}{{ continue }}{{ end }}");
    assert_eq!(
        err("{{ break }}"),
        "template: x:1: {{break}} outside {{range}}"
    );
    assert_eq!(
        err("{{ continue }}"),
        "template: x:1: {{continue}} outside {{range}}"
    );
    assert_eq!(
        err("{{ with .x }}{{ break }}{{ end }}"),
        "template: x:1: {{break}} outside {{range}}"
    );
    assert_eq!(
        err("{{ range . }}{{ block \"b\" . }}{{ break }}{{ end }}{{ end }}"),
        "template: x:1: {{break}} outside {{range}}"
    );
    assert_eq!(
        err("{{ range .x }}{{ break 1 }}{{ end }}"),
        r#"template: x:1: unexpected "1" in {{break}}"#
    );
    // When a function is called `break`, it is not a keyword.
    let with_break = |n: &str| funcs(n) || n == "break";
    assert!(parse("x", "{{ break }}", &with_break).is_ok());
}

#[test]
fn actions_may_span_lines() {
    let t = root("{{- include \"x\"\n  (list\n   .a\r\n   .b)\n-}}");
    assert_eq!(t.nodes.len(), 1);
}

#[test]
fn errors_are_worded_like_go() {
    let cases = [
        ("{{ .x }", r#"1: unexpected "}" in operand"#),
        ("{{ foo }}", r#"1: function "foo" not defined"#),
        ("{{ $x }}", r#"1: undefined variable "$x""#),
        ("{{ }}", "1: missing value for command"),
        ("{{ if }}{{ end }}", "1: missing value for if"),
        ("{{ end }}", "1: unexpected {{end}}"),
        ("{{ else }}", "1: unexpected {{else}}"),
        (
            "{{ if .x }}{{ else }}{{ else }}{{ end }}",
            "1: expected end; found {{else}}",
        ),
        ("{{ \"a\".x }}", r#"1: unexpected . after term "\"a\"""#),
        ("{{ true.x }}", r#"1: unexpected . after term "true""#),
        ("{{ nil.x }}", r#"1: unexpected . after term "nil""#),
        ("{{ ..x }}", r#"1: unexpected . after term ".""#),
        (
            "{{ 1 | 2 }}",
            "1: non executable command in pipeline stage 2",
        ),
        (
            "{{ 1 }}{{ .x.y | printf \"%v\" | 3 }}",
            "1: non executable command in pipeline stage 3",
        ),
        ("{{ 3x }}", r#"1: bad number syntax: "3x""#),
        ("{{ 089 }}", r#"1: integer overflow: "089""#),
        (
            "{{ 99999999999999999999 }}",
            r#"1: integer overflow: "99999999999999999999""#,
        ),
        ("{{ 1e400 }}", r#"1: illegal number syntax: "1e400""#),
        ("{{ 0x1.0 }}", r#"1: illegal number syntax: "0x1.0""#),
        ("{{ - }}", r#"1: illegal number syntax: "-""#),
        ("{{ 1+i }}", "1: syntax error scanning complex number"),
        ("{{ 1i.x }}", r#"1: unexpected . after term "1i""#),
        ("{{ 0o7i }}", r#"1: illegal number syntax: "0o7i""#),
        ("{{ 'ab' }}", "1: malformed character constant: 'ab'"),
        ("{{ \"\\q\" }}", "1: invalid syntax"),
        ("{{ .x", "1: unclosed action"),
        ("{{ .x ) }}", "1: unexpected right paren"),
        ("{{ (.x }}", "1: unclosed left paren"),
        ("{{ .x€ }}", "1: bad character U+20AC '€'"),
        ("{{ € }}", "1: unrecognized character in action: U+20AC '€'"),
        ("{{ a:b }}", r#"1: function "a" not defined"#),
        (
            "{{/* x */ .x }}",
            "1: comment ends before closing delimiter",
        ),
        ("{{/* x", "1: unclosed comment"),
        ("{{ \"abc", "1: unterminated quoted string"),
        ("{{ `abc", "1: unterminated raw quoted string"),
        ("{{ print 'a", "1: unterminated character constant"),
        (
            "{{ define \"a\" }}x{{ else }}{{ end }}",
            "1: unexpected {{else}} in define clause",
        ),
        (
            "{{ define a }}{{ end }}",
            r#"1: unexpected "a" in define clause"#,
        ),
        (
            "{{ template a }}",
            r#"1: unexpected "a" in template clause"#,
        ),
        (
            "{{ template \"a\" | }}",
            r#"1: unexpected "|" in template clause"#,
        ),
        (
            "{{ .x }}}}{{ template }}",
            r#"1: unexpected "}}" in template clause"#,
        ),
        (
            "{{ block \"b\" . }}x{{ else }}{{ end }}",
            "1: unexpected {{else}} in block clause",
        ),
        (
            "{{ range $i, $j, $k := .x }}{{ end }}",
            "1: too many declarations in range",
        ),
        (
            "{{ range $i, 3 }}{{ end }}",
            "1: range can only initialize variables",
        ),
        (
            "{{ with $x, $y := . }}{{ end }}",
            "1: too many declarations in with",
        ),
        (
            "{{ if .x }}{{ else with .y }}{{ end }}",
            "1: unexpected <with> in input",
        ),
        ("{{ .x 1.2.3 }}", r#"1: unexpected ".3" in operand"#),
        ("{{ ( ) }}", "1: missing value for parenthesized pipeline"),
        ("{{ $x := 1 }}{{ $x = }}", "1: missing value for command"),
        ("{{ .x := 1 }}", r#"1: unexpected ":=" in operand"#),
        ("{{ print if }}", "1: unexpected <if> in operand"),
        (
            "{{ print \"abcdefghijklmnop\" | 1 }}",
            "1: non executable command in pipeline stage 2",
        ),
        (
            "{{ print .a.b.c.d.e.f .x:= }}",
            r#"1: unexpected ":=" in operand"#,
        ),
        (
            "{{ define \"a\" \"abcdéfghijklmnop\" }}{{ end }}",
            r#"1: unexpected "\"abcdéfghi"... in define clause"#,
        ),
        (
            "{{ define \"a\" }}x{{ end }}{{ define \"a\" }}y{{ end }}",
            r#"1: template: multiple definition of template "a""#,
        ),
        // Multi-line: the line is the last token read; lexer errors say where the action began.
        ("a\nb\n{{ if .x }}\nc\n", "5: unexpected EOF"),
        ("{{ .x\n| foo }}", r#"2: function "foo" not defined"#),
        ("line1\n{{ .x\n\n", "4: unclosed action started at x:2"),
        (
            "{{ define \"a\" }}\nx\n{{ end }}\n{{ define \"a\" }}\ny\n{{ end }}",
            r#"6: template: multiple definition of template "a""#,
        ),
        (
            "{{ if .x }}\n{{ else }}\n{{ else }}\n{{ end }}",
            "3: expected end; found {{else}}",
        ),
        (
            "{{/* a\nb */}}{{ foo }}",
            r#"2: function "foo" not defined"#,
        ),
        (
            "a\n{{\n.x\n}}\n{{ foo\n}}",
            r#"5: function "foo" not defined"#,
        ),
        ("{{ `a\nb` | foo }}", r#"2: function "foo" not defined"#),
        (
            "x\n{{ if .x }}\n{{ break }}\n{{ end }}",
            "3: {{break}} outside {{range}}",
        ),
        (
            "{{ .x\n\n)}}",
            "3: unexpected right paren in action started at x:1",
        ),
        ("a\n{{ \"x\ny\" }}", "2: unterminated quoted string"),
        (
            "{{ (\n.x\n}}",
            "3: unclosed left paren in action started at x:1",
        ),
        (
            "{{ block \"b\" . }}\n{{ else }}\n{{ end }}",
            "1: unexpected {{else}} in block clause",
        ),
        ("{{ .x -}}\n\n{{ 3x }}", r#"3: bad number syntax: "3x""#),
    ];
    for (src, want) in cases {
        assert_eq!(err(src), format!("template: x:{want}"), "{src:?}");
    }
}

#[test]
fn hostile_nesting_is_an_error_not_a_crash() {
    let deep = |open: &str, close: &str, n: usize| format!("{}{}", open.repeat(n), close.repeat(n));
    let msg = format!("template: x:1: nesting deeper than {MAX_DEPTH} levels");
    assert_eq!(
        err(&format!(
            "{{{{{}}}}}",
            deep("(", ")", 100_000).replacen("()", "(.)", 1)
        )),
        msg
    );
    assert_eq!(err(&deep("{{if .}}", "{{end}}", 100_000)), msg);
    assert_eq!(err(&deep("{{block \"b\" .}}", "{{end}}", 100_000)), msg);
    let chain = format!("{{{{if .}}}}{}{{{{end}}}}", "{{else if .}}".repeat(100_000));
    assert_eq!(err(&chain), msg);
    // Just below the bound it parses (in a test thread's 2 MiB stack, unoptimised).
    trees(&format!(
        "{{{{{}}}}}",
        deep("(", ")", MAX_DEPTH).replacen("()", "(.)", 1)
    ));
    trees(&deep(
        "{{range .}}{{with .}}",
        "{{end}}{{end}}",
        (MAX_DEPTH - 1) / 2,
    ));
    trees(&format!(
        "{{{{if .}}}}{}{{{{end}}}}",
        "{{else if .}}".repeat(MAX_DEPTH - 2)
    ));
}

#[test]
fn many_variables_and_defines_stay_fast() {
    let n = 50_000;
    let mut src = String::new();
    for i in 0..n {
        src.push_str(&format!("{{{{$v{i} := {i}}}}}"));
    }
    for i in 0..n {
        src.push_str(&format!("{{{{$v{i}}}}}{{{{define \"d{i}\"}}}}{{{{end}}}}"));
    }
    let start = std::time::Instant::now();
    let t = trees(&src);
    assert_eq!(t.len(), n + 1);
    assert!(start.elapsed().as_secs() < 20, "{:?}", start.elapsed());
}

#[test]
fn file_tree_named_like_a_define() {
    let t = trees("\n{{define \"x\"}}body{{end}}\n");
    assert_eq!(t.len(), 1);
    assert_eq!(texts(&t[0]), ["body"]);
    assert!(Rc::ptr_eq(&t[0].source, &t[0].source));
}

#[test]
fn a_comments_line_breaks_count_but_for_go_1_20_to_1_23() {
    // Helm 3.9.4 (Go 1.17) and 4.1.4 (Go 1.25) count them; 3.16.4 (1.22) and 3.17.3 (1.23)
    // do not (golang/go#69526): the parse error after the comment is that many lines early.
    // Errors while executing count from the byte offset either way.
    let cases = [
        ("{{/* a\nb\nc */}}\n{{ end }}", 4, 2),
        ("{{- /* a\nb\nc */ -}}\n\n{{ end }}", 5, 3),
        ("{{ define \"d\" }}{{/* a\nb\nc */}}\n{{  }}{{ end }}", 4, 2),
        ("x\n  {{- /* a\nb */}}\n{{ end }}", 4, 3),
    ];
    for (src, counted, lost) in cases {
        for (comment_lines, line) in [(true, counted), (false, lost)] {
            let syntax = super::Syntax {
                comment_lines,
                ..super::Syntax::CURRENT
            };
            let e = super::parse_as("t", src, &funcs, syntax)
                .err()
                .map(|e| e.to_string())
                .unwrap_or_default();
            assert!(
                e.starts_with(&format!("template: t:{line}: ")),
                "{src:?} {comment_lines}: {e}"
            );
        }
    }
}
