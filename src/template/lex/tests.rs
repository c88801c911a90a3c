//! Lexer tests: token streams, trim markers, line counting and lexer errors as Go produces them.

use super::*;

fn lex(input: &str) -> Vec<(ItemType, String, usize)> {
    let mut l = Lexer::new(input, true, true);
    let mut out = Vec::new();
    loop {
        let i = l.next_item();
        let done = matches!(i.typ, ItemType::Eof | ItemType::Error);
        let val = if i.typ == ItemType::Error {
            l.error()
        } else {
            i.val
        };
        out.push((i.typ, val.to_string(), i.line));
        if done || out.len() > 200 {
            return out;
        }
    }
}

fn kinds(input: &str) -> Vec<String> {
    lex(input)
        .into_iter()
        .map(|(t, v, _)| format!("{t:?}:{v}"))
        .collect()
}

#[test]
fn text_and_actions() {
    assert_eq!(
        kinds("a{{.x | f 1}}b"),
        [
            "Text:a",
            "LeftDelim:{{",
            "Field:.x",
            "Space: ",
            "Pipe:|",
            "Space: ",
            "Identifier:f",
            "Space: ",
            "Number:1",
            "RightDelim:}}",
            "Text:b",
            "Eof:"
        ]
    );
}

#[test]
fn trim_markers_need_whitespace() {
    assert_eq!(
        kinds("a \n{{- 3 -}}\n\t b"),
        [
            "Text:a",
            "LeftDelim:{{",
            "Number:3",
            "RightDelim:}}",
            "Text:b",
            "Eof:"
        ]
    );
    // `{{-3}}` is the number -3, not a trim marker.
    assert_eq!(
        kinds("a {{-3}} b"),
        [
            "Text:a ",
            "LeftDelim:{{",
            "Number:-3",
            "RightDelim:}}",
            "Text: b",
            "Eof:"
        ]
    );
    // A newline counts as the whitespace of a marker.
    assert_eq!(
        kinds("a {{-\n.x\n-}} b"),
        [
            "Text:a",
            "LeftDelim:{{",
            "Field:.x",
            "RightDelim:}}",
            "Text:b",
            "Eof:"
        ]
    );
}

#[test]
fn comments_vanish_with_their_trim() {
    assert_eq!(
        kinds("a {{- /* x\ny */ -}} b"),
        ["Text:a", "Text:b", "Eof:"]
    );
    assert_eq!(kinds("a {{/* x */}} b"), ["Text:a ", "Text: b", "Eof:"]);
    assert_eq!(
        kinds("{{/* x */ .}}"),
        ["Error:comment ends before closing delimiter"]
    );
    assert_eq!(kinds("{{/* x "), ["Error:unclosed comment"]);
}

#[test]
fn keywords_variables_and_fields() {
    assert_eq!(
        kinds("{{range $i, $e := .a.b}}{{break}}{{end}}"),
        [
            "LeftDelim:{{",
            "Range:range",
            "Space: ",
            "Variable:$i",
            "Char:,",
            "Space: ",
            "Variable:$e",
            "Space: ",
            "Declare::=",
            "Space: ",
            "Field:.a",
            "Field:.b",
            "RightDelim:}}",
            "LeftDelim:{{",
            "Break:break",
            "RightDelim:}}",
            "LeftDelim:{{",
            "End:end",
            "RightDelim:}}",
            "Eof:"
        ]
    );
    assert_eq!(
        kinds("{{$ = (.).x}}"),
        [
            "LeftDelim:{{",
            "Variable:$",
            "Space: ",
            "Assign:=",
            "Space: ",
            "LeftParen:(",
            "Dot:.",
            "RightParen:)",
            "Field:.x",
            "RightDelim:}}",
            "Eof:"
        ]
    );
    let mut l = Lexer::new("{{break}}", false, true);
    l.next_item();
    assert_eq!(l.next_item().typ, ItemType::Identifier);
}

#[test]
fn numbers_and_strings() {
    assert_eq!(
        kinds(r#"{{0x1p-2 1_000 'a' '\'' "a\"b" `r`}}"#),
        [
            "LeftDelim:{{",
            "Number:0x1p-2",
            "Space: ",
            "Number:1_000",
            "Space: ",
            "CharConstant:'a'",
            "Space: ",
            "CharConstant:'\\''",
            "Space: ",
            "String:\"a\\\"b\"",
            "Space: ",
            "RawString:`r`",
            "RightDelim:}}",
            "Eof:"
        ]
    );
    assert_eq!(kinds("{{1+2i}}")[1], "Complex:1+2i");
    assert_eq!(kinds("{{3x}}")[1], "Error:bad number syntax: \"3x\"");
    assert_eq!(kinds("{{\"a\nb\"}}")[1], "Error:unterminated quoted string");
}

#[test]
fn errors() {
    assert_eq!(kinds("{{.x")[2], "Error:unclosed action");
    assert_eq!(kinds("{{(.x}}")[3], "Error:unclosed left paren");
    assert_eq!(kinds("{{.x)}}")[2], "Error:unexpected right paren");
    assert_eq!(kinds("{{.x€}}")[1], "Error:bad character U+20AC '€'");
    assert_eq!(
        kinds("{{€}}")[1],
        "Error:unrecognized character in action: U+20AC '€'"
    );
    assert_eq!(kinds("{{a:b}}")[2], "Error:expected :=");
}

#[test]
fn lines_count_newlines_in_text_actions_and_trims() {
    let items = lex("a\n{{- /* c\n */ -}}\n\nb{{\n.x\n}}c");
    let lines: Vec<usize> = items.iter().map(|i| i.2).collect();
    // a (1), b (5), {{, newline, .x (6), newline, }} (7), c, EOF
    assert_eq!(lines, [1, 5, 5, 5, 6, 6, 7, 7, 7]);
}
