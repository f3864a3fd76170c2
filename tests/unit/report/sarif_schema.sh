#!/bin/sh
# sarif_schema.sh SAMPLE REPO - validate the writer's sample SARIF log
# against the SARIF 2.1.0 schema. Exit 77 (skipped) without node.
set -u
command -v node >/dev/null 2>&1 || { echo "node not installed: skipped"; exit 77; }
out=$(mktemp "${TMPDIR:-/tmp}/sample.XXXXXX.sarif") || exit 2
trap 'rm -f "$out"' EXIT
"$1" >"$out" || { echo "sarif_sample failed" >&2; exit 1; }
"$2/tools/validate-sarif" "$out"
