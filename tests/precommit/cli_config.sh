#!/bin/sh
# cli_config.sh IAMPC SRCDIR - `iampc analyze` with .iampc.json and
# baselines, end to end: exit codes, located config errors, ignores,
# severity overrides, stable baseline files, and baselines that survive
# unrelated edits but not new findings. Also a GAAD file from the corpus.
set -eu
iampc=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
export NO_COLOR=1 IAMPC_NO_TIMING=1

tmp=$(mktemp -d "${TMPDIR:-/tmp}/iampc-cli.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"
mkdir .git p   # the top of a work tree: the config search stops here

fail() { echo "FAIL: $*" >&2; cat "$tmp/out" "$tmp/err" >&2 2>/dev/null; exit 1; }
# run EXPECTED-EXIT ARGS...: iampc analyze ARGS, stdout in out, stderr in err.
run() {
    want=$1
    shift
    rc=0
    "$iampc" analyze "$@" >"$tmp/out" 2>"$tmp/err" || rc=$?
    [ "$rc" = "$want" ] || fail "analyze $*: exit $rc, expected $want"
}
has() { grep -q -- "$1" "$tmp/${2:-out}" || fail "no '$1' in ${2:-out}"; }
hasnt() { ! grep -q -- "$1" "$tmp/${2:-out}" || fail "unexpected '$1' in ${2:-out}"; }

cat >p/admin.json <<'JSON'
{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "*", "Resource": "*"}
  ]
}
JSON
cat >p/noversion.json <<'JSON'
{"Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"}]}
JSON

# -- defaults: no config, fail on warnings --------------------------------
run 1 p
has "p/admin.json:4:.*\[admin-access, [a-z]*\]"
has "p/noversion.json:1:1: warning: .*\[missing-version, [a-z]*\]"

# -- failOn from the config; --fail-on wins -------------------------------
printf '{"failOn": "none"}\n' >.iampc.json
run 0 p
run 1 --fail-on security p
printf '{"failOn": "error"}\n' >.iampc.json
run 0 p/noversion.json
run 1 --fail-on warning p/noversion.json
run 0 --no-config --fail-on error p/noversion.json

# -- the config is found from a subdirectory, not above the work tree -----
printf '{"failOn": "none"}\n' >.iampc.json
(cd p && run 0 .)

# -- rules: off and severity overrides (applied before analysis) ----------
printf '{"rules": {"missing-version": "off"}}\n' >.iampc.json
run 0 p/noversion.json
hasnt "missing-version"
has "1 file, 1 policy: 0 errors, 0 security, 0 warnings, 0 suggestions"
printf '{"rules": {"missing-version": "error"}}\n' >.iampc.json
run 1 --fail-on error p/noversion.json
has "p/noversion.json:1:1: error: .*\[missing-version, [a-z]*\]"
for f in json sarif; do
    run 1 --fail-on error -f $f p/noversion.json
    has '"error"'
done

# -- ignores, explicit files included; .iampc.json is never a policy ------
printf '{"ignore": ["p/admin.json", "*.draft.json"]}\n' >.iampc.json
cp p/admin.json p/x.draft.json
run 1 p p/admin.json .iampc.json
hasnt "admin.json"
hasnt "draft"
has "^1 file, 1 policy"
rm p/x.draft.json

# -- config errors: located, exit 2, nothing analysed ---------------------
cat >.iampc.json <<'JSON'
{
  "rules": {"admin-acess": "off"},
  "trustedAccounts": ["1234"]
}
JSON
run 2 p
has ".iampc.json:2:13: error: unknown rule 'admin-acess'; did you mean 'admin-access'? \[input-error\]" err
has ".iampc.json:3:23: error: 'trustedAccounts' entries must be 12-digit AWS account ids, not '1234'" err
has "^    2 |   \"rules\": {\"admin-acess\": \"off\"}," err
has "invalid config '.iampc.json'" err
[ ! -s "$tmp/out" ] || fail "a report was written despite the config error"
(cd p && run 2 .)
has "^\.\./\.iampc\.json:2:13:" err
run 0 --no-config --fail-on none p
run 2 --config missing.json p
has "cannot read config 'missing.json'" err
printf '{"failOn": "none"}\n' >other.json
run 0 --config other.json p
run 2 --config other.json --no-config p
rm .iampc.json

# -- baselines --------------------------------------------------------------
run 0 --write-baseline base.json p
has "^2 files, 2 policies: 0 errors, 0 security, 0 warnings, 0 suggestions"
cp base.json base1.json
run 0 --write-baseline base.json p
cmp -s base.json base1.json || fail "rewriting the baseline changed it"
has '"version": 1' base.json
# Sorted by fingerprint.
grep -o '"fingerprint": "[0-9a-f]*"' base.json >fps
sort -c fps || fail "baseline not sorted by fingerprint"
[ "$(wc -l <fps)" -ge 2 ] || fail "baseline too small"
run 0 --baseline base.json p
# An unrelated edit that moves every finding keeps the baseline valid.
cat >p/admin.json <<'JSON'
{
  "Version": "2012-10-17",

  "Statement": [
    {"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/k"},
    {
      "Effect": "Allow", "Action": "*", "Resource": "*"
    }
  ]
}
JSON
run 0 --baseline base.json p
# A new finding is reported, alone, and fails the run.
sed 's/"s3:GetObject", "Resource": "arn:aws:s3:::b\/k"/"s3GetObject", "Resource": "arn:aws:s3:::b\/k"/' p/admin.json >p/t && mv p/t p/admin.json
run 1 --baseline base.json p
has "p/admin.json:5:.*\[invalid-action, [a-z]*\]"
hasnt "admin-access"
has "0 security, 0 warnings"
# A broken baseline is a located error.
printf '{"version": 1, "findings": [{"fingerprint": "XYZ"}]}\n' >bad.json
run 2 --baseline bad.json p
has "bad.json:1:45: error: a fingerprint is 16 lowercase hex digits" err
run 2 --baseline nothere.json p
run 2 --write-baseline "$tmp/no/such/dir/b.json" p
has "cannot write baseline" err

# -- GAAD: every policy of the account, findings located in the file ------
cp "$src/corpus/gaad/account-authorization.json" gaad.json
run 1 --no-config gaad.json
has "^gaad.json:[0-9]*:[0-9]*: .*\[admin-access, [a-z]*\]"
has "^gaad.json#arn:aws:iam::111122223333:policy/LegacyAudit:[0-9]*:[0-9]*: "
has "principal user/alice"
# Only default versions count: v1 of DeployPolicy ("Action": "*") is not reported.
admin_lines=$(grep -o '^gaad.json:[0-9]*:[0-9]*: security: allows every action' out | cut -d: -f2 | sort -u | wc -l)
[ "$admin_lines" = 1 ] || fail "admin-access reported for a non-default version ($admin_lines places)"
# The config reaches the risk rules: a trusted account is not reported.
has "cross-account-trust"
printf '{"trustedAccounts": ["444455556666"]}\n' >.iampc.json
run 1 gaad.json
hasnt "cross-account-trust"
rm .iampc.json
echo "ok: cli config/baseline/gaad"
