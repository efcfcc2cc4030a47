//! napi-rs build setup.
fn main() {
    napi_build::setup();
}
