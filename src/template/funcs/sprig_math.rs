//! Sprig's arithmetic (`numeric.go` and the math entries of `functions.go`, Sprig v3.3).
//!
//! The integer functions convert every argument with `cast.ToInt64` and return `int64`
//! (wrapping on overflow, as Go does; dividing by zero is Go's runtime panic). The `…f`
//! functions go through shopspring/decimal: each operand becomes the shortest decimal that
//! round-trips its float64, the operation is exact (division rounds half away from zero to 16
//! decimal places), and the result is the nearest float64 — so `mulf 0.1 3` is `0.3`, not
//! `0.30000000000000004`.

use super::args::{arity, arity_at_least, float, go_int, string, to_float64, to_int64};
use super::{Ctx, Func, FuncError};
use crate::template::fmt as gofmt;
use crate::template::value::Value;

/// The functions of this family.
pub(crate) const FUNCS: &[(&str, Func)] = &[
    ("add1", add1),
    ("add", add),
    ("sub", sub),
    ("div", div),
    ("mod", modulo),
    ("mul", mul),
    ("max", max),
    ("biggest", max),
    ("min", min),
    ("randInt", rand_int),
    ("add1f", add1f),
    ("addf", addf),
    ("subf", subf),
    ("divf", divf),
    ("mulf", mulf),
    ("maxf", maxf),
    ("minf", minf),
    ("floor", floor),
    ("ceil", ceil),
    ("round", round),
    ("int", int),
    ("int64", int64),
    ("float64", float64),
    ("atoi", atoi),
    ("toDecimal", to_decimal),
];

/// `cast.ToInt` (the same as `ToInt64` on a 64-bit platform) of the Helm's spf13/cast.
pub(crate) fn cast_to_int(ctx: &Ctx, v: &Value) -> i64 {
    int64_of(ctx, v)
}

/// `cast.ToInt64` of the Helm's spf13/cast ([`to_int64`]).
fn int64_of(ctx: &Ctx, v: &Value) -> i64 {
    to_int64(v, ctx.build.cast() >= (5, 0))
}

fn add1(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::int64(int64_of(ctx, &a[0]).wrapping_add(1)))
}

fn add(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    let sum = a.iter().fold(0i64, |s, v| s.wrapping_add(int64_of(ctx, v)));
    Ok(Value::int64(sum))
}

fn sub(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    Ok(Value::int64(
        int64_of(ctx, &a[0]).wrapping_sub(int64_of(ctx, &a[1])),
    ))
}

fn divide_by_zero() -> FuncError {
    FuncError::call("runtime error: integer divide by zero")
}

fn div(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let d = int64_of(ctx, &a[1]);
    if d == 0 {
        return Err(divide_by_zero());
    }
    Ok(Value::int64(int64_of(ctx, &a[0]).wrapping_div(d)))
}

fn modulo(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let d = int64_of(ctx, &a[1]);
    if d == 0 {
        return Err(divide_by_zero());
    }
    Ok(Value::int64(int64_of(ctx, &a[0]).wrapping_rem(d)))
}

fn mul(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let p = a[1..].iter().fold(int64_of(ctx, &a[0]), |p, v| {
        p.wrapping_mul(int64_of(ctx, v))
    });
    Ok(Value::int64(p))
}

fn max(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let m = a.iter().map(|v| int64_of(ctx, v)).max().unwrap_or(0);
    Ok(Value::int64(m))
}

fn min(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let m = a.iter().map(|v| int64_of(ctx, v)).min().unwrap_or(0);
    Ok(Value::int64(m))
}

/// `randInt MIN MAX`: an `int` in `MIN..MAX` (`rand.Intn` panics unless MAX > MIN).
fn rand_int(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 2)?;
    let (lo, hi) = (go_int(&a[0])?, go_int(&a[1])?);
    let n = hi.wrapping_sub(lo);
    if n <= 0 {
        return Err(FuncError::call("invalid argument to Intn"));
    }
    Ok(Value::int(ctx.rng.below(n as u64) as i64 + lo))
}

/// A shopspring decimal: `mant × 10^exp`, or `None` once it outgrows an `i128` (then the
/// operation falls back to float64 arithmetic).
#[derive(Debug, Clone, Copy)]
struct Dec {
    mant: i128,
    exp: i32,
}

/// The number of fractional digits `Div` keeps (shopspring's `DivisionPrecision`).
const DIVISION_PRECISION: i32 = 16;

fn pow10(n: i32) -> Option<i128> {
    10i128.checked_pow(u32::try_from(n).ok()?)
}

impl Dec {
    /// `decimal.NewFromFloat`: the shortest decimal that reads back as `f`.
    fn from_f64(f: f64) -> Result<Dec, FuncError> {
        if !f.is_finite() {
            return Err(FuncError::call(format!(
                "Cannot create a Decimal from {}",
                gofmt::sprint_v(&Value::float(f))
            )));
        }
        let text = format!("{f:e}");
        let (digits, exp) = text.split_once('e').unwrap_or((&text, "0"));
        let exp: i32 = exp.parse().unwrap_or(0);
        let (int, frac) = digits.split_once('.').unwrap_or((digits, ""));
        let mant: i128 = format!("{int}{frac}").parse().unwrap_or(0);
        Ok(Dec {
            mant,
            exp: exp - frac.len() as i32,
        })
    }

    /// `Float64()`: the nearest float64.
    fn to_f64(self) -> f64 {
        format!("{}e{}", self.mant, self.exp)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// Both at the smaller exponent.
    fn align(self, o: Dec) -> Option<(i128, i128, i32)> {
        let exp = self.exp.min(o.exp);
        let a = self.mant.checked_mul(pow10(self.exp - exp)?)?;
        let b = o.mant.checked_mul(pow10(o.exp - exp)?)?;
        Some((a, b, exp))
    }

    fn add(self, o: Dec) -> Option<Dec> {
        let (a, b, exp) = self.align(o)?;
        Some(Dec {
            mant: a.checked_add(b)?,
            exp,
        })
    }

    fn sub(self, o: Dec) -> Option<Dec> {
        let (a, b, exp) = self.align(o)?;
        Some(Dec {
            mant: a.checked_sub(b)?,
            exp,
        })
    }

    fn mul(self, o: Dec) -> Option<Dec> {
        Some(Dec {
            mant: self.mant.checked_mul(o.mant)?,
            exp: self.exp.checked_add(o.exp)?,
        })
    }

    /// `DivRound(o, 16)`: the quotient truncated to 16 places, then rounded half away from 0.
    fn div(self, o: Dec) -> Option<Dec> {
        let shift = self.exp - o.exp + DIVISION_PRECISION;
        let (num, den) = if shift >= 0 {
            (self.mant.checked_mul(pow10(shift)?)?, o.mant)
        } else {
            (self.mant, o.mant.checked_mul(pow10(-shift)?)?)
        };
        let (q, r) = (num / den, num % den);
        let up = r.unsigned_abs().checked_mul(2)? >= den.unsigned_abs();
        let mant = if !up {
            q
        } else if (num < 0) != (den < 0) {
            q - 1
        } else {
            q + 1
        };
        Some(Dec {
            mant,
            exp: -DIVISION_PRECISION,
        })
    }
}

#[derive(Clone, Copy)]
enum Op {
    Add,
    Sub,
    Mul,
    Div,
}

/// Sprig's `execDecimalOp`: folds the operands with `op` in decimal arithmetic.
fn decimal_op(first: &Value, rest: &[Value], op: Op) -> Result<Value, FuncError> {
    let mut acc = Dec::from_f64(to_float64(first))?;
    let mut float = to_float64(first);
    let mut exact = true;
    for v in rest {
        let f = to_float64(v);
        let d = Dec::from_f64(f)?;
        if matches!(op, Op::Div) && d.mant == 0 {
            return Err(FuncError::call("decimal division by 0"));
        }
        float = match op {
            Op::Add => float + f,
            Op::Sub => float - f,
            Op::Mul => float * f,
            Op::Div => float / f,
        };
        if exact {
            let next = match op {
                Op::Add => acc.add(d),
                Op::Sub => acc.sub(d),
                Op::Mul => acc.mul(d),
                Op::Div => acc.div(d),
            };
            match next {
                Some(n) => acc = n,
                None => exact = false,
            }
        }
    }
    Ok(Value::float(if exact { acc.to_f64() } else { float }))
}

fn add1f(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    decimal_op(&a[0], &[Value::int(1)], Op::Add)
}

fn addf(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    decimal_op(&Value::float(0.0), a, Op::Add)
}

fn subf(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    decimal_op(&a[0], &a[1..], Op::Sub)
}

fn mulf(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    decimal_op(&a[0], &a[1..], Op::Mul)
}

fn divf(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    decimal_op(&a[0], &a[1..], Op::Div)
}

/// Go's `math.Max`: NaN wins, +0 beats -0.
fn go_max(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() { y } else { x }
    } else if x > y {
        x
    } else {
        y
    }
}

/// Go's `math.Min`: NaN wins, -0 beats +0.
fn go_min(x: f64, y: f64) -> f64 {
    if x.is_nan() || y.is_nan() {
        f64::NAN
    } else if x == 0.0 && y == 0.0 {
        if x.is_sign_negative() { x } else { y }
    } else if x < y {
        x
    } else {
        y
    }
}

fn maxf(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let m = a[1..]
        .iter()
        .fold(to_float64(&a[0]), |m, v| go_max(m, to_float64(v)));
    Ok(Value::float(m))
}

fn minf(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 1)?;
    let m = a[1..]
        .iter()
        .fold(to_float64(&a[0]), |m, v| go_min(m, to_float64(v)));
    Ok(Value::float(m))
}

fn floor(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::float(to_float64(&a[0]).floor()))
}

fn ceil(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::float(to_float64(&a[0]).ceil()))
}

/// `round X PLACES [ROUND_ON]`: Sprig's own rounding (up when the fraction of
/// `X × 10^PLACES` is at least ROUND_ON, default .5).
fn round(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity_at_least(a, 2)?;
    let val = to_float64(&a[0]);
    let places = go_int(&a[1])? as f64;
    let round_on = match a.get(2) {
        Some(r) => float(r)?,
        None => 0.5,
    };
    for r in a.iter().skip(3) {
        float(r)?;
    }
    let pow = go_pow(10.0, places);
    let digit = pow * val;
    let frac = digit - digit.trunc();
    let r = if frac >= round_on {
        digit.ceil()
    } else {
        digit.floor()
    };
    Ok(Value::float(r / pow))
}

/// Go's `math.Pow` for an integral exponent (Sprig's `round` asks it for 10^places): the
/// mantissa is squared and multiplied bit by bit, so from 10^23 on the result may differ in the
/// last bit from the correctly rounded power (`round 1e3 97` is 1000 in Helm).
fn go_pow(x: f64, y: f64) -> f64 {
    if y == 0.0 || x == 1.0 {
        return 1.0;
    }
    if y == 1.0 {
        return x;
    }
    if x.is_nan() || y.is_nan() || y.fract() != 0.0 || x == 0.0 || x.is_infinite() {
        // Not reached by `round` (base 10, an integer); the library's answer.
        return x.powf(y);
    }
    let yi = y.abs();
    if yi >= 2f64.powi(63) {
        return if (x.abs() < 1.0) == (y > 0.0) {
            0.0
        } else {
            f64::INFINITY
        };
    }
    let (mut a1, mut ae) = (1.0f64, 0i64);
    let (mut x1, mut xe) = frexp(x);
    let mut i = yi as i64;
    while i != 0 {
        if !(-(1 << 12)..=(1 << 12)).contains(&xe) {
            // Catastrophic overflow: ldexp decides.
            ae += xe;
            break;
        }
        if i & 1 == 1 {
            a1 *= x1;
            ae += xe;
        }
        x1 *= x1;
        xe <<= 1;
        if x1 < 0.5 {
            x1 += x1;
            xe -= 1;
        }
        i >>= 1;
    }
    if y < 0.0 {
        a1 = 1.0 / a1;
        ae = -ae;
    }
    ldexp(a1, ae)
}

/// Go's `math.Frexp` of a finite, non-zero `x`: a fraction in [½, 1) and a power of two.
fn frexp(x: f64) -> (f64, i64) {
    let (x, mut e) = if x.abs() < f64::MIN_POSITIVE {
        (x * (1u64 << 52) as f64, -52)
    } else {
        (x, 0)
    };
    let bits = x.to_bits();
    e += ((bits >> 52) & 0x7ff) as i64 - 1022;
    let frac = f64::from_bits((bits & !(0x7ff << 52)) | (1022 << 52));
    (frac, e)
}

/// Go's `math.Ldexp`: `frac × 2^exp`, rounded once where the result is subnormal.
fn ldexp(frac: f64, exp: i64) -> f64 {
    if frac == 0.0 || !frac.is_finite() {
        return frac;
    }
    let (frac, e) = if frac.abs() < f64::MIN_POSITIVE {
        (frac * (1u64 << 52) as f64, -52)
    } else {
        (frac, 0)
    };
    let bits = frac.to_bits();
    let exp = exp.saturating_add(e + ((bits >> 52) & 0x7ff) as i64 - 1023);
    if exp < -1075 {
        return 0.0f64.copysign(frac);
    }
    if exp > 1023 {
        return f64::INFINITY.copysign(frac);
    }
    let (exp, m) = if exp < -1022 {
        (exp + 53, 1.0 / (1u64 << 53) as f64)
    } else {
        (exp, 1.0)
    };
    m * f64::from_bits((bits & !(0x7ff << 52)) | (((exp + 1023) as u64) << 52))
}

fn int(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::int(cast_to_int(ctx, &a[0])))
}

fn int64(ctx: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::int64(int64_of(ctx, &a[0])))
}

fn float64(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::float(to_float64(&a[0])))
}

/// `strconv.Atoi` with its error dropped.
fn atoi(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    Ok(Value::int(decimal_or_bound(string(&a[0])?.as_str())))
}

/// What Go's `strconv.ParseInt(s, 10, 64)` (and `Atoi`) returns with its error dropped: 0
/// unless decimal digits with an optional sign; out of range, the nearest int64 (the value
/// `ParseInt` returns with its range error).
pub(super) fn decimal_or_bound(s: &str) -> i64 {
    let digits = s.strip_prefix(['+', '-']).unwrap_or(s);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    s.parse::<i64>().unwrap_or(if s.starts_with('-') {
        i64::MIN
    } else {
        i64::MAX
    })
}

/// `toDecimal`: the `%v` text read as an octal number (`toDecimal "0777"` is 511), 0 if not.
fn to_decimal(_: &mut Ctx, a: &[Value]) -> Result<Value, FuncError> {
    arity(a, 1)?;
    let text = gofmt::sprint_v(&a[0]);
    let (neg, body) = match text.strip_prefix('-') {
        Some(b) => (true, b),
        None => (false, text.strip_prefix('+').unwrap_or(&text)),
    };
    let n = if !body.is_empty() && body.bytes().all(|b| (b'0'..=b'7').contains(&b)) {
        i64::from_str_radix(&format!("{}{body}", if neg { "-" } else { "" }), 8).unwrap_or(0)
    } else {
        0
    };
    Ok(Value::int64(n))
}

#[cfg(test)]
mod tests {
    use super::super::sprig_testutil::{err, i, s, show};
    use crate::template::value::Value;

    /// spf13/cast before 1.5 (Helm 3.11.2) parsed `"12.0"` as no integer: 0 (Helm 3.9.4 and
    /// 3.11.1 print it; 3.12.1 on, 12).
    #[test]
    fn older_helms_cast_as_their_spf13_cast() {
        use super::super::sprig_testutil::show_as;
        for (release, want) in [((3, 9, 4), "0"), ((3, 11, 1), "0"), ((3, 12, 1), "12")] {
            assert_eq!(show_as(release, "int", &[s("12.0")]), want);
            assert_eq!(show_as(release, "int64", &[s("12.00")]), want);
        }
        assert_eq!(show_as((3, 11, 1), "add", &[s("12.0"), i(1)]), "1");
        assert_eq!(show_as((3, 11, 1), "int", &[s("0x1F")]), "31");
    }

    fn f(x: f64) -> Value {
        Value::float(x)
    }

    // Expectations from `helm template` (Helm 3.17.3).
    #[test]
    fn decimal_functions_print_like_sprig() {
        assert_eq!(show("mulf", &[f(0.1), i(3)]), "0.3");
        assert_eq!(show("divf", &[i(2), i(3)]), "0.6666666666666667");
        assert_eq!(show("divf", &[i(1), i(3)]), "0.3333333333333333");
        assert_eq!(show("addf", &[f(0.1), f(0.2)]), "0.3");
        assert_eq!(show("subf", &[i(1), f(0.9)]), "0.1");
        assert_eq!(show("mulf", &[f(1.1), f(1.1)]), "1.21");
        assert_eq!(show("divf", &[i(10), i(4)]), "2.5");
        assert_eq!(
            show("mulf", &[i(1024), i(1024), i(1024), i(1024)]),
            "1.099511627776e+12"
        );
        assert_eq!(show("addf", &[]), "0");
        assert_eq!(show("add1f", &[f(1.5)]), "2.5");
        assert_eq!(show("divf", &[f(1e20), i(3)]), "3.333333333333333e+19");
        assert_eq!(show("mulf", &[s("2.5"), i(2)]), "5");
        assert_eq!(show("divf", &[i(1), f(0.1)]), "10");
        assert_eq!(show("mulf", &[f(0.5), s("1Gi")]), "0");
        assert_eq!(err("divf", &[i(1), i(0)]), "decimal division by 0");
    }

    #[test]
    fn integer_functions_cast_like_sprig() {
        let mixed = [
            i(1),
            s("2"),
            s("3.0"),
            s(" 4"),
            Value::bool(true),
            f(1.9),
            f(-1.9),
            Value::Nil,
        ];
        assert_eq!(show("add", &mixed), "7");
        assert_eq!(show("int", &[s("0x1F")]), "31");
        assert_eq!(show("int", &[s("010")]), "8");
        assert_eq!(show("int", &[s("1_000")]), "1000");
        assert_eq!(show("int", &[s("0b101")]), "5");
        assert_eq!(show("int", &[s("-0x10")]), "-16");
        assert_eq!(show("int", &[s("  5")]), "0");
        assert_eq!(show("int", &[s("-+5")]), "0");
        assert_eq!(show("int", &[s("1__0")]), "0");
        assert_eq!(show("int64", &[s("5.")]), "0");
        assert_eq!(show("int", &[s("1e3")]), "0");
        assert_eq!(show("float64", &[s("1e3")]), "1000");
        assert_eq!(show("float64", &[s(" 1")]), "0");
        // strconv.ParseFloat as Helm 3.17.3 runs it (`float64` of each): Go's digit
        // underscores, hexadecimal mantissas with a binary exponent, a range error as 0.
        let floats = [
            ("1_0", "10"),
            ("0x1p4", "16"),
            ("0x10", "0"),
            ("1e400", "0"),
            ("+nan", "0"),
            ("-Inf", "-Inf"),
            ("1__0", "0"),
            ("_1", "0"),
            ("0x1.8p1", "3"),
            ("5.", "5"),
            ("1e", "0"),
            ("0x_1p0", "1"),
            ("1_000.5", "1000.5"),
            ("1_.5", "0"),
            ("-1e-400", "-0"),
            ("0X1P-2", "0.25"),
            ("+Infinity", "+Inf"),
            ("0x1p", "0"),
            ("0x.8p1", "1"),
        ];
        for (text, want) in floats {
            assert_eq!(show("float64", &[s(text)]), want, "{text}");
        }
        assert_eq!(
            show("atoi", &[s("99999999999999999999")]),
            "9223372036854775807"
        );
        assert_eq!(show("atoi", &[s("+7")]), "7");
        assert_eq!(show("toDecimal", &[s("0777")]), "511");
        assert_eq!(show("max", &[i(1), s("5"), f(3.9)]), "5");
        assert_eq!(show("min", &[i(3)]), "3");
        assert_eq!(show("maxf", &[i(1), f(2.5)]), "2.5");
        assert_eq!(show("floor", &[f(1.5)]), "1");
        assert_eq!(show("ceil", &[s("1.2")]), "2");
        assert_eq!(show("round", &[f(1.23456), i(2)]), "1.23");
        // Go's math.Pow squares its way to 10^places (Helm 3.17.3 and 4.1.4, fuzz 47 class 07).
        assert_eq!(show("round", &[f(1e3), i(97)]), "1000");
        assert_eq!(show("round", &[f(0.1), i(23)]), "0.1");
        assert_eq!(show("round", &[f(0.1), i(33)]), "0.10000000000000002");
        assert_eq!(show("round", &[f(0.1), i(300)]), "0.09999999999999999");
        assert_eq!(show("round", &[f(0.1), i(-2)]), "0");
        assert_eq!(show("round", &[f(2.5), i(0)]), "3");
        assert_eq!(show("round", &[f(-2.5), i(0)]), "-3");
        assert_eq!(show("int", &[f(1e19)]), "-9223372036854775808");
        assert_eq!(show("mod", &[i(-7), i(3)]), "-1");
        assert_eq!(show("div", &[i(-7), i(2)]), "-3");
        assert_eq!(
            err("div", &[i(1), i(0)]),
            "runtime error: integer divide by zero"
        );
        assert_eq!(
            show(
                "typeOf",
                &[super::super::sprig_testutil::call("add", &[i(1)]).unwrap()]
            ),
            "int64"
        );
        assert_eq!(
            show(
                "typeOf",
                &[super::super::sprig_testutil::call("int", &[i(1)]).unwrap()]
            ),
            "int"
        );
    }
}
