#!/usr/bin/env python3
"""Writes tests/simulate/cases/*.json. Each case's "expect" is decided by hand
from iam-semantics.md / scenario-format.md (section noted in the name), never
by running iampc. Re-run after editing: python3 gen_cases.py"""
import json, os
OUT=os.path.join(os.path.dirname(os.path.abspath(__file__)), 'cases')
V='2012-10-17'
U='arn:aws:iam::111111111111:user/alice'
S='arn:aws:sts::111111111111:assumed-role/app/s1'
ROLE='arn:aws:iam::111111111111:role/app'
FED='arn:aws:sts::111111111111:federated-user/alice'
X='arn:aws:iam::222222222222:user/bob'
cases=[]
def pol(*stmts, version=V):
    d={'Statement': list(stmts) if len(stmts)!=1 else stmts[0]}
    if version: d={'Version':version, **d}
    return d
def st(effect='Allow', action='*', resource='*', **kw):
    d={'Effect':effect}
    if action is not None: d['Action']=action
    if resource is not None: d['Resource']=resource
    d.update(kw); return d
ALL=pol(st())
def case(tags, name, principal, action, resource, expect, ctx=None, racct=None, **pols):
    req={'principal':principal,'action':action,'resource':resource}
    if racct: req['resourceAccount']=racct
    if ctx is not None: req['context']=ctx
    c={'name':name,'tags':tags,'request':req}
    c.update(pols); c['expect']=expect
    cases.append(c)

# ---- semantics 3.6 test vectors
case(['vectors'], '3.6#1 identity deny on *log* beats allow on b*', U, 's3:PutBucketTagging', 'arn:aws:s3:::b-logs', 'explicit-deny',
     identityPolicies=[pol(st(action='s3:*', resource='arn:aws:s3:::b*'), st('Deny', 's3:*', 'arn:aws:s3:::*log*'))])
case(['vectors'], '3.6#2 bucket policy names the user, no identity allow', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     resourcePolicy=pol(st(action='s3:GetObject', resource='arn:aws:s3:::b/*', Principal={'AWS':U})))
case(['vectors'], '3.6#3 bucket names role, boundary lacks s3', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     permissionBoundary=pol(st(action='ec2:*')),
     resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':ROLE})))
case(['vectors'], '3.6#4 bucket names session, boundary lacks s3', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     permissionBoundary=pol(st(action='ec2:*')),
     resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':S})))
case(['vectors'], '3.6#5 bucket Principal * with ArnEquals aws:PrincipalArn, boundary lacks s3', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     ctx={'aws:PrincipalArn':ROLE},
     permissionBoundary=pol(st(action='ec2:*')),
     resourcePolicy=pol(st(action='s3:GetObject', Principal='*', Condition={'ArnEquals':{'aws:PrincipalArn':ROLE}})))
case(['vectors'], '3.6#6 bucket allows the account only, no identity allow', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':'111111111111'})))
case(['vectors','kms'], '3.6#7 KMS key policy without grant to user or account', U, 'kms:Decrypt', 'arn:aws:kms:us-east-1:111111111111:key/k1', 'implicit-deny',
     identityPolicies=[pol(st(action='kms:Decrypt'))],
     resourcePolicy=pol(st(action='kms:*', Principal={'AWS':'arn:aws:iam::111111111111:role/admin'})))
case(['vectors','scp'], '3.6#8 SCP root full access, OU only ec2', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     identityPolicies=[ALL], scps=[[ALL],[pol(st(action='ec2:*'))],[ALL]])
case(['vectors','cross-account'], '3.6#9 cross account, bucket without policy', X, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', racct='111111111111',
     identityPolicies=[pol(st(action='s3:GetObject'))])
case(['vectors','cross-account'], '3.6#10 cross account, bucket names the user, no identity allow', X, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', racct='111111111111',
     resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':X})))
case(['vectors'], '3.6#13 GetCallerIdentity cannot be denied', U, 'sts:GetCallerIdentity', '*', 'allow',
     identityPolicies=[pol(st('Deny'))])

# ---- 3.4 same-account table
case(['same-account'], '3.4 user named, boundary implicit deny: allowed', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     permissionBoundary=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:*', Principal={'AWS':U})))
case(['same-account'], '3.4 Principal * grants user despite boundary', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     permissionBoundary=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:*', Principal='*')))
case(['same-account','session'], '3.4 role named, session policy implicit deny: denied', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     sessionPolicy=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:*', Principal={'AWS':ROLE})))
case(['same-account','session'], '3.4 role named, no boundary, no session policy: allowed', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':'arn:aws:iam::111111111111:role/team/app'})))
case(['same-account','session'], '3.4 session named, session policy implicit deny: allowed', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     sessionPolicy=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:*', Principal={'AWS':S})))
case(['same-account','federated'], '3.4 federated session named, boundary implicit deny: allowed', FED, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     permissionBoundary=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:*', Principal={'AWS':FED})))
case(['same-account','federated'], '3.4 federating user named, boundary implicit deny: denied', FED, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     permissionBoundary=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:*', Principal={'AWS':U})))
case(['same-account','federated'], '3.4 federating user named, no guardrails: allowed', FED, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':U})))
case(['same-account','federated'], 'federated session: session policy without allow blocks identity path', FED, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     identityPolicies=[ALL], sessionPolicy=pol(st(action='ec2:*')))
case(['same-account'], '3.4 account named + identity allow: allowed', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     identityPolicies=[pol(st(action='s3:GetObject'))], resourcePolicy=pol(st(action='s3:*', Principal={'AWS':'arn:aws:iam::111111111111:root'})))
case(['same-account'], 'role form caller matched by role ARN: entity grant', ROLE, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':ROLE})))
case(['same-account'], 'role form caller not matched by a session ARN', ROLE, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':S})))
case(['same-account'], 'other session of the role not matched by session ARN', 'arn:aws:sts::111111111111:assumed-role/app/s2', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':S})))
case(['same-account'], 'user ARN match is case-sensitive', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':'arn:aws:iam::111111111111:user/Alice'})))
case(['same-account'], 'resource statement without Principal never applies', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     resourcePolicy=pol(st(action='s3:*', Principal={})))
case(['same-account'], 'Allow with NotPrincipal excluding someone else is a direct grant', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     permissionBoundary=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:*', NotPrincipal={'AWS':X})))
case(['notprincipal'], 'Deny NotPrincipal account covers caller: exempt', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     identityPolicies=[ALL], resourcePolicy=pol(st('Deny', 's3:*', NotPrincipal={'AWS':'111111111111'})))
case(['notprincipal'], 'Deny NotPrincipal other account: denied', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny',
     identityPolicies=[ALL], resourcePolicy=pol(st('Deny', 's3:*', NotPrincipal={'AWS':'222222222222'})))
case(['notprincipal'], 'Deny NotPrincipal role covers its session', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     identityPolicies=[ALL], resourcePolicy=pol(st('Deny', 's3:*', NotPrincipal={'AWS':ROLE})))
case(['notprincipal','boundary'], 'Deny NotPrincipal always denies a caller with a boundary', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny',
     identityPolicies=[ALL], permissionBoundary=ALL, resourcePolicy=pol(st('Deny', 's3:*', NotPrincipal={'AWS':[S, ROLE, '111111111111']})))

# ---- cross account
case(['cross-account'], 'cross account: account grant + identity allow', X, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', racct='111111111111',
     identityPolicies=[pol(st(action='s3:GetObject', resource='arn:aws:s3:::b/*'))], resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':'222222222222'})))
case(['cross-account'], 'cross account: identity allow but boundary denies', X, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', racct='111111111111',
     identityPolicies=[ALL], permissionBoundary=pol(st(action='ec2:*')), resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':X})))
case(['cross-account','scp'], 'cross account: caller SCP blocks', X, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', racct='111111111111',
     identityPolicies=[ALL], scps=[[pol(st(action='ec2:*'))]], resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':X})))
case(['cross-account','trust'], 'cross-account AssumeRole: trust + identity', X, 'sts:AssumeRole', 'arn:aws:iam::111111111111:role/target', 'allow',
     identityPolicies=[pol(st(action='sts:AssumeRole', resource='arn:aws:iam::111111111111:role/target'))],
     resourcePolicy=pol({'Effect':'Allow','Principal':{'AWS':'arn:aws:iam::222222222222:root'},'Action':'sts:AssumeRole'}))
case(['cross-account','trust'], 'cross-account AssumeRole: trust only', X, 'sts:AssumeRole', 'arn:aws:iam::111111111111:role/target', 'implicit-deny',
     resourcePolicy=pol({'Effect':'Allow','Principal':{'AWS':X},'Action':'sts:AssumeRole'}))
case(['trust'], 'same-account AssumeRole: identity allow but trust names nobody relevant', U, 'sts:AssumeRole', 'arn:aws:iam::111111111111:role/target', 'implicit-deny',
     identityPolicies=[ALL], resourcePolicy=pol({'Effect':'Allow','Principal':{'Service':'ec2.amazonaws.com'},'Action':'sts:AssumeRole'}))
case(['trust'], 'same-account AssumeRole: trust names the account + identity allow', U, 'sts:AssumeRole', 'arn:aws:iam::111111111111:role/target', 'allow',
     identityPolicies=[ALL], resourcePolicy=pol({'Effect':'Allow','Principal':{'AWS':'111111111111'},'Action':'sts:AssumeRole'}))
case(['trust'], 'same-account AssumeRole: trust account grant without identity allow', U, 'sts:AssumeRole', 'arn:aws:iam::111111111111:role/target', 'implicit-deny',
     resourcePolicy=pol({'Effect':'Allow','Principal':{'AWS':'111111111111'},'Action':'sts:AssumeRole'}))
case(['trust','service'], 'service assumes role through trust policy', 'ec2.amazonaws.com', 'sts:AssumeRole', 'arn:aws:iam::111111111111:role/target', 'allow',
     resourcePolicy=pol({'Effect':'Allow','Principal':{'Service':'ec2.amazonaws.com'},'Action':'sts:AssumeRole'}))
case(['kms'], 'KMS key policy names the user directly', U, 'kms:Decrypt', 'arn:aws:kms:us-east-1:111111111111:key/k1', 'allow',
     resourcePolicy=pol(st(action='kms:Decrypt', Principal={'AWS':U})))
case(['kms'], 'KMS without key policy grants nothing', U, 'kms:Decrypt', 'arn:aws:kms:us-east-1:111111111111:key/k1', 'implicit-deny',
     identityPolicies=[ALL])

# ---- anonymous and services
case(['anonymous'], 'anonymous: bucket grants the account only', '*', 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', racct='111111111111',
     resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':'111111111111'})))
case(['anonymous'], 'anonymous: AWS * grant', 'anonymous', 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', racct='111111111111',
     resourcePolicy=pol(st(action='s3:GetObject', Principal={'AWS':'*'})))
case(['anonymous'], 'anonymous: resource-policy deny on condition', '*', 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny', racct='111111111111',
     ctx={'aws:SecureTransport':'false'},
     resourcePolicy=pol(st(action='s3:GetObject', Principal='*'), st('Deny', 's3:*', Principal='*', Condition={'Bool':{'aws:SecureTransport':'false'}})))
case(['service'], 'service principal named', 'logs.amazonaws.com', 's3:PutObject', 'arn:aws:s3:::b/k', 'allow', racct='111111111111',
     resourcePolicy=pol(st(action='s3:PutObject', Principal={'Service':'logs.amazonaws.com'})))
case(['service'], 'other service principal not named', 'sns.amazonaws.com', 's3:PutObject', 'arn:aws:s3:::b/k', 'implicit-deny', racct='111111111111',
     resourcePolicy=pol(st(action='s3:PutObject', Principal={'Service':'logs.amazonaws.com'})))
case(['service','rcp'], 'service principal bound by RCP deny', 'logs.amazonaws.com', 's3:PutObject', 'arn:aws:s3:::b/k', 'explicit-deny', racct='111111111111',
     resourcePolicy=pol(st(action='s3:PutObject', Principal={'Service':'logs.amazonaws.com'})),
     rcps=[[pol(st('Deny','s3:PutObject', Principal='*', Condition={'StringNotEqualsIfExists':{'aws:SourceAccount':'111111111111'}}))]])
case(['service'], 'service principal matched case-insensitively via Principal *', 'logs.amazonaws.com', 's3:PutObject', 'arn:aws:s3:::b/k', 'allow', racct='111111111111',
     resourcePolicy=pol(st(action='s3:PutObject', Principal='*')))

# ---- SCP / RCP
case(['scp'], 'SCP every level allows', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', identityPolicies=[ALL],
     scps=[[ALL],[pol(st(action='s3:*'))],[pol(st(action='s3:Get*'))]])
case(['scp'], 'SCP allow at some level via one of several attached policies', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', identityPolicies=[ALL],
     scps=[[ALL],[pol(st(action='ec2:*')), pol(st(action='s3:GetObject'))]])
case(['scp'], 'SCP does not grant by itself', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', scps=[[ALL]])
case(['scp'], 'SCP allow with condition not met', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', identityPolicies=[ALL], ctx={'aws:RequestedRegion':'eu-west-1'},
     scps=[[pol(st(Condition={'StringEquals':{'aws:RequestedRegion':'us-east-1'}}))]])
case(['scp'], 'SCP empty path list is ungoverned', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', identityPolicies=[ALL], scps=[])
case(['scp','same-account'], 'SCP gate also limits resource-policy grants', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':S})), scps=[[pol(st(action='ec2:*'))]])
case(['scp','anonymous'], 'RCP level with nothing but implicit full access', '*', 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', racct='111111111111',
     resourcePolicy=pol(st(action='s3:GetObject', Principal='*')), rcps=[[],[],[]])
case(['rcp'], 'RCP deny on NotIpAddress', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny', ctx={'aws:SourceIp':'198.51.100.1'},
     identityPolicies=[ALL], rcps=[[pol(st('Deny','s3:*', Principal='*', Condition={'NotIpAddress':{'aws:SourceIp':'203.0.113.0/24'}}))]])
case(['rcp'], 'RCP deny does not match other service', U, 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:111111111111:q', 'allow',
     identityPolicies=[ALL], rcps=[[pol(st('Deny','s3:*', Principal='*'))]])

# ---- boundaries / session
case(['boundary'], 'boundary and identity both allow', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', identityPolicies=[ALL], permissionBoundary=pol(st(action='s3:Get*')))
case(['boundary'], 'boundary deny is explicit', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny', identityPolicies=[ALL], permissionBoundary=pol(st(), st('Deny','s3:GetObject')))
case(['session'], 'session policy deny is explicit even with session grant', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny',
     sessionPolicy=pol(st('Deny','s3:*')), resourcePolicy=pol(st(action='s3:*', Principal={'AWS':S})))
case(['session'], 'session policy alone grants nothing', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', sessionPolicy=ALL)

# ---- actions / resources
case(['action'], 'NotAction deny leaves other services', U, 'ec2:RunInstances', 'arn:aws:ec2:us-east-1:111111111111:instance/*', 'explicit-deny',
     identityPolicies=[ALL, pol(st('Deny', None, NotAction=['iam:*','sts:*']))])
case(['action'], 'empty Action array matches nothing', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', identityPolicies=[pol(st(action=[]))])
case(['resource'], 'wildcard-only action: ARN pattern does not match *', U, 's3:ListAllMyBuckets', '*', 'implicit-deny', identityPolicies=[pol(st(resource='arn:aws:s3:::*'))])
case(['resource'], 'wildcard-only action: * matches', U, 's3:ListAllMyBuckets', '*', 'allow', identityPolicies=[pol(st(resource='*'))])
case(['resource'], 'deny on specific ARN does not match * request', U, 'ec2:DescribeInstances', '*', 'allow',
     identityPolicies=[ALL, pol(st('Deny', 'ec2:*', 'arn:aws:ec2:*:*:instance/*'))])
case(['resource'], 'question mark in resource', U, 's3:GetObject', 'arn:aws:s3:::b/file1.txt', 'allow', identityPolicies=[pol(st(resource='arn:aws:s3:::b/file?.txt'))])
case(['resource'], 'region wildcard stays in its field', U, 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:111111111111:q', 'allow', identityPolicies=[pol(st(resource='arn:aws:sqs:us-*:111111111111:q'))])
case(['resource'], 'account mismatch', U, 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:111111111111:q', 'implicit-deny', identityPolicies=[pol(st(resource='arn:aws:sqs:*:222222222222:*'))])
case(['resource'], 'short pattern with trailing star', U, 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:111111111111:q', 'allow', identityPolicies=[pol(st(resource='arn:aws:sqs:us-east-1:*'))])
case(['resource'], 'no Resource element applies to every resource', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny',
     identityPolicies=[ALL], permissionBoundary=pol(st(), {'Effect':'Deny','Action':'s3:GetObject'}))
case(['resource','variables'], 'NotResource with variable', U, 's3:DeleteObject', 'arn:aws:s3:::home/bob/x', 'explicit-deny', ctx={'aws:username':'alice'},
     identityPolicies=[ALL, pol(st('Deny','s3:*', None, NotResource='arn:aws:s3:::home/${aws:username}/*'))])
case(['resource','variables'], 'NotResource with variable, own prefix', U, 's3:DeleteObject', 'arn:aws:s3:::home/alice/x', 'allow', ctx={'aws:username':'alice'},
     identityPolicies=[ALL, pol(st('Deny','s3:*', None, NotResource='arn:aws:s3:::home/${aws:username}/*'))])
case(['resource','variables'], 'NotResource with unresolved variable does not apply', U, 's3:DeleteObject', 'arn:aws:s3:::home/bob/x', 'allow',
     identityPolicies=[ALL, pol(st('Deny','s3:*', None, NotResource='arn:aws:s3:::home/${aws:username}/*'))])
case(['variables'], 'variable default used when key absent', U, 's3:GetObject', 'arn:aws:s3:::b/shared/x', 'allow',
     identityPolicies=[pol(st(resource="arn:aws:s3:::b/${aws:PrincipalTag/team, 'shared'}/*"))])
case(['variables'], 'variable value with * is literal in Resource', U, 's3:GetObject', 'arn:aws:s3:::b/other/x', 'implicit-deny', ctx={'aws:PrincipalTag/team':'*'},
     identityPolicies=[pol(st(resource='arn:aws:s3:::b/${aws:PrincipalTag/team}/*'))])
case(['variables'], 'escape ${*} is a literal star in Resource', U, 's3:GetObject', 'arn:aws:s3:::b/a*b', 'allow',
     identityPolicies=[pol(st(resource='arn:aws:s3:::b/a${*}b'))])
case(['variables'], 'escape ${*} does not act as a wildcard', U, 's3:GetObject', 'arn:aws:s3:::b/axyb', 'implicit-deny',
     identityPolicies=[pol(st(resource='arn:aws:s3:::b/a${*}b'))])
case(['variables'], 'Version 2008: ${...} literal in Resource', U, 's3:GetObject', 'arn:aws:s3:::b/${aws:username}/x', 'allow', ctx={'aws:username':'alice'},
     identityPolicies=[pol(st(resource='arn:aws:s3:::b/${aws:username}/*'), version='2008-10-17')])

# ---- conditions through whole scenarios
case(['condition'], 'StringNotEqualsIfExists deny fires when key absent', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'explicit-deny',
     identityPolicies=[ALL, pol(st('Deny', Condition={'StringNotEqualsIfExists':{'aws:PrincipalOrgID':'o-1'}}))])
case(['condition'], 'ForAllValues deny-unless with tags', U, 'ec2:CreateTags', 'arn:aws:ec2:us-east-1:111111111111:instance/i-1', 'explicit-deny', ctx={'aws:TagKeys':['env','secret']},
     identityPolicies=[ALL, pol(st('Deny', 'ec2:CreateTags', Condition={'ForAnyValue:StringEquals':{'aws:TagKeys':['secret']}}))])
case(['condition'], 'IpAddress allow with IPv4 in list', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', ctx={'aws:SourceIp':'192.0.2.55'},
     identityPolicies=[pol(st(Condition={'IpAddress':{'aws:SourceIp':['203.0.113.0/24','192.0.2.0/25']}}))])
case(['condition'], 'Date window', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'implicit-deny', ctx={'aws:CurrentTime':'2026-01-01T00:00:01Z'},
     identityPolicies=[pol(st(Condition={'DateGreaterThan':{'aws:CurrentTime':'2025-01-01T00:00:00Z'},'DateLessThan':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}}))])
case(['condition'], 'Date window, inside', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', ctx={'aws:CurrentTime':'2025-06-01T12:00:00+02:00'},
     identityPolicies=[pol(st(Condition={'DateGreaterThan':{'aws:CurrentTime':'2025-01-01T00:00:00Z'},'DateLessThan':{'aws:CurrentTime':'2026-01-01T00:00:00Z'}}))])
case(['condition'], 'numbers and booleans in JSON condition values', U, 's3:ListBucket', 'arn:aws:s3:::b', 'allow', ctx={'s3:max-keys':'10','aws:SecureTransport':'true'},
     identityPolicies=[pol(st(Condition={'NumericLessThanEquals':{'s3:max-keys':10},'Bool':{'aws:SecureTransport':True}}))])
case(['condition'], 'Null false requires presence', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', ctx={'aws:TokenIssueTime':'2025-01-01T00:00:00Z'},
     identityPolicies=[pol(st(Condition={'Null':{'aws:TokenIssueTime':'false'}}))])
case(['condition'], 'multivalued key under plain operator never matches', U, 'ec2:CreateTags', 'arn:aws:ec2:us-east-1:111111111111:instance/i-1', 'implicit-deny', ctx={'aws:TagKeys':['env']},
     identityPolicies=[pol(st(Condition={'StringEquals':{'aws:TagKeys':'env'}}))])

# ---- partitions, more principal forms
CN='arn:aws-cn:sts::111111111111:assumed-role/app/s1'
case(['principal','partition'], 'role ARN in another partition does not cover the session', CN, 's3:GetObject', 'arn:aws-cn:s3:::b/k', 'implicit-deny',
     resourcePolicy=pol(st(action='s3:*', resource='*', Principal={'AWS':ROLE})))
case(['principal','partition'], 'role ARN in the same partition covers the session', CN, 's3:GetObject', 'arn:aws-cn:s3:::b/k', 'allow',
     resourcePolicy=pol(st(action='s3:*', resource='*', Principal={'AWS':'arn:aws-cn:iam::111111111111:role/app'})))
case(['principal'], 'principal list: any element matches', S, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow',
     resourcePolicy=pol(st(action='s3:*', Principal={'AWS':['222222222222', S], 'Service':'logs.amazonaws.com'})))
case(['principal','cross-account'], 'cross account: account root ARN grant + identity allow for session', 'arn:aws:sts::222222222222:assumed-role/ext/x', 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:111111111111:q', 'allow',
     identityPolicies=[pol(st(action='sqs:SendMessage', resource='arn:aws:sqs:*:111111111111:q'))],
     resourcePolicy=pol(st(action='sqs:SendMessage', Principal={'AWS':'arn:aws:iam::222222222222:root'})))
case(['principal','cross-account'], 'cross account: direct session grant still needs identity allow', 'arn:aws:sts::222222222222:assumed-role/ext/x', 'sqs:SendMessage', 'arn:aws:sqs:us-east-1:111111111111:q', 'implicit-deny',
     resourcePolicy=pol(st(action='sqs:SendMessage', Principal={'AWS':'arn:aws:sts::222222222222:assumed-role/ext/x'})))
case(['condition','variables'], 'StringEqualsIgnoreCase with a variable', U, 'secretsmanager:GetSecretValue', 'arn:aws:secretsmanager:us-east-1:111111111111:secret:db-AbCdEf', 'allow', ctx={'aws:PrincipalTag/team':'Red','aws:ResourceTag/team':'RED'},
     identityPolicies=[pol(st(Condition={'StringEqualsIgnoreCase':{'aws:ResourceTag/team':'${aws:PrincipalTag/team}'}}))])
case(['condition'], 'ArnNotLike deny exempts admin roles', S, 'iam:PutRolePolicy', 'arn:aws:iam::111111111111:role/x', 'explicit-deny', ctx={'aws:PrincipalArn':ROLE},
     identityPolicies=[ALL], scps=[[ALL, pol(st('Deny','iam:*', Condition={'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/admin-*'}}))]])
case(['condition'], 'ArnNotLike deny: admin role exempt', 'arn:aws:sts::111111111111:assumed-role/admin-1/s', 'iam:PutRolePolicy', 'arn:aws:iam::111111111111:role/x', 'allow', ctx={'aws:PrincipalArn':'arn:aws:iam::111111111111:role/admin-1'},
     identityPolicies=[ALL], scps=[[ALL, pol(st('Deny','iam:*', Condition={'ArnNotLike':{'aws:PrincipalArn':'arn:aws:iam::*:role/admin-*'}}))]])
case(['condition'], 'ForAllValues with Null guard rejects untagged request', U, 'ec2:CreateTags', 'arn:aws:ec2:us-east-1:111111111111:instance/i-1', 'implicit-deny',
     identityPolicies=[pol(st(Condition={'ForAllValues:StringEquals':{'aws:TagKeys':['env']},'Null':{'aws:TagKeys':'false'}}))])
case(['condition'], 'DateLessThan with epoch seconds policy value', U, 's3:GetObject', 'arn:aws:s3:::b/k', 'allow', ctx={'aws:CurrentTime':'2024-12-31T23:59:59Z'},
     identityPolicies=[pol(st(Condition={'DateLessThan':{'aws:CurrentTime':'1735689600'}}))])

for i,c in enumerate(cases):
    slug=''.join(ch if ch.isalnum() else '-' for ch in c['name'].lower())
    while '--' in slug: slug=slug.replace('--','-')
    slug=slug.strip('-')[:60].strip('-')
    with open(os.path.join(OUT, '%03d-%s.json'%(i+1, slug)),'w') as f:
        json.dump(c,f,indent=2); f.write('\n')
print(len(cases))
