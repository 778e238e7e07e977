//! Transport safety: TLS through rustls with certificates always verified, no plain HTTP off
//! loopback unless asked for, no redirect followed, one connection pool for every clone.

use std::sync::Arc;

use crate::common::faulty::{FaultyServer, Reply, client_at, response};
use crate::common::{COMPANY, balance_request, bounded, example};
use mm_sdk::{AccessToken, Endpoints, Environment, ErrorKind, MultiMarkets};
use tokio::net::TcpListener;
use tokio_rustls::TlsAcceptor;
use tokio_rustls::rustls::ServerConfig;
use tokio_rustls::rustls::pki_types::pem::PemObject;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer};
use url::Url;

fn builder(base: &str) -> mm_sdk::Builder {
    let base = Url::parse(base).unwrap();
    MultiMarkets::builder(Environment::custom(
        Endpoints::same_host(base).trading_ui(Url::parse("https://www.headline.net").unwrap()),
    ))
    .company_id(COMPANY)
}

#[test]
fn tls_comes_from_rustls_alone() {
    let lock =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../Cargo.lock")).unwrap();
    let packages: Vec<&str> = lock
        .lines()
        .filter_map(|line| line.strip_prefix("name = \""))
        .map(|name| name.trim_end_matches('"'))
        .collect();
    assert!(packages.contains(&"rustls"));
    for native in [
        "native-tls",
        "openssl",
        "openssl-sys",
        "hyper-tls",
        "tokio-native-tls",
    ] {
        assert!(
            !packages.contains(&native),
            "`{native}` is in Cargo.lock: TLS must come from rustls alone"
        );
    }
}

#[test]
fn plain_http_is_refused_off_loopback_unless_opted_in() {
    for refused in [
        "http://api.example.com",
        "http://10.1.2.3:8080",
        "ftp://127.0.0.1",
    ] {
        let error = builder(refused).build().unwrap_err();
        let ErrorKind::Config(why) = error.kind() else {
            panic!("{refused}: {error:?}")
        };
        assert!(why.starts_with("the client base URL"), "{why}");
    }
    for loopback in [
        "http://127.0.0.1:8080",
        "http://127.8.9.10",
        "http://localhost:3000",
        "http://[::1]:8080",
        "https://api.example.com",
    ] {
        builder(loopback)
            .build()
            .unwrap_or_else(|e| panic!("{loopback}: {e}"));
    }
    builder("http://api.example.com")
        .allow_insecure_http(true)
        .build()
        .unwrap();
    // The trading UI is held to the same rule: its URLs carry one-time tokens. (`a:/.//` was
    // found by the `iframe_url` fuzz target: a hostless URL of another scheme does not
    // survive a page URL's round trip through its text.)
    for trading_ui in ["http://ui.example.com", "a:/.//"] {
        let https = Url::parse("https://api.example.com").unwrap();
        let error = MultiMarkets::builder(Environment::custom(
            Endpoints::same_host(https).trading_ui(Url::parse(trading_ui).unwrap()),
        ))
        .company_id(COMPANY)
        .build()
        .unwrap_err();
        assert!(
            error.to_string().contains("the trading_ui base URL"),
            "{error}"
        );
    }
}

/// A TLS server on 127.0.0.1 whose certificate no trust store knows, with the crypto provider
/// of the SDK's own TLS (the one its features choose); returns its port and how many requests
/// got past the handshake.
async fn untrusted_tls_server() -> (u16, Arc<std::sync::atomic::AtomicUsize>) {
    let provider = builder("https://localhost")
        .build()
        .unwrap()
        .config()
        .tls()
        .crypto_provider()
        .clone();
    let fixture = |name: &str| format!("{}/tests/fixtures/tls/{name}", env!("CARGO_MANIFEST_DIR"));
    let certs = CertificateDer::pem_file_iter(fixture("untrusted-localhost.crt"))
        .unwrap()
        .collect::<Result<Vec<_>, _>>()
        .unwrap();
    let key = PrivateKeyDer::from_pem_file(fixture("untrusted-localhost.key")).unwrap();
    let config = ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(certs, key)
        .unwrap();
    let acceptor = TlsAcceptor::from(Arc::new(config));
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let handshakes = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let done = handshakes.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            if acceptor.accept(stream).await.is_ok() {
                done.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            }
        }
    });
    (port, handshakes)
}

#[tokio::test]
async fn an_untrusted_certificate_is_refused_whatever_the_configuration() {
    bounded(async {
        let (port, handshakes) = untrusted_tls_server().await;
        // Even with every relaxation the builder offers, the certificate is still checked.
        let mm = builder(&format!("https://localhost:{port}"))
            .allow_insecure_http(true)
            .build()
            .unwrap();
        let error = mm
            .auth2_login()
            .user_info(&AccessToken::new("secret-access"))
            .await
            .unwrap_err();
        assert_eq!(error.kind(), &ErrorKind::Transport { connect: true });
        assert_eq!(handshakes.load(std::sync::atomic::Ordering::SeqCst), 0);
        let chain =
            std::iter::successors(Some(&error as &(dyn std::error::Error + 'static)), |e| {
                e.source()
            })
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join(": ");
        assert!(chain.contains("certificate"), "{chain}");
        // The streams connect with the same TLS.
        let error = mm.market_data().connect().await.unwrap_err();
        let mm_sdk::streams::StreamError::Connect(why) = &error else {
            panic!("expected a failed connection, got {error:?}");
        };
        assert!(why.contains("certificate"), "{why}");
        assert_eq!(handshakes.load(std::sync::atomic::Ordering::SeqCst), 0);
    })
    .await;
}

#[tokio::test]
async fn a_redirect_is_an_error_and_never_followed() {
    bounded(async {
        let elsewhere =
            FaultyServer::start(|_| Reply::json(&example("auth2/user_info.response.json"))).await;
        for status in [301, 302, 303, 307, 308] {
            let target = elsewhere
                .url()
                .join("/cats-gateway-auth2/auth2/user")
                .unwrap();
            let api = FaultyServer::start(move |_| {
                Reply::close(status, &[("location", target.as_str())], b"moved")
            })
            .await;
            let error = client_at(&api.url())
                .auth2_login()
                .user_info(&AccessToken::new("secret-access"))
                .await
                .unwrap_err();
            assert_eq!(
                error.kind(),
                &ErrorKind::Status {
                    status,
                    body: "moved".into()
                }
            );
            assert_eq!(api.requests().len(), 1, "a redirect is not retried");
        }
        assert_eq!(
            elsewhere.connections(),
            0,
            "no request reached the redirect target"
        );
    })
    .await;
}

#[tokio::test]
async fn every_clone_and_every_api_share_one_connection_pool() {
    bounded(async {
        let balances = example("manager/get_balance.response.json").to_string();
        let user = example("auth2/user_info.response.json").to_string();
        let server = FaultyServer::start(move |n| {
            let body = if n == 1 { &user } else { &balances };
            Reply::KeepAlive(response(200, &[], body.as_bytes()))
        })
        .await;
        let mm = client_at(&server.url());
        let clone = mm.clone();
        mm.manager()
            .funds()
            .get_balance(&balance_request("86000188"))
            .await
            .unwrap();
        let handle = tokio::spawn(async move {
            clone
                .auth2_login()
                .user_info(&AccessToken::new("secret-access"))
                .await
        });
        handle.await.unwrap().unwrap();
        mm.clone()
            .manager()
            .funds()
            .get_balance(&balance_request("86000188"))
            .await
            .unwrap();
        assert_eq!(server.requests().len(), 3);
        assert_eq!(
            server.connections(),
            1,
            "one keep-alive connection served all three"
        );
    })
    .await;
}

#[test]
fn a_setting_a_header_cannot_carry_fails_the_build_by_name() {
    let base = "https://api.example.com";
    let token = builder(base)
        .manager_token(mm_sdk::ManagerToken::new("secret-part\r\nX-Injected: 1"))
        .build()
        .unwrap_err();
    assert!(matches!(token.kind(), ErrorKind::Config(_)), "{token:?}");
    let shown = format!("{token} {token:?}");
    assert!(shown.contains("Manager token"), "{shown}");
    assert!(
        !shown.contains("secret-part"),
        "the message repeats the token: {shown}"
    );

    let version = builder(base).api_version("0.0.1\n").build().unwrap_err();
    assert_eq!(
        version.to_string(),
        "invalid configuration: the API version `0.0.1\\n` cannot be sent in an HTTP header: it \
         holds a control character or a line break"
    );
    let company = builder(base).company_id("").build().unwrap_err();
    assert!(
        matches!(company.kind(), ErrorKind::Config(_)),
        "{company:?}"
    );
}
