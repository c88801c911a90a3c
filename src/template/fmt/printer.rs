//! Go's `fmt` printer (`print.go` and `format.go`): verbs, flags, width and precision applied to
//! template values, writing into a [`StrBuf`] so that printed values keep their provenance.

use super::strconv::{
    can_backquote, decode_rune, ftoa, is_print, quote_bytes, quote_rune, rune_count,
};
use crate::template::go_bytes::go_bytes;
use crate::template::value::{GoStruct, IntType, MapData, Origin, Str, StrBuf, Value};

const LDIGITS: &[u8; 17] = b"0123456789abcdefx";
const UDIGITS: &[u8; 17] = b"0123456789ABCDEFX";

/// The address Go would print for a pointer, map or slice (`%p`): no two runs share the real
/// one, so any stable stand-in will do.
const ADDRESS: u64 = 0xc000_010000;

/// How deep nested slices and maps are printed.
const MAX_DEPTH: usize = 200;

/// How much of nested slices and maps is printed: the bound of a string a function builds.
const MAX_PRINTED: usize = crate::template::funcs::sprig_strings::MAX_BUILT;

/// Go's `fmtFlags` with width and precision.
#[derive(Debug, Clone, Copy, Default)]
pub(super) struct Flags {
    pub(crate) wid: usize,
    pub(crate) wid_present: bool,
    pub(crate) prec: usize,
    pub(crate) prec_present: bool,
    pub(crate) minus: bool,
    pub(crate) plus: bool,
    pub(crate) sharp: bool,
    pub(crate) space: bool,
    pub(crate) zero: bool,
    /// `%+v`.
    pub(crate) plus_v: bool,
    /// `%#v`.
    pub(crate) sharp_v: bool,
}

/// Go's `pp`: the output and the current directive's flags.
#[derive(Debug, Default)]
pub(super) struct Printer {
    pub(crate) buf: StrBuf,
    pub(crate) f: Flags,
    /// The maps being printed, outermost first (by address), to see one that holds itself.
    maps: Vec<usize>,
}

thread_local! {
    /// Whether a map that holds itself was printed since [`take_printed_cycle`] last asked.
    static PRINTED_CYCLE: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// Whether a map that holds itself (`mergeOverwrite .Values.m .Values`) was printed on this
/// thread since the last call: Go's printer recurses into it until the runtime stops Helm
/// ("fatal error: stack overflow"); ours printed `...` there, and the render must fail.
pub(crate) fn take_printed_cycle() -> bool {
    PRINTED_CYCLE.replace(false)
}

/// Go formats `v` with `%#v` into an error that is thrown away (spf13/cast's "unable to cast
/// …", which Sprig's `int`, `float64`, `add`… ignore): a map that holds itself kills Helm
/// there as printing it does.
pub(crate) fn formatted_into_dropped_error(v: &Value) {
    if matches!(v, Value::Map(_) | Value::List(_)) && crate::template::cycles::reaches_cycle(v) {
        PRINTED_CYCLE.set(true);
    }
}

impl Printer {
    fn write(&mut self, s: &str) {
        self.buf.push_plain(s);
    }

    fn write_padding(&mut self, n: usize) {
        let pad = if self.f.zero && !self.f.minus {
            '0'
        } else {
            ' '
        };
        self.buf.text.extend(std::iter::repeat_n(pad, n));
    }

    /// Go's `pad`/`padString`: `s` (from `origin`) padded to the width.
    fn pad(&mut self, s: &str, origin: &Origin) {
        let width = if self.f.wid_present {
            self.f.wid.saturating_sub(rune_count(s.as_bytes()))
        } else {
            0
        };
        if !self.f.minus {
            self.write_padding(width);
        }
        self.buf.push_with(s, origin);
        if self.f.minus {
            self.write_padding(width);
        }
    }

    /// `padString` of a part of a string with provenance segments.
    fn pad_slice(&mut self, s: &Str, end: usize) {
        let width = if self.f.wid_present {
            self.f.wid.saturating_sub(s.as_str()[..end].chars().count())
        } else {
            0
        };
        if !self.f.minus {
            self.write_padding(width);
        }
        self.buf.push_slice(s, 0..end);
        if self.f.minus {
            self.write_padding(width);
        }
    }

    /// Go's `truncateString`: the byte length of the first `prec` runes.
    fn truncate_len(&self, s: &[u8]) -> usize {
        if !self.f.prec_present {
            return s.len();
        }
        let mut n = self.f.prec;
        let mut i = 0;
        while i < s.len() {
            if n == 0 {
                return i;
            }
            n -= 1;
            i += decode_rune(&s[i..]).1.max(1);
        }
        s.len()
    }

    fn fmt_boolean(&mut self, b: bool, origin: &Origin) {
        self.pad(if b { "true" } else { "false" }, origin);
    }

    /// `fmtUnicode`: `U+0078`, or `U+0078 'x'` with `#`.
    fn fmt_unicode(&mut self, u: u64) {
        let prec = if self.f.prec_present && self.f.prec > 4 {
            self.f.prec
        } else {
            4
        };
        let mut s = format!("U+{u:0prec$X}");
        if self.f.sharp
            && u <= 0x10ffff
            && is_print(u as u32)
            && let Some(c) = char::from_u32(u as u32)
        {
            s.push_str(&format!(" '{c}'"));
        }
        let old_zero = self.f.zero;
        self.f.zero = false;
        self.pad(&s, &None);
        self.f.zero = old_zero;
    }

    /// `fmtInteger` of `format.go`: digits in `base`, precision, sign and prefixes, then padding.
    fn fmt_integer_raw(
        &mut self,
        u: u64,
        base: u64,
        signed: bool,
        verb: char,
        digits: &[u8; 17],
        origin: &Origin,
    ) {
        let negative = signed && (u as i64) < 0;
        let mut u = if negative { u.wrapping_neg() } else { u };
        let mut prec: isize = 0;
        if self.f.prec_present {
            prec = self.f.prec as isize;
            // Precision 0 and value 0 print nothing but padding.
            if prec == 0 && u == 0 {
                let old_zero = self.f.zero;
                self.f.zero = false;
                let wid = self.f.wid;
                self.write_padding(wid);
                self.f.zero = old_zero;
                return;
            }
        } else if self.f.zero && !self.f.minus && self.f.wid_present {
            prec = self.f.wid as isize;
            if negative || self.f.plus || self.f.space {
                prec -= 1; // leave room for the sign
            }
        }
        let mut buf: Vec<u8> = Vec::with_capacity(24);
        while u >= base {
            buf.push(digits[(u % base) as usize]);
            u /= base;
        }
        buf.push(digits[u as usize]);
        while (buf.len() as isize) < prec {
            buf.push(b'0');
        }
        if self.f.sharp {
            match base {
                2 => buf.extend_from_slice(b"b0"),
                8 if buf.last() != Some(&b'0') => buf.push(b'0'),
                16 => {
                    buf.push(digits[16]);
                    buf.push(b'0');
                }
                _ => {}
            }
        }
        if verb == 'O' {
            buf.extend_from_slice(b"o0");
        }
        if negative {
            buf.push(b'-');
        } else if self.f.plus {
            buf.push(b'+');
        } else if self.f.space {
            buf.push(b' ');
        }
        buf.reverse();
        let text = String::from_utf8_lossy(&buf).into_owned();
        // Zero padding to the left was done above as precision, or is ignored.
        let old_zero = self.f.zero;
        self.f.zero = false;
        self.pad(&text, origin);
        self.f.zero = old_zero;
    }

    /// `fmt0x64`: hexadecimal, with `0x` when asked.
    fn fmt_0x64(&mut self, v: u64, leading_0x: bool) {
        let sharp = self.f.sharp;
        self.f.sharp = leading_0x;
        self.fmt_integer_raw(v, 16, false, 'v', LDIGITS, &None);
        self.f.sharp = sharp;
    }

    /// `fmtC`: the rune, or U+FFFD when invalid.
    fn fmt_c(&mut self, u: u64) {
        let c = u32::try_from(u)
            .ok()
            .and_then(char::from_u32)
            .unwrap_or('\u{fffd}');
        self.pad(c.encode_utf8(&mut [0; 4]), &None);
    }

    /// `fmtQc`: a quoted rune.
    fn fmt_qc(&mut self, u: u64) {
        let r = u32::try_from(u)
            .ok()
            .filter(|r| *r <= 0x10ffff)
            .unwrap_or(0xfffd);
        let q = quote_rune(r, self.f.plus);
        self.pad(&q, &None);
    }

    /// `fmtFloat` of `format.go`.
    fn fmt_float_raw(&mut self, v: f64, verb: u8, prec: i32, origin: &Origin) {
        let prec = if self.f.prec_present {
            self.f.prec as i32
        } else {
            prec
        };
        let body = ftoa(v, verb, prec);
        // Reserve a sign position as Go does.
        let mut num: Vec<u8> = if body.starts_with('-') || body.starts_with('+') {
            body.into_bytes()
        } else {
            let mut n = vec![b'+'];
            n.extend_from_slice(body.as_bytes());
            n
        };
        if self.f.space && num[0] == b'+' && !self.f.plus {
            num[0] = b' ';
        }
        // Infinities and NaN are not padded with zeros.
        if num.get(1) == Some(&b'I') || num.get(1) == Some(&b'N') {
            let old_zero = self.f.zero;
            self.f.zero = false;
            if num[1] == b'N' && !self.f.space && !self.f.plus {
                num.remove(0);
            }
            self.pad(&String::from_utf8_lossy(&num), origin);
            self.f.zero = old_zero;
            return;
        }
        // The sharp flag forces a decimal point and keeps trailing zeros.
        if self.f.sharp && verb != b'b' {
            let mut digits: i32 = match verb {
                b'v' | b'g' | b'G' | b'x' => {
                    if prec == -1 {
                        6
                    } else {
                        prec
                    }
                }
                _ => 0,
            };
            let mut tail: Vec<u8> = Vec::new();
            let mut has_point = false;
            let mut saw_nonzero = false;
            let mut i = 1;
            while i < num.len() {
                match num[i] {
                    b'.' => has_point = true,
                    b'p' | b'P' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                    }
                    b'e' | b'E' if verb != b'x' && verb != b'X' => {
                        tail.extend_from_slice(&num[i..]);
                        num.truncate(i);
                    }
                    c => {
                        if c != b'0' {
                            saw_nonzero = true;
                        }
                        if saw_nonzero {
                            digits -= 1;
                        }
                    }
                }
                i += 1;
            }
            if !has_point {
                if num.len() == 2 && num[1] == b'0' {
                    digits -= 1;
                }
                num.push(b'.');
            }
            while digits > 0 {
                num.push(b'0');
                digits -= 1;
            }
            num.extend_from_slice(&tail);
        }
        if self.f.plus || num[0] != b'+' {
            // Zero padding goes after the sign.
            if self.f.zero && !self.f.minus && self.f.wid_present && self.f.wid > num.len() {
                self.buf.push_plain(&String::from_utf8_lossy(&num[..1]));
                self.write_padding(self.f.wid - num.len());
                self.buf
                    .push_with(&String::from_utf8_lossy(&num[1..]), origin);
                return;
            }
            self.pad(&String::from_utf8_lossy(&num), origin);
            return;
        }
        self.pad(&String::from_utf8_lossy(&num[1..]), origin);
    }

    /// `fmtSbx`: hexadecimal bytes of a string or byte slice.
    fn fmt_sbx(&mut self, b: &[u8], digits: &[u8; 17]) {
        let mut length = b.len();
        if self.f.prec_present && self.f.prec < length {
            length = self.f.prec;
        }
        let mut width = 2 * length;
        if width > 0 {
            if self.f.space {
                if self.f.sharp {
                    width *= 2;
                }
                width += length - 1;
            } else if self.f.sharp {
                width += 2;
            }
        } else {
            if self.f.wid_present {
                self.write_padding(self.f.wid);
            }
            return;
        }
        if self.f.wid_present && self.f.wid > width && !self.f.minus {
            self.write_padding(self.f.wid - width);
        }
        let mut out = String::with_capacity(width);
        if self.f.sharp {
            out.push('0');
            out.push(char::from(digits[16]));
        }
        for (i, c) in b[..length].iter().enumerate() {
            if self.f.space && i > 0 {
                out.push(' ');
                if self.f.sharp {
                    out.push('0');
                    out.push(char::from(digits[16]));
                }
            }
            out.push(char::from(digits[usize::from(c >> 4)]));
            out.push(char::from(digits[usize::from(c & 0xf)]));
        }
        self.write(&out);
        if self.f.wid_present && self.f.wid > width && self.f.minus {
            self.write_padding(self.f.wid - width);
        }
    }

    /// `fmtQ`: a double-quoted (or, with `#`, backquoted) string.
    fn fmt_q(&mut self, b: &[u8]) {
        let b = &b[..self.truncate_len(b)];
        if self.f.sharp && can_backquote(b) {
            let s = format!("`{}`", String::from_utf8_lossy(b));
            self.pad(&s, &None);
            return;
        }
        let q = quote_bytes(b, self.f.plus);
        self.pad(&q, &None);
    }

    /// `badVerb`: `%!d(string=hi)`, `%!d(<nil>)`.
    pub(super) fn bad_verb(&mut self, verb: char, arg: &Value) {
        self.write("%!");
        self.write(verb.encode_utf8(&mut [0; 4]));
        self.write("(");
        if arg.is_nil() {
            self.write("<nil>");
        } else {
            self.write(&arg.type_name());
            self.write("=");
            match arg {
                // Go prints the operand without its methods here (`%!f(time.Month=3)`).
                Value::Int(n, t, o) if t.is_named() => {
                    self.print_arg(&Value::Int(*n, IntType::Int64, o.clone()), 'v')
                }
                _ => self.print_arg(arg, 'v'),
            }
        }
        self.write(")");
    }

    fn fmt_bool(&mut self, b: bool, verb: char, arg: &Value) {
        match verb {
            't' | 'v' => self.fmt_boolean(b, &arg.origin()),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// `fmtInteger` of `print.go`: the verb decides the base.
    fn fmt_integer(&mut self, v: u64, signed: bool, verb: char, arg: &Value) {
        let origin = arg.origin();
        match verb {
            'v' if self.f.sharp_v && !signed => self.fmt_0x64(v, true),
            'v' | 'd' => self.fmt_integer_raw(v, 10, signed, verb, LDIGITS, &origin),
            'b' => self.fmt_integer_raw(v, 2, signed, verb, LDIGITS, &origin),
            'o' | 'O' => self.fmt_integer_raw(v, 8, signed, verb, LDIGITS, &origin),
            'x' => self.fmt_integer_raw(v, 16, signed, verb, LDIGITS, &origin),
            'X' => self.fmt_integer_raw(v, 16, signed, verb, UDIGITS, &origin),
            'c' => self.fmt_c(v),
            'q' => self.fmt_qc(v),
            'U' => self.fmt_unicode(v),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// `fmtComplex` of `print.go`: `(re+imi)`, each part as the verb prints a float, the
    /// imaginary one always signed.
    fn fmt_complex(&mut self, re: f64, im: f64, verb: char, arg: &Value) {
        match verb {
            'v' | 'b' | 'g' | 'G' | 'x' | 'X' | 'f' | 'F' | 'e' | 'E' => {
                let old_plus = self.f.plus;
                self.write("(");
                self.fmt_float(re, verb, arg);
                self.f.plus = true;
                self.fmt_float(im, verb, arg);
                self.write("i)");
                self.f.plus = old_plus;
            }
            _ => self.bad_verb(verb, arg),
        }
    }

    /// `fmtFloat` of `print.go`: each verb's format and default precision.
    fn fmt_float(&mut self, v: f64, verb: char, arg: &Value) {
        let origin = arg.origin();
        match verb {
            'v' => self.fmt_float_raw(v, b'g', -1, &origin),
            'b' | 'g' | 'G' | 'x' | 'X' => self.fmt_float_raw(v, verb as u8, -1, &origin),
            'f' | 'e' | 'E' => self.fmt_float_raw(v, verb as u8, 6, &origin),
            'F' => self.fmt_float_raw(v, b'f', 6, &origin),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// `fmtString`, keeping the string's provenance when it is printed as it is.
    fn fmt_string(&mut self, s: &Str, verb: char, arg: &Value) {
        match verb {
            'v' if self.f.sharp_v => self.fmt_q(&go_bytes(s.as_str())),
            'v' | 's' => {
                let end = self.truncate_len(s.as_str().as_bytes());
                self.pad_slice(s, end);
            }
            'x' => self.fmt_sbx(&go_bytes(s.as_str()), LDIGITS),
            'X' => self.fmt_sbx(&go_bytes(s.as_str()), UDIGITS),
            'q' => self.fmt_q(&go_bytes(s.as_str())),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// `fmtBytes`; `type_string` is `[]byte` at the top level and `[]uint8` inside containers.
    fn fmt_bytes(&mut self, b: &[u8], verb: char, type_string: &str, depth: usize) {
        match verb {
            'v' | 'd' => {
                if self.f.sharp_v {
                    self.write(type_string);
                    self.write("{");
                    for (i, c) in b.iter().enumerate() {
                        if i > 0 {
                            self.write(", ");
                        }
                        self.fmt_0x64(u64::from(*c), true);
                    }
                    self.write("}");
                } else {
                    self.write("[");
                    for (i, c) in b.iter().enumerate() {
                        if i > 0 {
                            self.write(" ");
                        }
                        self.fmt_integer_raw(u64::from(*c), 10, false, verb, LDIGITS, &None);
                    }
                    self.write("]");
                }
            }
            's' => {
                let b = &b[..self.truncate_len(b)];
                self.pad(&super::super::go_bytes::from_go_bytes(b), &None);
            }
            'x' => self.fmt_sbx(b, LDIGITS),
            'X' => self.fmt_sbx(b, UDIGITS),
            'q' => self.fmt_q(b),
            _ => {
                // Any other verb applies to each byte.
                let items: Vec<Value> = b
                    .iter()
                    .map(|c| Value::Int(i64::from(*c), IntType::Uint8, None))
                    .collect();
                self.print_seq(&items, verb, depth, "[]uint8");
            }
        }
    }

    /// A slice's elements: `[a b]`, or `T{a, b}` for `%#v`.
    fn print_seq(&mut self, items: &[Value], verb: char, depth: usize, type_name: &str) {
        if self.f.sharp_v {
            self.write(type_name);
            self.write("{");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.write(", ");
                }
                self.print_value(item, verb, depth + 1);
            }
            self.write("}");
        } else {
            self.write("[");
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    self.write(" ");
                }
                self.print_value(item, verb, depth + 1);
            }
            self.write("]");
        }
    }

    /// A struct or pointer the engine models as an object: printed as its `%v` text, as a
    /// `Stringer` would be for the string verbs.
    fn fmt_object(&mut self, text: &str, verb: char, arg: &Value) {
        match verb {
            'v' | 's' | 'x' | 'X' | 'q' => self.fmt_string(&Str::new(text), verb, arg),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// `printArg`: one operand at the top level.
    pub(crate) fn print_arg(&mut self, arg: &Value, verb: char) {
        if arg.is_nil() {
            match verb {
                'T' | 'v' => self.pad("<nil>", &None),
                _ => self.bad_verb(verb, arg),
            }
            return;
        }
        match verb {
            'T' => {
                let t = Str::new(arg.type_name());
                let end = self.truncate_len(t.as_str().as_bytes());
                self.pad_slice(&t, end);
                return;
            }
            'p' => {
                self.fmt_pointer(arg);
                return;
            }
            _ => {}
        }
        match arg {
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]byte", 0),
            _ => self.print_value(arg, verb, 0),
        }
    }

    /// `%p`: only maps, slices and pointers have an address.
    fn fmt_pointer(&mut self, arg: &Value) {
        match arg {
            Value::List(_) | Value::Map(_) | Value::Bytes(_) => {
                self.fmt_0x64(ADDRESS, !self.f.sharp)
            }
            // A struct value (`.Capabilities.HelmVersion`, a `time.Time`) has none, nor a
            // `time.Duration`.
            Value::Object(o) if matches!(o.kind(), "ptr" | "map" | "slice") => {
                self.fmt_0x64(ADDRESS, !self.f.sharp)
            }
            _ => self.bad_verb('p', arg),
        }
    }

    /// `printValue`: a value at any depth (inside a slice or map, a nil interface prints as
    /// `<nil>` whatever the verb).
    fn print_value(&mut self, v: &Value, verb: char, depth: usize) {
        // Go recurses without limit and dies on a map that contains itself (Sprig's `set` can
        // build one), or runs out of memory on a list doubled in a loop (`$x = list $x $x`, 2^40
        // places); stop instead.
        if depth > MAX_DEPTH || self.buf.text.len() > MAX_PRINTED {
            self.write("...");
            return;
        }
        match v {
            Value::Nil => {
                if depth == 0 {
                    self.print_arg(v, verb);
                } else if self.f.sharp_v {
                    self.write("interface {}(nil)");
                } else {
                    self.write("<nil>");
                }
            }
            Value::Bool(b, _) => self.fmt_bool(*b, verb, v),
            // `handleMethods`: a Stringer prints its `String` for the string verbs, unless
            // printing Go syntax.
            Value::Int(n, t, _)
                if t.is_named()
                    && !self.f.sharp_v
                    && matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') =>
            {
                let text = super::super::funcs::go_time::string_method(*n, *t).unwrap_or_default();
                self.fmt_string(&Str::new(text), verb, v)
            }
            Value::Int(n, t, _) => {
                let signed = !matches!(t, IntType::Uint8 | IntType::Uint64);
                self.fmt_integer(*n as u64, signed, verb, v);
            }
            Value::Float(f, _) => self.fmt_float(*f, verb, v),
            Value::Complex(re, im) => self.fmt_complex(*re, *im, verb, v),
            Value::Str(s) => self.fmt_string(s, verb, v),
            Value::Bytes(b) => self.fmt_bytes(b, verb, "[]uint8", depth),
            // Go's `%#v` of a nil slice or map: its type and `(nil)`.
            Value::List(_) | Value::Map(_) if self.f.sharp_v && v.is_go_nil() => {
                self.write(&format!("{}(nil)", v.type_name()));
            }
            Value::List(l) => self.print_seq(&l.items, verb, depth, &v.type_name()),
            Value::Map(m) => {
                let address = std::rc::Rc::as_ptr(m) as usize;
                if self.maps.contains(&address) {
                    PRINTED_CYCLE.set(true);
                    self.write("...");
                    return;
                }
                self.maps.push(address);
                self.print_map(&m.borrow(), verb, depth, &v.type_name());
                self.maps.pop();
            }
            Value::Object(o) => match o.underlying() {
                // A named slice or map type (`.Capabilities.APIVersions`, `.Files`) has no
                // `String` method: Go prints what it is, under its own name for `%#v`.
                Some(Value::List(l)) if self.f.sharp_v && l.nil => {
                    self.write(&format!("{}(nil)", o.type_name()));
                }
                Some(Value::List(l)) => self.print_seq(&l.items, verb, depth, o.type_name()),
                Some(Value::Map(m)) => self.print_map(&m.borrow(), verb, depth, o.type_name()),
                _ if self.f.sharp_v
                    && let Some(text) = o.go_string() =>
                {
                    // `fmtS`: padded and cut to the precision, not quoted.
                    let end = self.truncate_len(text.as_bytes());
                    self.pad_slice(&Str::new(text), end);
                }
                _ => match o.go_struct() {
                    // `handleMethods`: a `String` method answers the string verbs and `%v`.
                    Some(s)
                        if s.stringer
                            && !self.f.sharp_v
                            && matches!(verb, 'v' | 's' | 'x' | 'X' | 'q') =>
                    {
                        self.fmt_string(&Str::new(o.fmt_v()), verb, v)
                    }
                    Some(s) => self.print_struct_or_pointer(&s, verb, depth, v),
                    None => self.fmt_object(&o.fmt_v(), verb, v),
                },
            },
        }
    }

    /// `printValue` of a struct, or of a pointer to one, without its methods (`printValue`'s
    /// `Struct` and `Pointer` cases): `&` at the top, an address inside another value, then
    /// each field printed with the verb, named for `%+v` and `%#v`.
    pub(super) fn print_struct_or_pointer(
        &mut self,
        s: &GoStruct,
        verb: char,
        depth: usize,
        arg: &Value,
    ) {
        if s.pointer {
            if depth > 0 {
                self.fmt_address(verb, arg);
                return;
            }
            self.write("&");
        }
        self.print_fields(s, verb, depth + usize::from(s.pointer));
    }

    /// `printValue` of a struct value: `{a b}`, `{A:a B:b}` or `pkg.T{A:"a", B:"b"}`.
    fn print_fields(&mut self, s: &GoStruct, verb: char, depth: usize) {
        if self.f.sharp_v {
            self.write(s.type_name);
        }
        self.write("{");
        for (i, (name, value)) in s.fields.iter().enumerate() {
            if i > 0 {
                self.write(if self.f.sharp_v { ", " } else { " " });
            }
            if self.f.plus_v || self.f.sharp_v {
                self.write(name);
                self.write(":");
            }
            self.print_value(value, verb, depth + 1);
        }
        self.write("}");
    }

    /// `fmtPointer` of a pointer inside another value: Go prints its address, which no two
    /// runs share, so the stand-in of `%p` is printed.
    fn fmt_address(&mut self, verb: char, arg: &Value) {
        match verb {
            'v' if self.f.sharp_v => {
                self.write(&format!("({})(", arg.type_name()));
                self.fmt_0x64(ADDRESS, true);
                self.write(")");
            }
            'v' | 'p' => self.fmt_0x64(ADDRESS, !self.f.sharp),
            'b' | 'o' | 'd' | 'x' | 'X' => self.fmt_integer(ADDRESS, false, verb, arg),
            _ => self.bad_verb(verb, arg),
        }
    }

    /// A map's `map[k:v …]`, or `TYPE{k:v, …}` for `%#v`.
    fn print_map(&mut self, map: &MapData, verb: char, depth: usize, type_name: &str) {
        if self.f.sharp_v {
            self.write(type_name);
            self.write("{");
        } else {
            self.write("map[");
        }
        for (i, (k, item)) in map.entries.iter().enumerate() {
            if i > 0 {
                self.write(if self.f.sharp_v { ", " } else { " " });
            }
            let key = Value::Str(Str::new(k.clone()));
            self.print_value(&key, verb, depth + 1);
            self.write(":");
            self.print_value(item, verb, depth + 1);
        }
        self.write(if self.f.sharp_v { "}" } else { "]" });
    }
}
