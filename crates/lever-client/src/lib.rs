//! Typed async client for the Lever v1 API: OAuth and API-key auth, pagination, rate limits, notes and verified webhooks.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
