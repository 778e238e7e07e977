//! The choice a Client operation offers where upstream lets an Open API key call it as well as
//! a customer's login: made per call, with the key of the call or of the handle.

use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use crate::error::{Error, ErrorKind};
use crate::operation::Operation;
use crate::secret::LoginToken;

/// What authenticates a call of a Client operation that takes either a customer's login or an
/// Open API key (most of the Client API: see `openapi/README.md`, "Open API").
///
/// A `&LoginToken` converts into [`Login`](ClientAccess::Login), so a call made with a login
/// reads `method(&token, &request)`; a server without a login passes
/// [`ClientAccess::OpenApiKey`]:
///
/// ```ignore
/// let order = mm.client().trade()
///     .cfd_mm_order_add_market_order(ClientAccess::OpenApiKey, &request)
///     .await?;
/// ```
///
/// The key is the call's own ([`Call::open_api_key`](crate::Call::open_api_key)), or, without
/// one, the handle's (`Builder::open_api_key`, replaced by `rotate_open_api_key`).
#[derive(Clone, Copy)]
#[non_exhaustive]
pub enum ClientAccess<'a> {
    /// The customer's login token, on the Client API's route (`/api/global/...`).
    Login(&'a LoginToken),
    /// A signature with an Open API key, on the Open API's route (`/openapi-c/global/...`):
    /// the key's customer is the one the call acts for.
    OpenApiKey,
}

impl<'a> From<&'a LoginToken> for ClientAccess<'a> {
    fn from(token: &'a LoginToken) -> Self {
        ClientAccess::Login(token)
    }
}

impl fmt::Debug for ClientAccess<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            // The token's own `Debug` hides it; named here all the same.
            ClientAccess::Login(_) => f.write_str("Login(<redacted>)"),
            ClientAccess::OpenApiKey => f.write_str("OpenApiKey"),
        }
    }
}

/// The operation a call sends: a generated one as it is, or its Open API route, made when the
/// call chose it (shared by a pager's pages).
#[derive(Clone)]
pub(crate) enum Sent<'a> {
    Static(&'a Operation<'a>),
    OpenApi(Arc<Operation<'a>>),
}

impl<'a> Sent<'a> {
    /// The operation as `access` sends it, and the login token it carries, if any. Fails for
    /// an operation that has no Open API route (only a tool's JSON call can ask for one).
    pub(crate) fn choose(
        &self,
        access: ClientAccess<'a>,
    ) -> Result<(Self, Option<&'a str>), Error> {
        let login_only = |id: &str| {
            Error::new(ErrorKind::InvalidInput(format!(
                "`{id}` takes no Open API key: only a customer's login"
            )))
        };
        match (self, access) {
            (Sent::Static(op), ClientAccess::Login(token)) => {
                Ok((Sent::Static(op), Some(token.expose_secret())))
            }
            (Sent::Static(op), ClientAccess::OpenApiKey) => match op.through_open_api() {
                Some(signed) => Ok((Sent::OpenApi(Arc::new(signed)), None)),
                None => Err(login_only(op.id)),
            },
            (Sent::OpenApi(_), ClientAccess::OpenApiKey) => Ok((self.clone(), None)),
            (Sent::OpenApi(op), ClientAccess::Login(_)) => Err(login_only(op.id)),
        }
    }
}

impl<'a> Deref for Sent<'a> {
    type Target = Operation<'a>;

    fn deref(&self) -> &Operation<'a> {
        match self {
            Sent::Static(op) => op,
            Sent::OpenApi(op) => op,
        }
    }
}
