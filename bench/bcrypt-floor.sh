#!/usr/bin/env bash
# The floor under `render` of suse-observability 2.x: its templates hash the admin passwords with
# Sprig's `bcrypt` (cost 10, by design about 50 ms a hash in any language), and a render must
# give real hashes. This times a chart that does only that — N `bcrypt` calls (2 by default, as
# the render suite's minimal case of suse-observability 2.10.3 makes) — with `helm template` and
# with `stackstate-lint render`, side by side (run by hand; CI does not run it):
#
#   bench/bcrypt-floor.sh [--runs N] [--hashes N] [--helm PATH]
#
# The ratio of `helm template` of the whole chart to this floor is the most any correct renderer
# can reach for that chart. `images` and lint are not bound by it: they never show the hash,
# so they compute a stand-in of the same shape.
set -euo pipefail
cd "$(dirname "$0")/.."

runs=5
hashes=2
helm="${HOME}/.cache/helm-bin/helm3"
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) runs="$2"; shift 2 ;;
    --hashes) hashes="$2"; shift 2 ;;
    --helm) helm="$2"; shift 2 ;;
    *) echo "usage: $0 [--runs N] [--hashes N] [--helm PATH]" >&2; exit 2 ;;
  esac
done
[ -x "$helm" ] || { echo "no helm at $helm (run ../shared/tools/get-helm.sh)" >&2; exit 2; }
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --quiet
bin="$target/release/stackstate-lint"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

chart="$work/bcrypt"
mkdir -p "$chart/templates"
printf 'apiVersion: v2\nname: bcrypt\nversion: 0.1.0\n' >"$chart/Chart.yaml"
{
  printf 'apiVersion: v1\nkind: Secret\nmetadata:\n  name: hashes\nstringData:\n'
  for i in $(seq 1 "$hashes"); do
    printf '  h%d: {{ "password-%d" | bcrypt | quote }}\n' "$i" "$i"
  done
} >"$chart/templates/secret.yaml"

# CPU seconds (user+sys) per run, over $runs runs timed together.
cpu() {
  /usr/bin/time -f "%U %S" -o "$work/t" bash -c "for _ in \$(seq 1 $runs); do $(printf '%q ' "$@") >/dev/null; done"
  awk -v n="$runs" '{ printf "%.1f", ($1 + $2) * 1000 / n }' "$work/t"
}

echo "machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $(date -u '+%Y-%m-%d %H:%M UTC')"
echo "$hashes bcrypt hashes (cost 10), CPU per run, mean of $runs:"
echo "  helm template:          $(cpu "$helm" template x "$chart") ms"
echo "  stackstate-lint render: $(cpu "$bin" render --chart "$chart") ms"
echo "  (helm's includes its start, about 50 ms; ours about 1 ms)"
