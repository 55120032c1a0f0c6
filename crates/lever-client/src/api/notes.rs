//! Notes: list, get, add, update and delete (LD "Notes"; research note §3.9).

use reqwest::Method;

use crate::api::query::list_endpoint_with_options;
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{CreatedNote, NewNote, Note, NoteUpdate};

impl LeverClient {
    list_endpoint_with_options! {
        /// An opportunity's notes (`GET /opportunities/:id/notes`).
        notes_page / notes, notes_page_with / notes_with -> Note,
        (opportunity_id: &str) => notes_call(opportunity_id)
    }

    /// One note.
    pub async fn note(&self, opportunity_id: &str, note_id: &str) -> Result<Note, Error> {
        self.data(Call::get(&[
            "opportunities",
            opportunity_id,
            "notes",
            note_id,
        ]))
        .await
    }

    /// Add a note (`POST /opportunities/:id/notes`).
    ///
    /// **Not retried blindly.** Lever has no idempotency key, so this POST is retried only after
    /// a connection error or a failure before sending (such as an OAuth refresh hitting a 503),
    /// when it provably was not sent. After a timeout, 5xx or 429 the note
    /// may or may not exist: the error is returned and [`Error::is_retryable`] tells whether a
    /// later attempt makes sense; check the opportunity's notes before posting again.
    pub async fn add_note(
        &self,
        opportunity_id: &str,
        note: &NewNote,
    ) -> Result<CreatedNote, Error> {
        if note.value().trim().is_empty() {
            return Err(Error::InvalidInput("a note needs a non-empty value".into()));
        }
        let body =
            serde_json::to_value(note).map_err(|e| Error::InvalidInput(format!("note: {e}")))?;
        let mut call = notes_call(opportunity_id)
            .with_method(Method::POST)
            .body(body);
        if let Some(user) = note.perform_as_user() {
            call = call.query("perform_as", user);
        }
        if let Some(parent) = note.reply_to_note() {
            call = call.query("note_id", parent);
        }
        self.data(call).await
    }
}

impl LeverClient {
    /// Replace a note's comments (`PUT /opportunities/:id/notes/:note`; answers
    /// `{"data":{"noteId":…}}`). Lever changes the opportunity's `updatedAt`.
    pub async fn update_note(
        &self,
        opportunity_id: &str,
        note_id: &str,
        update: &NoteUpdate,
    ) -> Result<CreatedNote, Error> {
        if update.values.iter().any(|v| v.value.trim().is_empty()) {
            return Err(Error::InvalidInput("note comments need a value".into()));
        }
        let body =
            serde_json::to_value(update).map_err(|e| Error::InvalidInput(format!("note: {e}")))?;
        let call = Call::new(
            Method::PUT,
            &["opportunities", opportunity_id, "notes", note_id],
        )
        .body(body);
        self.data(call).await
    }

    /// Delete a note created through the API (`DELETE /opportunities/:id/notes/:note`, 204).
    pub async fn delete_note(&self, opportunity_id: &str, note_id: &str) -> Result<(), Error> {
        let call = Call::new(
            Method::DELETE,
            &["opportunities", opportunity_id, "notes", note_id],
        );
        self.execute(call).await.map(drop)
    }
}

fn notes_call(opportunity_id: &str) -> Call {
    Call::get(&["opportunities", opportunity_id, "notes"])
}
