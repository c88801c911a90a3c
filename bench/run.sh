#!/usr/bin/env bash
# Whole-process timings of stackstate-lint, release build (run by hand; CI does not run it).
#
#   bench/run.sh [--chart PATH] [--files N]
#
# 1. one typical values file end to end (examples/air-gapped/values.yaml);
# 2. a folder of N (1,000) generated values files: `images` once per file, sequentially and
#    with `xargs -P2`, and the whole folder in one process (and two, with `xargs -P2`);
# 3. peak memory (maximum resident set) of 1 and of the folder in one process;
# 4. with --chart PATH and `helm` on PATH: `helm template` on the same typical file, and the
#    ratio. Without --chart only the built-in defaults are timed.
#
# Uses hyperfine when it is installed, else a bash loop over `date +%s%N`; /usr/bin/time -v for
# memory. Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

chart=""
files=1000
while [ $# -gt 0 ]; do
  case "$1" in
    --chart) chart="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    *) echo "usage: $0 [--chart PATH] [--files N]" >&2; exit 2 ;;
  esac
done

target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet
bin="$target/release/stackstate-lint"
typical="examples/air-gapped/values.yaml"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "machine: $(nproc) cores, $(uname -m), $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //')"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "binary:  $bin ($("$bin" --version))"
echo

# Typical files that differ: registries, tags, components switched on and off.
mkdir -p "$work/values"
for i in $(seq 1 "$files"); do
  cat >"$work/values/values-$i.yaml" <<EOF
# generated values file $i
global:
  imageRegistry: registry-$((i % 7)).example.com
stackstate:
  components:
    all:
      image:
        tag: "4.5.$((i % 10))"
    server:
      split: $([ $((i % 2)) = 0 ] && echo true || echo false)
elasticsearch:
  prometheus-elasticsearch-exporter:
    image:
      repository: registry-$((i % 7)).example.com/stackstate/elasticsearch-exporter
backup:
  enabled: $([ $((i % 3)) = 0 ] && echo true || echo false)
anomaly-detection:
  enabled: $([ $((i % 5)) = 0 ] && echo false || echo true)
  image:
    tag: "4.5.1"
EOF
done
ls "$work"/values/*.yaml >"$work/list"
cat >"$work/sequential.sh" <<EOF
while read -r f; do "$bin" images "\$f" --format plain >/dev/null 2>&1; done <"$work/list"
EOF
cat >"$work/parallel.sh" <<EOF
xargs -P2 -n1 "$bin" images --format plain <"$work/list" >/dev/null 2>&1
EOF
cat >"$work/one-process.sh" <<EOF
xargs "$bin" images --format plain <"$work/list" >/dev/null 2>&1
EOF
cat >"$work/two-processes.sh" <<EOF
xargs -P2 -n$(((files + 1) / 2)) "$bin" images --format plain <"$work/list" >/dev/null 2>&1
EOF
# Every generated file must be valid: a run that fails fast would time nothing.
xargs "$bin" images --format plain <"$work/list" >/dev/null 2>"$work/check.err" || {
  echo "generated values do not resolve:" >&2
  cat "$work/check.err" >&2
  exit 1
}

# mean seconds of a command (word-split, no shell), hyperfine if present
mean() {
  local runs="$1"
  shift
  if command -v hyperfine >/dev/null; then
    hyperfine -N --warmup 3 --runs "$runs" --export-csv "$work/h.csv" "$*" >/dev/null 2>&1
    awk -F, 'NR == 2 { printf "%.6f", $2 }' "$work/h.csv"
  else
    "$@" >/dev/null 2>&1 || true
    local start end
    start=$(date +%s%N)
    for _ in $(seq 1 "$runs"); do "$@" >/dev/null 2>&1 || true; done
    end=$(date +%s%N)
    awk -v ns=$((end - start)) -v n="$runs" 'BEGIN { printf "%.6f", ns / n / 1e9 }'
  fi
}

ms() { awk -v s="$1" 'BEGIN { printf "%.2f ms", s * 1000 }'; }
secs() { awk -v s="$1" 'BEGIN { printf "%.3f s", s }'; }
peak_mib() {
  /usr/bin/time -v "$@" 2>&1 >/dev/null | awk -F: '/Maximum resident/ { printf "%.1f MiB", $2 / 1024 }'
}

one=$(mean 200 "$bin" images "$typical" --format plain)
startup=$(mean 200 "$bin" --version)
echo "typical file, end to end:           $(ms "$one")   (process start alone, --version: $(ms "$startup"))"
seq_s=$(mean 3 bash "$work/sequential.sh")
echo "$files files, one process each:     $(secs "$seq_s")   ($(ms "$(awk -v s="$seq_s" -v n="$files" 'BEGIN { print s / n }')") per file)"
par_s=$(mean 3 bash "$work/parallel.sh")
echo "$files files, one process each, -P2: $(secs "$par_s")"
one_s=$(mean 5 bash "$work/one-process.sh")
echo "$files files, one process:          $(secs "$one_s")"
two_s=$(mean 5 bash "$work/two-processes.sh")
echo "$files files, two processes (-P2):  $(secs "$two_s")"
if [ -x /usr/bin/time ]; then
  echo "peak memory, typical file:          $(peak_mib "$bin" images "$typical" --format plain)"
  echo "peak memory, $files files, one process: $(peak_mib bash "$work/one-process.sh")"
else
  echo "peak memory: /usr/bin/time not found (Debian package: time)"
fi

if [ -n "$chart" ] && command -v helm >/dev/null; then
  ours=$(mean 50 "$bin" images "$typical" --chart "$chart" --format plain)
  helm_s=$(mean 10 helm template bench "$chart" -f "$typical")
  echo
  echo "with --chart $chart:"
  echo "stackstate-lint images:             $(ms "$ours")"
  echo "helm template:                      $(ms "$helm_s")   ($(peak_mib helm template bench "$chart" -f "$typical"))"
  echo "ratio helm / stackstate-lint:       $(awk -v h="$helm_s" -v o="$ours" 'BEGIN { printf "%.0fx", h / o }')"
elif [ -n "$chart" ]; then
  echo "helm not on PATH: no comparison"
fi
