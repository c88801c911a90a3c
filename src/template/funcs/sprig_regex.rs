//! Sprig's regular-expression functions (`regex.go`, Sprig v3.3) on Go's RE2 syntax.
//!
//! The `regex` crate is RE2's cousin: same leftmost-first semantics and nearly the same syntax.
//! Patterns are translated where Go differs: `\d`, `\w`, `\s`, `\b` are ASCII-only in Go
//! (Unicode in Rust), `\Q…\E` quotes, and a `{` or `[` that Go takes literally is escaped. The
//! match loops (`FindAll`, `ReplaceAll`, `Split`) and `$name` expansion are ported from Go's
//! `regexp` package, whose handling of empty matches differs from the crate's iterators.
//! Compile errors keep Go's framing (`regexp: Compile(…): error parsing regexp: …`) with the
//! crate's description of the problem.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use regex::Regex;

use super::super::value::{ElemType, Str, StrBuf, Value};
use super::args::{arity, go_int, string};
use super::sprig_strings::push_go_quoted;
use super::{Ctx, Func, FuncError};

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("regexMatch", regex_match),
    ("mustRegexMatch", must_regex_match),
    ("regexFindAll", regex_find_all),
    ("mustRegexFindAll", must_regex_find_all),
    ("regexFind", regex_find),
    ("mustRegexFind", must_regex_find),
    ("regexReplaceAll", regex_replace_all),
    ("mustRegexReplaceAll", must_regex_replace_all),
    ("regexReplaceAllLiteral", regex_replace_all_literal),
    ("mustRegexReplaceAllLiteral", must_regex_replace_all_literal),
    ("regexSplit", regex_split),
    ("mustRegexSplit", must_regex_split),
    ("regexQuoteMeta", regex_quote_meta),
];

const ASCII_WORD: &str = "0-9A-Za-z_";
const ASCII_SPACE: &str = r"\t\n\f\r ";

/// Whether `{` at `rest` starts a repetition Go accepts: `{n}`, `{n,}` or `{n,m}`.
fn is_repeat(rest: &str) -> bool {
    let Some(end) = rest.find('}') else {
        return false;
    };
    let body = &rest[1..end];
    let (lo, hi) = match body.split_once(',') {
        Some((lo, hi)) => (lo, Some(hi)),
        None => (body, None),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    digits(lo) && hi.is_none_or(|h| h.is_empty() || digits(h))
}

/// Rewrites a Go pattern into the `regex` crate's dialect with the same meaning.
fn translate(pat: &str) -> String {
    let mut out = String::with_capacity(pat.len() + 8);
    let mut in_class = false;
    let mut class_start = false;
    let mut it = pat.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let first_in_class = class_start;
        class_start = false;
        match c {
            '\\' => {
                let Some((_, e)) = it.next() else {
                    out.push('\\');
                    break;
                };
                let rep: Option<String> = match (e, in_class) {
                    ('d', false) => Some("[0-9]".into()),
                    ('D', _) => Some("[^0-9]".into()),
                    ('w', false) => Some(format!("[{ASCII_WORD}]")),
                    ('W', _) => Some(format!("[^{ASCII_WORD}]")),
                    ('s', false) => Some(format!("[{ASCII_SPACE}]")),
                    ('S', _) => Some(format!("[^{ASCII_SPACE}]")),
                    ('d', true) => Some("0-9".into()),
                    ('w', true) => Some(ASCII_WORD.into()),
                    ('s', true) => Some(ASCII_SPACE.into()),
                    ('b', false) => Some(r"(?-u:\b)".into()),
                    ('B', false) => Some(r"(?-u:\B)".into()),
                    ('Q', false) => {
                        let rest = &pat[i + 2..];
                        let (lit, skip) = match rest.find(r"\E") {
                            Some(end) => (&rest[..end], end + 2),
                            None => (rest, rest.len()),
                        };
                        for _ in 0..lit.chars().count() {
                            it.next();
                        }
                        if skip > lit.len() {
                            it.next();
                            it.next();
                        }
                        Some(regex::escape(lit))
                    }
                    _ => None,
                };
                match rep {
                    Some(r) => out.push_str(&r),
                    None => {
                        out.push('\\');
                        out.push(e);
                    }
                }
            }
            '[' if !in_class => {
                in_class = true;
                class_start = true;
                out.push('[');
                if let Some((_, '^')) = it.peek() {
                    it.next();
                    out.push('^');
                }
                // Go takes a `]` right after `[` or `[^` literally.
                if let Some((_, ']')) = it.peek() {
                    it.next();
                    out.push_str(r"\]");
                }
            }
            '[' if in_class => {
                if pat[i..].starts_with("[:")
                    && let Some(end) = pat[i + 2..].find(":]")
                {
                    let name = &pat[i..i + 2 + end + 2];
                    out.push_str(name);
                    for _ in 1..name.chars().count() {
                        it.next();
                    }
                } else {
                    out.push_str(r"\[");
                }
            }
            ']' if in_class && !first_in_class => {
                in_class = false;
                out.push(']');
            }
            '&' | '~' | '-' if in_class && it.peek().map(|p| p.1) == Some(c) => {
                out.push('\\');
                out.push(c);
            }
            '{' if !in_class && !is_repeat(&pat[i..]) => out.push_str(r"\{"),
            _ => out.push(c),
        }
    }
    out
}

thread_local! {
    /// Compiled patterns by their Go text (charts use a few patterns many times).
    static CACHE: RefCell<HashMap<String, Rc<Regex>>> = RefCell::new(HashMap::new());
}

/// Go's wording of a syntax error: its error code and the offending text.
fn go_syntax_error(pat: &str, translated: &str) -> String {
    use regex_syntax::ast::ErrorKind as K;
    let Err(e) = regex_syntax::ast::parse::Parser::new().parse(translated) else {
        return format!("error parsing regexp: expression too large: `{pat}`");
    };
    let span = e.span();
    // Spans point into the translated text; they fit the original when nothing was rewritten.
    let piece = if pat == translated {
        pat.get(span.start.offset..span.end.offset).unwrap_or(pat)
    } else {
        pat
    };
    let (code, expr) = match e.kind() {
        K::GroupUnclosed => ("missing closing )", pat),
        K::GroupUnopened => ("unexpected )", pat),
        K::ClassUnclosed => ("missing closing ]", pat),
        K::ClassRangeInvalid | K::ClassRangeLiteral | K::UnicodeClassInvalid => {
            ("invalid character class range", piece)
        }
        K::EscapeUnexpectedEof => ("trailing backslash at end of expression", ""),
        K::EscapeUnrecognized
        | K::ClassEscapeInvalid
        | K::EscapeHexEmpty
        | K::UnsupportedBackreference => ("invalid escape sequence", piece),
        K::EscapeHexInvalid | K::EscapeHexInvalidDigit => ("invalid escape sequence", piece),
        K::RepetitionMissing => ("missing argument to repetition operator", piece),
        K::RepetitionCountInvalid | K::RepetitionCountDecimalEmpty => {
            ("invalid repeat count", piece)
        }
        K::NestLimitExceeded(_) => ("expression nests too deeply", pat),
        K::GroupNameDuplicate { .. } => ("duplicate capture group name", piece),
        K::GroupNameEmpty | K::GroupNameInvalid => ("invalid named capture", piece),
        _ => ("invalid or unsupported Perl syntax", piece),
    };
    format!("error parsing regexp: {code}: `{expr}`")
}

/// `regexp.Compile`, with Go's wording of errors.
pub(crate) fn compile(pat: &str) -> Result<Rc<Regex>, String> {
    if let Some(re) = CACHE.with(|c| c.borrow().get(pat).cloned()) {
        return Ok(re);
    }
    let translated = translate(pat);
    let re = regex::RegexBuilder::new(&translated)
        .size_limit(1 << 24)
        .build()
        .map_err(|_| go_syntax_error(pat, &translated))?;
    let re = Rc::new(re);
    CACHE.with(|c| {
        let mut c = c.borrow_mut();
        if c.len() > 512 {
            c.clear();
        }
        c.insert(pat.to_string(), re.clone());
    });
    Ok(re)
}

/// `regexp.MustCompile`'s panic message.
fn must_compile(pat: &str) -> Result<Rc<Regex>, FuncError> {
    compile(pat).map_err(|e| {
        let quoted = if pat.contains('`') || pat.chars().any(|c| c.is_control() && c != '\t') {
            let mut b = StrBuf::new();
            push_go_quoted(&mut b, &Str::new(pat));
            b.text
        } else {
            format!("`{pat}`")
        };
        FuncError::call(format!("regexp: Compile({quoted}): {e}"))
    })
}

fn compile_err(pat: &str) -> Result<Rc<Regex>, FuncError> {
    compile(pat).map_err(FuncError::call)
}

/// Go's `allMatches`: successive matches, skipping an empty match right after a match.
fn all_matches(re: &Regex, s: &str, n: i64) -> Vec<(usize, usize)> {
    let limit = if n < 0 { usize::MAX } else { n as usize };
    let mut out = Vec::new();
    let (mut pos, mut prev_end) = (0usize, None);
    while out.len() < limit && pos <= s.len() {
        let Some(m) = re.find_at(s, pos) else { break };
        let mut accept = true;
        if m.end() == pos {
            if Some(m.start()) == prev_end {
                accept = false;
            }
            pos += s[pos..].chars().next().map_or(1, char::len_utf8);
        } else {
            pos = m.end();
        }
        prev_end = Some(m.end());
        if accept {
            out.push((m.start(), m.end()));
        }
    }
    out
}

/// Go's `Regexp.Expand` of a `ReplaceAllString` template: `$1`, `${1}`, `$name`, `${name}`,
/// `$$`; a `$` not followed by a valid reference stays as it is.
fn expand(out: &mut String, template: &str, caps: &regex::Captures<'_>, re: &Regex) {
    let mut rest = template;
    while let Some(i) = rest.find('$') {
        out.push_str(&rest[..i]);
        rest = &rest[i + 1..];
        if let Some(r) = rest.strip_prefix('$') {
            out.push('$');
            rest = r;
            continue;
        }
        let (brace, body) = match rest.strip_prefix('{') {
            Some(b) => (true, b),
            None => (false, rest),
        };
        let len: usize = body
            .chars()
            .take_while(|c| c.is_alphanumeric() || *c == '_')
            .map(char::len_utf8)
            .sum();
        if len == 0 || (brace && !body[len..].starts_with('}')) {
            out.push('$');
            continue;
        }
        let name = &body[..len];
        rest = &body[len + usize::from(brace)..];
        let num = if name.bytes().all(|b| b.is_ascii_digit())
            && !(name.len() > 1 && name.starts_with('0'))
        {
            name.parse::<usize>().ok().filter(|n| *n < 100_000_000)
        } else {
            None
        };
        let text = match num {
            Some(n) => caps.get(n).map(|m| m.as_str()),
            None => re
                .capture_names()
                .enumerate()
                .find(|(i, nm)| *nm == Some(name) && caps.get(*i).is_some())
                .and_then(|(i, _)| caps.get(i))
                .map(|m| m.as_str()),
        };
        out.push_str(text.unwrap_or(""));
    }
    out.push_str(rest);
}

/// Go's `replaceAll` loop, with `repl` writing each replacement.
fn replace_all(re: &Regex, s: &str, mut repl: impl FnMut(&mut String, usize, usize)) -> String {
    let mut out = String::with_capacity(s.len());
    let (mut last_end, mut search) = (0usize, 0usize);
    while search <= s.len() {
        let Some(m) = re.find_at(s, search) else {
            break;
        };
        out.push_str(&s[last_end..m.start()]);
        if m.end() > last_end || m.start() == 0 {
            repl(&mut out, m.start(), m.end());
        }
        last_end = m.end();
        let width = s[search..].chars().next().map_or(0, char::len_utf8);
        if search + width > m.end() {
            search += width;
        } else if search + 1 > m.end() {
            search += 1;
        } else {
            search = m.end();
        }
    }
    out.push_str(&s[last_end..]);
    out
}

fn strings_list(items: Vec<&str>) -> Value {
    Value::typed_list(
        items.into_iter().map(Value::str).collect(),
        ElemType::String,
    )
}

type Compiler = fn(&str) -> Result<Rc<Regex>, FuncError>;

fn regex_match(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let (pat, s) = (string(&a[0])?.as_str(), string(&a[1])?.as_str());
    Ok(Value::bool(compile(pat).is_ok_and(|re| re.is_match(s))))
}

fn must_regex_match(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let (pat, s) = (string(&a[0])?.as_str(), string(&a[1])?.as_str());
    Ok(Value::bool(compile_err(pat)?.is_match(s)))
}

fn find_all(a: &[Value], comp: Compiler) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let (pat, s) = (string(&a[0])?.as_str(), string(&a[1])?.as_str());
    let n = go_int(&a[2])?;
    let re = comp(pat)?;
    let found: Vec<&str> = all_matches(&re, s, n)
        .into_iter()
        .map(|(x, y)| &s[x..y])
        .collect();
    // Go's `FindAllString` makes its slice at the first match.
    if found.is_empty() {
        return Ok(Value::nil_list(ElemType::String));
    }
    Ok(strings_list(found))
}

fn regex_find_all(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    find_all(a, must_compile)
}

fn must_regex_find_all(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    find_all(a, compile_err)
}

fn find(a: &[Value], comp: Compiler) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let (pat, s) = (string(&a[0])?.as_str(), string(&a[1])?.as_str());
    let re = comp(pat)?;
    Ok(Value::str(re.find(s).map_or("", |m| m.as_str())))
}

fn regex_find(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    find(a, must_compile)
}

fn must_regex_find(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    find(a, compile_err)
}

fn replace(a: &[Value], comp: Compiler, literal: bool) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let (pat, s) = (string(&a[0])?.as_str(), string(&a[1])?.as_str());
    let repl = string(&a[2])?.as_str();
    let re = comp(pat)?;
    let out = replace_all(&re, s, |out, start, _| {
        if literal {
            out.push_str(repl);
        } else if let Some(caps) = re.captures_at(s, start) {
            expand(out, repl, &caps, &re);
        }
    });
    Ok(Value::str(out))
}

fn regex_replace_all(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    replace(a, must_compile, false)
}

fn must_regex_replace_all(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    replace(a, compile_err, false)
}

fn regex_replace_all_literal(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    replace(a, must_compile, true)
}

fn must_regex_replace_all_literal(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    replace(a, compile_err, true)
}

/// Go's `Regexp.Split`.
fn split(a: &[Value], comp: Compiler) -> Result<Value, FuncError> {
    arity(a, 3)?;
    let (pat, s) = (string(&a[0])?.as_str(), string(&a[1])?.as_str());
    let n = go_int(&a[2])?;
    let re = comp(pat)?;
    if n == 0 {
        return Ok(Value::nil_list(ElemType::String));
    }
    if !pat.is_empty() && s.is_empty() {
        return Ok(strings_list(vec![""]));
    }
    let mut parts = Vec::new();
    let (mut beg, mut end) = (0usize, 0usize);
    for (x, y) in all_matches(&re, s, n) {
        if n > 0 && parts.len() as i64 == n - 1 {
            break;
        }
        end = x;
        if y != 0 {
            parts.push(&s[beg..end]);
        }
        beg = y;
    }
    if end != s.len() {
        parts.push(&s[beg..]);
    }
    Ok(strings_list(parts))
}

fn regex_split(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    split(a, must_compile)
}

fn must_regex_split(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    split(a, compile_err)
}

/// Go's `regexp.QuoteMeta`: a backslash before each of `\.+*?()|[]{}^$`.
fn regex_quote_meta(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let s = string(&a[0])?.as_str();
    let mut out = String::with_capacity(s.len() * 2);
    for c in s.chars() {
        if r"\.+*?()|[]{}^$".contains(c) {
            out.push('\\');
        }
        out.push(c);
    }
    Ok(Value::str(out))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{err, i, s, show};

    // Expectations from `helm template` (Helm 3.17.3, Go's regexp).
    #[test]
    fn replace_all_follows_go() {
        assert_eq!(
            show("regexReplaceAll", &[s("a*"), s("baaac"), s("-")]),
            "-b-c-"
        );
        let axb = || [s("a(x*)b"), s("-ab-axxb-")];
        let [p, t] = axb();
        assert_eq!(show("regexReplaceAll", &[p, t, s("${1}W")]), "-W-xxW-");
        let [p, t] = axb();
        assert_eq!(show("regexReplaceAll", &[p, t, s("$1W")]), "---");
        assert_eq!(
            show("regexReplaceAll", &[s("(?P<n>x+)"), s("axxb"), s("[$n]")]),
            "a[xx]b"
        );
        assert_eq!(
            show("regexReplaceAll", &[s("x"), s("axb"), s("$$ $ ${")]),
            "a$ $ ${b"
        );
        assert_eq!(
            show("regexReplaceAllLiteral", &[s("x"), s("axb"), s("$1")]),
            "a$1b"
        );
    }

    #[test]
    fn find_and_split_follow_go() {
        assert_eq!(
            show("regexFindAll", &[s("a*"), s("baaac"), i(-1)]),
            "[ aaa ]"
        );
        assert_eq!(
            show("regexFindAll", &[s("[0-9]+"), s("a1b22c333"), i(2)]),
            "[1 22]"
        );
        assert_eq!(show("regexFindAll", &[s("x"), s("abc"), i(0)]), "[]");
        assert_eq!(show("regexSplit", &[s("a*"), s("baaac"), i(-1)]), "[b c]");
        assert_eq!(show("regexSplit", &[s(","), s("a,b,c"), i(2)]), "[a b,c]");
        assert_eq!(show("regexSplit", &[s(""), s("abc"), i(-1)]), "[a b c]");
        assert_eq!(show("regexSplit", &[s("z*"), s("abc"), i(0)]), "[]");
        assert_eq!(show("regexFind", &[s("[a-z]+"), s("12abc34")]), "abc");
        assert_eq!(show("regexQuoteMeta", &[s("1.2+[x]")]), r"1\.2\+\[x\]");
    }

    #[test]
    fn perl_classes_are_ascii_as_in_go() {
        assert_eq!(show("regexMatch", &[s(r"^\d+$"), s("١٢")]), "false");
        assert_eq!(show("regexMatch", &[s(r"^\d+$"), s("12")]), "true");
        assert_eq!(show("regexMatch", &[s(r"\w"), s("é")]), "false");
        assert_eq!(show("regexMatch", &[s(r"\bé"), s(" é")]), "false");
        assert_eq!(show("regexMatch", &[s(r"[\d\s]x"), s(" x")]), "true");
        assert_eq!(show("regexMatch", &[s("a{"), s("a{")]), "true");
        assert_eq!(show("regexMatch", &[s(r"\Q1.2\E$"), s("v1.2")]), "true");
        assert_eq!(show("regexMatch", &[s("[]a]"), s("]")]), "true");
    }

    #[test]
    fn compile_errors_are_worded_like_go() {
        assert_eq!(show("regexMatch", &[s("("), s("x")]), "false");
        assert_eq!(
            err("regexFind", &[s("("), s("x")]),
            "regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"
        );
        assert_eq!(
            err("mustRegexFind", &[s("("), s("x")]),
            "error parsing regexp: missing closing ): `(`"
        );
        assert_eq!(
            err("mustRegexFind", &[s("[z-a]"), s("x")]),
            "error parsing regexp: invalid character class range: `z-a`"
        );
        assert_eq!(
            err("mustRegexFind", &[s(r"\8"), s("x")]),
            r"error parsing regexp: invalid escape sequence: `\8`"
        );
    }
}
