//! The header parameters of a matched operation compared: those the import gives it against
//! ours, by name case-insensitively.

use std::collections::BTreeMap;

use serde_yaml_ng::Value;

use super::OurOperation;
use super::difference::{Found, Kind};
use super::fields::{follow, required_or_optional};
use crate::counts::Counts;
use crate::export::Operation;
use crate::headers::{parameters, request_headers};

/// A header parameter as compared: its spelling, required-ness, and the one value it takes,
/// if it takes one (`group: tradeApi`, an operation's own `version`).
#[derive(Debug)]
struct Header {
    name: String,
    required: bool,
    value: Option<String>,
}

/// The header parameters among `parameters` by lowercase name, `$ref`s followed.
fn headers<'v>(
    parameters: impl IntoIterator<Item = &'v Value>,
    resolve: &dyn Fn(&str) -> Option<&'v Value>,
) -> BTreeMap<String, Header> {
    parameters
        .into_iter()
        .map(|p| follow(p, resolve))
        .filter(|p| p["in"].as_str() == Some("header"))
        .filter_map(|p| {
            let name = p["name"].as_str()?.to_owned();
            let required = p["required"].as_bool() == Some(true);
            let value = match p["schema"]["enum"].as_sequence().map(Vec::as_slice) {
                Some([one]) => one.as_str().map(str::to_owned),
                _ => None,
            };
            let header = Header {
                name,
                required,
                value,
            };
            Some((header.name.to_ascii_lowercase(), header))
        })
        .collect()
}

/// The header differences of a matched operation.
pub(super) fn compare_headers(theirs: &Operation, ours: &OurOperation) -> Vec<Found> {
    let effect = ours.op["x-mm-effect"].as_str().unwrap_or_default();
    // Normalised as the import writes them (the `group` routing header is always sent), so
    // that a difference is one the import would not already have made.
    let mut counts = Counts::default();
    let upstream = request_headers(theirs, effect, &mut counts);
    let imported = parameters(
        theirs.export().api,
        theirs.upstream_path,
        &upstream,
        &mut counts,
    );
    let mut found = Vec::new();
    // What authenticates it, as the import derives it from the headers: a change is a method's
    // argument changed (a login token, a choice of login or key, none). A hand-kept spec's
    // credential is a person's reading of the docs (a quote token in the query, Auth2's app
    // credentials in the body), which headers cannot tell: compared for imported ones only.
    let from_an_import = !ours.spec.imported_from.is_empty();
    let credential = crate::credential::credential(
        theirs.export().api,
        theirs.upstream_path,
        &crate::headers::names(&upstream),
    );
    let ours_credential = &ours.op["x-mm-credential"];
    if from_an_import && &credential != ours_credential {
        let detail = format!(
            "upstream {}, ours {}",
            crate::credential::spelled(&credential),
            crate::credential::spelled(ours_credential)
        );
        // A login becoming a choice of login or key keeps `&token` working: the method takes
        // `impl Into<ClientAccess>`.
        let widened = ours_credential.as_str() == Some("client-login")
            && credential.as_sequence().is_some_and(|pair| pair.len() == 2);
        let found_credential = Found::new(Kind::Credential, None, detail);
        found.push(if widened {
            found_credential.meaning(super::difference::Change::Minor)
        } else {
            found_credential
        });
    }
    let their_headers = headers(&imported, &|_| None);
    let our_parameters = ours.op["parameters"].as_sequence().into_iter().flatten();
    let our_headers = headers(our_parameters, &|r| ours.spec.component(r));
    for (key, t) in &their_headers {
        let header = Some(t.name.clone());
        let Some(o) = our_headers.get(key) else {
            let detail = format!("{} upstream", required_or_optional(t.required));
            found.push(Found::new(Kind::HeaderAdded, header, detail));
            continue;
        };
        if t.name != o.name {
            let detail = format!("upstream `{}`, ours `{}`", t.name, o.name);
            found.push(Found::new(Kind::HeaderSpelling, header.clone(), detail));
        }
        if t.required != o.required {
            let detail = format!(
                "upstream {}, ours {}",
                required_or_optional(t.required),
                required_or_optional(o.required)
            );
            found.push(Found::new(Kind::HeaderRequired, header.clone(), detail));
        }
        if t.value != o.value {
            let show = |value: &Option<String>| {
                value.as_deref().map_or("any".into(), |v| format!("`{v}`"))
            };
            let detail = format!("upstream {}, ours {}", show(&t.value), show(&o.value));
            found.push(Found::new(Kind::HeaderValue, header, detail));
        }
    }
    for (key, o) in &our_headers {
        if !their_headers.contains_key(key) {
            let detail = format!("{} in ours", required_or_optional(o.required));
            found.push(Found::new(
                Kind::HeaderRemoved,
                Some(o.name.clone()),
                detail,
            ));
        }
    }
    found
}
