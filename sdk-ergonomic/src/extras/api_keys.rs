//! A customer's Open API keys: create, configure, delete. The calls signed with a key are the
//! group `mm.client().open_api()`.

use std::net::IpAddr;

use mm_sdk_core::{
    Error, InvalidPrivateKey, LoginToken, OpenApiKey, OpenApiPrivateKey, SecretText, SendToken,
    VerifyCode,
};

use super::invalid;
use crate::client::customer::{
    ApiKeyInfo, ApiPermission, ApplyApiRequest, DeleteApiRequest, SetApiPermissionsRequest,
};

/// The verification codes that confirm an API-key change: a Google authenticator code, an
/// SMS code or an email code (each of the last two with the ticket of the code sent, from
/// `mm.sign_up().send_verify_code` or `mm.client().message().send_verify_code`). Give
/// those the customer's security settings ask for; upstream needs at least one.
///
/// ```
/// use mm_sdk::{SendToken, VerifyCode};
/// use mm_sdk::extras::api_keys::Confirmation;
///
/// let confirmation = Confirmation::new()
///     .email(VerifyCode::new("123456"), SendToken::new("ticket"))
///     .google(VerifyCode::new("654321"));
/// ```
#[derive(Debug, Clone, Default)]
pub struct Confirmation {
    google: Option<VerifyCode>,
    phone: Option<(VerifyCode, SendToken)>,
    email: Option<(VerifyCode, SendToken)>,
}

impl Confirmation {
    /// No code yet; add at least one.
    pub fn new() -> Self {
        Self::default()
    }

    /// The code of the customer's Google authenticator (`googleCode`).
    pub fn google(mut self, code: VerifyCode) -> Self {
        self.google = Some(code);
        self
    }

    /// An SMS code and its ticket (`phoneCode`, `phoneSendToken`).
    pub fn phone(mut self, code: VerifyCode, send_token: SendToken) -> Self {
        self.phone = Some((code, send_token));
        self
    }

    /// An email code and its ticket (`emailCode`, `emailSendToken`).
    pub fn email(mut self, code: VerifyCode, send_token: SendToken) -> Self {
        self.email = Some((code, send_token));
        self
    }

    /// The fields as sent: google, phone code and ticket, email code and ticket.
    fn fields(&self, operation: &str) -> Result<ConfirmationFields, Error> {
        if self.google.is_none() && self.phone.is_none() && self.email.is_none() {
            return Err(invalid(format!(
                "{operation} needs a verification code (`Confirmation::google`, `phone` or `email`)"
            )));
        }
        let expose = |code: &VerifyCode| SecretText::new(code.expose_secret());
        let pair = |pair: &Option<(VerifyCode, SendToken)>| match pair {
            Some((code, token)) => (
                Some(expose(code)),
                Some(SecretText::new(token.expose_secret())),
            ),
            None => (None, None),
        };
        let (phone_code, phone_send_token) = pair(&self.phone);
        let (email_code, email_send_token) = pair(&self.email);
        Ok(ConfirmationFields {
            google_code: self.google.as_ref().map(expose),
            phone_code,
            phone_send_token,
            email_code,
            email_send_token,
        })
    }
}

struct ConfirmationFields {
    google_code: Option<SecretText>,
    phone_code: Option<SecretText>,
    phone_send_token: Option<SecretText>,
    email_code: Option<SecretText>,
    email_send_token: Option<SecretText>,
}

/// A permission of an API key (`code` in `permissionDTOList` and `permissionList`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ApiPermissionCode {
    /// Read (`ready_only`, as the server spells it); always on.
    Read,
    /// Spot trading (`trade`).
    Trade,
    /// Contract trading (`contract_trade`).
    ContractTrade,
    /// Withdrawals (`captial_out`, as the server spells it).
    Withdraw,
}

impl ApiPermissionCode {
    /// The code as the server spells it.
    pub fn as_str(self) -> &'static str {
        match self {
            ApiPermissionCode::Read => "ready_only",
            ApiPermissionCode::Trade => "trade",
            ApiPermissionCode::ContractTrade => "contract_trade",
            ApiPermissionCode::Withdraw => "captial_out",
        }
    }
}

/// Changes to an API key for [`ApiKeys::set_permissions`]: its tag, its permissions,
/// the IP addresses it is bound to. Binding addresses keeps the key valid beyond 90 days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ApiKeyChanges {
    tag: Option<String>,
    permissions: Vec<(ApiPermissionCode, bool)>,
    white_ips: Option<Vec<IpAddr>>,
}

impl ApiKeyChanges {
    /// No change yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// A new label (`tag`); it must not repeat another of the customer's tags.
    pub fn tag(mut self, tag: impl Into<String>) -> Self {
        self.tag = Some(tag.into());
        self
    }

    /// Switches a permission on (`status` 1).
    pub fn enable(mut self, permission: ApiPermissionCode) -> Self {
        self.permissions.push((permission, true));
        self
    }

    /// Switches a permission off (`status` 2).
    pub fn disable(mut self, permission: ApiPermissionCode) -> Self {
        self.permissions.push((permission, false));
        self
    }

    /// Binds the key to these addresses (`whiteIps`, comma-separated), replacing the list.
    pub fn white_ips(mut self, ips: impl IntoIterator<Item = IpAddr>) -> Self {
        self.white_ips = Some(ips.into_iter().collect());
        self
    }
}

/// A new API key as [`ApiKeys::create`] returns it.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ApiKeyGrant {
    /// The signing key (`privateKey`): shown only this once, store it safely.
    pub private_key: OpenApiPrivateKey,
    /// Everything else: `id` (for [`ApiKeys::set_permissions`] and [`ApiKeys::delete`]),
    /// `api_key`, permissions, expiry. `private_key` and `secret_key_md5` are emptied
    /// (secrets; see `private_key`).
    pub key: ApiKeyInfo,
}

impl ApiKeyGrant {
    /// The key pair, ready for [`Builder::open_api_key`](crate::Builder::open_api_key).
    pub fn open_api_key(&self) -> Result<OpenApiKey, InvalidPrivateKey> {
        OpenApiKey::new(self.key.api_key.clone(), self.private_key.expose_secret())
    }
}

/// A customer's Open API keys; get it from [`MultiMarkets::api_keys`](crate::MultiMarkets::api_keys).
#[derive(Debug, Clone, Copy)]
pub struct ApiKeys<'a> {
    pub(crate) mm: &'a crate::MultiMarkets,
}

impl ApiKeys<'_> {
    /// Creates an Open API key pair for the logged-in customer
    /// (`mm.client().customer().apply_api`), labelled `tag` and confirmed by verification
    /// codes; `session` is the customer's login token. The key expires after 90 days unless
    /// bound to IP addresses. Retried with the same idempotency key after a timeout.
    ///
    /// ```no_run
    /// # async fn run(mm: mm_sdk::MultiMarkets, session: mm_sdk::LoginToken) -> Result<(), mm_sdk::Error> {
    /// use mm_sdk::VerifyCode;
    /// use mm_sdk::extras::api_keys::Confirmation;
    ///
    /// let confirmation = Confirmation::new().google(VerifyCode::new("123456"));
    /// let grant = mm.api_keys().create(&session, "trading bot", &confirmation).await?;
    /// let key = grant.open_api_key().expect("upstream hands out PKCS#8 keys");
    /// # Ok(()) }
    /// ```
    #[doc(alias = "apply_api")]
    pub async fn create(
        &self,
        session: &LoginToken,
        tag: &str,
        confirmation: &Confirmation,
    ) -> Result<ApiKeyGrant, Error> {
        let codes = confirmation.fields("creating an API key")?;
        let mut body = ApplyApiRequest::new(tag);
        body.google_code = codes.google_code;
        body.phone_code = codes.phone_code;
        body.phone_send_token = codes.phone_send_token;
        body.email_code = codes.email_code;
        body.email_send_token = codes.email_send_token;
        let mut key = self
            .mm
            .client()
            .customer()
            .apply_api(session, &body)
            .await?;
        let private_key = OpenApiPrivateKey::new(key.private_key.expose_secret());
        key.private_key = SecretText::default();
        key.secret_key_md5 = SecretText::default();
        Ok(ApiKeyGrant { private_key, key })
    }

    /// Changes an API key's tag, permissions or IP binding
    /// (`mm.client().customer().set_api_permissions`), confirmed by verification codes; `id`
    /// is [`ApiKeyInfo::id`].
    #[doc(alias = "set_api_permissions")]
    pub async fn set_permissions(
        &self,
        session: &LoginToken,
        id: i64,
        changes: &ApiKeyChanges,
        confirmation: &Confirmation,
    ) -> Result<(), Error> {
        if changes == &ApiKeyChanges::default() {
            return Err(invalid(
                "changing an API key needs a change (`ApiKeyChanges::tag`, `enable`, `disable` or `white_ips`)",
            ));
        }
        let codes = confirmation.fields("changing an API key")?;
        let mut body = SetApiPermissionsRequest::new().id(id).permission_list(
            changes
                .permissions
                .iter()
                .map(|(code, on)| ApiPermission::new(if *on { 1 } else { 2 }).code(code.as_str()))
                .collect::<Vec<_>>(),
        );
        body.tag = changes.tag.clone();
        body.white_ips = changes.white_ips.as_ref().map(|ips| {
            ips.iter()
                .map(IpAddr::to_string)
                .collect::<Vec<_>>()
                .join(",")
        });
        body.google_code = codes.google_code;
        body.phone_code = codes.phone_code;
        body.phone_send_token = codes.phone_send_token;
        body.email_code = codes.email_code;
        body.email_send_token = codes.email_send_token;
        self.mm
            .client()
            .customer()
            .set_api_permissions(session, &body)
            .await
    }

    /// Deletes one of the customer's API keys (`mm.client().customer().delete_api`); `id` is
    /// [`ApiKeyInfo::id`]. An unknown id fails with `CUSTOMER_API_0000003` ("Data not exist").
    #[doc(alias = "delete_api")]
    pub async fn delete(&self, session: &LoginToken, id: i64) -> Result<(), Error> {
        let body = DeleteApiRequest::new().id(id);
        self.mm.client().customer().delete_api(session, &body).await
    }
}
