//! The PostgreSQL schema and its versioned migrations.
//!
//! The logical schema is the SQLite store's: each table keeps the columns
//! the store filters or sorts on (tenant, ids, state, times, lease, version)
//! as SQL columns and the whole row as a `JSONB` document, so a new field on
//! a row type needs no migration.
//!
//! Migrations run when a store connects, all in one transaction under a
//! transaction-scoped advisory lock, so replicas that start at the same time
//! apply each migration exactly once (the second waits for the first and then
//! finds nothing to do). `aspect_schema_version` records every version applied;
//! a database whose version is newer than this build is refused.

use deadpool_postgres::GenericClient;

use super::db;
use crate::error::{Error, Result};

/// Migrations, applied in order; index + 1 is the schema version.
/// Never edit a released entry: append a new one.
pub(super) const MIGRATIONS: &[&str] = &[
    // 1: the SQLite store's schema at its version 3.
    "CREATE TABLE deliveries (
        seq BIGSERIAL PRIMARY KEY,
        tenant TEXT NOT NULL, ats TEXT NOT NULL, delivery_id TEXT NOT NULL,
        digest TEXT,
        body BYTEA NOT NULL, received_at TIMESTAMPTZ NOT NULL,
        processed BOOLEAN NOT NULL DEFAULT FALSE,
        attempts INTEGER NOT NULL DEFAULT 0,
        next_attempt_at TIMESTAMPTZ NOT NULL,
        parked BOOLEAN NOT NULL DEFAULT FALSE,
        last_error TEXT,
        UNIQUE (tenant, ats, delivery_id));
     CREATE UNIQUE INDEX deliveries_digest ON deliveries (tenant, ats, digest) WHERE digest IS NOT NULL;
     CREATE INDEX deliveries_due ON deliveries (next_attempt_at) WHERE NOT processed AND NOT parked;
     CREATE INDEX deliveries_processed ON deliveries (received_at) WHERE processed;
     CREATE TABLE candidates (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, candidate_id TEXT NOT NULL,
        data JSONB NOT NULL,
        PRIMARY KEY (tenant, ats, candidate_id));
     CREATE TABLE candidate_emails (
        tenant TEXT NOT NULL, email TEXT NOT NULL, ats TEXT NOT NULL, candidate_id TEXT NOT NULL,
        PRIMARY KEY (tenant, email, ats, candidate_id));
     CREATE INDEX candidate_emails_owner ON candidate_emails (tenant, ats, candidate_id);
     CREATE TABLE candidate_applications (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, application_id TEXT NOT NULL,
        candidate_id TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, application_id));
     CREATE INDEX candidate_applications_owner ON candidate_applications (tenant, ats, candidate_id);
     CREATE TABLE candidate_aliases (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, alias_id TEXT NOT NULL, candidate_id TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, alias_id));
     CREATE INDEX candidate_aliases_owner ON candidate_aliases (tenant, ats, candidate_id);
     CREATE TABLE tombstones (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
        deleted_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant, ats, kind, id));
     CREATE TABLE jobs (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, job_id TEXT NOT NULL, data JSONB NOT NULL,
        PRIMARY KEY (tenant, ats, job_id));
     CREATE TABLE interviews (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, interview_id TEXT NOT NULL,
        candidate_id TEXT, start TIMESTAMPTZ NOT NULL, data JSONB NOT NULL,
        PRIMARY KEY (tenant, ats, interview_id));
     CREATE INDEX interviews_candidate ON interviews (tenant, ats, candidate_id);
     CREATE INDEX interviews_application ON interviews (tenant, ats, (data->>'application_id'));
     CREATE TABLE outbox (
        tenant TEXT NOT NULL, meeting_id TEXT NOT NULL, ats TEXT NOT NULL, candidate_id TEXT NOT NULL,
        state TEXT NOT NULL, next_attempt_at TIMESTAMPTZ NOT NULL, created_at TIMESTAMPTZ NOT NULL,
        lease_owner TEXT, lease_until TIMESTAMPTZ,
        version BIGINT NOT NULL DEFAULT 0,
        data JSONB NOT NULL,
        PRIMARY KEY (tenant, meeting_id, ats, candidate_id));
     CREATE INDEX outbox_open ON outbox (next_attempt_at) WHERE state IN ('pending', 'sending');
     CREATE INDEX outbox_tenant_state ON outbox (tenant, ats, state);
     CREATE INDEX outbox_candidate ON outbox (tenant, ats, candidate_id);
     CREATE TABLE audit (
        id BIGSERIAL PRIMARY KEY, tenant TEXT NOT NULL, data JSONB NOT NULL);
     CREATE INDEX audit_tenant ON audit (tenant, id);
     CREATE TABLE checkpoints (
        tenant TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (tenant, name));
     CREATE TABLE sync_leases (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, owner TEXT NOT NULL, until TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (tenant, ats));",
    // 2: a processing lease on each delivery, so one replica processes it at a time.
    "ALTER TABLE deliveries ADD COLUMN lease_owner TEXT;
     ALTER TABLE deliveries ADD COLUMN lease_until TIMESTAMPTZ;",
    // 3: the generic versioned record family (tenants, connections, OAuth
    // states and tokens), written with compare-and-set on `version`.
    "CREATE TABLE records (
        kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        version BIGINT NOT NULL, updated_at TIMESTAMPTZ NOT NULL,
        PRIMARY KEY (kind, key));",
];

/// The first key of the migration lock (`pg_advisory_xact_lock(int, int)`;
/// the second key is a hash of the schema name, so stores in different
/// schemas of one database migrate independently). Two-key advisory locks
/// never collide with the one-key locks the store takes on candidates.
const MIGRATION_LOCK: i32 = 0x4153_5043; // "ASPC"

/// Creates the schema if one was named, then applies the missing migrations,
/// all in one transaction under the migration lock. Returns the version.
pub(super) async fn migrate(
    client: &mut deadpool_postgres::Client,
    schema: Option<&str>,
) -> Result<usize> {
    let tx = client.transaction().await.map_err(db)?;
    let lock_name = match schema {
        Some(name) => name.to_owned(),
        None => tx
            .query_one("SELECT coalesce(current_schema(), '')", &[])
            .await
            .map_err(db)?
            .try_get(0)
            .map_err(db)?,
    };
    tx.execute(
        "SELECT pg_advisory_xact_lock($1, hashtext($2))",
        &[&MIGRATION_LOCK, &lock_name],
    )
    .await
    .map_err(db)?;
    if let Some(name) = schema {
        // `name` passed `valid_schema_name`: letters, digits and `_` only.
        tx.batch_execute(&format!("CREATE SCHEMA IF NOT EXISTS \"{name}\""))
            .await
            .map_err(db)?;
    }
    tx.batch_execute(
        "CREATE TABLE IF NOT EXISTS aspect_schema_version (
            version INTEGER PRIMARY KEY,
            applied_at TIMESTAMPTZ NOT NULL DEFAULT now())",
    )
    .await
    .map_err(db)?;
    let current: i32 = tx
        .query_one(
            "SELECT coalesce(max(version), 0) FROM aspect_schema_version",
            &[],
        )
        .await
        .map_err(db)?
        .try_get(0)
        .map_err(db)?;
    let current = usize::try_from(current)
        .map_err(|_| Error::Corrupt(format!("negative schema version {current}")))?;
    if current > MIGRATIONS.len() {
        return Err(Error::Store(format!(
            "database schema version {current} is newer than this build supports ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let version = i32::try_from(i + 1).unwrap_or(i32::MAX);
        tx.batch_execute(sql).await.map_err(db)?;
        tx.execute(
            "INSERT INTO aspect_schema_version (version) VALUES ($1)",
            &[&version],
        )
        .await
        .map_err(db)?;
        tracing::info!(version, "applied PostgreSQL store migration");
    }
    tx.commit().await.map_err(db)?;
    Ok(MIGRATIONS.len())
}

/// The version recorded in `aspect_schema_version`.
pub(super) async fn version(client: &impl GenericClient) -> Result<usize> {
    let v: i32 = client
        .query_one(
            "SELECT coalesce(max(version), 0) FROM aspect_schema_version",
            &[],
        )
        .await
        .map_err(db)?
        .try_get(0)
        .map_err(db)?;
    usize::try_from(v).map_err(|_| Error::Corrupt(format!("negative schema version {v}")))
}

/// Whether `name` can be used as a schema name without quoting trouble:
/// 1-63 lower-case ASCII letters, digits or `_`, not starting with a digit
/// (PostgreSQL folds an unquoted `search_path` entry to lower case, so an
/// upper-case name would name another schema there than in `CREATE SCHEMA`).
pub(super) fn valid_schema_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 63
        && !name.starts_with(|c: char| c.is_ascii_digit())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}
