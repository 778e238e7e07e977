//! Flows: what takes several operations, a secret, or knowledge the specs do not hold, written
//! by hand on top of the generated calls.
//!
//! Every operation is a generated method of its group (`mm.client().auth().login(...)`),
//! taking the request type the spec describes. A flow adds meaning over them and calls those
//! same methods: it hashes a password the way upstream wants it, keeps a token secret, fills
//! what the configuration knows, checks a redirect, pages through a list. Each flow is a small
//! handle of its own, got from [`MultiMarkets`](crate::MultiMarkets) and compiled with the
//! features of the groups it calls:
//!
//! | flow | handle | what it does | features |
//! |---|---|---|---|
//! | [`auth2_login`] | `mm.auth2_login()` | third-party login with a trading account | `auth2` |
//! | [`web_iframe`] | `mm.web_iframe()` | the trading UI in your page, signed in | `client-auth` |
//! | [`sign_up`] | `mm.sign_up()` | customers who register themselves, social login | `client-auth`, `client-message` |
//! | [`api_keys`] | `mm.api_keys()` | a customer's Open API keys | `client-customer` |
//! | [`back_office`] | `mm.back_office()` | the operator's customers and funds | `manager` |

#[cfg(feature = "client-customer")]
pub mod api_keys;
#[cfg(feature = "auth2")]
pub mod auth2_login;
#[cfg(feature = "manager")]
pub mod back_office;
#[cfg(all(feature = "client-auth", feature = "client-message"))]
pub mod sign_up;
#[cfg(feature = "client-auth")]
pub mod web_iframe;

/// The device a login or registration is made from (`device`, `registerSource`); the iframe
/// flow logs in as [`Device::MobileWeb`] as the docs' example does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum Device {
    /// Mobile web (H5), 1.
    MobileWeb,
    /// PC web, 2.
    PcWeb,
    /// A back-office system, 3.
    System,
    /// Android app, 4.
    Android,
    /// iOS app, 5.
    Ios,
    /// HarmonyOS app, 6.
    HarmonyOs,
    /// Windows client, 7.
    PcWindows,
    /// Mac client, 8.
    PcMac,
    /// Anything else, 9.
    Other,
}

impl Device {
    /// The code upstream gives the device.
    pub fn code(self) -> i32 {
        match self {
            Device::MobileWeb => 1,
            Device::PcWeb => 2,
            Device::System => 3,
            Device::Android => 4,
            Device::Ios => 5,
            Device::HarmonyOs => 6,
            Device::PcWindows => 7,
            Device::PcMac => 8,
            Device::Other => 9,
        }
    }
}

/// An input of a flow that cannot be sent, said as the SDK's error.
#[cfg(any(
    all(feature = "client-auth", feature = "client-message"),
    feature = "client-customer",
    feature = "manager"
))]
pub(crate) fn invalid(why: impl Into<String>) -> mm_sdk_core::Error {
    mm_sdk_core::Error::from(mm_sdk_core::ErrorKind::InvalidInput(why.into()))
}
