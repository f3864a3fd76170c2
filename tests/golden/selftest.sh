#!/bin/sh
# selftest.sh RUNNER - check run-golden.sh itself with a fake iampc: that
# it passes matching cases and fails on each kind of mismatch.
set -u
runner=$1
t=$(mktemp -d "${TMPDIR:-/tmp}/golden-self.XXXXXX") || exit 2
trap 'rm -rf "$t"' EXIT
cd "$t" || exit 2
# The fake prints its arguments one per line, "err" to stderr when asked,
# and exits with the code given by --rc (default 0).
cat >fake <<'SH'
#!/bin/sh
rc=0
for a in "$@"; do
    case "$a" in --rc=*) rc=${a#--rc=} ;; --stderr) echo err >&2 ;; --abs) echo "$(pwd)/x" ;; esac
    printf '[%s]\n' "$a"
done
cat
exit "$rc"
SH
chmod +x fake
failures=0
expect() {   # expect STATUS DESCRIPTION CASE [env...]
    want=$1 what=$2 c=$3
    shift 3
    env "$@" sh "$runner" ./fake "$c.args" >"$t/log" 2>&1
    got=$?
    if [ "$got" -ne "$want" ]; then
        echo "selftest FAIL: $what: runner exited $got, wanted $want" >&2
        cat "$t/log" >&2
        failures=$((failures + 1))
    fi
}
check() {    # check DESCRIPTION COMMAND...
    what=$1
    shift
    "$@" || { echo "selftest FAIL: $what" >&2; failures=$((failures + 1)); }
}

printf '%s\n' "# comment" "analyze 'two words' --rc=1" >a.args
echo "piped" >a.stdin
expect 0 "update writes expectations" a IAMPC_UPDATE_GOLDEN=1
check "expected.txt written" grep -q '^\[two words\]$' a.expected.txt
check "stdin piped" grep -q '^piped$' a.expected.txt
check "exit recorded" test "$(cat a.exit)" = 1
check "no stderr file without stderr" test ! -f a.expected.stderr
expect 0 "matching case passes" a
echo extra >>a.expected.txt
expect 1 "stdout mismatch fails" a
sed -i '$d' a.expected.txt
expect 0 "restored case passes" a
echo 0 >a.exit
expect 1 "exit code mismatch fails" a

echo "analyze -f json" >j.args
echo "analyze --format=sarif" >s.args
expect 0 "json update" j IAMPC_UPDATE_GOLDEN=1
expect 0 "sarif update" s IAMPC_UPDATE_GOLDEN=1
check "-f json picks .expected.json" test -f j.expected.json
check "--format=sarif picks .expected.sarif" test -f s.expected.sarif
rm j.expected.json
expect 1 "missing expectation fails" j

echo "analyze --stderr" >e.args
expect 0 "stderr update" e IAMPC_UPDATE_GOLDEN=1
check "stderr recorded" grep -q '^err$' e.expected.stderr
expect 0 "stderr matches" e
echo other >e.expected.stderr
expect 1 "stderr mismatch fails" e

echo "analyze --abs" >p.args
expect 0 "abs update" p IAMPC_UPDATE_GOLDEN=1
expect 1 "absolute path in output fails" p

echo "analyze --rc=134" >k.args
expect 1 "crash fails even when updating" k IAMPC_UPDATE_GOLDEN=1
# shellcheck disable=SC2016 # a literal $ on purpose
echo 'analyze $HOME' >d.args
expect 2 "dollar rejected" d
echo 'analyze *' >g.args
expect 0 "no globbing" g IAMPC_UPDATE_GOLDEN=1
check "star passed literally" grep -q '^\[\*\]$' g.expected.txt

if [ "$failures" -ne 0 ]; then
    echo "selftest: $failures failed" >&2
    exit 1
fi
echo "selftest: all checks passed"
