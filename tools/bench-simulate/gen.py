#!/usr/bin/env python3
"""Generate the benchmark inputs: policies.json (a role session with several
identity policies, a boundary, a 3-level SCP chain and a bucket policy with
conditions) and N request lines (default 1,000,000), deterministic."""
import json, random, sys

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1000000
out = sys.argv[2] if len(sys.argv) > 2 else '.'
A = '111111111111'
V = '2012-10-17'
ident = [
    {'Version': V, 'Statement': [
        {'Sid': 'ReadTeam', 'Effect': 'Allow', 'Action': ['s3:GetObject', 's3:GetObjectVersion', 's3:ListBucket'],
         'Resource': ['arn:aws:s3:::data-${aws:PrincipalTag/team}', 'arn:aws:s3:::data-${aws:PrincipalTag/team}/*']},
        {'Sid': 'WriteHome', 'Effect': 'Allow', 'Action': 's3:PutObject',
         'Resource': 'arn:aws:s3:::data-shared/home/${aws:userid}/*',
         'Condition': {'Bool': {'aws:SecureTransport': 'true'}}}]},
    {'Version': V, 'Statement': [
        {'Effect': 'Allow', 'Action': ['sqs:SendMessage', 'sqs:ReceiveMessage', 'sqs:DeleteMessage'],
         'Resource': 'arn:aws:sqs:*:%s:app-*' % A},
        {'Effect': 'Allow', 'Action': 'dynamodb:*', 'Resource': 'arn:aws:dynamodb:*:%s:table/app-*' % A,
         'Condition': {'ForAllValues:StringEquals': {'dynamodb:Attributes': ['id', 'name', 'state']}}}]},
    {'Version': V, 'Statement': [
        {'Effect': 'Deny', 'NotAction': ['s3:*', 'sqs:*', 'dynamodb:*', 'kms:Decrypt'], 'Resource': '*'},
        {'Effect': 'Deny', 'Action': 's3:*', 'Resource': '*',
         'Condition': {'NotIpAddress': {'aws:SourceIp': ['10.0.0.0/8', '192.0.2.0/24', '2001:db8::/32']}}}]},
]
boundary = {'Version': V, 'Statement': [
    {'Effect': 'Allow', 'Action': ['s3:*', 'sqs:*', 'dynamodb:*', 'kms:*'], 'Resource': '*'},
    {'Effect': 'Deny', 'Action': ['s3:DeleteBucket', 'dynamodb:DeleteTable'], 'Resource': '*'}]}
scps = [
    [{'Version': V, 'Statement': {'Effect': 'Allow', 'Action': '*', 'Resource': '*'}}],
    [{'Version': V, 'Statement': [
        {'Effect': 'Allow', 'Action': '*', 'Resource': '*'},
        {'Effect': 'Deny', 'Action': '*', 'Resource': '*',
         'Condition': {'StringNotEquals': {'aws:RequestedRegion': ['us-east-1', 'eu-west-1']}}}]}],
    [{'Version': V, 'Statement': [
        {'Effect': 'Allow', 'Action': ['s3:*', 'sqs:*', 'dynamodb:*', 'kms:*', 'sts:*'], 'Resource': '*'},
        {'Effect': 'Deny', 'Action': 's3:PutBucketPolicy', 'Resource': '*',
         'Condition': {'ArnNotLike': {'aws:PrincipalArn': 'arn:aws:iam::%s:role/admin-*' % A}}}]}],
]
bucket = {'Version': V, 'Statement': [
    {'Effect': 'Allow', 'Principal': {'AWS': 'arn:aws:iam::%s:role/app' % A}, 'Action': 's3:GetObject',
     'Resource': 'arn:aws:s3:::data-shared/*',
     'Condition': {'StringEquals': {'aws:PrincipalOrgID': 'o-abc123'}, 'DateLessThan': {'aws:CurrentTime': '2030-01-01T00:00:00Z'}}},
    {'Effect': 'Deny', 'Principal': '*', 'Action': 's3:*', 'Resource': 'arn:aws:s3:::data-shared/*',
     'Condition': {'Bool': {'aws:SecureTransport': 'false'}}}]}
with open(f'{out}/policies.json', 'w') as f:
    json.dump({'name': 'bench', 'identityPolicies': ident, 'permissionBoundary': boundary,
               'scps': scps, 'resourcePolicy': bucket}, f, indent=1)

rnd = random.Random(42)
teams = ['red', 'blue', 'green']
reqs = [
    lambda t: ('s3:GetObject', 'arn:aws:s3:::data-%s/obj/%d' % (rnd.choice(teams), rnd.randrange(1000))),
    lambda t: ('s3:GetObject', 'arn:aws:s3:::data-shared/pub/%d' % rnd.randrange(1000)),
    lambda t: ('s3:PutObject', 'arn:aws:s3:::data-shared/home/AROAEXAMPLE:s1/%d' % rnd.randrange(1000)),
    lambda t: ('s3:ListBucket', 'arn:aws:s3:::data-%s' % t),
    lambda t: ('sqs:SendMessage', 'arn:aws:sqs:%s:%s:app-%d' % (rnd.choice(['us-east-1', 'eu-west-1', 'ap-south-1']), A, rnd.randrange(10))),
    lambda t: ('dynamodb:GetItem', 'arn:aws:dynamodb:us-east-1:%s:table/app-orders' % A),
    lambda t: ('ec2:RunInstances', 'arn:aws:ec2:us-east-1:%s:instance/*' % A),
    lambda t: ('s3:DeleteBucket', 'arn:aws:s3:::data-%s' % t),
]
with open(f'{out}/requests.jsonl', 'w') as f:
    for i in range(n):
        team = rnd.choice(teams)
        action, resource = rnd.choice(reqs)(team)
        region = rnd.choice(['us-east-1', 'us-east-1', 'eu-west-1', 'ap-south-1'])
        ctx = {'aws:PrincipalTag/team': team, 'aws:userid': 'AROAEXAMPLE:s1',
               'aws:SourceIp': rnd.choice(['10.1.2.3', '192.0.2.7', '198.51.100.4', '2001:db8::5']),
               'aws:SecureTransport': rnd.choice(['true', 'true', 'false']),
               'aws:RequestedRegion': region, 'aws:PrincipalOrgID': 'o-abc123',
               'aws:PrincipalArn': 'arn:aws:iam::%s:role/app' % A,
               'aws:CurrentTime': '2026-01-01T00:00:00Z'}
        if action.startswith('dynamodb'):
            ctx['dynamodb:Attributes'] = rnd.choice([['id'], ['id', 'state'], ['id', 'secret']])
        req = {'principal': 'arn:aws:sts::%s:assumed-role/app/s1' % A, 'action': action,
               'resource': resource, 'context': ctx}
        f.write(json.dumps(req, separators=(',', ':')) + '\n')
