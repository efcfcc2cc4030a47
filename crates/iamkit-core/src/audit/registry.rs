//! Every check: id, title, severity, compliance ids, remediation, and the function that runs it.
//! The order here is the order of findings.

use super::{checks_account as acct, checks_report as cr, checks_settings as pp};
use super::{Ctx, Finding, Out, Risk, Status};

/// One check.
#[derive(Debug, Clone, Copy)]
pub struct Check {
    /// The stable id.
    pub id: &'static str,
    /// The title.
    pub title: &'static str,
    /// How serious a failure is.
    pub severity: Risk,
    /// Framework to control ids.
    pub compliance: &'static [(&'static str, &'static [&'static str])],
    /// What to do when it fails.
    pub remediation: &'static str,
    /// An AWS CLI command that does it.
    pub cli: Option<&'static str>,
    /// The inputs it reads.
    pub inputs: &'static str,
    /// Runs the check (it is handed its own entry, for the findings' metadata).
    pub(crate) run: Run,
}

impl Check {
    /// What its findings take from it.
    pub(crate) fn meta(&self) -> super::CheckMeta {
        super::CheckMeta {
            id: self.id,
            title: self.title,
            severity: self.severity,
            remediation: self.remediation,
            cli: self.cli,
            compliance: self.compliance,
        }
    }
}

/// How a check hands out its findings.
#[derive(Clone, Copy)]
pub(crate) enum Run {
    /// As a list (checks with few findings: account-wide ones).
    List(fn(&Ctx<'_>, &'static Check) -> Vec<Finding>),
    /// One at a time (checks with a finding per user or per credential).
    Each(fn(&Ctx<'_>, &'static Check, &mut Out<'_>)),
}

impl std::fmt::Debug for Run {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            Run::List(_) => "List",
            Run::Each(_) => "Each",
        })
    }
}

const CIS7: &str = "cis-aws-7.0";
const CIS6: &str = "cis-aws-6.0";
const CIS5: &str = "cis-aws-5.0";
const FSBP: &str = "aws-fsbp";

fn not_assessable(ctx: &Ctx<'_>, check: &'static Check, why: &str) -> Vec<Finding> {
    vec![ctx.finding(
        check,
        Status::NotEvaluated,
        &ctx.account_arn,
        None,
        super::ev! {"notAssessable": why.to_string()},
        format!("not evaluated: {why}"),
    )]
}

/// Every check, in report order.
pub static CHECKS: &[Check] = &[
    Check {
        id: "root-access-keys",
        title: "The root user has no access keys",
        severity: Risk::Critical,
        compliance: &[(CIS7, &["2.4"]), (CIS6, &["2.3"]), (CIS5, &["1.3"]), (FSBP, &["IAM.4"])],
        remediation: "Sign in as the root user and delete its access keys (Security credentials page); use IAM roles or users instead.",
        cli: Some("aws iam delete-access-key --access-key-id <root-key-id>   # run with root credentials"),
        inputs: "credential report (or account summary)",
        run: Run::Each(cr::root_access_keys),
    },
    Check {
        id: "root-mfa",
        title: "The root user has MFA",
        severity: Risk::Critical,
        compliance: &[(CIS7, &["2.5"]), (CIS6, &["2.4"]), (CIS5, &["1.4"]), (FSBP, &["IAM.9"])],
        remediation: "Sign in as the root user and assign an MFA device (preferably hardware or a passkey).",
        cli: None,
        inputs: "credential report (or account summary)",
        run: Run::Each(cr::root_mfa),
    },
    Check {
        id: "root-hardware-mfa",
        title: "The root user's MFA is a hardware device",
        severity: Risk::High,
        compliance: &[(CIS7, &["2.6"]), (CIS6, &["2.5"]), (CIS5, &["1.5"]), (FSBP, &["IAM.6"])],
        remediation: "Replace the root user's virtual MFA device with a hardware MFA device or a FIDO security key.",
        cli: Some("aws iam list-virtual-mfa-devices --assignment-status Assigned"),
        inputs: "account summary and virtual MFA device list",
        run: Run::Each(cr::root_hardware_mfa),
    },
    Check {
        id: "root-recent-use",
        title: "The root user is not used for daily work",
        severity: Risk::High,
        compliance: &[(CIS7, &["2.7"]), (CIS6, &["2.6"]), (CIS5, &["1.6"])],
        remediation: "Stop using the root user: create administrators with IAM Identity Center or IAM roles, and keep the root credentials locked away.",
        cli: None,
        inputs: "credential report",
        run: Run::Each(cr::root_recent_use),
    },
    Check {
        id: "root-signing-certificates",
        title: "The root user has no active signing certificates",
        severity: Risk::Medium,
        compliance: &[],
        remediation: "Sign in as the root user and delete or deactivate its X.509 signing certificates.",
        cli: None,
        inputs: "credential report",
        run: Run::Each(cr::root_certificates),
    },
    Check {
        id: "console-mfa",
        title: "Every IAM user with a console password has MFA",
        severity: Risk::High,
        compliance: &[(CIS7, &["2.10"]), (CIS6, &["2.9"]), (CIS5, &["1.9"]), (FSBP, &["IAM.5", "IAM.19"])],
        remediation: "Assign an MFA device to the user, or remove the console password if it is not needed.",
        cli: Some("aws iam enable-mfa-device --user-name <user> --serial-number <arn> --authentication-code1 <code> --authentication-code2 <code>"),
        inputs: "credential report",
        run: Run::Each(cr::console_mfa),
    },
    Check {
        id: "admin-without-mfa",
        title: "Every administrator with a console password has MFA",
        severity: Risk::High,
        compliance: &[],
        remediation: "Assign an MFA device to the administrator, or move administration to roles that require MFA.",
        cli: Some("aws iam enable-mfa-device --user-name <user> --serial-number <arn> --authentication-code1 <code> --authentication-code2 <code>"),
        inputs: "authorization details and credential report",
        run: Run::Each(cr::admin_without_mfa),
    },
    Check {
        id: "unused-credentials",
        title: "Credentials unused for 45 days or more are disabled",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["2.11"]), (CIS6, &["2.11"]), (CIS5, &["1.11"]), (FSBP, &["IAM.22"])],
        remediation: "Deactivate the unused access key, or remove the unused console password.",
        cli: Some("aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive   # or: aws iam delete-login-profile --user-name <user>"),
        inputs: "credential report",
        run: Run::Each(cr::unused_credentials),
    },
    Check {
        id: "key-rotation",
        title: "Active access keys are rotated every 90 days or less",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["2.12"]), (CIS6, &["2.13"]), (CIS5, &["1.13"]), (FSBP, &["IAM.3"])],
        remediation: "Create a new access key, move its users to it, then deactivate and delete the old one.",
        cli: Some("aws iam create-access-key --user-name <user> && aws iam update-access-key --user-name <user> --access-key-id <old-key-id> --status Inactive"),
        inputs: "credential report",
        run: Run::Each(cr::key_rotation),
    },
    Check {
        id: "two-active-keys",
        title: "No IAM user has two active access keys",
        severity: Risk::Medium,
        compliance: &[(CIS6, &["2.12"]), (CIS5, &["1.12"])],
        remediation: "Keep one active access key per user: deactivate the one no longer used.",
        cli: Some("aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive"),
        inputs: "credential report",
        run: Run::Each(cr::two_active_keys),
    },
    Check {
        id: "setup-keys-unused",
        title: "No access key created at user setup sits unused",
        severity: Risk::Medium,
        compliance: &[(CIS6, &["2.10"]), (CIS5, &["1.10"])],
        remediation: "Delete access keys that were created with the console user and never used; create keys only when a workload needs them.",
        cli: Some("aws iam delete-access-key --user-name <user> --access-key-id <key-id>"),
        inputs: "credential report",
        run: Run::Each(cr::setup_keys_unused),
    },
    Check {
        id: "console-user-with-keys",
        title: "Console users do not also hold active access keys",
        severity: Risk::Low,
        compliance: &[],
        remediation: "Give people console access (ideally through IAM Identity Center) and workloads roles; remove access keys from console users.",
        cli: Some("aws iam update-access-key --user-name <user> --access-key-id <key-id> --status Inactive"),
        inputs: "credential report",
        run: Run::Each(cr::console_user_with_keys),
    },
    Check {
        id: "inactive-keys",
        title: "No inactive access keys are left behind",
        severity: Risk::Low,
        compliance: &[],
        remediation: "Delete access keys that are inactive.",
        cli: Some("aws iam delete-access-key --user-name <user> --access-key-id <key-id>"),
        inputs: "credential report",
        run: Run::Each(cr::inactive_keys),
    },
    Check {
        id: "keys-for-workloads",
        title: "Programmatic users do not use long-term keys where a role would serve",
        severity: Risk::Low,
        compliance: &[],
        remediation: "Run the workload with an IAM role (an instance profile on EC2, a task or execution role, IRSA, IAM Roles Anywhere) and delete the user's keys.",
        cli: Some("aws iam create-instance-profile --instance-profile-name <name> && aws iam add-role-to-instance-profile --instance-profile-name <name> --role-name <role>"),
        inputs: "credential report",
        run: Run::Each(cr::keys_for_workloads),
    },
    Check {
        id: "password-min-length",
        title: "The password policy requires 14 characters or more",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["2.8"]), (CIS6, &["2.7"]), (CIS5, &["1.7"]), (FSBP, &["IAM.7", "IAM.15"])],
        remediation: "Set a minimum password length of at least 14.",
        cli: Some("aws iam update-account-password-policy --minimum-password-length 14"),
        inputs: "password policy",
        run: Run::List(pp::min_length),
    },
    Check {
        id: "password-reuse",
        title: "The password policy prevents reuse of the last 24 passwords",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["2.9"]), (CIS6, &["2.8"]), (CIS5, &["1.8"]), (FSBP, &["IAM.7", "IAM.16"])],
        remediation: "Set password reuse prevention to 24.",
        cli: Some("aws iam update-account-password-policy --password-reuse-prevention 24"),
        inputs: "password policy",
        run: Run::List(pp::reuse),
    },
    Check {
        id: "password-expiry",
        title: "The password policy expires passwords within 90 days",
        severity: Risk::Low,
        compliance: &[(FSBP, &["IAM.7", "IAM.17"])],
        remediation: "Set a maximum password age of 90 days or less.",
        cli: Some("aws iam update-account-password-policy --max-password-age 90"),
        inputs: "password policy",
        run: Run::List(pp::expiry),
    },
    Check {
        id: "password-complexity",
        title: "The password policy requires uppercase, lowercase, numbers and symbols",
        severity: Risk::Medium,
        compliance: &[(FSBP, &["IAM.7", "IAM.11", "IAM.12", "IAM.13", "IAM.14"])],
        remediation: "Require every character class in the password policy.",
        cli: Some("aws iam update-account-password-policy --require-uppercase-characters --require-lowercase-characters --require-numbers --require-symbols"),
        inputs: "password policy",
        run: Run::List(pp::complexity),
    },
    Check {
        id: "user-direct-policies",
        title: "IAM users receive permissions only through groups",
        severity: Risk::Low,
        compliance: &[(CIS7, &["2.13"]), (CIS6, &["2.14"]), (CIS5, &["1.14"]), (FSBP, &["IAM.2"])],
        remediation: "Put the user in a group that carries the policy, then detach the policy from the user (or delete the inline policy).",
        cli: Some("aws iam add-user-to-group --user-name <user> --group-name <group> && aws iam detach-user-policy --user-name <user> --policy-arn <arn>"),
        inputs: "authorization details",
        run: Run::List(acct::user_direct_policies),
    },
    Check {
        id: "admin-policies",
        title: "No attached policy allows every action on every resource",
        severity: Risk::High,
        compliance: &[(CIS7, &["2.14"]), (CIS6, &["2.15"]), (CIS5, &["1.15"]), (FSBP, &["IAM.1"])],
        remediation: "Replace the policy with one that grants only the actions and resources needed; keep full administration for break-glass roles.",
        cli: Some("aws iam detach-user-policy --user-name <user> --policy-arn <arn>   # or detach-group-policy / detach-role-policy"),
        inputs: "authorization details",
        run: Run::List(acct::admin_policies),
    },
    Check {
        id: "administrators",
        title: "Administrators (allowed * on *) are reviewed",
        severity: Risk::Info,
        compliance: &[],
        remediation: "Confirm each administrator needs full access; prefer roles assumed with MFA over users.",
        cli: None,
        inputs: "authorization details",
        run: Run::List(acct::administrators),
    },
    Check {
        id: "privilege-escalation",
        title: "No principal can make itself an administrator",
        severity: Risk::Critical,
        compliance: &[],
        remediation: "Remove the permission the path's first hop uses (the finding names the statement), or narrow its Resource or add a condition so it no longer reaches the target; then audit again, since other paths may remain. `iamkit account escalations` shows every hop.",
        cli: Some("aws iam create-policy-version --policy-arn <arn> --policy-document file://policy.json --set-as-default   # or put-user-policy / put-role-policy for an inline policy"),
        inputs: "authorization details",
        run: Run::List(acct::privilege_escalation),
    },
    Check {
        id: "inline-policies",
        title: "Managed policies are used instead of inline policies",
        severity: Risk::Low,
        compliance: &[],
        remediation: "Turn the inline policy into a customer managed policy, attach it, then delete the inline policy.",
        cli: Some("aws iam create-policy --policy-name <name> --policy-document file://policy.json"),
        inputs: "authorization details",
        run: Run::List(acct::inline_policies),
    },
    Check {
        id: "assume-any-role",
        title: "No policy allows sts:AssumeRole on every role",
        severity: Risk::High,
        compliance: &[],
        remediation: "Name the roles that may be assumed in the policy's Resource element.",
        cli: Some("aws iam create-policy-version --policy-arn <arn> --policy-document file://policy.json --set-as-default"),
        inputs: "authorization details",
        run: Run::List(acct::assume_any_role),
    },
    Check {
        id: "trust-open",
        title: "Role trust policies open to anyone or other accounts carry conditions",
        severity: Risk::High,
        compliance: &[],
        remediation: "Name specific principals, and require sts:ExternalId (third parties), aws:MultiFactorAuthPresent (people) or aws:PrincipalOrgID (your organization).",
        cli: Some("aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json"),
        inputs: "authorization details",
        run: Run::List(acct::trust_open),
    },
    Check {
        id: "trust-confused-deputy",
        title: "Service trust policies limit the source (confused deputy)",
        severity: Risk::Medium,
        compliance: &[],
        remediation: "Add aws:SourceArn or aws:SourceAccount conditions to the service principal's trust statement.",
        cli: Some("aws iam update-assume-role-policy --role-name <role> --policy-document file://trust.json"),
        inputs: "authorization details",
        run: Run::List(acct::trust_confused_deputy),
    },
    Check {
        id: "cloudshell-full-access",
        title: "AWSCloudShellFullAccess is not attached",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["2.20"]), (CIS6, &["2.21"]), (CIS5, &["1.21"]), (FSBP, &["IAM.27"])],
        remediation: "Detach AWSCloudShellFullAccess; grant CloudShell with a policy that blocks file upload and download if it is needed.",
        cli: Some("aws iam detach-group-policy --group-name <group> --policy-arn arn:aws:iam::aws:policy/AWSCloudShellFullAccess"),
        inputs: "authorization details",
        run: Run::List(acct::cloudshell_full_access),
    },
    Check {
        id: "support-role",
        title: "A support role exists to manage incidents with AWS Support",
        severity: Risk::Low,
        compliance: &[(CIS7, &["2.15"]), (CIS6, &["2.16"]), (CIS5, &["1.16"]), (FSBP, &["IAM.18"])],
        remediation: "Create a role that trusted users can assume, with the AWSSupportAccess managed policy attached.",
        cli: Some("aws iam attach-role-policy --role-name <role> --policy-arn arn:aws:iam::aws:policy/AWSSupportAccess"),
        inputs: "authorization details",
        run: Run::List(acct::support_role),
    },
    Check {
        id: "ec2-role-without-instance-profile",
        title: "Roles for EC2 have an instance profile",
        severity: Risk::Low,
        compliance: &[],
        remediation: "Add the role to an instance profile (or delete the role if no instance uses it).",
        cli: Some("aws iam create-instance-profile --instance-profile-name <name> && aws iam add-role-to-instance-profile --instance-profile-name <name> --role-name <role>"),
        inputs: "authorization details",
        run: Run::List(acct::ec2_role_without_profile),
    },
    Check {
        id: "instance-roles-in-use",
        title: "EC2 instances use roles for AWS access",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["2.16"]), (CIS6, &["2.17"]), (CIS5, &["1.17"])],
        remediation: "Attach an instance profile to every instance that calls AWS.",
        cli: Some("aws ec2 describe-instances --query 'Reservations[].Instances[].IamInstanceProfile'"),
        inputs: "EC2 instances (not IAM data)",
        run: Run::List(|ctx, check| not_assessable(ctx, check, "which instances have an instance profile is EC2 data (describe-instances), not IAM data")),
    },
    Check {
        id: "expired-server-certificates",
        title: "Expired server certificates are removed",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["2.17"]), (CIS6, &["2.18"]), (CIS5, &["1.18"]), (FSBP, &["IAM.26"])],
        remediation: "Delete expired server certificates.",
        cli: Some("aws iam list-server-certificates"),
        inputs: "server certificates (list-server-certificates)",
        run: Run::List(|ctx, check| not_assessable(ctx, check, "server certificates (list-server-certificates) are not among the inputs")),
    },
    Check {
        id: "access-analyzer",
        title: "IAM Access Analyzer is enabled in every region",
        severity: Risk::Low,
        compliance: &[(CIS7, &["2.18"]), (CIS6, &["2.19"]), (CIS5, &["1.19"]), (FSBP, &["IAM.28"])],
        remediation: "Create an account or organization analyzer in every region.",
        cli: Some("aws accessanalyzer create-analyzer --analyzer-name <name> --type ACCOUNT"),
        inputs: "Access Analyzer (not IAM data)",
        run: Run::List(|ctx, check| not_assessable(ctx, check, "analyzers are Access Analyzer data, not IAM data")),
    },
    Check {
        id: "activity-monitoring",
        title: "Root use, console sign-in without MFA and IAM changes are monitored",
        severity: Risk::Medium,
        compliance: &[(CIS7, &["4.1", "5.2", "5.3", "5.4"])],
        remediation: "Log with CloudTrail in every region and alarm on root use, sign-in without MFA and IAM policy changes.",
        cli: None,
        inputs: "CloudTrail and CloudWatch (not IAM data)",
        run: Run::List(|ctx, check| not_assessable(ctx, check, "monitoring is CloudTrail and CloudWatch data, not IAM data")),
    },
    Check {
        id: "keys-on-instances",
        title: "No access keys are stored on instances or in images",
        severity: Risk::Medium,
        compliance: &[],
        remediation: "Use instance profiles; scan instances and images for stored keys.",
        cli: None,
        inputs: "instances and images (not IAM data)",
        run: Run::List(|ctx, check| not_assessable(ctx, check, "where keys are stored cannot be seen in IAM data")),
    },
    Check {
        id: "shared-keys",
        title: "Access keys are not shared between people or workloads",
        severity: Risk::Medium,
        compliance: &[],
        remediation: "Give every person and workload its own identity.",
        cli: None,
        inputs: "CloudTrail (not IAM data)",
        run: Run::List(|ctx, check| not_assessable(ctx, check, "who uses a key cannot be seen in IAM data (CloudTrail shows source addresses)")),
    },
];
