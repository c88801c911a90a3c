"""Ask helm3 what Go's fmt prints; emit a Rust test table.

Cases are (format, [args]); args use the helpers below so that one description yields both the
template expression Helm evaluates and the Rust value our engine gets.
"""
import math, os, re, subprocess, sys

HELM = os.environ.get("HELM", os.path.expanduser("~/.cache/helm-bin/helm3"))
CHART = os.environ.get("ORACLE_CHART", "/tmp/oracle-chart")

class I64:
    def __init__(s, n): s.n = n
class U8:
    def __init__(s, n): s.n = n
class B:
    def __init__(s, b): s.b = b
class Raw:
    """A template expression with its Rust twin."""
    def __init__(s, tpl, rs): s.tpl, s.rs = tpl, rs

_bytes_files = {}

def go_quote(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"': out.append('\\"')
        elif ch == '\\': out.append('\\\\')
        elif ch == '\n': out.append('\\n')
        elif ch == '\t': out.append('\\t')
        elif ch == '\r': out.append('\\r')
        elif c < 0x20 or c == 0x7f: out.append('\\x%02x' % c)
        elif 0xd800 <= c <= 0xdfff: raise ValueError("surrogate")
        elif c in (0x2028, 0x2029) or (0x80 <= c < 0xa0) or c == 0xfeff or c >= 0x10fff0 or c in (0x200b,0xe00,0xad):
            out.append('\\U%08x' % c)
        else: out.append(ch)
    out.append('"')
    return ''.join(out)

def rs_quote(s):
    out = ['"']
    for ch in s:
        c = ord(ch)
        if ch == '"': out.append('\\"')
        elif ch == '\\': out.append('\\\\')
        elif ch == '\n': out.append('\\n')
        elif ch == '\t': out.append('\\t')
        elif ch == '\r': out.append('\\r')
        elif c < 0x20 or c == 0x7f or (0x80 <= c < 0xa0) or c in (0x2028, 0x2029, 0xfeff, 0x200b, 0xad, 0xe00) or c >= 0x10fff0:
            out.append('\\u{%x}' % c)
        else: out.append(ch)
    out.append('"')
    return ''.join(out)

def tpl(v):
    if isinstance(v, Raw): return v.tpl
    if v is None: return "nil"
    if isinstance(v, bool): return "true" if v else "false"
    if isinstance(v, int): return str(v)
    if isinstance(v, I64): return "(int64 %d)" % v.n
    if isinstance(v, U8): return '(index (.Files.GetBytes "all.bin") %d)' % v.n
    if isinstance(v, float):
        if math.isnan(v): r = "NaN"
        elif math.isinf(v): r = "+Inf" if v > 0 else "-Inf"
        else: r = repr(v)
        return '(float64 "%s")' % r
    if isinstance(v, str): return go_quote(v)
    if isinstance(v, B):
        name = _bytes_files.setdefault(v.b, "b%d.bin" % len(_bytes_files))
        return '(.Files.GetBytes "%s")' % name
    if isinstance(v, list): return "(list " + " ".join(tpl(x) for x in v) + ")"
    if isinstance(v, dict): return "(dict " + " ".join(go_quote(k) + " " + tpl(x) for k, x in v.items()) + ")"
    raise TypeError(v)

def rs(v):
    if isinstance(v, Raw): return v.rs
    if v is None: return "nil()"
    if isinstance(v, bool): return "b(%s)" % ("true" if v else "false")
    if isinstance(v, int): return "i(%d)" % v
    if isinstance(v, I64): return "i64v(%d)" % v.n
    if isinstance(v, U8): return "u8v(%d)" % v.n
    if isinstance(v, float):
        if math.isnan(v): return "f(f64::NAN)"
        if math.isinf(v): return "f(f64::INFINITY)" if v > 0 else "f(f64::NEG_INFINITY)"
        r = repr(v)
        if not re.search(r"[.e]", r): r += ".0"
        return "f(%s)" % r
    if isinstance(v, str): return "s(%s)" % rs_quote(v)
    if isinstance(v, B): return 'by(b"%s")' % ''.join('\\x%02x' % c for c in v.b)
    if isinstance(v, list): return "l(vec![" + ", ".join(rs(x) for x in v) + "])"
    if isinstance(v, dict): return "m(vec![" + ", ".join("(%s, %s)" % (rs_quote(k), rs(x)) for k, x in v.items()) + "])"
    raise TypeError(v)

def setup_chart():
    os.makedirs(CHART + "/templates", exist_ok=True)
    with open(CHART + "/Chart.yaml", "w") as f:
        f.write("apiVersion: v2\nname: q\nversion: 0.1.0\n")
    with open(CHART + "/all.bin", "wb") as f:
        f.write(bytes(range(256)))
    for b, name in _bytes_files.items():
        with open(CHART + "/" + name, "wb") as f:
            f.write(b)

def render(exprs):
    """Renders each expression (template text producing a string) and returns the outputs."""
    body = "".join("@@<%d>%s<@@\n" % (n, e) for n, e in enumerate(exprs))
    setup_chart()
    with open(CHART + "/templates/x.yaml", "w") as f:
        f.write(body)
    p = subprocess.run([HELM, "template", "q", CHART, "--debug"], capture_output=True, text=True)
    out = p.stdout
    res = dict((int(n), t) for n, t in re.findall(r"@@<(\d+)>(.*?)<@@", out, re.S))
    missing = [n for n in range(len(exprs)) if n not in res]
    if missing:
        sys.stderr.write(p.stderr[-3000:])
        raise SystemExit("no output for %s" % missing[:5])
    return [res[n] for n in range(len(exprs))]

def render_one(expr):
    """Renders one expression; returns ('ok', text) or ('err', message)."""
    setup_chart()
    with open(CHART + "/templates/x.yaml", "w") as f:
        f.write("@@<0>" + expr + "<@@\n")
    p = subprocess.run([HELM, "template", "q", CHART, "--debug"], capture_output=True, text=True)
    m = re.search(r"@@<0>(.*?)<@@", p.stdout, re.S)
    if m: return ("ok", m.group(1))
    m = re.search(r"^Error: (.*)$", p.stderr, re.M)
    return ("err", m.group(1) if m else p.stderr)
