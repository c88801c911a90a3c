//! The `time` package's types through a template: errors as Go's text/template gives them
//! for `time.Time`'s methods (several results, a `time.Duration` or `*time.Location`
//! parameter) and for the named integers `time.Month`, `time.Weekday` and `time.Duration`.
//! Every expectation was printed by Helm 3.17.3 (`helm template` on a one-file chart).

use super::exec::check_err;

#[test]
fn time_method_errors_are_gos() {
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.ISOWeek }}",
        "template: x:1:49: executing \"x\" at <$t.ISOWeek>: invalid function signature for ISOWeek: second return value should be error; is int",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Zone }}",
        "template: x:1:49: executing \"x\" at <$t.Zone>: invalid function signature for Zone: second return value should be error; is int",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.ZoneBounds }}",
        "template: x:1:49: executing \"x\" at <$t.ZoneBounds>: invalid function signature for ZoneBounds: second return value should be error; is time.Time",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Date }}",
        "template: x:1:49: executing \"x\" at <$t.Date>: function Date has 3 return values; should be 1 or 2",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Clock 1 }}",
        "template: x:1:49: executing \"x\" at <$t.Clock>: wrong number of args for Clock: want 0 got 1",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Add \"1h\" }}",
        "template: x:1:54: executing \"x\" at <\"1h\">: expected integer; found \"1h\"",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Add 1.5 }}",
        "template: x:1:54: executing \"x\" at <1.5>: expected integer; found 1.5",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Add (int64 5) }}",
        "template: x:1:61: executing \"x\" at <5>: wrong type for value; expected time.Duration; got int64",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $x := 5 }}{{ $t.Add $x }}",
        "template: x:1:67: executing \"x\" at <$x>: wrong type for value; expected time.Duration; got int",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ 5 | $t.Add }}",
        "template: x:1:53: executing \"x\" at <$t.Add>: wrong type for value; expected time.Duration; got int",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Add 1 2 }}",
        "template: x:1:49: executing \"x\" at <$t.Add>: wrong number of args for Add: want 1 got 2",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Sub 5 }}",
        "template: x:1:54: executing \"x\" at <5>: can't handle 5 for arg of type time.Time",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.In \"UTC\" }}",
        "template: x:1:53: executing \"x\" at <\"UTC\">: can't handle \"UTC\" for arg of type *time.Location",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.In $t }}",
        "template: x:1:53: executing \"x\" at <$t>: wrong type for value; expected *time.Location; got time.Time",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.AppendFormat \"x\" \"2006\" }}",
        "template: x:1:63: executing \"x\" at <\"x\">: can't handle \"x\" for arg of type []uint8",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Month.Foo }}",
        "template: x:1:49: executing \"x\" at <$t.Month.Foo>: can't evaluate field Foo in type time.Month",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Weekday.Hours }}",
        "template: x:1:49: executing \"x\" at <$t.Weekday.Hours>: can't evaluate field Hours in type time.Weekday",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ ($t.Sub $t).Hours 1 }}",
        "template: x:1:55: executing \"x\" at <$t>: wrong number of args for Hours: want 0 got 1",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ ($t.Sub $t).Round $t.Month }}",
        "template: x:1:67: executing \"x\" at <$t.Month>: wrong type for value; expected time.Duration; got time.Month",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ ($t.Sub $t).Round 1.5 }}",
        "template: x:1:65: executing \"x\" at <1.5>: expected integer; found 1.5",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Month | upper }}",
        "template: x:1:58: executing \"x\" at <upper>: wrong type for value; expected string; got time.Month",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ until $t.Month }}",
        "template: x:1:55: executing \"x\" at <$t.Month>: wrong type for value; expected int; got time.Month",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ len $t.Month }}",
        "template: x:1:47: executing \"x\" at <len $t.Month>: error calling len: len of type time.Month",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ range $t.Month }}{{ end }}",
        "template: x:1:55: executing \"x\" at <$t.Month>: range can't iterate over March",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $u := $t.AddDate 8000 0 0 }}{{ $u.MarshalJSON }}",
        "template: x:1:80: executing \"x\" at <$u.MarshalJSON>: error calling MarshalJSON: Time.MarshalJSON: year outside of range [0,9999]",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Location.Foo }}",
        "template: x:1:49: executing \"x\" at <$t.Location.Foo>: can't evaluate field Foo in type *time.Location",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.UnmarshalJSON \"x\" }}",
        "template: x:1:49: executing \"x\" at <$t.UnmarshalJSON>: can't evaluate field UnmarshalJSON in type time.Time",
    );
}

/// Complex constants where Go refuses them: comparisons, indexes, typed parameters, encoders.
#[test]
fn complex_constant_errors_are_gos() {
    check_err(
        "{{ lt 1i 2i }}",
        "template: x:1:3: executing \"x\" at <lt 1i 2i>: error calling lt: invalid type for comparison",
    );
    check_err(
        "{{ lt 1i 2 }}",
        "template: x:1:3: executing \"x\" at <lt 1i 2>: error calling lt: incompatible types for comparison",
    );
    check_err(
        "{{ eq 1i 1 }}",
        "template: x:1:3: executing \"x\" at <eq 1i 1>: error calling eq: incompatible types for comparison",
    );
    check_err(
        "{{ eq (2+0i) 2 }}",
        "template: x:1:3: executing \"x\" at <eq (2+0i) 2>: error calling eq: incompatible types for comparison",
    );
    check_err(
        "{{ index (list 1 2) 1i }}",
        "template: x:1:3: executing \"x\" at <index (list 1 2) 1i>: error calling index: cannot index slice/array with type complex128",
    );
    check_err(
        "{{ index (list 1 2) (1+0i) }}",
        "template: x:1:3: executing \"x\" at <index (list 1 2) (1+0i)>: error calling index: cannot index slice/array with type complex128",
    );
    check_err(
        "{{ len 1i }}",
        "template: x:1:3: executing \"x\" at <len 1i>: error calling len: len of type complex128",
    );
    check_err(
        "{{ until 1i }}",
        "template: x:1:9: executing \"x\" at <1i>: expected integer; found 1i",
    );
    check_err(
        "{{ semverCompare 1i \"1\" }}",
        "template: x:1:17: executing \"x\" at <1i>: expected string; found 1i",
    );
    check_err(
        "{{ 1i | mustToJson }}",
        "template: x:1:8: executing \"x\" at <mustToJson>: error calling mustToJson: json: unsupported type: complex128",
    );
    check_err(
        "{{ 1i | toYamlPretty }}",
        "template: x:1:8: executing \"x\" at <toYamlPretty>: error calling toYamlPretty: cannot marshal type: complex128",
    );
    check_err(
        "{{ 1i | toRawJson }}",
        "template: x:1:8: executing \"x\" at <toRawJson>: error calling toRawJson: json: unsupported type: complex128",
    );
    check_err(
        "{{ sha256sum 1i }}",
        "template: x:1:13: executing \"x\" at <1i>: expected string; found 1i",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Add 1i }}",
        "template: x:1:54: executing \"x\" at <1i>: expected integer; found 1i",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.Add (5+0i) }}",
        "template: x:1:55: executing \"x\" at <5+0i>: wrong type for value; expected time.Duration; got complex128",
    );
    check_err(
        "{{ $t := toDate \"2006-01-02\" \"2024-03-05\" }}{{ $t.AddDate (1+0i) 0 0 }}",
        "template: x:1:59: executing \"x\" at <1+0i>: wrong type for value; expected int; got complex128",
    );
}
