#!/usr/bin/env bash
# Helm's argument count for each function named on stdin (one a line), for
# src/template/funcs/arity.rs: renders `{{ NAME (fail "E") … }}` with 0 to 5 operands and prints
# `NAME COUNT ANSWER`, ANSWER being Go's `want [at least] N got M` for a count that does not fit
# and `E` (the first operand ran) or Helm's other error for one that does.
#   usage: arity_probe.sh HELM_BIN < names.txt    (HELM_BIN: e.g. ~/.cache/helm-bin/helm4)
set -eu
helm=$1
d=$(mktemp -d)
trap 'rm -rf "$d"' EXIT
mkdir -p "$d/templates"
printf 'apiVersion: v2\nname: x\nversion: 0.1.0\n' >"$d/Chart.yaml"
while IFS= read -r name; do
  ops=""
  for n in 0 1 2 3 4 5; do
    printf '{{ %s%s }}\n' "$name" "$ops" >"$d/templates/t.yaml"
    out=$("$helm" template x "$d" 2>&1 | tr '\n' ' ' || true)
    if [[ $out =~ wrong\ number\ of\ args\ for\ [^:]*:\ (want\ [^g]*got\ [0-9]+) ]]; then
      answer=${BASH_REMATCH[1]}
    elif [[ $out == *"): E "* ]]; then
      answer=E
    else
      answer="other: ${out:0:120}"
    fi
    printf '%s %s %s\n' "$name" "$n" "$answer"
    ops="$ops (fail \"E\")"
  done
done
