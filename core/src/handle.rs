//! What the generated operation traits are implemented for.

use crate::runtime::Runtime;

/// Markers for the three APIs: a [`Handle`]'s `Api`.
pub mod api {
    /// The Client API (and its Open API).
    #[derive(Debug)]
    pub enum Client {}
    /// The Manager API.
    #[derive(Debug)]
    pub enum Manager {}
    /// The Auth2 API.
    #[derive(Debug)]
    pub enum Auth2 {}
}

/// Something that reaches one API through a [`Runtime`]: `mm.client()`, `mm.manager()`,
/// `mm.auth2()`. Every generated operation trait of that API is implemented for it, so each
/// operation is a method of the handle.
pub trait Handle {
    /// The API it reaches: one of [`api`]'s markers.
    type Api;

    /// The runtime that sends the calls.
    fn runtime(&self) -> &Runtime;
}
