//! Wake-ups on new work through PostgreSQL's `LISTEN`/`NOTIFY`.
//!
//! Every write that makes outbox work or a delivery due (an enqueued note,
//! resumed notes or deliveries) sends `pg_notify('aspect_work', <schema>)`
//! in its own transaction, so the notification goes out at commit, to every
//! replica. Recorded webhook deliveries notify once per batch, right after
//! the batch commits (see `inbox` for why not inside it). Each store keeps one
//! connection outside the pool that `LISTEN`s on the channel and wakes the
//! store's waiting workers when a notification for its schema arrives (the
//! payload tells stores in other schemas of the same database apart).
//!
//! The listener reconnects after a lost connection, and wakes the workers
//! once it listens again: a notification sent while it was away is gone,
//! so they look for work themselves. Workers never rely on a wake-up alone:
//! [`wait_for_work`](crate::store::Store::wait_for_work) returns after its
//! timeout anyway (a bounded poll), which also covers work that became due
//! by time (a retry's `next_attempt_at`, an expired lease).

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use tokio::sync::{Notify, oneshot};
use tokio_postgres::{AsyncMessage, NoTls};

use super::db;
use crate::error::{Error, Result};

/// The channel every store notifies and listens on.
pub(super) const CHANNEL: &str = "aspect_work";

/// How long the listener waits before reconnecting after an error.
const RECONNECT_DELAY: Duration = Duration::from_secs(1);

/// The store's side of the listener: the wake-up its workers wait on, and
/// the stop signal (dropping the store drops `_stop`, which ends the task).
pub(super) struct Listener {
    pub(super) woken: Arc<Notify>,
    _stop: oneshot::Sender<()>,
}

impl Listener {
    /// Starts listening; returns once the first `LISTEN` is in place (or
    /// failed), so a caller that connects and then writes is sure to hear
    /// its own notifications.
    pub(super) async fn start(config: tokio_postgres::Config) -> Result<Self> {
        let woken = Arc::new(Notify::new());
        let (stop_tx, stop_rx) = oneshot::channel();
        let (ready_tx, ready_rx) = oneshot::channel();
        tokio::spawn(run(config, woken.clone(), stop_rx, ready_tx));
        ready_rx.await.map_err(|_| {
            Error::Store("the PostgreSQL listener stopped before it listened".into())
        })??;
        Ok(Self {
            woken,
            _stop: stop_tx,
        })
    }
}

/// Why one listening session ended.
enum Ended {
    /// The store was dropped.
    Stopped,
    /// The connection failed; reconnect.
    Failed(Error),
}

async fn run(
    config: tokio_postgres::Config,
    woken: Arc<Notify>,
    mut stop: oneshot::Receiver<()>,
    ready: oneshot::Sender<Result<()>>,
) {
    let mut ready = Some(ready);
    loop {
        match listen(&config, &woken, &mut stop, &mut ready).await {
            Ended::Stopped => return,
            Ended::Failed(e) => {
                if let Some(ready) = ready.take() {
                    // The first attempt failed: the store's `connect` reports it.
                    let _ = ready.send(Err(e));
                    return;
                }
                tracing::warn!(error = %e, "PostgreSQL LISTEN connection lost; reconnecting");
            }
        }
        tokio::select! {
            _ = &mut stop => return,
            () = tokio::time::sleep(RECONNECT_DELAY) => {}
        }
    }
}

/// One connection's life: `LISTEN`, learn the schema, then forward
/// notifications until the store is dropped or the connection fails.
async fn listen(
    config: &tokio_postgres::Config,
    woken: &Notify,
    stop: &mut oneshot::Receiver<()>,
    ready: &mut Option<oneshot::Sender<Result<()>>>,
) -> Ended {
    let (client, mut connection) = match config.connect(NoTls).await {
        Ok(pair) => pair,
        Err(e) => return Ended::Failed(db(e)),
    };
    let mut messages = futures::stream::poll_fn(move |cx| connection.poll_message(cx));
    // The connection only makes progress while it is polled, so the setup
    // queries run side by side with the message stream.
    let setup = async {
        client
            .batch_execute(&format!("LISTEN {CHANNEL}"))
            .await
            .map_err(db)?;
        let row = client
            .query_one("SELECT coalesce(current_schema(), '')", &[])
            .await
            .map_err(db)?;
        row.try_get::<_, String>(0).map_err(db)
    };
    tokio::pin!(setup);
    let schema = loop {
        tokio::select! {
            r = &mut setup => match r {
                Ok(schema) => break schema,
                Err(e) => return Ended::Failed(e),
            },
            m = messages.next() => match m {
                // A notice (or an early notification) during setup.
                Some(Ok(_)) => {}
                other => return Ended::Failed(closed(other)),
            },
        }
    };
    match ready.take() {
        Some(ready) => {
            let _ = ready.send(Ok(()));
        }
        // Reconnected: whatever was notified meanwhile is lost; look now.
        None => wake(woken),
    }
    loop {
        tokio::select! {
            _ = &mut *stop => return Ended::Stopped,
            m = messages.next() => match m {
                Some(Ok(AsyncMessage::Notification(n))) => {
                    if n.channel() == CHANNEL && n.payload() == schema {
                        wake(woken);
                    }
                }
                Some(Ok(_)) => {}
                other => return Ended::Failed(closed(other)),
            },
        }
    }
}

/// Wakes every waiting worker. No permit is kept for a worker that is not
/// waiting yet (like the other stores): it finds the work on its next pass,
/// at the latest when its wait times out.
fn wake(woken: &Notify) {
    woken.notify_waiters();
}

fn closed(message: Option<std::result::Result<AsyncMessage, tokio_postgres::Error>>) -> Error {
    match message {
        Some(Err(e)) => db(e),
        _ => Error::Store("the PostgreSQL LISTEN connection closed".into()),
    }
}
