#!/usr/bin/env python3
"""Cross-release probes (run by hand; CI does not run it): render a tiny chart with several real
Helm releases and with `stackstate-lint render --helm-version R`, and print where they disagree
(stdout byte for byte; exit status; stderr: an error message that differs is printed as MSG but
only counted against us with --msg).

    scripts/oracle/release_probes.py PROBEFILE.py [--rel 3.12.1,3.18.0] [--only NAME] [-v] [--msg]
        [--helm-dir DIR] [--ours BIN] [--work DIR]

PROBEFILE is Python defining PROBES = [(name, template_text, options)], options:
  values: values.yaml text; files: {path in chart: text} (subcharts under charts/, extra -f
  files); args: extra arguments for both; chart: extra Chart.yaml lines.
Each probe becomes WORK/<name>/ (Chart.yaml apiVersion v2, templates/t.yaml = template_text),
rendered as `helm template x .` there. Helm release R is DIR/helm-R (scripts/helm/get-releases.sh installs them).
Example probe files: scripts/oracle/release_probes/*.py.
"""
import os, sys, subprocess, shutil, argparse, runpy, json
ALL = ['3.9.4','3.11.1','3.12.1','3.13.2','3.14.0','3.14.4','3.15.1','3.15.4','3.16.1','3.16.4',
       '3.17.0','3.17.1','3.17.2','3.17.3','3.18.0','4.1.3','4.1.4','4.2.2','4.2.3']
ap = argparse.ArgumentParser()
ap.add_argument('probefile'); ap.add_argument('--rel', default=','.join(ALL)); ap.add_argument('--only', default='')
ap.add_argument('-v', action='store_true'); ap.add_argument('--ours', type=os.path.abspath, default=os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'target/release/stackstate-lint'))
ap.add_argument('--helm-dir', default=os.path.expanduser('~/.cache/helm-bin/releases')); ap.add_argument('--work', default='/tmp/release-probes')
ap.add_argument('--msg', action='store_true', help='also count differing error messages as disagreement')
a = ap.parse_args()
probes = runpy.run_path(a.probefile)['PROBES']
rels = a.rel.split(',')
base = a.work
def run(cmd, cwd=None):
    p = subprocess.run(['nice','-n','10'] + cmd, capture_output=True, text=True, timeout=120, cwd=cwd)
    return p.returncode, p.stdout, p.stderr
stats = {r: [0, 0] for r in rels}
for name, text, opt in probes:
    if a.only and a.only not in name: continue
    d = f'{base}/{name}'
    shutil.rmtree(d, ignore_errors=True); os.makedirs(f'{d}/templates')
    open(f'{d}/Chart.yaml','w').write('apiVersion: v2\nname: p\nversion: 0.1.0\n' + opt.get('chart',''))
    open(f'{d}/values.yaml','w').write(opt.get('values',''))
    open(f'{d}/templates/t.yaml','w').write(text)
    for p, t in opt.get('files', {}).items():
        os.makedirs(os.path.dirname(f'{d}/{p}'), exist_ok=True); open(f'{d}/{p}','w').write(t)
    args = opt.get('args', [])
    groups = {}
    for r in rels:
        h = run([f'{a.helm_dir}/helm-{r}', 'template', 'x', '.'] + args, cwd=d)
        o = run([a.ours, 'render', 'x', '--chart', '.', '--helm-version', r] + args, cwd=d)
        hs = 'ok' if h[0] == 0 else 'fail'; os_ = 'ok' if o[0] == 0 else 'fail'
        if hs != os_: v = 'STATUS'
        elif hs == 'ok': v = 'OK' if h[1] == o[1] else 'OUT'
        else: v = 'OK' if h[2].strip() == o[2].strip() else 'MSG'
        if hs == 'ok' and h[2].strip() != o[2].strip() and v == 'OK': v = 'STDERR'
        stats[r][0] += 1
        good = v == 'OK' or (v == 'MSG' and not a.msg)
        stats[r][1] += good
        if v != 'OK' or a.v:
            hv = (h[1] if h[0] == 0 else 'ERR: ' + h[2]).strip()
            ov = (o[1] if o[0] == 0 else 'ERR: ' + o[2]).strip()
            groups.setdefault((v, hv, ov), []).append(r)
    for (v, hv, ov), rs in groups.items():
        print(f'### {name} [{v}] releases {",".join(rs)}')
        if v != 'OK':
            print('  helm: ' + hv.replace('\n', '\n        ')[:1500])
            print('  ours: ' + ov.replace('\n', '\n        ')[:1500])
        else:
            print('  both: ' + hv.replace('\n', '\n        ')[:600])
print('STATS ' + ' '.join(f'{r}:{g}/{n}' for r, (n, g) in stats.items()))
