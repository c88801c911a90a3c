//! The `time` package's other types a template meets through a `time.Time`: the named integers
//! `time.Month`, `time.Weekday` and `time.Duration` (values of kind `int`/`int64`, so `eq`,
//! `lt`, `index` and `printf "%d"` see the number, while `fmt`'s `%v` and an action print their
//! `String` method), and `*time.Location` (`.Location`, the parameter of `.In`).

use std::rc::Rc;

use super::super::value::{IntType, Object, Value};
use super::FuncError;

/// `time.Month.String` and `time.Weekday.String` (out of range: `%!Month(13)`), and
/// `time.Duration.String`; `None` for an integer type without a `String` method.
pub(crate) fn string_method(n: i64, t: IntType) -> Option<String> {
    use super::sprig_date::{DAYS, MONTHS};
    Some(match t {
        IntType::Month => match usize::try_from(n - 1).ok().and_then(|i| MONTHS.get(i)) {
            Some(name) => (*name).to_string(),
            None => format!("%!Month({n})"),
        },
        IntType::Weekday => match usize::try_from(n).ok().and_then(|i| DAYS.get(i)) {
            Some(name) => (*name).to_string(),
            None => format!("%!Weekday({n})"),
        },
        IntType::Duration => super::sprig_date::duration_string(n),
        _ => return None,
    })
}

/// A value of one of the named integer types as a receiver of its methods (`$t.Month.String`,
/// `($u.Sub $t).Hours`); `None` for a plain integer, which has no members.
pub(crate) fn named_int(n: i64, t: IntType) -> Option<Rc<dyn Object>> {
    t.is_named()
        .then(|| Rc::new(NamedInt { n, t }) as Rc<dyn Object>)
}

/// A `time.Duration` value.
pub(crate) fn duration(d: i64) -> Value {
    Value::Int(d, IntType::Duration, None)
}

/// A `time.Duration` parameter: only a `time.Duration` passes (an untyped number constant
/// written as the argument has become one already, see [`Object::constant_int_param`]).
pub(crate) fn duration_param(v: &Value) -> Result<i64, FuncError> {
    match v {
        Value::Int(n, IntType::Duration, _) => Ok(*n),
        other => Err(super::args::wrong_type("time.Duration", other)),
    }
}

#[derive(Debug)]
struct NamedInt {
    n: i64,
    t: IntType,
}

impl Object for NamedInt {
    fn type_name(&self) -> &str {
        self.t.go_name()
    }

    fn field(&self, name: &str) -> Option<Value> {
        if name == "String" {
            return string_method(self.n, self.t).map(Value::str);
        }
        if self.t != IntType::Duration {
            return None;
        }
        let d = self.n;
        let split = |unit: i64| (d / unit) as f64 + (d % unit) as f64 / unit as f64;
        Some(match name {
            "Hours" => Value::float(split(3_600_000_000_000)),
            "Minutes" => Value::float(split(60_000_000_000)),
            "Seconds" => Value::float(split(1_000_000_000)),
            "Milliseconds" => Value::int64(d / 1_000_000),
            "Microseconds" => Value::int64(d / 1_000),
            "Nanoseconds" => Value::int64(d),
            "Abs" => duration(match d {
                i64::MIN => i64::MAX,
                _ => d.abs(),
            }),
            _ => return None,
        })
    }

    fn call(&self, name: &str, args: &[Value]) -> Option<Result<Value, FuncError>> {
        if self.t != IntType::Duration {
            return None;
        }
        let d = self.n;
        match name {
            "Round" => Some(duration_param(&args[0]).map(|m| duration(round_duration(d, m)))),
            "Truncate" => {
                Some(duration_param(&args[0]).map(|m| duration(if m <= 0 { d } else { d - d % m })))
            }
            _ => None,
        }
    }

    fn arity(&self, name: &str) -> Option<usize> {
        match name {
            "Round" | "Truncate" if self.t == IntType::Duration => Some(1),
            _ => self.field(name).map(|_| 0),
        }
    }

    fn constant_int_param(&self, _name: &str) -> Option<IntType> {
        Some(IntType::Duration)
    }

    fn fmt_v(&self) -> String {
        string_method(self.n, self.t).unwrap_or_default()
    }

    fn kind(&self) -> &'static str {
        self.t.kind_name()
    }
}

/// Go's `Duration.Round`: halfway values away from zero; the extreme Duration on overflow.
fn round_duration(d: i64, m: i64) -> i64 {
    if m <= 0 {
        return d;
    }
    let half = |r: i64| (r as u64).wrapping_add(r as u64) < m as u64;
    let r = d % m;
    if d < 0 {
        let r = -r;
        if half(r) {
            return d + r;
        }
        let d1 = d.wrapping_sub(m).wrapping_add(r);
        return if d1 < d { d1 } else { i64::MIN };
    }
    if half(r) {
        return d - r;
    }
    let d1 = d.wrapping_add(m - r);
    if d1 > d { d1 } else { i64::MAX }
}

/// A `*time.Location` a time is in: UTC, Go's `Local`, or the fixed zone `toDate` made of an
/// offset it read (named as the text named it, else `""`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Location {
    /// Which location.
    pub(crate) loc: super::sprig_date::Loc,
    /// A fixed zone's offset and name.
    pub(crate) fixed: Option<(i32, super::sprig_date::ZoneName)>,
}

impl Location {
    /// The location's name, as its `String` method gives it.
    fn name(&self) -> String {
        use super::sprig_date::Loc;
        match self.loc {
            Loc::Utc => "UTC".into(),
            Loc::Local => super::sprig_zone::local_name(),
            Loc::Fixed => self
                .fixed
                .map(|(_, n)| n.as_str().to_string())
                .unwrap_or_default(),
        }
    }

    /// How `GoString` of a time names it: `time.UTC`, `time.Local`, `time.Location("…")`.
    pub(crate) fn go_string(&self) -> String {
        use super::sprig_date::Loc;
        match self.loc {
            Loc::Utc => "time.UTC".into(),
            Loc::Local => "time.Local".into(),
            Loc::Fixed => format!("time.Location({})", super::super::fmt::quote(&self.name())),
        }
    }
}

impl Object for Location {
    fn type_name(&self) -> &str {
        "*time.Location"
    }

    fn field(&self, name: &str) -> Option<Value> {
        (name == "String").then(|| Value::str(self.name()))
    }

    fn call(&self, _: &str, _: &[Value]) -> Option<Result<Value, FuncError>> {
        None
    }

    fn arity(&self, name: &str) -> Option<usize> {
        self.field(name).map(|_| 0)
    }

    fn fmt_v(&self) -> String {
        self.name()
    }

    fn to_plain(&self) -> Value {
        // A struct of unexported fields: `encoding/json` writes `{}`.
        Value::empty_map()
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

/// A `*time.Location` parameter (`.In`).
pub(crate) fn location_param(v: &Value) -> Result<Location, FuncError> {
    match v {
        Value::Object(o) => match o.as_any().and_then(|a| a.downcast_ref::<Location>()) {
            Some(l) => Ok(*l),
            None => Err(super::args::wrong_type("*time.Location", v)),
        },
        _ => Err(super::args::wrong_type("*time.Location", v)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Expectations from Go 1.23's `time` package.
    #[test]
    fn strings_and_rounding() {
        assert_eq!(string_method(3, IntType::Month).unwrap(), "March");
        assert_eq!(string_method(13, IntType::Month).unwrap(), "%!Month(13)");
        assert_eq!(
            string_method(-1, IntType::Weekday).unwrap(),
            "%!Weekday(-1)"
        );
        assert_eq!(
            string_method(90_123_000_000_000, IntType::Duration).unwrap(),
            "25h2m3s"
        );
        assert_eq!(string_method(3, IntType::Int), None);
        assert_eq!(round_duration(172_800_000_000_000, 7), 172_799_999_999_998);
        assert_eq!(round_duration(-15, 10), -20);
        assert_eq!(round_duration(i64::MAX, 10), i64::MAX);
        assert_eq!(round_duration(i64::MIN, 3), i64::MIN);
    }
}
