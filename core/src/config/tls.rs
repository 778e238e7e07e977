//! One TLS configuration for every connection: rustls (aws-lc-rs) with the platform's
//! certificate verifier, given to reqwest for HTTP and to the streams for WebSockets.

use std::sync::{Arc, OnceLock};

use rustls_platform_verifier::BuilderVerifierExt;

/// The TLS configuration, made once per process.
pub(crate) fn client_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static TLS: OnceLock<Result<Arc<rustls::ClientConfig>, String>> = OnceLock::new();
    TLS.get_or_init(|| {
        let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .and_then(|builder| builder.with_platform_verifier())
            .map_err(|e| format!("cannot set up TLS: {e}"))?
            .with_no_client_auth();
        Ok(Arc::new(config))
    })
    .clone()
}
