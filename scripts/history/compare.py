# compare.py CHARTDIR FAMILY [--h4]: every values case of a render-suite family ($CASES, default
# ../shared/render/cases; $EXTRA adds arguments) and the defaults, rendered by Helm 3.17.3 (or
# 4.1.4, ~/.cache/helm-bin) and by `$SL render`: stdout and stderr must be the same (lines that
# differ between two Helm runs aside: clock, random values), or both fail alike (Helm's
# coalesce warnings aside, see the README).
import sys, os, subprocess, shlex, glob, re
chart, fam = sys.argv[1], sys.argv[2]
h4 = '--h4' in sys.argv
H = os.path.expanduser('~/.cache/helm-bin/helm4' if h4 else '~/.cache/helm-bin/helm3')
SL = os.environ.get('SL', 'stackstate-lint')
S = os.environ.get('CASES', '../shared/render/cases') + '/' + fam
EXTRA = os.environ.get('EXTRA','').split()
def run(cmd):
    p = subprocess.run(['timeout', '300', 'nice', '-n', '5'] + cmd, capture_output=True)
    return p.returncode, p.stdout.decode('utf-8', 'replace'), p.stderr.decode('utf-8', 'replace')
def norm_err(s): return '\n'.join(l for l in s.strip().splitlines() if not re.match(r'^coalesce\.go:\d+: warning:|^level=INFO msg="warning:', l)).strip()
ok = bad = 0
for case in sorted(glob.glob(S + '/*.yaml')) + ['DEFAULTS']:
    args = list(EXTRA)
    if case != 'DEFAULTS':
        args += ['-f', case]
        a = case[:-5] + '.args'
        if os.path.exists(a):
            for line in open(a):
                args += shlex.split(line)
    hc, ho, he = run([H, 'template', 'stackstate', chart] + args)
    oc, oo, oe = run([SL, 'render', 'stackstate', '--chart', chart] + args + (['--helm-version', '4'] if h4 else []))
    name = os.path.basename(case)
    if hc or oc:
        same = hc and oc and norm_err(he) == norm_err(oe)
        if same: ok += 1; continue
        bad += 1
        print(f'DIFF {name}: helm rc {hc} ours rc {oc}\n  helm: {norm_err(he)[:400]}\n  ours: {norm_err(oe)[:400]}')
        continue
    if norm_err(he) != norm_err(oe):
        bad += 1
        print(f'DIFF {name}: stderr differs\n  helm: {norm_err(he)[:400]}\n  ours: {norm_err(oe)[:400]}')
        continue
    if ho == oo: ok += 1; continue
    hc2, ho2, _ = run([H, 'template', 'stackstate', chart] + args)
    l1, l2, lo = ho.splitlines(), ho2.splitlines(), oo.splitlines()
    if len(l1) == len(l2) == len(lo) and all(a == c or a != b for a, b, c in zip(l1, l2, lo)):
        ok += 1; continue
    bad += 1
    import difflib
    d = [l for l in difflib.unified_diff(l1, lo, 'helm', 'ours', n=0, lineterm='') ][:30]
    print(f'DIFF {name}: output differs ({len(l1)} vs {len(lo)} lines)\n' + '\n'.join('  ' + x[:200] for x in d))
print(f'{chart} {fam}{" h4" if h4 else ""}: {ok} agree, {bad} differ')
