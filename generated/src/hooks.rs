//! What every generated operation runs on its request just before sending it.

use std::fmt;
use std::sync::Arc;

/// Rewrites a finished request before it is sent (e.g. to sign it).
pub trait Prepare: Send + Sync {
    /// Rewrites `request`, built for the operation `operation_id`, exactly as it will go on
    /// the wire (method, URL, headers, body).
    ///
    /// An error aborts the call with `progenitor_client::Error::Custom` carrying the error's
    /// text, so it must not contain secrets.
    fn prepare(&self, request: &mut reqwest::Request, operation_id: &str) -> Result<(), String>;
}

/// The per-client state of the generated clients: an optional [`Prepare`] step.
///
/// Cheap to clone; `Hooks::default()` sends requests as the generated code builds them.
#[derive(Clone, Default)]
pub struct Hooks {
    prepare: Option<Arc<dyn Prepare>>,
}

impl Hooks {
    /// Hooks that run `prepare` on every request.
    pub fn new(prepare: Arc<dyn Prepare>) -> Self {
        Self {
            prepare: Some(prepare),
        }
    }

    pub(crate) fn pre(
        &self,
        request: &mut reqwest::Request,
        operation_id: &str,
    ) -> Result<(), String> {
        // progenitor adds the spec's version as `api-version`; it is not part of the
        // MultiMarkets protocol, so it does not go on the wire.
        request.headers_mut().remove("api-version");
        match &self.prepare {
            Some(prepare) => prepare.prepare(request, operation_id),
            None => Ok(()),
        }
    }
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("prepare", &self.prepare.is_some())
            .finish()
    }
}

/// Implements progenitor's `ClientHooks` for a generated client: every request goes through
/// [`Hooks::pre`].
macro_rules! client_hooks {
    ($($api:ident),+) => {$(
        impl progenitor_client::ClientHooks<Hooks> for crate::$api::Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                use progenitor_client::ClientInfo;
                self.inner()
                    .pre(request, info.operation_id)
                    .map_err(progenitor_client::Error::Custom)
            }
        }
    )+};
}

client_hooks!(client, manager, auth2);
