#!/bin/sh
# minimize_cli.sh IAMPC - end-to-end checks of `iampc minimize` that golden
# tests cannot make: --write rewrites in place (and is then a fixpoint),
# never touches a file it refuses (split needed, broken input), stdin, and
# the split output is a stream of complete documents.
set -u
IAMPC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > p.json <<'JSON'
{"Version":"2012-10-17","Statement":[
 {"Sid":"A","Effect":"Allow","Action":["s3:GetObject","s3:PutObject"],"Resource":"arn:aws:s3:::b/*"},
 {"Sid":"B","Effect":"Allow","Action":"s3:GetObjectAcl","Resource":"arn:aws:s3:::b/*"}]}
JSON
"$IAMPC" minimize -q p.json > want.json || fail "print exit $?"
"$IAMPC" minimize -q --write p.json || fail "--write exit $?"
cmp -s p.json want.json || fail "--write did not write what minimize prints"
cp p.json once.json
"$IAMPC" minimize -q --write p.json || fail "second --write exit $?"
"$IAMPC" minimize -q p.json > again.json || fail "re-minimize exit $?"
"$IAMPC" minimize --no-new-wildcards p.json 2> warn.txt > /dev/null || fail "no-new exit $?"
[ ! -s warn.txt ] || fail "warnings on an already minimized policy with --no-new-wildcards"

# stdin
"$IAMPC" minimize -q - < once.json > stdin.json || fail "stdin exit $?"
[ -s stdin.json ] || fail "no output for stdin"
"$IAMPC" minimize --write - < once.json 2>/dev/null && fail "--write - accepted"

# refused writes leave the file alone
cat > split.json <<'JSON'
{"Version":"2012-10-17","Statement":[
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/a":"1"}}},
 {"Effect":"Allow","Action":"s3:GetObject","Resource":"*","Condition":{"StringEquals":{"aws:PrincipalTag/b":"1"}}}]}
JSON
cp split.json split.orig
"$IAMPC" minimize -q --write --max-size 200 split.json 2>/dev/null
[ $? -eq 2 ] || fail "split --write should exit 2"
cmp -s split.json split.orig || fail "refused --write changed the file"
"$IAMPC" minimize -q --write split.json || fail "--write within the quota exit $?"

# a split prints complete documents one after another
"$IAMPC" minimize -q --max-size 200 split.orig > docs.txt || fail "split print exit $?"
n=$(grep -c '^{$' docs.txt)
[ "$n" -eq 2 ] || fail "expected 2 documents, got $n"

printf '{"Version":"2012-10-17","Statement":[' > broken.json
cp broken.json broken.orig
"$IAMPC" minimize --write broken.json 2>err.txt
[ $? -eq 2 ] || fail "broken input should exit 2"
cmp -s broken.json broken.orig || fail "broken input was written"
grep -q '^broken.json:1:[0-9]*: error: .*\[json-syntax\]$' err.txt || fail "diagnostic format: $(cat err.txt)"
echo ok
