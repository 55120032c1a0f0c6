//! The offline summarizer on a realistic interview.

use aspect_interview_core::{
    ExtractiveSummarizer, Meeting, Participant, ParticipantRole, SpeakerRoles, Summarizer,
    SummaryRequest, Transcript, UtteranceId,
};
use chrono::{TimeZone, Utc};

fn sample() -> (Meeting, Transcript) {
    let meeting = Meeting::new(
        "evt-2026-11-24-jordan",
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
    );
    let transcript = Transcript::parse(include_str!("fixtures/interview_zoom.vtt")).unwrap();
    (meeting, transcript)
}

#[tokio::test]
async fn finds_the_interview_questions_with_answers() {
    let (meeting, transcript) = sample();
    let request = SummaryRequest::for_meeting(&meeting, &transcript);
    let notes = ExtractiveSummarizer::default()
        .summarize(&request)
        .await
        .unwrap();
    assert_eq!(notes.generator, "extractive");

    let questions: Vec<&str> = notes.qa.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "Could you start by walking me through your current role?",
            "What was the hardest scaling problem you worked on there?",
            "How did you decide between sharding and read replicas?",
            "Have you worked with Rust in production?",
            "How do you handle disagreements about technical direction within your team?",
            "Tell me about your experience with event streaming.",
            "How much does your team spend on infrastructure for the tracking service?",
        ],
        "greetings, logistics and the candidate's own question are not interview questions"
    );
    for pair in &notes.qa {
        assert_eq!(pair.asked_by.as_deref(), Some("Priya Raman"));
        assert_eq!(pair.answered_by.as_deref(), Some("Jordan Ellis"));
        assert_eq!(pair.asked_at, pair.question_citation.start);
        assert!(!pair.answer_citations.is_empty());
        for c in pair
            .answer_citations
            .iter()
            .chain([&pair.question_citation])
        {
            let u = transcript
                .utterance(c.utterance)
                .expect("cited utterance exists");
            assert_eq!(u.start, c.start);
            assert_eq!(u.speaker, c.speaker);
        }
    }
    // Each answer cites exactly the candidate turn that followed; the last
    // one does not swallow the candidate's question at the end.
    let answers: Vec<u32> = notes
        .qa
        .iter()
        .flat_map(|q| q.answer_citations.iter().map(|c| c.utterance.0))
        .collect();
    assert_eq!(answers, [4, 6, 8, 10, 12, 14, 16]);
    assert_eq!(
        notes.qa[3].answer_summary,
        "Not in production yet, honestly. I've built a few internal command-line tools in Rust \
         and I contributed a small fix to an open source parser, but our services are in Go and Java."
    );
}

#[tokio::test]
async fn summary_sections_quote_cited_evidence() {
    let (meeting, transcript) = sample();
    let request = SummaryRequest::for_meeting(&meeting, &transcript);
    let notes = ExtractiveSummarizer::default().summarize_now(&request);
    let s = &notes.summary;
    assert!(
        s.overview.contains("Priya Raman (interviewer)"),
        "{}",
        s.overview
    );
    assert!(s.overview.contains("Jordan Ellis (candidate)"));
    assert!(s.overview.contains("7 interview questions"));
    assert!(!s.key_points.is_empty() && s.key_points.len() <= 5);
    assert!(s.strengths.iter().any(|p| {
        p.text
            .contains("reduced p99 read latency from 800 milliseconds")
    }));
    assert!(
        s.concerns
            .iter()
            .any(|p| p.text.contains("haven't used Kafka Streams"))
    );
    assert!(
        s.follow_ups
            .iter()
            .any(|p| p.text.contains("get back to you"))
    );
    assert!(
        s.follow_ups
            .iter()
            .any(|p| p.text.contains("follow up about next steps"))
    );
    for point in s
        .key_points
        .iter()
        .chain(&s.strengths)
        .chain(&s.concerns)
        .chain(&s.follow_ups)
    {
        assert_eq!(point.citations.len(), 1);
        let u = transcript.utterance(point.citations[0].utterance).unwrap();
        assert!(
            u.text.contains(&point.text),
            "point is quoted from its source"
        );
    }
    // Key points are in time order.
    let ids: Vec<UtteranceId> = s
        .key_points
        .iter()
        .map(|p| p.citations[0].utterance)
        .collect();
    assert!(ids.windows(2).all(|w| w[0] <= w[1]));
    // Guardrail: no recommendation language.
    let all = serde_json::to_string(&notes).unwrap().to_lowercase();
    for word in ["recommend", "hire", "no-hire", "strong yes"] {
        assert!(!all.contains(word), "{word}");
    }
}

#[test]
fn deterministic_and_role_inference_without_meeting() {
    let (_, transcript) = sample();
    let a = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    let b = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert_eq!(a, b);
    // Without participants, the speaker asking the questions is the interviewer.
    assert_eq!(a.qa.len(), 7);
    assert_eq!(a.qa[0].asked_by.as_deref(), Some("Priya Raman"));
}

#[test]
fn unanswered_question_becomes_a_follow_up() {
    let transcript = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:03.000\n<v Ana>What would you change about your last project?\n\n00:03.000 --> 00:05.000\n<v Ana>And how would you measure success there?\n\n00:05.000 --> 00:09.000\n<v Bo>I'd measure adoption by active teams.\n",
    )
    .unwrap();
    let request = SummaryRequest::new(&transcript)
        .with_roles(SpeakerRoles::new().with("Ana", ParticipantRole::Interviewer));
    let notes = ExtractiveSummarizer::default().summarize_now(&request);
    // Ana's two questions merge into one utterance, one Q&A pair.
    assert_eq!(notes.qa.len(), 1);
    assert_eq!(
        notes.qa[0].question,
        "What would you change about your last project? And how would you measure success there?"
    );

    let transcript = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:03.000\n<v Ana>What would you change about your last project?\n",
    )
    .unwrap();
    let request = SummaryRequest::new(&transcript);
    let notes = ExtractiveSummarizer::default().summarize_now(&request);
    assert_eq!(notes.qa[0].answer_summary, "No answer captured.");
    assert!(notes.qa[0].answer_citations.is_empty());
    assert!(
        notes.summary.follow_ups[0]
            .text
            .starts_with("Unanswered: What would you change")
    );
}

#[test]
fn empty_transcript_gives_empty_notes() {
    let transcript = Transcript::parse("WEBVTT\n").unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert!(notes.qa.is_empty() && notes.summary.key_points.is_empty());
    assert!(notes.summary.overview.contains("0 interview questions"));
}

#[test]
fn captions_without_speakers_still_give_questions() {
    let transcript = Transcript::from_srt(
        "1\n00:00:01,000 --> 00:00:03,000\nHow did you measure the impact of that change?\n\n\
         2\n00:00:03,500 --> 00:00:07,000\nWe compared error rates before and after launch.\n\n\
         3\n00:00:07,500 --> 00:00:09,000\nIt dropped by a third.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert_eq!(notes.qa.len(), 1);
    assert_eq!(notes.qa[0].asked_by, None);
    // The answer runs over two cues; its summary reads across them.
    assert_eq!(
        notes.qa[0].answer_summary,
        "We compared error rates before and after launch. It dropped by a third."
    );
    let cited: Vec<u32> = notes.qa[0]
        .answer_citations
        .iter()
        .map(|c| c.utterance.0)
        .collect();
    assert_eq!(cited, [2, 3]);
}
