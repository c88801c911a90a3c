#!/usr/bin/env bash
# Checks the CI integrations with the real tools that consume them. Needs python3, git, cargo and
# PyPI (and crates.io for the pre-commit hook's build); it is not part of .ci/run.
#
#   scripts/check-integrations.sh [pre-commit|schemas|zizmor]...   (default: all three)
#
#   pre-commit  `pre-commit try-repo` of this repository's HEAD commit, on a throw-away repository:
#               a bad values file must fail the hook and show the finding, a good one pass, and a
#               YAML file that is not a values file must not reach the hook.
#   schemas     action.yml and .github/workflows/*.yml against GitHub's JSON schemas.
#   zizmor      the workflow, the action and the hooks file audited by zizmor: no finding.
#
# WORK=DIR keeps the virtualenv and the scratch repository there (default: a temporary folder).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
work=${WORK:-$(mktemp -d)}
venv="$work/venv"
checks=("$@")
[[ ${#checks[@]} -gt 0 ]] || checks=(pre-commit schemas zizmor)

say() { printf '\n== %s\n' "$*"; }
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}

if [[ ! -x "$venv/bin/zizmor" ]]; then
  say "virtualenv with pre-commit, check-jsonschema and zizmor in $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check pre-commit check-jsonschema zizmor
fi

pre_commit() {
  # try-repo clones the hook repository at a commit: the hooks file must be committed.
  local ref demo out code
  ref=$(git -C "$repo" rev-parse HEAD)
  git -C "$repo" cat-file -e "$ref:.pre-commit-hooks.yaml" ||
    fail ".pre-commit-hooks.yaml is not in HEAD ($ref): commit it first"
  say "pre-commit $("$venv/bin/pre-commit" --version | cut -d' ' -f2): try-repo $repo at $ref"
  demo="$work/demo"
  rm -rf "$demo"
  mkdir -p "$demo/deploy"
  git -C "$demo" init --quiet
  cat >"$demo/deploy/values.yaml" <<'EOF'
stackstate:
  components:
    all:
      image:
        tag: 4.10
EOF
  cp "$demo/deploy/values.yaml" "$demo/deploy/notes.yaml"
  git -C "$demo" add .
  # NOTE: PRE_COMMIT_HOME keeps the hook's cargo build out of ~/.cache; GITHUB_ACTIONS is unset
  # so the output is the human format whatever runs this script.
  set +e
  out=$(cd "$demo" && env -u GITHUB_ACTIONS PRE_COMMIT_HOME="$work/pre-commit-home" \
    "$venv/bin/pre-commit" try-repo "$repo" stackstate-lint --ref "$ref" --verbose \
    --files deploy/values.yaml deploy/notes.yaml 2>&1)
  code=$?
  set -e
  printf '%s\n' "$out"
  [[ $code -ne 0 ]] || fail "the hook passed on an unquoted tag"
  grep -q 'SL104' <<<"$out" || fail "the hook output does not show SL104"
  ! grep -q 'notes.yaml' <<<"$out" || fail "notes.yaml (not a values file) reached the hook"

  say "the fixed file passes"
  sed -i 's/tag: 4.10/tag: "4.10"/' "$demo/deploy/values.yaml"
  (cd "$demo" && env -u GITHUB_ACTIONS PRE_COMMIT_HOME="$work/pre-commit-home" \
    "$venv/bin/pre-commit" try-repo "$repo" stackstate-lint --ref "$ref" \
    --files deploy/values.yaml) || fail "the hook failed on a quoted tag"
}

schemas() {
  say "check-jsonschema $("$venv/bin/check-jsonschema" --version | awk '{print $NF}')"
  (
    cd "$repo"
    set -x
    "$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
    "$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
  )
}

zizmor() {
  say "$("$venv/bin/zizmor" --version)"
  (
    cd "$repo"
    set -x
    "$venv/bin/zizmor" --persona auditor --collect=all .github/workflows action.yml \
      .pre-commit-hooks.yaml
  )
}

for check in "${checks[@]}"; do
  case "$check" in
  pre-commit) pre_commit ;;
  schemas) schemas ;;
  zizmor) zizmor ;;
  *) fail "unknown check $check (pre-commit, schemas, zizmor)" ;;
  esac
done
say "all passed: ${checks[*]}"
