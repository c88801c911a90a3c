//! Numbers as gojsonschema holds them: the JSON text of a number read into a `big.Rat`
//! (exact, so `0.3` is a multiple of `0.1`), compared exactly, and printed in messages as Go
//! prints the `*big.Float` made from the `Rat` with `%v`.

use std::cmp::Ordering;

/// A decimal number: `(-1)^neg × digits × 10^exp`, `digits` without leading or trailing zeros
/// (empty for zero). Every JSON number is one, as is every `big.Rat` gojsonschema makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct Dec {
    neg: bool,
    digits: Vec<u8>,
    exp: i64,
}

/// Go's `big.Rat.SetString` refuses a decimal exponent above this (after the digits of the
/// fraction are counted in): "avoid excessively large exponents".
const MAX_EXP5: i64 = 1_000_000;

impl Dec {
    /// `new(big.Rat).SetString(text)` on a JSON number; `None` where Go's fails.
    pub(super) fn parse(text: &str) -> Option<Dec> {
        let (neg, rest) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text.strip_prefix('+').unwrap_or(text)),
        };
        let (mantissa, exponent) = match rest.find(['e', 'E']) {
            Some(i) => (&rest[..i], Some(&rest[i + 1..])),
            None => (rest, None),
        };
        let (whole, frac) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if whole.is_empty() && frac.is_empty() {
            return None;
        }
        let mut digits: Vec<u8> = Vec::with_capacity(whole.len() + frac.len());
        for b in whole.bytes().chain(frac.bytes()) {
            if !b.is_ascii_digit() {
                return None;
            }
            digits.push(b - b'0');
        }
        let exp = match exponent {
            None => 0,
            Some(e) => {
                let (eneg, edigits) = match e.strip_prefix('-') {
                    Some(d) => (true, d),
                    None => (false, e.strip_prefix('+').unwrap_or(e)),
                };
                if edigits.is_empty() || !edigits.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                // Saturated: anything this large is refused below anyway.
                let v = edigits.bytes().fold(0i64, |acc, b| {
                    acc.saturating_mul(10).saturating_add(i64::from(b - b'0'))
                });
                if eneg { -v } else { v }
            }
        };
        let frac_len = i64::try_from(frac.len()).unwrap_or(i64::MAX);
        let exp5 = exp.saturating_sub(frac_len);
        let first = digits.iter().position(|&d| d != 0);
        let Some(first) = first else {
            // Zero, whatever its exponent.
            return Some(Dec::zero());
        };
        if exp5.abs() > MAX_EXP5 {
            return None;
        }
        let last = digits.iter().rposition(|&d| d != 0).unwrap_or(first);
        let trailing = i64::try_from(digits.len() - 1 - last).unwrap_or(0);
        Some(Dec {
            neg,
            digits: digits[first..=last].to_vec(),
            exp: exp5 + trailing,
        })
    }

    fn zero() -> Dec {
        Dec {
            neg: false,
            digits: Vec::new(),
            exp: 0,
        }
    }

    /// `Rat.IsInt`.
    pub(super) fn is_int(&self) -> bool {
        self.digits.is_empty() || self.exp >= 0
    }

    /// Whether the number is above zero.
    pub(super) fn is_positive(&self) -> bool {
        !self.neg && !self.digits.is_empty()
    }

    /// `Rat.Cmp`.
    pub(super) fn cmp(&self, other: &Dec) -> Ordering {
        match (self.digits.is_empty(), other.digits.is_empty()) {
            (true, true) => return Ordering::Equal,
            (true, false) => {
                return if other.neg {
                    Ordering::Greater
                } else {
                    Ordering::Less
                };
            }
            (false, true) => {
                return if self.neg {
                    Ordering::Less
                } else {
                    Ordering::Greater
                };
            }
            _ => {}
        }
        match (self.neg, other.neg) {
            (false, true) => Ordering::Greater,
            (true, false) => Ordering::Less,
            (false, false) => magnitude_cmp(self, other),
            (true, true) => magnitude_cmp(other, self),
        }
    }

    /// Whether `self / divisor` is an integer (`new(big.Rat).Quo(v, m).IsInt()`); `divisor` is
    /// not zero (a schema's `multipleOf` is above zero).
    pub(super) fn is_multiple_of(&self, divisor: &Dec) -> bool {
        if self.digits.is_empty() {
            return true;
        }
        if self.exp < divisor.exp {
            // `digits` has no factor 10 left, so no 10^k with k ≥ 1 divides it.
            return false;
        }
        let Some(m) = small(&divisor.digits) else {
            return self.approx_multiple(divisor);
        };
        // Long division of `digits` followed by (exp − divisor.exp) zeros, by `m`.
        let mut rem: u128 = 0;
        for &d in &self.digits {
            rem = (rem * 10 + u128::from(d)) % m;
        }
        let zeros = self.exp - divisor.exp;
        // The remainders of the zeros repeat within `m` steps; a bound keeps this short.
        for _ in 0..zeros.min(100_000) {
            if rem == 0 {
                break;
            }
            rem = (rem * 10) % m;
        }
        rem == 0
    }

    /// A divisor of more than 36 digits: compared as floats (not exact).
    fn approx_multiple(&self, divisor: &Dec) -> bool {
        let q = self.to_f64() / divisor.to_f64();
        q.is_finite() && q.fract() == 0.0
    }

    fn to_f64(&self) -> f64 {
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let sign = if self.neg { "-" } else { "" };
        format!("{sign}{digits}e{}", self.exp)
            .parse()
            .unwrap_or(f64::NAN)
    }

    /// `fmt.Sprint(new(big.Float).SetRat(r))`: `%v`, which a `big.Float` formats like `%g`
    /// with the shortest digits (`100`, `0.5`, `1e+06`, `1.5e-05`).
    ///
    /// NOTE: the `Float` has the precision of the larger of the `Rat`'s numerator and
    /// denominator, at least 64 bits; the shortest digits that identify it are the decimal's
    /// own digits up to 18 of them. Longer decimals are printed whole, not rounded.
    pub(super) fn go_float(&self) -> String {
        if self.digits.is_empty() {
            return "0".into();
        }
        let digits: String = self.digits.iter().map(|d| char::from(b'0' + d)).collect();
        let n = i64::try_from(digits.len()).unwrap_or(i64::MAX);
        // The value is 0.DIGITS × 10^point.
        let point = n + self.exp;
        let exp = point - 1;
        let sign = if self.neg { "-" } else { "" };
        if !(-4..6).contains(&exp) {
            let (head, tail) = digits.split_at(1);
            let dot = if tail.is_empty() { "" } else { "." };
            let esign = if exp < 0 { '-' } else { '+' };
            return format!("{sign}{head}{dot}{tail}e{esign}{:02}", exp.abs());
        }
        if point <= 0 {
            let zeros = "0".repeat(usize::try_from(-point).unwrap_or(0));
            format!("{sign}0.{zeros}{digits}")
        } else if point >= n {
            let zeros = "0".repeat(usize::try_from(point - n).unwrap_or(0));
            format!("{sign}{digits}{zeros}")
        } else {
            let (int, frac) = digits.split_at(usize::try_from(point).unwrap_or(0));
            format!("{sign}{int}.{frac}")
        }
    }
}

/// Compares two non-zero magnitudes.
fn magnitude_cmp(a: &Dec, b: &Dec) -> Ordering {
    // The position of the leading digit decides, then the digits themselves.
    let lead = |d: &Dec| i64::try_from(d.digits.len()).unwrap_or(i64::MAX) + d.exp;
    lead(a).cmp(&lead(b)).then_with(|| a.digits.cmp(&b.digits))
}

/// Digits as an integer small enough for the long division (below 10^36).
fn small(digits: &[u8]) -> Option<u128> {
    if digits.len() > 36 {
        return None;
    }
    Some(
        digits
            .iter()
            .fold(0u128, |acc, &d| acc * 10 + u128::from(d)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> Dec {
        Dec::parse(s).unwrap()
    }

    #[test]
    fn decimals_compare_and_divide_exactly() {
        assert_eq!(d("1.0"), d("1"));
        assert_eq!(d("100"), d("1e2"));
        assert!(d("1e2").is_int() && !d("1.5").is_int() && d("0.0").is_int());
        assert_eq!(d("0.1").cmp(&d("0.10000000000000001")), Ordering::Less);
        assert_eq!(d("-3").cmp(&d("-2.5")), Ordering::Less);
        assert_eq!(d("0").cmp(&d("-0.0")), Ordering::Equal);
        assert!(d("0.3").is_multiple_of(&d("0.1")));
        assert!(d("3e10").is_multiple_of(&d("7.5")));
        assert!(!d("1.25").is_multiple_of(&d("0.5")));
        assert!(!d("7").is_multiple_of(&d("2")));
        assert!(Dec::parse("1e1000001").is_none());
        assert!(Dec::parse("0e99999999").is_some());
    }

    #[test]
    fn printed_as_go_prints_a_big_float() {
        for (text, go) in [
            ("100", "100"),
            ("1e6", "1e+06"),
            ("123456", "123456"),
            ("0.0001", "0.0001"),
            ("0.00001", "1e-05"),
            ("-1.5e-5", "-1.5e-05"),
            ("2.50", "2.5"),
            ("1234567.5", "1.2345675e+06"),
            ("0", "0"),
        ] {
            assert_eq!(d(text).go_float(), go, "{text}");
        }
    }
}
