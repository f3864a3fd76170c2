#!/bin/sh
# corpus.analyze: every rule over the whole AWS managed policy corpus
# (tools/fetch-managed-policies). Findings are expected (exit 1); what fails
# the test is an input error (exit 2), a crash, or a sanitizer report.
# Skipped (77) when the corpus has not been fetched.
set -u
iampc=$1 dir=$2
[ -n "$(ls "$dir" 2>/dev/null)" ] || { echo "corpus.analyze: no corpus in $dir (run tools/fetch-managed-policies)"; exit 77; }
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
for fmt in text json sarif; do
    "$iampc" analyze --no-config --type identity --format "$fmt" "$dir" >"$out" 2>"$err"
    rc=$?
    if [ "$rc" -gt 1 ] || grep -q 'Sanitizer\|runtime error' "$err"; then
        echo "corpus.analyze: $fmt: exit $rc"; cat "$err"; exit 1
    fi
done
tail -n 1 "$out" >/dev/null
"$iampc" analyze --no-config --type identity "$dir" | tail -n 1
exit 0
