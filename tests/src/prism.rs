//! Prism (`@stoplight/prism-cli`, pinned in `conformance/package.json`), the independent
//! spec-driven mock the conformance tests run against: one mock server per spec, validating
//! every request against it.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long Prism may take to start (it is a Node program that compiles the spec first).
const START_TIMEOUT: Duration = Duration::from_secs(90);

/// A Prism mock server of one spec, stopped when dropped.
#[derive(Debug)]
pub struct Prism {
    child: Child,
    addr: SocketAddr,
}

/// Where `npm ci --prefix conformance` installs Prism.
pub fn executable() -> PathBuf {
    crate::workspace_root().join("conformance/node_modules/.bin/prism")
}

impl Prism {
    /// Starts `prism mock <spec>` on a free loopback port and waits until it listens.
    /// `spec` is relative to the workspace root, e.g. `openapi/client.yaml`.
    pub fn start(spec: &str) -> Result<Self, String> {
        let program = executable();
        if !program.exists() {
            return Err(format!(
                "{} is missing: run `npm ci --prefix conformance`",
                program.display()
            ));
        }
        let addr = free_port()?;
        let child = Command::new(&program)
            .current_dir(crate::workspace_root())
            .args(["mock", spec, "--host", "127.0.0.1", "--port"])
            .arg(addr.port().to_string())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .map_err(|e| format!("cannot start {}: {e}", program.display()))?;
        let mut prism = Self { child, addr };
        let started = Instant::now();
        while TcpStream::connect(addr).is_err() {
            if let Ok(Some(status)) = prism.child.try_wait() {
                return Err(format!("prism mock {spec} exited at start: {status}"));
            }
            if started.elapsed() > START_TIMEOUT {
                return Err(format!(
                    "prism mock {spec} did not listen within {START_TIMEOUT:?}"
                ));
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        Ok(prism)
    }

    /// `http://127.0.0.1:<port>`.
    pub fn base_url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn free_port() -> Result<SocketAddr, String> {
    let listener =
        TcpListener::bind("127.0.0.1:0").map_err(|e| format!("no free loopback port: {e}"))?;
    listener
        .local_addr()
        .map_err(|e| format!("no free loopback port: {e}"))
}
