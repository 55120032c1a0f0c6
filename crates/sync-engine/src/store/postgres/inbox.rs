//! Recording webhook deliveries in batches: concurrent
//! [`record_delivery`](crate::store::Store::record_delivery) calls share
//! one multi-row `INSERT … ON CONFLICT DO NOTHING` and one commit.
//!
//! The receiver's callers arrive together (an ATS sends bursts); one
//! statement and one commit per caller would spend the server's CPU on
//! parsing, planning and committing tiny transactions. Up to
//! [`IN_FLIGHT`] batches run at once on separate pooled connections, so the
//! server's own group commit still overlaps their WAL flushes; callers that
//! arrive meanwhile form the next batch. Every caller gets its answer after
//! the commit that holds its delivery, as before.
//!
//! The wake-up for other replicas (`NOTIFY`) goes out after the commit, in
//! a transaction of its own, once per batch. Sent inside the inserting
//! transaction it would serialise every commit: PostgreSQL holds a
//! database-wide lock from a notifying transaction's pre-commit until after
//! its commit record is flushed, to keep the notification queue in commit
//! order (`PreCommit_Notify` in `src/backend/commands/async.c`). A lost
//! wake-up (a crash between the two) is covered by the workers' bounded poll.

use std::collections::HashSet;
use std::sync::Arc;

use deadpool_postgres::Pool;
use tokio::sync::{Semaphore, mpsc, oneshot};

use super::{NOTIFY_WORK, attempts_of, db, exec};
use crate::error::{Error, Result};
use crate::store::Delivery;

/// Most deliveries in one statement.
const MAX_BATCH: usize = 256;

/// Batches being written at once: one committing while the next is sent.
/// Measured on 2 cores against a durable server on the same host
/// (`benches/suite`): 1 → 0.23-0.24, 2 → 0.26-0.27, 4 → 0.24, 8 → 0.19 of
/// an empty endpoint's throughput; more batches only split the callers
/// into smaller ones.
const IN_FLIGHT: usize = 2;

/// One caller's delivery and where its answer goes.
type Job = (Delivery, oneshot::Sender<Result<bool>>);

/// (tenant, ats, delivery id): how the statement reports what it inserted.
type Key = (String, String, String);

const INSERT_BATCH: &str = "
    INSERT INTO deliveries (tenant, ats, delivery_id, body, received_at, processed,
                            digest, attempts, next_attempt_at, parked)
    SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::bytea[], $5::timestamptz[],
                         $6::bool[], $7::text[], $8::int4[], $9::timestamptz[], $10::bool[])
    ON CONFLICT DO NOTHING
    RETURNING tenant, ats, delivery_id";

/// The batching front of a store's `deliveries` table.
pub(super) struct Inbox {
    jobs: mpsc::UnboundedSender<Job>,
}

impl Inbox {
    /// Starts the batching task on the current tokio runtime; it ends when
    /// the inbox is dropped.
    pub(super) fn start(pool: Pool) -> Self {
        let (jobs, queue) = mpsc::unbounded_channel();
        tokio::spawn(run(pool, queue));
        Self { jobs }
    }

    /// Records `delivery` (whether it was new), after its batch commits.
    pub(super) async fn record(&self, delivery: &Delivery) -> Result<bool> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send((delivery.clone(), reply))
            .map_err(|_| Error::Store("the delivery inbox stopped".into()))?;
        answer
            .await
            .unwrap_or_else(|_| Err(Error::Store("the delivery inbox stopped".into())))
    }
}

async fn run(pool: Pool, mut queue: mpsc::UnboundedReceiver<Job>) {
    let slots = Arc::new(Semaphore::new(IN_FLIGHT));
    loop {
        let Ok(slot) = slots.clone().acquire_owned().await else {
            return;
        };
        let Some(first) = queue.recv().await else {
            return;
        };
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let pool = pool.clone();
        tokio::spawn(async move {
            write(&pool, batch).await;
            drop(slot);
        });
    }
}

/// Inserts one batch, answers its callers, then wakes the replicas.
async fn write(pool: &Pool, batch: Vec<Job>) {
    let client = match pool.get().await.map_err(db) {
        Ok(client) => client,
        Err(e) => return fail(batch, &e),
    };
    let mut inserted = match insert(&client, &batch).await {
        Ok(keys) => keys,
        Err(e) => return fail(batch, &e),
    };
    let any = !inserted.is_empty();
    for (delivery, reply) in batch {
        // A key the statement reports is new for its first caller only; a
        // second copy in the same batch was skipped by the conflict.
        let key = key_of(&delivery);
        let _ = reply.send(Ok(inserted.remove(&key)));
    }
    if any && let Err(e) = exec(&client, NOTIFY_WORK, &[]).await {
        tracing::debug!(error = %e, "could not notify replicas of new deliveries; they poll");
    }
}

async fn insert(client: &deadpool_postgres::Client, batch: &[Job]) -> Result<HashSet<Key>> {
    let ds = || batch.iter().map(|(d, _)| d);
    let tenants: Vec<&str> = ds().map(|d| d.tenant.as_str()).collect();
    let ats: Vec<&str> = ds().map(|d| d.ats.as_str()).collect();
    let ids: Vec<&str> = ds().map(|d| d.delivery_id.as_str()).collect();
    let bodies: Vec<&[u8]> = ds().map(|d| d.body.as_slice()).collect();
    let received: Vec<_> = ds().map(|d| d.received_at).collect();
    let processed: Vec<bool> = ds().map(|d| d.processed).collect();
    let digests: Vec<Option<&str>> = ds().map(|d| d.digest.as_deref()).collect();
    let attempts: Vec<i32> = ds().map(attempts_of).collect();
    let next: Vec<_> = ds().map(|d| d.next_attempt_at).collect();
    let parked: Vec<bool> = ds().map(|d| d.parked).collect();
    let statement = client.prepare_cached(INSERT_BATCH).await.map_err(db)?;
    let rows = client
        .query(
            &statement,
            &[
                &tenants, &ats, &ids, &bodies, &received, &processed, &digests, &attempts, &next,
                &parked,
            ],
        )
        .await
        .map_err(db)?;
    rows.iter()
        .map(|r| {
            Ok((
                r.try_get(0).map_err(db)?,
                r.try_get(1).map_err(db)?,
                r.try_get(2).map_err(db)?,
            ))
        })
        .collect()
}

fn key_of(d: &Delivery) -> Key {
    (
        d.tenant.as_str().to_owned(),
        d.ats.as_str().to_owned(),
        d.delivery_id.clone(),
    )
}

fn fail(batch: Vec<Job>, error: &Error) {
    let message = error.to_string();
    for (_, reply) in batch {
        let _ = reply.send(Err(Error::Store(message.clone())));
    }
}
