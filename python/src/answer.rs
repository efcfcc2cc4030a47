//! Answers as Python values, with `pythonize` (no JSON text in between): JSON objects become
//! dicts, arrays lists, strings str, numbers int or float, booleans bool, null None.
//!
//! The contract's answers write every array as a sequence (never as a serde tuple, which
//! `pythonize` would make a Python tuple); the conformance runner's JSON Schema check holds them
//! to it (a tuple is not a JSON Schema `array` there).

use pyo3::prelude::*;
use serde::Serialize;

/// `v` as Python values.
pub(crate) fn to_python<'py, T: Serialize + ?Sized>(
    py: Python<'py>,
    v: &T,
) -> Result<Bound<'py, PyAny>, pythonize::PythonizeError> {
    pythonize::pythonize(py, v)
}

#[cfg(test)]
mod tests {
    use pyo3::prelude::*;
    use pyo3::types::PyList;

    #[test]
    fn a_credential_report_row_has_lists_of_slots() {
        let csv = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\nalice,arn:aws:iam::111122223333:user/alice,2024-01-15T09:00:00+00:00,true,N/A,N/A,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
        let answer = iamkit_core::wire::call(
            "credentialReport",
            &serde_json::json!({ "report": csv }).to_string(),
        )
        .expect("a report");
        Python::initialize();
        Python::attach(|py| {
            let v = super::to_python(py, &answer).expect("pythonized");
            let row = v
                .get_item("rows")
                .and_then(|r| r.get_item(0))
                .expect("a row");
            assert!(row
                .get_item("accessKeys")
                .expect("slots")
                .cast::<PyList>()
                .is_ok());
            assert!(row
                .get_item("certs")
                .expect("slots")
                .cast::<PyList>()
                .is_ok());
        });
    }
}
