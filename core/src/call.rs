//! One call of an operation: made by the operation's method, shaped by the caller's options,
//! sent when awaited.

use std::fmt;
use std::future::{Future, IntoFuture};
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures::FutureExt as _;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::access::{ClientAccess, Sent};
use crate::decode::decode;
use crate::error::{Error, ErrorKind};
use crate::execute::{Answered, Args};
use crate::locale::Locale;
use crate::metadata::Response;
use crate::open_api_sign::OpenApiKey;
use crate::operation::{Header, Operation};
use crate::raw::RawCall;
use crate::retry::RetryPolicy;
use crate::runtime::Runtime;
use crate::secret::ManagerToken;

/// A future the SDK returns, boxed so that its type can be named.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// How a call's answer becomes its data.
type Decode<T> = fn(&[u8], &Operation<'_>) -> Result<T, Error>;

/// One call of an operation, not sent yet: `.await` it for the data, or set options first.
///
/// Every generated method returns one:
///
/// ```ignore
/// let order = mm.client().trade().order_add_market_order(&token, &request)
///     .idempotency_key(order_key)          // the same key if this process restarts
///     .deadline(Duration::from_secs(10))   // over every attempt
///     .await?;
/// ```
///
/// Without options it is sent as the operation says: a fresh trace id and (for a write of the
/// Client gateway) idempotency key, the configured credentials, language and company id,
/// retries by the operation's effect and the configured policy. An option an operation cannot
/// take (an idempotency key on an operation without one, say) fails the call before anything
/// is sent, naming the option.
#[must_use = "a call is sent when awaited"]
pub struct Call<'a, T> {
    runtime: &'a Runtime,
    target: Target<'a>,
    options: Slot<'a>,
    decode: Decode<T>,
}

/// What is sent.
enum Target<'a> {
    /// A generated operation, its body written already.
    Operation {
        op: Sent<'a>,
        token: Option<&'a str>,
        arguments: Vec<Option<&'a str>>,
        body: Result<Bytes, Error>,
    },
    /// A call of any path, made into an operation when sent.
    Raw {
        call: &'a RawCall,
        template: &'static [Header],
    },
}

/// The caller's choices for one call; `None` leaves the operation's or the configuration's.
#[derive(Default)]
pub(crate) struct Options<'a> {
    pub(crate) idempotency_key: Option<String>,
    pub(crate) trace: Option<String>,
    pub(crate) deadline: Option<Duration>,
    pub(crate) attempt_timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: Vec<(String, String)>,
    pub(crate) lang: Option<Locale>,
    pub(crate) company_id: Option<String>,
    pub(crate) manager_token: Option<&'a ManagerToken>,
    pub(crate) open_api_key: Option<&'a OpenApiKey>,
    pub(crate) metadata: bool,
}

impl<'a, T> Call<'a, T>
where
    T: DeserializeOwned + Send + 'a,
{
    /// A call of `op` with `body`, authenticated by `token` where the operation takes one per
    /// call, its header and query arguments by index: what the generated methods make.
    #[doc(hidden)]
    pub fn new<B: Serialize + ?Sized>(
        runtime: &'a Runtime,
        op: &'a Operation<'a>,
        token: Option<&'a str>,
        arguments: Vec<Option<&'a str>>,
        body: &B,
    ) -> Self {
        let body = serde_json::to_vec(body).map(Bytes::from).map_err(|e| {
            Error::new(ErrorKind::InvalidInput(format!(
                "the request body cannot be written as JSON: {e}"
            )))
        });
        Self {
            runtime,
            target: Target::Operation {
                op: Sent::Static(op),
                token,
                arguments,
                body,
            },
            options: Slot::default(),
            decode: decode::<T>,
        }
    }

    /// A call of `op`, an operation a customer's login or an Open API key may authenticate,
    /// as `access` chooses: what the generated methods of such operations make.
    #[doc(hidden)]
    pub fn client<B: Serialize + ?Sized>(
        runtime: &'a Runtime,
        op: &'a Operation<'a>,
        access: ClientAccess<'a>,
        arguments: Vec<Option<&'a str>>,
        body: &B,
    ) -> Self {
        Self::new(runtime, op, None, arguments, body).with_access(access)
    }
}

impl<'a, T> Call<'a, T> {
    /// The call authenticated as `access` chooses: its login token on the operation's own
    /// route, or its Open API route, signed. An operation without that route fails the call
    /// when it is sent ([`ErrorKind::InvalidInput`]). What tools driving operations from JSON
    /// use; a generated method takes the choice as its argument.
    #[doc(hidden)]
    pub fn with_access(mut self, access: ClientAccess<'a>) -> Self {
        if let Target::Operation {
            op, token, body, ..
        } = &mut self.target
        {
            match op.choose(access) {
                Ok((chosen, login)) => {
                    *op = chosen;
                    *token = login;
                }
                Err(error) => *body = Err(error),
            }
        }
        self
    }
}

impl<'a> Call<'a, serde_json::Value> {
    /// A call of `op` whose body is JSON read through the operation's own request type, and
    /// whose data is decoded through its response type and written back as JSON: what tools
    /// use to drive any operation. A body that does not fit the request type fails the call
    /// with [`ErrorKind::InvalidInput`].
    pub fn json(
        runtime: &'a Runtime,
        op: &'a Operation<'a>,
        token: Option<&'a str>,
        arguments: Vec<Option<&'a str>>,
        json: &[u8],
    ) -> Self {
        let body = op.request_from_json(json).map(Bytes::from);
        Self {
            runtime,
            target: Target::Operation {
                op: Sent::Static(op),
                token,
                arguments,
                body,
            },
            options: Slot::default(),
            decode: |body, op| op.codec.response(op, body),
        }
    }

    /// The same call answering its data as the server wrote it, once the operation's
    /// response type has read it: what `mm` prints, so that nothing the types lack is lost
    /// and no number is rewritten.
    #[doc(hidden)]
    pub fn data_as_sent(self) -> Call<'a, Box<serde_json::value::RawValue>> {
        Call {
            runtime: self.runtime,
            target: self.target,
            options: self.options,
            decode: |body, op| op.codec.response_as_sent(op, body),
        }
    }

    /// A call of any path (`mm.call_raw`), with the headers `template` the SDK fills for its
    /// API.
    #[doc(hidden)]
    pub fn raw(runtime: &'a Runtime, call: &'a RawCall, template: &'static [Header]) -> Self {
        Self {
            runtime,
            target: Target::Raw { call, template },
            options: Slot::default(),
            decode: RawCall::data,
        }
    }
}

/// A call's options, on the heap only once one is set: most calls set none, and a call is
/// part of the future every call allocates.
#[derive(Default)]
pub(crate) struct Slot<'a>(Option<Box<Options<'a>>>);

/// The options of a call that sets none.
static NONE: Options<'static> = Options {
    idempotency_key: None,
    trace: None,
    deadline: None,
    attempt_timeout: None,
    retry: None,
    headers: Vec::new(),
    lang: None,
    company_id: None,
    manager_token: None,
    open_api_key: None,
    metadata: false,
};

impl<'a> Slot<'a> {
    /// The options to change.
    pub(crate) fn set(&mut self) -> &mut Options<'a> {
        self.0.get_or_insert_with(Box::default)
    }

    /// The options as set.
    pub(crate) fn get(&self) -> &Options<'a> {
        self.0.as_deref().unwrap_or(&NONE)
    }
}

/// The options of one call, the same methods on a [`Call`] and on a
/// [`Pager`](crate::Pager) (where each page's call takes them).
macro_rules! call_options {
    () => {
        /// Sends `key` as the idempotency key of every attempt, instead of a fresh random one: a
        /// write retried after your process restarts then reaches the server with the key of its
        /// first try, and the gateway answers it with that try's result (for 24 hours). Only the
        /// operations that carry a key take one (the Client gateway's writes).
        pub fn idempotency_key(mut self, key: impl Into<String>) -> Self {
            self.options.set().idempotency_key = Some(key.into());
            self
        }

        /// Sends `id` as the `trace` of the request (and of every retry), instead of a random
        /// one: to follow one of your own ids through upstream's logs.
        pub fn trace_id(mut self, id: impl Into<String>) -> Self {
            self.options.set().trace = Some(id.into());
            self
        }

        /// Ends the call, retries and waits between them included, after `limit`: it then fails
        /// with [`ErrorKind::Deadline`].
        pub fn deadline(mut self, limit: Duration) -> Self {
            self.options.set().deadline = Some(limit);
            self
        }

        /// Limits each attempt to `limit` instead of the configured timeout; an attempt that
        /// runs out fails with [`ErrorKind::Timeout`], which may be retried.
        pub fn attempt_timeout(mut self, limit: Duration) -> Self {
            self.options.set().attempt_timeout = Some(limit);
            self
        }

        /// Retries this call by `policy` instead of the configured one. Which failures may be
        /// retried stays the operation's to say.
        pub fn retry(mut self, policy: RetryPolicy) -> Self {
            self.options.set().retry = Some(policy);
            self
        }

        /// Adds a header the operation does not declare. One it declares (the SDK fills those)
        /// or that cannot be sent fails the call, naming it.
        pub fn header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
            self.options.set().headers.push((name.into(), value.into()));
            self
        }

        /// Asks for answers in `lang` on this call, instead of the configured language.
        pub fn lang(mut self, lang: Locale) -> Self {
            self.options.set().lang = Some(lang);
            self
        }

        /// Sends `company_id` on this call, instead of the configured company id (a platform
        /// serving several white labels).
        pub fn company_id(mut self, company_id: impl Into<String>) -> Self {
            self.options.set().company_id = Some(company_id.into());
            self
        }

        /// Authenticates this Manager API call with `token` instead of the configured one.
        pub fn manager_token(mut self, token: &'a ManagerToken) -> Self {
            self.options.set().manager_token = Some(token);
            self
        }

        /// Signs this Open API call with `key` instead of the configured one.
        pub fn open_api_key(mut self, key: &'a OpenApiKey) -> Self {
            self.options.set().open_api_key = Some(key);
            self
        }
    };
}
pub(crate) use call_options;

impl<'a, T> Call<'a, T> {
    call_options!();

    /// The same call answering its data with the answer's status, headers and ids
    /// ([`Response`]). Set the call's options before: this is the last step before `.await`.
    pub fn with_metadata(mut self) -> WithMetadata<'a, T> {
        self.options.set().metadata = true;
        WithMetadata(self)
    }

    /// Sends it: the data, and what the answer said besides.
    ///
    /// It reads the call where it is, without moving its parts out: a part moved into a local
    /// would take its room twice in this future, which every call allocates.
    async fn send(mut self) -> Result<(T, Answered), Error>
    where
        T: Send,
    {
        let decode = self.decode;
        let mut data = None;
        let mut read = |body: &[u8], op: &Operation<'_>| {
            data = Some(decode(body, op)?);
            Ok(())
        };
        let answered = match &mut self.target {
            Target::Operation {
                op,
                token,
                arguments,
                body,
            } => {
                let body = std::mem::replace(body, Ok(Bytes::new()))
                    .map_err(|e| e.with_operation(op.id))?;
                let args = Args {
                    token: *token,
                    arguments,
                    extra_query: &[],
                };
                self.runtime
                    .execute(op, &args, self.options.get(), body, &mut read)
                    .await?
            }
            // Boxed: its own operation would otherwise be part of every call's future.
            Target::Raw { call, template } => {
                Box::pin(call.send(self.runtime, template, self.options.get(), &mut read)).await?
            }
        };
        // `execute` answers only after `read` succeeded.
        let data = data.ok_or_else(|| Error::new(ErrorKind::MissingData))?;
        Ok((data, answered))
    }
}

impl<'a, T> IntoFuture for Call<'a, T>
where
    T: Send + 'a,
{
    type Output = Result<T, Error>;
    type IntoFuture = BoxFuture<'a, Result<T, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        // The call's own future, boxed as it is: an `async` block around it would hold the
        // call a second time.
        Box::pin(self.send().map(|sent| sent.map(|(data, _)| data)))
    }
}

impl<T> fmt::Debug for Call<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = match &self.target {
            Target::Operation { op, .. } => op.id,
            Target::Raw { .. } => "raw",
        };
        // The options may hold secrets (a token, extra header values): named, not shown.
        f.debug_struct("Call")
            .field("operation", &operation)
            .field("options", self.options.get())
            .finish_non_exhaustive()
    }
}

impl fmt::Debug for Options<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let headers: Vec<&str> = self.headers.iter().map(|(name, _)| name.as_str()).collect();
        f.debug_struct("Options")
            .field("idempotency_key", &self.idempotency_key)
            .field("trace", &self.trace)
            .field("deadline", &self.deadline)
            .field("attempt_timeout", &self.attempt_timeout)
            .field("retry", &self.retry)
            .field("headers", &headers)
            .field("lang", &self.lang)
            .field("company_id", &self.company_id)
            .field("manager_token", &self.manager_token)
            .field("open_api_key", &self.open_api_key)
            .field("metadata", &self.metadata)
            .finish()
    }
}

/// A [`Call`] that answers its data with the answer's metadata: `.await` it for a
/// [`Response`].
#[must_use = "a call is sent when awaited"]
#[derive(Debug)]
pub struct WithMetadata<'a, T>(Call<'a, T>);

impl<'a, T> IntoFuture for WithMetadata<'a, T>
where
    T: Send + 'a,
{
    type Output = Result<Response<T>, Error>;
    type IntoFuture = BoxFuture<'a, Result<Response<T>, Error>>;

    fn into_future(self) -> Self::IntoFuture {
        Box::pin(
            self.0.send().map(|sent| {
                sent.map(|(data, answered)| Response::new(data, answered.into_metadata()))
            }),
        )
    }
}
