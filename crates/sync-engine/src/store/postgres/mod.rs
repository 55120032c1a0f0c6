//! The PostgreSQL [`Store`](super::Store): [`PostgresStore`], its schema
//! migrations (`schema`) and its `LISTEN`/`NOTIFY` wake-ups (`notify`).

mod inbox;
mod notify;
mod pages;
mod schema;

#[cfg(test)]
pub(crate) mod test_support;

use std::time::Duration;

use chrono::{DateTime, Utc};
use deadpool_postgres::{GenericClient, Manager, ManagerConfig, Pool, RecyclingMethod, Runtime};
use serde::Serialize;
use serde::de::DeserializeOwned;
use tokio_postgres::NoTls;
use tokio_postgres::types::ToSql;

use super::{CandidateSnapshot, Delivery, PruneReport, Store, StoredRecord, TombstoneKind};
use crate::error::{Error, Result};
use crate::index::{CandidateKey, IndexedCandidate, IndexedJob, ScheduledInterview};
use crate::outbox::{AuditRecord, Lease, OutboxEntry, OutboxKey, OutboxState};
use crate::tenant::{Ats, TenantId};

/// Connections a store's pool opens at most unless
/// [`PostgresStoreBuilder::pool_size`] says otherwise.
pub const DEFAULT_POOL_SIZE: usize = 16;

/// The `application_name` of the store's connections unless set.
const DEFAULT_APPLICATION_NAME: &str = "aspect-sync-engine";

/// How long a store call waits for a free pooled connection before failing.
const POOL_WAIT: Duration = Duration::from_secs(30);
/// How long opening one connection may take.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A backend error as the crate's [`Error::Database`], with its source.
fn db<E: std::error::Error + Send + Sync + 'static>(e: E) -> Error {
    Error::Database(Box::new(e))
}

/// A [`Store`] for several replicas: one PostgreSQL database shared by
/// every receiver and worker process (feature `postgres`).
///
/// # Driver
/// [`tokio-postgres`](https://docs.rs/tokio-postgres) with a
/// [`deadpool-postgres`](https://docs.rs/deadpool-postgres) pool: a fully
/// async driver (a round trip never blocks a tokio worker), with plain
/// runtime-checked SQL, so building this crate needs no database (sqlx's
/// checked `query!` macros need one, or a prepared offline cache, at compile
/// time), and deadpool is the widely used pool for it (statement cache per
/// connection, wait and create timeouts).
///
/// # Connecting
/// [`PostgresStore::connect`] takes a `postgres://` or `postgresql://` URL
/// (or a `key=value` connection string) and applies the schema migrations
/// (see "Schema" below). [`PostgresStore::builder`] also sets:
/// - the **pool size** ([`PostgresStoreBuilder::pool_size`], default
///   [`DEFAULT_POOL_SIZE`]): connections each replica opens at most. Size it
///   to the tasks that use the store at once (workers, receiver requests)
///   and keep `replicas × (pool size + 1)` (one extra `LISTEN`
///   connection each) under the server's `max_connections`;
/// - a **schema** of its own ([`PostgresStoreBuilder::schema`]), created if
///   missing, so several installations (or test runs) share a database.
///
/// **TLS**: connections are made without TLS (`NoTls`): run the store on
/// loopback or a private network, or through a TLS-terminating proxy or
/// tunnel. A URL that demands TLS (`sslmode=require`) fails to connect
/// instead of silently going without.
///
/// Errors are [`Error::Database`] with the driver's error as the source.
/// The URL's password never appears in an error or in `Debug` output.
///
/// # How replicas share one database
/// - **Webhook dedupe**: deliveries have unique keys on (tenant, ATS,
///   delivery id) and on (tenant, ATS, body digest); a copy that arrives at
///   another replica hits `ON CONFLICT DO NOTHING` and is reported as seen.
///   Outbox entries dedupe the same way on (tenant, meeting, ATS, candidate).
/// - **Outbox claims**: [`claim_due_notes`](Store::claim_due_notes) locks
///   the due, unleased rows it picks with `FOR UPDATE SKIP LOCKED` (two
///   replicas claiming at once take different rows and never wait for each
///   other) and writes a lease (owner, until) and a new `version`. Every
///   later write by the worker is fenced by that version, so a worker whose
///   lease expired (its replica died or stalled) cannot overwrite the
///   replica that took the entry over after the lease lapsed.
///   Claims are fair across tenants (`ROW_NUMBER() OVER (PARTITION BY
///   tenant)`: every tenant's most overdue entry before anyone's second).
/// - **"Sync now" once per tenant and ATS**: a lease row in `sync_leases`
///   ([`acquire_sync_lease`](Store::acquire_sync_lease)), taken with one
///   atomic upsert that succeeds only when the row is free, expired or
///   already the caller's.
/// - **Webhook deliveries**: concurrent callers share one multi-row
///   `INSERT … ON CONFLICT DO NOTHING` and one commit, two batches at
///   once; each caller is answered after its batch commits.
/// - **Wake-ups**: writes that create due work (an enqueued note, resumed
///   notes or deliveries, a new delivery) send `NOTIFY aspect_work` with the
///   schema as payload, delivered at commit (new deliveries: once per
///   batch, just after it commits); every replica keeps one
///   connection that `LISTEN`s and wakes its
///   [`wait_for_work`](Store::wait_for_work). The wait's timeout is a
///   bounded poll behind it (a lost notification, work due by time).
/// - **Candidates**: writes to one person (upsert, merge, purge) take a
///   transaction-scoped advisory lock on the person's key, so a purge and a
///   late upsert on another replica cannot interleave and bring the person
///   back after the tombstone.
/// - **Purge** deletes the person's rows from every table that holds them
///   (candidates, e-mails, applications, aliases, interviews, outbox) in one
///   transaction; [`scrub`](Store::scrub) then runs `VACUUM` on those tables
///   so the deleted row versions are removed from the table files.
///
/// # Schema
/// The SQLite store's logical schema: indexed columns plus the row as
/// `JSONB`; versioned migrations applied at connect, in one transaction under
/// `pg_advisory_xact_lock`, recorded in `aspect_schema_version`; a database
/// with a newer version than this build knows is refused.
pub struct PostgresStore {
    pool: Pool,
    listener: notify::Listener,
    inbox: inbox::Inbox,
    /// Where it is connected, without the password (for `Debug`).
    target: String,
}

impl std::fmt::Debug for PostgresStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStore")
            .field("target", &self.target)
            .field("pool_size", &self.pool.status().max_size)
            .finish_non_exhaustive()
    }
}

/// Settings for a [`PostgresStore`]; made by [`PostgresStore::builder`].
pub struct PostgresStoreBuilder {
    config: tokio_postgres::Config,
    schema: Option<String>,
    pool_size: usize,
}

impl std::fmt::Debug for PostgresStoreBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PostgresStoreBuilder")
            .field("target", &describe(&self.config))
            .field("schema", &self.schema)
            .field("pool_size", &self.pool_size)
            .finish()
    }
}

/// `user@host:port/dbname`: enough to tell databases apart, no password.
fn describe(config: &tokio_postgres::Config) -> String {
    let host = match config.get_hosts().first() {
        Some(tokio_postgres::config::Host::Tcp(h)) => h.clone(),
        #[cfg(unix)]
        Some(tokio_postgres::config::Host::Unix(p)) => p.display().to_string(),
        None => "localhost".into(),
    };
    let port = config.get_ports().first().copied().unwrap_or(5432);
    format!(
        "postgres://{}@{host}:{port}/{}",
        config.get_user().unwrap_or(""),
        config.get_dbname().unwrap_or("")
    )
}

impl PostgresStoreBuilder {
    /// Connections the pool opens at most (at least 1; default
    /// [`DEFAULT_POOL_SIZE`]). See [`PostgresStore`] for sizing.
    pub fn pool_size(mut self, size: usize) -> Self {
        self.pool_size = size.max(1);
        self
    }

    /// The `application_name` the store's connections report (shown in
    /// `pg_stat_activity`, so an operator can tell replicas apart); the
    /// `LISTEN` connection adds ` listener`. Default: the URL's
    /// `application_name`, else `aspect-sync-engine`.
    pub fn application_name(mut self, name: &str) -> Self {
        self.config.application_name(name);
        self
    }

    /// Keeps the store's tables in this schema (created if missing) instead
    /// of the connection's default `search_path`: 1-63 lower-case ASCII
    /// letters, digits or `_`, not starting with a digit.
    pub fn schema(mut self, name: &str) -> Result<Self> {
        if !schema::valid_schema_name(name) {
            return Err(Error::InvalidSettings(format!(
                "PostgreSQL schema name `{name}`: use 1-63 lower-case ASCII letters, digits or `_`, not starting with a digit"
            )));
        }
        let options = match self.config.get_options() {
            Some(existing) if !existing.is_empty() => format!("{existing} -c search_path={name}"),
            _ => format!("-c search_path={name}"),
        };
        self.config.options(options);
        self.schema = Some(name.to_owned());
        Ok(self)
    }

    /// Opens the pool, starts the `LISTEN` connection and applies the
    /// schema migrations.
    pub async fn connect(self) -> Result<PostgresStore> {
        let target = describe(&self.config);
        let manager = Manager::from_config(
            self.config.clone(),
            NoTls,
            ManagerConfig {
                // A broken connection is noticed by the query that fails on
                // it; checking every checkout would cost a round trip each.
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(manager)
            .max_size(self.pool_size)
            .runtime(Runtime::Tokio1)
            .wait_timeout(Some(POOL_WAIT))
            .create_timeout(Some(CONNECT_TIMEOUT))
            .build()
            .map_err(db)?;
        let mut client = pool.get().await.map_err(db)?;
        schema::migrate(&mut client, self.schema.as_deref()).await?;
        drop(client);
        let mut listen_config = self.config;
        let listener_name = format!(
            "{} listener",
            listen_config
                .get_application_name()
                .unwrap_or(DEFAULT_APPLICATION_NAME)
        );
        listen_config.application_name(listener_name);
        let listener = notify::Listener::start(listen_config).await?;
        tracing::info!(%target, "PostgreSQL store connected");
        Ok(PostgresStore {
            inbox: inbox::Inbox::start(pool.clone()),
            pool,
            listener,
            target,
        })
    }
}

impl PostgresStore {
    /// Connects to the database at `url` (`postgres://user:password@host:port/db`,
    /// `postgresql://…`, or a `key=value` string) with the default settings
    /// and migrates it to the current schema version.
    pub async fn connect(url: &str) -> Result<Self> {
        Self::builder(url)?.connect().await
    }

    /// Settings (pool size, schema) for a store at `url`; see
    /// [`connect`](Self::connect) for the URL forms.
    pub fn builder(url: &str) -> Result<PostgresStoreBuilder> {
        let mut config: tokio_postgres::Config = url.parse().map_err(db)?;
        if config.get_application_name().is_none() {
            config.application_name(DEFAULT_APPLICATION_NAME);
        }
        if config.get_connect_timeout().is_none() {
            config.connect_timeout(CONNECT_TIMEOUT);
        }
        Ok(PostgresStoreBuilder {
            config,
            schema: None,
            pool_size: DEFAULT_POOL_SIZE,
        })
    }

    /// The schema version the database is at.
    pub async fn schema_version(&self) -> Result<usize> {
        schema::version(&self.client().await?).await
    }

    async fn client(&self) -> Result<deadpool_postgres::Client> {
        self.pool.get().await.map_err(db)
    }
}

type Params<'a> = [&'a (dyn ToSql + Sync)];

async fn rows(
    c: &impl GenericClient,
    sql: &str,
    params: &Params<'_>,
) -> Result<Vec<tokio_postgres::Row>> {
    let statement = c.prepare_cached(sql).await.map_err(db)?;
    c.query(&statement, params).await.map_err(db)
}

async fn exec(c: &impl GenericClient, sql: &str, params: &Params<'_>) -> Result<u64> {
    let statement = c.prepare_cached(sql).await.map_err(db)?;
    c.execute(&statement, params).await.map_err(db)
}

fn to_json<T: Serialize>(value: &T) -> Result<serde_json::Value> {
    Ok(serde_json::to_value(value)?)
}

fn from_row<T: DeserializeOwned>(row: &tokio_postgres::Row) -> Result<T> {
    let value: serde_json::Value = row.try_get(0).map_err(db)?;
    Ok(serde_json::from_value(value)?)
}

/// Rows whose first column is a JSON document of a `T`.
async fn json_rows<T: DeserializeOwned>(
    c: &impl GenericClient,
    sql: &str,
    params: &Params<'_>,
) -> Result<Vec<T>> {
    rows(c, sql, params).await?.iter().map(from_row).collect()
}

fn i64_of(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

/// Serializes writes to one person across replicas for the rest of the
/// transaction (see the module docs); takes the locks in a fixed order so
/// two transactions locking the same pair cannot deadlock.
async fn lock_people(
    tx: &impl GenericClient,
    tenant: &TenantId,
    ats: Ats,
    ids: &[&str],
) -> Result<()> {
    let mut keys: Vec<String> = ids
        .iter()
        .map(|id| format!("{}\u{1f}{}\u{1f}{id}", tenant.as_str(), ats.as_str()))
        .collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        exec(
            tx,
            "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))",
            &[&key],
        )
        .await?;
    }
    Ok(())
}

async fn is_tombstoned(c: &impl GenericClient, key: &CandidateKey) -> Result<bool> {
    Ok(!rows(
        c,
        "SELECT 1 FROM tombstones WHERE tenant = $1 AND ats = $2 AND kind = 'candidate' AND id = $3",
        &[&key.tenant.as_str(), &key.ats.as_str(), &key.candidate_id],
    )
    .await?
    .is_empty())
}

async fn read_candidate(
    c: &impl GenericClient,
    key: &CandidateKey,
) -> Result<Option<IndexedCandidate>> {
    Ok(json_rows(
        c,
        "SELECT data FROM candidates WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
        &[&key.tenant.as_str(), &key.ats.as_str(), &key.candidate_id],
    )
    .await?
    .into_iter()
    .next())
}

async fn write_candidate(tx: &impl GenericClient, c: &IndexedCandidate) -> Result<()> {
    let k = &c.key;
    let key: [&(dyn ToSql + Sync); 3] = [&k.tenant.as_str(), &k.ats.as_str(), &k.candidate_id];
    exec(
        tx,
        "INSERT INTO candidates (tenant, ats, candidate_id, data) VALUES ($1, $2, $3, $4)
         ON CONFLICT (tenant, ats, candidate_id) DO UPDATE SET data = EXCLUDED.data",
        &[key[0], key[1], key[2], &to_json(c)?],
    )
    .await?;
    exec(
        tx,
        "DELETE FROM candidate_emails WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
        &key,
    )
    .await?;
    exec(
        tx,
        "DELETE FROM candidate_applications WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
        &key,
    )
    .await?;
    for app in &c.applications {
        exec(
            tx,
            "INSERT INTO candidate_applications (tenant, ats, application_id, candidate_id)
             VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant, ats, application_id) DO UPDATE SET candidate_id = EXCLUDED.candidate_id",
            &[key[0], key[1], &app.id, key[2]],
        )
        .await?;
    }
    for email in &c.emails {
        exec(
            tx,
            "INSERT INTO candidate_emails (tenant, email, ats, candidate_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT DO NOTHING",
            &[key[0], email, key[1], key[2]],
        )
        .await?;
    }
    Ok(())
}

async fn write_interview(c: &impl GenericClient, i: &ScheduledInterview) -> Result<()> {
    exec(
        c,
        "INSERT INTO interviews (tenant, ats, interview_id, candidate_id, start, data)
         VALUES ($1, $2, $3, $4, $5, $6)
         ON CONFLICT (tenant, ats, interview_id) DO UPDATE SET
           candidate_id = EXCLUDED.candidate_id, start = EXCLUDED.start, data = EXCLUDED.data",
        &[
            &i.tenant.as_str(),
            &i.ats.as_str(),
            &i.interview_id,
            &i.candidate_id,
            &i.start,
            &to_json(i)?,
        ],
    )
    .await?;
    Ok(())
}

/// The columns of an outbox row, in `OUTBOX_COLUMNS` order.
const OUTBOX_COLUMNS: &str =
    "tenant, meeting_id, ats, candidate_id, state, next_attempt_at, created_at,
     lease_owner, lease_until, version, data";

/// Inserts an entry (`replace`: or overwrites the one with its key);
/// returns the rows written.
async fn write_outbox(c: &impl GenericClient, e: &OutboxEntry, replace: bool) -> Result<u64> {
    let conflict = if replace {
        "ON CONFLICT (tenant, meeting_id, ats, candidate_id) DO UPDATE SET
           state = EXCLUDED.state, next_attempt_at = EXCLUDED.next_attempt_at,
           created_at = EXCLUDED.created_at, lease_owner = EXCLUDED.lease_owner,
           lease_until = EXCLUDED.lease_until, version = EXCLUDED.version, data = EXCLUDED.data"
    } else {
        "ON CONFLICT DO NOTHING"
    };
    let k = &e.key;
    exec(
        c,
        &format!(
            "INSERT INTO outbox ({OUTBOX_COLUMNS})
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) {conflict}"
        ),
        &[
            &k.tenant.as_str(),
            &k.meeting_id,
            &k.ats.as_str(),
            &k.candidate_id,
            &e.state.name(),
            &e.next_attempt_at,
            &e.created_at,
            &e.lease.as_ref().map(|l| l.owner.as_str()),
            &e.lease.as_ref().map(|l| l.until),
            &i64_of(e.version),
            &to_json(e)?,
        ],
    )
    .await
}

async fn read_outbox(c: &impl GenericClient, k: &OutboxKey) -> Result<Option<OutboxEntry>> {
    Ok(json_rows(
        c,
        "SELECT data FROM outbox
         WHERE tenant = $1 AND meeting_id = $2 AND ats = $3 AND candidate_id = $4",
        &[
            &k.tenant.as_str(),
            &k.meeting_id,
            &k.ats.as_str(),
            &k.candidate_id,
        ],
    )
    .await?
    .into_iter()
    .next())
}

async fn delete_outbox(c: &impl GenericClient, k: &OutboxKey) -> Result<()> {
    exec(
        c,
        "DELETE FROM outbox WHERE tenant = $1 AND meeting_id = $2 AND ats = $3 AND candidate_id = $4",
        &[&k.tenant.as_str(), &k.meeting_id, &k.ats.as_str(), &k.candidate_id],
    )
    .await?;
    Ok(())
}

/// `key`'s id and every id merged into it, transitively.
async fn ids_of(c: &impl GenericClient, key: &CandidateKey) -> Result<Vec<String>> {
    rows(
        c,
        "WITH RECURSIVE ids(id) AS (
            SELECT $3::text
            UNION SELECT a.alias_id FROM candidate_aliases a, ids
              WHERE a.tenant = $1 AND a.ats = $2 AND a.candidate_id = ids.id)
         SELECT id FROM ids",
        &[&key.tenant.as_str(), &key.ats.as_str(), &key.candidate_id],
    )
    .await?
    .iter()
    .map(|r| r.try_get(0).map_err(db))
    .collect()
}

/// Sends the wake-up for new work at commit (see the notify module).
const NOTIFY_WORK: &str = "SELECT pg_notify('aspect_work', coalesce(current_schema(), ''))";

/// Due, unleased open entries, fair across tenants (each tenant's most
/// overdue first, round-robin), locked for this transaction; rows another
/// claimer holds are skipped, not waited for. The ranking runs in a
/// subquery because PostgreSQL allows no window function next to `FOR
/// UPDATE`; the outer conditions are re-checked on the locked row version.
const CLAIM_DUE_NOTES: &str = "
    SELECT o.data FROM outbox o
    JOIN (SELECT tenant, meeting_id, ats, candidate_id,
                 ROW_NUMBER() OVER (PARTITION BY tenant ORDER BY next_attempt_at, created_at) AS turn
          FROM outbox
          WHERE state IN ('pending', 'sending') AND next_attempt_at <= $1
            AND (lease_until IS NULL OR lease_until <= $1)) r
      USING (tenant, meeting_id, ats, candidate_id)
    WHERE o.state IN ('pending', 'sending') AND o.next_attempt_at <= $1
      AND (o.lease_until IS NULL OR o.lease_until <= $1)
    ORDER BY r.turn, o.next_attempt_at, o.created_at, o.tenant, o.meeting_id
    LIMIT $2
    FOR UPDATE OF o SKIP LOCKED";

/// Unprocessed, unparked deliveries due at `$1`, round-robin by tenant.
const FAIR_DELIVERIES: &str = "
    SELECT tenant, ats, delivery_id, body, received_at, digest, attempts, next_attempt_at, last_error
    FROM (SELECT *, ROW_NUMBER() OVER (PARTITION BY tenant ORDER BY seq) AS turn
          FROM deliveries
          WHERE NOT processed AND NOT parked AND next_attempt_at <= $1) d
    ORDER BY turn, seq LIMIT $2";

fn delivery_from_row(r: &tokio_postgres::Row) -> Result<Delivery> {
    let tenant: String = r.try_get(0).map_err(db)?;
    let ats: String = r.try_get(1).map_err(db)?;
    let attempts: i32 = r.try_get(6).map_err(db)?;
    Ok(Delivery {
        tenant: TenantId::new(tenant)?,
        ats: ats.parse()?,
        delivery_id: r.try_get(2).map_err(db)?,
        body: r.try_get(3).map_err(db)?,
        received_at: r.try_get(4).map_err(db)?,
        digest: r.try_get(5).map_err(db)?,
        processed: false,
        attempts: u32::try_from(attempts)
            .map_err(|_| Error::Corrupt(format!("negative delivery attempts {attempts}")))?,
        next_attempt_at: r.try_get(7).map_err(db)?,
        parked: false,
        last_error: r.try_get(8).map_err(db)?,
    })
}

fn attempts_of(d: &Delivery) -> i32 {
    i32::try_from(d.attempts).unwrap_or(i32::MAX)
}

fn limit_of(limit: usize) -> i64 {
    i64::try_from(limit).unwrap_or(i64::MAX)
}

/// Tables `scrub` vacuums: every one that holds personal data.
const PERSONAL_TABLES: &str = "candidates, candidate_emails, candidate_applications, candidate_aliases, interviews, outbox, deliveries";

#[async_trait::async_trait]
impl Store for PostgresStore {
    async fn record_delivery(&self, d: &Delivery) -> Result<bool> {
        // Either unique key (delivery id, body digest) makes the insert a
        // no-op; concurrent callers share one statement (see `inbox`).
        self.inbox.record(d).await
    }

    async fn pending_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>> {
        rows(
            &self.client().await?,
            FAIR_DELIVERIES,
            &[&now, &limit_of(limit)],
        )
        .await?
        .iter()
        .map(delivery_from_row)
        .collect()
    }

    async fn mark_delivery_processed(&self, tenant: &TenantId, ats: Ats, id: &str) -> Result<()> {
        exec(
            &self.client().await?,
            "UPDATE deliveries SET processed = TRUE, body = '\\x'::bytea, last_error = NULL,
                lease_owner = NULL, lease_until = NULL
             WHERE tenant = $1 AND ats = $2 AND delivery_id = $3",
            &[&tenant.as_str(), &ats.as_str(), &id],
        )
        .await?;
        Ok(())
    }

    async fn claim_delivery(
        &self,
        tenant: &TenantId,
        ats: Ats,
        delivery_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        // One conditional update: the row lock makes it atomic across replicas.
        let n = exec(
            &self.client().await?,
            "UPDATE deliveries SET lease_owner = $4, lease_until = $6
             WHERE tenant = $1 AND ats = $2 AND delivery_id = $3 AND NOT processed
               AND (lease_owner IS NULL OR lease_owner = $4 OR lease_until <= $5)",
            &[
                &tenant.as_str(),
                &ats.as_str(),
                &delivery_id,
                &owner,
                &now,
                &until,
            ],
        )
        .await?;
        Ok(n == 1)
    }

    async fn retry_delivery(&self, d: &Delivery) -> Result<()> {
        exec(
            &self.client().await?,
            "UPDATE deliveries SET attempts = $4, next_attempt_at = $5, parked = $6, last_error = $7,
                lease_owner = NULL, lease_until = NULL
             WHERE tenant = $1 AND ats = $2 AND delivery_id = $3",
            &[
                &d.tenant.as_str(),
                &d.ats.as_str(),
                &d.delivery_id,
                &attempts_of(d),
                &d.next_attempt_at,
                &d.parked,
                &d.last_error,
            ],
        )
        .await?;
        Ok(())
    }

    async fn resume_deliveries(&self, tenant: &TenantId, ats: Ats) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let n = exec(
            &tx,
            "UPDATE deliveries SET parked = FALSE, next_attempt_at = $3
             WHERE tenant = $1 AND ats = $2 AND parked AND NOT processed",
            &[&tenant.as_str(), &ats.as_str(), &Utc::now()],
        )
        .await?;
        if n > 0 {
            exec(&tx, NOTIFY_WORK, &[]).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(n)
    }

    async fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<bool> {
        let k = &candidate.key;
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        lock_people(&tx, &k.tenant, k.ats, &[&k.candidate_id]).await?;
        if is_tombstoned(&tx, k).await? {
            tx.rollback().await.map_err(db)?;
            return Ok(false);
        }
        write_candidate(&tx, candidate).await?;
        tx.commit().await.map_err(db)?;
        Ok(true)
    }

    async fn candidate(&self, key: &CandidateKey) -> Result<Option<IndexedCandidate>> {
        read_candidate(&self.client().await?, key).await
    }

    async fn candidate_snapshot(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<CandidateSnapshot> {
        pages::snapshot(
            &self.client().await?,
            tenant,
            ats,
            candidate_ids,
            application_ids,
        )
        .await
    }

    async fn apply_candidates(&self, candidates: &[IndexedCandidate]) -> Result<Vec<bool>> {
        if candidates.is_empty() {
            return Ok(Vec::new());
        }
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let written = pages::apply(&tx, candidates).await?;
        tx.commit().await.map_err(db)?;
        Ok(written)
    }

    async fn candidates_by_email(
        &self,
        tenant: &TenantId,
        email: &str,
    ) -> Result<Vec<IndexedCandidate>> {
        json_rows(
            &self.client().await?,
            "SELECT c.data FROM candidate_emails e JOIN candidates c
               ON c.tenant = e.tenant AND c.ats = e.ats AND c.candidate_id = e.candidate_id
             WHERE e.tenant = $1 AND e.email = $2 ORDER BY c.ats, c.candidate_id",
            &[&tenant.as_str(), &email],
        )
        .await
    }

    async fn candidate_by_application(
        &self,
        tenant: &TenantId,
        ats: Ats,
        application_id: &str,
    ) -> Result<Option<IndexedCandidate>> {
        Ok(json_rows(
            &self.client().await?,
            "SELECT c.data FROM candidate_applications a JOIN candidates c
               ON c.tenant = a.tenant AND c.ats = a.ats AND c.candidate_id = a.candidate_id
             WHERE a.tenant = $1 AND a.ats = $2 AND a.application_id = $3",
            &[&tenant.as_str(), &ats.as_str(), &application_id],
        )
        .await?
        .into_iter()
        .next())
    }

    async fn candidate_count(&self, tenant: &TenantId) -> Result<u64> {
        let found = rows(
            &self.client().await?,
            "SELECT COUNT(*) FROM candidates WHERE tenant = $1",
            &[&tenant.as_str()],
        )
        .await?;
        let n: i64 = found
            .first()
            .map(|r| r.try_get(0))
            .transpose()
            .map_err(db)?
            .unwrap_or(0);
        Ok(u64::try_from(n).unwrap_or(0))
    }

    async fn candidate_ids(&self, key: &CandidateKey) -> Result<Vec<String>> {
        ids_of(&self.client().await?, key).await
    }

    async fn purge_candidate(
        &self,
        key: &CandidateKey,
        tombstone_at: Option<DateTime<Utc>>,
    ) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let mut ids = ids_of(&tx, key).await?;
        let refs: Vec<&str> = ids.iter().map(String::as_str).collect();
        lock_people(&tx, &key.tenant, key.ats, &refs).await?;
        // Read again under the locks: a merge may have added an alias meanwhile.
        ids = ids_of(&tx, key).await?;
        let mut rows_gone = 0;
        for id in &ids {
            let p: [&(dyn ToSql + Sync); 3] = [&key.tenant.as_str(), &key.ats.as_str(), id];
            rows_gone += exec(
                &tx,
                "DELETE FROM interviews i WHERE i.tenant = $1 AND i.ats = $2 AND (i.candidate_id = $3
                   OR i.data->>'application_id' IN (SELECT a.application_id FROM candidate_applications a
                     WHERE a.tenant = $1 AND a.ats = $2 AND a.candidate_id = $3))",
                &p,
            )
            .await?;
            for sql in [
                "DELETE FROM candidates WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
                "DELETE FROM candidate_emails WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
                "DELETE FROM candidate_applications WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
                "DELETE FROM outbox WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
                "DELETE FROM candidate_aliases WHERE tenant = $1 AND ats = $2 AND alias_id = $3",
            ] {
                rows_gone += exec(&tx, sql, &p).await?;
            }
            if let Some(at) = tombstone_at {
                exec(
                    &tx,
                    "INSERT INTO tombstones (tenant, ats, kind, id, deleted_at)
                     VALUES ($1, $2, 'candidate', $3, $4) ON CONFLICT DO NOTHING",
                    &[p[0], p[1], p[2], &at],
                )
                .await?;
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(rows_gone)
    }

    async fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        lock_people(&tx, &from.tenant, from.ats, &[&from.candidate_id, into_id]).await?;
        let into_key = CandidateKey {
            candidate_id: into_id.to_owned(),
            ..from.clone()
        };
        if is_tombstoned(&tx, &into_key).await? || from.candidate_id == into_id {
            tx.rollback().await.map_err(db)?;
            return Ok(0);
        }
        let mut touched = 0;
        let p: [&(dyn ToSql + Sync); 3] = [
            &from.tenant.as_str(),
            &from.ats.as_str(),
            &from.candidate_id,
        ];
        if let Some(loser) = read_candidate(&tx, from).await? {
            let mut survivor =
                read_candidate(&tx, &into_key)
                    .await?
                    .unwrap_or_else(|| IndexedCandidate {
                        key: into_key.clone(),
                        applications: vec![],
                        ..loser.clone()
                    });
            super::merge_into(&mut survivor, loser);
            for sql in [
                "DELETE FROM candidates WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
                "DELETE FROM candidate_emails WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
                "DELETE FROM candidate_applications WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
            ] {
                exec(&tx, sql, &p).await?;
            }
            write_candidate(&tx, &survivor).await?;
            touched += 1;
        }
        let interviews: Vec<ScheduledInterview> = json_rows(
            &tx,
            "SELECT data FROM interviews WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
            &p,
        )
        .await?;
        for mut i in interviews {
            i.candidate_id = Some(into_id.to_owned());
            write_interview(&tx, &i).await?;
            touched += 1;
        }
        // FOR UPDATE: a worker's claim on one of these entries finishes
        // first, and its fenced write then finds the entry re-pointed.
        let entries: Vec<OutboxEntry> = json_rows(
            &tx,
            "SELECT data FROM outbox WHERE tenant = $1 AND ats = $2 AND candidate_id = $3 FOR UPDATE",
            &p,
        )
        .await?;
        for mut e in entries {
            delete_outbox(&tx, &e.key).await?;
            e.key.candidate_id = into_id.to_owned();
            e.target.candidate_id = into_id.to_owned();
            e.version += 1;
            if super::merged_entry_wins(&e, read_outbox(&tx, &e.key).await?.as_ref()) {
                write_outbox(&tx, &e, true).await?;
            }
            touched += 1;
        }
        exec(
            &tx,
            "UPDATE candidate_aliases SET candidate_id = $4
             WHERE tenant = $1 AND ats = $2 AND candidate_id = $3",
            &[p[0], p[1], p[2], &into_id],
        )
        .await?;
        exec(
            &tx,
            "INSERT INTO candidate_aliases (tenant, ats, alias_id, candidate_id) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant, ats, alias_id) DO UPDATE SET candidate_id = EXCLUDED.candidate_id",
            &[p[0], p[1], p[2], &into_id],
        )
        .await?;
        tx.commit().await.map_err(db)?;
        Ok(touched)
    }

    async fn add_tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        exec(
            &self.client().await?,
            "INSERT INTO tombstones (tenant, ats, kind, id, deleted_at) VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT DO NOTHING",
            &[&tenant.as_str(), &ats.as_str(), &kind.as_str(), &id, &at],
        )
        .await?;
        Ok(())
    }

    async fn tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
    ) -> Result<Option<DateTime<Utc>>> {
        rows(
            &self.client().await?,
            "SELECT deleted_at FROM tombstones WHERE tenant = $1 AND ats = $2 AND kind = $3 AND id = $4",
            &[&tenant.as_str(), &ats.as_str(), &kind.as_str(), &id],
        )
        .await?
        .first()
        .map(|r| r.try_get(0).map_err(db))
        .transpose()
    }

    async fn upsert_job(&self, job: &IndexedJob) -> Result<()> {
        exec(
            &self.client().await?,
            "INSERT INTO jobs (tenant, ats, job_id, data) VALUES ($1, $2, $3, $4)
             ON CONFLICT (tenant, ats, job_id) DO UPDATE SET data = EXCLUDED.data",
            &[
                &job.tenant.as_str(),
                &job.ats.as_str(),
                &job.job_id,
                &to_json(job)?,
            ],
        )
        .await?;
        Ok(())
    }

    async fn jobs(&self, tenant: &TenantId, ats: Ats) -> Result<Vec<IndexedJob>> {
        json_rows(
            &self.client().await?,
            "SELECT data FROM jobs WHERE tenant = $1 AND ats = $2 ORDER BY job_id",
            &[&tenant.as_str(), &ats.as_str()],
        )
        .await
    }

    async fn upsert_interview(&self, interview: &ScheduledInterview) -> Result<()> {
        write_interview(&self.client().await?, interview).await
    }

    async fn interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>> {
        Ok(json_rows(
            &self.client().await?,
            "SELECT data FROM interviews WHERE tenant = $1 AND ats = $2 AND interview_id = $3",
            &[&tenant.as_str(), &ats.as_str(), &interview_id],
        )
        .await?
        .into_iter()
        .next())
    }

    async fn remove_interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>> {
        Ok(json_rows(
            &self.client().await?,
            "DELETE FROM interviews WHERE tenant = $1 AND ats = $2 AND interview_id = $3 RETURNING data",
            &[&tenant.as_str(), &ats.as_str(), &interview_id],
        )
        .await?
        .into_iter()
        .next())
    }

    async fn interviews(&self, tenant: &TenantId) -> Result<Vec<ScheduledInterview>> {
        json_rows(
            &self.client().await?,
            "SELECT data FROM interviews WHERE tenant = $1 ORDER BY start, interview_id",
            &[&tenant.as_str()],
        )
        .await
    }

    async fn candidate_interviews(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<Vec<ScheduledInterview>> {
        json_rows(
            &self.client().await?,
            "SELECT data FROM interviews WHERE tenant = $1 AND ats = $2
               AND (candidate_id = ANY($3) OR data->>'application_id' = ANY($4))
             ORDER BY start, interview_id",
            &[
                &tenant.as_str(),
                &ats.as_str(),
                &candidate_ids,
                &application_ids,
            ],
        )
        .await
    }

    async fn enqueue_note(&self, entry: &OutboxEntry) -> Result<bool> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let new = write_outbox(&tx, entry, false).await? == 1;
        if new && entry.state.is_open() {
            exec(&tx, NOTIFY_WORK, &[]).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(new)
    }

    async fn outbox_entry(&self, key: &OutboxKey) -> Result<Option<OutboxEntry>> {
        read_outbox(&self.client().await?, key).await
    }

    async fn claim_due_notes(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let due: Vec<OutboxEntry> =
            json_rows(&tx, CLAIM_DUE_NOTES, &[&now, &limit_of(limit)]).await?;
        let claimed: Vec<OutboxEntry> = due
            .into_iter()
            .map(|mut e| {
                e.lease = Some(Lease {
                    owner: owner.to_owned(),
                    until,
                });
                e.version += 1;
                e
            })
            .collect();
        // Sent together: the driver pipelines the writes on one connection.
        futures::future::try_join_all(claimed.iter().map(|e| write_outbox(&tx, e, true))).await?;
        tx.commit().await.map_err(db)?;
        Ok(claimed)
    }

    async fn update_claimed(&self, entry: &mut OutboxEntry) -> Result<()> {
        let mut next = entry.clone();
        next.version += 1;
        let k = &next.key;
        // One statement, fenced by the version the caller holds.
        let n = exec(
            &self.client().await?,
            "UPDATE outbox SET state = $5, next_attempt_at = $6, lease_owner = $7, lease_until = $8,
                               version = $9, data = $10
             WHERE tenant = $1 AND meeting_id = $2 AND ats = $3 AND candidate_id = $4
               AND version = $11",
            &[
                &k.tenant.as_str(),
                &k.meeting_id,
                &k.ats.as_str(),
                &k.candidate_id,
                &next.state.name(),
                &next.next_attempt_at,
                &next.lease.as_ref().map(|l| l.owner.as_str()),
                &next.lease.as_ref().map(|l| l.until),
                &i64_of(next.version),
                &to_json(&next)?,
                &i64_of(entry.version),
            ],
        )
        .await?;
        if n != 1 {
            return Err(Error::LeaseLost(k.meeting_id.clone()));
        }
        entry.version = next.version;
        Ok(())
    }

    async fn park_notes(
        &self,
        tenant: &TenantId,
        ats: Ats,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        // FOR UPDATE waits for a claim in progress and re-checks its lease.
        let open: Vec<OutboxEntry> = json_rows(
            &tx,
            "SELECT data FROM outbox WHERE tenant = $1 AND ats = $2 AND state IN ('pending', 'sending')
               AND (lease_until IS NULL OR lease_until <= $3)
             FOR UPDATE",
            &[&tenant.as_str(), &ats.as_str(), &now],
        )
        .await?;
        for mut e in open.iter().cloned() {
            e.state = OutboxState::Parked {
                reason: reason.to_owned(),
            };
            e.lease = None;
            e.version += 1;
            write_outbox(&tx, &e, true).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(open.len() as u64)
    }

    async fn resume_notes(&self, tenant: &TenantId, ats: Ats, now: DateTime<Utc>) -> Result<u64> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let parked: Vec<OutboxEntry> = json_rows(
            &tx,
            "SELECT data FROM outbox WHERE tenant = $1 AND ats = $2 AND state = 'parked' FOR UPDATE",
            &[&tenant.as_str(), &ats.as_str()],
        )
        .await?;
        for mut e in parked.iter().cloned() {
            // It may have been sent when the 401 came back on a retry of
            // an uncertain post, so the marker is checked first.
            e.state = OutboxState::Sending;
            e.next_attempt_at = now;
            e.lease = None;
            e.version += 1;
            write_outbox(&tx, &e, true).await?;
        }
        if !parked.is_empty() {
            exec(&tx, NOTIFY_WORK, &[]).await?;
        }
        tx.commit().await.map_err(db)?;
        Ok(parked.len() as u64)
    }

    async fn due_notes(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxEntry>> {
        json_rows(
            &self.client().await?,
            "SELECT data FROM outbox WHERE state IN ('pending', 'sending') AND next_attempt_at <= $1
             ORDER BY created_at, tenant, meeting_id, ats, candidate_id LIMIT $2",
            &[&now, &limit_of(limit)],
        )
        .await
    }

    async fn outbox(&self, tenant: &TenantId) -> Result<Vec<OutboxEntry>> {
        json_rows(
            &self.client().await?,
            "SELECT data FROM outbox WHERE tenant = $1
             ORDER BY created_at, meeting_id, ats, candidate_id",
            &[&tenant.as_str()],
        )
        .await
    }

    async fn notes_in_state(&self, tenant: &TenantId, state: &str) -> Result<Vec<OutboxEntry>> {
        json_rows(
            &self.client().await?,
            "SELECT data FROM outbox WHERE tenant = $1 AND state = $2
             ORDER BY created_at, meeting_id, ats, candidate_id",
            &[&tenant.as_str(), &state],
        )
        .await
    }

    async fn record_audit(&self, record: &AuditRecord) -> Result<()> {
        exec(
            &self.client().await?,
            "INSERT INTO audit (tenant, data) VALUES ($1, $2)",
            &[&record.tenant.as_str(), &to_json(record)?],
        )
        .await?;
        Ok(())
    }

    async fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditRecord>> {
        json_rows(
            &self.client().await?,
            "SELECT data FROM audit WHERE tenant = $1 ORDER BY id",
            &[&tenant.as_str()],
        )
        .await
    }

    async fn checkpoint(&self, tenant: &TenantId, name: &str) -> Result<Option<String>> {
        rows(
            &self.client().await?,
            "SELECT value FROM checkpoints WHERE tenant = $1 AND name = $2",
            &[&tenant.as_str(), &name],
        )
        .await?
        .first()
        .map(|r| r.try_get(0).map_err(db))
        .transpose()
    }

    async fn set_checkpoint(&self, tenant: &TenantId, name: &str, value: &str) -> Result<()> {
        exec(
            &self.client().await?,
            "INSERT INTO checkpoints (tenant, name, value) VALUES ($1, $2, $3)
             ON CONFLICT (tenant, name) DO UPDATE SET value = EXCLUDED.value",
            &[&tenant.as_str(), &name, &value],
        )
        .await?;
        Ok(())
    }

    async fn prune(
        &self,
        deliveries_before: DateTime<Utc>,
        note_bodies_before: DateTime<Utc>,
    ) -> Result<PruneReport> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(db)?;
        let deliveries = exec(
            &tx,
            "DELETE FROM deliveries WHERE processed AND received_at < $1",
            &[&deliveries_before],
        )
        .await?;
        let posted: Vec<OutboxEntry> = json_rows(
            &tx,
            "SELECT data FROM outbox WHERE state = 'posted' AND data->>'body' <> '' FOR UPDATE",
            &[],
        )
        .await?;
        let mut note_bodies = 0;
        for mut e in posted {
            // The time posted lives in the JSON state; compared here, in
            // Rust, so a hand-edited row cannot fail the whole prune.
            if matches!(e.state, OutboxState::Posted { at, .. } if at < note_bodies_before) {
                e.body.clear();
                write_outbox(&tx, &e, true).await?;
                note_bodies += 1;
            }
        }
        tx.commit().await.map_err(db)?;
        Ok(PruneReport {
            deliveries,
            note_bodies,
        })
    }

    async fn scrub(&self) -> Result<bool> {
        // VACUUM removes dead row versions from the table files (it cannot
        // run inside a transaction, so it goes alone). Versions an older
        // open transaction can still see stay until the next (auto)vacuum.
        self.client()
            .await?
            .batch_execute(&format!("VACUUM {PERSONAL_TABLES}"))
            .await
            .map_err(db)?;
        Ok(true)
    }

    async fn acquire_sync_lease(
        &self,
        tenant: &TenantId,
        ats: Ats,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        // One atomic upsert: the row is written only when it is free,
        // expired or already ours.
        let won = rows(
            &self.client().await?,
            "INSERT INTO sync_leases (tenant, ats, owner, until) VALUES ($1, $2, $3, $5)
             ON CONFLICT (tenant, ats) DO UPDATE SET owner = EXCLUDED.owner, until = EXCLUDED.until
               WHERE sync_leases.owner = EXCLUDED.owner OR sync_leases.until <= $4
             RETURNING 1",
            &[&tenant.as_str(), &ats.as_str(), &owner, &now, &until],
        )
        .await?;
        Ok(!won.is_empty())
    }

    async fn release_sync_lease(&self, tenant: &TenantId, ats: Ats, owner: &str) -> Result<()> {
        exec(
            &self.client().await?,
            "DELETE FROM sync_leases WHERE tenant = $1 AND ats = $2 AND owner = $3",
            &[&tenant.as_str(), &ats.as_str(), &owner],
        )
        .await?;
        Ok(())
    }

    async fn wait_for_work(&self, timeout: Duration) {
        let _ = tokio::time::timeout(timeout, self.listener.woken.notified()).await;
    }

    async fn record(&self, kind: &str, key: &str) -> Result<Option<StoredRecord>> {
        let found = rows(
            &self.client().await?,
            "SELECT value, version, updated_at FROM records WHERE kind = $1 AND key = $2",
            &[&kind, &key],
        )
        .await?;
        found.first().map(stored_record).transpose()
    }

    async fn put_record(
        &self,
        kind: &str,
        key: &str,
        value: &str,
        expected_version: Option<u64>,
    ) -> Result<Option<u64>> {
        let client = self.client().await?;
        let now = Utc::now();
        // One statement checks and writes: of two writers at one version
        // (or two creators) exactly one wins.
        let written = match expected_version {
            None => {
                rows(
                    &client,
                    "INSERT INTO records (kind, key, value, version, updated_at)
                     VALUES ($1, $2, $3, 1, $4) ON CONFLICT (kind, key) DO NOTHING
                     RETURNING version",
                    &[&kind, &key, &value, &now],
                )
                .await?
            }
            Some(v) => {
                rows(
                    &client,
                    "UPDATE records SET value = $3, version = version + 1, updated_at = $4
                     WHERE kind = $1 AND key = $2 AND version = $5 RETURNING version",
                    &[&kind, &key, &value, &now, &version_param(v)?],
                )
                .await?
            }
        };
        written
            .first()
            .map(|row| version_of(row.get::<_, i64>(0)))
            .transpose()
    }

    async fn delete_record(
        &self,
        kind: &str,
        key: &str,
        expected_version: Option<u64>,
    ) -> Result<bool> {
        let client = self.client().await?;
        let n = match expected_version {
            None => {
                exec(
                    &client,
                    "DELETE FROM records WHERE kind = $1 AND key = $2",
                    &[&kind, &key],
                )
                .await?
            }
            Some(v) => {
                exec(
                    &client,
                    "DELETE FROM records WHERE kind = $1 AND key = $2 AND version = $3",
                    &[&kind, &key, &version_param(v)?],
                )
                .await?
            }
        };
        Ok(n == 1)
    }

    async fn records(&self, kind: &str) -> Result<Vec<(String, StoredRecord)>> {
        let found = rows(
            &self.client().await?,
            "SELECT value, version, updated_at, key FROM records WHERE kind = $1 ORDER BY key",
            &[&kind],
        )
        .await?;
        found
            .iter()
            .map(|row| Ok((row.get::<_, String>(3), stored_record(row)?)))
            .collect()
    }
}

/// A record row (`value, version, updated_at`).
fn stored_record(row: &tokio_postgres::Row) -> Result<StoredRecord> {
    Ok(StoredRecord {
        value: row.get(0),
        version: version_of(row.get::<_, i64>(1))?,
        updated_at: row.get(2),
    })
}

/// Versions are stored as `BIGINT`.
fn version_param(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Corrupt(format!("record version {v} is out of range")))
}

fn version_of(v: i64) -> Result<u64> {
    u64::try_from(v).map_err(|_| Error::Corrupt(format!("stored record version {v} is negative")))
}
