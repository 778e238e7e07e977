//! The header parameters of an imported operation: which it takes (upstream's, the "Global
//! Unified Request Header"'s where upstream lists none, `idempotency-key` on a write), how each
//! is written, and which the SDK fills (`x-mm-headers`).

use serde_yaml_ng::Value;

use crate::counts::Counts;
use crate::export::Operation;
use crate::value::{map, s};

/// What the SDK fills, per API (as the hand-kept specs say, plus the spellings only the
/// exports use).
pub(crate) fn header_sources(api: &str, area: &str) -> Vec<(&'static str, &'static str)> {
    let headers = match api {
        "client" => vec![
            ("trace", "trace"),
            ("companyId", "company-id"),
            ("company", "company-id"),
            ("lang", "lang"),
            ("version", "version"),
            ("token", "credential"),
            ("timestamp", "timestamp"),
            ("apiKey", "api-key"),
            ("signature", "signature"),
            ("recvWindow", "recv-window"),
            ("idempotency-key", "idempotency-key"),
        ],
        "manager" => vec![
            ("trace", "trace"),
            ("companyId", "company-id"),
            ("token", "credential"),
            ("version", "version"),
            ("timestamp", "timestamp"),
            ("lang", "lang"),
        ],
        _ => vec![
            ("trace", "trace"),
            ("company", "company-id"),
            ("token", "credential"),
        ],
    };
    // The quant variant's `accessToken` header is left an argument of the call: the export
    // does not say that it carries the Manager token (the other exports send that in `token`).
    let _ = area;
    headers
}

/// The headers of a Manager operation that lists none upstream: those its siblings list, and
/// without which the gateway cannot tell whose call it is (the operator's token, the company)
/// or trace it.
const MANAGER_HEADERS: [&str; 3] = ["trace", "companyId", "token"];

/// The header parameters of an operation of the Client API's gateway (`/api`): those upstream
/// lists; where it lists none, those of its "Global Unified Request Header" (the export's
/// `HEAD /`) but `group` (a routing choice of the caller) and `idempotency-key`; and, for a
/// write, that header's `idempotency-key`, which the SDK fills. A `POST` of the Manager API that
/// lists none gets [`MANAGER_HEADERS`]. The other operations get what upstream lists.
pub(crate) fn request_headers(op: &Operation, effect: &str, counts: &mut Counts) -> Vec<Value> {
    let mut headers: Vec<Value> = op.header_parameters().into_iter().cloned().collect();
    if op.export().api == "manager" && headers.is_empty() && op.method == "POST" {
        counts.add("no headers upstream (Manager API) → `trace`, `companyId`, `token`");
        return MANAGER_HEADERS
            .iter()
            .map(|name| {
                map(vec![
                    ("name", s(*name)),
                    ("in", s("header")),
                    ("required", Value::Bool(true)),
                    ("schema", map(vec![("type", s("string"))])),
                ])
            })
            .collect();
    }
    if op.export().api != "client" || !op.path.starts_with("/api/") {
        return headers;
    }
    let global = op.document.global_headers();
    let named = |name: &str| {
        global
            .iter()
            .find(|p| p["name"].as_str() == Some(name))
            .map(|p| (*p).clone())
    };
    if headers.is_empty() {
        counts.add("no headers upstream → the Global Unified Request Header's");
        headers.extend(
            global
                .iter()
                .filter(|p| !matches!(p["name"].as_str(), Some("group" | "idempotency-key")))
                .map(|p| (*p).clone()),
        );
    }
    let has_key = headers
        .iter()
        .any(|p| p["name"].as_str() == Some("idempotency-key"));
    if effect == "write"
        && !has_key
        && let Some(key) = named("idempotency-key")
    {
        counts.add("write on `/api`: `idempotency-key` header added");
        headers.push(key);
    }
    headers
}

/// The names of `headers`, as upstream spells them.
pub(crate) fn names(headers: &[Value]) -> Vec<String> {
    headers
        .iter()
        .filter_map(|p| p["name"].as_str().map(str::to_owned))
        .collect()
}

/// The one value upstream gives the `group` header: the gateway routes the call to the
/// trading service by it.
const ROUTING_GROUP: &str = "tradeApi";

const ROUTING_GROUP_DESCRIPTION: &str = "Routing group of the gateway: `tradeApi` sends the call \
     to the trading service. Upstream gives no other value, marks the header optional on some \
     operations, and sends it with every trading call of its order walkthrough; the SDK \
     always sends it.";

/// The interface version every operation documents but a few (and the SDK's default).
const USUAL_VERSION: &str = "0.0.1";

const OWN_VERSION_DESCRIPTION: &str = "This operation's interface version: upstream documents \
     this value for it, where the other operations take `0.0.1`; the SDK always sends it, \
     whatever version the client is configured with.";

/// Operations (by upstream's path) whose interface version upstream's API changelog gives,
/// where the exports' header example says the usual `0.0.1` (as they do for every operation:
/// it is the common header's example, copied): the changelog is the specific word.
const VERSIONS: [(&str, &str); 1] = [(
    "/third/login/customer.app.CustomerThirdLoginService.telegramVerify",
    "0.0.2",
)];

const CHANGELOG_VERSION_DESCRIPTION: &str = "This operation's interface version: upstream's API \
     changelog (release 2.4.3) gives this value for it, while its exports show the `0.0.1` \
     every operation's common headers show; the SDK follows the changelog and always sends it, \
     whatever version the client is configured with.";

fn header_description(api: &str, name: &str) -> &'static str {
    match name.to_ascii_lowercase().as_str() {
        "trace" => "Caller-chosen id of this request (the SDK fills it).",
        "companyid" | "company" => "Company id of the white label (the SDK fills it).",
        "token" | "accesstoken" if api == "client" => "The customer's login token.",
        "token" | "accesstoken" => "The Manager token (the SDK fills it).",
        "lang" => "Language of the answer's messages (the SDK fills it).",
        "version" => "Interface version (the SDK fills it).",
        "idempotency-key" => {
            "A key per call, the same on each retry: the gateway answers a repeated key with \
             the first result for 24 hours (the SDK fills it)."
        }
        "x-forwarded-for" => "Address of the end user's device.",
        "timestamp" => "Request time in epoch milliseconds.",
        _ => "A header upstream lists for this operation.",
    }
}

/// The header parameters of an operation of `api` at upstream's path `path` as our specs
/// write them: upstream's spelling, a string schema, our description, upstream's example.
pub(crate) fn parameters(
    api: &str,
    path: &str,
    headers: &[Value],
    counts: &mut Counts,
) -> Vec<Value> {
    let mut parameters = Vec::new();
    let changelog_version = VERSIONS
        .iter()
        .find(|(at, _)| *at == path)
        .map(|(_, version)| *version);
    for p in headers {
        let name = p["name"].as_str().unwrap_or_default();
        let changelog = changelog_version.filter(|_| name.eq_ignore_ascii_case("version"));
        if p["schema"]["type"].as_str().is_some_and(|t| t != "string") {
            counts.add("non-string header schema → `type: string`");
        }
        // The trading service's routing group: upstream gives one value and marks it
        // optional in places; it is sent always, as the hand-kept Open API spec does.
        let routing = name == "group" && p["example"].as_str() == Some(ROUTING_GROUP);
        // An operation whose interface version is not the one every other documents.
        let own_version = changelog.or_else(|| {
            p["example"]
                .as_str()
                .filter(|v| name.eq_ignore_ascii_case("version") && *v != USUAL_VERSION)
        });
        let (required, description, schema) = if let Some(version) = own_version {
            counts
                .add("`version` header of another value than `0.0.1` → always sent as that value");
            (
                true,
                if changelog.is_some() {
                    CHANGELOG_VERSION_DESCRIPTION
                } else {
                    OWN_VERSION_DESCRIPTION
                },
                map(vec![
                    ("type", s("string")),
                    ("enum", Value::Sequence(vec![s(version)])),
                ]),
            )
        } else if routing {
            counts.add("`group` header → always sent as `tradeApi`");
            (
                true,
                ROUTING_GROUP_DESCRIPTION,
                map(vec![
                    ("type", s("string")),
                    ("enum", Value::Sequence(vec![s(ROUTING_GROUP)])),
                ]),
            )
        } else {
            (
                p["required"].as_bool() == Some(true),
                header_description(api, name),
                map(vec![("type", s("string"))]),
            )
        };
        let mut param = vec![
            ("name", s(name)),
            ("in", s("header")),
            ("required", Value::Bool(required)),
            ("description", s(description)),
            ("schema", schema),
        ];
        if let Some(example) = p["example"].as_str() {
            param.push(("example", s(example)));
        }
        parameters.push(map(param));
    }
    parameters
}
