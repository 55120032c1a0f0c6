//! Notes on an opportunity: reading them and adding one (LD "Notes"; research note §3.9).

use serde::{Deserialize, Serialize};

use super::common::{Expandable, Extra, HasId, Timestamp, null_default, opt_millis};
use super::user::User;

/// A note thread on an opportunity; each comment is one entry of `fields`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Note {
    /// Note id.
    pub id: String,
    /// Title text (usually `Note`).
    #[serde(default)]
    pub text: Option<String>,
    /// The comments.
    #[serde(default, deserialize_with = "null_default")]
    pub fields: Vec<NoteField>,
    /// Author; `None` when posted through the API without `perform_as`.
    #[serde(default)]
    pub user: Option<Expandable<User>>,
    /// Whether only privileged users can see it.
    #[serde(default)]
    pub secret: Option<bool>,
    /// Completion time.
    #[serde(default, with = "opt_millis")]
    pub completed_at: Option<Timestamp>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Deletion time.
    #[serde(default, with = "opt_millis")]
    pub deleted_at: Option<Timestamp>,
    /// Fields this version does not model.
    #[serde(flatten)]
    pub extra: Extra,
}

impl HasId for Note {
    fn id(&self) -> &str {
        &self.id
    }
}

impl Note {
    /// The text of the first comment, which is the note's body.
    pub fn value(&self) -> Option<&str> {
        self.fields.first().and_then(|f| f.value.as_deref())
    }
}

/// One comment of a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct NoteField {
    /// Field type (`note`).
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
    /// Label.
    #[serde(default)]
    pub text: Option<String>,
    /// The comment's text.
    #[serde(default)]
    pub value: Option<String>,
    /// Creation time.
    #[serde(default, with = "opt_millis")]
    pub created_at: Option<Timestamp>,
    /// Author id.
    #[serde(default)]
    pub user: Option<String>,
    /// Score, 1 (strong no) to 4 (strong yes).
    #[serde(default)]
    pub score: Option<i64>,
    /// Stage id when written.
    #[serde(default)]
    pub stage: Option<String>,
    /// Fields this version does not model, kept so nothing Lever adds is lost.
    #[serde(flatten)]
    pub extra: Extra,
}

/// A note score (LD "Notes": integer 1–4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum NoteScore {
    /// 1.
    StrongNo,
    /// 2.
    No,
    /// 3.
    Yes,
    /// 4.
    StrongYes,
}

impl NoteScore {
    /// The wire value, 1 to 4.
    pub fn value(self) -> u8 {
        match self {
            Self::StrongNo => 1,
            Self::No => 2,
            Self::Yes => 3,
            Self::StrongYes => 4,
        }
    }
}

impl Serialize for NoteScore {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_u8(self.value())
    }
}

/// A note to add with [`LeverClient::add_note`](crate::LeverClient::add_note).
///
/// ```
/// use lever_client::{NewNote, NoteScore};
/// let note = NewNote::new("Interview summary: ...")
///     .perform_as("user-id")
///     .score(NoteScore::Yes)
///     .notify_followers(true);
/// assert_eq!(note.value(), "Interview summary: ...");
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NewNote {
    value: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    secret: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    score: Option<NoteScore>,
    #[serde(skip_serializing_if = "Option::is_none")]
    notify_followers: Option<bool>,
    #[serde(with = "opt_millis", skip_serializing_if = "Option::is_none")]
    created_at: Option<Timestamp>,
    #[serde(skip)]
    perform_as: Option<String>,
    #[serde(skip)]
    reply_to: Option<String>,
}

impl NewNote {
    /// A note with this text. `@username` mentions in it notify those users.
    pub fn new(value: impl Into<String>) -> Self {
        Self {
            value: value.into(),
            secret: None,
            score: None,
            notify_followers: None,
            created_at: None,
            perform_as: None,
            reply_to: None,
        }
    }

    /// Post as this Lever user (`perform_as`); without it the note has no author.
    pub fn perform_as(mut self, user_id: impl Into<String>) -> Self {
        self.perform_as = Some(user_id.into());
        self
    }

    /// Make the note secret (visible only to users with sensitive-information access).
    pub fn secret(mut self, secret: bool) -> Self {
        self.secret = Some(secret);
        self
    }

    /// Attach a score.
    pub fn score(mut self, score: NoteScore) -> Self {
        self.score = Some(score);
        self
    }

    /// Notify the opportunity's followers.
    pub fn notify_followers(mut self, notify: bool) -> Self {
        self.notify_followers = Some(notify);
        self
    }

    /// Back-date the note; Lever refuses future timestamps.
    pub fn created_at(mut self, at: Timestamp) -> Self {
        self.created_at = Some(at);
        self
    }

    /// Add this as a comment to an existing note (`note_id`).
    pub fn reply_to(mut self, note_id: impl Into<String>) -> Self {
        self.reply_to = Some(note_id.into());
        self
    }

    /// The note's text.
    pub fn value(&self) -> &str {
        &self.value
    }

    /// The `perform_as` user id, if set.
    pub fn perform_as_user(&self) -> Option<&str> {
        self.perform_as.as_deref()
    }

    /// The note this comments on, if set.
    pub fn reply_to_note(&self) -> Option<&str> {
        self.reply_to.as_deref()
    }
}

/// The result of adding a note. Lever documents `{"data":{"noteId":…}}` but has been observed to
/// return the full note with both `id` and `noteId` (research note §3.9); both are accepted.
#[derive(Debug, Clone, PartialEq)]
pub struct CreatedNote {
    /// The new note's id.
    pub note_id: String,
    /// The full note, when Lever returned it.
    pub note: Option<Note>,
}

impl<'de> Deserialize<'de> for CreatedNote {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(d)?;
        let id_of = |key: &str| value.get(key).and_then(|v| v.as_str()).map(str::to_owned);
        let note_id = id_of("noteId")
            .or_else(|| id_of("id"))
            .ok_or_else(|| D::Error::custom("response has neither `noteId` nor `id`"))?;
        let note = if value.get("id").is_some() {
            Some(serde_json::from_value(value).map_err(D::Error::custom)?)
        } else {
            None
        };
        Ok(Self { note_id, note })
    }
}
