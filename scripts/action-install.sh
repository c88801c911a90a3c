#!/usr/bin/env bash
# Installs stackstate-lint for action.yml, in two steps around the action's cache step:
#
#   action-install.sh plan      writes to $GITHUB_OUTPUT: version (Cargo.toml's), target (the
#                               release archive for this runner), repo (owner/name of the action),
#                               released (true when the action is used at the release tag
#                               v<version> or at its commit), dir (where the binary goes) and bin
#                               (its path).
#   action-install.sh install   puts the binary in dir: a released ref downloads the release
#                               archive and checks it against its .sha256; any other ref (a
#                               branch, a commit after the release, `uses: ./`) builds this
#                               checkout with `cargo install --locked`.
#
# Reads only the runner's variables (GITHUB_ACTION_PATH, GITHUB_SERVER_URL, GITHUB_API_URL,
# RUNNER_OS, RUNNER_ARCH, RUNNER_TOOL_CACHE, RUNNER_TEMP, GH_TOKEN) and the plan's outputs, passed
# back as PLAN_* variables, never interpolated into a script. STACKSTATE_LINT_RELEASES (a download base URL) and
# STACKSTATE_LINT_TARGET replace the release location and the target: scripts/check-integrations.sh
# runs `install` on the archive `dist build` made here.
set -euo pipefail

name=stackstate-lint
root=${GITHUB_ACTION_PATH:?}
# Windows runners give the path with backslashes.
root=${root//\\//}

fail() {
  echo "::error::stackstate-lint install: $*" >&2
  exit 1
}

version() {
  sed -n 's/^version = "\(.*\)"$/\1/p' "$root/Cargo.toml" | head -n 1
}

# The release archive built for this runner (dist's targets, dist-workspace.toml); empty when
# there is none, and the action builds from source.
target() {
  if [[ -n "${STACKSTATE_LINT_TARGET:-}" ]]; then
    echo "$STACKSTATE_LINT_TARGET"
    return
  fi
  case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) echo x86_64-unknown-linux-musl ;;
  Linux/ARM64) echo aarch64-unknown-linux-musl ;;
  macOS/X64) echo x86_64-apple-darwin ;;
  macOS/ARM64) echo aarch64-apple-darwin ;;
  # Windows on Arm runs the x64 build.
  Windows/X64 | Windows/ARM64) echo x86_64-pc-windows-msvc ;;
  *) echo "" ;;
  esac
}

# The action's repository and ref, "owner/name ref", from the folder the runner downloaded it to
# (.../_actions/<owner>/<name>/<ref>): GITHUB_ACTION_REPOSITORY and GITHUB_ACTION_REF are empty
# in a composite action's steps (actions/runner#2525). Empty for `uses: ./`.
action_ref() {
  local rest
  [[ "$root" == */_actions/*/*/* ]] || return 0
  rest=${root##*/_actions/}
  echo "$(cut -d/ -f1-2 <<<"$rest") $(cut -d/ -f3- <<<"$rest")"
}

# Whether the action runs at the release tag v<version>: named by the tag itself, or pinned to
# the tag's commit (asked of the GitHub API; any failure there means "no", and a build).
released() {
  local tag=$1 repo=$2 ref=$3 sha
  if [[ -z "$repo" ]]; then
    echo false
  elif [[ "$ref" == "$tag" ]]; then
    echo true
  elif [[ "$ref" =~ ^[0-9a-f]{40}$ ]]; then
    sha=$(curl --silent --fail --location --max-time 30 \
      ${GH_TOKEN:+--header "Authorization: Bearer $GH_TOKEN"} \
      --header "Accept: application/vnd.github.sha" \
      "${GITHUB_API_URL:-https://api.github.com}/repos/$repo/commits/$tag" || true)
    [[ "$sha" == "$ref" ]] && echo true || echo false
  else
    echo false
  fi
}

plan() {
  local version target repo ref is_released dir exe=""
  version=$(version)
  [[ -n "$version" ]] || fail "no version in $root/Cargo.toml"
  target=$(target)
  read -r repo ref <<<"$(action_ref)" || true
  is_released=false
  [[ -z "$target" ]] || is_released=$(released "v$version" "$repo" "$ref")
  [[ "$target" != *windows* ]] || exe=.exe
  if [[ "$is_released" == true ]]; then
    dir="${RUNNER_TOOL_CACHE:?}/$name/$version/$target"
  else
    dir="${RUNNER_TEMP:?}/$name/bin"
  fi
  {
    echo "version=$version"
    echo "target=$target"
    echo "repo=$repo"
    echo "released=$is_released"
    echo "dir=$dir"
    echo "bin=$dir/$name$exe"
  } >>"${GITHUB_OUTPUT:?}"
  echo "stackstate-lint $version for ${target:-this runner (no release archive)}, action" \
    "${repo:-./}${ref:+@$ref}: $([[ "$is_released" == true ]] && echo "release archive" ||
      echo "built from source")"
}

sha256() {
  if command -v sha256sum >/dev/null; then
    sha256sum "$1" | cut -d' ' -f1
  else
    shasum -a 256 "$1" | cut -d' ' -f1
  fi
}

download() {
  local version=$1 target=$2 repo=$3 dir=$4 archive url tmp want got
  archive="$name-$target.tar.xz"
  [[ "$target" != *windows* ]] || archive="$name-$target.zip"
  url="${STACKSTATE_LINT_RELEASES:-${GITHUB_SERVER_URL:-https://github.com}/$repo/releases/download/v$version}"
  tmp=$(mktemp -d)
  echo "downloading $url/$archive"
  curl --silent --show-error --fail --location --retry 3 --max-time 300 \
    --output "$tmp/$archive" "$url/$archive" || fail "cannot download $url/$archive"
  curl --silent --show-error --fail --location --retry 3 --max-time 60 \
    --output "$tmp/$archive.sha256" "$url/$archive.sha256" ||
    fail "cannot download $url/$archive.sha256"
  want=$(cut -d' ' -f1 <"$tmp/$archive.sha256")
  got=$(sha256 "$tmp/$archive")
  [[ -n "$want" && "$want" == "$got" ]] ||
    fail "$archive: SHA256 $got does not match the release's $want"
  echo "SHA256 $got verified"
  mkdir -p "$dir"
  case "$archive" in
  *.zip) unzip -q -o "$tmp/$archive" -d "$dir" ;;
  # dist's tarballs hold a folder named after the archive.
  *) tar -xJf "$tmp/$archive" -C "$dir" --strip-components 1 ;;
  esac
  rm -rf "$tmp"
}

install() {
  local version=${PLAN_VERSION:?} target=${PLAN_TARGET:-} dir=${PLAN_DIR:?} bin=${PLAN_BIN:?}
  if [[ "${PLAN_RELEASED:-false}" == true ]]; then
    download "$version" "$target" "${PLAN_REPO:?}" "$dir"
  else
    command -v cargo >/dev/null || fail "this ref has no release archive and cargo is not on PATH"
    cargo install --locked --quiet --path "$root" --root "$(dirname "$dir")"
  fi
  [[ -x "$bin" ]] || fail "$bin was not installed"
  "$bin" --version
}

case "${1:-}" in
plan) plan ;;
install) install ;;
*) fail "usage: action-install.sh plan|install" ;;
esac
