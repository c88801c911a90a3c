#!/usr/bin/env python3
"""Differential run of random values against the real Helm (run by hand; CI does not run it).

For a chart of ../shared/charts-src and the render suite's minimal case of its family, each case
sets one to five keys of the chart's own values.yaml to odd values (types flipped, nulls, numbers
YAML and Go print differently, strings that read as other types, YAML indicators, long and
non-ASCII text), as a values file or with --set / --set-string / --set-json, renders it with
`helm template` and with `stackstate-lint render` (Helm 3.17.3; 4.1.4, 3.16.4 or 3.9.4 with --helm-version 4, 3.16
or 3.9), and compares the two as the render suite's
checker does (../shared/render/check.py: documents, `# Source:` lines, parsed YAML). Where they
differ, Helm renders once more a second later and the fields that changed between its own two
renders (random names, passwords, timestamps) are masked before comparing again. Exit codes must
agree (a failure is a failure; messages are not compared). Cases that still differ are kept.

    scripts/oracle/fuzz_values.py CHART FAMILY [--cases N] [--seed S] [--set] [--keep DIR]
    scripts/oracle/fuzz_values.py stackstate-4.4.0 a --cases 60 --seed 1
    scripts/oracle/fuzz_values.py suse-observability-2.10.3 c --set --helm-version 4
    scripts/oracle/fuzz_values.py stackstate-4.4.0 a --raw   (values written as odd YAML text)
    scripts/oracle/fuzz_values.py stackstate-k8s-1.12.1 b --helm-version 3.12.1   (scripts/helm/get-releases.sh)

Needs PyYAML, the release build (cargo build --release) and Helm 3.17.3 (../shared/tools/get-helm.sh).
"""
import argparse
import os
import random
import subprocess
import sys
import tarfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SHARED = os.path.join(os.path.dirname(ROOT), 'shared')
sys.path.insert(0, os.path.join(SHARED, 'render'))
import check  # noqa: E402  (the render suite's checker: document splitting, masking, comparing)
import yaml  # noqa: E402

# Values for a values file.
ODD = [None, '', 0, -1, 1.5, 1e6, 10000000, '007', True, False, 'true', [], {}, [1, 2], {'a': 'b'},
       'a b', 'x: y', '{{ .Values }}', 'ünï', 'a' * 300, '0x1F', '.inf', '~', '1_000', '08', '+1', '1e3',
       'null', '-', "it's", 'a"b', 'line1\nline2', ' lead', 'trail ', '@x', '*', 3.0,
       12345678901234567890]
# Values for --set and --set-string, as typed on a command line.
SET_VALUES = ['', 'null', '0', '1e3', '0x10', '007', 'true', 'False', '1.50', '12345678901234567890',
              'a b', 'a\\,b', '{a,b}', '[0]', '-1', '+1', '1_000', '~', 'ünï', '.inf', '"q"', "'s'"]
# Values written as YAML text (--raw): what a hand-written file may hold, each read by go-yaml
# (YAML 1.1 booleans, octal, sexagesimal-looking text, tags, anchors and merge keys, block
# scalars, numbers past int64 and float64). `&A` and `*A` name one anchor per file.
RAW = ['yes', 'No', 'ON', 'off', 'y', 'n', '~', 'Null', 'NULL', '0o17', '0x1F', '0b101', '017', '08',
       '+12', '1_000', '1:20', '.5', '5.', '-.inf', '.NaN', '1e3', '1E+3', '12e', '2001-12-14',
       '2001-12-14t21:59:43.10-05:00', '!!str 123', '!!int "12"', '!!float 1', '!!bool yes',
       '!!null ""', '!!binary aGVsbG8=', '!!timestamp 2001-12-14', '!custom x', '"\\x41\\u00e9"',
       "'a''b'", '"multi\\n line"', '|\n  block\n  text\n', '|-\n  one\n\n  two\n',
       '>-\n  folded\n  text\n', '>\n  keep\n\n  breaks\n', '[1, two, {x: 3}]', '{a: 1, b: [2]}',
       '[]', '{}', '&A {x: 1, y: [a]}', '*A', '{<<: *A, z: 2}', '{<<: {m: 1}, m: 2}', '',
       '""', "''", '9223372036854775807', '9223372036854775808', '-9223372036854775809',
       '18446744073709551616', '1e400', '0.1e-400', '-0', '-0.0', '=', '<<', '- a\n- b', '"ünï"',
       '1.0', '1.50', '100000000000000000000000', '0.000001', '1e-7', '123456789012', '3.0e+21',
       'true # a comment', '"a" # q', 'a: b', '? x', '@x', '`x`', '%x']
# Values for --set-json.
JSON_VALUES = ['null', '0', '1.5', '"s"', '[]', '{}', '[1,"a"]', '{"a":null}', 'true', '1e3']


# --helm-version: the Helm binary get-helm.sh installs, and the version ours is given (the older
# lines merge nulls and tables otherwise: SPEC.md, "Helm's merge").
HELMS = {'3': ('helm3', '3'), '4': ('helm4', '4'), '3.16': ('helm3.16', '3.16.4'), '3.9': ('helm3.9', '3.9.4')}


def key_paths(v, path=()):
    out = [path] if path else []
    if isinstance(v, dict):
        for k, x in v.items():
            out += key_paths(x, path + (str(k),))
    return out


def put(d, path, v):
    for k in path[:-1]:
        if not isinstance(d.get(k), dict):
            d[k] = {}
        d = d[k]
    d[path[-1]] = v


def subchart_paths(t):
    """The keys of every vendored subchart's values.yaml (an archive under charts/ inside the
    chart's is opened too), under the subchart's path of names; and `global.` with each key a
    subchart reads there."""
    out = []

    def walk(tar, prefix):
        for m in tar.getmembers():
            parts = m.name.split('/')
            if len(parts) == 4 and parts[1] == 'charts' and parts[3] == 'values.yaml':
                sub = prefix + (parts[2],)
                try:
                    doc = yaml.safe_load(tar.extractfile(m).read()) or {}
                except yaml.YAMLError:
                    continue
                for p in key_paths(doc):
                    out.append(p if p[0] == 'global' else sub + p)
            elif len(parts) == 3 and parts[1] == 'charts' and m.name.endswith('.tgz'):
                with tarfile.open(fileobj=tar.extractfile(m)) as inner:
                    inner_root = inner.getnames()[0].split('/')[0]
                    # The inner archive's own values.yaml is the subchart's.
                    top = next((x for x in inner.getmembers() if x.name == f'{inner_root}/values.yaml'), None)
                    if top is not None:
                        doc = yaml.safe_load(inner.extractfile(top).read()) or {}
                        for p in key_paths(doc):
                            out.append(p if p[0] == 'global' else prefix + (inner_root,) + p)
    walk(t, ())
    return out


class Raw(str):
    """A value's YAML text, written as it is."""


def raw_yaml(d, indent=0):
    """A block mapping of `d`, its Raw leaves as their text (a block scalar's or a block
    sequence's lines indented under the key); `&A` stays only on the first value naming it."""
    out = []
    pad = ' ' * indent
    for k, v in d.items():
        key = k if k and all(c.isalnum() or c in '-_.' for c in k) else '"' + k.replace('"', '\\"') + '"'
        if isinstance(v, dict) and not isinstance(v, Raw):
            out.append(f'{pad}{key}:\n' + raw_yaml(v, indent + 2))
            continue
        text = str(v)
        if '\n' in text and text[0] in '|>':
            head, body = text.split('\n', 1)
            lines = [(pad + '  ' + x[2:] if x else '') for x in body.rstrip('\n').split('\n')]
            out.append(f'{pad}{key}: {head}\n' + '\n'.join(lines) + '\n')
        elif text.startswith('- '):
            out.append(f'{pad}{key}:\n' + ''.join(f'{pad}  {x}\n' for x in text.split('\n')))
        else:
            out.append(f'{pad}{key}: {text}\n'.replace(': \n', ':\n'))
    text = ''.join(out)
    if indent == 0:
        # One anchor per file: the first `&A` defines it, later ones are aliases.
        first = text.find('&A')
        if first >= 0:
            text = text[:first + 2] + text[first + 2:].replace('&A {x: 1, y: [a]}', '*A')
    return text


def run(cmd):
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    return p.returncode, p.stdout, p.stderr


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('chart', help='a chart of ../shared/charts-src, without .tgz')
    ap.add_argument('family', help="its values family in ../shared/render/cases (a, b or c)")
    ap.add_argument('--cases', type=int, default=40)
    ap.add_argument('--seed', type=int, default=1)
    ap.add_argument('--set', action='store_true', help='--set flags instead of a values file')
    ap.add_argument('--raw', action='store_true', help='a values file written as YAML text with odd syntax')
    ap.add_argument('--subcharts', action='store_true',
                    help="also the keys of the subcharts' own values.yaml, under their names, and global.*")
    ap.add_argument('--helm-version', default='3',
                    help='which Helm: 3 (3.17.3), 4 (4.1.4), 3.16 (3.16.4), 3.9 (3.9.4), or any release X.Y.Z '
                         '(its binary from scripts/helm/get-releases.sh, or --helm); ours is given the same')
    ap.add_argument('--helm', help='the Helm binary (default: the one ../shared/tools/get-helm.sh installs)')
    ap.add_argument('--bin', default=os.path.join(ROOT, 'target/release/stackstate-lint'))
    ap.add_argument('--keep', default='/tmp/fuzz_values', help='where differing cases are kept')
    a = ap.parse_args()
    if a.helm_version in HELMS:
        binary, ours_version = HELMS[a.helm_version]
        a.helm = a.helm or os.path.expanduser(f'~/.cache/helm-bin/{binary}')
    elif a.helm_version.count('.') == 2:
        # A full release: ours reproduces exactly that one; its binary where get-releases.sh puts it.
        ours_version = a.helm_version
        a.helm = a.helm or os.path.expanduser(f'~/.cache/helm-bin/releases/helm-{a.helm_version}')
    else:
        ap.error(f'--helm-version {a.helm_version}: one of {", ".join(sorted(HELMS))}, or a release X.Y.Z')

    tgz = os.path.join(SHARED, 'charts-src', f'{a.chart}.tgz')
    base = os.path.join(SHARED, 'render', 'cases', a.family, '01-minimal.yaml')
    # As the render suite renders them: the anomaly-detection subchart before 2.10.3 was
    # never published (its archive holds a placeholder that fails when enabled).
    extra = [] if a.chart.startswith('suse-observability-2.10') else ['--set', 'anomaly-detection.enabled=false']
    volatile = check.read_volatile(os.path.join(SHARED, 'render', 'expected', a.chart, '01-minimal', 'volatile.txt'))
    with tarfile.open(tgz) as t:
        name = next(m for m in t.getnames() if m.count('/') == 1 and m.endswith('/values.yaml'))
        paths = key_paths(yaml.safe_load(t.extractfile(name).read()))
        if a.subcharts:
            paths += subchart_paths(t)
    os.makedirs(a.keep, exist_ok=True)
    rng = random.Random(a.seed)
    differ = 0
    for i in range(a.cases):
        picked = rng.sample(paths, rng.randint(1, 5))
        case = os.path.join(a.keep, f'{a.chart}-{a.seed}-{i}.{"args" if a.set else "yaml"}')
        if a.set:
            flags = []
            for p in picked:
                key = '.'.join(k.replace('.', '\\.') for k in p)
                flag = rng.choice(['--set', '--set', '--set-string', '--set-json'])
                value = rng.choice(JSON_VALUES if flag == '--set-json' else SET_VALUES)
                flags += [flag, f'{key}={value}']
            with open(case, 'w') as f:
                f.write('\n'.join(flags) + '\n')
        elif a.raw:
            values = {}
            for p in picked:
                put(values, p, Raw(rng.choice(RAW)))
            with open(case, 'w') as f:
                f.write(raw_yaml(values))
            flags = ['-f', case]
        else:
            values = {}
            for p in picked:
                put(values, p, rng.choice(ODD))
            with open(case, 'w') as f:
                yaml.safe_dump(values, f, allow_unicode=True)
            flags = ['-f', case]
        args = [tgz, '-f', base] + flags + extra
        helm = run([a.helm, 'template', 'stackstate'] + args)
        ours = run([a.bin, 'render', 'stackstate', '--helm-version', ours_version, '--chart'] + args)
        problem = None
        if helm[0] != 0 or ours[0] != 0:
            if (helm[0] != 0) != (ours[0] != 0):
                problem = f'exit {helm[0]} (Helm) against {ours[0]}: {(helm[2] or ours[2]).strip()[:300]}'
        else:
            problem = check.compare(helm[1], ours[1], volatile)
            if problem is not None:
                time.sleep(1.1)
                again = run([a.helm, 'template', 'stackstate'] + args)
                masked = {k: list(v) for k, v in volatile.items()}
                for x, y in zip(check.split_docs(helm[1]), check.split_docs(again[1])):
                    if x.parsed and y.parsed:
                        for dx, dy in zip(x.data, y.data):
                            masked.setdefault(x.ident, []).extend(check.diff_paths(dx, dy))
                problem = check.compare(helm[1], ours[1], masked)
        if problem is None:
            os.remove(case)
        else:
            differ += 1
            print(f'{case}: {problem[:400]}')
    print(f'{a.chart} seed {a.seed}: {a.cases} cases, {differ} differ')
    return 1 if differ else 0


if __name__ == '__main__':
    sys.exit(main())
