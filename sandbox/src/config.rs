//! What the sandbox is configured with: the company, the credentials it accepts, lifetimes,
//! the streams' pace and heartbeats.

use std::path::PathBuf;
use std::time::Duration;

use mm_sdk_api_streams::protocol;

/// An application's id and secret, as the operator issues them.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The id (`appId`).
    pub id: String,
    /// The secret (`appSecret`).
    pub secret: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("id", &self.id)
            .field("secret", &"[redacted]")
            .finish()
    }
}

/// The sandbox's configuration. [`Config::default`] is what the `mm-sdk-sandbox` command and
/// the examples use; the command prints every credential at start-up so a client can be
/// pointed at it.
#[derive(Debug, Clone)]
pub struct Config {
    /// The one white-label company the sandbox serves; other company ids are refused.
    pub company_id: String,
    /// The Manager API token every Manager call must carry (`authorize` returns it).
    pub manager_token: String,
    /// The token the Manager API's quote service (`/quote-b-api`, `/quote-stock-b-api`)
    /// accepts in its `token` query parameter.
    pub quote_token: String,
    /// The credentials Manager `authorize` accepts.
    pub manager_app: Credentials,
    /// The Auth2 application whose codes can be exchanged.
    pub auth2_app: Credentials,
    /// How long a login token can be exchanged (`tsource`) after login.
    pub login_token_ttl: Duration,
    /// How long an Auth2 authorization code can be exchanged.
    pub auth_code_ttl: Duration,
    /// The verification code every email, SMS and authenticator check accepts (the sandbox
    /// sends no mail): confirms API-key changes.
    pub verify_code: String,
    /// How long an Open API key works after it is applied for (upstream: 90 days).
    pub api_key_ttl: Duration,
    /// How long an Auth2 access token is accepted.
    pub access_token_ttl: Duration,
    /// How long an Auth2 refresh token can be used.
    pub refresh_token_ttl: Duration,
    /// Where to keep the state across restarts; in memory only when `None`.
    pub state_file: Option<PathBuf>,
    /// Keep every answer for [`Sandbox::answers`](crate::Sandbox::answers) (for contract
    /// tests); off by default, since they pile up.
    pub record_answers: bool,
    /// Append every answer, with the request it answered, to this file as a line of JSON
    /// ([`Answer::to_json`](crate::Answer::to_json)), written before the answer is sent: what
    /// `mm sandbox --log` shows, and what a test of another process reads.
    pub answer_log: Option<PathBuf>,
    /// How often the market-data stream pushes a quote of each subscribed product (`p`, or
    /// `pd` and `pt`).
    pub quote_interval: Duration,
    /// How long a market-data connection may go without a heartbeat (`14008`) before the
    /// sandbox closes it (code 4000); upstream: 30 s.
    pub quote_heartbeat_timeout: Duration,
    /// How long a token from `open_msg_token` (`/global/getMsgPushToken`) is accepted by the
    /// Open API message stream, on the sandbox's clock.
    pub msg_token_ttl: Duration,
    /// How long an Open API message session may stay silent (clients ping every 15 s) before
    /// the sandbox closes it (code 4000).
    pub open_messages_heartbeat_timeout: Duration,
    /// How long a Manager Data Push connection may stay silent (clients send `ping` every
    /// 10 s) before the sandbox closes it (code 4000).
    pub data_push_heartbeat_timeout: Duration,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            company_id: "421".into(),
            manager_token: "sandbox-manager-token".into(),
            quote_token: "sandbox-quote-token".into(),
            manager_app: Credentials {
                id: "sandbox-manager-app".into(),
                secret: "sandbox-manager-secret".into(),
            },
            auth2_app: Credentials {
                id: "sandbox-auth2-app".into(),
                secret: "sandbox-auth2-secret".into(),
            },
            login_token_ttl: Duration::from_secs(5 * 60),
            auth_code_ttl: Duration::from_secs(5 * 60),
            verify_code: "123456".into(),
            api_key_ttl: Duration::from_secs(90 * 24 * 60 * 60),
            access_token_ttl: Duration::from_secs(2 * 60 * 60),
            refresh_token_ttl: Duration::from_secs(30 * 24 * 60 * 60),
            state_file: None,
            record_answers: false,
            answer_log: None,
            quote_interval: Duration::from_millis(200),
            quote_heartbeat_timeout: protocol::market_data::SILENCE_LIMIT,
            msg_token_ttl: Duration::from_secs(24 * 60 * 60),
            open_messages_heartbeat_timeout: protocol::open_messages::SILENCE_LIMIT,
            data_push_heartbeat_timeout: protocol::data_push::SILENCE_LIMIT,
        }
    }
}
