#!/usr/bin/env bash
# Nightly evaluation of one date.
#   jobs/nightly-eval.sh --config FILE [--date YYYY-MM-DD] [--set key=value ...]
# Evaluates the configured datasets for the date (default: today; input paths may contain ${run_date}),
# publishes <output.path>/run_date=YYYY-MM-DD/ (a re-run replaces it atomically), and compares with the
# newest earlier date that finished (drift block of summary.json). Exit codes, for schedulers:
#   0 ok · 2 bad config or input schema · 3 reject fraction exceeded · 4 drift threshold exceeded · 1 anything else
# Runs through jobs/alignloss: with SPARK_HOME set it uses that spark-submit (ALIGNLOSS_SUBMIT_OPTS), else local mode.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

usage() { echo "usage: jobs/nightly-eval.sh --config FILE [--date YYYY-MM-DD] [--set key=value ...]" >&2; exit 2; }

config=""
date=""
rest=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --config) [[ $# -ge 2 ]] || usage; config="$2"; shift 2 ;;
    --date)   [[ $# -ge 2 ]] || usage; date="$2"; shift 2 ;;
    -h|--help) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) rest+=("$1"); shift ;;
  esac
done
[[ -n "$config" ]] || usage
if [[ -z "$date" ]]; then
  date=$(date +%F)
elif ! [[ "$date" =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}$ ]]; then
  echo "nightly-eval: invalid --date '$date' (expected YYYY-MM-DD)" >&2
  exit 2
fi
echo "nightly-eval: run date $date, config $config" >&2
exec "$root/jobs/alignloss" nightly --config "$config" --date "$date" "${rest[@]+"${rest[@]}"}"
