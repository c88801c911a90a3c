//! Sprig's case converters from xstrings v1.5.0: `snakecase` (`ToSnakeCase`), `kebabcase`
//! (`ToKebabCase`) and `camelcase` (Sprig maps it to `ToPascalCase` since xstrings 1.5 made
//! `ToCamelCase` lower camel case).
//!
//! xstrings splits a string into words by Go's Unicode predicates, which are general categories:
//! `unicode.IsUpper` is `Lu` only (`Ⅻ` and `Ⓐ` are not upper case, unlike Rust's
//! `is_uppercase`), `IsLetter` is `L`, `IsNumber` is `N`, and `IsPunct` is `P` only (ASCII
//! `$+<=>^`|~` are symbols, so they make words of their own). A literal U+FFFD is Go's
//! `utf8.RuneError`: xstrings skips it when it looks for the next rune, so it sticks to the word
//! that follows it. The categories come from regex-syntax's Unicode tables (Unicode 16; Go 1.23
//! has 15: characters new in 16 may differ).

use std::sync::OnceLock;

use super::super::value::Value;
use super::args::{arity, string};
use super::sprig_strings::{is_go_space, map_case, text};
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub const FUNCS: &[(&str, Func)] = &[
    ("snakecase", snakecase),
    ("kebabcase", kebabcase),
    ("camelcase", camelcase),
];

fn snakecase(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let xstrings = ctx.build.xstrings();
    Ok(text(to_lower_words(string(&a[0])?.as_str(), '_', xstrings)))
}

fn kebabcase(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let xstrings = ctx.build.xstrings();
    Ok(text(to_lower_words(string(&a[0])?.as_str(), '-', xstrings)))
}

/// Sprig 3.3 (Helm 3.16) maps `camelcase` to xstrings 1.5's `ToPascalCase`; before, to
/// `ToCamelCase`, which keeps a letter's case from xstrings 1.4 (Helm 3.11.2) and lowers it
/// before.
fn camelcase(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    let rest = match ctx.build.xstrings() {
        x if x >= (5, 0) => Rest::Pascal,
        x if x >= (4, 0) => Rest::Kept,
        _ => Rest::Lowered,
    };
    // xstrings reads the text rune by rune: a byte that is no UTF-8 becomes U+FFFD.
    let s: String = crate::template::go_bytes::runes(s).collect();
    Ok(text(to_camel(&s, rest)))
}

/// Go's `utf8.RuneError`, which a valid string holds only as the literal U+FFFD.
const RUNE_ERROR: char = '\u{FFFD}';

/// The code point ranges of a Unicode general category, from regex-syntax's tables.
fn category(cell: &'static OnceLock<Vec<(u32, u32)>>, class: &str) -> &'static [(u32, u32)] {
    cell.get_or_init(|| {
        use regex_syntax::hir::{Class, HirKind};
        let hir = regex_syntax::Parser::new()
            .parse(class)
            .expect("a Unicode class regex-syntax knows");
        match hir.kind() {
            HirKind::Class(Class::Unicode(c)) => c
                .ranges()
                .iter()
                .map(|r| (u32::from(r.start()), u32::from(r.end())))
                .collect(),
            _ => Vec::new(),
        }
    })
}

fn in_ranges(ranges: &[(u32, u32)], c: char) -> bool {
    let c = u32::from(c);
    ranges
        .binary_search_by(|&(lo, hi)| {
            if hi < c {
                std::cmp::Ordering::Less
            } else if lo > c {
                std::cmp::Ordering::Greater
            } else {
                std::cmp::Ordering::Equal
            }
        })
        .is_ok()
}

/// Go's `unicode.IsUpper`: category `Lu`.
pub(crate) fn is_go_upper(c: char) -> bool {
    static T: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_uppercase();
    }
    in_ranges(category(&T, r"\p{Lu}"), c)
}

/// Go's `unicode.IsLetter`: category `L`.
fn is_go_letter(c: char) -> bool {
    static T: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_alphabetic();
    }
    in_ranges(category(&T, r"\p{L}"), c)
}

/// Go's `unicode.IsNumber`: category `N` (Rust's `is_numeric` is the same set).
fn is_go_number(c: char) -> bool {
    c.is_numeric()
}

/// Go's `unicode.IsPunct`: category `P`.
fn is_go_punct(c: char) -> bool {
    static T: OnceLock<Vec<(u32, u32)>> = OnceLock::new();
    if c.is_ascii() {
        return c.is_ascii_punctuation() && !"$+<=>^`|~".contains(c);
    }
    in_ranges(category(&T, r"\p{P}"), c)
}

/// xstrings' `isConnector`.
fn is_connector(c: char) -> bool {
    c == '-' || c == '_' || is_go_space(c)
}

/// xstrings' `isAlphabet`: a letter that is not a CJK ideograph.
fn is_alphabet(c: char) -> bool {
    if !is_go_letter(c) {
        return false;
    }
    !matches!(u32::from(c), 0x4E00..=0x9FCC | 0x3400..=0x4D85 | 0x2_0000..=0x2_B81D)
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Word {
    Invalid,
    Number,
    Upper,
    Alphabet,
    Connector,
    Punct,
    Other,
}

/// xstrings' `nextValidRune`: the first rune that is not U+FFFD and the bytes up to its end;
/// `prev` and the whole length when there is none.
fn next_valid(s: &str, prev: char) -> (char, usize) {
    let mut size = 0;
    for c in s.chars() {
        size += c.len_utf8();
        if c != RUNE_ERROR {
            return (c, size);
        }
    }
    (prev, size)
}

/// xstrings' `nextWord`: the kind of the first word, the word and the rest.
fn next_word(s: &str) -> (Word, &str, &str) {
    if s.is_empty() {
        return (Word::Invalid, "", "");
    }
    let (mut r, mut size) = next_valid(s, RUNE_ERROR);
    let mut offset = size;
    if r == RUNE_ERROR {
        return (Word::Invalid, &s[..offset], &s[offset..]);
    }
    let mut rest = &s[size..];
    /// Extends the word over the runes `keep` accepts.
    fn extend(r: &mut char, offset: &mut usize, rest: &mut &str, keep: &dyn Fn(char) -> bool) {
        while !rest.is_empty() {
            let (c, n) = next_valid(rest, *r);
            *r = c;
            if !keep(c) {
                break;
            }
            *offset += n;
            *rest = &rest[n..];
        }
    }
    let lower_letter = |c: char| is_alphabet(c) && !is_go_upper(c);
    let kind = if is_connector(r) {
        extend(&mut r, &mut offset, &mut rest, &is_connector);
        Word::Connector
    } else if is_go_punct(r) {
        extend(&mut r, &mut offset, &mut rest, &is_go_punct);
        Word::Punct
    } else if is_go_upper(r) {
        if !rest.is_empty() {
            (r, size) = next_valid(rest, r);
            if is_go_upper(r) {
                let mut prev_size = size;
                offset += size;
                rest = &rest[size..];
                while !rest.is_empty() {
                    (r, size) = next_valid(rest, r);
                    if !is_go_upper(r) {
                        break;
                    }
                    prev_size = size;
                    offset += size;
                    rest = &rest[size..];
                }
                // "HTTPStatus" is "HTTP" and "Status": the last upper-case rune starts the next
                // word when letters follow it.
                if !rest.is_empty() && is_alphabet(r) {
                    offset -= prev_size;
                    rest = &s[offset..];
                }
            } else if is_alphabet(r) {
                offset += size;
                rest = &rest[size..];
                extend(&mut r, &mut offset, &mut rest, &lower_letter);
            }
        }
        Word::Upper
    } else if is_alphabet(r) {
        extend(&mut r, &mut offset, &mut rest, &lower_letter);
        Word::Alphabet
    } else if is_go_number(r) {
        extend(&mut r, &mut offset, &mut rest, &is_go_number);
        Word::Number
    } else {
        extend(&mut r, &mut offset, &mut rest, &|c| {
            !(is_connector(c) || is_alphabet(c) || is_go_number(c) || is_go_punct(c))
        });
        Word::Other
    };
    (kind, &s[..offset], rest)
}

/// xstrings' `toLower`: upper-case words and connectors are lowered and joined by `connector`;
/// other words are kept as they are.
fn push_lower(out: &mut String, kind: Word, word: &str, connector: char) {
    if kind != Word::Upper && kind != Word::Connector {
        out.push_str(word);
        return;
    }
    for c in word.chars() {
        if is_connector(c) {
            out.push(connector);
        } else if is_go_upper(c) {
            out.push(map_case(c, false));
        } else {
            out.push(c);
        }
    }
}

/// xstrings' `camelCaseToLowerCase` (`ToSnakeCase`, `ToKebabCase`) of release 1.`xstrings`.
fn to_lower_words(s: &str, connector: char, xstrings: (u8, u8)) -> String {
    // 1.3.3: a connector after a number is not doubled ("1_a" was "1__a").
    let number_keeps_connector = xstrings >= (3, 3);
    let mut out = String::with_capacity(s.len() + 4);
    if s.is_empty() {
        return out;
    }
    let (mut kind, mut word, mut rest) = next_word(s);
    while !rest.is_empty() {
        if kind != Word::Connector {
            push_lower(&mut out, kind, word, connector);
        }
        let prev = kind;
        let last = word;
        (kind, word, rest) = next_word(rest);
        match prev {
            Word::Number => {
                while kind == Word::Alphabet || kind == Word::Number {
                    push_lower(&mut out, kind, word, connector);
                    (kind, word, rest) = next_word(rest);
                }
                let own = kind == Word::Connector && number_keeps_connector;
                if !matches!(kind, Word::Invalid | Word::Punct) && !own {
                    out.push(connector);
                }
            }
            Word::Connector => push_lower(&mut out, prev, last, connector),
            Word::Punct => {}
            _ => {
                if kind != Word::Number {
                    if kind != Word::Connector && kind != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                if rest.is_empty() {
                    continue;
                }
                let number = word;
                (kind, word, rest) = next_word(rest);
                // A number ends the word before it ("Bld4Floor" is "bld4_floor") unless
                // letters follow it ("HTTP2xx" is "http_2xx").
                if kind != Word::Alphabet {
                    push_lower(&mut out, Word::Number, number, connector);
                    if kind != Word::Connector && kind != Word::Punct {
                        out.push(connector);
                    }
                    continue;
                }
                out.push(connector);
                push_lower(&mut out, Word::Number, number, connector);
                while kind == Word::Alphabet || kind == Word::Number {
                    push_lower(&mut out, kind, word, connector);
                    (kind, word, rest) = next_word(rest);
                }
                if !matches!(kind, Word::Invalid | Word::Connector | Word::Punct) {
                    out.push(connector);
                }
            }
        }
    }
    push_lower(&mut out, kind, word, connector);
    out
}

/// How the letters of a word after its first are cased ([`to_camel`]).
#[derive(Clone, Copy, PartialEq)]
enum Rest {
    /// Lowered: xstrings' `ToCamelCase` before 1.4.
    Lowered,
    /// Kept: `ToCamelCase` of 1.4.
    Kept,
    /// Lowered while they stay upper case after an upper-case first letter: 1.5's
    /// `ToPascalCase`.
    Pascal,
}

/// xstrings' `ToCamelCase` before 1.5 and `ToPascalCase` of 1.5: connectors removed (runs of
/// them keep all but the last, leading ones all), the first letter and the rune after each
/// connector upper-cased, the rest as `rest` says.
fn to_camel(s: &str, rest_case: Rest) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    let mut first_upper = false;
    let mut r0 = '\0';
    let mut seen = false;
    for c in chars.by_ref() {
        seen = true;
        r0 = c;
        if !is_connector(c) {
            first_upper = is_go_upper(c);
            r0 = map_case(c, true);
            break;
        }
        out.push(c);
    }
    let rest = chars.as_str();
    if rest.is_empty() {
        // xstrings writes the last rune read again, even when it was a connector.
        if seen {
            out.push(r0);
        }
        return out;
    }
    for c in rest.chars() {
        let r1 = r0;
        r0 = c;
        if is_connector(r0) && is_connector(r1) {
            out.push(r1);
            continue;
        }
        if is_connector(r1) {
            first_upper = is_go_upper(r0);
            r0 = map_case(r0, true);
        } else {
            match rest_case {
                Rest::Lowered => r0 = map_case(r0, false),
                Rest::Kept => {}
                Rest::Pascal if first_upper && is_go_upper(r0) => r0 = map_case(r0, false),
                Rest::Pascal => first_upper = false,
            }
            out.push(r1);
        }
    }
    out.push(r0);
    out
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{err, i, s, show};

    /// What Helm 3.9.4 (xstrings 1.3.2), 3.11.1 (1.3.3), 3.12.1 and 3.15.4 (1.4.0) and 3.16.4
    /// (Sprig 3.3's `ToPascalCase`) print.
    #[test]
    fn older_helms_case_as_their_xstrings() {
        use super::super::sprig_testutil::show_as;
        let camel = [
            "HTTPServer_id",
            "ÄbcDef_ghi",
            "aBC_dEF",
            "NoHTTPS",
            "__a__b__",
            "_",
            "-x",
        ];
        for (release, want) in [
            (
                (3, 9, 4),
                [
                    "HttpserverId",
                    "ÄbcdefGhi",
                    "AbcDef",
                    "Nohttps",
                    "__A_B__",
                    "__",
                    "-X",
                ],
            ),
            (
                (3, 11, 1),
                [
                    "HttpserverId",
                    "ÄbcdefGhi",
                    "AbcDef",
                    "Nohttps",
                    "__A_B__",
                    "__",
                    "-X",
                ],
            ),
            (
                (3, 12, 1),
                [
                    "HTTPServerId",
                    "ÄbcDefGhi",
                    "ABCDEF",
                    "NoHTTPS",
                    "__A_B__",
                    "__",
                    "-X",
                ],
            ),
            (
                (3, 16, 4),
                [
                    "HttpserverId",
                    "ÄbcDefGhi",
                    "ABCDEF",
                    "NoHTTPS",
                    "__A_B__",
                    "__",
                    "-X",
                ],
            ),
        ] {
            let got = camel.map(|c| show_as(release, "camelcase", &[s(c)]));
            assert_eq!(got, want, "{release:?}");
        }
        for (release, want) in [((3, 9, 4), "1__a"), ((3, 11, 1), "1_a")] {
            assert_eq!(show_as(release, "snakecase", &[s("1_a")]), want);
        }
        assert_eq!(show_as((3, 9, 4), "kebabcase", &[s("v1_2")]), "v1-2");
    }

    /// Input, `snakecase`, `kebabcase`, `camelcase`: from `helm template` (Helm 3.17.3 and
    /// 4.1.4 agree).
    const CASES: &[(&str, &str, &str, &str)] = &[
        ("", "", "", ""),
        ("a", "a", "a", "A"),
        ("A", "a", "a", "A"),
        ("_", "_", "-", "__"),
        ("__", "__", "--", "___"),
        ("-", "_", "-", "--"),
        (" ", "_", "-", "  "),
        ("FirstName", "first_name", "first-name", "FirstName"),
        ("HTTPServer", "http_server", "http-server", "Httpserver"),
        ("NoHTTPS", "no_https", "no-https", "NoHTTPS"),
        ("GO_PATH", "go_path", "go-path", "GoPath"),
        ("GO PATH", "go_path", "go-path", "GoPath"),
        ("GO-PATH", "go_path", "go-path", "GoPath"),
        ("http2xx", "http_2xx", "http-2xx", "Http2xx"),
        ("HTTP20xOK", "http_20x_ok", "http-20x-ok", "Http20xOK"),
        (
            "Duration2m3s",
            "duration_2m3s",
            "duration-2m3s",
            "Duration2m3s",
        ),
        (
            "Bld4Floor3rd",
            "bld4_floor_3rd",
            "bld4-floor-3rd",
            "Bld4Floor3rd",
        ),
        ("some_words", "some_words", "some-words", "SomeWords"),
        (
            "_complex__case_",
            "_complex__case_",
            "-complex--case-",
            "_Complex_Case_",
        ),
        ("some words", "some_words", "some-words", "SomeWords"),
        (
            "GOLANG_IS_GREAT",
            "golang_is_great",
            "golang-is-great",
            "GolangIsGreat",
        ),
        ("helloWorld", "hello_world", "hello-world", "HelloWorld"),
        ("hello-world", "hello_world", "hello-world", "HelloWorld"),
        ("hello.world", "hello.world", "hello.world", "Hello.world"),
        (
            "a$b+c<d=e>f^g`h|i~j",
            "a_$_b_+_c_<_d_=_e_>_f_^_g_`_h_|_i_~_j",
            "a-$-b-+-c-<-d-=-e->-f-^-g-`-h-|-i-~-j",
            "A$b+c<d=e>f^g`h|i~j",
        ),
        (
            "a!b\"c#d%e&f'g(h)i*j,k.l/m:n;o?p@q[r\\s]t{u}v",
            "a!b\"c#d%e&f'g(h)i*j,k.l/m:n;o?p@q[r\\s]t{u}v",
            "a!b\"c#d%e&f'g(h)i*j,k.l/m:n;o?p@q[r\\s]t{u}v",
            "A!b\"c#d%e&f'g(h)i*j,k.l/m:n;o?p@q[r\\s]t{u}v",
        ),
        ("ÀÉÎõü", "àé_îõü", "àé-îõü", "Àéîõü"),
        (
            "ÉcoleNormale",
            "école_normale",
            "école-normale",
            "ÉcoleNormale",
        ),
        ("日本語Text", "日本語_text", "日本語-text", "日本語Text"),
        ("Text日本語", "text_日本語", "text-日本語", "Text日本語"),
        ("αβΓΔ", "αβ_γδ", "αβ-γδ", "ΑβΓΔ"),
        ("Ⅻroman", "Ⅻroman", "Ⅻroman", "Ⅻroman"),
        ("ⒶⒷc", "ⒶⒷ_c", "ⒶⒷ-c", "ⒶⒷc"),
        ("ǅungla", "ǅungla", "ǅungla", "Ǆungla"),
        ("x\u{a0}y", "x_y", "x-y", "XY"),
        ("tab\tsep", "tab_sep", "tab-sep", "TabSep"),
        ("a1b2C3", "a_1b2_c3", "a-1b2-c3", "A1b2C3"),
        ("123", "123", "123", "123"),
        ("123abc", "123abc", "123abc", "123abc"),
        ("ABC123", "abc123", "abc123", "Abc123"),
        ("abc123def", "abc_123def", "abc-123def", "Abc123def"),
        ("ABC_123_def", "abc_123_def", "abc-123-def", "Abc123Def"),
        ("__init__", "__init__", "--init--", "__Init__"),
        ("a--b", "a__b", "a--b", "A-B"),
        ("a_-b", "a__b", "a--b", "A_B"),
        ("ab_", "ab_", "ab-", "Ab_"),
        ("_a", "_a", "-a", "_A"),
        ("a__b", "a__b", "a--b", "A_B"),
        ("ß", "ß", "ß", "ß"),
        ("İstanbul", "istanbul", "istanbul", "İstanbul"),
        ("ﬁle", "ﬁle", "ﬁle", "ﬁle"),
        ("a\u{fffd}b", "a\u{fffd}b", "a\u{fffd}b", "A\u{fffd}b"),
        ("\u{fffd}", "\u{fffd}", "\u{fffd}", "\u{fffd}"),
        ("X\u{fffd}Y", "x\u{fffd}y", "x\u{fffd}y", "X\u{fffd}Y"),
        ("AB\u{fffd}c", "a_b\u{fffd}c", "a-b\u{fffd}c", "Ab\u{fffd}c"),
        ("½half", "½half", "½half", "½half"),
        ("٣arabic", "٣arabic", "٣arabic", "٣arabic"),
        (
            "emoji😀Smile",
            "emoji_😀_smile",
            "emoji-😀-smile",
            "Emoji😀Smile",
        ),
        ("😀", "😀", "😀", "😀"),
        ("a😀", "a_😀", "a-😀", "A😀"),
        (
            "HTTP😀Server",
            "http_😀_server",
            "http-😀-server",
            "Http😀Server",
        ),
        ("ABc", "a_bc", "a-bc", "Abc"),
        ("AbC", "ab_c", "ab-c", "AbC"),
        ("aBC", "a_bc", "a-bc", "ABC"),
        ("ABCd", "ab_cd", "ab-cd", "Abcd"),
        ("ID", "id", "id", "Id"),
        ("iD", "i_d", "i-d", "ID"),
        ("Id", "id", "id", "Id"),
        ("x-Y_z W", "x_y_z_w", "x-y-z-w", "XYZW"),
        ("  lead", "__lead", "--lead", "  Lead"),
        ("trail  ", "trail__", "trail--", "Trail  "),
        (
            "MiXeD_cAsE-input here",
            "mi_xe_d_c_as_e_input_here",
            "mi-xe-d-c-as-e-input-here",
            "MiXeDCAsEInputHere",
        ),
        ("ÀB", "àb", "àb", "Àb"),
        ("ÀBc", "à_bc", "à-bc", "Àbc"),
        ("a.B", "a.b", "a.b", "A.B"),
        ("A.B", "a.b", "a.b", "A.B"),
        ("A..b", "a..b", "a..b", "A..b"),
        ("a1.B", "a1.b", "a1.b", "A1.B"),
        ("1.5Ab", "1.5_ab", "1.5-ab", "1.5Ab"),
        ("A1b", "a_1b", "a-1b", "A1b"),
        ("AB1c", "ab_1c", "ab-1c", "Ab1c"),
        ("AB1C", "ab1_c", "ab1-c", "Ab1C"),
        ("a1B", "a1_b", "a1-b", "A1B"),
        ("a1b", "a_1b", "a-1b", "A1b"),
        ("1A", "1_a", "1-a", "1A"),
        ("1a", "1a", "1a", "1a"),
        ("A_1", "a_1", "a-1", "A1"),
        ("a_1b", "a_1b", "a-1b", "A1b"),
        ("ἈἉ", "ἀἁ", "ἀἁ", "Ἀἁ"),
        ("ᾈᾉ", "ᾈᾉ", "ᾈᾉ", "ᾈᾉ"),
        ("ǈǋ", "ǈǋ", "ǈǋ", "Ǉǋ"),
    ];

    #[test]
    fn case_converters_match_helm() {
        for (input, snake, kebab, camel) in CASES {
            assert_eq!(
                show("snakecase", &[s(input)]),
                *snake,
                "snakecase {input:?}"
            );
            assert_eq!(
                show("kebabcase", &[s(input)]),
                *kebab,
                "kebabcase {input:?}"
            );
            assert_eq!(
                show("camelcase", &[s(input)]),
                *camel,
                "camelcase {input:?}"
            );
        }
    }

    #[test]
    fn wrong_arguments() {
        assert_eq!(
            err("snakecase", &[i(3)]),
            "wrong type for value; expected string; got int"
        );
        assert_eq!(err("camelcase", &[]), "wrong number of args: want 1 got 0");
    }
}
