//! The `policies` object: every policy that bears on a request, compiled into a [`PolicySet`].

use std::borrow::Cow;
use std::sync::Arc;

use serde::Deserialize;

use super::Document;
use crate::error::{Location, Result};
use crate::eval::compile::CompiledPolicy;
use crate::eval::{compile_at, resource_policy_type, PolicySet};
use crate::json::SourceText;
use crate::policy::{Origin, PolicyType};

/// Every policy that bears on a request. Every member is optional.
#[derive(Debug, Clone, Default, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Policies<'a> {
    /// The principal's identity-based policies (for a federated-user session: the federating IAM
    /// user's).
    #[serde(default, borrow)]
    pub identity: Vec<Document<'a>>,
    /// The resource-based policy: a bucket or key policy, or a role's trust policy for
    /// `sts:AssumeRole*`.
    #[serde(default, borrow)]
    pub resource: Option<Document<'a>>,
    /// The principal's permissions boundary (one document, or several read together).
    #[serde(default, borrow)]
    pub permission_boundaries: Vec<Document<'a>>,
    /// The session policy.
    #[serde(default, borrow)]
    pub session: Option<Document<'a>>,
    /// Service control policy levels, root first; each level a list of documents.
    #[serde(default, borrow)]
    pub scps: Vec<Vec<Document<'a>>>,
    /// Resource control policy levels, root first; each level a list of documents.
    #[serde(default, borrow)]
    pub rcps: Vec<Vec<Document<'a>>>,
    /// The policies of the VPC endpoints the request passes through (one per endpoint): each must
    /// allow it, and a Deny in any denies it. Leave it out for a request made without an endpoint.
    #[serde(default, borrow)]
    pub vpc_endpoint: Vec<Document<'a>>,
}

impl Policies<'_> {
    /// Whether no policy is given.
    pub fn is_empty(&self) -> bool {
        self.identity.is_empty()
            && self.resource.is_none()
            && self.permission_boundaries.is_empty()
            && self.session.is_none()
            && self.scps.is_empty()
            && self.rcps.is_empty()
            && self.vpc_endpoint.is_empty()
    }

    /// Validates and compiles every policy, refusing one with an error-severity diagnostic. `text`
    /// is the JSON text the policies were read from (errors then point at its lines and columns),
    /// `path` their JSON path in it (`$.policies`).
    pub fn compile(&self, text: Option<&str>, path: &str) -> Result<PolicySet> {
        let source = text.map(SourceText::new);
        self.compile_in(source.as_ref(), path)
    }

    /// [`Policies::compile`] for policies read from `source` (a file, or a line of one): errors
    /// point at lines and columns of its file, computed only for an error.
    pub fn compile_in(&self, source: Option<&SourceText<'_>>, path: &str) -> Result<PolicySet> {
        let at = Compiler { source };
        let mut set = PolicySet::new();
        set.identity = at.list(
            &self.identity,
            PolicyType::Identity,
            &format!("{path}.identity"),
        )?;
        if let Some(d) = &self.resource {
            set.resource =
                Some(at.compile(d, resource_policy_type, &format!("{path}.resource"))?);
        }
        set.boundaries = at.list(
            &self.permission_boundaries,
            PolicyType::Boundary,
            &format!("{path}.permissionBoundaries"),
        )?;
        if let Some(d) = &self.session {
            set.session =
                Some(at.compile(d, |_| PolicyType::Session, &format!("{path}.session"))?);
        }
        for (l, level) in self.scps.iter().enumerate() {
            let mut v = Vec::with_capacity(level.len());
            for (i, d) in level.iter().enumerate() {
                v.push(at.compile(d, |_| PolicyType::Scp, &format!("{path}.scps[{l}][{i}]"))?);
            }
            set.scps.push(v);
        }
        for (l, level) in self.rcps.iter().enumerate() {
            let mut v = Vec::with_capacity(level.len());
            for (i, d) in level.iter().enumerate() {
                v.push(at.compile(d, |_| PolicyType::Rcp, &format!("{path}.rcps[{l}][{i}]"))?);
            }
            set.rcps.push(v);
        }
        set.vpc_endpoints = at.list(
            &self.vpc_endpoint,
            PolicyType::VpcEndpoint,
            &format!("{path}.vpcEndpoint"),
        )?;
        Ok(set)
    }
}

/// Compiles documents that sit in one input text.
struct Compiler<'a> {
    source: Option<&'a SourceText<'a>>,
}

impl Compiler<'_> {
    /// Compiles a list of documents of one type, at `path[i]`.
    fn list(
        &self,
        docs: &[Document<'_>],
        ty: PolicyType,
        path: &str,
    ) -> Result<Vec<Arc<CompiledPolicy>>> {
        docs.iter()
            .enumerate()
            .map(|(i, d)| self.compile(d, |_| ty, &format!("{path}[{i}]")))
            .collect()
    }

    fn compile(
        &self,
        d: &Document<'_>,
        ty: impl Fn(&str) -> PolicyType,
        path: &str,
    ) -> Result<Arc<CompiledPolicy>> {
        let body = d.text().map_err(|e| e.at(Location::new(path, 0, 0)))?;
        // a document written as an object is a slice of the input: locate errors in the input
        let enclosing = match (&body, self.source) {
            (Cow::Borrowed(raw), Some(source)) => source.offset_of(raw).map(|o| (source, o)),
            _ => None,
        };
        compile_at(&body, ty(&body), Origin { path, enclosing })
    }
}

impl PolicySet {
    /// Compiles a `policies` object (JSON text: `{"identity": [...], "resource": ..., "scps":
    /// [[...]], "vpcEndpoint": [...], ...}`, documents as objects or JSON text), refusing any policy that does not
    /// validate; errors point at lines and columns of `text`.
    pub fn from_json_str(text: &str) -> Result<PolicySet> {
        super::open_policy_set(text)
    }
}
