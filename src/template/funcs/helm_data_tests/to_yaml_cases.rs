/// (name, value as flow YAML, `toYaml` output of Helm 3.17.3)
pub(crate) const TO_YAML: &[(&str, &str, &str)] = &[
    (
        "nested_maps",
        r#"{a: {b: {c: x}, d: y}, e: z}"#,
        r#"a:
  b:
    c: x
  d: true
e: z"#,
    ),
    (
        "list_of_maps",
        r#"[{a: 1, b: 2}, {c: 3}]"#,
        r#"- a: 1
  b: 2
- c: 3"#,
    ),
    (
        "list_under_key",
        r#"{k: [a, b], m: {n: [c]}}"#,
        r#"k:
- a
- b
m:
  "false":
  - c"#,
    ),
    (
        "nested_lists",
        r#"[[1, 2], [3, [4]]]"#,
        r#"- - 1
  - 2
- - 3
  - - 4"#,
    ),
    (
        "list_of_maps_with_lists",
        r#"[{a: [1, 2], b: {c: [x]}}]"#,
        r#"- a:
  - 1
  - 2
  b:
    c:
    - x"#,
    ),
    (
        "map_in_list_in_map",
        r#"{a: [{b: {c: 1}}]}"#,
        r#"a:
- b:
    c: 1"#,
    ),
    ("empty_map", r#"{}"#, r#"{}"#),
    ("empty_list", r#"[]"#, r#"[]"#),
    (
        "empty_children",
        r#"{a: {}, b: [], c: [[]], d: [{}], e: [{a: {}}]}"#,
        r#"a: {}
b: []
c:
- []
d:
- {}
e:
- a: {}"#,
    ),
    (
        "booleans",
        r#"{t: true, f: false, l: [true, false]}"#,
        r#"f: false
l:
- true
- false
t: true"#,
    ),
    ("scalar_string", r#""abc""#, r#"abc"#),
    ("scalar_float", r#"1.5"#, r#"1.5"#),
    (
        "scalar_multiline",
        r#""a\nb""#,
        r#"|-
  a
  b"#,
    ),
    (
        "yaml11_bools_quoted",
        r#"["y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "yES", "oN"]"#,
        r#"- "y"
- "Y"
- "yes"
- "Yes"
- "YES"
- "n"
- "N"
- "no"
- "No"
- "NO"
- "true"
- "True"
- "TRUE"
- "false"
- "False"
- "FALSE"
- "on"
- "On"
- "ON"
- "off"
- "Off"
- "OFF"
- yES
- oN"#,
    ),
    (
        "nulls_quoted",
        r#"["null", "Null", "NULL", "~", "", "nULL"]"#,
        r#"- "null"
- "Null"
- "NULL"
- "~"
- ""
- nULL"#,
    ),
    (
        "numbers_as_strings",
        r#"["1", "1.5", "0x10", "010", "1e3", "1_000", "+1", "-1", ".5", "1.", "0b101", "0o17", "-0b11", "1e", "0x", "1.2.3", "+", "-", "08", "0.1e-2", "12345678901234567890", "123456789012345678901234"]"#,
        r#"- "1"
- "1.5"
- "0x10"
- "010"
- "1e3"
- "1_000"
- "+1"
- "-1"
- ".5"
- "1."
- "0b101"
- "0o17"
- "-0b11"
- 1e
- 0x
- 1.2.3
- +
- '-'
- "08"
- "0.1e-2"
- "12345678901234567890"
- "123456789012345678901234""#,
    ),
    (
        "special_floats_quoted",
        r#"[".inf", "-.inf", "+.inf", ".nan", ".NaN", ".Inf", ".5_5", "._5", "1_0.5"]"#,
        r#"- ".inf"
- "-.inf"
- "+.inf"
- ".nan"
- ".NaN"
- ".Inf"
- ".5_5"
- ._5
- "1_0.5""#,
    ),
    (
        "base60",
        r#"["1:20", "8080:80", "-1:30", "1:2:3", "1:70", "12:30:45.5", "a:1"]"#,
        r#"- "1:20"
- 8080:80
- "-1:30"
- "1:2:3"
- 1:70
- "12:30:45.5"
- a:1"#,
    ),
    (
        "timestamps",
        r#"["2024-01-15", "2024-1-5", "2024-01-15T10:00:00Z", "2024-01-15t10:00:00Z", "2024-01-15T10:00:00+02:00", "2024-01-15 10:00:00", "2024-01-15  10:00:00.5", "2024-01-15T10:00:00", "2024-13-01", "2023-02-29", "2024-02-29", "2024-01-15x", "20240-01-01", "2024-01-15T25:00:00Z", "2024-01-15 10:00:00.123456789012", "2024-01-15T10:00:00.5Z"]"#,
        r#"- "2024-01-15"
- "2024-1-5"
- "2024-01-15T10:00:00Z"
- "2024-01-15t10:00:00Z"
- "2024-01-15T10:00:00+02:00"
- "2024-01-15 10:00:00"
- "2024-01-15  10:00:00.5"
- 2024-01-15T10:00:00
- 2024-13-01
- 2023-02-29
- "2024-02-29"
- 2024-01-15x
- 20240-01-01
- 2024-01-15T25:00:00Z
- "2024-01-15 10:00:00.123456789012"
- "2024-01-15T10:00:00.5Z""#,
    ),
    (
        "leading_indicators",
        "[\"*a\", \"&a\", \"!a\", \"%a\", \"@a\", \"`a\", \"#a\", \",a\", \"[a\", \"]a\", \"{a\", \"}a\", \"|a\", \">a\", \"'a\", \"\\\"a\", \"?a\", \":a\", \"-a\", \"? a\", \": a\", \"- a\", \"?\", \":\", \"-\", \"<<\", \"<a\"]",
        r#"- '*a'
- '&a'
- '!a'
- '%a'
- '@a'
- '`a'
- '#a'
- ',a'
- '[a'
- ']a'
- '{a'
- '}a'
- '|a'
- '>a'
- '''a'
- '"a'
- ?a
- :a
- -a
- '? a'
- ': a'
- '- a'
- '?'
- ':'
- '-'
- <<
- <a"#,
    ),
    (
        "inner_indicators",
        r#"["a: b", "a:b", "a #b", "a#b", "a,b", "a[b]", "a{b}", "a?", "a:", "a -b", "a - b", "a 'b' c", "a \"b\" c", "a|b", "a&b", "a*b", "a!b", "a%b", "a@b", "a`b"]"#,
        r#"- 'a: b'
- a:b
- 'a #b'
- a#b
- a,b
- a[b]
- a{b}
- a?
- 'a:'
- a -b
- a - b
- a 'b' c
- a "b" c
- a|b
- a&b
- a*b
- a!b
- a%b
- a@b
- a`b"#,
    ),
    (
        "spaces",
        r#"["trailing ", " leading", " both ", "in  side", " ", "  "]"#,
        r#"- 'trailing '
- ' leading'
- ' both '
- in  side
- ' '
- '  '"#,
    ),
    (
        "document_markers",
        r#"["---", "...", "--- a", "... a", "---a", "-- a", ".. a"]"#,
        r#"- '---'
- '...'
- '--- a'
- '... a'
- '---a'
- -- a
- .. a"#,
    ),
    (
        "control_chars",
        r#"["a\tb", "\ta", "a\rb", "a\u0001b", "a\u0085b", "a\u00a0b", "a\u2028b", "a\u2029b", "\ufeffab", "a\ufeffb", "a\\b", "a\"b"]"#,
        r#"- "a\tb"
- "\ta"
- "a\rb"
- "a\x01b"
- a b
- a b
- 'a   b'
- 'a   b'
- "\uFEFF\x61\x62"
- "a\uFEFFb"
- a\b
- a"b"#,
    ),
    (
        "unicode",
        r#"["héllo wörld", "日本語", "😀", "a😀b", "ÿ", "\ue000", "\ufffd", "ǅ"]"#,
        r#"- héllo wörld
- 日本語
- "\U0001F600"
- "a\U0001F600b"
- ÿ
- 
- �
- ǅ"#,
    ),
    ("del_fails", r#"["a\u007fb"]"#, r#""#),
    ("c1_control_fails", r#"{k: "a\u0090b"}"#, r#""#),
    ("nonchar_fails", r#"["\uffff"]"#, r#""#),
    ("nonchar_key_fails", r#"{"\ufffe": 1}"#, r#""#),
    // Keys: DEL, a C1 control and NEL fail; other text past ASCII is kept as it is.
    ("del_key_fails", r#"{"a\u007fb": 1}"#, r#""#),
    ("c1_key_fails", r#"{"a\u0080b": 1}"#, r#""#),
    ("nel_key_fails", r#"{"a\u0085b": 1}"#, r#""#),
    (
        "non_ascii_keys",
        r#"{"\u00fc": 1, "a\u00a0b": 2, "\u2028": 3}"#,
        "? '\u{2028}'\n: 3\na\u{a0}b: 2\n\u{fc}: 1",
    ),
    (
        "nel_folding",
        r#"["a\u0085b", "a \u0085 b", "a\u0085\u0085b", "a\u0085 \u0085\u0085b", "\u0085a", "a\u0085", "a\u0085---b", "a  b"]"#,
        r#"- a b
- a b
- |-
  a
  b
- |-
  a

  b
- ' a'
- 'a '
- a ---b
- a  b"#,
    ),
    ("nel_document_marker_fails", r#"["a\u0085--- b"]"#, r#""#),
    ("nel_in_key", r#"{"a\u0085b": 1}"#, r#""#),
    (
        "multiline",
        r#"["a\nb", "a\nb\n", "a\nb\n\n", "\na", "\n", " a\nb", "a \nb", "a\n b", "a\n\nb", "a\r\nb", "a\n\tb", "a\nb ", "\n\n", "a\n", "a\n\n"]"#,
        r#"- |-
  a
  b
- |
  a
  b
- |+
  a
  b

- |2-

  a
- |2+

- |2-
   a
  b
- "a \nb"
- |-
  a
   b
- |-
  a

  b
- "a\r\nb"
- "a\n\tb"
- "a\nb "
- |2+


- |
  a
- |+
  a
"#,
    ),
    (
        "multiline_in_map",
        r#"{k: "line1\nline2\n", j: {n: "x\ny"}, l: ["p\nq"]}"#,
        r#"j:
  "false": |-
    x
    y
k: |
  line1
  line2
l:
- |-
  p
  q"#,
    ),
    (
        "long_plain",
        r#""aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu""#,
        r#"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq
  rrrr ssss tttt uuuu"#,
    ),
    (
        "long_in_map",
        r#"{key: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu", nested: {deeper: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"}}"#,
        r#"key: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp
  qqqq rrrr ssss tttt uuuu
nested:
  deeper: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
    pppp qqqq rrrr ssss tttt uuuu"#,
    ),
    (
        "long_in_list",
        r#"["aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"]"#,
        r#"- aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp
  qqqq rrrr ssss tttt uuuu"#,
    ),
    (
        "long_no_spaces",
        r#""xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx""#,
        r#"xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"#,
    ),
    (
        "long_double_space",
        r#""aaaa  bbbb  cccc  dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu""#,
        r#"aaaa  bbbb  cccc  dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp
  qqqq rrrr ssss tttt uuuu aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk
  llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"#,
    ),
    (
        "long_single_quoted",
        r#""*aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu""#,
        r#"'*aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp
  qqqq rrrr ssss tttt uuuu'"#,
    ),
    (
        "long_double_quoted",
        r#""\taaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu""#,
        r#""\taaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp
  qqqq rrrr ssss tttt uuuu aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk
  llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu""#,
    ),
    (
        "long_double_quoted_spaces",
        r#""\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa  b  c dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd e""#,
        r#""\taaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa
  \ b  c dddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddddd
  e""#,
    ),
    (
        "long_multiline",
        r#""aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu\naaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu""#,
        r#"|-
  aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu
  aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"#,
    ),
    (
        "long_key",
        r#"{"kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk": 1, "jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj": 2}"#,
        r#"jjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjjj: 2
? kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk
: 1"#,
    ),
    (
        "long_key_with_spaces",
        r#"{"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu": x}"#,
        r#"aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu: x"#,
    ),
    (
        "multiline_key",
        r#"{"a\nb": 1, c: 2}"#,
        r#"? |-
  a
  b
: 1
c: 2"#,
    ),
    (
        "quoted_keys",
        "{\"true\": 1, \"1\": 2, \"a: b\": 3, \"null\": 4, \" sp\": 5, \"#x\": 6, \"-\": 7, \"a b\": 8, \"*x\": 9}",
        r#"' sp': 5
'#x': 6
'*x': 9
'-': 7
"1": 2
a b: 8
'a: b': 3
"null": 4
"true": 1"#,
    ),
    (
        "key_order",
        r#"{a10: 1, a9: 1, a_b: 1, aZ: 1, B: 1, "1": 1, "10": 1, "2": 1, a-b: 1, a.b: 1, a: 1, "ab": 1, "a01": 1, "a1": 1, "a001": 1, "x02y": 1, "x2y": 1, "_": 1, "Z": 1, "é": 1, "e": 1}"#,
        r#"_: 1
"1": 1
"2": 1
"10": 1
B: 1
Z: 1
a: 1
a-b: 1
a.b: 1
a_b: 1
a1: 1
a01: 1
a001: 1
a9: 1
a10: 1
aZ: 1
ab: 1
e: 1
x2y: 1
x02y: 1
é: 1"#,
    ),
    (
        "floats",
        r#"[1e21, 0.1, 100000000, 1.5e-07, 1.0, 4.10, 1e20, 1e19, 123456789.123, 3.14, 2.5e-5, 1e-6, 1e-7, 0.000001, 1234567.5, -1.5, -0.0, 9007199254740993, 18446744073709551615, 18446744073709551616, 1e300, 5e-324]"#,
        r#"- 1e+21
- 0.1
- 100000000
- 1.5e-07
- 1
- 4.1
- 1e+20
- 10000000000000000000
- 1.23456789123e+08
- 3.14
- 2.5e-05
- 1e-06
- 1e-07
- 1e-06
- 1.2345675e+06
- -1.5
- 0
- 9007199254740992
- 1.8446744073709552e+19
- 1.8446744073709552e+19
- 1e+300
- 5e-324"#,
    ),
    (
        "ints",
        r#"[0, 1, -1, 42, 1000000, 010, 0x1F, 1_000]"#,
        r#"- 0
- 1
- -1
- 42
- 1000000
- 8
- 31
- 1000"#,
    ),
    (
        "mixed_list",
        r#"[a, 1, true, "2", [x], {k: v}]"#,
        r#"- a
- 1
- true
- "2"
- - x
- k: v"#,
    ),
    (
        "deep_indent_long",
        r#"{a: {b: {c: {d: {e: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss tttt uuuu"}}}}}"#,
        r#"a:
  b:
    c:
      d:
        e: aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo
          pppp qqqq rrrr ssss tttt uuuu"#,
    ),
    (
        "literal_leading_space_in_list",
        r#"[" x\ny", {k: " x\ny"}]"#,
        r#"- |2-
   x
  y
- k: |2-
     x
    y"#,
    ),
    (
        "quoted_single_in_value",
        r#"{a: "it's", b: "'quoted'", c: "*it's"}"#,
        r#"a: it's
b: '''quoted'''
c: '*it''s'"#,
    ),
];
