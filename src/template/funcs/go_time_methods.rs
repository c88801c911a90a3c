//! The methods of `time.Time` a template calls (`$t.Month`, `$t.Sub $u`, `$t.Add 1000`,
//! `$t.In $u.Location`…), as Go 1.23's `time` package answers them; a method of several results
//! fails as text/template's `goodFunc` says.

use std::rc::Rc;

use super::super::value::{IntType, Object, Value};
use super::FuncError;
use super::sprig_date::{Civil, Loc, MONTHS, Time, ZERO_NANOS};

impl Object for Time {
    fn type_name(&self) -> &str {
        "time.Time"
    }

    /// `wall`, `ext` and `loc`: the instant, the monotonic reading `now` takes, and the
    /// `*time.Location`. UTC and `Local` are one each, and so (since Go 1.19) is the unnamed
    /// zone of each whole hour from -12 to +14 that `toDate` reads; any other fixed zone is a
    /// new one, so such a time equals only itself.
    /// NOTE: Go 1.17 and 1.18 (Helm 3.9 to 3.11) made a new zone for every hour too.
    fn comparison(&self) -> super::super::value::Comparison {
        let zone = match (self.loc, &self.zone) {
            (Loc::Fixed, Some((offset, name)))
                if name.as_str().is_empty()
                    && offset % 3600 == 0
                    && (-12..=14).contains(&(offset / 3600)) =>
            {
                offset.to_string()
            }
            (Loc::Fixed, _) => return super::super::value::Comparison::Identity,
            (loc, _) => format!("{loc:?}"),
        };
        let fields = format!("{}\0{:?}\0{zone}", self.nanos, self.mono.map(f64::to_bits));
        super::super::value::Comparison::Fields(fields)
    }

    fn field(&self, name: &str) -> Option<Value> {
        let c = Civil::of(self);
        let int = |n: i64| Value::int(n);
        Some(match name {
            "Unix" => Value::int64(self.secs()),
            "UnixNano" => Value::int64(self.nanos as i64),
            "UnixMilli" => Value::int64(self.nanos.div_euclid(1_000_000) as i64),
            "UnixMicro" => Value::int64(self.nanos.div_euclid(1_000) as i64),
            "IsZero" => Value::bool(self.nanos == ZERO_NANOS),
            "Year" => int(c.year),
            "Month" => Value::Int(c.month, IntType::Month, None),
            "Weekday" => Value::Int(c.wday as i64, IntType::Weekday, None),
            "Day" => int(c.day),
            "Hour" => int(c.hour),
            "Minute" => int(c.min),
            "Second" => int(c.sec),
            "Nanosecond" => int(c.nano),
            "YearDay" => int(c.yday),
            "UTC" => Value::Object(Rc::new(Time::utc(self.nanos))),
            "Local" => Value::Object(Rc::new(Time::local(self.nanos))),
            "Location" => Value::Object(Rc::new(self.location())),
            "IsDST" => Value::bool(self.is_dst()),
            "String" => Value::str(self.fmt_v()),
            "GoString" => Value::str(self.go_string_text()),
            _ => return None,
        })
    }

    fn call(
        &self,
        name: &str,
        args: &[Value],
    ) -> Option<Result<Value, crate::template::FuncError>> {
        let time = |t: Time| Value::Object(Rc::new(t));
        let arg = || args.first().unwrap_or(&Value::Nil);
        match name {
            "Format" => Some(super::args::string(arg()).map(|l| Value::str(self.format(l.as_str())))),
            "Before" | "After" | "Equal" | "Compare" => Some(time_method_arg(arg()).map(|u| {
                let order = self.nanos.cmp(&u.nanos);
                match name {
                    "Before" => Value::bool(order.is_lt()),
                    "After" => Value::bool(order.is_gt()),
                    "Equal" => Value::bool(order.is_eq()),
                    _ => Value::int(order as i64),
                }
            })),
            "AddDate" if args.len() == 3 => Some((|| {
                let [y, m, d] = [0, 1, 2].map(|i| super::args::go_int(&args[i]));
                Ok(Value::Object(Rc::new(self.add_date(y?, m?, d?))))
            })()),
            "Sub" => Some(time_method_arg(arg()).map(|u| super::go_time::duration(self.sub(&u)))),
            "Add" => Some(super::go_time::duration_param(arg()).map(|d| time(self.add(d)))),
            "Truncate" | "Round" => Some(super::go_time::duration_param(arg()).map(|d| {
                time(self.round(d, name == "Round"))
            })),
            "In" => Some(super::go_time::location_param(arg()).map(|l| time(self.in_location(&l)))),
            "MarshalJSON" | "MarshalText" => Some(self.marshal(name)),
            "AppendFormat" if args.len() == 2 => Some(match (&args[0], &args[1]) {
                (Value::Bytes(b), Value::Str(layout)) => {
                    let mut out = b.to_vec();
                    out.extend_from_slice(self.format(layout.as_str()).as_bytes());
                    Ok(Value::Bytes(Rc::from(out)))
                }
                (Value::Bytes(_), other) => Err(super::args::wrong_type("string", other)),
                (other, _) => Err(super::args::wrong_type("[]uint8", other)),
            }),
            // Go's `goodFunc`: a template calls only methods of one result, or of a result and
            // an error.
            "ISOWeek" | "Zone" => Some(Err(FuncError::Arg(format!(
                "invalid function signature for {name}: second return value should be error; is int"
            )))),
            "ZoneBounds" => Some(Err(FuncError::Arg(
                "invalid function signature for ZoneBounds: second return value should be error; is time.Time".into(),
            ))),
            "Date" | "Clock" => Some(Err(FuncError::Arg(format!(
                "function {name} has 3 return values; should be 1 or 2"
            )))),
            _ => None,
        }
    }

    fn arity(&self, name: &str) -> Option<usize> {
        match name {
            "Format" | "Before" | "After" | "Equal" | "Compare" | "Sub" | "Add" | "Truncate"
            | "Round" | "In" => Some(1),
            "AddDate" => Some(3),
            "AppendFormat" => Some(2),
            "MarshalJSON" | "MarshalText" | "ISOWeek" | "Zone" | "ZoneBounds" | "Date"
            | "Clock" => Some(0),
            _ => self.field(name).map(|_| 0),
        }
    }

    fn constant_int_param(&self, name: &str) -> Option<IntType> {
        matches!(name, "Add" | "Truncate" | "Round").then_some(IntType::Duration)
    }

    fn fmt_v(&self) -> String {
        let mut s = self.format("2006-01-02 15:04:05.999999999 -0700 MST");
        if let Some(m) = self.mono {
            s.push_str(&format!(" m={m:+.9}"));
        }
        s
    }

    fn go_string(&self) -> Option<String> {
        Some(self.go_string_text())
    }

    fn to_plain(&self) -> Value {
        Value::str(self.format("2006-01-02T15:04:05.999999999Z07:00"))
    }

    fn as_any(&self) -> Option<&dyn std::any::Any> {
        Some(self)
    }
}

/// A `time.Time` parameter of a method.
fn time_method_arg(v: &Value) -> Result<Time, FuncError> {
    match v {
        Value::Object(o) => match o.as_any().and_then(|a| a.downcast_ref::<Time>()) {
            Some(t) => Ok(*t),
            None => Err(super::args::wrong_type("time.Time", v)),
        },
        _ => Err(super::args::wrong_type("time.Time", v)),
    }
}

impl Time {
    /// Go's `AddDate`: the calendar fields moved (and normalised, as `Date` does) at the same
    /// wall clock, in the same location.
    fn add_date(&self, years: i64, months: i64, days: i64) -> Time {
        let c = Civil::of(self);
        let day = super::sprig_date_parse::days_from_civil(c.year + years, c.month + months, 1)
            + c.day
            - 1
            + days;
        let wall = day * 86_400 + c.hour * 3600 + c.min * 60 + c.sec;
        let nanos = |offset: i64| i128::from(wall - offset) * 1_000_000_000 + i128::from(c.nano);
        match self.loc {
            Loc::Local => {
                let local = super::sprig_zone::load("Local");
                let at = |unix: i64| Time::utc(i128::from(unix) * 1_000_000_000).in_zone(&local);
                let first = i64::from(at(wall).offset());
                let second = i64::from(at(wall - first).offset());
                Time::local(nanos(second))
            }
            _ => Time {
                mono: None,
                nanos: nanos(i64::from(self.offset())),
                ..*self
            },
        }
    }
}

impl Time {
    /// Go's `Location`: the `*time.Location` the time is in.
    fn location(&self) -> super::go_time::Location {
        super::go_time::Location {
            loc: self.loc,
            fixed: match self.loc {
                Loc::Fixed => self.zone,
                _ => None,
            },
        }
    }

    /// Go's `In`: the same instant in `l`, without a monotonic reading.
    fn in_location(&self, l: &super::go_time::Location) -> Time {
        match l.loc {
            Loc::Utc => Time::utc(self.nanos),
            Loc::Local => Time::local(self.nanos),
            Loc::Fixed => Time {
                nanos: self.nanos,
                mono: None,
                zone: l.fixed,
                loc: Loc::Fixed,
            },
        }
    }

    /// Go's `IsDST`: only Local's zone has daylight saving time here (a fixed zone has none).
    fn is_dst(&self) -> bool {
        match self.loc {
            Loc::Local => super::sprig_zone::load("Local")
                .is_some_and(|z| super::sprig_zone::is_dst(&z, self.secs())),
            _ => false,
        }
    }

    /// Go's `Add`: the instant moved by `d` nanoseconds; a monotonic reading moves with it.
    pub(super) fn add(&self, d: i64) -> Time {
        let mut t = self.moved(self.nanos + i128::from(d));
        t.mono = self.mono.map(|m| m + d as f64 / 1e9);
        t
    }

    /// Go's `Sub`: `self - u` in nanoseconds, from the monotonic readings when both have one,
    /// held to the range of a `time.Duration`.
    fn sub(&self, u: &Time) -> i64 {
        if let (Some(a), Some(b)) = (self.mono, u.mono) {
            return ((a - b) * 1e9).round() as i64;
        }
        let d = self.nanos - u.nanos;
        d.clamp(i128::from(i64::MIN), i128::from(i64::MAX)) as i64
    }

    /// Go's `Truncate` (or `Round`) to a multiple of `d` since the zero time, without a
    /// monotonic reading; `d <= 0` leaves the instant as it is.
    fn round(&self, d: i64, round: bool) -> Time {
        let t = self.moved(self.nanos);
        if d <= 0 {
            return t;
        }
        let r = (self.nanos - ZERO_NANOS).rem_euclid(i128::from(d));
        let half = (r as u64).wrapping_add(r as u64) < d as u64;
        let delta = if !round || half {
            -r
        } else {
            i128::from(d) - r
        };
        self.moved(self.nanos + delta)
    }

    /// Go's `GoString`: `time.Date(2024, time.March, 5, 0, 0, 0, 0, time.Local)`.
    fn go_string_text(&self) -> String {
        let c = Civil::of(self);
        format!(
            "time.Date({}, time.{}, {}, {}, {}, {}, {}, {})",
            c.year,
            MONTHS[(c.month - 1) as usize],
            c.day,
            c.hour,
            c.min,
            c.sec,
            c.nano,
            self.location().go_string()
        )
    }

    /// Go's `MarshalJSON` (quoted) and `MarshalText`: RFC 3339 with nanoseconds, for years
    /// 0 to 9999 only.
    fn marshal(&self, name: &str) -> Result<Value, FuncError> {
        let year = Civil::of(self).year;
        if !(0..=9999).contains(&year) {
            let what = if name == "MarshalJSON" {
                "Time.MarshalJSON"
            } else {
                "Time.MarshalText"
            };
            return Err(FuncError::call(format!(
                "{what}: year outside of range [0,9999]"
            )));
        }
        let text = self.format("2006-01-02T15:04:05.999999999Z07:00");
        let text = if name == "MarshalJSON" {
            format!("\"{text}\"")
        } else {
            text
        };
        Ok(Value::Bytes(Rc::from(text.into_bytes())))
    }
}
