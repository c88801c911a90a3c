#!/usr/bin/env python3
"""One-template probes under several Helm releases at once, and ours under each.

Each line of PROBES is a template text (Go template syntax, one line); it is rendered by each
Helm binary of --helms (in a throw-away chart, inside a define, its output printed through
toJson so that any text is valid YAML) and, with --bin, by `stackstate-lint render` with the
matching --helm-version. Prints, per probe, the groups of releases that printed the same, and
every release where ours printed otherwise. Exit status 1 when ours differed anywhere.

    scripts/oracle/releases_probe.py PROBES [--bin target/release/stackstate-lint]
        [--helms DIR] [--only 3.9.4,3.17.3] [--raw]

--helms: the folder scripts/helm/get-releases.sh fills (default ~/.cache/helm-bin/releases).
--raw: the template is the whole file, printed as it is (for YAML-level probes).
"""
import argparse, os, re, subprocess, sys, tempfile

def version_key(name):
    return tuple(int(p) for p in name.split('-', 1)[1].split('.'))

def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('probes')
    ap.add_argument('--bin')
    ap.add_argument('--helms', default=os.path.expanduser('~/.cache/helm-bin/releases'))
    ap.add_argument('--only')
    ap.add_argument('--raw', action='store_true')
    a = ap.parse_args()
    helms = sorted((f for f in os.listdir(a.helms) if re.fullmatch(r'helm-\d+\.\d+\.\d+', f)),
                   key=version_key)
    if a.only:
        wanted = set(a.only.split(','))
        helms = [h for h in helms if h.split('-', 1)[1] in wanted]
    chart = tempfile.mkdtemp(prefix='releases-probe-')
    os.makedirs(os.path.join(chart, 'templates'))
    with open(os.path.join(chart, 'Chart.yaml'), 'w') as f:
        f.write('apiVersion: v2\nname: c\nversion: 0.1.0\n')
    source = '---\n# Source: c/templates/t.yaml\n'

    def run(cmd):
        p = subprocess.run(cmd, capture_output=True, text=True)
        out = p.stdout if p.returncode == 0 else 'ERR ' + p.stderr.strip()
        return out.replace(source, '')

    differ = 0
    for line in open(a.probes):
        template = line.rstrip('\n')
        if not template.strip():
            continue
        text = template if a.raw else (
            '{{- define "p" }}' + template + '{{ end }}o: {{ include "p" . | toJson }}\n')
        with open(os.path.join(chart, 'templates', 't.yaml'), 'w') as f:
            f.write(text)
        print('=====', template)
        got = {h: run([os.path.join(a.helms, h), 'template', 'x', chart]) for h in helms}
        groups = {}
        for h in helms:
            groups.setdefault(got[h], []).append(h.split('-', 1)[1])
        for out, releases in groups.items():
            print('  [%s] %r' % (','.join(releases), out[:800]))
        if a.bin:
            for h in helms:
                release = h.split('-', 1)[1]
                ours = run([a.bin, 'render', 'x', '--chart', chart, '--helm-version', release])
                if ours != got[h]:
                    differ += 1
                    print('  OURS DIFFER %s: %r' % (release, ours[:800]))
    return 1 if differ else 0

if __name__ == '__main__':
    sys.exit(main())
