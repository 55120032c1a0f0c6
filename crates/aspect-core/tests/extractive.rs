//! The offline summarizer on a realistic interview.

use aspect_interview_core::{
    ExtractiveSummarizer, Meeting, Participant, ParticipantRole, RoleSource, SpeakerRoles,
    Summarizer, SummaryRequest, Transcript, UtteranceId,
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
    // Guardrail: no recommendation language in the content (the policy
    // report names its categories, so it is left out).
    let all = serde_json::to_string(&(&notes.summary, &notes.qa))
        .unwrap()
        .to_lowercase();
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

/// Issue 9 §2: a panel without a participant list.
fn panel() -> Transcript {
    Transcript::parse(
        "WEBVTT\n\n\
         00:00.000 --> 00:05.000\n<v Ana Souza>Thanks for joining. Could you walk me through your current role?\n\n\
         00:05.000 --> 00:20.000\n<v Carla Mendes>I run the payments platform team at Brightline, six engineers. We own the ledger and the payout service.\n\n\
         00:20.000 --> 00:30.000\n<v Ben Okafor>How did you decide to split the ledger out of the monolith?\n\n\
         00:30.000 --> 00:50.000\n<v Carla Mendes>The monolith's release train blocked every ledger fix for two weeks. I designed the extraction behind a feature flag.\n\n\
         00:50.000 --> 01:10.000\n<v Ben Okafor>Our team is also building a new ledger next year, with a lot of interesting event sourcing work and a big migration.\n\n\
         01:10.000 --> 01:20.000\n<v Ana Souza>What would you do differently if you started that extraction again?\n\n\
         01:20.000 --> 01:40.000\n<v Carla Mendes>I would write the reconciliation job first, because it caught most of our bugs.\n",
    )
    .unwrap()
}

#[test]
fn second_interviewer_of_a_panel_is_not_the_candidate() {
    let transcript = panel();
    let request = SummaryRequest::new(&transcript);
    assert_eq!(
        request.roles.speakers_with(&ParticipantRole::Interviewer),
        ["Ana Souza", "Ben Okafor"]
    );
    assert_eq!(
        request.roles.speakers_with(&ParticipantRole::Candidate),
        ["Carla Mendes"]
    );
    let notes = ExtractiveSummarizer::default().summarize_now(&request);
    let asked: Vec<(&str, &str)> = notes
        .qa
        .iter()
        .map(|q| {
            (
                q.asked_by.as_deref().unwrap(),
                q.answered_by.as_deref().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        asked,
        [
            ("Ana Souza", "Carla Mendes"),
            ("Ben Okafor", "Carla Mendes"),
            ("Ana Souza", "Carla Mendes"),
        ]
    );
    // The interviewer's pitch is nobody's answer and no candidate point.
    let all_points = notes
        .summary
        .key_points
        .iter()
        .chain(&notes.summary.strengths)
        .map(|p| p.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    assert!(
        !all_points.contains("Our team is also building"),
        "{all_points}"
    );
    assert!(notes.qa.iter().all(|q| {
        q.answer_citations
            .iter()
            .all(|c| c.speaker.as_deref() == Some("Carla Mendes"))
    }));
    assert_eq!(notes.role_source, Some(RoleSource::Inferred));
    assert!(notes.summary.overview.contains("Roles were inferred"));
    assert!(
        notes
            .summary
            .overview
            .contains("Ana Souza, Ben Okafor (interviewers) and Carla Mendes (candidate)"),
        "{}",
        notes.summary.overview
    );
}

#[test]
fn interviewer_names_from_the_ats_decide_roles() {
    let transcript = panel();
    // Labels are full names, the ATS gives one as a first name only.
    let request = SummaryRequest::new(&transcript).with_interviewer_names(["Ana Souza", "Ben"]);
    assert!(!request.roles.is_inferred("Ana Souza"));
    assert!(!request.roles.is_inferred("Ben Okafor"));
    assert_eq!(
        request.roles.role_of(Some("Ben Okafor")),
        ParticipantRole::Interviewer
    );
    assert_eq!(
        request.roles.role_of(Some("Carla Mendes")),
        ParticipantRole::Candidate
    );
    let roles = SpeakerRoles::from_names(&transcript, ["Ana Souza"], ["Carla Mendes"]);
    assert_eq!(roles.role_of(Some("Ben Okafor")), ParticipantRole::Unknown);
    let resolved = roles.resolved(&transcript);
    assert_eq!(
        resolved.role_of(Some("Ben Okafor")),
        ParticipantRole::Interviewer
    );
    // A participant list naming everyone makes the roles given.
    let meeting = Meeting::new(
        "m",
        "Panel",
        Utc.with_ymd_and_hms(2026, 11, 24, 15, 0, 0).unwrap(),
    )
    .with_participant(
        Participant::new("ana@acme.example", ParticipantRole::Interviewer).with_name("Ana Souza"),
    )
    .with_participant(
        Participant::new("ben@acme.example", ParticipantRole::Interviewer).with_name("Ben Okafor"),
    )
    .with_participant(
        Participant::new("carla@example.com", ParticipantRole::Candidate).with_name("Carla Mendes"),
    );
    let request = SummaryRequest::for_meeting(&meeting, &transcript);
    assert_eq!(request.role_source(), RoleSource::Given);
    let notes = ExtractiveSummarizer::default().summarize_now(&request);
    assert_eq!(notes.role_source, Some(RoleSource::Given));
    assert!(!notes.summary.overview.contains("inferred"));
}

#[test]
fn unlabelled_candidate_question_is_not_an_interview_question() {
    let transcript = Transcript::from_srt(
        "1\n00:00:01,000 --> 00:00:04,000\nHow did you handle the outage last spring?\n\n\
         2\n00:00:04,500 --> 00:00:09,000\nWe failed over to the second region within ten minutes.\n\n\
         3\n00:00:09,500 --> 00:00:12,000\nThen I wrote the postmortem.\n\n\
         4\n00:00:12,500 --> 00:00:15,000\nGreat. What questions do you have for me?\n\n\
         5\n00:00:15,500 --> 00:00:19,000\nWhat are the biggest technical challenges the team is facing?\n\n\
         6\n00:00:19,500 --> 00:00:30,000\nMostly scaling the ingestion pipeline, and we are rewriting it in Rust this year.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    let questions: Vec<&str> = notes.qa.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(questions, ["How did you handle the outage last spring?"]);
    let cited: Vec<u32> = notes.qa[0]
        .answer_citations
        .iter()
        .map(|c| c.utterance.0)
        .collect();
    assert_eq!(cited, [2, 3]);
    let points = serde_json::to_string(&notes.summary.key_points).unwrap();
    assert!(
        !points.contains("ingestion pipeline"),
        "the interviewer's pitch is no key point"
    );
    assert_eq!(notes.role_source, Some(RoleSource::Unlabelled));
    assert!(notes.summary.overview.contains("who said what is a guess"));

    // Without a hand-over, a question about the job still gives it away.
    let transcript = Transcript::from_srt(
        "1\n00:00:01,000 --> 00:00:04,000\nTell me about a project you are proud of.\n\n\
         2\n00:00:04,500 --> 00:00:09,000\nI built our billing reconciliation service.\n\n\
         3\n00:00:09,500 --> 00:00:12,000\nCan I ask what the biggest technical challenges are right now?\n\n\
         4\n00:00:12,500 --> 00:00:20,000\nSure, mostly the data platform, which we are rebuilding.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert_eq!(notes.qa.len(), 1);
    assert_eq!(
        notes.qa[0].answer_summary,
        "I built our billing reconciliation service."
    );
}

#[test]
fn single_speaker_transcript_is_split_into_questions_and_answers() {
    let transcript = Transcript::parse(
        "WEBVTT\n\n\
         00:00.000 --> 00:10.000\nSpeaker 0: Hi, thanks for making the time. Could you walk me through your current role?\n\n\
         00:10.000 --> 00:20.000\nSpeaker 0: Hi! Thank you for having me. I lead the search team at Fernway.\n\n\
         00:20.000 --> 00:30.000\nSpeaker 0: What was the hardest bug you fixed last year? A race in our indexer that dropped one write in a million.\n\n\
         00:30.000 --> 00:40.000\nSpeaker 0: How did you find it? We replayed production traffic against a build with extra tracing.\n\n\
         00:40.000 --> 00:50.000\nSpeaker 0: Have you used Kubernetes in production? Not yet, we deploy to plain virtual machines.\n\n\
         00:50.000 --> 01:00.000\nSpeaker 0: Why do you want to leave? I want to work on a larger distributed system.\n",
    )
    .unwrap();
    assert_eq!(
        transcript.utterances.len(),
        1,
        "one speaker, one giant utterance"
    );
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    let pairs: Vec<(&str, &str)> = notes
        .qa
        .iter()
        .map(|q| (q.question.as_str(), q.answer_summary.as_str()))
        .collect();
    assert_eq!(
        pairs,
        [
            (
                "Could you walk me through your current role?",
                "I lead the search team at Fernway."
            ),
            (
                "What was the hardest bug you fixed last year?",
                "A race in our indexer that dropped one write in a million."
            ),
            (
                "How did you find it?",
                "We replayed production traffic against a build with extra tracing."
            ),
            (
                "Have you used Kubernetes in production?",
                "Not yet, we deploy to plain virtual machines."
            ),
            (
                "Why do you want to leave?",
                "I want to work on a larger distributed system."
            ),
        ]
    );
    assert!(
        notes
            .qa
            .iter()
            .all(|q| q.answer_citations.len() == 1 && q.asked_by.is_none())
    );
    assert_eq!(notes.role_source, Some(RoleSource::Unlabelled));
}

#[test]
fn answer_summary_skips_the_greeting() {
    let transcript = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:03.000\n<v Ana>Could you introduce yourself briefly?\n\n\
         00:03.000 --> 00:09.000\n<v Bo>Hi! Thank you for having me. I'm a data engineer at Corvid, mostly on streaming.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert_eq!(
        notes.qa[0].answer_summary,
        "I'm a data engineer at Corvid, mostly on streaming."
    );
}

#[test]
fn japanese_interview_gives_questions_and_answers() {
    let transcript = Transcript::parse(
        "WEBVTT\n\n\
         00:00.000 --> 00:05.000\n<v 佐藤>本日はよろしくお願いします。まず、現在のお仕事について教えてください。\n\n\
         00:05.000 --> 00:15.000\n<v 田中>よろしくお願いします。決済基盤の開発チームでリードエンジニアをしています。昨年は決済APIの移行をリードしました。\n\n\
         00:15.000 --> 00:20.000\n<v 佐藤>Kubernetesの本番運用の経験はありますか？\n\n\
         00:20.000 --> 00:30.000\n<v 田中>本番での経験はありません。検証環境では使っています。\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert_eq!(notes.language.as_deref(), Some("ja"));
    let questions: Vec<&str> = notes.qa.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "まず、現在のお仕事について教えてください。",
            "Kubernetesの本番運用の経験はありますか？"
        ]
    );
    assert_eq!(
        notes.qa[0].answer_summary,
        "決済基盤の開発チームでリードエンジニアをしています。昨年は決済APIの移行をリードしました。"
    );
    assert!(
        notes
            .summary
            .strengths
            .iter()
            .any(|p| p.text.contains("リードしました"))
    );
    assert!(
        notes
            .summary
            .concerns
            .iter()
            .any(|p| p.text.contains("経験はありません"))
    );
    assert!(!notes.summary.key_points.is_empty());
}

#[test]
fn spanish_imperatives_strengths_and_concerns() {
    let transcript = Transcript::parse(
        "WEBVTT\n\n\
         00:00.000 --> 00:05.000\nLucía Pérez: Cuéntame sobre tu experiencia con sistemas distribuidos.\n\n\
         00:05.000 --> 00:15.000\nMateo Ruiz: Lideré la migración de nuestro monolito a microservicios y redujimos la latencia un 40 por ciento.\n\n\
         00:15.000 --> 00:20.000\nLucía Pérez: Describe un conflicto técnico que hayas resuelto en tu equipo.\n\n\
         00:20.000 --> 00:30.000\nMateo Ruiz: Discutimos entre Kafka y RabbitMQ; hicimos una prueba de carga y los datos decidieron.\n\n\
         00:30.000 --> 00:35.000\nLucía Pérez: ¿Has trabajado con Rust?\n\n\
         00:35.000 --> 00:45.000\nMateo Ruiz: No tengo experiencia con Rust en producción, solo proyectos personales.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert_eq!(notes.language.as_deref(), Some("es"));
    assert_eq!(notes.qa.len(), 3, "{:#?}", notes.qa);
    assert!(
        notes
            .summary
            .strengths
            .iter()
            .any(|p| p.text.starts_with("Lideré la migración"))
    );
    assert!(
        notes
            .summary
            .concerns
            .iter()
            .any(|p| p.text.starts_with("No tengo experiencia"))
    );
    assert!(notes.summary.overview.contains("Language: es"));
}

#[test]
fn three_hour_interview_keeps_every_question() {
    // 400 question/answer pairs over three hours, labelled and unlabelled.
    let mut labelled = String::from("WEBVTT\n\n");
    let mut unlabelled = String::new();
    for i in 0..400u32 {
        let t = i * 27;
        let (q, a) = (
            format!("How did you handle incident number {i} in the billing system?"),
            format!("We rolled back release {i} and added a regression test for it."),
        );
        labelled.push_str(&format!(
            "{:02}:{:02}:{:02}.000 --> {:02}:{:02}:{:02}.000\nAna: {q}\n\n{:02}:{:02}:{:02}.000 --> {:02}:{:02}:{:02}.000\nBo: {a}\n\n",
            t / 3600, t / 60 % 60, t % 60,
            (t + 5) / 3600, (t + 5) / 60 % 60, (t + 5) % 60,
            (t + 6) / 3600, (t + 6) / 60 % 60, (t + 6) % 60,
            (t + 26) / 3600, (t + 26) / 60 % 60, (t + 26) % 60,
        ));
        unlabelled.push_str(&format!(
            "{}\n{:02}:{:02}:{:02},000 --> {:02}:{:02}:{:02},000\n{q} {a}\n\n",
            i + 1,
            t / 3600,
            t / 60 % 60,
            t % 60,
            (t + 26) / 3600,
            (t + 26) / 60 % 60,
            (t + 26) % 60,
        ));
    }
    for text in [labelled, unlabelled] {
        let transcript = Transcript::parse(&text).unwrap();
        let notes =
            ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
        assert_eq!(notes.qa.len(), 400);
        assert!(
            notes
                .qa
                .iter()
                .all(|q| q.answer_summary.starts_with("We rolled back release"))
        );
        assert!(
            notes.summary.overview.contains("about 180 minutes"),
            "{}",
            notes.summary.overview
        );
    }
}

#[test]
fn a_second_interviewer_chiming_in_does_not_leave_the_question_unanswered() {
    let transcript = Transcript::parse(
        "WEBVTT\n\n\
         00:00.000 --> 00:04.000\n<v Ana>How did you roll out the new ledger?\n\n\
         00:04.000 --> 00:06.000\n<v Ben>And how did you test it before the switch?\n\n\
         00:06.000 --> 00:15.000\n<v Carla>We ran both ledgers in parallel for a month and compared balances every night.\n\n\
         00:15.000 --> 00:18.000\n<v Ana>What would you change next time you do it?\n\n\
         00:18.000 --> 00:25.000\n<v Carla>I would automate the nightly comparison from day one.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    let answers: Vec<(&str, Vec<u32>)> = notes
        .qa
        .iter()
        .map(|q| {
            (
                q.asked_by.as_deref().unwrap(),
                q.answer_citations.iter().map(|c| c.utterance.0).collect(),
            )
        })
        .collect();
    assert_eq!(
        answers,
        [("Ana", vec![3]), ("Ben", vec![3]), ("Ana", vec![5])]
    );
    assert!(
        !notes
            .summary
            .follow_ups
            .iter()
            .any(|p| p.text.starts_with("Unanswered")),
        "{:?}",
        notes.summary.follow_ups
    );
}

#[test]
fn unlabelled_spanish_interview_leaves_out_the_candidates_questions() {
    let transcript = Transcript::from_srt(
        "1\n00:00:01,000 --> 00:00:05,000\n¿Cuál fue tu mayor logro en tu último puesto?\n\n\
         2\n00:00:05,500 --> 00:00:09,000\nLideré la migración de pagos a la nube.\n\n\
         3\n00:00:09,500 --> 00:00:12,000\nEntendido. Puedo preguntar cuáles son los mayores retos del equipo este año?\n\n\
         4\n00:00:12,500 --> 00:00:20,000\nSobre todo escalar la plataforma de datos, que estamos reescribiendo.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(&transcript));
    assert_eq!(notes.language.as_deref(), Some("es"));
    let questions: Vec<&str> = notes.qa.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(questions, ["¿Cuál fue tu mayor logro en tu último puesto?"]);
    assert_eq!(
        notes.qa[0].answer_summary,
        "Lideré la migración de pagos a la nube."
    );
}
