//! `GET /v3/notes` and `POST /v3/notes`.
//!
//! The official v3 create-note schema was not available when this was written
//! (research notes §6.1); the request follows the shape used by independent v3
//! clients (`candidate_id`, `user_id`, `body`, `visibility` ∈ public|private|admin_only,
//! `note_type: "NOTE"`, research notes §3.6), and reads accept both the
//! `*_visible` read vocabulary and the create vocabulary.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::common::{string_enum, timestamp};

string_enum! {
    /// Visibility as *written* by `POST /v3/notes`.
    pub enum Visibility {
        /// Visible to everyone on the candidate's profile.
        Public => "public",
        /// Visible to users allowed to see private notes.
        Private => "private",
        /// Visible to admins only (Greenhouse's default on create).
        AdminOnly => "admin_only",
    }
}

string_enum! {
    /// Visibility as *read* from `GET /v3/notes` (research notes §3.6).
    pub enum NoteVisibility {
        /// `publicly_visible`
        PubliclyVisible => "publicly_visible",
        /// `privately_visible`
        PrivatelyVisible => "privately_visible",
        /// `admin_only_visible`
        AdminOnlyVisible => "admin_only_visible",
    }
}

impl NoteVisibility {
    /// The write-side value with the same meaning (copying a read value into
    /// a create request verbatim is a 422, research notes §3.6).
    pub fn to_visibility(&self) -> Option<Visibility> {
        match self {
            NoteVisibility::PubliclyVisible => Some(Visibility::Public),
            NoteVisibility::PrivatelyVisible => Some(Visibility::Private),
            NoteVisibility::AdminOnlyVisible => Some(Visibility::AdminOnly),
            NoteVisibility::Unknown(s) => match s.as_str() {
                "public" => Some(Visibility::Public),
                "private" => Some(Visibility::Private),
                "admin_only" => Some(Visibility::AdminOnly),
                _ => None,
            },
        }
    }
}

string_enum! {
    /// The kind of activity a note row is.
    pub enum NoteType {
        /// `NOTE`
        Note => "NOTE",
        /// `EMAIL`
        Email => "EMAIL",
        /// `ACTIVITY`
        Activity => "ACTIVITY",
        /// `INTERVIEW` (read-only)
        Interview => "INTERVIEW",
        /// `FEEDBACK` (read-only)
        Feedback => "FEEDBACK",
    }
}

/// A note (or other activity-feed row) on a candidate.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct Note {
    /// Greenhouse id.
    pub id: u64,
    /// The candidate.
    #[serde(default)]
    pub candidate_id: Option<u64>,
    /// The application, when the note is tied to one.
    #[serde(default)]
    pub application_id: Option<u64>,
    /// The author.
    #[serde(default)]
    pub user_id: Option<u64>,
    /// Row type.
    #[serde(rename = "type", default)]
    pub kind: Option<NoteType>,
    /// Body text.
    #[serde(default)]
    pub body: Option<String>,
    /// Subject (e-mails).
    #[serde(default)]
    pub subject: Option<String>,
    /// Visibility.
    #[serde(default)]
    pub visibility: Option<NoteVisibility>,
    /// Creation time.
    #[serde(default, with = "timestamp::option")]
    pub created_at: Option<DateTime<Utc>>,
    /// Last update.
    #[serde(default, with = "timestamp::option")]
    pub updated_at: Option<DateTime<Utc>>,
}

/// A note to create on a candidate with [`HarvestClient::create_note`](crate::HarvestClient::create_note).
///
/// The author is the token's user (`sub`); `user_id` is sent as well because
/// the clients we surveyed send it (research notes §3.6) — by default the
/// client fills it with the client-credentials user id.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct NewNote {
    /// The candidate.
    pub candidate_id: u64,
    /// Body text.
    pub body: String,
    /// Visibility.
    pub visibility: Visibility,
    /// Author; filled from the client's `sub` when `None`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user_id: Option<u64>,
    /// Always `NOTE` for notes.
    pub note_type: NoteType,
}

impl NewNote {
    /// A note with the given body and visibility.
    pub fn new(candidate_id: u64, body: impl Into<String>, visibility: Visibility) -> Self {
        NewNote {
            candidate_id,
            body: body.into(),
            visibility,
            user_id: None,
            note_type: NoteType::Note,
        }
    }

    /// Sets the author explicitly.
    pub fn user_id(mut self, user_id: u64) -> Self {
        self.user_id = Some(user_id);
        self
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_visibility_vocabularies_read() {
        let n: Note = serde_json::from_str(
            r#"{"id":1,"type":"NOTE","visibility":"admin_only_visible","body":"x"}"#,
        )
        .unwrap();
        assert_eq!(n.visibility, Some(NoteVisibility::AdminOnlyVisible));
        assert_eq!(
            n.visibility.unwrap().to_visibility(),
            Some(Visibility::AdminOnly)
        );
        let n: Note =
            serde_json::from_str(r#"{"id":1,"type":"LINKEDIN_NOTE","visibility":"public"}"#)
                .unwrap();
        assert_eq!(n.kind, Some(NoteType::Unknown("LINKEDIN_NOTE".into())));
        assert_eq!(
            n.visibility.unwrap().to_visibility(),
            Some(Visibility::Public)
        );
    }

    #[test]
    fn new_note_serializes_to_the_create_shape() {
        let v =
            serde_json::to_value(NewNote::new(7, "hi", Visibility::Private).user_id(3)).unwrap();
        assert_eq!(
            v,
            serde_json::json!({"candidate_id":7,"body":"hi","visibility":"private","user_id":3,"note_type":"NOTE"})
        );
    }
}
