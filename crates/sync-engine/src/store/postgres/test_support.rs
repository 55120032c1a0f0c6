//! Fresh PostgreSQL schemas for tests: the library's conformance suite and
//! `tests/postgres.rs` (which includes this file with `#[path]`, next to a
//! `use aspect_sync_engine::store::PostgresStore`).
//!
//! The database comes from `ASPECT_TEST_POSTGRES_URL`. Without it the
//! PostgreSQL tests pass after saying they were skipped, except under
//! `CI=true`, where a missing database is a failure.
// Each includer uses a different part of the helpers.
#![allow(dead_code)]

use std::io::Write as _;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};

use super::PostgresStore;

/// The variable that names the test database.
pub const URL_VAR: &str = "ASPECT_TEST_POSTGRES_URL";

/// The test database's URL, or `None` (after saying so once) when the
/// PostgreSQL tests are to be skipped.
///
/// # Panics
/// When the URL is missing and `CI=true`: CI must run the suite.
pub fn test_url() -> Option<String> {
    if let Some(url) = std::env::var(URL_VAR).ok().filter(|u| !u.trim().is_empty()) {
        return Some(url);
    }
    assert!(
        std::env::var("CI").map(|v| v != "true").unwrap_or(true),
        "{URL_VAR} is not set and CI=true: CI must run the PostgreSQL suite (.ci/postgres starts a cluster)"
    );
    static SKIPPED: Once = Once::new();
    SKIPPED.call_once(|| {
        // Straight to stderr: the test harness captures `eprintln!` of
        // passing tests, and this line is meant to be seen.
        let _ = writeln!(std::io::stderr(), "PostgreSQL suite skipped: set {URL_VAR}");
    });
    None
}

/// A schema of its own for one test. [`cleanup`](Self::cleanup) drops it
/// with everything in it; a test that fails before that leaves its schema
/// behind (CI's cluster is thrown away; locally, drop `aspect_test_*`
/// schemas by hand). Cleanup is not done in `Drop`: it must wait for the
/// test's own connections to finish, and those run on the runtime that a
/// blocking `Drop` would stall.
pub struct TestSchema {
    url: String,
    name: String,
}

impl TestSchema {
    /// A fresh, unique schema name in the test database, or `None` when
    /// the suite is skipped (see [`test_url`]).
    pub fn new() -> Option<Self> {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        let url = test_url()?;
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "aspect_test_{}_{}_{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        Some(Self { url, name })
    }

    /// The schema's name.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The test database's URL.
    pub fn url(&self) -> &str {
        &self.url
    }

    /// A new store instance (its own pool and listener) on this schema:
    /// call it twice for two replicas.
    pub async fn store(&self) -> PostgresStore {
        PostgresStore::builder(&self.url)
            .expect("ASPECT_TEST_POSTGRES_URL parses")
            .schema(&self.name)
            .expect("valid schema name")
            .pool_size(4)
            .connect()
            .await
            .expect("connect to the test database")
    }

    /// Drops the schema and everything in it.
    pub async fn cleanup(self) {
        let (client, connection) = tokio_postgres::connect(&self.url, tokio_postgres::NoTls)
            .await
            .expect("connect for cleanup");
        let connection = tokio::spawn(connection);
        client
            .batch_execute(&format!("DROP SCHEMA IF EXISTS \"{}\" CASCADE", self.name))
            .await
            .expect("drop the test schema");
        drop(client);
        let _ = connection.await;
    }
}
