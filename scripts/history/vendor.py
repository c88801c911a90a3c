# vendor.py COMMIT CHART OUT: a renderable folder of stable/CHART at a commit of a clone of
# StackVista/helm-charts ($HELM_CHARTS_GIT: a bare clone, or a clone's .git): file:// dependencies
# copied from the same commit, others from $POOL (folders of unpacked ../shared/charts-src
# archives), the same version first, else the nearest; a dependency found nowhere is dropped
# from Chart.yaml (and said). Work files go under $WORK (default /tmp/history).
import os, sys, subprocess, shutil, re, yaml
GIT = os.environ['HELM_CHARTS_GIT']
WORK = os.environ.get('WORK', '/tmp/history')
POOL_DIR = os.environ.get('POOL', WORK + '/pool')
def pool_index():
    idx = {}
    for root, dirs, files in os.walk(POOL_DIR):
        if 'Chart.yaml' in files and '/charts/' in root:
            m = yaml.safe_load(open(os.path.join(root, 'Chart.yaml')))
            idx.setdefault(m['name'], []).append((str(m['version']), root))
    return idx
POOL = pool_index()
def vkey(v):
    return [int(x) if x.isdigit() else 0 for x in re.split(r'[.\-+]', v)[:3]]
log = []
def vendor(chartdir, tree):
    cy = os.path.join(chartdir, 'Chart.yaml')
    meta = yaml.safe_load(open(cy))
    deps = meta.get('dependencies') or []
    keep = []
    for d in deps:
        name, repo, ver = d['name'], d.get('repository', ''), str(d.get('version', '*'))
        dest = os.path.join(chartdir, 'charts', name)
        os.makedirs(os.path.join(chartdir, 'charts'), exist_ok=True)
        if os.path.exists(dest):
            keep.append(d); continue
        if repo.startswith('file://'):
            # relative to the chart's place in the source tree
            src = os.path.normpath(os.path.join(chartdir_src[chartdir], repo[7:]))
            if os.path.isdir(src):
                shutil.copytree(src, dest, symlinks=False)
                chartdir_src[dest] = src
                vendor(dest, tree); keep.append(d); continue
        cands = POOL.get(name, [])
        exact = [c for c in cands if c[0] == ver]
        pick = exact[0] if exact else (sorted(cands, key=lambda c: abs(sum(a*b for a, b in zip([1e6, 1e3, 1], [x - y for x, y in zip(vkey(c[0]), vkey(ver.lstrip('~^=><')) if ver != '*' else vkey(c[0]))]))))[0] if cands else None)
        if pick:
            shutil.copytree(pick[1], dest)
            chartdir_src[dest] = pick[1]
            log.append(f'{chartdir}: {name} {ver} from pool {pick[0]}')
            keep.append(d); continue
        log.append(f'{chartdir}: {name} {ver} ({repo}) DROPPED')
    if len(keep) != len(deps):
        meta['dependencies'] = keep
        open(cy, 'w').write(yaml.safe_dump(meta, sort_keys=False))
chartdir_src = {}
def main(commit, chart, out):
    tree = f'{WORK}/src/{commit[:10]}'
    if not os.path.isdir(tree):
        os.makedirs(tree)
        for part in ['stable', 'local']:
            if subprocess.run(['git', f'--git-dir={GIT}', 'cat-file', '-e', f'{commit}:{part}'], capture_output=True).returncode == 0:
                subprocess.run(f'git --git-dir={GIT} archive {commit} {part} | tar -x -C {tree}', shell=True, check=True)
    if os.path.exists(out): shutil.rmtree(out)
    shutil.copytree(f'{tree}/stable/{chart}', out)
    chartdir_src[out] = f'{tree}/stable/{chart}'
    for lock in ['Chart.lock', 'requirements.lock']:
        p = os.path.join(out, lock)
        if os.path.exists(p): os.remove(p)
    vendor(out, tree)
    print('\n'.join(log))
main(*sys.argv[1:])
