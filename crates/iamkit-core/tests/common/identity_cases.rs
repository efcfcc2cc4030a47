//! A deterministic generator of realistic identity-only cases (one to three identity policies of
//! one to four statements, and a request), for the parse-and-decide benches and the `iamkit eval`
//! streaming tests. The same seed gives the same cases on every machine.
//!
//! The policies look like what people write: exact actions (`s3:GetObject`), prefix wildcards
//! (`ec2:Describe*`), whole services (`dynamodb:*`), bucket and object ARNs, `*`, policy variables,
//! and the usual conditions (region, TLS, source IP, MFA, tags, time).

#![allow(dead_code)]

use serde_json::{json, Value};

/// A pseudo-random sequence (SplitMix64): a few lines, so the cases need no random-number crate and
/// stay the same whatever such a crate's version would do.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    /// A sequence from a seed.
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n`.
    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }

    /// True with probability `percent` / 100.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`.
    pub fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len())]
    }
}

const ACCOUNT: &str = "123456789012";

/// Services with their actions.
const SERVICES: &[(&str, &[&str])] = &[
    (
        "s3",
        &[
            "GetObject",
            "PutObject",
            "DeleteObject",
            "ListBucket",
            "GetBucketLocation",
            "GetObjectTagging",
        ],
    ),
    (
        "ec2",
        &[
            "DescribeInstances",
            "DescribeVolumes",
            "StartInstances",
            "StopInstances",
            "RunInstances",
            "TerminateInstances",
        ],
    ),
    (
        "dynamodb",
        &[
            "GetItem",
            "PutItem",
            "Query",
            "Scan",
            "DeleteItem",
            "UpdateItem",
        ],
    ),
    (
        "iam",
        &["PassRole", "GetRole", "ListRoles", "CreateUser", "GetUser"],
    ),
    (
        "sqs",
        &[
            "SendMessage",
            "ReceiveMessage",
            "DeleteMessage",
            "GetQueueUrl",
        ],
    ),
    (
        "lambda",
        &["InvokeFunction", "GetFunction", "UpdateFunctionCode"],
    ),
    (
        "kms",
        &["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey"],
    ),
    (
        "logs",
        &["CreateLogStream", "PutLogEvents", "DescribeLogGroups"],
    ),
];

const REGIONS: &[&str] = &["us-east-1", "us-west-2", "eu-west-1", "ap-southeast-2"];

/// A concrete resource of a service (what a request names).
fn resource(rng: &mut Rng, service: &str) -> String {
    let k = rng.below(8);
    let region = *rng.pick(REGIONS);
    match service {
        "s3" => match rng.below(3) {
            0 => format!("arn:aws:s3:::bucket-{k}"),
            1 => format!(
                "arn:aws:s3:::bucket-{k}/reports/2026/q{}.csv",
                rng.below(4) + 1
            ),
            _ => format!(
                "arn:aws:s3:::bucket-{k}/home/user-{}/notes.txt",
                rng.below(6)
            ),
        },
        "ec2" => format!("arn:aws:ec2:{region}:{ACCOUNT}:instance/i-0abc{k:04}def"),
        "dynamodb" => format!("arn:aws:dynamodb:{region}:{ACCOUNT}:table/Table{k}"),
        "iam" => format!("arn:aws:iam::{ACCOUNT}:role/service/Role{k}"),
        "sqs" => format!("arn:aws:sqs:{region}:{ACCOUNT}:queue-{k}"),
        "lambda" => format!("arn:aws:lambda:{region}:{ACCOUNT}:function:fn-{k}"),
        "kms" => {
            format!("arn:aws:kms:{region}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-12345678{k:04}")
        }
        _ => format!("arn:aws:logs:{region}:{ACCOUNT}:log-group:/aws/lambda/fn-{k}:log-stream:s"),
    }
}

/// A resource pattern of a service (what a policy names).
fn resource_pattern(rng: &mut Rng, service: &str) -> String {
    if rng.chance(15) {
        return "*".into();
    }
    let k = rng.below(8);
    match service {
        "s3" => match rng.below(5) {
            0 => format!("arn:aws:s3:::bucket-{k}"),
            1 => format!("arn:aws:s3:::bucket-{k}/*"),
            2 => format!("arn:aws:s3:::bucket-{k}/reports/*"),
            3 => format!("arn:aws:s3:::bucket-{k}/home/${{aws:username}}/*"),
            _ => "arn:aws:s3:::bucket-*".into(),
        },
        "ec2" => match rng.below(2) {
            0 => format!("arn:aws:ec2:*:{ACCOUNT}:instance/*"),
            _ => format!(
                "arn:aws:ec2:{}:{ACCOUNT}:instance/i-0abc{k:04}def",
                rng.pick(REGIONS)
            ),
        },
        "dynamodb" => format!(
            "arn:aws:dynamodb:{}:{ACCOUNT}:table/Table{k}",
            rng.pick(REGIONS)
        ),
        "iam" => match rng.below(2) {
            0 => format!("arn:aws:iam::{ACCOUNT}:role/service/*"),
            _ => format!("arn:aws:iam::{ACCOUNT}:role/service/Role{k}"),
        },
        "sqs" => format!("arn:aws:sqs:*:{ACCOUNT}:queue-{k}"),
        "lambda" => format!(
            "arn:aws:lambda:{}:{ACCOUNT}:function:fn-*",
            rng.pick(REGIONS)
        ),
        "kms" => format!("arn:aws:kms:*:{ACCOUNT}:key/*"),
        _ => format!("arn:aws:logs:*:{ACCOUNT}:log-group:/aws/lambda/*"),
    }
}

/// An action pattern of a service.
fn action_pattern(rng: &mut Rng, service: &str, actions: &[&str]) -> String {
    match rng.below(20) {
        0 => "*".into(),
        1 | 2 => format!("{service}:*"),
        3..=6 => {
            // the action's first word: `Get*`, `Describe*`, `Put*`
            let a = rng.pick(actions);
            let cut = a
                .char_indices()
                .skip(1)
                .find(|(_, c)| c.is_ascii_uppercase())
                .map_or(a.len(), |(i, _)| i);
            format!("{service}:{}*", &a[..cut])
        }
        _ => format!("{service}:{}", rng.pick(actions)),
    }
}

/// A condition block.
fn condition(rng: &mut Rng, deny: bool) -> Value {
    match rng.below(8) {
        0 => json!({"StringEquals": {"aws:RequestedRegion": [REGIONS[0], REGIONS[2]]}}),
        1 => json!({"Bool": {"aws:SecureTransport": if deny { "false" } else { "true" }}}),
        2 => json!({"IpAddress": {"aws:SourceIp": ["203.0.113.0/24", "198.51.100.0/24"]}}),
        3 => json!({"StringLike": {"s3:prefix": ["home/${aws:username}/*", "reports/*"]}}),
        4 => {
            json!({"BoolIfExists": {"aws:MultiFactorAuthPresent": if deny { "false" } else { "true" }}})
        }
        5 => json!({"StringEquals": {"aws:PrincipalTag/team": rng.pick(&["data", "web", "ops"])}}),
        6 => json!({"DateGreaterThan": {"aws:CurrentTime": "2024-01-01T00:00:00Z"}}),
        _ => json!({"NumericLessThanEquals": {"s3:max-keys": "100"}}),
    }
}

fn one_or_list(mut items: Vec<String>, rng: &mut Rng) -> Value {
    if items.len() == 1 && rng.chance(70) {
        Value::String(items.remove(0))
    } else {
        Value::Array(items.into_iter().map(Value::String).collect())
    }
}

/// One policy document.
fn policy(rng: &mut Rng) -> Value {
    let n = 1 + rng.below(4);
    let mut statements = Vec::with_capacity(n);
    for i in 0..n {
        let (service, actions) = *rng.pick(SERVICES);
        let deny = rng.chance(15);
        let mut s = serde_json::Map::new();
        if rng.chance(70) {
            s.insert(
                "Sid".into(),
                json!(format!("Stmt{i}{}", service.to_uppercase())),
            );
        }
        s.insert("Effect".into(), json!(if deny { "Deny" } else { "Allow" }));
        let acts = (0..1 + rng.below(4))
            .map(|_| action_pattern(rng, service, actions))
            .collect();
        s.insert("Action".into(), one_or_list(acts, rng));
        let res = (0..1 + rng.below(3))
            .map(|_| resource_pattern(rng, service))
            .collect();
        s.insert("Resource".into(), one_or_list(res, rng));
        if rng.chance(25) {
            s.insert("Condition".into(), condition(rng, deny));
        }
        statements.push(Value::Object(s));
    }
    json!({"Version": "2012-10-17", "Statement": statements})
}

/// One identity-only case: its policies (JSON texts) and its request.
#[derive(Debug, Clone)]
pub struct IdentityCase {
    /// The identity policies, as compact JSON texts.
    pub policies: Vec<String>,
    /// The caller.
    pub principal: String,
    /// `service:Action`.
    pub action: String,
    /// The resource ARN.
    pub resource: String,
    /// Single-valued context keys and their values.
    pub context: Vec<(String, String)>,
}

impl IdentityCase {
    /// The request as the wire reads it.
    pub fn request_json(&self) -> Value {
        let ctx: serde_json::Map<String, Value> = self
            .context
            .iter()
            .map(|(k, v)| (k.clone(), Value::String(v.clone())))
            .collect();
        json!({
            "principal": self.principal,
            "action": self.action,
            "resource": self.resource,
            "context": ctx,
        })
    }

    /// The case as one line of an `iamkit eval` JSON-lines file.
    pub fn case_line(&self, name: &str) -> String {
        let policies: Vec<Value> = self
            .policies
            .iter()
            .map(|p| serde_json::from_str(p).expect("generated JSON"))
            .collect();
        json!({
            "name": name,
            "request": self.request_json(),
            "policies": {"identity": policies},
        })
        .to_string()
    }
}

/// `n` cases from `seed`.
pub fn identity_cases(n: usize, seed: u64) -> Vec<IdentityCase> {
    let mut rng = Rng::new(seed);
    (0..n).map(|_| identity_case(&mut rng)).collect()
}

/// The next case of a sequence.
pub fn identity_case(rng: &mut Rng) -> IdentityCase {
    let policies: Vec<String> = (0..1 + rng.below(3))
        .map(|_| policy(rng).to_string())
        .collect();
    let (service, actions) = *rng.pick(SERVICES);
    let user = rng.below(6);
    let principal = if rng.chance(70) {
        format!("arn:aws:iam::{ACCOUNT}:user/user-{user}")
    } else {
        format!("arn:aws:sts::{ACCOUNT}:assumed-role/Role{user}/session-{user}")
    };
    let mut context = vec![
        (
            "aws:RequestedRegion".to_string(),
            rng.pick(REGIONS).to_string(),
        ),
        (
            "aws:SecureTransport".to_string(),
            rng.pick(&["true", "false"]).to_string(),
        ),
        (
            "aws:SourceIp".to_string(),
            format!("203.0.{}.{}", 112 + rng.below(3), rng.below(250)),
        ),
        (
            "aws:CurrentTime".to_string(),
            "2026-03-01T12:00:00Z".to_string(),
        ),
    ];
    if rng.chance(50) {
        context.push((
            "aws:MultiFactorAuthPresent".to_string(),
            rng.pick(&["true", "false"]).to_string(),
        ));
    }
    if rng.chance(50) {
        context.push((
            "aws:PrincipalTag/team".to_string(),
            rng.pick(&["data", "web", "ops"]).to_string(),
        ));
    }
    if service == "s3" {
        context.push(("s3:prefix".to_string(), "reports/2026".to_string()));
    }
    let action = format!("{service}:{}", rng.pick(actions));
    let resource = resource(rng, service);
    // an action with no resource type (`ec2:DescribeInstances`) is asked on `*` alone
    let untyped = iamkit_core::catalog::Catalog::embedded()
        .action(&action)
        .is_some_and(|(_, a)| a.resources.is_empty());
    IdentityCase {
        policies,
        principal,
        action,
        resource: if untyped { "*".into() } else { resource },
        context,
    }
}
