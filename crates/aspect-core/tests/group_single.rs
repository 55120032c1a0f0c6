//! A one-candidate interview renders exactly as before group interviews
//! and long-interview fitting were added: the header and body of the notes
//! in `fixtures/golden` were rendered by the previous release and are
//! compared byte for byte.
//!
//! To regenerate after an intended change: `ASPECT_WRITE_GOLDEN=1 cargo
//! test -p aspect-interview-core --test group_single`.

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, Meeting, NoteInput, NoteLimits, Participant,
    ParticipantRole, SummaryRequest, Transcript, render_greenhouse_note, render_lever_note,
};
use chrono::{TimeZone, Utc};

fn meeting(interviewer: &str, candidate: &str) -> Meeting {
    Meeting::new(
        "evt-1",
        "Technical interview",
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
    )
    .with_participant(
        Participant::new("interviewer@acme.example", ParticipantRole::Interviewer)
            .with_name(interviewer),
    )
    .with_participant(
        Participant::new("candidate@example.com", ParticipantRole::Candidate).with_name(candidate),
    )
}

/// Renders `name`'s stored notes (summarized from `transcript` by the
/// extractive summarizer when they were recorded, so changes to the
/// summarizer do not move this rendering test) and compares the header and
/// body with the recorded rendering.
fn check(name: &str, transcript: &str, interviewer: &str, candidate: &str) {
    let m = meeting(interviewer, candidate);
    let dir = format!("{}/tests/fixtures/golden", env!("CARGO_MANIFEST_DIR"));
    let notes_path = format!("{dir}/{name}.notes.json");
    if std::env::var_os("ASPECT_WRITE_GOLDEN").is_some() {
        let transcript = Transcript::parse(transcript).unwrap();
        let notes = ExtractiveSummarizer::default()
            .summarize_now(&SummaryRequest::for_meeting(&m, &transcript));
        std::fs::write(&notes_path, serde_json::to_string_pretty(&notes).unwrap()).unwrap();
    }
    let notes: InterviewNotes =
        serde_json::from_str(&std::fs::read_to_string(&notes_path).unwrap()).unwrap();
    let input = NoteInput::new(&m, &notes)
        .recording_url("https://app.aspect.example/r/1")
        .full_summary_url("https://app.aspect.example/r/1/summary");
    let lever = render_lever_note(&input, &NoteLimits::lever()).unwrap();
    let greenhouse = render_greenhouse_note(&input, &NoteLimits::greenhouse()).unwrap();
    assert!(!lever.truncated && !greenhouse.truncated);
    for note in [&lever.text, &greenhouse.text] {
        assert!(note.ends_with("[aspect-meeting:evt-1]"), "{note}");
    }
    // Header and body; the footer's wording is another change's business.
    let content = |text: &str| text.split("\nRecording: ").next().unwrap_or("").to_owned();
    let rendered = format!(
        "{}\n=====\n{}\n",
        content(&lever.text),
        content(&greenhouse.text)
    );
    let path = format!("{dir}/{name}.txt");
    if std::env::var_os("ASPECT_WRITE_GOLDEN").is_some() {
        std::fs::write(&path, &rendered).unwrap();
    }
    let golden = std::fs::read_to_string(&path).unwrap();
    assert_eq!(rendered, golden, "{name} changed");
}

#[test]
fn zoom_interview_renders_as_before() {
    check(
        "zoom",
        include_str!("fixtures/interview_zoom.vtt"),
        "Priya Raman",
        "Jordan Ellis",
    );
}

#[test]
fn teams_interview_renders_as_before() {
    check(
        "teams",
        include_str!("fixtures/teams.vtt"),
        "Ana Souza",
        "Marcus Lee",
    );
}

#[test]
fn srt_interview_renders_as_before() {
    check(
        "srt",
        include_str!("fixtures/interview.srt"),
        "Kenji Watanabe",
        "Lucia Fernández",
    );
}

#[test]
fn unlabelled_interview_renders_as_before() {
    check("plain", include_str!("fixtures/plain.vtt"), "A", "B");
}
