//! The iframe URL for any trading UI base URL, locale and one-time token: same origin as the
//! base, the locale's `home` page, and the token as the one and only query parameter.

#![no_main]

use libfuzzer_sys::fuzz_target;
use mm_sdk::extras::web_iframe::iframe_url;
use mm_sdk::{Locale, LoginToken};
use url::Url;

fuzz_target!(|input: (&str, &str, &str)| {
    let (base, locale, token) = input;
    let (Ok(base), Ok(locale)) = (Url::parse(base), locale.parse::<Locale>()) else {
        return;
    };
    // `Builder::build` accepts no other trading UI. (Hostless URLs of other schemes, such as
    // `a:/.//`, serialize as `a:/./…`, which parses back to another URL.)
    if !matches!(base.scheme(), "http" | "https") {
        return;
    }
    let url = iframe_url(&base, &locale, &LoginToken::new(token));
    assert_eq!(url.scheme(), base.scheme());
    assert_eq!(url.host(), base.host());
    assert_eq!(url.port(), base.port());
    assert_eq!(url.fragment(), None);
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs, [("tsource".to_owned(), token.to_owned())]);
    let mut segments: Vec<_> = url
        .path_segments()
        .expect("an http URL has a path")
        .collect();
    assert_eq!(segments.pop(), Some("home"));
    assert_eq!(segments.pop(), Some(locale.as_str()));
    // What the browser gets back parses to the same URL.
    assert_eq!(Url::parse(url.as_str()).as_ref(), Ok(&url));
});
