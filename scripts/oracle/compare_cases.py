"""Helm's answers for the comparison matrix of src/template/funcs/go/tests.rs: every op of
eq ne lt le gt ge on every pair of VALS (one helm run each, a few minutes), as JSON rows."""
import sys, json
sys.path.insert(0, __import__("os").path.dirname(__file__))
import helm_oracle as oracle
oracle.CHART = "/tmp/oracle-compare"
from helm_oracle import *
VALS = [
  ("1", "i(1)"), ("2", "i(2)"), ("(int64 1)", "i64v(1)"), ("(int64 -3)", "i64v(-3)"), ('(float64 "1")', "f(1.0)"),
  ('(float64 "2.5")', "f(2.5)"), ('"1"', 's("1")'), ('"b"', 's("b")'), ('"a"', 's("a")'), ("true", "b(true)"),
  ("false", "b(false)"), ("nil", "nil()"), ("(list 1)", "l(vec![i(1)])"), ('(dict "a" 1)', 'm(vec![("a", i(1))])'),
  ('(index (.Files.GetBytes "all.bin") 1)', "u8v(1)"), ('(index (.Files.GetBytes "all.bin") 200)', "u8v(200)"),
  ('(.Files.GetBytes "b0.bin")', 'by(b"ab")'),
]
oracle._bytes_files[b"ab"] = "b0.bin"
OPS = ["eq", "ne", "lt", "le", "gt", "ge"]
rows = []
for op in OPS:
    for a, ra in VALS:
        for b, rb in VALS:
            kind, out = render_one("{{ %s %s %s }}" % (op, a, b))
            if kind == "err":
                out = out.split(": error calling %s: " % op, 1)[-1]
            rows.append((op, ra, rb, kind, out))
# eq with several operands
for args, rargs in [("1 2 1", "i(1), i(2), i(1)"), ('"a" "b" "c"', 's("a"), s("b"), s("c")'), ('"a" "b" "a"', 's("a"), s("b"), s("a")'),
                    ('1 "a"', 'i(1), s("a")'), ('1 1 "a"', 'i(1), i(1), s("a")'), ('nil 1 nil', 'nil(), i(1), nil()'), ("1 nil 2", "i(1), nil(), i(2)"),
                    ('1 (list 1)', 'i(1), l(vec![i(1)])'), ('(list 1) (dict "a" 1)', 'l(vec![i(1)]), m(vec![("a", i(1))])'),
                    ('(list 1 "x") (list 1)', 'l(vec![i(1), s("x")]), l(vec![i(1)])'), ('(dict "a" 1) (dict "a" 1)', 'm(vec![("a", i(1))]), m(vec![("a", i(1))])')]:
    kind, out = render_one("{{ eq %s }}" % args)
    if kind == "err":
        out = out.split(": error calling eq: ", 1)[-1]
    rows.append(("eq*", rargs, "", kind, out))
json.dump(rows, sys.stdout, indent=0)

