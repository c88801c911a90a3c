#!/usr/bin/env bash
# Renders StackState and SUSE Observability chart versions that are not built in, rebuilt from
# the history of StackVista/helm-charts, with Helm 3.17.3 and this tool, and compares them
# (compare.py: manifests and stderr; images.py: images and lint). By hand, not in CI: it needs
# a clone of StackVista/helm-charts ($HELM_CHARTS_GIT), Helm (../shared/tools/get-helm.sh) and
# about an hour on 2 cores. Results under $WORK (default /tmp/history).
#
#   HELM_CHARTS_GIT=/path/to/helm-charts/.git scripts/history/run.sh [CHART VERSION FAMILY]...
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export WORK="${WORK:-/tmp/history}" CASES="${CASES:-$root/../shared/render/cases}"
export SL="${SL:-$root/target/release/stackstate-lint}"
: "${HELM_CHARTS_GIT:?set HELM_CHARTS_GIT to a clone of StackVista/helm-charts}"
mkdir -p "$WORK/pool" "$WORK/charts" "$WORK/out"
# The subcharts the old versions fetched from other repositories: the built-in charts' archives.
for t in "$root"/../shared/charts-src/*.tgz; do
  d="$WORK/pool/$(basename "$t" .tgz)"
  [ -d "$d" ] || { mkdir -p "$d" && tar -xzf "$t" -C "$d"; }
done
# The last commit of each version (pre-releases count as their version).
last_commit() {
  git --git-dir="$HELM_CHARTS_GIT" log --format=%H -- "stable/$1/Chart.yaml" | while read -r h; do
    v=$(git --git-dir="$HELM_CHARTS_GIT" show "$h:stable/$1/Chart.yaml" 2>/dev/null | sed -n 's/^version: *//p')
    [ "${v%%-pre*}" = "$2" ] || [ "$v" = "$2" ] && { echo "$h"; break; }
  done
}
if [ $# -eq 0 ]; then
  set -- suse-observability 2.0.3 b suse-observability 2.1.2 b suse-observability 2.2.2 b \
    suse-observability 2.3.8 b suse-observability 2.4.1 b suse-observability 2.5.2 b \
    suse-observability 2.6.4 b suse-observability 2.7.1 b suse-observability 2.8.2 c \
    suse-observability 2.10.1 c suse-observability 2.10.4 c stackstate-k8s 1.3.1 b \
    stackstate-k8s 1.6.2 b stackstate-k8s 1.9.3 b stackstate-k8s 1.11.4 b stackstate 4.2.1 a \
    stackstate 4.6.0-snapshot.34 a stackstate 5.0.0 a stackstate 5.2.0-snapshot.18 a
fi
while [ $# -ge 3 ]; do
  chart=$1 version=$2 family=$3; shift 3
  commit=$(last_commit "$chart" "$version")
  [ -n "$commit" ] || { echo "no $chart $version in the history"; continue; }
  dir="$WORK/charts/$chart-$version"
  python3 "$here/vendor.py" "$commit" "$chart" "$dir" > "$dir.vendor.log" 2>&1
  # Before 2.9 the anomaly-detection subchart came from a private repository (a stand-in here).
  extra="--set anomaly-detection.enabled=false"
  case "$chart-$version" in suse-observability-2.9*|suse-observability-2.1[0-9]*) extra="" ;; esac
  EXTRA="$extra" python3 "$here/compare.py" "$dir" "$family" > "$WORK/out/$chart-$version.render.txt" || true
  EXTRA="$extra" python3 "$here/images.py" "$dir" "$family" > "$WORK/out/$chart-$version.images.txt" || true
  tail -n1 "$WORK/out/$chart-$version.render.txt" "$WORK/out/$chart-$version.images.txt"
done
