//! Who is calling: the per-request facts a handler may want (its request ID, the access key
//! that signed it) without a change to the service trait's signatures, which the generated
//! client implements too. The server sets them in a Tokio task-local around the handler; the
//! handler asks for them with [`RequestContext::current`].

use std::future::Future;

use crate::sigv4::Verified;

tokio::task_local! {
    /// The context of the request whose handler runs in this task, set by [`Server`] around
    /// the dispatcher's future.
    ///
    /// [`Server`]: super::Server
    static CURRENT: RequestContext;
}

/// What the server knows about the request a handler is answering: its request ID and, when
/// the server checks signatures, who signed it.
///
/// A handler reads it with [`RequestContext::current`]: the server keeps it in a Tokio
/// task-local for as long as the handler's future runs, so that the service trait, which the
/// client implements as well, needs no extra argument.
///
/// A task the handler spawns (`tokio::spawn`) does not inherit it, as task-locals belong to
/// one task: capture it first and run the spawned future inside [`RequestContext::scope`].
///
/// ```
/// # async fn handler() {
/// use smithy_runtime::service::RequestContext;
///
/// let caller = RequestContext::current();
/// let key = caller.as_ref().and_then(RequestContext::access_key_id).unwrap_or("-");
/// # let _ = key;
/// if let Some(context) = caller {
///     // The spawned task sees the context only because it is handed over.
///     tokio::spawn(context.scope(async { RequestContext::current().is_some() }));
/// }
/// # }
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequestContext {
    request_id: String,
    verified: Option<Verified>,
    /// For a request whose body is a signed event stream: what its messages are checked against.
    event_seed: Option<std::sync::Arc<crate::sigv4::EventSeed>>,
}

impl RequestContext {
    /// A context for request `request_id`, signed as `verified` says (`None` for a request
    /// whose signature nobody checked). The server makes one per request; a test of a handler
    /// can make its own and run the handler inside [`RequestContext::scope`].
    pub fn new(request_id: impl Into<String>, verified: Option<Verified>) -> Self {
        Self { request_id: request_id.into(), verified, event_seed: None }
    }

    /// This context for a request whose signed event stream is checked against `seed`.
    pub(crate) fn with_event_seed(mut self, seed: Option<crate::sigv4::EventSeed>) -> Self {
        self.event_seed = seed.map(std::sync::Arc::new);
        self
    }

    /// What the request's signed event-stream messages are checked against, if it has them.
    #[cfg(feature = "event-stream")]
    pub(crate) fn event_seed(&self) -> Option<std::sync::Arc<crate::sigv4::EventSeed>> {
        self.event_seed.clone()
    }

    /// The context of the request whose handler is running in this task; `None` outside a
    /// handler (and in a task the handler spawned, unless it was handed over with
    /// [`RequestContext::scope`]). A copy, so that it may be kept past the handler.
    pub fn current() -> Option<RequestContext> {
        CURRENT.try_with(Clone::clone).ok()
    }

    /// Runs `future` with this as [`RequestContext::current`], as the server does around each
    /// handler.
    pub async fn scope<F: Future>(self, future: F) -> F::Output {
        CURRENT.scope(self, future).await
    }

    /// The request's ID: the very value the response carries in `x-amzn-requestid`, so that a
    /// log line can be matched with what the client saw.
    pub fn request_id(&self) -> &str {
        &self.request_id
    }

    /// The access key ID whose signature the server verified; `None` when the server checks
    /// no signatures (it was given no keys).
    pub fn access_key_id(&self) -> Option<&str> {
        self.verified.as_ref().map(|verified| verified.access_key_id.as_str())
    }

    /// Everything the verified signature says: the access key ID and the credential scope's
    /// region and service; `None` when the server checks no signatures.
    pub fn verified(&self) -> Option<&Verified> {
        self.verified.as_ref()
    }
}
