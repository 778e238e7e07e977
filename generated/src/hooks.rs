//! What every generated operation does to its request just before sending it.

/// Implements progenitor's `ClientHooks` for the generated clients.
///
/// progenitor adds the spec's `info.version` to every request as an `api-version` header; it
/// is not part of the MultiMarkets protocol, so it is removed before the request is sent.
macro_rules! client_hooks {
    ($($api:ident),+) => {$(
        impl progenitor_client::ClientHooks for crate::$api::Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                request.headers_mut().remove("api-version");
                Ok(())
            }
        }
    )+};
}

client_hooks!(client, manager, auth2);
