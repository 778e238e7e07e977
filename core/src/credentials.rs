//! The credentials of a runtime, resolved for each call through one table: what each
//! [`Credential`] kind sends, where its value comes from, and the two that can be replaced
//! while calls are in flight (the Manager token and the Open API key).

use std::sync::{Arc, PoisonError, RwLock};

use http::HeaderValue;

use crate::config::{Credentials, config_header, secret_header};
use crate::error::{Error, ErrorKind};
use crate::open_api_sign::OpenApiKey;
use crate::operation::Credential;
use crate::secret::{ManagerToken, QuoteToken};

/// An Open API key with its `apiKey` header value, checked once.
#[derive(Debug)]
pub(crate) struct SigningKey {
    pub(crate) key: OpenApiKey,
    pub(crate) api_key: HeaderValue,
}

impl SigningKey {
    pub(crate) fn new(key: OpenApiKey) -> Result<Self, Error> {
        let api_key = config_header("Open API key id", key.api_key())?;
        Ok(Self { key, api_key })
    }
}

/// How one call authenticates, resolved before its first attempt and the same on each.
#[derive(Debug, Default)]
pub(crate) enum Resolved {
    /// Nothing to send (or the credential travels in the body, as the Auth2 app's does).
    #[default]
    Nothing,
    /// A token in the operation's credential header.
    Header(HeaderValue),
    /// A signature with this key over each attempt, and its `apiKey` header.
    Signed(Arc<SigningKey>),
    /// A token in the operation's credential query parameter.
    Query(QuoteToken),
}

/// The runtime's credentials; the rotatable ones behind a lock held only to copy a pointer.
#[derive(Debug)]
pub(crate) struct Table {
    manager_token: RwLock<Option<Arc<HeaderValue>>>,
    open_api: RwLock<Option<Arc<SigningKey>>>,
    quote_token: Option<QuoteToken>,
}

/// What a call may bring of its own instead of the runtime's.
#[derive(Debug, Default, Clone)]
pub(crate) struct PerCall<'a> {
    /// The login or access token of an operation that takes one per call.
    pub(crate) token: Option<&'a str>,
    /// A Manager token for this call only.
    pub(crate) manager_token: Option<&'a ManagerToken>,
    /// An Open API key for this call only.
    pub(crate) open_api_key: Option<&'a OpenApiKey>,
}

impl Table {
    /// The table of `credentials`, checked (the builder checked them already).
    pub(crate) fn new(credentials: &Credentials) -> Result<Self, Error> {
        let manager_token = credentials
            .manager_token
            .as_ref()
            .map(manager_header)
            .transpose()?
            .map(Arc::new);
        let open_api = credentials
            .open_api_key
            .clone()
            .map(SigningKey::new)
            .transpose()?
            .map(Arc::new);
        Ok(Self {
            manager_token: RwLock::new(manager_token),
            open_api: RwLock::new(open_api),
            quote_token: credentials.quote_token.clone(),
        })
    }

    /// Replaces the Manager token: calls already resolved keep the one they started with.
    pub(crate) fn rotate_manager_token(&self, token: &ManagerToken) -> Result<(), Error> {
        let header = Arc::new(manager_header(token)?);
        *self
            .manager_token
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(header);
        Ok(())
    }

    /// Replaces the Open API key: calls already resolved keep the one they started with.
    pub(crate) fn rotate_open_api_key(&self, key: &OpenApiKey) -> Result<(), Error> {
        let key = Arc::new(SigningKey::new(key.clone())?);
        *self
            .open_api
            .write()
            .unwrap_or_else(PoisonError::into_inner) = Some(key);
        Ok(())
    }

    /// The current Manager token's header value.
    pub(crate) fn manager_token(&self) -> Option<Arc<HeaderValue>> {
        self.manager_token
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What a call of an operation authenticated by `credential` sends.
    pub(crate) fn resolve(
        &self,
        credential: Credential,
        call: &PerCall<'_>,
    ) -> Result<Resolved, Error> {
        let missing = || Error::from(ErrorKind::MissingCredential(credential));
        Ok(match credential {
            Credential::ManagerToken => match call.manager_token {
                Some(token) => Resolved::Header(manager_header(token)?),
                // Copied under the lock: no count shared by every thread is changed.
                None => Resolved::Header(
                    self.manager_token
                        .read()
                        .unwrap_or_else(PoisonError::into_inner)
                        .as_deref()
                        .map(crate::execute::copy)
                        .ok_or_else(missing)?,
                ),
            },
            Credential::OpenApiSignature => match call.open_api_key {
                Some(key) => Resolved::Signed(Arc::new(SigningKey::new(key.clone())?)),
                None => Resolved::Signed(
                    self.open_api
                        .read()
                        .unwrap_or_else(PoisonError::into_inner)
                        .clone()
                        .ok_or_else(missing)?,
                ),
            },
            Credential::QuoteToken => {
                Resolved::Query(self.quote_token.clone().ok_or_else(missing)?)
            }
            Credential::ClientLogin | Credential::Auth2Access => match call.token {
                Some(token) => Resolved::Header(token_header(token)?),
                None => Resolved::Nothing,
            },
            // The Auth2 app's id and secret travel in the body its flow writes.
            Credential::None | Credential::Auth2App => Resolved::Nothing,
            // A kind this table does not know sends nothing it would have to guess.
            _ => return Err(missing()),
        })
    }
}

fn manager_header(token: &ManagerToken) -> Result<HeaderValue, Error> {
    secret_header("Manager token", token.expose_secret())
}

/// A token given to a call, as a sensitive header value.
fn token_header(token: &str) -> Result<HeaderValue, Error> {
    let mut value = HeaderValue::from_str(token).map_err(|_| {
        Error::new(ErrorKind::InvalidInput(
            "the token cannot be sent in an HTTP header: it holds a control character or a \
             line break"
                .into(),
        ))
    })?;
    value.set_sensitive(true);
    Ok(value)
}
