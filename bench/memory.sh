#!/usr/bin/env bash
# Peak memory (maximum resident set, /usr/bin/time -f %M) of stackstate-lint on the worst inputs
# found for the README's memory bound (Limits), release build (run by hand; CI does not run it;
# tests/budgets.rs runs the worst of them against the bound in a debug build).
#
#   bench/memory.sh [BINARY]      (default: target/release/stackstate-lint)
#
# Each input stays within every limit (or is refused at one): a flow list of 998,000 short
# strings (the most memory per value), 490,000 keys, one-entry maps at the node limit, alias
# bombs, 15 values files of 8 MiB strings (the byte budget), both together, a 2 MB values file
# under 8 PATHs, a chart with 16 subcharts at the node limit (with the strings: the worst found)
# and a chart with 990,000 values 8 subcharts deep, and two releases rendering 200 MB manifests
# each in one folder. Writes ~130 MB of scratch files; installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
bin="${1:-target/release/stackstate-lint}"
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
dir="$(mktemp -d)"
trap 'rm -rf "$dir"' EXIT
cd "$dir"

python3 - <<'PY'
def w(name, text):
    open(name, 'w').write(text)
w('flow-num.yaml', 'big: [' + ','.join(['0'] * 998_999) + ']\n')
w('flow-str.yaml', 'big: [' + ','.join(['a'] * 997_999) + ']\n')
w('keys.yaml', 'big:\n' + ''.join(f'  k{i}: 0\n' for i in range(490_000)))
w('maps.yaml', 'big: [' + ','.join(['{a: 0}'] * 70_000) + ']\n')
w('maps-over.yaml', 'big: [' + ','.join(['{a: 0}'] * 330_000) + ']\n')
bomb = ['a0: &a0 [0,0,0,0,0,0,0,0,0,0]']
bomb += [f'a{i}: &a{i} [' + ','.join([f'*a{i-1}'] * 10) + ']' for i in range(1, 7)]
w('bomb.yaml', '\n'.join(bomb) + '\n')
for i in range(15):
    w(f's{i}.yaml', f's{i}: "' + 'x' * (8 * 1024 * 1024 - 16) + '"\n')
for i in range(8):
    w(f'v{i}-values.yaml', f'b{i}: 1\n')

import io, tarfile
def tgz(entries):
    b = io.BytesIO()
    with tarfile.open(fileobj=b, mode='w:gz') as t:
        for name, data in entries:
            info = tarfile.TarInfo(name)
            info.size = len(data)
            t.addfile(info, io.BytesIO(data))
    return b.getvalue()
def chart(name, values, subs=()):
    return [(f'{name}/Chart.yaml', f'apiVersion: v2\nname: {name}\nversion: 4.4.0\n'.encode()),
            (f'{name}/values.yaml', values)] + [(f'{name}/charts/{n}.tgz', t) for n, t in subs]
big = ('big: [' + ','.join(['a'] * 61_999) + ']\n').encode()
subs = [(f'sub{i}', tgz(chart(f'sub{i}', big))) for i in range(16)]
open('chart16.tgz', 'wb').write(tgz(chart('stackstate', b'global: {}\n', subs)))
deep = None
for level in range(8, -1, -1):
    name = 'stackstate' if level == 0 else f'sub{level}'
    values = ('big: [' + ','.join(['a'] * 990_000) + ']\n').encode() if level == 8 else b'x: 1\n'
    deep = tgz(chart(name, values, [(f'sub{level + 1}', deep)] if deep else []))
open('chart-deep.tgz', 'wb').write(deep)
PY

strings=()
for i in $(seq 0 14); do strings+=(-f "s$i.yaml"); done
run() {
  local label="$1"; shift
  local rc=0
  /usr/bin/time -f %M -o peak "$@" >/dev/null 2>err || rc=$?
  printf '%-44s exit %s  %7d MiB\n' "$label" "$rc" "$(( $(tail -1 peak) / 1024 ))"
}
for f in flow-num flow-str keys maps maps-over bomb; do
  cp "$f.yaml" w.yaml; run "$f: lint" "$bin" --no-config --format compact w.yaml
  cp "$f.yaml" w.yaml; run "$f: --fix" "$bin" --no-config --fix w.yaml
  run "$f: images" "$bin" images --format plain -f "$f.yaml"
done
run "15 x 8 MiB strings: lint" "$bin" --no-config --format compact "${strings[@]}"
run "15 x 8 MiB strings + flow-str: lint" "$bin" --no-config --format compact "${strings[@]}" flow-str.yaml
run "15 x 8 MiB strings + flow-str: --fix" "$bin" --no-config --fix "${strings[@]}" flow-str.yaml
run "15 x 8 MiB strings + flow-str: images" "$bin" images --format plain "${strings[@]}" -f flow-str.yaml
run "-f flow-str + 8 PATHs: lint" "$bin" --no-config --format compact -f flow-str.yaml v*-values.yaml
run "-f flow-str + 8 PATHs: images" "$bin" images --format plain -f flow-str.yaml v*-values.yaml
run "chart, 16 subcharts at the node limit: lint" "$bin" --no-config --chart chart16.tgz --format compact v0-values.yaml
run "the same + 15 x 8 MiB strings: lint" "$bin" --no-config --chart chart16.tgz --format compact "${strings[@]}" v0-values.yaml
run "the same + 15 x 8 MiB strings: --fix" "$bin" --no-config --chart chart16.tgz --fix "${strings[@]}" v0-values.yaml
run "chart, 990,000 values 8 deep: lint" "$bin" --no-config --chart chart-deep.tgz --format compact v0-values.yaml
run "the same + 15 x 8 MiB strings: lint" "$bin" --no-config --chart chart-deep.tgz --format compact "${strings[@]}" v0-values.yaml
# Two releases that each render a ~200 MB manifest (a loop over a replica count), in one folder
# on two workers: each alone peaks near 1.5 GiB; they take turns past 16 MiB of output
# (src/large_render.rs), where side by side they once took 2.7 GiB. About two minutes.
mkdir -p two
printf 'zookeeper:\n  replicaCount: "2000000"\n' > two/a-values.yaml
cp two/a-values.yaml two/b-values.yaml
run "two 200 MB renders in one folder: lint" "$bin" --no-config --chart-version stackstate@5.1.15 --format compact two/
