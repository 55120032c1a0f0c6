//! The default durable [`Store`]: one SQLite file (bundled SQLite, no server).
//!
//! Rows keep their indexed columns (tenant, ids, state, times) as SQL columns
//! and the rest as a JSON document, so adding a field to a row type needs no
//! migration. Schema changes are versioned migrations applied in order on
//! open and recorded in `PRAGMA user_version`.

use std::path::Path;
use std::sync::{Arc, Mutex, MutexGuard};

use chrono::{DateTime, SecondsFormat, Utc};
use rusqlite::{Connection, OptionalExtension, Transaction, TransactionBehavior, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::group_commit::{DeliveryWriter, Reply};
use super::{BlockingStore, CandidateSnapshot, Delivery, PruneReport, TombstoneKind};
use crate::error::{Error, Result};
use crate::index::{CandidateKey, IndexedCandidate, IndexedJob, ScheduledInterview};
use crate::outbox::{AuditRecord, OutboxEntry, OutboxKey, OutboxState};
use crate::tenant::{Ats, TenantId};

/// Schema migrations, applied in order; index + 1 is the schema version.
/// Never edit a released entry: append a new one.
const MIGRATIONS: &[&str] = &[
    // 1: initial schema.
    "CREATE TABLE deliveries (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        tenant TEXT NOT NULL, ats TEXT NOT NULL, delivery_id TEXT NOT NULL,
        body BLOB NOT NULL, received_at TEXT NOT NULL,
        processed INTEGER NOT NULL DEFAULT 0,
        UNIQUE (tenant, ats, delivery_id));
     CREATE INDEX deliveries_pending ON deliveries (processed, seq);
     CREATE TABLE candidates (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, candidate_id TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, candidate_id));
     CREATE TABLE candidate_emails (
        tenant TEXT NOT NULL, email TEXT NOT NULL, ats TEXT NOT NULL, candidate_id TEXT NOT NULL,
        PRIMARY KEY (tenant, email, ats, candidate_id));
     CREATE INDEX candidate_emails_owner ON candidate_emails (tenant, ats, candidate_id);
     CREATE TABLE jobs (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, job_id TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, job_id));
     CREATE TABLE interviews (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, interview_id TEXT NOT NULL,
        candidate_id TEXT, start TEXT NOT NULL, data TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, interview_id));
     CREATE TABLE outbox (
        tenant TEXT NOT NULL, meeting_id TEXT NOT NULL, ats TEXT NOT NULL, candidate_id TEXT NOT NULL,
        state TEXT NOT NULL, next_attempt_at TEXT NOT NULL, created_at TEXT NOT NULL,
        data TEXT NOT NULL,
        PRIMARY KEY (tenant, meeting_id, ats, candidate_id));
     CREATE INDEX outbox_due ON outbox (state, next_attempt_at);
     CREATE TABLE audit (
        id INTEGER PRIMARY KEY AUTOINCREMENT, tenant TEXT NOT NULL, data TEXT NOT NULL);
     CREATE TABLE checkpoints (
        tenant TEXT NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
        PRIMARY KEY (tenant, name));",
    // 2: an index of applications, so a Greenhouse interview (which names
    // only its application) finds its candidate without a scan.
    "CREATE TABLE candidate_applications (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, application_id TEXT NOT NULL,
        candidate_id TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, application_id));
     CREATE INDEX candidate_applications_owner ON candidate_applications (tenant, ats, candidate_id);
     INSERT OR IGNORE INTO candidate_applications (tenant, ats, application_id, candidate_id)
        SELECT c.tenant, c.ats, json_extract(a.value, '$.id'), c.candidate_id
        FROM candidates c, json_each(c.data, '$.applications') a;",
    // 3: leases on outbox entries (claims shared by workers and processes),
    // delivery retries with backoff and a body digest for dedupe,
    // tombstones, and the ids a merged person had.
    "ALTER TABLE outbox ADD COLUMN lease_owner TEXT;
     ALTER TABLE outbox ADD COLUMN lease_until TEXT;
     ALTER TABLE outbox ADD COLUMN version INTEGER NOT NULL DEFAULT 0;
     CREATE INDEX outbox_tenant_state ON outbox (tenant, ats, state);
     ALTER TABLE deliveries ADD COLUMN digest TEXT;
     ALTER TABLE deliveries ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE deliveries ADD COLUMN next_attempt_at TEXT NOT NULL DEFAULT '';
     ALTER TABLE deliveries ADD COLUMN parked INTEGER NOT NULL DEFAULT 0;
     ALTER TABLE deliveries ADD COLUMN last_error TEXT;
     CREATE UNIQUE INDEX deliveries_digest ON deliveries (tenant, ats, digest) WHERE digest IS NOT NULL;
     CREATE INDEX deliveries_due ON deliveries (processed, parked, next_attempt_at);
     CREATE TABLE tombstones (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,
        deleted_at TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, kind, id));
     CREATE TABLE candidate_aliases (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, alias_id TEXT NOT NULL, candidate_id TEXT NOT NULL,
        PRIMARY KEY (tenant, ats, alias_id));
     CREATE INDEX candidate_aliases_owner ON candidate_aliases (tenant, ats, candidate_id);",
    // 4: the Sync-now lease of each tenant's ATS, so one sync runs at a
    // time across workers and processes.
    "CREATE TABLE sync_leases (
        tenant TEXT NOT NULL, ats TEXT NOT NULL, owner TEXT NOT NULL, lease_until TEXT NOT NULL,
        PRIMARY KEY (tenant, ats));",
    // 5: a processing lease on each delivery, so one worker processes it at a time.
    "ALTER TABLE deliveries ADD COLUMN lease_owner TEXT;
     ALTER TABLE deliveries ADD COLUMN lease_until TEXT;",
    // 6: the generic versioned record family (tenants, connections, OAuth
    // states and tokens), written with compare-and-set on `version`.
    "CREATE TABLE records (
        kind TEXT NOT NULL, key TEXT NOT NULL, value TEXT NOT NULL,
        version INTEGER NOT NULL, updated_at TEXT NOT NULL,
        PRIMARY KEY (kind, key));",
    // 7: `deliveries_due` (processed, parked, next_attempt_at) serves every
    // query `deliveries_pending` did; one index fewer to write per delivery.
    "DROP INDEX IF EXISTS deliveries_pending;",
];

/// A [`Store`](super::Store) in one SQLite database file. Each call runs on
/// tokio's blocking pool, so no async worker waits on the disk.
pub struct SqliteStore {
    db: Arc<SqliteDb>,
    wake: tokio::sync::Notify,
}

async_store!(SqliteStore, db, wake, crate::store::run_blocking);

impl SqliteStore {
    /// Opens (creating if needed) the database at `path` and migrates it to
    /// the current schema version. Opening is blocking file I/O: call it
    /// before serving, or inside `spawn_blocking`.
    pub fn open(path: impl AsRef<Path>) -> Result<Self> {
        Ok(Self::wrap(SqliteDb::open(path)?))
    }

    /// A private in-memory database (for tests).
    pub fn open_in_memory() -> Result<Self> {
        Ok(Self::wrap(SqliteDb::open_in_memory()?))
    }

    /// The schema version the database is at.
    pub fn schema_version(&self) -> Result<u32> {
        self.db.schema_version()
    }

    fn wrap(db: SqliteDb) -> Self {
        Self {
            db: Arc::new(db),
            wake: tokio::sync::Notify::new(),
        }
    }
}

impl std::fmt::Debug for SqliteStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SqliteStore").finish_non_exhaustive()
    }
}

/// The database behind a [`SqliteStore`]: the synchronous implementation.
pub(super) struct SqliteDb {
    conn: Mutex<Connection>,
    /// Group commit of webhook deliveries (file databases only).
    deliveries: Option<DeliveryWriter>,
}

/// Fixed-width UTC timestamps sort correctly as text.
fn ts(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

fn to_json<T: Serialize>(value: &T) -> Result<String> {
    Ok(serde_json::to_string(value)?)
}

fn from_json<T: DeserializeOwned>(text: &str) -> Result<T> {
    Ok(serde_json::from_str(text)?)
}

impl SqliteDb {
    pub(super) fn open(path: impl AsRef<Path>) -> Result<Self> {
        let mut store = Self::from_connection(Connection::open(path.as_ref())?)?;
        let writer = configure(Connection::open(path.as_ref())?)?;
        store.deliveries = Some(DeliveryWriter::start(writer, path.as_ref())?);
        Ok(store)
    }

    fn open_in_memory() -> Result<Self> {
        Self::from_connection(Connection::open_in_memory()?)
    }

    fn from_connection(conn: Connection) -> Result<Self> {
        let mut conn = configure(conn)?;
        migrate(&mut conn)?;
        Ok(Self {
            conn: Mutex::new(conn),
            deliveries: None,
        })
    }

    fn schema_version(&self) -> Result<u32> {
        Ok(self
            .lock()?
            .pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>> {
        self.conn
            .lock()
            .map_err(|_| Error::Store("sqlite connection lock poisoned by a panic".into()))
    }

    /// A write transaction that takes SQLite's write lock at `BEGIN`
    /// (`IMMEDIATE`), so a read-then-write (a claim, a fenced update) in
    /// one process cannot interleave with another process's.
    fn with_tx<T>(&self, f: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let out = f(&tx)?;
        tx.commit()?;
        Ok(out)
    }
}

/// Connection settings every connection to the file shares.
pub(super) fn configure(conn: Connection) -> Result<Connection> {
    // WAL lets readers proceed during a write; a busy timeout covers a
    // second process (e.g. an operator's sqlite3 shell) holding a lock.
    conn.pragma_update(None, "journal_mode", "WAL")?;
    conn.pragma_update(None, "foreign_keys", "ON")?;
    // Deleted rows are overwritten, not left in free pages: a purged
    // candidate must not survive in the file.
    conn.pragma_update(None, "secure_delete", "ON")?;
    conn.busy_timeout(std::time::Duration::from_secs(5))?;
    Ok(conn)
}

/// Inserts a delivery unless its id or its body digest is known; whether it was new.
pub(super) fn insert_delivery(conn: &Connection, d: &Delivery) -> Result<bool> {
    // Either unique key (delivery id, body digest) turns the insert into a no-op.
    let n = conn.prepare_cached(
        "INSERT OR IGNORE INTO deliveries
           (tenant, ats, delivery_id, body, received_at, processed, digest, attempts, next_attempt_at, parked)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
    )?
    .execute(params![
            d.tenant.as_str(),
            d.ats.as_str(),
            d.delivery_id,
            d.body,
            ts(d.received_at),
            d.processed,
            d.digest,
            d.attempts,
            ts(d.next_attempt_at),
            d.parked
        ])?;
    Ok(n == 1)
}

fn migrate(conn: &mut Connection) -> Result<()> {
    let current: usize =
        conn.pragma_query_value(None, "user_version", |r| r.get::<_, u32>(0))? as usize;
    if current > MIGRATIONS.len() {
        return Err(Error::Store(format!(
            "database schema version {current} is newer than this build supports ({})",
            MIGRATIONS.len()
        )));
    }
    for (i, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        let tx = conn.transaction()?;
        tx.execute_batch(sql)?;
        tx.pragma_update(None, "user_version", (i + 1) as u32)?;
        tx.commit()?;
        tracing::info!(version = i + 1, "applied store migration");
    }
    Ok(())
}

fn write_candidate(tx: &Transaction<'_>, c: &IndexedCandidate) -> Result<()> {
    let k = &c.key;
    tx.execute(
        "INSERT OR REPLACE INTO candidates (tenant, ats, candidate_id, data) VALUES (?1, ?2, ?3, ?4)",
        params![k.tenant.as_str(), k.ats.as_str(), k.candidate_id, to_json(c)?],
    )?;
    tx.execute(
        "DELETE FROM candidate_emails WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
        params![k.tenant.as_str(), k.ats.as_str(), k.candidate_id],
    )?;
    tx.execute(
        "DELETE FROM candidate_applications WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
        params![k.tenant.as_str(), k.ats.as_str(), k.candidate_id],
    )?;
    for app in &c.applications {
        tx.execute(
            "INSERT OR REPLACE INTO candidate_applications (tenant, ats, application_id, candidate_id)
             VALUES (?1, ?2, ?3, ?4)",
            params![k.tenant.as_str(), k.ats.as_str(), app.id, k.candidate_id],
        )?;
    }
    for email in &c.emails {
        tx.execute(
            "INSERT OR IGNORE INTO candidate_emails (tenant, email, ats, candidate_id) VALUES (?1, ?2, ?3, ?4)",
            params![k.tenant.as_str(), email, k.ats.as_str(), k.candidate_id],
        )?;
    }
    Ok(())
}

fn read_candidate(tx: &Connection, key: &CandidateKey) -> Result<Option<IndexedCandidate>> {
    let data: Option<String> = tx
        .query_row(
            "SELECT data FROM candidates WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
            params![key.tenant.as_str(), key.ats.as_str(), key.candidate_id],
            |r| r.get(0),
        )
        .optional()?;
    data.map(|d| from_json(&d)).transpose()
}

fn write_outbox(tx: &Connection, e: &OutboxEntry, replace: bool) -> Result<usize> {
    let verb = if replace {
        "INSERT OR REPLACE"
    } else {
        "INSERT OR IGNORE"
    };
    let k = &e.key;
    Ok(tx.execute(
        &format!(
            "{verb} INTO outbox (tenant, meeting_id, ats, candidate_id, state, next_attempt_at, created_at,
                                 data, lease_owner, lease_until, version)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
        ),
        params![
            k.tenant.as_str(),
            k.meeting_id,
            k.ats.as_str(),
            k.candidate_id,
            e.state.name(),
            ts(e.next_attempt_at),
            ts(e.created_at),
            to_json(e)?,
            e.lease.as_ref().map(|l| l.owner.as_str()),
            e.lease.as_ref().map(|l| ts(l.until)),
            e.version as i64,
        ],
    )?)
}

fn delete_outbox(tx: &Connection, k: &OutboxKey) -> Result<()> {
    tx.execute(
        "DELETE FROM outbox WHERE tenant = ?1 AND meeting_id = ?2 AND ats = ?3 AND candidate_id = ?4",
        params![k.tenant.as_str(), k.meeting_id, k.ats.as_str(), k.candidate_id],
    )?;
    Ok(())
}

fn read_outbox(tx: &Connection, k: &OutboxKey) -> Result<Option<OutboxEntry>> {
    let data: Option<String> = tx
        .query_row(
            "SELECT data FROM outbox WHERE tenant = ?1 AND meeting_id = ?2 AND ats = ?3 AND candidate_id = ?4",
            params![k.tenant.as_str(), k.meeting_id, k.ats.as_str(), k.candidate_id],
            |r| r.get(0),
        )
        .optional()?;
    data.map(|d| from_json(&d)).transpose()
}

fn is_tombstoned(tx: &Connection, key: &CandidateKey) -> Result<bool> {
    Ok(tx
        .query_row(
            "SELECT 1 FROM tombstones WHERE tenant = ?1 AND ats = ?2 AND kind = 'candidate' AND id = ?3",
            params![key.tenant.as_str(), key.ats.as_str(), key.candidate_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}

/// `key`'s id and every id merged into it, transitively.
fn ids_of(tx: &Connection, key: &CandidateKey) -> Result<Vec<String>> {
    let mut stmt = tx.prepare_cached(
        "WITH RECURSIVE ids(id) AS (
            SELECT ?3
            UNION SELECT a.alias_id FROM candidate_aliases a, ids
              WHERE a.tenant = ?1 AND a.ats = ?2 AND a.candidate_id = ids.id)
         SELECT id FROM ids",
    )?;
    let rows = stmt.query_map(
        params![key.tenant.as_str(), key.ats.as_str(), key.candidate_id],
        |r| r.get::<_, String>(0),
    )?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The `ROW_NUMBER() OVER (PARTITION BY tenant …)` rank orders due rows
/// round-robin across tenants: every tenant's first, then every tenant's
/// second, so one tenant's backlog cannot starve the others.
const FAIR_DUE_NOTES: &str = "
    SELECT data FROM (
      SELECT data, next_attempt_at, created_at,
             ROW_NUMBER() OVER (PARTITION BY tenant ORDER BY next_attempt_at, created_at) AS turn
      FROM outbox
      WHERE state IN ('pending', 'sending') AND next_attempt_at <= ?1
        AND (lease_until IS NULL OR lease_until <= ?1))
    ORDER BY turn, next_attempt_at, created_at LIMIT ?2";

const FAIR_DELIVERIES: &str = "
    SELECT tenant, ats, delivery_id, body, received_at, digest, attempts, next_attempt_at, last_error FROM (
      SELECT *, ROW_NUMBER() OVER (PARTITION BY tenant ORDER BY seq) AS turn
      FROM deliveries
      WHERE processed = 0 AND parked = 0 AND next_attempt_at <= ?1)
    ORDER BY turn, seq LIMIT ?2";

fn parse_ts(text: &str) -> Result<DateTime<Utc>> {
    Ok(DateTime::parse_from_rfc3339(text)
        .map_err(|e| Error::Corrupt(e.to_string()))?
        .with_timezone(&Utc))
}

fn query_json<T: DeserializeOwned>(
    conn: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>> {
    let mut stmt = conn.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| r.get::<_, String>(0))?;
    rows.map(|r| from_json(&r?)).collect()
}

impl BlockingStore for SqliteDb {
    fn record_delivery(&self, d: &Delivery) -> Result<bool> {
        match &self.deliveries {
            Some(writer) => writer.record(d),
            None => insert_delivery(&*self.lock()?, d),
        }
    }

    fn submit_delivery(
        &self,
        delivery: Delivery,
    ) -> std::result::Result<super::DeliveryReceipt, Box<Delivery>> {
        let Some(writer) = &self.deliveries else {
            return Err(Box::new(delivery));
        };
        let (reply, receipt) = tokio::sync::oneshot::channel();
        if let Err(e) = writer.submit(delivery, Reply::Async(reply)) {
            // The receipt's sender is gone with the job: answer directly.
            let (reply, receipt) = tokio::sync::oneshot::channel();
            let _ = reply.send(Err(e));
            return Ok(receipt);
        }
        Ok(receipt)
    }

    fn pending_deliveries(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<Delivery>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare_cached(FAIR_DELIVERIES)?;
        let rows = stmt.query_map(params![ts(now), limit as i64], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Vec<u8>>(3)?,
                r.get::<_, String>(4)?,
                r.get::<_, Option<String>>(5)?,
                r.get::<_, u32>(6)?,
                r.get::<_, String>(7)?,
                r.get::<_, Option<String>>(8)?,
            ))
        })?;
        rows.map(|row| {
            let (tenant, ats, delivery_id, body, received_at, digest, attempts, next, last_error) =
                row?;
            let received_at = parse_ts(&received_at)?;
            Ok(Delivery {
                tenant: TenantId::new(tenant)?,
                ats: ats.parse()?,
                delivery_id,
                digest,
                body,
                received_at,
                processed: false,
                attempts,
                next_attempt_at: if next.is_empty() {
                    received_at
                } else {
                    parse_ts(&next)?
                },
                parked: false,
                last_error,
            })
        })
        .collect()
    }

    fn mark_delivery_processed(&self, tenant: &TenantId, ats: Ats, id: &str) -> Result<()> {
        self.lock()?.execute(
            "UPDATE deliveries SET processed = 1, body = x'', last_error = NULL,
                lease_owner = NULL, lease_until = NULL
             WHERE tenant = ?1 AND ats = ?2 AND delivery_id = ?3",
            params![tenant.as_str(), ats.as_str(), id],
        )?;
        Ok(())
    }

    fn retry_delivery(&self, d: &Delivery) -> Result<()> {
        self.lock()?.execute(
            "UPDATE deliveries SET attempts = ?4, next_attempt_at = ?5, parked = ?6, last_error = ?7,
                lease_owner = NULL, lease_until = NULL
             WHERE tenant = ?1 AND ats = ?2 AND delivery_id = ?3",
            params![
                d.tenant.as_str(),
                d.ats.as_str(),
                d.delivery_id,
                d.attempts,
                ts(d.next_attempt_at),
                d.parked,
                d.last_error
            ],
        )?;
        Ok(())
    }

    fn claim_delivery(
        &self,
        tenant: &TenantId,
        ats: Ats,
        delivery_id: &str,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        // One conditional update: atomic against every other connection.
        let n = self.lock()?.execute(
            "UPDATE deliveries SET lease_owner = ?4, lease_until = ?6
             WHERE tenant = ?1 AND ats = ?2 AND delivery_id = ?3 AND processed = 0
               AND (lease_owner IS NULL OR lease_owner = ?4 OR lease_until <= ?5)",
            params![
                tenant.as_str(),
                ats.as_str(),
                delivery_id,
                owner,
                ts(now),
                ts(until)
            ],
        )?;
        Ok(n == 1)
    }

    fn resume_deliveries(&self, tenant: &TenantId, ats: Ats) -> Result<u64> {
        Ok(self.lock()?.execute(
            "UPDATE deliveries SET parked = 0, next_attempt_at = ?3
             WHERE tenant = ?1 AND ats = ?2 AND parked = 1 AND processed = 0",
            params![tenant.as_str(), ats.as_str(), ts(Utc::now())],
        )? as u64)
    }

    fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<bool> {
        self.with_tx(|tx| {
            if is_tombstoned(tx, &candidate.key)? {
                return Ok(false);
            }
            write_candidate(tx, candidate)?;
            Ok(true)
        })
    }

    fn candidate(&self, key: &CandidateKey) -> Result<Option<IndexedCandidate>> {
        read_candidate(&*self.lock()?, key)
    }

    fn candidates_by_email(&self, tenant: &TenantId, email: &str) -> Result<Vec<IndexedCandidate>> {
        query_json(
            &*self.lock()?,
            // CROSS JOIN pins the e-mail index as the outer loop; without
            // statistics SQLite otherwise scans the tenant's candidates.
            "SELECT c.data FROM candidate_emails e CROSS JOIN candidates c
               ON c.tenant = e.tenant AND c.ats = e.ats AND c.candidate_id = e.candidate_id
             WHERE e.tenant = ?1 AND e.email = ?2 ORDER BY c.ats, c.candidate_id",
            params![tenant.as_str(), email],
        )
    }

    fn candidate_by_application(
        &self,
        tenant: &TenantId,
        ats: Ats,
        application_id: &str,
    ) -> Result<Option<IndexedCandidate>> {
        let found: Vec<IndexedCandidate> = query_json(
            &*self.lock()?,
            "SELECT c.data FROM candidate_applications a CROSS JOIN candidates c
               ON c.tenant = a.tenant AND c.ats = a.ats AND c.candidate_id = a.candidate_id
             WHERE a.tenant = ?1 AND a.ats = ?2 AND a.application_id = ?3",
            params![tenant.as_str(), ats.as_str(), application_id],
        )?;
        Ok(found.into_iter().next())
    }

    fn candidate_count(&self, tenant: &TenantId) -> Result<u64> {
        Ok(self.lock()?.query_row(
            "SELECT COUNT(*) FROM candidates WHERE tenant = ?1",
            params![tenant.as_str()],
            |r| r.get::<_, i64>(0),
        )? as u64)
    }

    fn candidate_ids(&self, key: &CandidateKey) -> Result<Vec<String>> {
        ids_of(&*self.lock()?, key)
    }

    fn purge_candidate(
        &self,
        key: &CandidateKey,
        tombstone_at: Option<DateTime<Utc>>,
    ) -> Result<u64> {
        // The WAL keeps page images from before the delete until a
        // checkpoint; the engine calls `scrub` once the deleting delivery's
        // own body is cleared too, so it checkpoints after both.
        self.with_tx(|tx| {
            let mut rows = 0;
            for id in ids_of(tx, key)? {
                let p = params![key.tenant.as_str(), key.ats.as_str(), id];
                rows += tx.execute(
                    "DELETE FROM interviews WHERE tenant = ?1 AND ats = ?2 AND (candidate_id = ?3
                       OR interview_id IN (SELECT i.interview_id FROM interviews i
                         JOIN candidate_applications a ON a.tenant = i.tenant AND a.ats = i.ats
                          AND a.application_id = json_extract(i.data, '$.application_id')
                         WHERE i.tenant = ?1 AND i.ats = ?2 AND a.candidate_id = ?3))",
                    p,
                )? as u64;
                for sql in [
                    "DELETE FROM candidates WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                    "DELETE FROM candidate_emails WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                    "DELETE FROM candidate_applications WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                    "DELETE FROM outbox WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                    "DELETE FROM candidate_aliases WHERE tenant = ?1 AND ats = ?2 AND alias_id = ?3",
                ] {
                    rows += tx.execute(sql, p)? as u64;
                }
                if let Some(at) = tombstone_at {
                    tx.execute(
                        "INSERT OR IGNORE INTO tombstones (tenant, ats, kind, id, deleted_at)
                         VALUES (?1, ?2, 'candidate', ?3, ?4)",
                        params![key.tenant.as_str(), key.ats.as_str(), id, ts(at)],
                    )?;
                }
            }
            Ok(rows)
        })
    }

    fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64> {
        self.with_tx(|tx| {
            let into_key = CandidateKey { candidate_id: into_id.to_owned(), ..from.clone() };
            if is_tombstoned(tx, &into_key)? || from.candidate_id == into_id {
                return Ok(0);
            }
            let mut rows = 0;
            let p = params![from.tenant.as_str(), from.ats.as_str(), from.candidate_id];
            if let Some(loser) = read_candidate(tx, from)? {
                let mut survivor = read_candidate(tx, &into_key)?.unwrap_or_else(|| {
                    IndexedCandidate { key: into_key.clone(), applications: vec![], ..loser.clone() }
                });
                super::merge_into(&mut survivor, loser);
                tx.execute("DELETE FROM candidates WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3", p)?;
                tx.execute("DELETE FROM candidate_emails WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3", p)?;
                tx.execute(
                    "DELETE FROM candidate_applications WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                    p,
                )?;
                write_candidate(tx, &survivor)?;
                rows += 1;
            }
            let interviews: Vec<ScheduledInterview> = query_json(
                tx,
                "SELECT data FROM interviews WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                p,
            )?;
            for mut i in interviews {
                i.candidate_id = Some(into_id.to_owned());
                write_interview(tx, &i)?;
                rows += 1;
            }
            let entries: Vec<OutboxEntry> = query_json(
                tx,
                "SELECT data FROM outbox WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                p,
            )?;
            for mut e in entries {
                delete_outbox(tx, &e.key)?;
                e.key.candidate_id = into_id.to_owned();
                e.target.candidate_id = into_id.to_owned();
                e.version += 1;
                if super::merged_entry_wins(&e, read_outbox(tx, &e.key)?.as_ref()) {
                    write_outbox(tx, &e, true)?;
                }
                rows += 1;
            }
            tx.execute(
                "UPDATE candidate_aliases SET candidate_id = ?4 WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                params![from.tenant.as_str(), from.ats.as_str(), from.candidate_id, into_id],
            )?;
            tx.execute(
                "INSERT OR REPLACE INTO candidate_aliases (tenant, ats, alias_id, candidate_id) VALUES (?1, ?2, ?3, ?4)",
                params![from.tenant.as_str(), from.ats.as_str(), from.candidate_id, into_id],
            )?;
            Ok(rows)
        })
    }

    fn add_tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
        at: DateTime<Utc>,
    ) -> Result<()> {
        self.lock()?.execute(
            "INSERT OR IGNORE INTO tombstones (tenant, ats, kind, id, deleted_at) VALUES (?1, ?2, ?3, ?4, ?5)",
            params![tenant.as_str(), ats.as_str(), kind.as_str(), id, ts(at)],
        )?;
        Ok(())
    }

    fn tombstone(
        &self,
        tenant: &TenantId,
        ats: Ats,
        kind: TombstoneKind,
        id: &str,
    ) -> Result<Option<DateTime<Utc>>> {
        let at: Option<String> = self
            .lock()?
            .query_row(
                "SELECT deleted_at FROM tombstones WHERE tenant = ?1 AND ats = ?2 AND kind = ?3 AND id = ?4",
                params![tenant.as_str(), ats.as_str(), kind.as_str(), id],
                |r| r.get(0),
            )
            .optional()?;
        at.map(|t| parse_ts(&t)).transpose()
    }

    fn upsert_job(&self, job: &IndexedJob) -> Result<()> {
        self.lock()?.execute(
            "INSERT OR REPLACE INTO jobs (tenant, ats, job_id, data) VALUES (?1, ?2, ?3, ?4)",
            params![
                job.tenant.as_str(),
                job.ats.as_str(),
                job.job_id,
                to_json(job)?
            ],
        )?;
        Ok(())
    }

    fn jobs(&self, tenant: &TenantId, ats: Ats) -> Result<Vec<IndexedJob>> {
        query_json(
            &*self.lock()?,
            "SELECT data FROM jobs WHERE tenant = ?1 AND ats = ?2 ORDER BY job_id",
            params![tenant.as_str(), ats.as_str()],
        )
    }

    fn upsert_interview(&self, interview: &ScheduledInterview) -> Result<()> {
        write_interview(&*self.lock()?, interview)
    }

    fn interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>> {
        let found: Vec<ScheduledInterview> = query_json(
            &*self.lock()?,
            "SELECT data FROM interviews WHERE tenant = ?1 AND ats = ?2 AND interview_id = ?3",
            params![tenant.as_str(), ats.as_str(), interview_id],
        )?;
        Ok(found.into_iter().next())
    }

    fn remove_interview(
        &self,
        tenant: &TenantId,
        ats: Ats,
        interview_id: &str,
    ) -> Result<Option<ScheduledInterview>> {
        self.with_tx(|tx| {
            let p = params![tenant.as_str(), ats.as_str(), interview_id];
            let found: Option<String> = tx
                .query_row(
                    "SELECT data FROM interviews WHERE tenant = ?1 AND ats = ?2 AND interview_id = ?3",
                    p,
                    |r| r.get(0),
                )
                .optional()?;
            tx.execute("DELETE FROM interviews WHERE tenant = ?1 AND ats = ?2 AND interview_id = ?3", p)?;
            found.map(|d| from_json(&d)).transpose()
        })
    }

    fn interviews(&self, tenant: &TenantId) -> Result<Vec<ScheduledInterview>> {
        query_json(
            &*self.lock()?,
            "SELECT data FROM interviews WHERE tenant = ?1 ORDER BY start, interview_id",
            params![tenant.as_str()],
        )
    }

    fn candidate_interviews(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<Vec<ScheduledInterview>> {
        let conn = self.lock()?;
        let mut out: Vec<ScheduledInterview> = Vec::new();
        for id in candidate_ids {
            out.extend(query_json::<ScheduledInterview>(
                &conn,
                "SELECT data FROM interviews WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
                params![tenant.as_str(), ats.as_str(), id],
            )?);
        }
        for app in application_ids {
            for i in query_json::<ScheduledInterview>(
                &conn,
                "SELECT data FROM interviews WHERE tenant = ?1 AND ats = ?2
                   AND json_extract(data, '$.application_id') = ?3",
                params![tenant.as_str(), ats.as_str(), app],
            )? {
                if !out.iter().any(|o| o.interview_id == i.interview_id) {
                    out.push(i);
                }
            }
        }
        Ok(out)
    }

    fn enqueue_note(&self, entry: &OutboxEntry) -> Result<bool> {
        Ok(write_outbox(&*self.lock()?, entry, false)? == 1)
    }

    fn outbox_entry(&self, key: &OutboxKey) -> Result<Option<OutboxEntry>> {
        read_outbox(&*self.lock()?, key)
    }

    fn claim_due_notes(
        &self,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
        limit: usize,
    ) -> Result<Vec<OutboxEntry>> {
        self.with_tx(|tx| {
            let due: Vec<OutboxEntry> =
                query_json(tx, FAIR_DUE_NOTES, params![ts(now), limit as i64])?;
            let mut claimed = Vec::with_capacity(due.len());
            for mut e in due {
                e.lease = Some(crate::outbox::Lease {
                    owner: owner.to_owned(),
                    until,
                });
                e.version += 1;
                write_outbox(tx, &e, true)?;
                claimed.push(e);
            }
            Ok(claimed)
        })
    }

    fn update_claimed(&self, entry: &mut OutboxEntry) -> Result<()> {
        let k = entry.key.clone();
        let expected = entry.version;
        self.with_tx(|tx| {
            let held: Option<i64> = tx
                .query_row(
                    "SELECT version FROM outbox
                     WHERE tenant = ?1 AND meeting_id = ?2 AND ats = ?3 AND candidate_id = ?4",
                    params![
                        k.tenant.as_str(),
                        k.meeting_id,
                        k.ats.as_str(),
                        k.candidate_id
                    ],
                    |r| r.get(0),
                )
                .optional()?;
            match held {
                Some(version) if version as u64 == expected => {
                    let mut next = entry.clone();
                    next.version += 1;
                    write_outbox(tx, &next, true)?;
                    Ok(())
                }
                _ => Err(Error::LeaseLost(k.meeting_id.clone())),
            }
        })?;
        entry.version += 1;
        Ok(())
    }

    fn park_notes(
        &self,
        tenant: &TenantId,
        ats: Ats,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<u64> {
        self.with_tx(|tx| {
            let open: Vec<OutboxEntry> = query_json(
                tx,
                "SELECT data FROM outbox WHERE tenant = ?1 AND ats = ?2 AND state IN ('pending', 'sending')
                   AND (lease_until IS NULL OR lease_until <= ?3)",
                params![tenant.as_str(), ats.as_str(), ts(now)],
            )?;
            for mut e in open.iter().cloned() {
                e.state = OutboxState::Parked { reason: reason.to_owned() };
                e.lease = None;
                e.version += 1;
                write_outbox(tx, &e, true)?;
            }
            Ok(open.len() as u64)
        })
    }

    fn resume_notes(&self, tenant: &TenantId, ats: Ats, now: DateTime<Utc>) -> Result<u64> {
        self.with_tx(|tx| {
            let parked: Vec<OutboxEntry> = query_json(
                tx,
                "SELECT data FROM outbox WHERE tenant = ?1 AND ats = ?2 AND state = 'parked'",
                params![tenant.as_str(), ats.as_str()],
            )?;
            for mut e in parked.iter().cloned() {
                // It may have been sent when the 401 came back on a retry of
                // an uncertain post, so the marker is checked first.
                e.state = OutboxState::Sending;
                e.next_attempt_at = now;
                e.lease = None;
                e.version += 1;
                write_outbox(tx, &e, true)?;
            }
            Ok(parked.len() as u64)
        })
    }

    fn due_notes(&self, now: DateTime<Utc>, limit: usize) -> Result<Vec<OutboxEntry>> {
        query_json(
            &*self.lock()?,
            "SELECT data FROM outbox WHERE state IN ('pending', 'sending') AND next_attempt_at <= ?1
             ORDER BY created_at, tenant, meeting_id, ats, candidate_id LIMIT ?2",
            params![ts(now), limit as i64],
        )
    }

    fn outbox(&self, tenant: &TenantId) -> Result<Vec<OutboxEntry>> {
        query_json(
            &*self.lock()?,
            "SELECT data FROM outbox WHERE tenant = ?1 ORDER BY created_at, meeting_id, ats, candidate_id",
            params![tenant.as_str()],
        )
    }

    fn notes_in_state(&self, tenant: &TenantId, state: &str) -> Result<Vec<OutboxEntry>> {
        query_json(
            &*self.lock()?,
            "SELECT data FROM outbox WHERE tenant = ?1 AND state = ?2
             ORDER BY created_at, meeting_id, ats, candidate_id",
            params![tenant.as_str(), state],
        )
    }

    fn record_audit(&self, record: &AuditRecord) -> Result<()> {
        self.lock()?.execute(
            "INSERT INTO audit (tenant, data) VALUES (?1, ?2)",
            params![record.tenant.as_str(), to_json(record)?],
        )?;
        Ok(())
    }

    fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditRecord>> {
        query_json(
            &*self.lock()?,
            "SELECT data FROM audit WHERE tenant = ?1 ORDER BY id",
            params![tenant.as_str()],
        )
    }

    fn checkpoint(&self, tenant: &TenantId, name: &str) -> Result<Option<String>> {
        Ok(self
            .lock()?
            .query_row(
                "SELECT value FROM checkpoints WHERE tenant = ?1 AND name = ?2",
                params![tenant.as_str(), name],
                |r| r.get(0),
            )
            .optional()?)
    }

    fn set_checkpoint(&self, tenant: &TenantId, name: &str, value: &str) -> Result<()> {
        self.lock()?.execute(
            "INSERT OR REPLACE INTO checkpoints (tenant, name, value) VALUES (?1, ?2, ?3)",
            params![tenant.as_str(), name, value],
        )?;
        Ok(())
    }

    fn prune(
        &self,
        deliveries_before: DateTime<Utc>,
        note_bodies_before: DateTime<Utc>,
    ) -> Result<PruneReport> {
        self.with_tx(|tx| {
            let deliveries = tx.execute(
                "DELETE FROM deliveries WHERE processed = 1 AND received_at < ?1",
                params![ts(deliveries_before)],
            )? as u64;
            let posted: Vec<OutboxEntry> = query_json(
                tx,
                "SELECT data FROM outbox WHERE state = 'posted' AND json_extract(data, '$.body') != ''",
                [],
            )?;
            let mut note_bodies = 0;
            for mut e in posted {
                if matches!(e.state, OutboxState::Posted { at, .. } if at < note_bodies_before) {
                    e.body.clear();
                    write_outbox(tx, &e, true)?;
                    note_bodies += 1;
                }
            }
            Ok(PruneReport { deliveries, note_bodies })
        })
    }

    fn candidate_snapshot(
        &self,
        tenant: &TenantId,
        ats: Ats,
        candidate_ids: &[String],
        application_ids: &[String],
    ) -> Result<CandidateSnapshot> {
        let mut conn = self.lock()?;
        // One read transaction: the page is merged against one state.
        let tx = conn.transaction()?;
        let mut snapshot = CandidateSnapshot::default();
        {
            let mut read = tx.prepare_cached(
                "SELECT data FROM candidates WHERE tenant = ?1 AND ats = ?2 AND candidate_id = ?3",
            )?;
            let mut dead = tx.prepare_cached(
                "SELECT 1 FROM tombstones WHERE tenant = ?1 AND ats = ?2 AND kind = ?3 AND id = ?4",
            )?;
            let (t, a) = (tenant.as_str(), ats.as_str());
            for id in candidate_ids {
                let data: Option<String> =
                    read.query_row(params![t, a, id], |r| r.get(0)).optional()?;
                if let Some(data) = data {
                    snapshot.candidates.push(from_json(&data)?);
                }
                if dead.exists(params![t, a, TombstoneKind::Candidate.as_str(), id])? {
                    snapshot.deleted_candidates.push(id.clone());
                }
            }
            for id in application_ids {
                if dead.exists(params![t, a, TombstoneKind::Application.as_str(), id])? {
                    snapshot.deleted_applications.push(id.clone());
                }
            }
        }
        tx.commit()?;
        Ok(snapshot)
    }

    fn apply_candidates(&self, candidates: &[IndexedCandidate]) -> Result<Vec<bool>> {
        // One transaction, so one commit (and one fsync) per batch.
        self.with_tx(|tx| {
            candidates
                .iter()
                .map(|c| {
                    if is_tombstoned(tx, &c.key)? {
                        return Ok(false);
                    }
                    write_candidate(tx, c)?;
                    Ok(true)
                })
                .collect()
        })
    }

    fn acquire_sync_lease(
        &self,
        tenant: &TenantId,
        ats: Ats,
        owner: &str,
        now: DateTime<Utc>,
        until: DateTime<Utc>,
    ) -> Result<bool> {
        self.with_tx(|tx| {
            // Takes a free, expired or own lease; leaves another owner's live one.
            let n = tx.execute(
                "INSERT INTO sync_leases (tenant, ats, owner, lease_until) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (tenant, ats) DO UPDATE SET owner = excluded.owner,
                    lease_until = excluded.lease_until
                 WHERE sync_leases.owner = excluded.owner OR sync_leases.lease_until <= ?5",
                params![tenant.as_str(), ats.as_str(), owner, ts(until), ts(now)],
            )?;
            Ok(n == 1)
        })
    }

    fn release_sync_lease(&self, tenant: &TenantId, ats: Ats, owner: &str) -> Result<()> {
        self.lock()?.execute(
            "DELETE FROM sync_leases WHERE tenant = ?1 AND ats = ?2 AND owner = ?3",
            params![tenant.as_str(), ats.as_str(), owner],
        )?;
        Ok(())
    }

    fn scrub(&self) -> Result<bool> {
        // `wal_checkpoint(TRUNCATE)` answers (busy, log frames, checkpointed
        // frames); busy = 1 means a reader in another connection kept it
        // from finishing. Retry briefly, then report it to the caller.
        for attempt in 0..20 {
            let busy: i64 = self
                .lock()?
                .query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |r| r.get(0))?;
            if busy == 0 {
                return Ok(true);
            }
            std::thread::sleep(std::time::Duration::from_millis(10 * (attempt + 1)));
        }
        Ok(false)
    }

    fn record(&self, kind: &str, key: &str) -> Result<Option<super::StoredRecord>> {
        self.lock()?
            .query_row(
                "SELECT value, version, updated_at FROM records WHERE kind = ?1 AND key = ?2",
                params![kind, key],
                stored_record,
            )
            .optional()?
            .map(|(value, version, at)| record_from(value, version, &at))
            .transpose()
    }

    fn put_record(
        &self,
        kind: &str,
        key: &str,
        value: &str,
        expected_version: Option<u64>,
    ) -> Result<Option<u64>> {
        let now = ts(Utc::now());
        let n = match expected_version {
            // Only a missing record may be created: the primary key refuses a second.
            None => self.lock()?.execute(
                "INSERT OR IGNORE INTO records (kind, key, value, version, updated_at)
                 VALUES (?1, ?2, ?3, 1, ?4)",
                params![kind, key, value, now],
            )?,
            // One statement checks and writes, so two writers at one version cannot both win.
            Some(v) => self.lock()?.execute(
                "UPDATE records SET value = ?3, version = version + 1, updated_at = ?4
                 WHERE kind = ?1 AND key = ?2 AND version = ?5",
                params![kind, key, value, now, version_param(v)?],
            )?,
        };
        Ok((n == 1).then(|| expected_version.unwrap_or(0) + 1))
    }

    fn delete_record(&self, kind: &str, key: &str, expected_version: Option<u64>) -> Result<bool> {
        let n = match expected_version {
            None => self.lock()?.execute(
                "DELETE FROM records WHERE kind = ?1 AND key = ?2",
                params![kind, key],
            )?,
            Some(v) => self.lock()?.execute(
                "DELETE FROM records WHERE kind = ?1 AND key = ?2 AND version = ?3",
                params![kind, key, version_param(v)?],
            )?,
        };
        Ok(n == 1)
    }

    fn records(&self, kind: &str) -> Result<Vec<(String, super::StoredRecord)>> {
        let conn = self.lock()?;
        let mut stmt = conn.prepare(
            "SELECT key, value, version, updated_at FROM records WHERE kind = ?1 ORDER BY key",
        )?;
        let rows = stmt.query_map(params![kind], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, i64>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (key, value, version, at) = row?;
            out.push((key, record_from(value, version, &at)?));
        }
        Ok(out)
    }
}

type RecordRow = (String, i64, String);

fn stored_record(r: &rusqlite::Row<'_>) -> rusqlite::Result<RecordRow> {
    Ok((r.get(0)?, r.get(1)?, r.get(2)?))
}

fn record_from(value: String, version: i64, at: &str) -> Result<super::StoredRecord> {
    let updated_at = DateTime::parse_from_rfc3339(at)
        .map_err(|e| Error::Corrupt(format!("record time `{at}`: {e}")))?
        .with_timezone(&Utc);
    let version = u64::try_from(version)
        .map_err(|_| Error::Corrupt(format!("negative record version {version}")))?;
    Ok(super::StoredRecord {
        value,
        version,
        updated_at,
    })
}

/// SQLite integers are signed: a version past `i64::MAX` is refused, not wrapped.
fn version_param(v: u64) -> Result<i64> {
    i64::try_from(v).map_err(|_| Error::Store(format!("record version {v} out of range")))
}

fn write_interview(conn: &Connection, i: &ScheduledInterview) -> Result<()> {
    conn.execute(
        "INSERT OR REPLACE INTO interviews (tenant, ats, interview_id, candidate_id, start, data)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            i.tenant.as_str(),
            i.ats.as_str(),
            i.interview_id,
            i.candidate_id,
            ts(i.start),
            to_json(i)?
        ],
    )?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::Store;

    #[tokio::test]
    async fn migrations_are_applied_once_and_survive_reopen() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("engine.sqlite3");
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap() as usize, MIGRATIONS.len());
        let tenant = TenantId::new("acme").unwrap();
        store
            .set_checkpoint(&tenant, "greenhouse.candidates", "2026-11-01T00:00:00Z")
            .await
            .unwrap();
        drop(store);
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap() as usize, MIGRATIONS.len());
        assert_eq!(
            store
                .checkpoint(&tenant, "greenhouse.candidates")
                .await
                .unwrap()
                .as_deref(),
            Some("2026-11-01T00:00:00Z")
        );
    }

    #[tokio::test]
    async fn a_version_1_database_is_migrated_and_backfilled() {
        use crate::index::{CandidateStatus, IndexedApplication};
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("engine.sqlite3");
        let tenant = TenantId::new("acme").unwrap();
        let candidate = IndexedCandidate {
            key: CandidateKey {
                tenant: tenant.clone(),
                ats: Ats::Greenhouse,
                candidate_id: "7".into(),
            },
            name: None,
            emails: vec![],
            status: CandidateStatus::Active,
            applications: vec![IndexedApplication {
                id: "app-9".into(),
                job_id: None,
                archived: false,
                updated_at: Utc::now(),
            }],
            updated_at: Utc::now(),
        };
        // A database as version 1 of this crate left it.
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(MIGRATIONS[0]).unwrap();
        conn.pragma_update(None, "user_version", 1).unwrap();
        conn.execute(
            "INSERT INTO candidates (tenant, ats, candidate_id, data) VALUES ('acme', 'greenhouse', '7', ?1)",
            params![to_json(&candidate).unwrap()],
        )
        .unwrap();
        drop(conn);

        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap() as usize, MIGRATIONS.len());
        let found = store
            .candidate_by_application(&tenant, Ats::Greenhouse, "app-9")
            .await
            .unwrap();
        assert_eq!(found, Some(candidate));
    }

    #[test]
    fn a_database_from_a_newer_build_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("engine.sqlite3");
        let conn = Connection::open(&path).unwrap();
        conn.pragma_update(None, "user_version", 99).unwrap();
        drop(conn);
        let err = SqliteStore::open(&path).unwrap_err().to_string();
        assert!(err.contains("newer"), "{err}");
    }
}
