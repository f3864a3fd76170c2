/* risk_tables.c - the data behind the risk rules: which actions read
 * secrets, return credentials or move data out, which condition keys
 * restrict what, the privilege-escalation methods (iam-semantics.md 8) and
 * the SCP guardrails. Facts, kept as tables so a rule change is a data
 * change. Action names use the catalog's spelling; keys are lowercase. */
#include "analyzer/risk_internal.h"

const char *const iam_secret_actions[] = {
    "secretsmanager:GetSecretValue", "secretsmanager:BatchGetSecretValue",
    "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory",
    "kms:Decrypt", "kms:ReEncryptFrom",
    NULL,
};

/* Tags, the service a call comes through, encryption context, the network
 * path, and principal tags all narrow who can read which secret. */
const char *const iam_secret_mitigations[] = {
    "aws:resourcetag/", "secretsmanager:resourcetag/", "ssm:resourcetag/", "kms:resourcealiases",
    "aws:principaltag/", "kms:viaservice", "kms:encryptioncontext:", "kms:encryptioncontextkeys",
    "kms:calleraccount", "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip",
    "aws:calledvia", "aws:calledviafirst", "aws:calledvialast", "secretsmanager:secretid",
    "secretsmanager:name", "ssm:parameter", "aws:principalarn", "aws:userid", "aws:username",
    NULL,
};

/* Actions whose response carries credentials or tokens (Cloudsplaining's
 * credentials-exposure set). */
const char *const iam_credential_actions[] = {
    "chime:CreateApiKey", "codepipeline:PollForJobs", "cognito-identity:GetOpenIdToken",
    "cognito-identity:GetOpenIdTokenForDeveloperIdentity", "cognito-identity:GetCredentialsForIdentity",
    "connect:GetFederationToken", "ec2:GetPasswordData", "ecr:GetAuthorizationToken",
    "gamelift:RequestUploadCredentials", "iam:CreateAccessKey", "iam:CreateLoginProfile",
    "iam:CreateServiceSpecificCredential", "iam:ResetServiceSpecificCredential", "iam:UpdateAccessKey",
    "lightsail:GetInstanceAccessDetails", "lightsail:GetRelationalDatabaseMasterUserPassword",
    "rds-db:connect", "redshift:GetClusterCredentials", "sso:GetRoleCredentials",
    "mediapackage:RotateChannelCredentials", "mediapackage:RotateIngestEndpointCredentials",
    "sts:AssumeRole", "sts:GetFederationToken", "sts:GetSessionToken",
    NULL,
};

/* Reading objects and snapshots, or sharing snapshots and images out. */
const char *const iam_exfiltration_actions[] = {
    "s3:GetObject", "s3:GetObjectVersion", "ebs:GetSnapshotBlock", "ebs:ListSnapshotBlocks",
    "ec2:ModifySnapshotAttribute", "ec2:ModifyImageAttribute", "rds:ModifyDBSnapshotAttribute",
    "rds:ModifyDBClusterSnapshotAttribute", "dynamodb:ExportTableToPointInTime",
    NULL,
};

/* Keys that say who (or from where) the caller is. */
const char *const iam_caller_keys[] = {
    "aws:principalorgid", "aws:principalorgpaths", "aws:principalaccount", "aws:principalarn",
    "aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "aws:vpcsourceip", "aws:sourcearn",
    "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:userid", "aws:username",
    "aws:principaltag/", "aws:principalservicename", "aws:principalisawsservice",
    "kms:calleraccount", "sts:externalid", "aws:federatedprovider", "aws:sourceowner",
    "aws:ec2instancesourcevpc",
    NULL,
};

const char *const iam_source_keys[] = {
    "aws:sourcearn", "aws:sourceaccount", "aws:sourceorgid", "aws:sourceorgpaths", "aws:sourceowner",
    NULL,
};

/* Present on every signed request (iam-semantics.md 5), so a negated or
 * IfExists operator on them still restricts. */
const char *const iam_always_present_keys[] = {
    "aws:currenttime", "aws:epochtime", "aws:securetransport", "aws:requestedregion",
    "aws:principalaccount", "aws:principaltype", "aws:viaawsservice", "aws:userid",
    NULL,
};

const char *const iam_multivalued_keys[] = {
    "aws:tagkeys", "aws:calledvia", "aws:principalorgpaths", "aws:resourceorgpaths",
    "aws:sourceorgpaths", "aws:principalservicenameslist",
    NULL,
};

#define A(...) (const char *const[]){__VA_ARGS__, NULL}
#define PASS A("iam:PassRole")

const iam_escalation iam_escalations[] = {
    {"iam:CreatePolicyVersion", "make a new default version of a managed policy attached to it", {A("iam:CreatePolicyVersion")}, NULL, false},
    {"iam:SetDefaultPolicyVersion", "switch an attached managed policy to an older, broader version", {A("iam:SetDefaultPolicyVersion")}, NULL, false},
    {"iam:PassRole + ec2:RunInstances", "launch an instance with a privileged profile and read its credentials", {PASS, A("ec2:RunInstances")}, "ec2.amazonaws.com", false},
    {"iam:CreateAccessKey", "create access keys for another user", {A("iam:CreateAccessKey")}, NULL, true},
    {"iam:CreateLoginProfile", "set a console password for another user", {A("iam:CreateLoginProfile")}, NULL, true},
    {"iam:UpdateLoginProfile", "change another user's console password", {A("iam:UpdateLoginProfile")}, NULL, true},
    {"iam:AttachUserPolicy", "attach AdministratorAccess to a user", {A("iam:AttachUserPolicy")}, NULL, false},
    {"iam:AttachGroupPolicy", "attach AdministratorAccess to a group it is in", {A("iam:AttachGroupPolicy")}, NULL, false},
    {"iam:AttachRolePolicy", "attach AdministratorAccess to a role it can use", {A("iam:AttachRolePolicy")}, NULL, false},
    {"iam:PutUserPolicy", "write an inline admin policy on a user", {A("iam:PutUserPolicy")}, NULL, false},
    {"iam:PutGroupPolicy", "write an inline admin policy on a group it is in", {A("iam:PutGroupPolicy")}, NULL, false},
    {"iam:PutRolePolicy", "write an inline admin policy on a role it can use", {A("iam:PutRolePolicy")}, NULL, false},
    {"iam:AddUserToGroup", "join a privileged group", {A("iam:AddUserToGroup")}, NULL, false},
    {"iam:UpdateAssumeRolePolicy + sts:AssumeRole", "make a privileged role trust it, then assume it", {A("iam:UpdateAssumeRolePolicy"), A("sts:AssumeRole")}, NULL, false},
    {"iam:PassRole + lambda:CreateFunction + lambda:InvokeFunction", "run code as a privileged role", {PASS, A("lambda:CreateFunction"), A("lambda:InvokeFunction")}, "lambda.amazonaws.com", false},
    {"iam:PassRole + lambda:CreateFunction + lambda:CreateEventSourceMapping", "run code as a privileged role, triggered by an event source", {PASS, A("lambda:CreateFunction"), A("lambda:CreateEventSourceMapping")}, "lambda.amazonaws.com", false},
    {"lambda:UpdateFunctionCode", "replace the code of a privileged function", {A("lambda:UpdateFunctionCode", "lambda:UpdateFunctionConfiguration")}, NULL, false},
    {"iam:PassRole + glue:CreateDevEndpoint", "open an endpoint running as a privileged role", {PASS, A("glue:CreateDevEndpoint")}, "glue.amazonaws.com", false},
    {"glue:UpdateDevEndpoint", "add its SSH key to an endpoint running as a privileged role", {A("glue:UpdateDevEndpoint")}, NULL, false},
    {"iam:PassRole + cloudformation:CreateStack", "make a stack act as a privileged role", {PASS, A("cloudformation:CreateStack", "cloudformation:UpdateStack", "cloudformation:CreateChangeSet")}, "cloudformation.amazonaws.com", false},
    {"iam:PassRole + datapipeline:CreatePipeline", "run a pipeline as a privileged role", {PASS, A("datapipeline:CreatePipeline"), A("datapipeline:PutPipelineDefinition")}, "datapipeline.amazonaws.com", false},
    {"iam:PassRole + ecs:RegisterTaskDefinition + ecs:RunTask", "run a task as a privileged task role", {PASS, A("ecs:RegisterTaskDefinition"), A("ecs:RunTask", "ecs:CreateService", "ecs:StartTask")}, "ecs-tasks.amazonaws.com", false},
    {"iam:PassRole + codebuild:CreateProject", "run a build as a privileged role", {PASS, A("codebuild:CreateProject", "codebuild:UpdateProject"), A("codebuild:StartBuild", "codebuild:StartBuildBatch")}, "codebuild.amazonaws.com", false},
    {"iam:PassRole + sagemaker:CreateNotebookInstance", "open a notebook running as a privileged role", {PASS, A("sagemaker:CreateNotebookInstance", "sagemaker:CreateTrainingJob", "sagemaker:CreateProcessingJob")}, "sagemaker.amazonaws.com", false},
    {"iam:PassRole + autoscaling:CreateAutoScalingGroup", "launch instances with a privileged profile", {PASS, A("autoscaling:CreateLaunchConfiguration", "ec2:CreateLaunchTemplate"), A("autoscaling:CreateAutoScalingGroup", "autoscaling:UpdateAutoScalingGroup")}, "ec2.amazonaws.com", false},
    {"iam:PassRole + glue:CreateJob", "run a job as a privileged role", {PASS, A("glue:CreateJob", "glue:UpdateJob"), A("glue:StartJobRun")}, "glue.amazonaws.com", false},
    {"ssm:SendCommand", "run commands on an instance and borrow its role", {A("ssm:SendCommand", "ssm:StartSession", "ec2-instance-connect:SendSSHPublicKey")}, NULL, false},
    {"ec2:ModifyInstanceAttribute + ec2:StopInstances + ec2:StartInstances", "change an instance's user data to run code as its role", {A("ec2:ModifyInstanceAttribute"), A("ec2:StopInstances"), A("ec2:StartInstances")}, NULL, false},
    {"iam:DeleteRolePermissionsBoundary", "remove or replace a permissions boundary", {A("iam:DeleteRolePermissionsBoundary", "iam:DeleteUserPermissionsBoundary", "iam:PutRolePermissionsBoundary", "iam:PutUserPermissionsBoundary")}, NULL, false},
    {"iam:DetachRolePolicy", "detach or delete a policy that denies it", {A("iam:DetachRolePolicy", "iam:DetachUserPolicy", "iam:DetachGroupPolicy", "iam:DeleteRolePolicy", "iam:DeleteUserPolicy", "iam:DeleteGroupPolicy")}, NULL, false},
};
const size_t iam_nescalations = sizeof iam_escalations / sizeof *iam_escalations;

const iam_guardrail iam_guardrails[] = {
    {"CloudTrail cannot be stopped or deleted", A("cloudtrail:StopLogging", "cloudtrail:DeleteTrail"), false},
    {"GuardDuty cannot be disabled", A("guardduty:DeleteDetector", "guardduty:DisassociateFromMasterAccount"), false},
    {"AWS Config cannot be stopped", A("config:StopConfigurationRecorder", "config:DeleteConfigurationRecorder"), false},
    {"Security Hub cannot be disabled", A("securityhub:DisableSecurityHub"), false},
    {"IAM Access Analyzer cannot be deleted", A("access-analyzer:DeleteAnalyzer"), false},
    {"accounts cannot leave the organization", A("organizations:LeaveOrganization"), false},
    {"member-account root users are denied", NULL, true},
};
const size_t iam_nguardrails = sizeof iam_guardrails / sizeof *iam_guardrails;
