#!/usr/bin/env bash
# `stackstate-lint render` side by side with the real `helm template`, in one run, on the real charts
# of ../shared (run by hand; CI does not run it).
#
#   bench/render.sh [--runs N] [--helm PATH] [CHART-ARCHIVE…]
#
# For each chart (default: stackstate 4.4.0 and suse-observability 2.10.3 from ../shared/charts-src)
# it renders the render suite's minimal values case with both tools, alternating, N times each (5),
# and prints the mean wall time, CPU time and peak memory of each and the ratio helm / ours, for
# the archive and for the same chart built in (`--chart-version NAME@VERSION`). Before
# timing, both outputs are compared (same documents of the same kinds in the same order; the full
# comparison is tests/render_suite.rs), so a fast wrong answer is never timed.
# Helm comes from ../shared/tools/get-helm.sh (~/.cache/helm-bin/helm3 by default). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
helm="${HOME}/.cache/helm-bin/helm3"
charts=()
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --helm) helm="$2"; shift 2 ;;
    -*) echo "usage: $0 [--runs N] [--helm PATH] [CHART-ARCHIVE…]" >&2; exit 2 ;;
    *) charts+=("$1"); shift ;;
  esac
done
shared="$(cd ../shared && pwd)"
if [ ${#charts[@]} -eq 0 ]; then
  charts=("$shared/charts-src/stackstate-4.4.0.tgz" "$shared/charts-src/suse-observability-2.10.3.tgz")
fi
[ -x "$helm" ] || { echo "no helm at $helm (run ../shared/tools/get-helm.sh)" >&2; exit 2; }

target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet
bin="$target/release/stackstate-lint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "helm:    $("$helm" version --short)"
echo

# args for one chart: the render suite's minimal case of the chart's family
case_args() {
  local name
  name=$(basename "$1" .tgz)
  local dir="$shared/render/expected/$name/01-minimal"
  if [ -f "$dir/cmd" ]; then
    # cmd: RELEASE CHART ARGS… with paths relative to the folder that holds shared/
    (cd "$shared/.." && eval "set -- $(cat "$dir/cmd")" && shift 2 &&
      for a in "$@"; do case "$a" in shared/*) printf '%s\n' "$PWD/$a" ;; *) printf '%s\n' "$a" ;; esac; done)
  fi
}

# wall seconds, user+sys seconds and peak KiB of one run: "wall cpu kib"
measure() {
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || {
    echo "failed: $*" >&2; cat "$work/err" >&2; exit 1
  }
  awk '{ printf "%s %.3f %s", $1, $2 + $3, $4 }' "$work/t"
}

printf '%-28s %12s %12s %10s   %12s %12s   %12s %12s %10s   %s\n' chart "ours wall" "ours cpu" "ours RSS" "built-in wall" "built-in cpu" "helm wall" "helm cpu" "helm RSS" "ratio tgz (wall / cpu); built-in"
for chart in "${charts[@]}"; do
  mapfile -t args < <(case_args "$chart")
  "$bin" render stackstate "$chart" "${args[@]}" >"$work/ours.yaml"
  "$helm" template stackstate "$chart" "${args[@]}" >"$work/helm.yaml"
  if ! python3 - "$work/ours.yaml" "$work/helm.yaml" <<'PY'
import sys, yaml
def docs(p):
    return [d for d in yaml.safe_load_all(open(p)) if d is not None]
a, b = docs(sys.argv[1]), docs(sys.argv[2])
# names built from the clock or random letters differ between any two renders, so kinds only
sys.exit(0 if [d.get('kind') for d in a] == [d.get('kind') for d in b] else 1)
PY
  then
    echo "$(basename "$chart"): outputs differ; not timed" >&2
    continue
  fi
  # the same chart built in (`--chart-version NAME@VERSION`), when it is one
  name=$(basename "$chart" .tgz)
  builtin=(--chart-version "${name%-*}@${name##*-}")
  "$bin" render stackstate "${builtin[@]}" "${args[@]}" >/dev/null 2>&1 || builtin=()
  ow=0; oc=0; om=0; bw=0; bc=0; hw=0; hc=0; hm=0
  for _ in $(seq 1 "$runs"); do
    read -r w c m <<<"$(measure "$bin" render stackstate "$chart" "${args[@]}")"
    ow=$(awk -v a="$ow" -v b="$w" 'BEGIN { print a + b }'); oc=$(awk -v a="$oc" -v b="$c" 'BEGIN { print a + b }'); om=$m
    if [ ${#builtin[@]} -gt 0 ]; then
      read -r w c m <<<"$(measure "$bin" render stackstate "${builtin[@]}" "${args[@]}")"
      bw=$(awk -v a="$bw" -v b="$w" 'BEGIN { print a + b }'); bc=$(awk -v a="$bc" -v b="$c" 'BEGIN { print a + b }')
    fi
    read -r w c m <<<"$(measure "$helm" template stackstate "$chart" "${args[@]}")"
    hw=$(awk -v a="$hw" -v b="$w" 'BEGIN { print a + b }'); hc=$(awk -v a="$hc" -v b="$c" 'BEGIN { print a + b }'); hm=$m
  done
  awk -v n="$runs" -v ow="$ow" -v oc="$oc" -v om="$om" -v bw="$bw" -v bc="$bc" -v hw="$hw" -v hc="$hc" -v hm="$hm" -v name="$name" 'BEGIN {
    printf "%-28s %10.1f ms %10.1f ms %7.1f MiB   %10.1f ms %10.1f ms   %10.1f ms %10.1f ms %7.1f MiB   %.1fx / %.1fx; ",
      name, ow / n * 1000, oc / n * 1000, om / 1024, bw / n * 1000, bc / n * 1000, hw / n * 1000, hc / n * 1000, hm / 1024, hw / ow, hc / oc
    if (bw > 0) printf "%.1fx / %.1fx\n", hw / bw, hc / bc; else printf "-\n" }'
done
