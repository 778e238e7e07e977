//! The Auth2 browser half: any redirect URL the integrator configures, any URL a browser (or
//! an attacker) comes back with, any app id.
//!
//! - `parse_redirect` never panics, and accepts only the configured URL with exactly one
//!   non-empty `code` and `app`;
//! - `authorization_url` carries the redirect and the app id through unchanged;
//! - what the trading UI sends back (the redirect plus `code` and `app`) is accepted, with the
//!   same code.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mm_sdk::Locale;
use mm_sdk::extras::auth2_login::{authorization_url, parse_redirect};
use url::Url;

fuzz_target!(|input: (&str, &str, &str, &str)| {
    let (configured, received, app_id, code) = input;
    let Ok(redirect) = Url::parse(configured) else {
        return;
    };

    if let Ok(authorization) = parse_redirect(&redirect, received) {
        let got = Url::parse(received).expect("an accepted redirect is a URL");
        assert_eq!(got.scheme(), redirect.scheme());
        assert_eq!(got.host(), redirect.host());
        assert_eq!(
            got.port_or_known_default(),
            redirect.port_or_known_default()
        );
        assert_eq!(got.path(), redirect.path());
        let codes: Vec<_> = got.query_pairs().filter(|(n, _)| n == "code").collect();
        assert_eq!(codes.len(), 1);
        assert_eq!(codes[0].1, authorization.code.expose_secret());
        assert!(!authorization.code.expose_secret().is_empty() && !authorization.app.is_empty());
    }

    let trading_ui = Url::parse("https://www.headline.net/brand/").unwrap();
    let page = authorization_url(&trading_ui, &Locale::en_us(), app_id, "HG", &redirect);
    assert_eq!(page.host(), trading_ui.host());
    let pairs: Vec<(String, String)> = page.query_pairs().into_owned().collect();
    let expected = [
        ("appId", app_id),
        ("thirdAppType", "HG"),
        ("url", redirect.as_str()),
    ];
    assert_eq!(pairs.len(), expected.len());
    for ((name, value), (want_name, want_value)) in pairs.iter().zip(expected) {
        assert_eq!((name.as_str(), value.as_str()), (want_name, want_value));
    }

    let reserved = redirect
        .query_pairs()
        .any(|(n, _)| n == "code" || n == "app");
    if !code.is_empty() && !reserved {
        let mut back = redirect.clone();
        back.query_pairs_mut()
            .append_pair("code", code)
            .append_pair("app", "headline");
        let authorization = parse_redirect(&redirect, back.as_str())
            .unwrap_or_else(|e| panic!("the trading UI's redirect `{back}` was refused: {e}"));
        assert_eq!(authorization.code.expose_secret(), code);
    }
});
