//! One TLS configuration for every connection: rustls with the platform's certificate verifier,
//! given to reqwest for HTTP and to the streams for WebSockets. Its crypto provider is a feature:
//! aws-lc-rs (`rustls-aws-lc-rs`, preferred when both are on), ring (`rustls-ring`), or, with
//! neither, the provider the application installed as the process default.

use std::sync::{Arc, OnceLock};

use rustls::crypto::CryptoProvider;
use rustls_platform_verifier::BuilderVerifierExt;

/// The TLS configuration, made once per process (once it could be made: without a provider
/// feature, a later call finds a provider the application installed in between).
pub fn client_config() -> Result<Arc<rustls::ClientConfig>, String> {
    static TLS: OnceLock<Arc<rustls::ClientConfig>> = OnceLock::new();
    if let Some(config) = TLS.get() {
        return Ok(Arc::clone(config));
    }
    let config = rustls::ClientConfig::builder_with_provider(provider()?)
        .with_safe_default_protocol_versions()
        .and_then(|builder| builder.with_platform_verifier())
        .map_err(|e| format!("cannot set up TLS: {e}"))?
        .with_no_client_auth();
    Ok(Arc::clone(TLS.get_or_init(|| Arc::new(config))))
}

#[cfg(feature = "rustls-aws-lc-rs")]
fn provider() -> Result<Arc<CryptoProvider>, String> {
    Ok(Arc::new(rustls::crypto::aws_lc_rs::default_provider()))
}

#[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
fn provider() -> Result<Arc<CryptoProvider>, String> {
    Ok(Arc::new(rustls::crypto::ring::default_provider()))
}

#[cfg(not(any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
fn provider() -> Result<Arc<CryptoProvider>, String> {
    CryptoProvider::get_default().cloned().ok_or_else(|| {
        "no TLS crypto provider: enable the `rustls-aws-lc-rs` or `rustls-ring` feature of \
         mm-sdk, or install one with `rustls::crypto::CryptoProvider::install_default` before \
         building the client"
            .to_owned()
    })
}

#[cfg(all(test, any(feature = "rustls-aws-lc-rs", feature = "rustls-ring")))]
mod tests {
    use super::*;

    /// The provider the features name, and nothing else: its cipher suites are that
    /// provider's own.
    #[test]
    fn the_provider_follows_the_features() {
        #[cfg(feature = "rustls-aws-lc-rs")]
        let expected = rustls::crypto::aws_lc_rs::default_provider();
        #[cfg(all(feature = "rustls-ring", not(feature = "rustls-aws-lc-rs")))]
        let expected = rustls::crypto::ring::default_provider();
        let config = client_config().unwrap();
        let suites = |p: &CryptoProvider| {
            p.cipher_suites
                .iter()
                .map(|s| s.suite())
                .collect::<Vec<_>>()
        };
        assert_eq!(suites(config.crypto_provider()), suites(&expected));
        let kx = |p: &CryptoProvider| p.kx_groups.iter().map(|g| g.name()).collect::<Vec<_>>();
        assert_eq!(kx(config.crypto_provider()), kx(&expected));
    }
}
