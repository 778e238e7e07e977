//! URLs of trading UI pages.

use url::Url;

/// `base` with `segments` appended to its path and only `query` as its query string (each
/// part percent-encoded as needed).
pub(crate) fn page_url(base: &Url, segments: &[&str], query: &[(&str, &str)]) -> Url {
    let mut url = base.clone();
    url.set_query(None);
    url.set_fragment(None);
    if let Ok(mut path) = url.path_segments_mut() {
        path.pop_if_empty().extend(segments);
    }
    url.query_pairs_mut().extend_pairs(query);
    url
}
