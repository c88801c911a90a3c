#!/usr/bin/env bash
# Renders charts with the real `helm template` and with `stackstate-lint render`, and says for
# each whether they agree: stdout line by line (lines that differ between two Helm runs, such as
# generated passwords and certificates, are not compared), or both failing with the same stderr.
# For finding where the engine differs from Helm on charts it was never tested on (run by hand;
# CI does not run it).
#
#   scripts/compare-with-helm.sh [--helm PATH] [--bin PATH] [--helm4] [--values-dir DIR] CHART_DIR...
#
# --helm4 compares with Helm 4 (`--helm-version 4` for ours; --helm defaults to helm4 then).
# --values-dir DIR adds `-f DIR/NAME.yaml` where one exists for a chart folder named NAME.
# A chart's dependencies must be in its charts/ folder, as `helm dependency build` leaves them.
# Prints one line per chart (OK, DIFF, FAIL: only one failed, BOTHFAIL same|diffmsg) and a
# count; the exit code is 1 when any chart disagrees. Keeps each run's outputs in a temporary
# folder it names.
set -euo pipefail
cd "$(dirname "$0")/.."

helm_bin=""
bin=""
v4=0
values_dir=""
while [ $# -gt 0 ]; do
  case "$1" in
    --helm) helm_bin="$2"; shift 2 ;;
    --bin) bin="$2"; shift 2 ;;
    --helm4) v4=1; shift ;;
    --values-dir) values_dir="$2"; shift 2 ;;
    --) shift; break ;;
    -*) echo "unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { sed -n '2,16p' "$0" >&2; exit 2; }
if [ -z "$helm_bin" ]; then
  if [ "$v4" = 1 ]; then helm_bin="$HOME/.cache/helm-bin/helm4"; else helm_bin="$HOME/.cache/helm-bin/helm3"; fi
fi
[ -x "$helm_bin" ] || { echo "no helm at $helm_bin (run ../shared/tools/get-helm.sh)" >&2; exit 2; }
if [ -z "$bin" ]; then
  cargo build --release --quiet
  bin="${CARGO_TARGET_DIR:-target}/release/stackstate-lint"
fi
ours=()
[ "$v4" = 1 ] && ours=(--helm-version 4)
work="$(mktemp -d)"
echo "outputs in $work" >&2

agree=0
total=0
for chart in "$@"; do
  name="$(basename "$chart")"
  out="$work/$name"
  mkdir -p "$out"
  extra=()
  if [ -n "$values_dir" ] && [ -f "$values_dir/$name.yaml" ]; then
    extra=(-f "$values_dir/$name.yaml")
  fi
  set +e
  timeout 300 "$helm_bin" template x "$chart" "${extra[@]}" >"$out/helm" 2>"$out/helm.err"
  echo $? >"$out/helm.code"
  timeout 300 "$helm_bin" template x "$chart" "${extra[@]}" >"$out/helm2" 2>/dev/null
  timeout 300 "$bin" render x --chart "$chart" "${extra[@]}" "${ours[@]}" >"$out/ours" 2>"$out/ours.err"
  echo $? >"$out/ours.code"
  set -e
  verdict="$(python3 - "$out" <<'PY'
import sys
o = sys.argv[1]
read = lambda f: open(f"{o}/{f}", errors="replace").read()
hc, oc = int(read("helm.code")), int(read("ours.code"))
if hc or oc:
    if hc and oc:
        same = read("helm.err").strip() == read("ours.err").strip()
        print("BOTHFAIL same" if same else "BOTHFAIL diffmsg")
    else:
        print(f"FAIL helm exit {hc}, ours exit {oc}")
    sys.exit()
h1, h2, ol = read("helm").splitlines(), read("helm2").splitlines(), read("ours").splitlines()
if len(h1) != len(ol):
    print(f"DIFF {len(h1)} lines against {len(ol)}")
    sys.exit()
bad = [i for i, (a, b) in enumerate(zip(h1, ol)) if a != b and (i >= len(h2) or h1[i] == h2[i])]
print(f"DIFF {len(bad)} lines, first at line {bad[0] + 1}" if bad else "OK")
PY
)"
  total=$((total + 1))
  case "$verdict" in OK|"BOTHFAIL same") agree=$((agree + 1)) ;; esac
  echo "$name: $verdict"
done
echo "$agree of $total agree"
[ "$agree" = "$total" ]
