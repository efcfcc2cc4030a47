//! A generated account for tests and benchmarks: `principals` users and roles that share groups
//! and managed policies, as `get-account-authorization-details` output.

/// Authorization details (JSON text) of an account of `p` principals: two thirds users in two
/// groups each, a third roles; `p / 50` (at least 10) managed policies, each allowing one
/// service's `Get*`/`List*` and denying its `Delete*` without MFA; every principal has an inline
/// policy of its own; one group in 20 and one role in 97 hold an `Allow *` policy.
pub fn generated_account(p: usize) -> String {
    use serde_json::json;
    let account = "123456789012";
    let doc = |st: serde_json::Value| json!({"Version": "2012-10-17", "Statement": st});
    let pol_arn = |name: &str| format!("arn:aws:iam::{account}:policy/{name}");
    let attach = |arn: &str| json!({"PolicyName": arn.rsplit('/').next(), "PolicyArn": arn});
    let services = [
        "s3", "ec2", "lambda", "dynamodb", "sqs", "sns", "logs", "rds",
    ];
    let mut policies = vec![json!({
        "PolicyName": "Admin", "Arn": pol_arn("Admin"), "DefaultVersionId": "v1",
        "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true,
            "Document": doc(json!([{"Effect": "Allow", "Action": "*", "Resource": "*"}]))}],
    })];
    let npol = (p / 50).max(10);
    for i in 0..npol {
        let svc = services[i % services.len()];
        policies.push(json!({
            "PolicyName": format!("Pol{i}"), "Arn": pol_arn(&format!("Pol{i}")),
            "DefaultVersionId": "v1",
            "PolicyVersionList": [{"VersionId": "v1", "IsDefaultVersion": true, "Document": doc(json!([
                {"Effect": "Allow", "Action": [format!("{svc}:Get*"), format!("{svc}:List*")], "Resource": "*"},
                {"Effect": "Deny", "Action": format!("{svc}:Delete*"),
                 "Resource": format!("arn:aws:{svc}:us-east-1:{account}:res{i}/*"),
                 "Condition": {"Bool": {"aws:MultiFactorAuthPresent": "false"}}},
            ]))}],
        }));
    }
    let ngroups = (p / 100).max(5);
    let groups: Vec<_> = (0..ngroups)
        .map(|g| {
            let mut att: Vec<_> = (0..3)
                .map(|j| attach(&pol_arn(&format!("Pol{}", (g * 7 + j) % npol))))
                .collect();
            if g % 20 == 0 {
                att.push(attach(&pol_arn("Admin")));
            }
            json!({"GroupName": format!("g{g}"), "GroupId": format!("AGPA{g}"), "Path": "/",
                   "Arn": format!("arn:aws:iam::{account}:group/g{g}"),
                   "AttachedManagedPolicies": att})
        })
        .collect();
    let (mut users, mut roles) = (Vec::new(), Vec::new());
    for i in 0..p {
        let name = format!("p{i}");
        let own = json!([{"PolicyName": "own", "PolicyDocument": doc(json!([
            {"Effect": "Allow", "Action": "s3:GetObject", "Resource": format!("arn:aws:s3:::{name}/*")}]))}]);
        if i % 3 == 2 {
            let mut att = vec![attach(&pol_arn(&format!("Pol{}", i % npol)))];
            if i % 97 == 0 {
                att.push(attach(&pol_arn("Admin")));
            }
            roles.push(
                json!({"RoleName": name, "RoleId": format!("AROA{i}"), "Path": "/",
                "Arn": format!("arn:aws:iam::{account}:role/{name}"),
                "RolePolicyList": own, "AttachedManagedPolicies": att}),
            );
        } else {
            users.push(json!({"UserName": name, "UserId": format!("AIDA{i}"), "Path": "/",
                "Arn": format!("arn:aws:iam::{account}:user/{name}"),
                "GroupList": [format!("g{}", (i * 13) % ngroups), format!("g{}", (i * 13 + 1) % ngroups)],
                "UserPolicyList": own,
                "AttachedManagedPolicies": [attach(&pol_arn(&format!("Pol{}", (i * 3) % npol)))]}));
        }
    }
    json!({"UserDetailList": users, "GroupDetailList": groups,
                      "RoleDetailList": roles, "Policies": policies})
    .to_string()
}
