//! Rendering interview notes as the text each ATS accepts, and the marker
//! that lets the engine recognize a note it already posted.
//!
//! Neither Lever nor Greenhouse documents a maximum note length (research
//! notes: lever.md §3.9 "Maximum note length: not documented";
//! greenhouse.md §3.6 gives none), so both renderers use a conservative,
//! configurable limit ([`NoteLimits`]) counted in characters. When the
//! text is longer, the whole interview is still fitted: repeated questions
//! are merged, every question stays listed, and the note is compacted
//! progressively (answers shortened with an ellipsis, then the summary
//! lists reduced to their most informative points, ranked first, then
//! answers left out, then questions shortened) with a notice and a pointer
//! to the full summary. Only when even that does not fit is the tail cut
//! on a line boundary, and the notice says how many questions are shown.
//! The header and the footer with the marker are never cut.
//!
//! For a group interview, [`NoteInput::for_candidate`] renders one
//! candidate's note (see [`crate::group`]).
//!
//! Format differences:
//! - **Lever** notes are plain text (markdown/HTML rendering is
//!   undocumented, lever.md §3.9); an `@` at the start of a word in the
//!   `value` @-mentions and notifies a user (lever.md §3.9, domain.md
//!   §1.8), so `@` at a word start in generated content is replaced by a
//!   full-width `＠`.
//! - **Greenhouse** shows each newline of a note body as two line breaks
//!   (exported notes come back as `<p>` with `<br>` per newline, domain.md
//!   §1.8, source S37), so the Greenhouse note uses single newlines and no blank
//!   lines. Whether the body's markup is rendered is undocumented, so `<`
//!   and `>` in generated content are replaced by `‹` and `›`.

use crate::error::Error;
use crate::group::CandidateNotes;
use crate::meeting::{Meeting, MeetingId, ParticipantRole};
use crate::policy::PolicyCategory;
use crate::summary::{Citation, InterviewNotes};

mod fit;

/// Default limit for a Lever note, in characters (undocumented by Lever;
/// chosen conservatively).
pub const LEVER_DEFAULT_MAX_CHARS: usize = 10_000;

/// Default limit for a Greenhouse activity-feed note, in characters
/// (undocumented by Greenhouse; chosen conservatively).
pub const GREENHOUSE_DEFAULT_MAX_CHARS: usize = 10_000;

const MARKER_PREFIX: &str = "[aspect-meeting:";

/// The marker carried by every note: `[aspect-meeting:<id>]`, with every
/// byte of the id outside `A-Z a-z 0-9 . _ ~ -` percent-encoded so the
/// marker survives HTML wrapping and never contains `]` or whitespace.
pub fn meeting_marker(id: &MeetingId) -> String {
    let mut out = String::from(MARKER_PREFIX);
    for b in id.as_str().bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out.push(']');
    out
}

/// The meeting marker of a note's text (as read back from the ATS,
/// HTML-wrapped or not). The renderers write it last, so when a text holds
/// several, the last one is returned.
pub fn find_meeting_marker(text: &str) -> Option<MeetingId> {
    find_meeting_markers(text).pop()
}

/// Every well-formed meeting marker in `text`, in order.
pub fn find_meeting_markers(text: &str) -> Vec<MeetingId> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(i) = rest.find(MARKER_PREFIX) {
        rest = &rest[i + MARKER_PREFIX.len()..];
        let Some(end) = rest.find(']') else { break };
        if let Some(id) = percent_decode(&rest[..end]) {
            out.push(MeetingId::new(id));
        }
        rest = &rest[end..];
    }
    out
}

/// Whether `text` carries the marker of meeting `id`.
pub fn has_meeting_marker(text: &str, id: &MeetingId) -> bool {
    find_meeting_markers(text).iter().any(|m| m == id)
}

fn percent_decode(encoded: &str) -> Option<String> {
    if encoded.is_empty() {
        return None;
    }
    let bytes = encoded.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'%' => {
                let hex = encoded.get(i + 1..i + 3)?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'~' | b'-') => {
                out.push(b);
                i += 1;
            }
            _ => return None,
        }
    }
    String::from_utf8(out).ok()
}

/// Length limits for a rendered note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct NoteLimits {
    /// Maximum length in characters (Unicode scalar values).
    pub max_chars: usize,
}

impl NoteLimits {
    /// A limit of `max_chars` characters.
    pub fn new(max_chars: usize) -> Self {
        NoteLimits { max_chars }
    }

    /// Lever's default ([`LEVER_DEFAULT_MAX_CHARS`]).
    pub fn lever() -> Self {
        Self::new(LEVER_DEFAULT_MAX_CHARS)
    }

    /// Greenhouse's default ([`GREENHOUSE_DEFAULT_MAX_CHARS`]).
    pub fn greenhouse() -> Self {
        Self::new(GREENHOUSE_DEFAULT_MAX_CHARS)
    }
}

/// What a note is made from.
#[derive(Debug, Clone, Copy)]
#[non_exhaustive]
pub struct NoteInput<'a> {
    /// The meeting (title, date, interviewers, id for the marker).
    pub meeting: &'a Meeting,
    /// The summary and Q&A.
    pub notes: &'a InterviewNotes,
    /// Link to the recording, when there is one.
    pub recording_url: Option<&'a str>,
    /// Link to the full summary; used by the truncation pointer.
    pub full_summary_url: Option<&'a str>,
    /// In a group interview, the candidate this note is for (set by
    /// [`NoteInput::for_candidate`]).
    pub candidate: Option<&'a CandidateNotes>,
}

impl<'a> NoteInput<'a> {
    /// Input without links.
    pub fn new(meeting: &'a Meeting, notes: &'a InterviewNotes) -> Self {
        NoteInput {
            meeting,
            notes,
            recording_url: None,
            full_summary_url: None,
            candidate: None,
        }
    }

    /// Input for one candidate's note of a group interview: the shared
    /// context and only this candidate's answers and points (see
    /// [`GroupAttribution::notes_for`](crate::group::GroupAttribution::notes_for)).
    /// The header names the candidate; other candidates' names and e-mails
    /// anywhere in the note (the meeting title included) read "another
    /// candidate". The marker stays the meeting's.
    pub fn for_candidate(meeting: &'a Meeting, candidate: &'a CandidateNotes) -> Self {
        NoteInput {
            candidate: Some(candidate),
            ..NoteInput::new(meeting, &candidate.notes)
        }
    }

    /// Sets the recording link (builder style).
    pub fn recording_url(mut self, url: &'a str) -> Self {
        self.recording_url = Some(url);
        self
    }

    /// Sets the full-summary link (builder style).
    pub fn full_summary_url(mut self, url: &'a str) -> Self {
        self.full_summary_url = Some(url);
        self
    }
}

/// A rendered note.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct RenderedNote {
    /// The note text, within the limit.
    pub text: String,
    /// Whether content was shortened or cut to fit (the note then says so
    /// and points to the full summary).
    pub truncated: bool,
}

impl RenderedNote {
    /// Length in characters.
    pub fn char_count(&self) -> usize {
        self.text.chars().count()
    }
}

/// Renders the text of a Lever note (`value` of `POST
/// /opportunities/:id/notes`).
pub fn render_lever_note(
    input: &NoteInput<'_>,
    limits: &NoteLimits,
) -> Result<RenderedNote, Error> {
    render(input, limits, &LEVER)
}

/// Renders the body of a Greenhouse activity-feed note (`body` of `POST
/// /v1/candidates/:id/activity_feed/notes`).
pub fn render_greenhouse_note(
    input: &NoteInput<'_>,
    limits: &NoteLimits,
) -> Result<RenderedNote, Error> {
    render(input, limits, &GREENHOUSE)
}

/// Per-ATS layout.
struct Style {
    /// Line between sections (`""` gives a blank line).
    section_gap: Option<&'static str>,
    sanitize: fn(&str) -> String,
}

const LEVER: Style = Style {
    section_gap: Some(""),
    sanitize: no_mentions,
};

const GREENHOUSE: Style = Style {
    section_gap: None,
    sanitize: no_markup,
};

/// Neutralizes Lever @-mentions: `@` at the start of a word.
fn no_mentions(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut previous: Option<char> = None;
    for c in text.chars() {
        if c == '@' && previous.is_none_or(|p| p.is_whitespace() || "([{\"'".contains(p)) {
            out.push('＠');
        } else {
            out.push(c);
        }
        previous = Some(c);
    }
    out
}

fn no_markup(text: &str) -> String {
    text.replace('<', "‹").replace('>', "›")
}

fn render(
    input: &NoteInput<'_>,
    limits: &NoteLimits,
    style: &Style,
) -> Result<RenderedNote, Error> {
    // Generated text never carries a marker of its own, so the footer's is
    // the only one in the note; in a candidate's note of a group interview
    // other candidates' names and e-mails become "another candidate".
    let clean = |s: &str| {
        let s = one_line(s).replace(MARKER_PREFIX, "(aspect-meeting:");
        let s = input.candidate.map_or(s.clone(), |c| c.scrub(&s));
        (style.sanitize)(&s)
    };
    let header = header(input, &clean);
    let footer = footer(input);
    let model = fit::Model::build(input.notes, &clean);
    fit::fit(&model, &header, &footer, input, limits.max_chars, style)
}

fn join(style: &Style, header: &str, body: &str, footer: &str) -> String {
    let gap = style
        .section_gap
        .map_or(String::new(), |g| format!("{g}\n"));
    format!("{header}\n{gap}{body}\n{gap}{footer}")
}

fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Keeps whole lines while they fit in `budget` characters; the first
/// line that does not fit is cut on a character boundary with `…` when a
/// useful part of it fits (or when it is the only line).
fn cut_lines(body: &str, budget: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for line in body.lines() {
        let separator = usize::from(!out.is_empty());
        if used + separator + chars(line) <= budget {
            if separator == 1 {
                out.push('\n');
            }
            out.push_str(line);
            used += separator + chars(line);
            continue;
        }
        let room = budget.saturating_sub(used + separator);
        if room > 1 && (room >= 20 || out.is_empty()) {
            if separator == 1 {
                out.push('\n');
            }
            out.extend(line.chars().take(room - 1));
            out.push('…');
        }
        break;
    }
    out
}

/// Collapses whitespace so generated text cannot break the layout.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn header(input: &NoteInput<'_>, clean: &dyn Fn(&str) -> String) -> String {
    let meeting = input.meeting;
    let mut interviewers: Vec<String> = meeting
        .participants_with_role(&ParticipantRole::Interviewer)
        .filter_map(|p| p.label())
        .map(clean)
        .collect();
    if interviewers.is_empty() {
        for asker in input.notes.qa.iter().filter_map(|q| q.asked_by.as_deref()) {
            let asker = clean(asker);
            if !interviewers.contains(&asker) {
                interviewers.push(asker);
            }
        }
    }
    let interviewers = if interviewers.is_empty() {
        "not recorded".to_owned()
    } else {
        interviewers.join(", ")
    };
    let mut header = format!(
        "Interview summary: {}\nDate: {}\nInterviewers: {}",
        clean(&meeting.title),
        meeting.start.format("%Y-%m-%d %H:%M UTC"),
        interviewers
    );
    if let Some(candidate) = input.candidate {
        header.push_str(&candidate_line(candidate, clean));
    }
    header
}

/// Says whose note this is and that it holds nothing of the others.
fn candidate_line(candidate: &CandidateNotes, clean: &dyn Fn(&str) -> String) -> String {
    let name = candidate
        .candidate
        .label()
        .map_or_else(|| "this candidate".to_owned(), clean);
    format!(
        "\nCandidate: {name} (group interview with {} candidates; this note holds only this candidate's answers and points)",
        candidate.group_size
    )
}

fn footer(input: &NoteInput<'_>) -> String {
    let mut lines = Vec::new();
    if let Some(url) = input.recording_url {
        lines.push(format!("Recording: {}", one_line(url)));
    }
    if let Some(url) = input.full_summary_url {
        lines.push(format!("Full summary: {}", one_line(url)));
    }
    lines.push(provenance(input.notes));
    lines.push(meeting_marker(&input.meeting.id));
    lines.join("\n")
}

/// Where the note came from and what the content policy did, claiming
/// only what the recorded [`PolicyReport`](crate::policy::PolicyReport) shows: the categories removed
/// (with counts), or that the checked categories were not found, or that
/// no policy was applied. A category whose built-in lists do not cover the
/// note's language is "not checked in this note's language", never "none
/// found".
fn provenance(notes: &InterviewNotes) -> String {
    let origin = format!(
        "Generated from the interview transcript ({}).",
        one_line(&notes.generator)
    );
    let Some(report) = &notes.policy else {
        return format!("{origin} Not checked by the content policy.");
    };
    let removed: Vec<String> = report
        .removed_categories()
        .into_iter()
        .map(|c| format!("{} ({})", c.label(), report.removed_count(c)))
        .collect();
    // A category whose lists do not cover the note's language found
    // nothing because it could not read it: say so instead of "none found".
    let covered = |c: &PolicyCategory| {
        notes
            .language
            .as_deref()
            .is_none_or(|language| c.covers_language(language))
    };
    let clean: Vec<&str> = report
        .checked
        .iter()
        .filter(|c| report.removed_count(c) == 0 && covered(c))
        .map(PolicyCategory::label)
        .collect();
    let unread: Vec<&str> = report
        .checked
        .iter()
        .filter(|c| report.removed_count(c) == 0 && !covered(c))
        .map(PolicyCategory::label)
        .collect();
    let mut text = origin;
    if !removed.is_empty() {
        text.push_str(&format!(
            " Removed by the content policy: {}.",
            one_line(&removed.join(", "))
        ));
    }
    if !clean.is_empty() {
        text.push_str(&format!(
            " Checked by the content policy, none found: {}.",
            one_line(&clean.join(", "))
        ));
    }
    if !unread.is_empty() {
        text.push_str(&format!(
            " Not checked in this note's language ({}): {}.",
            one_line(notes.language.as_deref().unwrap_or_default()),
            one_line(&unread.join(", "))
        ));
    }
    text
}

/// ` [01:02 #4, 01:30 #5]`: time and utterance id of each citation.
fn cites(citations: &[Citation]) -> String {
    if citations.is_empty() {
        return String::new();
    }
    let list: Vec<String> = citations
        .iter()
        .map(|c| format!("{} {}", c.start.clock(), c.utterance))
        .collect();
    format!(" [{}]", list.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marker_round_trips_odd_ids() {
        for id in [
            "evt-1",
            "AAMkAGI2T:x/y=z]",
            "会議 42",
            "a%b",
            "[aspect-meeting:x]",
        ] {
            let id = MeetingId::new(id);
            let marker = meeting_marker(&id);
            assert!(!marker[1..marker.len() - 1].contains([']', ' ', '<', '>', '&']));
            let text = format!("<p>Some note<br>{marker}</p>");
            assert_eq!(find_meeting_marker(&text), Some(id.clone()));
            assert!(has_meeting_marker(&text, &id));
        }
    }

    #[test]
    fn marker_search_skips_malformed() {
        let text = "[aspect-meeting:] [aspect-meeting:%ZZ] [aspect-meeting:a b] [aspect-meeting:ok] [aspect-meeting:two] [aspect-meeting:unterminated";
        assert_eq!(
            find_meeting_markers(text),
            [MeetingId::new("ok"), MeetingId::new("two")]
        );
        assert_eq!(find_meeting_marker("no marker here"), None);
        assert_eq!(
            find_meeting_marker("[aspect-meeting:%C3]"),
            None,
            "invalid UTF-8"
        );
    }

    #[test]
    fn mentions_and_markup_neutralized() {
        assert_eq!(
            no_mentions("@rachel mail me at a@b.com (@x)"),
            "＠rachel mail me at a@b.com (＠x)"
        );
        assert_eq!(no_markup("<script>"), "‹script›");
    }

    #[test]
    fn cut_lines_prefers_whole_lines() {
        assert_eq!(cut_lines("aaa\nbbb\nccc", 7), "aaa\nbbb");
        assert_eq!(
            cut_lines("aaa\nbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", 26),
            "aaa\nbbbbbbbbbbbbbbbbbbbbb…"
        );
        assert_eq!(cut_lines("abcdefghij", 5), "abcd…");
        assert_eq!(cut_lines("ééééé", 3), "éé…");
        assert_eq!(cut_lines("abc", 0), "");
    }
}
