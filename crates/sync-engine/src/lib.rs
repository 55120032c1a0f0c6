//! Posts interview summaries into Lever and Greenhouse: webhook ingest, candidate index and a durable, duplicate-free note outbox.
#![forbid(unsafe_code)]
#![deny(missing_docs)]
