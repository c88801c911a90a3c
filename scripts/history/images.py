# images.py CHARTDIR FAMILY: for every case Helm renders, the images in Helm's manifests (every
# container of every pod spec, and manifests embedded in ConfigMap data) against `images
# --format plain`; and lint's error-level findings listed (the families hold cases made to
# trip the rules: read them).
import sys, os, subprocess, shlex, glob, yaml, json
chart, fam = sys.argv[1], sys.argv[2]
H = os.path.expanduser('~/.cache/helm-bin/helm3')
SL = os.environ.get('SL', 'stackstate-lint')
EXTRA = os.environ.get('EXTRA', '').split()
def run(cmd):
    p = subprocess.run(['timeout', '300', 'nice', '-n', '5'] + cmd, capture_output=True)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
class L(yaml.SafeLoader): pass
def walk(node, out):
    if isinstance(node, dict):
        for k, v in node.items():
            if k in ('containers', 'initContainers', 'ephemeralContainers') and isinstance(v, list):
                for c in v:
                    if isinstance(c, dict) and 'image' in c: out.add(str(c['image']))
            walk(v, out)
    elif isinstance(node, list):
        for x in node: walk(x, out)
def images(text, out, depth=0):
    try:
        docs = list(yaml.load_all(text, Loader=L))
    except Exception:
        return
    for d in docs:
        walk(d, out)
        if depth == 0 and isinstance(d, dict) and d.get('kind') == 'ConfigMap':
            for v in (d.get('data') or {}).values():
                if isinstance(v, str) and ('containers' in v):
                    images(v, out, 1)
ok = bad = 0
for case in sorted(glob.glob(os.environ.get('CASES', '../shared/render/cases') + f'/{fam}/*.yaml')):
    args = list(EXTRA) + ['-f', case]
    a = case[:-5] + '.args'
    if os.path.exists(a):
        for line in open(a): args += shlex.split(line)
    hc, ho, he = run([H, 'template', 'stackstate', chart] + args)
    if hc: continue
    want = set(); images(ho, want)
    oc, oo, oe = run([SL, 'images', '--chart', chart, '--format', 'plain'] + args)
    got = set(l for l in oo.splitlines() if l.strip())
    name = os.path.basename(case)
    if got != want:
        bad += 1
        print(f'IMAGES {name}: rc {oc}\n  helm only: {sorted(want - got)}\n  ours only: {sorted(got - want)}\n  {oe[:300]}')
    else:
        ok += 1
    lc, lo, le = run([SL, '--chart', chart, '--format', 'json'] + args)
    try:
        j = json.loads(lo)
        errs = [f for f in (j.get('findings') or j.get('diagnostics') or []) if f.get('severity') == 'error']
    except Exception as e:
        errs = [f'unreadable lint output rc {lc}: {lo[:200]} {le[:200]}']
    if errs:
        print(f'LINT {name}: {len(errs)} errors: ' + '; '.join((e.get("code", "") + " " + e.get("message", ""))[:200] if isinstance(e, dict) else e for e in errs[:4]))
print(f'{chart} {fam}: images {ok} agree, {bad} differ')
