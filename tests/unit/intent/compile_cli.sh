#!/bin/sh
# compile_cli.sh IAMPC - end-to-end checks of `iampc compile`: -o DIR writes
# one NAME.json per document atomically and lists them; a run with any
# error writes and prints nothing; stdout framing for several documents.
set -u
IAMPC=$1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cd "$T" || exit 1
fail() { echo "FAIL: $*" >&2; exit 1; }

cat > ok.iam <<'IAM'
policy reader for role {
    allow s3:GetObject on "arn:aws:s3:::b/*"
}
guardrail no-trail-stop for scp {
    deny cloudtrail:StopLogging on *
}
IAM
cat > bad.iam <<'IAM'
policy other for role {
    allow s3:GetObjekt on "arn:aws:s3:::b/*"
}
IAM

"$IAMPC" compile -o out ok.iam > list.txt 2> err.txt || fail "compile -o exited $?"
[ -s err.txt ] && fail "unexpected stderr: $(cat err.txt)"
printf 'out/reader.json\nout/no-trail-stop.json\n' | cmp -s - list.txt || fail "listed: $(cat list.txt)"
grep -q '"s3:GetObject"' out/reader.json || fail "reader.json content"
grep -q '"Deny"' out/no-trail-stop.json || fail "no-trail-stop.json content"
ls out | grep -v '\.json$' && fail "temporary files left in out/"

# Same bytes on stdout, framed with ==> NAME <== headers.
"$IAMPC" compile ok.iam > all.txt || fail "stdout run"
{ echo '==> reader.json <=='; cat out/reader.json; echo; echo '==> no-trail-stop.json <=='; cat out/no-trail-stop.json; } |
    cmp -s - all.txt || fail "stdout framing differs"

# One document: plain JSON.
head -3 ok.iam > one.iam
"$IAMPC" compile one.iam | cmp -s - out/reader.json || fail "single document is not plain JSON"

# Any error: nothing written, nothing printed, exit 2.
rm -rf out2
"$IAMPC" compile -o out2 ok.iam bad.iam > list2.txt 2> err2.txt
rc=$?
[ "$rc" -eq 2 ] || fail "error run exited $rc"
[ -e out2 ] && fail "out2 created despite errors"
[ -s list2.txt ] && fail "stdout not empty on error"
grep -q "bad.iam:2:11: error: unknown action 's3:GetObjekt' in service 's3' \[intent-unknown-action\]" err2.txt ||
    fail "diagnostic: $(cat err2.txt)"

# An existing file is replaced atomically.
echo old > out/reader.json
"$IAMPC" compile -o out ok.iam > /dev/null || fail "rewrite run"
grep -q '"s3:GetObject"' out/reader.json || fail "reader.json not replaced"
echo "ok compile_cli"
