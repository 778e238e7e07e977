//! The streams' protocol numbers (`x-mm-protocol` of the stream spec): heartbeat periods,
//! limits, close codes and the market-data request numbers (`x-mm-cmd-id`), made into the
//! `protocol` module of `generated/streams/`, one module per stream, so that the SDK and the
//! sandbox read one copy of each.

use std::collections::BTreeMap;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use crate::names::pascal_case;

/// The key of the extension, at the document's root.
const EXTENSION: &str = "x-mm-protocol";

/// The `protocol` module; an error is `(JSON pointer, what is wrong)`.
pub(crate) fn module(document: &Value) -> Result<TokenStream, (String, String)> {
    let Some(streams) = document.get(EXTENSION) else {
        return Ok(TokenStream::new());
    };
    let streams = streams.as_object().ok_or_else(|| {
        (
            format!("/{EXTENSION}"),
            "a map from a stream's name to its channels and constants".to_owned(),
        )
    })?;
    let mut modules = Vec::new();
    for (stream, facts) in streams {
        let at = format!("/{EXTENSION}/{stream}");
        let channels: Vec<&str> = facts
            .get("channels")
            .and_then(Value::as_array)
            .map(|list| list.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        if channels.is_empty() {
            return Err((format!("{at}/channels"), "no channels".to_owned()));
        }
        for channel in &channels {
            let pointer = format!(
                "/channels/{}",
                channel.replace('~', "~0").replace('/', "~1")
            );
            if document.pointer(&pointer).is_none() {
                return Err((format!("{at}/channels"), format!("no channel `{channel}`")));
            }
        }
        let constants = facts
            .get("constants")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
            .map(|(i, constant)| {
                constant_item(constant).map_err(|message| (format!("{at}/constants/{i}"), message))
            })
            .collect::<Result<Vec<_>, _>>()?;
        let requests = requests(document, &channels)?;
        let name = format_ident!("{}", stream.replace('-', "_"));
        let doc = format!(
            " The {} stream ({}).",
            stream.replace('-', " "),
            channels
                .iter()
                .map(|c| format!("`{c}`"))
                .collect::<Vec<_>>()
                .join(", ")
        );
        modules.push(quote! {
            #[doc = #doc]
            pub mod #name {
                #(#constants)*
                #requests
            }
        });
    }
    Ok(quote! {
        /// The streams' protocol numbers: heartbeat periods, limits, close codes and request
        /// numbers, as the stream spec (`x-mm-protocol`, `x-mm-cmd-id`) gives them.
        pub mod protocol {
            #(#modules)*
        }
    })
}

/// One `pub const`: a duration (`seconds`, `hours`), a size (`count`) or a close code.
fn constant_item(constant: &Value) -> Result<TokenStream, String> {
    let text = |key: &str| constant.get(key).and_then(Value::as_str);
    let name = text("name").ok_or("no `name`")?;
    let doc = format!(" {}", text("doc").ok_or("no `doc`")?);
    let number = |key: &str| constant.get(key).and_then(Value::as_u64);
    let ident = format_ident!("{name}");
    let (ty, value) = if let Some(seconds) = number("seconds") {
        (quote!(::std::time::Duration), {
            let seconds = Literal::u64_unsuffixed(seconds);
            quote!(::std::time::Duration::from_secs(#seconds))
        })
    } else if let Some(hours) = number("hours") {
        let seconds = hours * 3600;
        (quote!(::std::time::Duration), {
            let seconds = Literal::u64_unsuffixed(seconds);
            quote!(::std::time::Duration::from_secs(#seconds))
        })
    } else if let Some(count) = number("count") {
        let count = u32::try_from(count).map_err(|_| "`count` is not a 32-bit number")?;
        let count = Literal::u32_unsuffixed(count);
        (quote!(u32), quote!(#count))
    } else if let Some(code) = number("close-code") {
        let code = u16::try_from(code).map_err(|_| "`close-code` is not a 16-bit number")?;
        let code = Literal::u16_unsuffixed(code);
        (quote!(u16), quote!(#code))
    } else {
        return Err("one of `seconds`, `hours`, `count` or `close-code` is needed".to_owned());
    };
    Ok(quote! {
        #[doc = #doc]
        pub const #ident: #ty = #value;
    })
}

/// The market-data requests the client sends on `channels` (`publish`): each message with an
/// `x-mm-cmd-id` and an `x-mm-data` makes its data type a `Request`, and its number a constant.
/// A request's reply (number plus one) must be among what the client receives.
fn requests(document: &Value, channels: &[&str]) -> Result<TokenStream, (String, String)> {
    let mut requests: BTreeMap<u64, (String, String, String)> = BTreeMap::new();
    let mut replies = Vec::new();
    for channel in channels {
        let at = format!(
            "/channels/{}",
            channel.replace('~', "~0").replace('/', "~1")
        );
        for (direction, sent) in [("publish", true), ("subscribe", false)] {
            let refs = document
                .pointer(&format!("{at}/{direction}/message/oneOf"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .filter_map(|m| m.get("$ref").and_then(Value::as_str));
            for reference in refs {
                let Some(name) = reference.strip_prefix("#/components/messages/") else {
                    continue;
                };
                let message = document
                    .pointer(&format!("/components/messages/{name}"))
                    .ok_or_else(|| (at.clone(), format!("no message `{name}`")))?;
                let Some(cmd_id) = message.get("x-mm-cmd-id").and_then(Value::as_u64) else {
                    continue;
                };
                if !sent {
                    replies.push(cmd_id);
                    continue;
                }
                let pointer = format!("/components/messages/{name}");
                let data = message
                    .get("x-mm-data")
                    .and_then(Value::as_str)
                    .and_then(|r| r.strip_prefix("#/components/schemas/"))
                    .ok_or_else(|| {
                        (
                            format!("{pointer}/x-mm-data"),
                            "a request needs `x-mm-data: '#/components/schemas/<data>'`".to_owned(),
                        )
                    })?;
                // "Ticker subscription (14000)" → "ticker subscription".
                let title = message
                    .get("title")
                    .and_then(Value::as_str)
                    .unwrap_or(name)
                    .trim_end_matches(&format!(" ({cmd_id})"));
                let mut chars = title.chars();
                let title: String = chars
                    .next()
                    .map(|c| c.to_ascii_lowercase())
                    .into_iter()
                    .chain(chars)
                    .collect();
                let constant = name.trim_end_matches("_request").to_uppercase();
                let entry = (data.to_owned(), title, constant);
                if requests
                    .insert(cmd_id, entry.clone())
                    .is_some_and(|e| e != entry)
                {
                    return Err((
                        format!("{pointer}/x-mm-cmd-id"),
                        format!("request number {cmd_id} is described twice"),
                    ));
                }
            }
        }
    }
    if requests.is_empty() {
        return Ok(TokenStream::new());
    }
    let mut data_types = BTreeMap::new();
    let mut items = Vec::new();
    let mut names = Vec::new();
    for (cmd_id, (data, title, constant)) in &requests {
        if !replies.contains(&(cmd_id + 1)) {
            return Err((
                format!("/{EXTENSION}"),
                format!(
                    "request {cmd_id} ({title}) has no reply numbered {}",
                    cmd_id + 1
                ),
            ));
        }
        if let Some(other) = data_types.insert(data.clone(), cmd_id) {
            return Err((
                format!("/{EXTENSION}"),
                format!(
                    "`{data}` is the data of requests {other} and {cmd_id}: a type must say which request it is"
                ),
            ));
        }
        let cmd_id = u32::try_from(*cmd_id).map_err(|_| {
            (
                format!("/{EXTENSION}"),
                format!("{cmd_id} is not a 32-bit number"),
            )
        })?;
        let ty = format_ident!("{}", pascal_case(data));
        let constant = format_ident!("{constant}");
        let number = Literal::u32_unsuffixed(cmd_id);
        let doc = format!(
            " `cmd_id` of the {title} request; its reply's is {}.",
            cmd_id + 1
        );
        items.push(quote! {
            #[doc = #doc]
            pub const #constant: u32 = #number;
            impl Request for super::super::#ty {
                const CMD_ID: u32 = #constant;
                const NAME: &'static str = #title;
            }
        });
        names.push(quote! { #constant => Some(#title), });
    }
    Ok(quote! {
        /// The `data` of a request: its type says which request it is.
        pub trait Request: ::serde::Serialize {
            /// The request's `cmd_id`; its reply's is one more.
            const CMD_ID: u32;
            /// What the request is, in a few words.
            const NAME: &'static str;
        }
        #(#items)*
        /// What the request numbered `cmd_id` is, in a few words; `None` for a number the
        /// spec does not describe.
        pub fn request_name(cmd_id: u32) -> ::std::option::Option<&'static str> {
            match cmd_id {
                #(#names)*
                _ => None,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn document(reply: u64, constant: Value) -> Value {
        json!({
            "x-mm-protocol": {"quotes": {"channels": ["/q"], "constants": [constant]}},
            "channels": {"/q": {
                "publish": {"message": {"oneOf": [{"$ref": "#/components/messages/ping_request"}]}},
                "subscribe": {"message": {"oneOf": [{"$ref": "#/components/messages/ping_reply"}]}},
            }},
            "components": {"messages": {
                "ping_request": {"title": "Ping (7)", "x-mm-cmd-id": 7, "x-mm-data": "#/components/schemas/Ping"},
                "ping_reply": {"x-mm-cmd-id": reply},
            }},
        })
    }

    #[test]
    fn constants_and_request_numbers_become_one_module_per_stream() {
        let constant = json!({"name": "PERIOD", "seconds": 10, "doc": "How often."});
        let code = module(&document(8, constant)).unwrap().to_string();
        for expected in [
            "pub mod quotes",
            "pub const PERIOD : :: std :: time :: Duration = :: std :: time :: Duration :: from_secs (10)",
            "pub const PING : u32 = 7",
            "impl Request for super :: super :: Ping",
            "const NAME : & 'static str = \"ping\"",
        ] {
            assert!(code.contains(expected), "{expected} not in {code}");
        }
    }

    #[test]
    fn a_request_without_its_reply_or_a_constant_without_a_value_is_refused() {
        let constant = json!({"name": "PERIOD", "seconds": 10, "doc": "How often."});
        let (_, message) = module(&document(9, constant.clone())).unwrap_err();
        assert_eq!(message, "request 7 (ping) has no reply numbered 8");
        let (pointer, message) =
            module(&document(8, json!({"name": "PERIOD", "doc": "How often."}))).unwrap_err();
        assert_eq!(pointer, "/x-mm-protocol/quotes/constants/0");
        assert!(message.starts_with("one of `seconds`"), "{message}");
    }
}
