//! The policy variables a pattern names, for callers that must know whether a request gives
//! each one a value before trusting a negative match (`NotResource`, `StringNotLike`, ...).

use super::{Glob, Tok, VarResolver};

impl Glob {
    /// Whether every variable the pattern names has a value in `vars` (or a default).
    pub fn variables_resolve(&self, vars: &dyn VarResolver) -> bool {
        !self.has_var
            || self.segs.iter().flatten().all(|t| match t {
                Tok::Var(v) => v.default.is_some() || vars.resolve(&v.key).is_some(),
                _ => true,
            })
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Glob, NoVars, Syntax, VarResolver};

    struct User;
    impl VarResolver for User {
        fn resolve(&self, key: &str) -> Option<&str> {
            (key == "aws:username").then_some("alice")
        }
    }

    #[test]
    fn a_variable_resolves_from_the_request_or_its_default() {
        let syntax = Syntax {
            wildcards: true,
            variables: true,
        };
        let g = |p: &str| Glob::compile(p, syntax).0;
        assert!(g("home/*").variables_resolve(&NoVars));
        assert!(!g("home/${aws:username}/*").variables_resolve(&NoVars));
        assert!(g("home/${aws:username}/*").variables_resolve(&User));
        assert!(g("home/${aws:userid, 'none'}/*").variables_resolve(&NoVars));
        assert!(!g("${aws:username}${aws:userid}").variables_resolve(&User));
    }
}
