//! Note rendering for Lever and Greenhouse: layout, limits, marker.

use aspect_interview_core::notes::{find_meeting_markers, has_meeting_marker};
use aspect_interview_core::{
    Error, ExtractiveSummarizer, InterviewNotes, Meeting, MeetingId, NoteInput, NoteLimits,
    Participant, ParticipantRole, SummaryRequest, Transcript, find_meeting_marker,
    render_greenhouse_note, render_lever_note,
};
use chrono::{TimeZone, Utc};

fn meeting() -> Meeting {
    Meeting::new(
        "evt-2026-11-24/jordan",
        "Backend Engineer – Technical Interview",
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
    )
    .with_participant(
        Participant::new("priya.raman@acme.example", ParticipantRole::Interviewer)
            .with_name("Priya Raman"),
    )
    .with_participant(
        Participant::new("jordan.ellis@gmail.com", ParticipantRole::Candidate)
            .with_name("Jordan Ellis"),
    )
}

fn notes(meeting: &Meeting) -> InterviewNotes {
    let transcript = Transcript::parse(include_str!("fixtures/interview_zoom.vtt")).unwrap();
    ExtractiveSummarizer::default()
        .summarize_now(&SummaryRequest::for_meeting(meeting, &transcript))
}

const RECORDING: &str = "https://app.aspect.example/recordings/rec_81f2";
const FULL: &str = "https://app.aspect.example/meetings/evt-2026-11-24";

#[test]
fn lever_note_layout() {
    let m = meeting();
    let n = notes(&m);
    let input = NoteInput::new(&m, &n)
        .recording_url(RECORDING)
        .full_summary_url(FULL);
    let note = render_lever_note(&input, &NoteLimits::lever()).unwrap();
    assert!(!note.truncated);
    let text = &note.text;
    assert!(text.starts_with(
        "Interview summary: Backend Engineer – Technical Interview\nDate: 2026-11-24 15:00 UTC\nInterviewers: Priya Raman\n"
    ), "{text}");
    assert!(text.contains("\n\nQuestions & answers:\nQ1 [00:06] Priya Raman: Could you start by walking me through your current role?\nA (Jordan Ellis): I'm a senior backend engineer at Northwind Freight. I work on the shipment tracking service"), "{text}");
    assert!(text.contains("Key points:\n- "));
    assert!(text.contains(&format!("\nRecording: {RECORDING}\n")));
    assert!(text.contains(&format!("\nFull summary: {FULL}\n")));
    assert!(
        text.ends_with("[aspect-meeting:evt-2026-11-24%2Fjordan]"),
        "{text}"
    );
    assert_eq!(find_meeting_marker(text), Some(m.id.clone()));
    assert!(text.contains("no hiring recommendation"));
}

#[test]
fn greenhouse_note_has_no_blank_lines() {
    let m = meeting();
    let n = notes(&m);
    let note = render_greenhouse_note(&NoteInput::new(&m, &n), &NoteLimits::greenhouse()).unwrap();
    assert!(
        !note.text.contains("\n\n"),
        "a newline already renders as two breaks"
    );
    assert!(note.text.contains("\nQuestions & answers:\nQ1 [00:06]"));
    assert!(!note.text.contains("Recording:"), "no link when none given");
    // The marker survives Greenhouse's HTML wrapping on export.
    let exported = format!("<p>{}</p>", note.text.replace('\n', "<br>"));
    assert!(has_meeting_marker(&exported, &m.id));
}

#[test]
fn long_notes_are_truncated_within_the_limit() {
    let m = meeting();
    let n = notes(&m);
    let full = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever()).unwrap();
    let input = NoteInput::new(&m, &n)
        .recording_url(RECORDING)
        .full_summary_url(FULL);
    for limit in [700, 1_000, 1_500, full.char_count() - 1] {
        for note in [
            render_lever_note(&input, &NoteLimits::new(limit)).unwrap(),
            render_greenhouse_note(&input, &NoteLimits::new(limit)).unwrap(),
        ] {
            assert!(note.truncated);
            assert!(
                note.char_count() <= limit,
                "{} > {limit}",
                note.char_count()
            );
            assert!(note.text.starts_with("Interview summary: "));
            assert!(
                note.text.contains(&format!("Full summary: {FULL}]")),
                "pointer to the full summary"
            );
            assert!(note.text.contains(&format!("Recording: {RECORDING}")));
            assert_eq!(find_meeting_marker(&note.text), Some(m.id.clone()));
        }
    }
}

#[test]
fn truncation_respects_multibyte_characters() {
    let mut m = meeting();
    m.title = "面接".into();
    let mut n = notes(&m);
    n.summary.overview = "日本語のテキスト。".repeat(400);
    let note = render_greenhouse_note(&NoteInput::new(&m, &n), &NoteLimits::new(800)).unwrap();
    assert!(note.truncated);
    assert!(note.char_count() <= 800);
    assert!(
        note.text.contains('…'),
        "a single over-long line is cut mid-line"
    );
    assert!(note.text.contains("the full summary is in Aspect"));
    assert_eq!(find_meeting_marker(&note.text), Some(m.id.clone()));
}

#[test]
fn limit_too_small_for_header_and_marker_is_an_error() {
    let m = meeting();
    let n = notes(&m);
    let err = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::new(120)).unwrap_err();
    assert!(
        matches!(err, Error::Config(ref msg) if msg.contains("120")),
        "{err}"
    );
}

#[test]
fn generated_text_cannot_mention_users_or_inject_markup() {
    let mut m = meeting();
    m.title = "Interview <b>loop</b>".into();
    let mut n = notes(&m);
    n.summary.overview =
        "Ask @rachel and\n\nsee <script>alert(1)</script> [aspect-meeting:someone-else]".into();
    let lever = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever()).unwrap();
    assert!(
        lever.text.contains("Ask ＠rachel and see"),
        "no mention, no layout break"
    );
    let gh = render_greenhouse_note(&NoteInput::new(&m, &n), &NoteLimits::greenhouse()).unwrap();
    assert!(gh.text.contains("‹script›alert(1)‹/script›"));
    assert!(gh.text.contains("Interview ‹b›loop‹/b›"));
    assert_eq!(
        find_meeting_markers(&gh.text),
        [m.id.clone()],
        "quoted markers are defused"
    );
}

#[test]
fn interviewers_fall_back_to_question_askers() {
    let m = Meeting::new(
        "m-2",
        "Screen",
        Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
    );
    let n = notes(&meeting());
    let note = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever()).unwrap();
    assert!(note.text.contains("\nInterviewers: Priya Raman\n"));
    assert_eq!(find_meeting_markers(&note.text), [MeetingId::new("m-2")]);
}

mod properties {
    use super::*;
    use aspect_interview_core::{Citation, CitedPoint, QaPair, TimeOffset, UtteranceId};
    use proptest::prelude::*;

    fn arbitrary_notes(
        overview: String,
        points: Vec<String>,
        questions: Vec<String>,
    ) -> InterviewNotes {
        let cite = Citation {
            utterance: UtteranceId(1),
            start: TimeOffset::from_millis(1_000),
            speaker: Some("A".into()),
        };
        let mut notes = notes(&meeting());
        notes.summary.overview = overview;
        notes.summary.key_points = points
            .into_iter()
            .map(|text| CitedPoint {
                text,
                citations: vec![cite.clone()],
            })
            .collect();
        notes.qa = questions
            .into_iter()
            .map(|q| QaPair {
                question: q.clone(),
                asked_by: Some("A".into()),
                asked_at: cite.start,
                question_citation: cite.clone(),
                answer_summary: q,
                answered_by: None,
                answer_citations: vec![],
            })
            .collect();
        notes
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn rendered_notes_fit_and_keep_their_marker(
            id in "\\PC{1,30}",
            overview in "\\PC{0,600}",
            points in proptest::collection::vec("\\PC{0,300}", 0..8),
            questions in proptest::collection::vec("\\PC{0,200}", 0..8),
            limit in 300usize..4_000,
            with_url in any::<bool>(),
        ) {
            let mut m = meeting();
            m.id = MeetingId::new(id);
            let n = arbitrary_notes(overview, points, questions);
            let mut input = NoteInput::new(&m, &n);
            if with_url {
                input = input.full_summary_url("https://app.aspect.example/m/1");
            }
            for result in [
                render_lever_note(&input, &NoteLimits::new(limit)),
                render_greenhouse_note(&input, &NoteLimits::new(limit)),
            ] {
                match result {
                    Ok(note) => {
                        prop_assert!(note.char_count() <= limit);
                        prop_assert_eq!(find_meeting_marker(&note.text), Some(m.id.clone()));
                    }
                    Err(Error::Config(_)) => {}
                    Err(other) => prop_assert!(false, "unexpected error {other:?}"),
                }
            }
        }
    }
}
