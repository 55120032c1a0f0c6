//! The [`NoteTaker`] trait: how the engine hands upcoming interviews to the
//! platform's recording bot.

use async_trait::async_trait;

use crate::index::ScheduledInterview;

/// An error from the platform's note-taker service.
#[derive(Debug, Clone, thiserror::Error)]
#[error("note taker: {0}")]
pub struct NoteTakerError(pub String);

/// The platform's recording bot. The engine calls it when an upcoming
/// interview with a conferencing URL appears, changes or disappears.
/// Implementations must be idempotent per interview id: the same interview
/// may be scheduled again after an update.
#[async_trait]
pub trait NoteTaker: Send + Sync {
    /// Schedule (or reschedule) the bot for this interview.
    async fn schedule(&self, interview: &ScheduledInterview) -> Result<(), NoteTakerError>;
    /// Cancel the bot for this interview.
    async fn cancel(&self, interview: &ScheduledInterview) -> Result<(), NoteTakerError>;
}

/// A [`NoteTaker`] that only records what it was asked, for tests and demos.
#[derive(Debug, Default)]
pub struct RecordingNoteTaker {
    log: std::sync::Mutex<Vec<NoteTakerCall>>,
}

/// One call made to a [`RecordingNoteTaker`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NoteTakerCall {
    /// `schedule` was called.
    Scheduled(ScheduledInterview),
    /// `cancel` was called.
    Cancelled(ScheduledInterview),
}

impl RecordingNoteTaker {
    /// An empty recorder.
    pub fn new() -> Self {
        Self::default()
    }

    /// The calls so far, in order.
    pub fn calls(&self) -> Vec<NoteTakerCall> {
        self.log.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn push(&self, call: NoteTakerCall) {
        self.log
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .push(call);
    }
}

#[async_trait]
impl NoteTaker for RecordingNoteTaker {
    async fn schedule(&self, interview: &ScheduledInterview) -> Result<(), NoteTakerError> {
        self.push(NoteTakerCall::Scheduled(interview.clone()));
        Ok(())
    }

    async fn cancel(&self, interview: &ScheduledInterview) -> Result<(), NoteTakerError> {
        self.push(NoteTakerCall::Cancelled(interview.clone()));
        Ok(())
    }
}
