//! Typed async client for the Greenhouse Harvest v3 API (OAuth 2.0, cursor pagination, rate-limit pacing) and Greenhouse webhooks.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
