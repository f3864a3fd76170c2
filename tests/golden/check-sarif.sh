#!/bin/sh
# check-sarif.sh REPO - validate every golden SARIF expectation against the
# SARIF 2.1.0 schema (tools/validate-sarif). Exit 77 (ctest: skipped) when
# there is none, or when node/npm are missing.
set -u
repo=$1
files=$(find "$repo/corpus/golden-cases" -name '*.expected.sarif' 2>/dev/null | sort)
if [ -z "$files" ]; then
    echo "no *.expected.sarif under corpus/golden-cases: skipped"
    exit 77
fi
command -v node >/dev/null 2>&1 || { echo "node not installed: skipped"; exit 77; }
# shellcheck disable=SC2086 # paths come from the repository, without spaces
exec "$repo/tools/validate-sarif" $files
