"""Helm's answers for src/template/funcs/go/tests.rs (not, len, index, print*, escapers): prints
[func, rust args, ok|err, text] rows as JSON."""
import sys, json
sys.path.insert(0, __import__("os").path.dirname(__file__))
import helm_oracle as oracle
oracle.CHART = "/tmp/oracle-gobuiltin"
from helm_oracle import *
oracle._bytes_files[b"ab"] = "b0.bin"
# (func, [args as python values per oracle helpers])
L = lambda *x: list(x)
C = [
 ("not", L(0)), ("not", L(1)), ("not", L("")), ("not", L("x")), ("not", L(None)), ("not", L([])), ("not", L([0])),
 ("not", L({})), ("not", L(0.0)), ("not", L(False)), ("not", L(True)), ("not", L(B(b"ab"))), ("not", L()), ("not", L(1, 2)),
 ("len", L("héllo")), ("len", L("")), ("len", L([1, 2, 3])), ("len", L({"a": 1, "b": 2})), ("len", L(B(b"ab"))),
 ("len", L(None)), ("len", L(3)), ("len", L(1.5)), ("len", L(True)), ("len", L(I64(2))), ("len", L()),
 ("index", L([1, 2], 1)), ("index", L([1, 2], 2)), ("index", L([1, 2], 5)), ("index", L([1, 2], -1)),
 ("index", L([1, 2], "a")), ("index", L([1, 2], None)), ("index", L([1, 2], 1.0)), ("index", L([1, 2], I64(0))),
 ("index", L([1, 2], U8(1))), ("index", L("abc", 1)), ("index", L("abc", 3)), ("index", L("abc", 4)), ("index", L(B(b"ab"), 1)),
 ("index", L(B(b"ab"), 2)), ("index", L({"a": 1}, "a")), ("index", L({"a": 1}, "b")), ("index", L({"a": 1}, 1)),
 ("index", L({"a": 1}, None)), ("index", L({"a": {"b": [5, 6]}}, "a", "b", 1)), ("index", L({"a": None}, "a", "b")),
 ("index", L({}, "a", "b")), ("index", L([None], 0, 0)), ("index", L([[1, [2, 3]]], 0, 1, 0)), ("index", L(None)),
 ("index", L(None, 1)), ("index", L(1, 1)), ("index", L(True)), ("index", L([1])), ("index", L(1.5, 0)), ("index", L()),
 ("index", L({"a": 1})), ("index", L("abc", "x")),
 ("print", L(1, "a", None)), ("printf", L("%d-%s", 1, "a")), ("printf", L("x")), ("printf", L()),
 ("printf", L(1)), ("printf", L(None)), ("println", L()), ("println", L(1, None)),
 ("html", L("<a href=\"x\">'&'</a>\x00")), ("html", L(1, None, "<")), ("html", L()), ("html", L(None)), ("html", L([1, "<"])),
 ("html", L("a", "b")), ("html", L(1, 2)),
 ("js", L("<a&=\"'>é\u2028\x01\x7f\\/")), ("js", L("\U0001F600\U000e0001\u00ad")), ("js", L(1, 2)), ("js", L(None)),
 ("js", L("a\tb\nc\r")),
 ("urlquery", L("a b&c/d?é~_.-+=%#")), ("urlquery", L("a b", "c")), ("urlquery", L(None)), ("urlquery", L()),
 ("urlquery", L(1, 2.5, True)),
]
rows = []
for fn, a in C:
    expr = "{{ %s }}" % " ".join([fn] + [tpl(x) for x in a])
    kind, out = render_one(expr)
    if kind == "err":
        out = out.split("executing \"q/templates/x.yaml\" at <", 1)[-1]
        out = out.split(">: ", 1)[-1]
    rows.append((fn, ", ".join(rs(x) for x in a), kind, out))
json.dump(rows, sys.stdout, indent=0)
print(len(rows))
