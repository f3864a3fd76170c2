#!/bin/sh
# simulate.adhoc-scope: ad hoc requests with the organization-scope flags:
# SCPs skip management-account callers and service-linked roles; RCPs skip
# management-account resources and AWS managed KMS keys (iam-semantics 3.2).
set -u
iampc=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cat >"$tmp/allow.json" <<'J'
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}
J
cat >"$tmp/scp-deny.json" <<'J'
{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"*","Resource":"*"}]}
J
cat >"$tmp/rcp-deny.json" <<'J'
{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Principal":"*","Action":["s3:*","kms:*"],"Resource":"*"}]}
J
cat >"$tmp/vpce.json" <<'J'
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/*"},
 {"Effect":"Deny","Principal":"*","Action":"s3:GetObject","Resource":"arn:aws:s3:::b/secret/*"}]}
J
cat >"$tmp/key-policy.json" <<'J'
{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":"arn:aws:iam::111122223333:root"},"Action":"kms:*","Resource":"*"}]}
J
fails=0
check() {   # expected decision, then simulate arguments
    want=$1; shift
    got=$("$iampc" simulate "$@" 2>&1 | sed -n 's/^<ad hoc>: //p')
    if [ "$got" != "$want" ]; then
        echo "FAIL: expected $want, got '$got' for: $*"
        fails=$((fails + 1))
    fi
}
role=arn:aws:iam::111122223333:role/Admin
slr=arn:aws:iam::111122223333:role/aws-service-role/x.amazonaws.com/AWSServiceRoleForX
key=arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
obj="--action s3:GetObject --resource arn:aws:s3:::b/k --identity $tmp/allow.json"
kms="--action kms:Decrypt --resource $key --identity $tmp/allow.json --resource-policy $tmp/key-policy.json"
check explicit-deny --principal "$role" $obj --scp "$tmp/scp-deny.json"
check allow --principal "$role" $obj --scp "$tmp/scp-deny.json" --management-account
# A service-linked role is recognised by its path; the flag says so for
# roles whose ARN does not show it.
check allow --principal "$slr" $obj --scp "$tmp/scp-deny.json"
check allow --principal "$role" $obj --scp "$tmp/scp-deny.json" --service-linked-role
check explicit-deny --principal "$role" $obj --rcp "$tmp/rcp-deny.json"
check allow --principal "$role" $obj --rcp "$tmp/rcp-deny.json" --resource-management-account
check explicit-deny --principal "$role" $kms --rcp "$tmp/rcp-deny.json"
check allow --principal "$role" $kms --rcp "$tmp/rcp-deny.json" --aws-managed-key
# VPC endpoint policy: must allow, and its denies deny, only for requests
# that come through the endpoint (aws:SourceVpce in the context).
via="--context aws:SourceVpce=vpce-1a2b3c4d --vpce-policy $tmp/vpce.json --identity $tmp/allow.json"
check allow --principal "$role" --action s3:GetObject --resource arn:aws:s3:::b/k $via
check implicit-deny --principal "$role" --action s3:GetObject --resource arn:aws:s3:::other/k $via
check explicit-deny --principal "$role" --action s3:GetObject --resource arn:aws:s3:::b/secret/k $via
check allow --principal "$role" --action s3:GetObject --resource arn:aws:s3:::other/k --vpce-policy "$tmp/vpce.json" --identity "$tmp/allow.json"
[ "$fails" -eq 0 ] && echo "simulate.adhoc-scope: 12 passed, 0 failed"
exit "$fails"
