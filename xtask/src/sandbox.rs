//! `cargo xtask sandbox`.

pub(crate) fn run(_args: &[&str]) -> Result<(), String> {
    Err("`cargo xtask sandbox` is not built yet".into())
}
