#!/bin/sh
# fmt_cli.sh IAMPC - end-to-end checks of `iampc fmt`: output, --check and
# --write exit codes, atomic rewrite that never touches a broken file,
# diagnostics format, stdin. Exits non-zero on the first failed check.
set -u
IAMPC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }

printf '{"Statement":[{"Resource":"*","Action":["s3:GetObject","s3:PutObject"],"Effect":"Allow"}],"Version":"2012-10-17"}' > messy.json
cat > want.json <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": [
        "s3:GetObject",
        "s3:PutObject"
      ],
      "Resource": "*"
    }
  ]
}
JSON
cp want.json canonical.json
printf '{"Version":"2012-10-17",\n "Statement": [,]}\n' > broken.json
cp broken.json broken.orig

# print mode: exactly the canonical text, exit 0
"$IAMPC" fmt messy.json > out.json || fail "print exit $?"
cmp -s out.json want.json || fail "print output differs"
"$IAMPC" fmt - < messy.json > out2.json || fail "stdin exit $?"
cmp -s out2.json want.json || fail "stdin output differs"

# --check: silent and 0 when canonical; lists and 1 otherwise
out=$("$IAMPC" fmt --check canonical.json); rc=$?
[ $rc -eq 0 ] && [ -z "$out" ] || fail "check canonical: rc=$rc out=$out"
out=$("$IAMPC" fmt --check canonical.json messy.json); rc=$?
[ $rc -eq 1 ] && [ "$out" = "messy.json" ] || fail "check messy: rc=$rc out=$out"
out=$(printf '[1,2]' | "$IAMPC" fmt --check -); rc=$?
[ $rc -eq 1 ] && [ "$out" = "<stdin>" ] || fail "check stdin: rc=$rc out=$out"

# parse errors: exit 2, located diagnostic, no stdout
"$IAMPC" fmt broken.json > out.txt 2> err.txt; rc=$?
[ $rc -eq 2 ] || fail "broken print rc=$rc"
[ -s out.txt ] && fail "broken print wrote to stdout"
grep -q '^broken.json:2:16: error: .* \[json-syntax\]$' err.txt || fail "diagnostic: $(cat err.txt)"

# --write: rewrites what changed (keeping the mode), never a broken file,
# reports it and exits 2; the rest is formatted
mkdir d d/sub
cp messy.json d/a.json; cp canonical.json d/b.json; cp broken.json d/sub/c.json
printf 'not json' > d/ignored.txt
chmod 600 d/a.json
"$IAMPC" fmt --write d > out.txt 2> err.txt; rc=$?
[ $rc -eq 2 ] || fail "write rc=$rc"
[ -s out.txt ] && fail "write printed to stdout"
cmp -s d/a.json want.json || fail "a.json not rewritten"
cmp -s d/sub/c.json broken.orig || fail "broken file was touched"
grep -q '^d/sub/c.json:2:16: error: ' err.txt || fail "write diagnostic: $(cat err.txt)"
[ "$(ls -A d | tr '\n' ' ')" = "a.json b.json ignored.txt sub " ] || fail "stray files: $(ls -A d)"
case $(ls -l d/a.json) in -rw-------*) ;; *) fail "mode not kept: $(ls -l d/a.json)" ;; esac
rm d/sub/c.json
"$IAMPC" fmt --check d > out.txt; rc=$?
[ $rc -eq 0 ] && [ ! -s out.txt ] || fail "not canonical after --write: rc=$rc $(cat out.txt)"

# --check --write: lists and rewrites, exit 1
cp messy.json d/e.json
out=$("$IAMPC" fmt --check --write d); rc=$?
[ $rc -eq 1 ] && [ "$out" = "d/e.json" ] || fail "check+write: rc=$rc out=$out"
cmp -s d/e.json want.json || fail "e.json not rewritten"

# idempotence on the output
"$IAMPC" fmt want.json > again.json && cmp -s again.json want.json || fail "not idempotent"

# usage errors: exit 2
"$IAMPC" fmt messy.json canonical.json > /dev/null 2>&1; [ $? -eq 2 ] || fail "two inputs in print mode"
"$IAMPC" fmt missing.json > /dev/null 2>&1; [ $? -eq 2 ] || fail "missing file"
"$IAMPC" fmt --write - < messy.json > /dev/null 2>&1; [ $? -eq 2 ] || fail "--write stdin"
"$IAMPC" fmt > /dev/null 2>&1; [ $? -eq 2 ] || fail "no path"
"$IAMPC" fmt --nope x > /dev/null 2>&1; [ $? -eq 2 ] || fail "bad option"
"$IAMPC" fmt --help | grep -q '^usage: iampc fmt' || fail "--help"
mkdir empty
"$IAMPC" fmt --check empty; [ $? -eq 0 ] || fail "empty directory"
echo "fmt_cli: ok"
