# Sourced by action.yml: turns the action's inputs (passed as environment variables, never
# interpolated into the script) into the arrays `args` and `paths`. Inputs are split on white
# space and new lines, without glob expansion.
set -euo pipefail
read -r -d '' -a paths <<<"${INPUT_PATHS:-.}" || true
read -r -d '' -a extra <<<"${INPUT_ARGS:-}" || true
args=()
if [[ -n "${INPUT_CHART_VERSION:-}" ]]; then
  args+=(--chart-version "$INPUT_CHART_VERSION")
fi
if [[ -n "${INPUT_CONFIG:-}" ]]; then
  args+=(--config "$INPUT_CONFIG")
fi
args+=("${extra[@]}")
if [[ ${#paths[@]} -eq 0 ]]; then
  paths=(.)
fi
