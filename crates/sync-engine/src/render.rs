//! Rendering a meeting's notes for one ATS with the tenant's settings.

use aspect_interview_core::group::CandidateNotes;
use aspect_interview_core::{
    InterviewNotes, Meeting, NoteInput, NoteLimits, meeting_marker, render_greenhouse_note,
    render_lever_note,
};

use crate::engine::TenantSettings;
use crate::error::{Error, Result};
use crate::tenant::Ats;

/// A note ready for the outbox.
#[derive(Clone)]
pub(crate) struct Rendered {
    pub(crate) body: String,
    pub(crate) marker: String,
}

/// Renders the note with the ATS's layout and limits; the link back to the
/// recording (and to the full summary when the note had to be truncated) is
/// `{recording_base_url}/{meeting id}` (the full summary at `…/summary`).
/// With `candidate`, the note is that candidate's own (group meetings).
pub(crate) fn render_note(
    ats: Ats,
    meeting: &Meeting,
    candidate: Option<&CandidateNotes>,
    notes: &InterviewNotes,
    settings: &TenantSettings,
) -> Result<Rendered> {
    let link = settings
        .recording_base_url
        .as_deref()
        .map(|base| format!("{}/{}", base.trim_end_matches('/'), meeting.id));
    let summary_link = link.as_ref().map(|l| format!("{l}/summary"));
    let mut input = match candidate {
        Some(own) => NoteInput::for_candidate(meeting, own),
        None => NoteInput::new(meeting, notes),
    };
    if let Some(link) = link.as_deref() {
        input = input
            .recording_url(link)
            .full_summary_url(summary_link.as_deref().unwrap_or(link));
    }
    let rendered = match ats {
        Ats::Lever => render_lever_note(&input, &NoteLimits::lever()),
        Ats::Greenhouse => render_greenhouse_note(&input, &NoteLimits::greenhouse()),
    }
    .map_err(|e| Error::Interview(e.to_string()))?;
    Ok(Rendered {
        body: rendered.text,
        marker: meeting_marker(&meeting.id),
    })
}
