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
use super::regex_operands::Operands;
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

/// Go's `parseRepeat` of `{` at `rest`: (min, max, length of the `{…}`), max -1 for `{n,}`
/// and min -1 for a number too large; `None` where Go reads the `{` as itself (no digits, a
/// leading zero, no closing brace).
fn go_repeat(rest: &str) -> Option<(i64, i64, usize)> {
    let b = rest.as_bytes();
    // Go's `parseInt`: digits without a leading zero, -1 once the value passes 1e8.
    let int = |at: usize| -> Option<(i64, usize)> {
        let digits = b[at..].iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 || (digits >= 2 && b[at] == b'0') {
            return None;
        }
        let mut n: i64 = 0;
        for &c in &b[at..at + digits] {
            if n >= 100_000_000 {
                n = -1;
                break;
            }
            n = n * 10 + i64::from(c - b'0');
        }
        Some((n, at + digits))
    };
    if b.first() != Some(&b'{') {
        return None;
    }
    let (mut min, at) = int(1)?;
    let (max, at) = match b.get(at)? {
        b',' => match b.get(at + 1)? {
            b'}' => (-1, at + 1),
            _ => {
                let (max, at) = int(at + 1)?;
                if max < 0 {
                    min = -1;
                }
                (max, at)
            }
        },
        _ => (min, at),
    };
    (b.get(at) == Some(&b'}')).then_some((min, max, at + 1))
}

/// Rewrites a Go pattern into the `regex` crate's dialect with the same meaning. An escape Go
/// refuses (`\\8`, `\\u0041`, `[a-\\d]`) or a range it finds backwards is the error, worded as
/// Go's (which the `regex` crate would word from the rewritten text).
fn translate(pat: &str) -> Result<String, String> {
    let mut out = String::with_capacity(pat.len() + 8);
    let mut in_class = false;
    let mut class_start = false;
    // Inside a class, what the last item was: Go reads a `-` as a range only right after a
    // single character (`a-z`); after a class (`\w`, `[:alpha:]`, `\pL`), a range or at the
    // start it is a literal `-`, where the `regex` crate refuses `[\w-.]` or reads `[\w-~]`
    // as a range from the `_` that ends our spelling of `\w`.
    let mut after_single = false;
    let mut range_open = false;
    // The last single character of a class, and where its text starts: a range's low end.
    let mut low = ('\0', 0);
    // Outside classes: where the previous token began when it was a repetition operator (Go
    // refuses a second one, `a**`), and whether there is something to repeat.
    let mut repeat_start: Option<usize> = None;
    let mut operand = false;
    let mut ops = Operands::default();
    let mut it = pat.char_indices().peekable();
    while let Some((i, c)) = it.next() {
        let last_repeat = repeat_start.take();
        if !in_class {
            let mut counts = None;
            let op_end = match c {
                '*' | '+' | '?' => Some(i + 1),
                '{' => match go_repeat(&pat[i..]) {
                    Some((min, max, len)) => {
                        if !(0..=1000).contains(&min) || max > 1000 || (max >= 0 && min > max) {
                            return Err(format!("invalid repeat count: `{}`", &pat[i..i + len]));
                        }
                        counts = Some((min, max));
                        Some(i + len)
                    }
                    None => None,
                },
                _ => None,
            };
            if let Some(mut end) = op_end {
                // A `?` after the operator makes it non-greedy.
                if pat[end..].starts_with('?') {
                    end += 1;
                }
                if let Some(start) = last_repeat {
                    return Err(format!(
                        "invalid nested repetition operator: `{}`",
                        &pat[start..end]
                    ));
                }
                if !operand {
                    return Err(format!(
                        "missing argument to repetition operator: `{}`",
                        &pat[i..end]
                    ));
                }
                ops.repeat(&mut out, &pat[i..end], counts)
                    .map_err(|()| format!("invalid repeat count: `{}`", &pat[i..end]))?;
                while it.peek().is_some_and(|p| p.0 < end) {
                    it.next();
                }
                repeat_start = Some(i);
                continue;
            }
            // A group's `(?flags)`, `(?flags:` or `(?P<name>` is copied whole (its `?` is no
            // repetition); a group's start (but for flags alone) and `|` leave nothing to repeat.
            if c == '(' && pat[i + 1..].starts_with('?') {
                let rest = &pat[i + 1..];
                let named = rest.starts_with("?P<") || rest.starts_with("?<");
                let close = if named {
                    rest.find('>')
                } else {
                    rest.find([')', ':'])
                };
                if let Some(k) = close {
                    let end = i + 1 + k + 1;
                    let text = &pat[i..end];
                    if text.ends_with(')') {
                        ops.flags(text, &mut out);
                    } else {
                        let flags = (!named).then(|| &text[2..text.len() - 1]);
                        ops.open(&mut out, flags);
                        out.push_str(text);
                        operand = false;
                    }
                    while it.peek().is_some_and(|p| p.0 < end) {
                        it.next();
                    }
                    continue;
                }
            }
            operand = !matches!(c, '|' | '(');
            match c {
                '(' => ops.open(&mut out, None),
                ')' => ops.close(&mut out),
                '|' => ops.alternate(&mut out),
                _ => ops.atom(&mut out),
            }
        }
        let first_in_class = class_start;
        class_start = false;
        // The character this item is, when it is a single one (a `-` may follow as a range).
        let mut single: Option<char> = None;
        match c {
            '\\' => {
                let Some((ei, e)) = it.next() else {
                    out.push('\\');
                    break;
                };
                let rep: Option<String> = match (e, in_class) {
                    // The end of a range must be a character (Go's `parseClassChar`).
                    ('d' | 'D' | 'w' | 'W' | 's' | 'S' | 'p' | 'P', true) if range_open => {
                        return Err(bad_escape(e));
                    }
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
                    ('p' | 'P', _) => {
                        let mut name = String::new();
                        if let Some((_, '{')) = it.peek() {
                            for (_, n) in it.by_ref() {
                                name.push(n);
                                if n == '}' {
                                    break;
                                }
                            }
                        } else if let Some((_, n)) = it.next() {
                            name.push(n);
                        }
                        // Go's `\p{^Greek}` is the class negated (`\P{Greek}`).
                        match name.strip_prefix("{^") {
                            Some(rest) => {
                                let flipped = if e == 'p' { 'P' } else { 'p' };
                                Some(format!("\\{flipped}{{{rest}"))
                            }
                            None => Some(format!("\\{e}{name}")),
                        }
                    }
                    ('0'..='7', _) => match octal(e, &mut it) {
                        Some(r) => {
                            single = char::from_u32(r);
                            Some(format!("\\x{{{r:X}}}"))
                        }
                        None => return Err(bad_escape(e)),
                    },
                    ('x', _) => {
                        let hex = hex_escape(&pat[ei + 1..]);
                        let end = ei + 1 + hex.map_or_else(|n| n, |h| h.1);
                        while it.peek().is_some_and(|p| p.0 < end) {
                            it.next();
                        }
                        let (ch, _) = hex
                            .map_err(|_| format!("invalid escape sequence: `{}`", &pat[i..end]))?;
                        single = Some(ch);
                        Some(format!("\\x{{{:X}}}", u32::from(ch)))
                    }
                    ('a' | 'f' | 'n' | 'r' | 't' | 'v', _) => {
                        single = escaped_char(e);
                        None
                    }
                    ('A' | 'z', false) => None,
                    // Go takes any ASCII punctuation escaped as itself; the `regex` crate gives
                    // some a meaning of their own (`\\<` starts a word).
                    (p, _) if p.is_ascii() && !p.is_ascii_alphanumeric() => {
                        single = Some(p);
                        Some(regex::escape(&p.to_string()))
                    }
                    (other, _) => return Err(bad_escape(other)),
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
                after_single = false;
                range_open = false;
                out.push('[');
                if let Some((_, '^')) = it.peek() {
                    it.next();
                    out.push('^');
                }
                // Go takes a `]` right after `[` or `[^` literally.
                if let Some((_, ']')) = it.peek() {
                    it.next();
                    out.push_str(r"\]");
                    after_single = true;
                    low = (']', i + 1);
                }
                continue;
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
                    single = Some('[');
                }
            }
            ']' if in_class && !first_in_class => {
                in_class = false;
                out.push(']');
                continue;
            }
            '-' if in_class => {
                let closes = it.peek().map(|p| p.1) == Some(']');
                if after_single && !range_open && !closes && it.peek().is_some() {
                    out.push('-');
                    range_open = true;
                    continue;
                }
                out.push_str(r"\-");
                single = Some('-');
            }
            '&' | '~' if in_class && it.peek().map(|p| p.1) == Some(c) => {
                out.push('\\');
                out.push(c);
                single = Some(c);
            }
            '{' if !in_class && go_repeat(&pat[i..]).is_none() => out.push_str(r"\{"),
            _ => {
                out.push(c);
                single = Some(c);
            }
        }
        if in_class {
            if let (true, Some(high)) = (range_open, single)
                && high < low.0
            {
                let end = it.peek().map_or(pat.len(), |p| p.0);
                return Err(format!(
                    "invalid character class range: `{}`",
                    &pat[low.1..end]
                ));
            }
            // The end of a range is no start of another (`[a-c-e]`: `-` then `e`).
            after_single = single.is_some() && !range_open;
            if let (false, Some(ch)) = (range_open, single) {
                low = (ch, i);
            }
            range_open = false;
        }
    }
    ops.end(&mut out);
    Ok(out)
}

/// Go's message for an escape it does not know.
fn bad_escape(e: char) -> String {
    format!("invalid escape sequence: `\\{e}`")
}

/// The character of `\\a`, `\\f`, `\\n`, `\\r`, `\\t` and `\\v`.
fn escaped_char(e: char) -> Option<char> {
    match e {
        'a' => Some('\u{7}'),
        'f' => Some('\u{c}'),
        'n' => Some('\n'),
        'r' => Some('\r'),
        't' => Some('\t'),
        'v' => Some('\u{b}'),
        _ => None,
    }
}

/// Go's hex escape after `\\x` (`rest`): two digits or any number in braces, at most
/// U+10FFFF. The character and the bytes it took, or the bytes Go had read when it refused
/// (its message quotes them).
fn hex_escape(rest: &str) -> Result<(char, usize), usize> {
    let mut chars = rest.char_indices();
    let after = |(i, c): (usize, char)| i + c.len_utf8();
    let Some(first) = chars.next() else {
        return Err(0);
    };
    if first.1 == '{' {
        let mut r: u32 = 0;
        let mut digits = 0;
        loop {
            let Some(next) = chars.next() else {
                return Err(rest.len());
            };
            if next.1 == '}' {
                return match (digits, char::from_u32(r)) {
                    (1.., Some(ch)) => Ok((ch, after(next))),
                    _ => Err(after(next)),
                };
            }
            r = match next.1.to_digit(16) {
                Some(v) => r * 16 + v,
                None => return Err(after(next)),
            };
            if r > 0x10_FFFF {
                return Err(after(next));
            }
            digits += 1;
        }
    }
    let Some(second) = chars.next() else {
        return Err(rest.len());
    };
    match (first.1.to_digit(16), second.1.to_digit(16)) {
        (Some(x), Some(y)) => char::from_u32(x * 16 + y)
            .map(|ch| (ch, after(second)))
            .ok_or(after(second)),
        _ => Err(after(second)),
    }
}

/// Go's octal escape after its first digit `first` (`\0`, `\012`, `\141`: up to three digits);
/// `None` for a lone `\1`…`\7`, a backreference Go refuses.
fn octal(first: char, it: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<u32> {
    let is_octal = |c: Option<&(usize, char)>| c.is_some_and(|(_, c)| ('0'..='7').contains(c));
    if first != '0' && !is_octal(it.peek()) {
        return None;
    }
    let mut r = first.to_digit(8)?;
    for _ in 1..3 {
        if !is_octal(it.peek()) {
            break;
        }
        r = r * 8 + it.next()?.1.to_digit(8)?;
    }
    Some(r)
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
    let translated = translate(pat).map_err(|e| format!("error parsing regexp: {e}"))?;
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

    // Expectations from Helm 3.17.3 (`mustRegexFindAll PATTERN SUBJECT -1 | toJson`).
    #[test]
    fn classes_ranges_and_escapes_read_as_go_reads_them() {
        let all = |p: &str, t: &str| show("regexFindAll", &[s(p), s(t), i(-1)]);
        // After a class, a range or at an end, a `-` is itself (argo-cd's redis-ha chart
        // validates a name with `^[\w-\.]+$`).
        assert_eq!(
            show("regexMatch", &[s(r"^[\w-\.]+$"), s("argo-cd.x")]),
            "true"
        );
        assert_eq!(all(r"[\w-~]+", "a~-"), "[a~-]");
        assert_eq!(all(r"[a-c-e]", "bd-e"), "[b - e]");
        assert_eq!(all(r"[\pL-z]", "é-1"), "[é -]");
        // A `^` first in a class name negates it (`parseUnicodeClass`).
        assert_eq!(all(r"\p{^L}", "aé1 ☺B"), "[1   ☺]");
        assert_eq!(all(r"[\P{^Greek}]+", "αβ-γ x"), "[αβ γ]");
        assert_eq!(all(r"[--/]", ",-./"), "[- . /]");
        // Octal and hex escapes; Go's escaped punctuation is the character (`\<` is no word
        // start).
        assert_eq!(all(r"\141\x62\x{63}", "abc"), "[abc]");
        assert_eq!(all(r"\<a\>", "<a>"), "[<a>]");
        assert_eq!(all(r"[\0-\041]", " !\""), "[  !]");
    }

    #[test]
    fn escapes_go_refuses_fail_in_its_words() {
        let e = |p: &str| err("mustRegexFind", &[s(p), s("x")]);
        assert_eq!(
            e(r"\7"),
            r"error parsing regexp: invalid escape sequence: `\7`"
        );
        assert_eq!(
            e(r"\u0041"),
            r"error parsing regexp: invalid escape sequence: `\u`"
        );
        assert_eq!(
            e(r"[a-\d]"),
            r"error parsing regexp: invalid escape sequence: `\d`"
        );
        assert_eq!(
            e(r"[\b]"),
            r"error parsing regexp: invalid escape sequence: `\b`"
        );
        assert_eq!(
            e(r"\x4"),
            r"error parsing regexp: invalid escape sequence: `\x4`"
        );
        assert_eq!(
            e(r"\x{110000}"),
            r"error parsing regexp: invalid escape sequence: `\x{110000`"
        );
        assert_eq!(
            e(r"[z-\x{61}]"),
            r"error parsing regexp: invalid character class range: `z-\x{61}`"
        );
        assert_eq!(
            e(r"[a--]"),
            r"error parsing regexp: invalid character class range: `a--`"
        );
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
        // Repetitions as Go's parser takes them (Helm 3.17.3's messages).
        for (pattern, message) in [
            ("a**", "invalid nested repetition operator: `**`"),
            ("a*?*", "invalid nested repetition operator: `*?*`"),
            ("a{2}?{3}", "invalid nested repetition operator: `{2}?{3}`"),
            ("[a-z]*+", "invalid nested repetition operator: `*+`"),
            ("a{1001}", "invalid repeat count: `{1001}`"),
            ("a{2,1}", "invalid repeat count: `{2,1}`"),
            ("x{2,999999999}", "invalid repeat count: `{2,999999999}`"),
            ("(?i)*a", "missing argument to repetition operator: `*`"),
            ("a|{1}", "missing argument to repetition operator: `{1}`"),
            ("(?P<n>*)", "missing argument to repetition operator: `*`"),
            // `repeatIsValid`: nested counts past 1,000 copies, named at the outer operator.
            ("(a{10}){101}", "invalid repeat count: `{101}`"),
            ("(a{2}b{501}){2}", "invalid repeat count: `{2}`"),
            ("((a{10}){10}){11}", "invalid repeat count: `{11}`"),
            ("(a{2,}){501}", "invalid repeat count: `{501}`"),
            ("(a{1,2}|b{3}){334}", "invalid repeat count: `{334}`"),
            ("(?:a{1000}){0,2}", "invalid repeat count: `{0,2}`"),
            ("(a{10}){101}?", "invalid repeat count: `{101}?`"),
            ("x(a{2}|(b{2}){3}){167}", "invalid repeat count: `{167}`"),
            ("a|(?i)*", "missing argument to repetition operator: `*`"),
        ] {
            assert_eq!(
                err("mustRegexFind", &[s(pattern), s("x")]),
                format!("error parsing regexp: {message}"),
                "{pattern}"
            );
        }
        // What Go reads as literal braces or as a repetition it allows.
        for (pattern, text, found) in [
            ("a{01}", "a{01}", "a{01}"),
            ("a{,2}", "a{,2}", "a{,2}"),
            ("a{1,", "a{1,", "a{1,"),
            ("a{2,}?", "aaaa", "aa"),
            ("(?is:a)*", "aa", "aa"),
            ("^*", "x", ""),
            // Counts Go allows: a `{0}`, `{1}` or `{1,}` inside, 1,000 copies at most.
            ("(a{10}){100}", "a", ""),
            ("(a{0}){1000}", "a", ""),
            ("(?:a{1000}){1,}", "a", ""),
            ("x(a{2}|(b{2}){3}){166}", "x", ""),
            // A flag group between an operand and its operator: the operator repeats the
            // operand, with the flags' greediness; the flags apply to what follows.
            ("a(?i)*", "aaA", "aa"),
            ("a(?i)*b", "aaB", "aaB"),
            ("a*(?i)*", "aa", "aa"),
            ("(a)(?i)+", "aaa", "aaa"),
            ("a(?i){2}", "aaa", "aa"),
            ("a(?U)*", "aaa", ""),
            ("a(?U)*?", "aaa", "aaa"),
            ("(?U)a(?-U)*", "aaa", "aaa"),
            ("(?i)A(?-i)*b", "aab", "aab"),
            ("(?i)A(?-i)*b", "aaB", ""),
            ("(a(?i))*B", "aab", ""),
        ] {
            assert_eq!(
                show("regexFind", &[s(pattern), s(text)]),
                found,
                "{pattern}"
            );
        }
    }
}
