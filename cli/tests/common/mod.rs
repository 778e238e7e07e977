//! What the CLI's tests share: running `mm`.

use std::process::{Output, Stdio};

/// Runs `mm` with `args`, `stdin` and `env` added to the environment, with no login token
/// and no config file of the user's; the caller's time bound kills it if it hangs.
pub async fn mm(args: &[&str], stdin: Option<&str>, env: &[(&str, &str)]) -> Output {
    use tokio::io::AsyncWriteExt;
    let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_mm"));
    command
        .args(args)
        .env_remove("MM_LOGIN_TOKEN")
        .env("MM_CONFIG", "/nonexistent/mm/config.toml")
        .envs(env.iter().copied())
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    let mut child = command.spawn().expect("mm starts");
    let mut input = child.stdin.take().expect("stdin");
    if let Some(text) = stdin {
        input
            .write_all(text.as_bytes())
            .await
            .expect("stdin written");
    }
    drop(input);
    child.wait_with_output().await.expect("mm ends")
}
