#!/usr/bin/env python3
"""The render suite against one real Helm release (run by hand; CI does not run it): every chart of
../shared/charts-src with every values case of its family, rendered by DIR/helm-RELEASE and by
`stackstate-lint render --helm-version RELEASE`, compared byte for byte; where stdout differs Helm
renders again a second later and lines that changed between its own two renders (passwords,
certificates, names from `now`) are not counted. Both failing agrees on status (BOTHFAIL-same or
-diffmsg by stderr, its lines in any order: Go logs in its random map order). One line per render goes to OUT/RELEASE.tsv (release, chart, case, Helm's
exit, ours, verdict, detail); disagreeing renders keep their outputs in OUT/RELEASE/<chart>/<case>/.

    scripts/oracle/release_suite.py RELEASE [--every N --offset K] [--chart S] [--case S]
        [--helm-dir DIR] [--ours BIN] [--out DIR]

--every 3 --offset K takes every third case (K = 0, 1, 2 cover all between them).
"""
import os, sys, subprocess, shlex, glob, time, argparse
S = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))), 'shared')
FAM = {'a': ['stackstate-4.2.5','stackstate-4.3.0','stackstate-4.4.0','stackstate-4.4.2','stackstate-4.5.0','stackstate-4.6.1','stackstate-5.0.8','stackstate-5.1.15'],
       'b': ['stackstate-k8s-1.12.1','suse-observability-2.0.1'], 'c': ['suse-observability-2.10.3']}
ap = argparse.ArgumentParser()
ap.add_argument('release'); ap.add_argument('--every', type=int, default=1); ap.add_argument('--offset', type=int, default=0)
ap.add_argument('--chart', default=''); ap.add_argument('--case', default='')
ap.add_argument('--ours', type=os.path.abspath, default=os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'target/release/stackstate-lint'))
ap.add_argument('--helm-dir', default=os.path.expanduser('~/.cache/helm-bin/releases')); ap.add_argument('--out', default='/tmp/release-suite')
a = ap.parse_args()
R = a.release
HELM = f'{a.helm_dir}/helm-{R}'
out_root = f'{a.out}/{R}'
os.makedirs(out_root, exist_ok=True)
tsv = open(f'{a.out}/{R}.tsv', 'a')
def run(cmd):
    t = time.time()
    p = subprocess.run(['nice', '-n', '10'] + cmd, capture_output=True, text=True, timeout=900)
    return p.returncode, p.stdout, p.stderr
def same_log(h, o):
    # Go logs coalesce.go's warnings in its random map order: the same lines in any order agree.
    return sorted(h.strip().splitlines()) == sorted(o.strip().splitlines())
def linediff(h1, h2, o):
    h1, h2, o = h1.splitlines(), h2.splitlines(), o.splitlines()
    if len(h1) != len(o):
        return f'{len(h1)} lines vs {len(o)}'
    bad = [i for i, (x, y) in enumerate(zip(h1, o)) if x != y and (i >= len(h2) or h1[i] == h2[i])]
    return f'{len(bad)} lines differ, first {bad[0]+1}' if bad else None
n = 0
for fam, charts in FAM.items():
    cases = sorted(glob.glob(f'{S}/render/cases/{fam}/*.yaml'))
    for chart in charts:
        if a.chart not in chart: continue
        for ci, case in enumerate(cases):
            name = os.path.basename(case)[:-5]
            if a.case not in name: continue
            if (ci + a.offset) % a.every: continue
            args = [f'{S}/charts-src/{chart}.tgz', '-f', case]
            if os.path.exists(case[:-5] + '.args'):
                args += shlex.split(open(case[:-5] + '.args').read())
            if chart != 'suse-observability-2.10.3':
                args += ['--set', 'anomaly-detection.enabled=false']
            h = run([HELM, 'template', 'stackstate'] + args)
            o = run([a.ours, 'render', 'stackstate', '--helm-version', R, '--chart'] + args)
            verdict = 'OK'; detail = ''
            if h[0] or o[0]:
                if h[0] and o[0]:
                    he = h[2].strip(); oe = o[2].strip()
                    verdict = 'BOTHFAIL-same' if same_log(he, oe) else 'BOTHFAIL-diffmsg'
                else:
                    verdict = 'STATUS'; detail = f'helm {h[0]} ours {o[0]}: ' + (h[2] if h[0] else o[2]).strip().replace('\n', ' | ')[:300]
            else:
                if h[1] != o[1]:
                    time.sleep(1.1)
                    h2 = run([HELM, 'template', 'stackstate'] + args)
                    d = linediff(h[1], h2[1], o[1])
                    if d:
                        verdict = 'DIFF'; detail = d
                if not same_log(h[2], o[2]):
                    verdict += '+STDERR'
            if verdict != 'OK':
                d = f'{out_root}/{chart}/{name}'
                os.makedirs(d, exist_ok=True)
                for fn, txt in [('helm', h[1]), ('helm.err', h[2]), ('ours', o[1]), ('ours.err', o[2]),
                                ('cmd', ' '.join(shlex.quote(x) for x in args))]:
                    open(f'{d}/{fn}', 'w').write(txt)
            print(f'{R}\t{chart}\t{name}\t{h[0]}\t{o[0]}\t{verdict}\t{detail}', file=tsv, flush=True)
            n += 1
print('done', n)
