//! The two pages of the trading UI the flows pass through: the Auth2 authorization page and
//! the iframe's home page. A browser is signed in to the real UI; here the page is told who
//! is signed in with a `token` query parameter (a login token), which upstream does not have.

use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};

use crate::context::Shared;

/// `GET /<locale>/auth2/code?appId=…&thirdAppType=…&url=…&token=…` redirects to
/// `url?code=…&app=headline`; `GET /<locale>/home?tsource=…` exchanges the one-time token and
/// shows who is signed in.
pub(crate) fn page(shared: &Shared, uri: &Uri) -> Response {
    let Ok(url) = url::Url::parse(&format!("http://sandbox{uri}")) else {
        return bad_request("malformed URL");
    };
    let query = |name: &str| {
        url.query_pairs()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.into_owned())
    };
    let segments: Vec<&str> = url
        .path_segments()
        .map(Iterator::collect)
        .unwrap_or_default();
    match segments.as_slice() {
        [_locale, "auth2", "code"] => {
            let (Some(app_id), Some(redirect), Some(token)) =
                (query("appId"), query("url"), query("token"))
            else {
                return bad_request("`appId`, `url` and `token` are required");
            };
            let Ok(mut redirect) = url::Url::parse(&redirect) else {
                return bad_request("`url` is not a URL");
            };
            match crate::auth2_api::issue_code(shared, &token, &app_id) {
                Ok(code) => {
                    redirect
                        .query_pairs_mut()
                        .append_pair("code", &code)
                        .append_pair("app", "headline");
                    (
                        StatusCode::FOUND,
                        [(header::LOCATION, redirect.to_string())],
                    )
                        .into_response()
                }
                Err(failure) => bad_request(&failure.msg),
            }
        }
        [_locale, "home"] => {
            let Some(tsource) = query("tsource") else {
                return bad_request("`tsource` is required");
            };
            match crate::client_api::exchange(shared, &tsource) {
                Ok((customer_no, _session)) => {
                    format!("Headline (sandbox): signed in as customer {customer_no}\n")
                        .into_response()
                }
                Err(failure) => (StatusCode::UNAUTHORIZED, failure.msg).into_response(),
            }
        }
        _ => StatusCode::NOT_FOUND.into_response(),
    }
}

fn bad_request(why: &str) -> Response {
    (StatusCode::BAD_REQUEST, why.to_owned()).into_response()
}
