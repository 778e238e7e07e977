//! `cargo xtask bench`.

pub(crate) fn run(_args: &[&str]) -> Result<(), String> {
    Err("`cargo xtask bench` is not built yet".into())
}
