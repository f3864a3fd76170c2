#!/bin/sh
# run-golden.sh IAMPC CASE.args - run one golden case (docs/output.md).
#
# Runs IAMPC with the arguments in CASE.args from the current directory
# (ctest uses the repository root, so paths in output stay relative), stdin
# from CASE.stdin or /dev/null, and compares:
#   stdout    with CASE.expected.{txt,json,sarif}  (extension from --format)
#   stderr    with CASE.expected.stderr            (only if that file exists)
#   exit code with CASE.exit
# IAMPC_UPDATE_GOLDEN=1 rewrites the expectations instead of comparing.
# The summary line's time is left out via IAMPC_NO_TIMING=1, colour via
# NO_COLOR=1 and --color=never is the default when not a TTY.
set -u
[ $# -eq 2 ] || { echo "usage: run-golden.sh IAMPC CASE.args" >&2; exit 2; }
bin=$1
args_file=$2
case "$args_file" in
*.args) base=${args_file%.args} ;;
*) echo "run-golden: $args_file: not a .args file" >&2; exit 2 ;;
esac
[ -f "$args_file" ] || { echo "run-golden: $args_file: no such file" >&2; exit 2; }

# Arguments: shell words with quotes; lines starting with # are comments.
# No globbing, no $ or ` (a case must mean the same on every machine).
words=$(sed -e 's/^[[:space:]]*#.*$//' "$args_file" | tr '\n' ' ')
case "$words" in
*'$'* | *'`'*) echo "run-golden: $args_file: \$ and \` are not allowed" >&2; exit 2 ;;
esac
set -f
eval "set -- $words"
set +f

fmt=txt
prev=""
for a in "$@"; do
    case "$prev" in -f|--format) fmt=$a ;; esac
    case "$a" in --format=*) fmt=${a#--format=} ;; esac
    prev=$a
done
case "$fmt" in text) fmt=txt ;; txt|json|sarif) ;; *) fmt=out ;; esac

tmp=$(mktemp -d "${TMPDIR:-/tmp}/golden.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
stdin=/dev/null
[ -f "$base.stdin" ] && stdin=$base.stdin
IAMPC_NO_TIMING=1 NO_COLOR=1 "$bin" "$@" <"$stdin" >"$tmp/out" 2>"$tmp/err"
rc=$?
# A crash or sanitizer report is never an expected outcome (ASan and UBSan
# exit with 1, like findings, so look at what they print too).
if [ "$rc" -gt 2 ] || grep -E -q 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$tmp/err"; then
    echo "FAIL $base: iampc exited with $rc (crash or sanitizer report?)" >&2
    cat "$tmp/err" >&2
    exit 1
fi

if [ "${IAMPC_UPDATE_GOLDEN:-}" = 1 ]; then
    cp "$tmp/out" "$base.expected.$fmt"
    echo "$rc" >"$base.exit"
    if [ -s "$tmp/err" ] || [ -f "$base.expected.stderr" ]; then
        cp "$tmp/err" "$base.expected.stderr"
    fi
    echo "updated $base (exit $rc)"
    exit 0
fi

fail=0
# Output must not depend on the machine: no absolute path of the checkout.
if grep -F -q "$(pwd)/" "$tmp/out" "$tmp/err"; then
    echo "FAIL $base: output contains the absolute path $(pwd)/" >&2
    fail=1
fi
if [ ! -f "$base.expected.$fmt" ]; then
    echo "FAIL $base: missing $base.expected.$fmt (run with IAMPC_UPDATE_GOLDEN=1)" >&2
    fail=1
elif ! diff -u "$base.expected.$fmt" "$tmp/out" >"$tmp/diff"; then
    echo "FAIL $base: stdout differs from $base.expected.$fmt:" >&2
    cat "$tmp/diff" >&2
    fail=1
fi
if [ -f "$base.expected.stderr" ] && ! diff -u "$base.expected.stderr" "$tmp/err" >"$tmp/diff"; then
    echo "FAIL $base: stderr differs from $base.expected.stderr:" >&2
    cat "$tmp/diff" >&2
    fail=1
fi
want=$(cat "$base.exit" 2>/dev/null || echo missing)
if [ "$want" != "$rc" ]; then
    echo "FAIL $base: exit code $rc, expected $want ($base.exit)" >&2
    [ -s "$tmp/err" ] && { echo "stderr:" >&2; cat "$tmp/err" >&2; }
    fail=1
fi
[ "$fail" -eq 0 ] && echo "ok $base"
exit "$fail"
