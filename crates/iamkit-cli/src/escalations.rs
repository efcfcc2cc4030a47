//! `iamkit account escalations`: the escalation paths as a chain a person can follow, or as a
//! Graphviz graph.

use std::collections::BTreeSet;
use std::io::Write;

use serde_json::Value;

fn s(v: &Value) -> &str {
    v.as_str().unwrap_or("")
}

fn list(v: &Value) -> &[Value] {
    v.as_array().map(Vec::as_slice).unwrap_or_default()
}

/// Names principals by the end of their ARNs: `user/alice`, or `111122223333:user/alice` when
/// the answer spans more than one account.
struct Names {
    accounts: bool,
}

impl Names {
    /// Looks at every ARN of the answer for its account.
    fn of(v: &Value) -> Names {
        let mut seen = BTreeSet::new();
        let mut note = |arn: &str| {
            if let Some(account) = arn.split(':').nth(4) {
                seen.insert(account.to_string());
            }
        };
        list(&v["administrators"]).iter().for_each(|a| note(s(a)));
        for e in list(&v["escalations"]) {
            note(s(&e["principal"]));
            for h in list(&e["hops"]) {
                note(s(&h["source"]));
                note(s(&h["target"]));
            }
        }
        Names {
            accounts: seen.len() > 1,
        }
    }

    fn short<'a>(&self, arn: &'a str) -> &'a str {
        let parts = if self.accounts { 5 } else { 6 };
        let cut = arn
            .splitn(parts, ':')
            .last()
            .filter(|_| arn.starts_with("arn:"));
        cut.unwrap_or(arn)
    }
}

/// One line per hop: who does what to whom, with the technique, the allowing statements and
/// what a possible hop needs. `one`: the answer is about one principal (`--principal`); `to`:
/// the paths lead to that principal (`--to`), not to an administrator.
pub fn text(v: &Value, one: bool, to: Option<&str>, out: &mut impl Write) {
    let goal = match to {
        Some(t) => format!("reach {t}"),
        None => "become one".to_string(),
    };
    let names = Names::of(v);
    let short = |arn| names.short(arn);
    let admins = list(&v["administrators"]);
    let paths = list(&v["escalations"]);
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    let who = match (one, paths.is_empty()) {
        (true, true) => format!("the principal asked about cannot {goal} (or is an administrator)"),
        (true, false) => format!("the principal asked about can {goal}"),
        (false, _) => format!(
            "{} other principal{} can {goal}",
            paths.len(),
            plural(paths.len())
        ),
    };
    let _ = writeln!(
        out,
        "as of {}: {} administrator{}; {who}",
        s(&v["asOf"]),
        admins.len(),
        plural(admins.len()),
    );
    for a in admins {
        let _ = writeln!(out, "  administrator {}", s(a));
    }
    for e in paths {
        let _ = writeln!(
            out,
            "\n{} {} -> {} ({}, {} hop{}; ends as {})",
            s(&e["kind"]),
            s(&e["principal"]),
            if to.is_some() {
                "target"
            } else {
                "administrator"
            },
            s(&e["certainty"]),
            list(&e["hops"]).len(),
            if list(&e["hops"]).len() == 1 { "" } else { "s" },
            short(s(&e["target"]))
        );
        for (i, h) in list(&e["hops"]).iter().enumerate() {
            let verb = if s(&h["kind"]) == "upgrade" {
                "makes an administrator of"
            } else {
                "becomes"
            };
            let _ = writeln!(
                out,
                "  {}. {} {} {} by {} ({}){}",
                i + 1,
                short(s(&h["source"])),
                verb,
                short(s(&h["target"])),
                s(&h["techniqueName"]),
                s(&h["technique"]),
                h["via"]
                    .as_str()
                    .map(|v| format!(" via {v}"))
                    .unwrap_or_default()
            );
            for r in list(&h["requests"]) {
                let by: Vec<String> = list(&r["statements"])
                    .iter()
                    .map(|st| match st["sid"].as_str() {
                        Some(sid) => {
                            format!("{} statement {} ({sid})", s(&st["policy"]), st["statement"])
                        }
                        None => format!("{} statement {}", s(&st["policy"]), st["statement"]),
                    })
                    .collect();
                let _ = writeln!(
                    out,
                    "       {} on {}: allowed by {}",
                    s(&r["action"]),
                    s(&r["resource"]),
                    by.join("; ")
                );
            }
            if let Some(req) = h["requires"].as_str() {
                let _ = writeln!(out, "       requires {req}");
            }
        }
    }
    for u in list(&v["undecided"]) {
        let _ = writeln!(
            out,
            "undecided (a policy or trust policy that cannot be read): {}",
            s(u)
        );
    }
}

/// Quotes a Graphviz identifier or label.
fn quoted(t: &str) -> String {
    format!("\"{}\"", t.replace('\\', "\\\\").replace('"', "\\\""))
}

/// The paths as a Graphviz digraph: one node per principal on a path, administrators filled red,
/// one edge per hop labelled with its technique (dashed when possible).
/// With `to`, the paths end at that principal (filled), not at the administrator node.
pub fn dot(v: &Value, to: Option<&str>, out: &mut impl Write) {
    let names = Names::of(v);
    let mut nodes = BTreeSet::new();
    let mut edges = BTreeSet::new();
    for e in list(&v["escalations"]) {
        for h in list(&e["hops"]) {
            let (from, to) = (s(&h["source"]), s(&h["target"]));
            nodes.insert(from.to_string());
            let to = if s(&h["kind"]) == "upgrade" {
                edges.insert((
                    to.to_string(),
                    "administrator".to_string(),
                    "upgraded".to_string(),
                    s(&h["certainty"]) == "possible",
                ));
                to
            } else {
                to
            };
            nodes.insert(to.to_string());
            edges.insert((
                from.to_string(),
                to.to_string(),
                format!("{} ({})", s(&h["techniqueName"]), s(&h["technique"])),
                s(&h["certainty"]) == "possible",
            ));
        }
        if to.is_none() && list(&e["hops"]).iter().all(|h| s(&h["kind"]) != "upgrade") {
            edges.insert((
                s(&e["target"]).to_string(),
                "administrator".to_string(),
                "is".to_string(),
                false,
            ));
        }
    }
    let admins: BTreeSet<&str> = list(&v["administrators"]).iter().map(s).collect();
    let _ = writeln!(
        out,
        "digraph escalations {{\n  rankdir=LR;\n  node [shape=box];"
    );
    if to.is_none() {
        let _ = writeln!(
            out,
            "  \"administrator\" [shape=doubleoctagon, style=filled, fillcolor=\"#f4cccc\"];"
        );
    }
    let targets: BTreeSet<&str> = list(&v["escalations"])
        .iter()
        .map(|e| s(&e["target"]))
        .filter(|_| to.is_some())
        .collect();
    for n in &nodes {
        let style = if admins.contains(n.as_str()) || targets.contains(n.as_str()) {
            ", style=filled, fillcolor=\"#f4cccc\""
        } else {
            ""
        };
        let _ = writeln!(
            out,
            "  {} [label={}{style}];",
            quoted(n),
            quoted(names.short(n))
        );
    }
    for (from, to, label, possible) in &edges {
        let _ = writeln!(
            out,
            "  {} -> {} [label={}{}];",
            quoted(from),
            quoted(to),
            quoted(label),
            if *possible { ", style=dashed" } else { "" }
        );
    }
    let _ = writeln!(out, "}}");
}
