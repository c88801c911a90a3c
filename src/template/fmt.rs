//! Go's `fmt` for template values: `print`, `printf`, `println` and `%v` everywhere.
//!
//! A port of Go 1.23's `fmt` (the release Helm 3.17 is built with) for the values a template
//! has: every verb (`%v %+v %#v %T %t %d %b %o %O %x %X %c %q %U %e %E %f %F %g %G %s %p`), the
//! flags `+ - # 0 space`, width and precision (also `*`), argument indexes (`%[2]d`) and Go's
//! texts for mistakes (`%!d(string=x)`, `%!v(MISSING)`, `%!(EXTRA int=1)`, `%!(NOVERB)`,
//! `%!(BADWIDTH)`, `%!(BADPREC)`, `%!d(BADINDEX)`). Verbs apply to the elements of slices and
//! maps, as in Go. Output is a [`Str`]: an operand printed whole keeps its provenance.
//!
//! Objects (`.Chart`, `.Capabilities`…) that are Go structs print field by field as Go's
//! printer walks them ([`GoStruct`]), others as [`Object::fmt_v`](super::value::Object) says
//! for `%v` and the string verbs.

mod isprint;
mod printer;
mod strconv;
#[cfg(test)]
mod tests;

use printer::Printer;

use super::value::{GoStruct, Str, Value};

pub(crate) use printer::{formatted_into_dropped_error, take_printed_cycle};
pub(crate) use strconv::{ftoa_bits, is_print};

/// `fmt.Sprint`: operands in their default format, with a space between two operands when
/// neither is a string.
pub(crate) fn sprint(args: &[Value]) -> Str {
    let mut p = Printer::default();
    let mut prev_string = false;
    for (n, arg) in args.iter().enumerate() {
        let is_string = matches!(arg, Value::Str(_));
        if n > 0 && !is_string && !prev_string {
            p.buf.push_plain(" ");
        }
        p.print_arg(arg, 'v');
        prev_string = is_string;
    }
    p.buf.finish()
}

/// `fmt.Sprintln`: operands in their default format, always separated by a space, then a newline.
pub(crate) fn sprintln(args: &[Value]) -> Str {
    let mut p = Printer::default();
    for (n, arg) in args.iter().enumerate() {
        if n > 0 {
            p.buf.push_plain(" ");
        }
        p.print_arg(arg, 'v');
    }
    p.buf.push_plain("\n");
    p.buf.finish()
}

/// How `fmt.Sprint` prints a struct the engine models, field by field: `{a b}`, `&{a b}` for a
/// pointer (see [`GoStruct`]). The `%v` of an object that has no `String` method.
pub(crate) fn sprint_struct(s: &GoStruct) -> String {
    let mut p = Printer::default();
    p.print_struct_or_pointer(s, 'v', 0, &Value::Nil);
    p.buf.text
}

/// How `fmt.Sprint` prints one value (`%v`).
pub(crate) fn sprint_v(v: &Value) -> String {
    let mut p = Printer::default();
    p.print_arg(v, 'v');
    p.buf.text
}

/// `strconv.FormatFloat(f, verb, prec, 64)` for the verbs `e E f g G b x X`; `None` is
/// precision -1, the shortest representation that reads back as `f`.
pub(crate) fn format_float(f: f64, verb: char, prec: Option<usize>) -> String {
    let prec = prec.map_or(-1, |p| i32::try_from(p).unwrap_or(i32::MAX));
    strconv::ftoa(f, u8::try_from(verb).unwrap_or(b'?'), prec)
}

/// `strconv.Quote`: a double-quoted Go string literal; printable Unicode stays as it is.
pub(crate) fn quote(s: &str) -> String {
    strconv::quote_bytes(s.as_bytes(), false)
}

/// `strconv.QuoteRune` (`%q` of a rune).
pub(crate) fn quote_rune(r: u32) -> String {
    strconv::quote_rune(r, false)
}

/// `strconv.QuoteToASCII`: like [`quote`], with every non-ASCII rune escaped.
#[cfg(test)]
pub(crate) fn quote_ascii(s: &str) -> String {
    strconv::quote_bytes(s.as_bytes(), true)
}

/// Go's limit on a width, precision or argument index (`tooLarge`).
const TOO_LARGE: usize = 1_000_000;

/// `parsenum`: a decimal number at `s[start..end]`; `None` when there is none or it is too
/// large (then the whole rest is consumed, as in Go).
fn parse_num(s: &[u8], start: usize, end: usize) -> (Option<usize>, usize) {
    let mut num: usize = 0;
    let mut is_num = false;
    let mut i = start;
    while i < end && s[i].is_ascii_digit() {
        if num > TOO_LARGE {
            return (None, end);
        }
        num = num * 10 + usize::from(s[i] - b'0');
        is_num = true;
        i += 1;
    }
    (is_num.then_some(num), i)
}

/// `parseArgNumber`: `[n]` at the start of `s`: the zero-based index (if it parsed), and the
/// bytes consumed.
fn parse_arg_number(s: &[u8]) -> (Option<isize>, usize) {
    if s.len() < 3 {
        return (None, 1);
    }
    for i in 1..s.len() {
        if s[i] == b']' {
            let (width, newi) = parse_num(s, 1, i);
            return match width {
                Some(w) if newi == i => (Some(w as isize - 1), i + 1),
                _ => (None, i + 1),
            };
        }
    }
    (None, 1)
}

/// The state of one `Sprintf` besides the printer.
struct Args<'a> {
    args: &'a [Value],
    reordered: bool,
    good_arg_num: bool,
}

impl Args<'_> {
    /// `argNumber`: an explicit `[n]` at `format[i..]`, if any.
    fn arg_number(&mut self, arg_num: usize, format: &[u8], i: usize) -> (usize, usize, bool) {
        if format.len() <= i || format[i] != b'[' {
            return (arg_num, i, false);
        }
        self.reordered = true;
        let (index, wid) = parse_arg_number(&format[i..]);
        if let Some(index) = index
            && index >= 0
            && (index as usize) < self.args.len()
        {
            return (index as usize, i + wid, true);
        }
        self.good_arg_num = false;
        (arg_num, i + wid, index.is_some())
    }

    /// `intFromArg`: a `*` width or precision.
    fn int_from_arg(&self, arg_num: usize) -> (isize, bool, usize) {
        let Some(arg) = self.args.get(arg_num) else {
            return (0, false, arg_num);
        };
        let (num, ok) = match arg {
            Value::Int(n, t, _) => match t {
                super::value::IntType::Uint64 if *n < 0 => (0, false),
                _ => (*n as isize, true),
            },
            _ => (0, false),
        };
        if ok && num.unsigned_abs() > TOO_LARGE {
            return (0, false, arg_num + 1);
        }
        (num, ok, arg_num + 1)
    }
}

/// `fmt.Sprintf`.
pub(crate) fn sprintf(format: &str, args: &[Value]) -> Str {
    let mut p = Printer::default();
    let fmt = format.as_bytes();
    let end = fmt.len();
    let mut st = Args {
        args,
        reordered: false,
        good_arg_num: true,
    };
    let mut arg_num: usize = 0;
    let mut after_index;
    let mut i = 0;
    'format: while i < end {
        st.good_arg_num = true;
        let lasti = i;
        while i < end && fmt[i] != b'%' {
            i += 1;
        }
        if i > lasti {
            p.buf.push_plain(&format[lasti..i]);
        }
        if i >= end {
            break;
        }
        i += 1; // the '%'
        p.f = printer::Flags::default();
        // Flags, and the fast path for a plain lower-case verb.
        while i < end {
            let c = fmt[i];
            match c {
                b'#' => p.f.sharp = true,
                b'0' => p.f.zero = true,
                b'+' => p.f.plus = true,
                b'-' => p.f.minus = true,
                b' ' => p.f.space = true,
                b'a'..=b'z' if arg_num < args.len() => {
                    if c == b'v' || c == b'w' {
                        p.f.sharp_v = p.f.sharp;
                        p.f.sharp = false;
                        p.f.plus_v = p.f.plus;
                        p.f.plus = false;
                    }
                    if c == b'w' {
                        // %w belongs to Errorf only.
                        bad_w(&mut p, &args[arg_num]);
                    } else {
                        p.print_arg(&args[arg_num], char::from(c));
                    }
                    arg_num += 1;
                    i += 1;
                    continue 'format;
                }
                _ => break,
            }
            i += 1;
        }
        // An explicit argument index?
        (arg_num, i, after_index) = st.arg_number(arg_num, fmt, i);
        // Width.
        if i < end && fmt[i] == b'*' {
            i += 1;
            let (wid, ok, next) = st.int_from_arg(arg_num);
            arg_num = next;
            p.f.wid_present = ok;
            if !ok {
                p.buf.push_plain("%!(BADWIDTH)");
            }
            if wid < 0 {
                p.f.minus = true;
                p.f.zero = false;
            }
            p.f.wid = wid.unsigned_abs();
            after_index = false;
        } else {
            let (wid, newi) = parse_num(fmt, i, end);
            i = newi;
            p.f.wid_present = wid.is_some();
            p.f.wid = wid.unwrap_or(0);
            if after_index && p.f.wid_present {
                st.good_arg_num = false; // "%[3]2d"
            }
        }
        // Precision.
        if i + 1 < end && fmt[i] == b'.' {
            i += 1;
            if after_index {
                st.good_arg_num = false; // "%[3].2d"
            }
            (arg_num, i, after_index) = st.arg_number(arg_num, fmt, i);
            if i < end && fmt[i] == b'*' {
                i += 1;
                let (prec, ok, next) = st.int_from_arg(arg_num);
                arg_num = next;
                // A negative precision makes no sense.
                p.f.prec_present = ok && prec >= 0;
                p.f.prec = if p.f.prec_present { prec as usize } else { 0 };
                if !p.f.prec_present {
                    p.buf.push_plain("%!(BADPREC)");
                }
                after_index = false;
            } else {
                let (prec, newi) = parse_num(fmt, i, end);
                i = newi;
                p.f.prec_present = true;
                p.f.prec = prec.unwrap_or(0);
            }
        }
        if !after_index {
            (arg_num, i, _) = st.arg_number(arg_num, fmt, i);
        }
        if i >= end {
            p.buf.push_plain("%!(NOVERB)");
            break;
        }
        let Some(verb) = format.get(i..).and_then(|rest| rest.chars().next()) else {
            break;
        };
        i += verb.len_utf8();
        match verb {
            // Percent takes no operand and ignores width and precision.
            '%' => p.buf.push_plain("%"),
            _ if !st.good_arg_num => {
                p.buf.push_plain("%!");
                p.buf.push_plain(verb.encode_utf8(&mut [0; 4]));
                p.buf.push_plain("(BADINDEX)");
            }
            _ if arg_num >= args.len() => {
                p.buf.push_plain("%!");
                p.buf.push_plain(verb.encode_utf8(&mut [0; 4]));
                p.buf.push_plain("(MISSING)");
            }
            'v' | 'w' => {
                p.f.sharp_v = p.f.sharp;
                p.f.sharp = false;
                p.f.plus_v = p.f.plus;
                p.f.plus = false;
                if verb == 'w' {
                    bad_w(&mut p, &args[arg_num]);
                } else {
                    p.print_arg(&args[arg_num], verb);
                }
                arg_num += 1;
            }
            _ => {
                p.print_arg(&args[arg_num], verb);
                arg_num += 1;
            }
        }
    }
    // Extra operands, unless the format picked them by index.
    if !st.reordered && arg_num < args.len() {
        p.f = printer::Flags::default();
        p.buf.push_plain("%!(EXTRA ");
        for (n, arg) in args[arg_num..].iter().enumerate() {
            if n > 0 {
                p.buf.push_plain(", ");
            }
            if arg.is_nil() {
                p.buf.push_plain("<nil>");
            } else {
                p.buf.push_plain(&arg.type_name());
                p.buf.push_plain("=");
                p.print_arg(arg, 'v');
            }
        }
        p.buf.push_plain(")");
    }
    p.buf.finish()
}

/// `%w` outside `Errorf`: a bad verb whatever the operand.
fn bad_w(p: &mut Printer, arg: &Value) {
    p.bad_verb('w', arg);
}
