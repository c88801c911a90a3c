#!/usr/bin/env bash
# Whole-process timings of stackstate-lint beside the real `helm template`, in one run (run by
# hand; CI does not run it). The benchmark of issue 10:
#
#   bench/run.sh [--runs N] [--files N] [--helm PATH] [--bin PATH] [--profile P] [--no-folder]
#
# 1. One values file, end to end, for stackstate 4.4.0 and suse-observability 2.10.3 (the render
#    suite's minimal case of each, ../shared/render): `helm template` on the chart's .tgz, then
#    `images` and lint (`stackstate-lint FILE`) with the built-in chart (`--chart-version
#    NAME@VERSION`) and with the .tgz (`--chart`, always rendered; an archive that is a built-in
#    version's, byte for byte, is read from the pack, so the same chart packed again is timed
#    too). Mean wall and CPU time of N runs (5), peak memory, and the ratio helm / ours (CPU,
#    then wall).
# 2. A folder of N (1,000) generated values files per chart (the minimal case with registries,
#    tags and switches varied): `images` and lint over the folder in one process (which renders
#    a folder on every core, one thread each: STACKSTATE_LINT_JOBS), and for comparison in
#    processes of 50 files two at a time (`xargs -P2`, what both cores took before threads);
#    wall time and peak memory.
#
# --profile: the Cargo profile built and timed: `dist` (default), what the release archives and
# the container image ship (fat LTO, one codegen unit: some 5 % less CPU than `release`, for a
# few more minutes of build), or `release`, what `cargo install` and the README's first command
# build. --bin times another build (an older commit's, for a before/after) instead of this tree's.
# Helm comes from ../shared/tools/get-helm.sh (~/.cache/helm-bin/helm3). Installs nothing.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
files=1000
folder=1
bin=""
profile=dist
helm="${HOME}/.cache/helm-bin/helm3"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --files) files="$2"; shift 2 ;;
    --helm) helm="$2"; shift 2 ;;
    --bin) bin="$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --no-folder) folder=0; shift ;;
    *) echo "usage: $0 [--runs N] [--files N] [--helm PATH] [--bin PATH] [--profile P] [--no-folder]" >&2; exit 2 ;;
  esac
done
shared="$(cd ../shared && pwd)"
[ -x "$helm" ] || { echo "no helm at $helm (run ../shared/tools/get-helm.sh)" >&2; exit 2; }

if [ -z "$bin" ]; then
  target="${CARGO_TARGET_DIR:-target}"
  cargo build --profile "$profile" --quiet
  bin="$(cd "$target/$profile" && pwd)/stackstate-lint"
else
  profile=""
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# perf stat, when this machine lets us count a process's own CPU time.
use_perf=0
if command -v perf >/dev/null && perf stat -e task-clock -o /dev/null true >/dev/null 2>&1; then
  use_perf=1
fi
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2 | sed 's/^ //'), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "date:    $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "helm:    $("$helm" version --short)"
echo "binary:  $bin ($("$bin" --version)$([ -n "$profile" ] && echo ", profile $profile"))"
echo "timing:  $([ "$use_perf" = 1 ] && echo "perf stat -r $runs (task-clock)" || echo "/usr/bin/time over $runs runs")"
echo

# The render suite's minimal case of a chart: the values file and the other arguments, one a line.
case_args() {
  local dir="$shared/render/expected/$1/01-minimal"
  (cd "$shared/.." && eval "set -- $(cat "$dir/cmd")" && shift 2 &&
    for a in "$@"; do case "$a" in shared/*) printf '%s\n' "$PWD/$a" ;; *) printf '%s\n' "$a" ;; esac; done)
}

# "wall cpu kib" of one run; lint's exit code says what it found, so only a crash or a message
# on stderr that starts with `error:` counts as a failure.
measure() {
  local rc=0
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" "$@" >/dev/null 2>"$work/err" || rc=$?
  if [ "$rc" -gt 2 ] || grep -q '^error:' "$work/err"; then
    echo "failed ($rc): $*" >&2
    head -5 "$work/err" >&2
    exit 1
  fi
  tail -1 "$work/t" | awk '{ printf "%s %.4f %s", $1, $2 + $3, $4 }'
}

# "wall cpu kib" per run over $runs runs in a row; peak memory of one run. With perf, its
# `perf stat -r` counts each run's CPU (task-clock, every thread) to the microsecond; without,
# the runs are timed together by /usr/bin/time, whose clock counts in 10 ms steps and which adds
# the loop's shell. A first run checks the command and gives the peak memory.
mean_of() {
  local kib
  kib=$(measure "$@" | awk '{ print $3 }')
  if [ "$use_perf" = 1 ]; then
    perf stat -r "$runs" -e task-clock -o "$work/p" "$@" >/dev/null 2>&1 || true
    awk -v kib="$kib" '
      /task-clock/ { gsub(",", "", $1); cpu = $1 / 1000 }
      /seconds time elapsed/ { wall = $1 }
      END { printf "%.6f %.6f %d", wall, cpu, kib }' "$work/p"
    return
  fi
  local q
  q=$(printf '%q ' "$@")
  /usr/bin/time -f "%e %U %S %M" -o "$work/t" bash -c "for _ in \$(seq 1 $runs); do $q >/dev/null 2>&1; done"
  tail -1 "$work/t" | awk -v n="$runs" -v kib="$kib" '{ printf "%.6f %.6f %d", $1 / n, ($2 + $3) / n, kib }'
}

row() {
  # name, ours "wall cpu kib", helm "wall cpu kib"
  local name="$1" ow oc om hw hc hm
  read -r ow oc om <<<"$2"
  read -r hw hc hm <<<"$3"
  awk -v name="$name" -v ow="$ow" -v oc="$oc" -v om="$om" -v hw="$hw" -v hc="$hc" 'BEGIN {
    printf "  %-44s %8.1f ms %8.1f ms %7.1f MiB   %6.1fx %6.1fx\n", name, ow * 1000, oc * 1000, om / 1024, hc / oc, hw / ow }'
}

echo "One values file, end to end (mean of $runs runs):"
printf '  %-44s %11s %11s %11s   %7s %7s\n' "" "wall" "CPU" "peak RSS" "CPU x" "wall x"
for chart in stackstate-4.4.0 suse-observability-2.10.3; do
  tgz="$shared/charts-src/$chart.tgz"
  builtin="${chart%-*}@${chart##*-}"
  mapfile -t args < <(case_args "$chart")
  # args: -f FILE [--set …]; stackstate-lint takes the file as PATH and the rest as they are
  file="${args[1]}"
  rest=("${args[@]:2}")
  helm_t=$(mean_of "$helm" template stackstate "$tgz" "${args[@]}")
  echo " $chart ($(basename "$file"))"
  row "helm template (.tgz)" "$helm_t" "$helm_t"
  row "images --chart-version $builtin" "$(mean_of "$bin" images --chart-version "$builtin" "${rest[@]}" "$file")" "$helm_t"
  row "lint --chart-version $builtin" "$(mean_of "$bin" --chart-version "$builtin" "${rest[@]}" "$file")" "$helm_t"
  row "lint --chart .tgz" "$(mean_of "$bin" --chart "$tgz" "${rest[@]}" "$file")" "$helm_t"
  # The same chart packed again (other bytes): not a built-in archive, so the loader reads it.
  repack="$work/$chart-repacked"
  mkdir -p "$repack"
  tar xzf "$tgz" -C "$repack"
  # The chart folder by name, as `helm package` writes it: Helm drops the first part of every
  # entry's name, so an archive of `.` (`./stackstate/…`) is one Helm cannot load.
  (cd "$repack" && tar czf "$repack.tgz" -- *)
  row "lint --chart .tgz, repacked" "$(mean_of "$bin" --chart "$repack.tgz" "${rest[@]}" "$file")" "$helm_t"
done
echo "  (x: how many times faster than helm template, CPU then wall; every command renders the chart)"

[ "$folder" = 1 ] || exit 0
echo
echo "A folder of $files generated values files (one run each; wall time, peak memory, exit code):"
for chart in stackstate-4.4.0 suse-observability-2.10.3; do
  builtin="${chart%-*}@${chart##*-}"
  mapfile -t args < <(case_args "$chart")
  file="${args[1]}"
  rest=("${args[@]:2}")
  dir="$work/$chart"
  mkdir -p "$dir"
  for i in $(seq 1 "$files"); do
    # the minimal case, with a registry and a tag of its own (no two files alike) and the split
    # switch differing between files
    awk -v i="$i" '
      { print }
      $0 == "stackstate:" {
        printf "  components:\n    all:\n      image:\n        tag: \"4.5.%d\"\n", i
        printf "    server:\n      split: %s\n", (i % 2 == 0 ? "true" : "false")
      }
      END { printf "global:\n  imageRegistry: registry-%d.example.com\n", i }' "$file" >"$dir/values-$i.yaml"
  done
  ls "$dir"/*.yaml >"$work/list"
  cmds=(images lint)
  for cmd in "${cmds[@]}"; do
    sub=()
    [ "$cmd" = images ] && sub=(images)
    run=("$bin" "${sub[@]}" --chart-version "$builtin" "${rest[@]}")
    # the folder in one process
    rc=0
    /usr/bin/time -f "%e %M" -o "$work/t" "${run[@]}" "$dir" >"$work/out" 2>"$work/err" || rc=$?
    read -r w m < <(tail -1 "$work/t")
    failed=$(grep -c '^error:' "$work/err" || true)
    # both cores the other way: processes of 50 files, two at a time
    start=$(date +%s%N)
    xargs -P2 -n50 "${run[@]}" <"$work/list" >/dev/null 2>&1 || true
    end=$(date +%s%N)
    awk -v c="$chart" -v cmd="$cmd" -v w="$w" -v m="$m" -v rc="$rc" -v f="$failed" -v p=$((end - start)) 'BEGIN {
      printf "  %-26s %-14s one process %7.2f s, %6.1f MiB, exit %d%s   processes of 50, two at a time %7.2f s\n",
        c, cmd, w, m / 1024, rc, (f > 0 ? sprintf(" (%d files refused)", f) : ""), p / 1e9 }'
  done
done
