//! Query-string building shared by the filter builders, and the macros that declare the
//! builders and the "one page + stream" pairs of list endpoints.

use crate::client::Call;
use crate::models::Timestamp;

/// A value that can be sent as one query parameter.
pub trait ToParam {
    /// The text sent on the wire.
    fn to_param(&self) -> String;
}

impl ToParam for &str {
    fn to_param(&self) -> String {
        (*self).to_owned()
    }
}

impl ToParam for String {
    fn to_param(&self) -> String {
        self.clone()
    }
}

impl ToParam for bool {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

impl ToParam for u32 {
    fn to_param(&self) -> String {
        self.to_string()
    }
}

/// Timestamps are sent as milliseconds since the epoch (LD "Lists": every `*_start`/`*_end`
/// filter takes ms; research note §5).
impl ToParam for Timestamp {
    fn to_param(&self) -> String {
        self.timestamp_millis().to_string()
    }
}

impl ToParam for crate::api::ConfidentialityFilter {
    fn to_param(&self) -> String {
        self.as_str().to_owned()
    }
}

impl ToParam for crate::models::PostingState {
    fn to_param(&self) -> String {
        self.as_str().to_owned()
    }
}

impl ToParam for crate::models::AccessRole {
    fn to_param(&self) -> String {
        self.as_str().to_owned()
    }
}

/// Ordered `(key, value)` pairs; repeated keys are how Lever takes several values
/// (`?tag=a&tag=b`, research note §2.2).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Params(pub(crate) Vec<(String, String)>);

impl Params {
    pub(crate) fn push(&mut self, key: &str, value: String) {
        self.0.push((key.to_owned(), value));
    }

    pub(crate) fn apply(&self, call: Call) -> Call {
        self.0.iter().fold(call, |c, (k, v)| c.query(k, v.clone()))
    }
}

/// Declares a filter builder: a struct of ordered parameters with one typed method per
/// documented filter, plus `include`, `expand` and a raw `param` escape hatch.
macro_rules! filters {
    (
        $(#[$meta:meta])*
        $name:ident {
            $( $(#[$fmeta:meta])* $method:ident : $ty:ty => $wire:literal ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Default, PartialEq, Eq)]
        pub struct $name {
            params: $crate::api::query::Params,
        }

        impl $name {
            /// No filters.
            pub fn new() -> Self {
                Self::default()
            }

            $(
                $(#[$fmeta])*
                pub fn $method(mut self, value: $ty) -> Self {
                    use $crate::api::query::ToParam;
                    self.params.push($wire, value.to_param());
                    self
                }
            )*

            /// Return only these fields (repeatable; LD "Customizing the Response").
            pub fn include(mut self, field: &str) -> Self {
                self.params.push("include", field.to_owned());
                self
            }

            /// Expand this id field into its object (repeatable; LD "Customizing the Response").
            pub fn expand(mut self, field: &str) -> Self {
                self.params.push("expand", field.to_owned());
                self
            }

            /// Any other query parameter, sent as is (for filters Lever adds later).
            pub fn param(mut self, key: &str, value: &str) -> Self {
                self.params.push(key, value.to_owned());
                self
            }

            pub(crate) fn apply(&self, call: $crate::client::Call) -> $crate::client::Call {
                self.params.apply(call)
            }
        }
    };
}
pub(crate) use filters;

/// Declares a list endpoint as a one-page method and a stream method over the shared
/// pagination machinery.
macro_rules! list_endpoint {
    (
        $(#[$meta:meta])*
        $page:ident / $stream:ident -> $item:ty,
        ( $($arg:ident : $argty:ty),* ) => $call:expr
    ) => {
        $(#[$meta])*
        ///
        /// One page; pass the previous page's [`next_offset`](crate::Page::next_offset) to
        /// continue.
        pub async fn $page(
            &self,
            $($arg: $argty,)*
            offset: Option<&str>,
        ) -> Result<$crate::Page<$item>, $crate::Error> {
            self.page($call, offset).await
        }

        $(#[$meta])*
        ///
        /// Every record, lazily page by page (see [`Page`](crate::Page) for malformed records).
        pub fn $stream(
            &self,
            $($arg: $argty),*
        ) -> impl futures::Stream<Item = Result<$item, $crate::Error>> + Send + 'static {
            self.paginate($call)
        }
    };
}
pub(crate) use list_endpoint;

/// Declares a list endpoint as [`list_endpoint!`] does, plus `*_with` variants that take
/// [`ListOptions`] (`include`, `expand`).
macro_rules! list_endpoint_with_options {
    (
        $(#[$meta:meta])*
        $page:ident / $stream:ident, $page_with:ident / $stream_with:ident -> $item:ty,
        ( $($arg:ident : $argty:ty),* ) => $call:expr
    ) => {
        $crate::api::query::list_endpoint! {
            $(#[$meta])*
            $page / $stream -> $item,
            ( $($arg: $argty),* ) => $call
        }

        $(#[$meta])*
        ///
        /// One page, with `include`/`expand` [`ListOptions`](crate::ListOptions).
        pub async fn $page_with(
            &self,
            $($arg: $argty,)*
            options: &$crate::api::ListOptions,
            offset: Option<&str>,
        ) -> Result<$crate::Page<$item>, $crate::Error> {
            self.page(options.apply($call), offset).await
        }

        $(#[$meta])*
        ///
        /// Every record, with `include`/`expand` [`ListOptions`](crate::ListOptions).
        pub fn $stream_with(
            &self,
            $($arg: $argty,)*
            options: &$crate::api::ListOptions,
        ) -> impl futures::Stream<Item = Result<$item, $crate::Error>> + Send + 'static {
            self.paginate(options.apply($call))
        }
    };
}
pub(crate) use list_endpoint_with_options;

filters! {
    /// `include` and `expand` for list endpoints without filters of their own (LD
    /// "Customizing the Response": `include` returns only the named fields, `expand` replaces
    /// an id with its object and wins over `include`).
    ///
    /// ```
    /// let options = lever_client::ListOptions::new().expand("user").include("subject");
    /// ```
    ListOptions {}
}
