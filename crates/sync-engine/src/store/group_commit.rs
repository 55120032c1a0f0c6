//! Group commit of webhook deliveries for the SQLite file store, with the
//! commit and the flush pipelined.
//!
//! Two threads share the work:
//! - the **committer** drains whatever deliveries are waiting and inserts
//!   them in one transaction on its own connection, with `synchronous =
//!   NORMAL`: in WAL mode such a commit writes its frames to the WAL file
//!   and returns without waiting for the disk
//!   (<https://www.sqlite.org/pragma.html#pragma_synchronous>: "no sync
//!   operations occur during most transactions"; the WAL is still synced
//!   before each checkpoint and its header when it is reused);
//! - the **flusher** then flushes the WAL file (`fdatasync` of
//!   `<database>-wal`, the name <https://www.sqlite.org/wal.html> gives it)
//!   and only after that answers the batch's callers.
//!
//! While the flusher waits for the disk, the committer already commits
//! the next batch: a flush and a commit overlap instead of following each
//! other, which is where a single-threaded `synchronous = FULL` commit
//! spends most of its time. The promise is unchanged: every caller gets
//! its answer only after a flush that began after its delivery's commit,
//! so the receiver's 2xx follows the delivery reaching the disk. A
//! "duplicate" answer follows a flush too, so it never vouches for a first
//! copy that is still only in the page cache.
//!
//! What bounds it, measured on the 2-core machine of BENCHMARKS.md
//! (section 4: 32 senders in the same process, 20,000 deliveries, ratios
//! to an empty axum endpoint in the same run; 2026-11-30, one-off patches
//! not kept):
//! - this design: 0.29–0.38; the memory store, with no disk: 0.59–0.69;
//! - with the flush switched off: 0.34–0.39, so the disk is not the limit;
//! - with the commit and the flush both switched off, leaving only the
//!   hand-over to these threads and back: 0.44–0.50, with the machine's
//!   cores busy;
//! - no checkpoints in the committer: about +0.03;
//! - the callers leading the rounds themselves in
//!   `tokio::task::block_in_place` (no hand-over to a committer): 0.23–0.30,
//!   and the commit right on the runtime worker (which the engine must not
//!   do: it blocks a worker on the disk): about 0.30, in rounds too small to
//!   amortise a commit;
//! - the two threads spinning 50 or 200 µs before sleeping: 0.28–0.34;
//!   a shorter scheduler slice or a higher priority for them: no gain;
//!   a page size of 1 or 2 KiB for new databases: no gain;
//! - the flusher answering a flush's async callers through one task of the
//!   runtime (one wake-up per flush instead of one per delivery): no gain.
//!
//! A failed flush poisons the writer: the kernel may have dropped the
//! unwritten pages, so nothing it accepted afterwards could be trusted
//! (PostgreSQL's answer to the same problem). Every later call fails and
//! the ATS delivers again to a restarted process.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::sync::mpsc::{Receiver, Sender, SyncSender};

use rusqlite::{Connection, TransactionBehavior};

use super::Delivery;
use super::sqlite::insert_delivery;
use crate::error::{Error, Result};

/// Most deliveries committed in one transaction.
const MAX_BATCH: usize = 256;

/// Where a group-committed delivery's answer goes: a thread blocked in
/// `BlockingStore::record_delivery`, or an async caller awaiting a
/// [`DeliveryReceipt`](super::DeliveryReceipt).
pub(super) enum Reply {
    Blocking(SyncSender<Result<bool>>),
    Async(tokio::sync::oneshot::Sender<Result<bool>>),
}

impl Reply {
    fn send(self, answer: Result<bool>) {
        // A caller that stopped waiting no longer needs the answer.
        let _ = match self {
            Reply::Blocking(tx) => tx.send(answer).ok(),
            Reply::Async(tx) => tx.send(answer).ok(),
        };
    }
}

/// One delivery waiting for the group commit, and where its answer goes.
type Job = (Delivery, Reply);

/// A committed batch waiting for its flush: each caller with its answer.
type Committed = Vec<(Reply, Result<bool>)>;

/// The group-commit writer of one SQLite database file.
pub(super) struct DeliveryWriter {
    jobs: Sender<Job>,
}

impl DeliveryWriter {
    /// Starts the committer (on `conn`, a connection of its own to the
    /// database at `path`) and the flusher.
    pub(super) fn start(conn: Connection, path: &Path) -> Result<Self> {
        // Durability comes from the flusher; see the module docs.
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        let wal = open_wal(&conn, path)?;
        let (jobs, queue) = std::sync::mpsc::channel::<Job>();
        let (committed, to_flush) = std::sync::mpsc::channel::<Committed>();
        spawn("aspect-sqlite-commit", move || {
            commit_loop(conn, &queue, &committed)
        })?;
        spawn("aspect-sqlite-flush", move || flush_loop(&wal, &to_flush))?;
        Ok(Self { jobs })
    }

    /// Queues `delivery`; `reply` gets the answer after its flush.
    pub(super) fn submit(&self, delivery: Delivery, reply: Reply) -> Result<()> {
        self.jobs
            .send((delivery, reply))
            .map_err(|_| Error::Store("the delivery writer stopped".into()))
    }

    /// Records `delivery` and blocks this thread until it is on the disk.
    pub(super) fn record(&self, delivery: &Delivery) -> Result<bool> {
        let (reply, answer) = std::sync::mpsc::sync_channel(1);
        self.submit(delivery.clone(), Reply::Blocking(reply))?;
        answer
            .recv()
            .map_err(|_| Error::Store("the delivery writer stopped".into()))?
    }
}

fn spawn(name: &str, body: impl FnOnce() + Send + 'static) -> Result<()> {
    std::thread::Builder::new()
        .name(name.into())
        .spawn(body)
        .map(drop)
        .map_err(|e| Error::Store(format!("cannot start {name}: {e}")))
}

/// Opens the database's WAL file for flushing. The connection reads the
/// schema first, so SQLite has opened (and, if needed, created) the WAL.
fn open_wal(conn: &Connection, path: &Path) -> Result<File> {
    let mode: String = conn.pragma_query_value(None, "journal_mode", |r| r.get(0))?;
    if !mode.eq_ignore_ascii_case("wal") {
        return Err(Error::Store(format!(
            "the delivery writer needs WAL mode, the database is in {mode} mode"
        )));
    }
    conn.query_row("SELECT count(*) FROM sqlite_master", [], |_| Ok(()))?;
    let mut wal = PathBuf::from(path).into_os_string();
    wal.push("-wal");
    File::options()
        .read(true)
        .write(true)
        .open(&wal)
        .map_err(|e| Error::Store(format!("cannot open the WAL file for flushing: {e}")))
}

/// Drains waiting deliveries, commits them together and passes the batch
/// on to the flusher. Ends when the store (the only sender) is dropped.
fn commit_loop(mut conn: Connection, queue: &Receiver<Job>, flusher: &Sender<Committed>) {
    while let Ok(first) = queue.recv() {
        let mut batch = vec![first];
        while batch.len() < MAX_BATCH {
            match queue.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let answers: Vec<Result<bool>> = match commit(&mut conn, &batch) {
            Ok(inserted) => inserted.into_iter().map(Ok).collect(),
            Err(e) => {
                let message = e.to_string();
                batch
                    .iter()
                    .map(|_| Err(Error::Store(message.clone())))
                    .collect()
            }
        };
        let done: Committed = batch
            .into_iter()
            .map(|(_, reply)| reply)
            .zip(answers)
            .collect();
        if let Err(unflushed) = flusher.send(done) {
            // The flusher is gone (poisoned): these may not be on the disk.
            for (reply, _) in unflushed.0 {
                reply.send(Err(Error::Store("the delivery flusher stopped".into())));
            }
        }
    }
}

fn commit(conn: &mut Connection, batch: &[Job]) -> Result<Vec<bool>> {
    let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
    let inserted = batch
        .iter()
        .map(|(d, _)| insert_delivery(&tx, d))
        .collect::<Result<Vec<bool>>>()?;
    tx.commit()?;
    Ok(inserted)
}

/// Flushes the WAL once for every committed batch waiting (all of them,
/// taken before the flush starts), then answers their callers.
fn flush_loop(wal: &File, committed: &Receiver<Committed>) {
    while let Ok(first) = committed.recv() {
        let mut ready = first;
        while let Ok(more) = committed.try_recv() {
            ready.extend(more);
        }
        if let Err(e) = wal.sync_data() {
            tracing::error!(error = %e, "flushing the SQLite WAL failed; refusing deliveries until restarted");
            for (reply, _) in ready {
                reply.send(Err(Error::Store(format!("flushing the WAL failed: {e}"))));
            }
            // Dropping the receiver makes every later batch fail.
            return;
        }
        for (reply, answer) in ready {
            reply.send(answer);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use crate::store::{BlockingStore, SqliteStore, Store};
    use crate::tenant::{Ats, TenantId};

    use super::Delivery;

    fn delivery(i: usize) -> Delivery {
        let tenant = TenantId::new("acme").expect("an id");
        Delivery::new(
            tenant,
            Ats::Greenhouse,
            format!("event-{i}"),
            vec![b'x'; 64],
        )
        .with_digest(format!("digest-{i}"))
    }

    /// Many callers at once, each delivery sent twice (by id and by body
    /// digest): every first copy is recorded, every second one is a
    /// duplicate, and all of them are in the file after a reopen.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_get_one_record_each_and_it_survives_a_reopen() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let path = dir.path().join("deliveries.sqlite3");
        let store = Arc::new(SqliteStore::open(&path).expect("a store"));
        let mut tasks = tokio::task::JoinSet::new();
        for i in 0..200 {
            let first = store.clone();
            tasks.spawn(async move { first.record_delivery(&delivery(i)).await });
            let store = store.clone();
            tasks.spawn(async move {
                // Same body digest under a fresh (unsigned) id.
                let mut replay = delivery(i);
                replay.delivery_id = format!("replayed-{i}");
                store.record_delivery(&replay).await
            });
        }
        let mut recorded = 0;
        while let Some(answer) = tasks.join_next().await {
            if answer.expect("a task").expect("an answer") {
                recorded += 1;
            }
        }
        assert_eq!(recorded, 200, "one of each pair is recorded");
        drop(store);

        let reopened = SqliteStore::open(&path).expect("the store again");
        let pending = reopened
            .pending_deliveries(chrono::Utc::now(), 1_000)
            .await
            .expect("pending deliveries");
        assert_eq!(pending.len(), 200);
    }

    /// A thread blocked in the synchronous call and async callers share
    /// one writer; the thread's second copy is a duplicate.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn blocking_and_async_callers_share_the_writer() {
        let dir = tempfile::tempdir().expect("a temp dir");
        let db = Arc::new(
            crate::store::sqlite::SqliteDb::open(dir.path().join("d.sqlite3")).expect("a db"),
        );
        let blocking = {
            let db = db.clone();
            std::thread::spawn(move || {
                (0..50)
                    .map(|i| db.record_delivery(&delivery(i % 25)).expect("an answer"))
                    .filter(|new| *new)
                    .count()
            })
        };
        let mut new_async = 0;
        for i in 100..150 {
            let receipt = db
                .submit_delivery(delivery(i))
                .expect("a group-commit writer");
            if crate::store::delivery_committed(receipt)
                .await
                .expect("an answer")
            {
                new_async += 1;
            }
        }
        assert_eq!(blocking.join().expect("the thread"), 25);
        assert_eq!(new_async, 50);
    }
}
