#!/usr/bin/env python3
"""Render public charts other than StackState's with the real Helm and with `stackstate-lint
render`, compared byte for byte (run by hand; CI does not run it). The engine must be exact for
any chart, and these are charts it was never shaped on.

    scripts/oracle/third_party.py prepare SRC... --into DIR
        every chart (a folder with Chart.yaml) under the SRC folders (fetched repositories, named
        owner+repo) is copied to DIR/<owner>-<name>-<version> with its dependencies put in
        charts/ from the charts found, its own repository's first (by name; Helm's `template`
        checks names only), so no network is needed
    scripts/oracle/third_party.py run DIR [--helm BIN --helm-version V] [--ours BIN] [--out OUT] [--only S]
        each case (below) rendered by both; Helm renders twice and the
        lines that differ between its own two renders (random passwords, certificates) are not
        counted. One line per render to OUT/results.tsv (chart, case, Helm's exit, ours, verdict,
        detail); disagreeing renders keep their outputs in OUT/<chart>/<case>/.
    scripts/oracle/third_party.py images DIR [--helm BIN --helm-version V] [--ours BIN] [--only S]
        `images --format plain` of each case against the containers' images in Helm's render
    scripts/oracle/third_party.py lint DIR [...]
        the lint of each case Helm renders: every error-level finding is printed (a claim that
        the release is broken, which Helm's render contradicts unless the finding is a policy)
    scripts/oracle/third_party.py mirror DIR [...]
        the mirror plan of each case Helm renders (`images --mirror REGISTRY --format json`):
        Helm renders the case again with the plan's values last, and must pull exactly the
        plan's destinations and the images it calls unroutable

A case is the chart alone (`lint` gives it an empty values file), with each ci/*values*.yaml,
and with each docs/examples/**/values.yaml.
"""
import argparse, os, shutil, subprocess, sys, glob, re
import yaml

def chart_dirs(src):
    for root, dirs, files in os.walk(src):
        dirs[:] = [d for d in dirs if not d.startswith('.')]
        if 'Chart.yaml' in files:
            yield root

def meta(path):
    name = version = None
    deps = []
    text = open(os.path.join(path, 'Chart.yaml'), errors='replace').read()
    for line in text.splitlines():
        m = re.match(r'^name:\s*["\']?([^"\'\s]+)', line)
        if m: name = m.group(1)
        m = re.match(r'^version:\s*["\']?([^"\'\s]+)', line)
        if m: version = m.group(1)
    # apiVersion v1 charts list them in requirements.yaml.
    req = os.path.join(path, 'requirements.yaml')
    if os.path.exists(req):
        text += '\n' + open(req, errors='replace').read()
    in_deps = False
    for line in text.splitlines():
        if re.match(r'^dependencies:', line):
            in_deps = True; continue
        if in_deps and re.match(r'^[A-Za-z_]', line):
            in_deps = False
        if in_deps:
            m = re.match(r'^\s*-?\s*name:\s*["\']?([^"\'\s]+)', line)
            if m: deps.append(m.group(1))
    return name, version, deps

def prepare(a):
    found, every = {}, []
    for src in a.src:
        for d in chart_dirs(src):
            # A chart vendored inside another one is a dependency copy, not a chart to test.
            if os.path.basename(os.path.dirname(d)) == 'charts' and os.path.exists(os.path.join(os.path.dirname(os.path.dirname(d)), 'Chart.yaml')):
                continue
            name, version, deps = meta(d)
            if not name:
                continue
            # Dependencies resolve by name to the first chart of that name (the SRC order decides).
            owner = os.path.basename(src.rstrip('/')).split('+')[0]
            found.setdefault(name, (d, version, deps))
            found.setdefault((owner, name), (d, version, deps))
            every.append((owner, name, d, version, deps))
    os.makedirs(a.into, exist_ok=True)
    def vendor(owner, dst, deps, seen):
        # A dependency is taken from the chart's own repository first.
        for dep in deps:
            chosen = found.get((owner, dep)) or found.get(dep)
            if dep in seen or not chosen:
                continue
            target = os.path.join(dst, 'charts', dep)
            # Already there as a folder or as the archive `helm dependency build` leaves (a
            # second copy would load the subchart twice).
            if os.path.exists(target) or glob.glob(os.path.join(dst, 'charts', f'{dep}-*.tgz')):
                continue
            src, _, sub = chosen
            shutil.copytree(src, target, symlinks=False, ignore=shutil.ignore_patterns('.git'))
            vendor(owner, target, sub, seen | {dep})
    for owner, name, d, version, deps in every:
        dst = os.path.join(a.into, f'{owner}-{name}-{version}')
        if os.path.exists(dst):
            continue
        shutil.copytree(d, dst, symlinks=False, ignore=shutil.ignore_patterns('.git'))
        vendor(owner, dst, deps, {name})
        lock = os.path.join(dst, 'Chart.lock')
        if os.path.exists(lock):
            os.remove(lock)
    print(f'{len(every)} charts in {a.into}')

def run_cmd(cmd, timeout=120):
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout)
        return p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired:
        return 'timeout', '', ''

def verdict(h1, h2, o):
    hc, hout, herr = h1
    oc, oout, oerr = o
    if hc != oc:
        return 'STATUS', f'helm {hc} ours {oc}: {herr.strip()[:200]!r} / {oerr.strip()[:200]!r}'
    if hc != 0:
        return ('BOTHFAIL-same', '') if herr.strip() == oerr.strip() else ('BOTHFAIL-diffmsg', f'{herr.strip()[:200]!r} / {oerr.strip()[:200]!r}')
    if hout == oout:
        return 'SAME', ''
    a, b, c = hout.splitlines(), h2[1].splitlines(), oout.splitlines()
    if len(a) != len(c):
        return 'DIFF', f'{len(a)} lines vs {len(c)}'
    bad = [i for i in range(len(a)) if a[i] != c[i] and (len(b) != len(a) or a[i] == b[i])]
    return ('SAME-volatile', '') if not bad else ('DIFF', f'{len(bad)} lines, first {bad[0] + 1}')

def cases(path, suite=None):
    """A chart alone, with each of its ci/*values*.yaml, and with each documented example's
    values (grafana's k8s-monitoring keeps them in docs/examples/*/values.yaml); with --cases
    DIR, each DIR/*.yaml instead, with the arguments of its .args file (as the render suite
    keeps them: a chart newer than the built-in ones against a family's cases)."""
    if suite:
        import shlex
        out = []
        for c in sorted(glob.glob(os.path.join(suite, '*.yaml'))):
            args = c[:-len('.yaml')] + '.args'
            extra = ['-f', c]
            if os.path.exists(args):
                extra += [w for l in open(args) for w in shlex.split(l)]
            out.append((os.path.basename(c)[:-len('.yaml')], extra))
        return out
    out = [None] + sorted(glob.glob(os.path.join(path, 'ci', '*values*.yaml')))
    out += sorted(glob.glob(os.path.join(path, 'docs', 'examples', '**', 'values.yaml'), recursive=True))
    return [(os.path.relpath(c, path).replace('/', '_') if c else 'default', ['-f', c] if c else []) for c in out]

def charts(a):
    return [c for c in sorted(os.listdir(a.dir))
            if os.path.isdir(os.path.join(a.dir, c)) and (not a.only or a.only in c)]

def run(a):
    out = a.out
    os.makedirs(out, exist_ok=True)
    tsv = open(os.path.join(out, 'results.tsv'), 'a')
    for chart in charts(a):
        path = os.path.join(a.dir, chart)
        for name, extra in cases(path, a.cases):
            h1 = run_cmd([a.helm, 'template', 'rel', path] + extra)
            h2 = run_cmd([a.helm, 'template', 'rel', path] + extra) if h1[0] == 0 else h1
            o = run_cmd([a.ours, 'render', 'rel', path, '--helm-version', a.helm_version] + extra)
            v, detail = verdict(h1, h2, o)
            tsv.write(f'{chart}\t{name}\t{h1[0]}\t{o[0]}\t{v}\t{detail}\n'); tsv.flush()
            print(f'{chart}\t{name}\t{v}\t{detail}', flush=True)
            if not v.startswith('SAME') and v != 'BOTHFAIL-same':
                keep = os.path.join(out, chart, name)
                os.makedirs(keep, exist_ok=True)
                for fn, text in (('helm.out', h1[1]), ('helm.err', h1[2]), ('ours.out', o[1]), ('ours.err', o[2])):
                    open(os.path.join(keep, fn), 'w').write(text)

def pod_images(doc, out, nested=False):
    """The images of a manifest as Kubernetes reads them: every container list of its pod spec
    (`spec` of a Pod, the job template's of a CronJob, `spec.template.spec` of any other kind)
    and, one level down, manifests a ConfigMap carries as data."""
    if not isinstance(doc, dict):
        return
    kind = doc.get('kind')
    path = {'Pod': ['spec'], 'CronJob': ['spec', 'jobTemplate', 'spec', 'template', 'spec'],
            'PodTemplate': ['template', 'spec']}.get(kind, ['spec', 'template', 'spec'])
    spec = doc
    for p in path:
        spec = spec.get(p) if isinstance(spec, dict) else None
    if isinstance(spec, dict):
        for lst in ('initContainers', 'containers', 'ephemeralContainers'):
            for c in spec.get(lst) or [] if isinstance(spec.get(lst), list) else []:
                if isinstance(c, dict) and c.get('image') is not None and not isinstance(c['image'], (list, dict)):
                    img = c['image']
                    out.add(img if isinstance(img, str) else str(img))
    if kind == 'ConfigMap' and not nested and isinstance(doc.get('data'), dict):
        for v in doc['data'].values():
            if isinstance(v, str) and 'image' in v and 'ontainers' in v:
                try:
                    for d in yaml.load_all(v, Loader=yaml.BaseLoader):
                        pod_images(d, out, True)
                except yaml.YAMLError:
                    pass

def rendered_cases(a):
    """Each case Helm renders: (chart, case name, chart path, extra arguments, Helm's stdout)."""
    for chart in charts(a):
        path = os.path.join(a.dir, chart)
        for name, extra in cases(path, a.cases):
            h = run_cmd([a.helm, 'template', 'rel', path] + extra)
            if h[0] == 0:
                yield chart, name, path, extra, h[1]

def images_of(manifests):
    # Document by document: PyYAML refuses some texts go-yaml reads (a tab after `labels:`);
    # such a document is read with its tabs made blanks, else skipped.
    out = set()
    for doc in re.split(r'(?m)^---[ \t]*$', manifests):
        for text in (doc, doc.replace('\t', ' ')):
            try:
                for d in yaml.load_all(text, Loader=yaml.BaseLoader):
                    pod_images(d, out)
                break
            except yaml.YAMLError:
                continue
    return out

def images(a):
    """`images --format plain` against the images of Helm's own render."""
    bad = 0
    for chart, name, path, extra, manifests in rendered_cases(a):
        want = images_of(manifests)
        o = run_cmd([a.ours, 'images', '--chart', path, '--helm-version', a.helm_version, '--format', 'plain'] + extra)
        got = set(o[1].splitlines())
        v = 'SAME' if o[0] == 0 and got == want else 'DIFF'
        bad += v != 'SAME'
        print(f'{chart}\t{name}\t{v}\t{sorted(want - got)} {sorted(got - want)} {o[2].strip()[:200]}', flush=True)
    print(f'{bad} differ')

def lint(a):
    """Every error-level finding of the lint on a case Helm renders: each is a claim that the
    release is broken which Helm contradicts, unless it is a policy the finding names."""
    bad = 0
    empty = os.path.join(a.dir, '.empty-values.yaml')
    open(empty, 'w').write('# no values\n')
    for chart, name, path, extra, _ in rendered_cases(a):
        target = extra[1] if extra else empty
        o = run_cmd([a.ours, '--chart', path, '--helm-version', a.helm_version, '--no-config',
                     '--format', 'compact', target] + extra[2:])
        errors = [l for l in o[1].splitlines() if ': error[' in l]
        if o[0] not in (0, 1) or errors:
            bad += 1
            print(f'{chart}\t{name}\texit {o[0]}\t{errors[:3]} {o[2].strip()[:200]}', flush=True)
    print(f'{bad} cases with error-level findings where Helm renders')

def mirror(a):
    """`images --mirror M --format json` held to the real Helm: the chart rendered with the
    plan's values last must pull exactly the plan's destinations and, unmoved, the images the
    plan calls unroutable (each with the key and reason it gives); every copy keeps its source's
    tag and digest."""
    import json, tempfile
    bad = 0
    reg = 'mirror.example.com:5000/team'
    for chart, name, path, extra, _ in rendered_cases(a):
        o = run_cmd([a.ours, 'images', '--chart', path, '--helm-version', a.helm_version,
                     '--mirror', reg, '--format', 'json'] + extra)
        try:
            plan = json.loads(o[1])['releases'][0]
        except (ValueError, KeyError, IndexError):
            bad += 1
            print(f'{chart}\t{name}\tNOPLAN\texit {o[0]} {o[2].strip()[:200]}', flush=True)
            continue
        with tempfile.NamedTemporaryFile('w', suffix='.yaml', delete=False) as f:
            f.write(plan['values'])
        hm = run_cmd([a.helm, 'template', 'rel', path] + extra + ['-f', f.name])
        os.unlink(f.name)
        if hm[0] != 0:
            bad += 1
            print(f'{chart}\t{name}\tHELMFAILS\t{hm[2].strip()[:300]}', flush=True)
            continue
        got = images_of(hm[1])
        want = {c['destination'] for c in plan['copies'] if c['status'] != 'not-routed'}
        want |= {u['reference'] for u in plan['unroutable']}
        # A copy keeps its image's tag and digest: the pull must not become `latest`.
        def version(ref):
            last = ref.rsplit('/', 1)[-1]
            cut = min([i for i in (last.find(':'), last.find('@')) if i >= 0], default=len(last))
            return last[cut:]
        retagged = sorted(f"{c['source']} -> {c['destination']}" for c in plan['copies']
                          if c['status'] != 'not-routed' and version(c['source']) != version(c['destination']))
        v = 'SAME' if got == want and not retagged else 'DIFF'
        bad += v != 'SAME'
        if retagged:
            print(f'{chart}\t{name}\tRETAGGED\t{retagged}', flush=True)
        why = ' | '.join(u['message'] for u in plan['unroutable'])
        print(f'{chart}\t{name}\t{v}\tcomplete={plan["complete"]} helm-only={sorted(got - want)} plan-only={sorted(want - got)} {why}', flush=True)
    print(f'{bad} differ')

def main():
    ap = argparse.ArgumentParser()
    sub = ap.add_subparsers(dest='cmd', required=True)
    p = sub.add_parser('prepare'); p.add_argument('src', nargs='+'); p.add_argument('--into', required=True)
    r = sub.add_parser('run'); r.add_argument('dir')
    i = sub.add_parser('images'); i.add_argument('dir')
    l = sub.add_parser('lint'); l.add_argument('dir')
    m = sub.add_parser('mirror'); m.add_argument('dir')
    for p in (r, i, l, m):
        p.add_argument('--helm', default=os.path.expanduser('~/.cache/helm-bin/helm3'))
        p.add_argument('--ours', default=os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'target/release/stackstate-lint'))
        p.add_argument('--helm-version', default='3', help="ours: the --helm-version matching --helm")
        p.add_argument('--only', default='')
        p.add_argument('--cases', default=None, help='a folder of values cases (NN-name.yaml, .args) for every chart instead of its own')
    r.add_argument('--out', default='/tmp/third-party')
    a = ap.parse_args()
    {'prepare': prepare, 'run': run, 'images': images, 'lint': lint, 'mirror': mirror}[a.cmd](a)

if __name__ == '__main__':
    main()
