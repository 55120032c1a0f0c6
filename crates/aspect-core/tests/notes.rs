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
    // The footer claims only what the content policy recorded.
    assert!(
        text.contains("Checked by the content policy, none found: hiring recommendation,"),
        "{text}"
    );
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

/// Long interviews (issue 9 §4): the whole interview fits within the note
/// limit — every question listed, repeats merged, answers compacted, the
/// most informative key points first — instead of losing its tail.
mod long_interviews {
    use super::*;
    use aspect_interview_core::{Citation, CitedPoint, QaPair, TimeOffset, UtteranceId};

    const TOPICS: &[&str] = &[
        "a schema migration on a busy table",
        "an outage in the payment gateway",
        "a disagreement about API versioning",
        "the move from cron jobs to a workflow engine",
        "a flaky integration test suite",
        "a memory leak in the ingestion workers",
        "onboarding two new engineers",
        "a security review of the public API",
        "capacity planning for the holiday peak",
        "a rewrite of the billing reconciliation job",
        "the deprecation of a legacy SOAP endpoint",
        "a data-retention request from legal",
        "a slow query in the reporting service",
        "the choice between Kafka and a managed queue",
        "a regression found after a Friday deploy",
        "splitting a monolith module into a service",
        "a partner who sent malformed webhooks",
        "cost overruns on the analytics cluster",
        "an accessibility audit of the dashboard",
        "a customer escalation about missing events",
        "rolling out feature flags across teams",
        "an incident postmortem that blamed a person",
        "a dependency with a critical CVE",
        "migrating CI from Jenkins to GitHub Actions",
    ];
    const SITUATIONS: &[&str] = &[
        "the deadline was fixed",
        "nobody owned the system",
        "the team was half remote",
        "the documentation was out of date",
        "the customer was watching closely",
        "you were new to the codebase",
        "the budget had just been cut",
        "two teams disagreed",
        "you were on call alone",
        "the metrics were misleading",
        "leadership wanted a quick fix",
    ];

    fn cite(id: u32, speaker: &str) -> Citation {
        Citation {
            utterance: UtteranceId(id),
            start: TimeOffset::from_millis(i64::from(id) * 13_500),
            speaker: Some(speaker.into()),
        }
    }

    /// A 3-hour interview: 396 Q&A pairs, every third one a repeat of the
    /// question asked just before the previous one (264 distinct).
    fn three_hour_notes() -> (InterviewNotes, Vec<String>) {
        let mut notes = notes(&meeting());
        let mut distinct: Vec<String> = Vec::new();
        notes.qa = (0..396u32)
            .map(|i| {
                let question = if i % 3 == 2 {
                    // Asked again, with different case and punctuation.
                    distinct[distinct.len() - 2].to_uppercase().replace('?', " ?")
                } else {
                    let n = distinct.len();
                    let q = format!(
                        "Could you walk me through how you handled {} when {}?",
                        TOPICS[n % TOPICS.len()],
                        SITUATIONS[n / TOPICS.len()]
                    );
                    distinct.push(q.clone());
                    q
                };
                QaPair {
                    question,
                    asked_by: Some("Priya Raman".into()),
                    asked_at: cite(2 * i + 1, "Priya Raman").start,
                    question_citation: cite(2 * i + 1, "Priya Raman"),
                    answer_summary: format!(
                        "In that case ({i}) I first wrote down what we knew and what we did not, then agreed with the team on a small experiment, measured the result for a week and only then changed the production setup, keeping a rollback ready."
                    ),
                    answered_by: Some("Jordan Ellis".into()),
                    answer_citations: vec![cite(2 * i + 2, "Jordan Ellis"), cite(2 * i + 3, "Jordan Ellis")],
                }
            })
            .collect();
        let point = |text: &str, id: u32| CitedPoint {
            text: text.into(),
            citations: vec![cite(id, "Jordan Ellis")],
        };
        notes.summary.key_points = vec![
            point("Yes, that is right.", 2),
            point("I like working with people who care.", 40),
            point("It was a good experience overall, I think.", 300),
            point("I moved the team to trunk-based development.", 500),
            point(
                "We cut p99 ingestion latency from 800 ms to 120 ms across 40 services by batching writes and partitioning topics.",
                790,
            ),
        ];
        (notes, distinct)
    }

    /// The question lines of a note, in order.
    fn question_lines(text: &str) -> Vec<&str> {
        text.lines()
            .filter(|l| {
                l.strip_prefix('Q')
                    .and_then(|r| r.split_once(' '))
                    .is_some_and(|(n, _)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
            })
            .collect()
    }

    /// Whether `line` shows `question` whole, or a beginning of it of at
    /// least 12 characters cut with an ellipsis.
    fn shows(line: &str, question: &str) -> bool {
        if line.ends_with(question) {
            return true;
        }
        let Some(shown) = line.strip_suffix('…') else {
            return false;
        };
        let shown: Vec<char> = shown.chars().collect();
        let question: Vec<char> = question.chars().collect();
        (12..=question.len().min(shown.len())).any(|k| shown[shown.len() - k..] == question[..k])
    }

    #[test]
    fn a_three_hour_interview_lists_every_question_within_the_limit() {
        let m = meeting();
        let (n, distinct) = three_hour_notes();
        assert_eq!(n.qa.len(), 396);
        assert_eq!(distinct.len(), 264);
        let input = NoteInput::new(&m, &n).full_summary_url(FULL);
        for (note, limit) in [
            (
                render_lever_note(&input, &NoteLimits::lever()).unwrap(),
                NoteLimits::lever(),
            ),
            (
                render_greenhouse_note(&input, &NoteLimits::greenhouse()).unwrap(),
                NoteLimits::greenhouse(),
            ),
        ] {
            let text = &note.text;
            assert!(
                note.char_count() <= limit.max_chars,
                "{} > {}",
                note.char_count(),
                limit.max_chars
            );
            assert_eq!(find_meeting_marker(text), Some(m.id.clone()));
            let lines = question_lines(text);
            assert_eq!(
                lines.len(),
                distinct.len(),
                "every distinct question once: {text}"
            );
            for (line, question) in lines.iter().zip(&distinct) {
                assert!(shows(line, question), "{line:?} does not show {question:?}");
            }
            assert!(note.truncated);
            assert!(
                text.contains("[Shortened to fit the ATS note limit: every question is listed")
                    && text.contains(&format!("Full summary: {FULL}]")),
                "compaction is announced: {text}"
            );
            let first_point = text
                .split("Key points:\n")
                .nth(1)
                .and_then(|s| s.lines().next());
            assert!(
                first_point.is_some_and(|p| p.starts_with("- We cut p99 ingestion latency")),
                "most informative key point first: {first_point:?}"
            );
        }
    }

    #[test]
    fn an_hour_long_interview_keeps_every_answer_shortened() {
        let m = meeting();
        let (mut n, distinct) = three_hour_notes();
        n.qa.truncate(45);
        let note = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever()).unwrap();
        let text = &note.text;
        assert!(note.char_count() <= NoteLimits::lever().max_chars);
        let lines = question_lines(text);
        assert_eq!(lines.len(), 30, "45 pairs, 15 of them repeats: {text}");
        for (line, question) in lines.iter().zip(&distinct) {
            assert!(line.ends_with(question.as_str()), "questions whole: {line}");
        }
        let answers: Vec<&str> = text
            .lines()
            .filter(|l| l.starts_with("A (Jordan Ellis): "))
            .collect();
        assert_eq!(answers.len(), 45, "each asking's own answer kept");
        assert!(
            answers.iter().all(|a| a.contains('…')),
            "answers shortened: {text}"
        );
        assert!(
            text.contains("every question is listed, long answers are shortened")
                && text.contains("; the full summary is in Aspect.]"),
            "{text}"
        );
        assert!(text.contains("\nQ1 [00:13 ×2] Priya Raman: "), "{text}");
    }

    #[test]
    fn only_what_overflows_is_shortened() {
        let m = meeting();
        let n = notes(&m);
        let whole = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever()).unwrap();
        let mut long = n.clone();
        long.summary.overview =
            "The candidate described the tracking service at length. ".repeat(150);
        let note = render_lever_note(&NoteInput::new(&m, &long), &NoteLimits::lever()).unwrap();
        assert!(note.truncated && note.char_count() <= NoteLimits::lever().max_chars);
        for line in whole
            .text
            .lines()
            .filter(|l| l.starts_with("A (") || l.starts_with('Q'))
        {
            assert!(
                note.text.contains(line),
                "kept whole: {line}\n{}",
                note.text
            );
        }
        let overview = note
            .text
            .split("Overview:\n")
            .nth(1)
            .and_then(|s| s.lines().next())
            .unwrap();
        assert!(overview.ends_with('…') && overview.len() < long.summary.overview.len());
    }

    #[test]
    fn a_repeated_question_is_listed_once_with_its_times() {
        let m = meeting();
        let (mut n, _) = three_hour_notes();
        n.qa.truncate(3);
        n.qa[2].asked_at = TimeOffset::from_millis(4_830_000);
        let note = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever()).unwrap();
        assert!(!note.truncated, "{}", note.text);
        let lines = question_lines(&note.text);
        assert_eq!(lines.len(), 2, "{}", note.text);
        assert!(
            lines[0].starts_with("Q1 [00:13, 1:20:30] Priya Raman: Could you walk me through"),
            "{}",
            lines[0]
        );
        assert_eq!(
            note.text.matches("\nA (Jordan Ellis): ").count(),
            3,
            "answers of both askings"
        );
    }

    #[test]
    fn when_even_compaction_cannot_fit_the_cut_says_what_is_missing() {
        let m = meeting();
        let (n, distinct) = three_hour_notes();
        let input = NoteInput::new(&m, &n).full_summary_url(FULL);
        let note = render_lever_note(&input, &NoteLimits::new(3_000)).unwrap();
        assert!(note.char_count() <= 3_000);
        let shown = question_lines(&note.text).len();
        assert!(shown > 0 && shown < distinct.len());
        assert!(
            note.text.contains(&format!(
                "[Truncated to fit the ATS note limit: {shown} of {} questions shown. Full summary: {FULL}]",
                distinct.len()
            )),
            "{}",
            note.text
        );
        assert_eq!(find_meeting_marker(&note.text), Some(m.id.clone()));
    }
}

/// A note in a language the policy's lists cover only in part: the footer
/// says which categories were not checked in it, never "none found" for
/// them.
#[test]
fn the_footer_does_not_vouch_for_categories_it_cannot_read() {
    let m = meeting();
    let mut n = notes(&m);
    n.language = Some("fr".into());
    let note = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever()).unwrap();
    let text = &note.text;
    assert!(
        text.contains(
            "Checked by the content policy, none found: hiring recommendation, rating or score."
        ),
        "{text}"
    );
    assert!(
        text.contains(
            "Not checked in this note's language (fr): statement about a protected characteristic, culture-fit judgement."
        ),
        "{text}"
    );
    n.language = Some("ja".into());
    let text = render_lever_note(&NoteInput::new(&m, &n), &NoteLimits::lever())
        .unwrap()
        .text;
    assert!(
        text.contains("Not checked in this note's language (ja): rating or score,"),
        "{text}"
    );
}
