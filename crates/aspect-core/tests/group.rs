//! Group interviews: each candidate's note holds only what concerns that
//! candidate, and a transcript whose speakers cannot be tied to the
//! candidates is reported, not split by guesswork.

use aspect_interview_core::{
    Attribution, AttributionGap, CandidateNotes, Citation, CitedPoint, ExtractiveSummarizer,
    GroupAttribution, InterviewNotes, Meeting, NoteInput, NoteLimits, Participant, ParticipantRole,
    QaPair, SummaryRequest, Transcript, attribute_candidates, find_meeting_marker,
    render_greenhouse_note, render_lever_note,
};
use chrono::{TimeZone, Utc};

/// One interviewer, two candidates; each candidate mentions the other, and
/// Alice quotes Bob's e-mail address.
const GROUP_VTT: &str = "WEBVTT

00:00:01.000 --> 00:00:06.000
Priya Raman: Welcome both of you, Alice and Bob. Could you each tell me about a system you built?

00:00:07.000 --> 00:00:15.000
Alice Moreau: Sure. I built the billing reconciliation service at Fjord Bank, which matches 40,000 invoices a day.

00:00:16.000 --> 00:00:24.000
Tanaka, Bob: I led the migration of our search cluster to OpenSearch and cut query latency by half.

00:00:25.000 --> 00:00:28.000
Priya Raman: Bob, how did you measure the latency improvement?

00:00:29.000 --> 00:00:36.000
Tanaka, Bob: We compared p99 latency from our Grafana dashboards for two weeks before and after.

00:00:37.000 --> 00:00:41.000
Priya Raman: Alice, what would you do differently with the billing service today?

00:00:42.000 --> 00:00:52.000
Alice Moreau: Like Bob said about measuring, I would add tracing much earlier. I haven't used OpenTelemetry in production yet.

00:00:53.000 --> 00:00:57.000
Priya Raman: How do you both handle on-call incidents for services you own?

00:00:58.000 --> 00:01:06.000
Alice Moreau: I write a runbook for every alert I own and I shared my template with b.tanaka@example.org last week.

00:01:07.000 --> 00:01:15.000
Tanaka, Bob: I pair with a junior engineer during the first week of every rotation so nobody is alone at night.
";

/// Bob's own words: none may appear in Alice's note.
const BOB_QUOTES: &[&str] = &["OpenSearch", "Grafana", "junior engineer", "search cluster"];
/// Alice's own words: none may appear in Bob's note.
const ALICE_QUOTES: &[&str] = &[
    "billing reconciliation",
    "runbook",
    "OpenTelemetry",
    "Fjord",
];

fn alice() -> Participant {
    // As a calendar invitee: no role until the ATS matched her.
    Participant::new("alice.moreau@example.com", ParticipantRole::Unknown).with_name("Alice Moreau")
}

fn bob() -> Participant {
    Participant::new("B.Tanaka@example.org", ParticipantRole::Candidate).with_name("Bob Tanaka")
}

fn meeting() -> Meeting {
    Meeting::new(
        "evt-group-7",
        "Assessment day: Alice Moreau & Bob Tanaka",
        Utc.with_ymd_and_hms(2026, 11, 25, 9, 0, 0).unwrap(),
    )
    .with_participant(
        Participant::new("priya.raman@acme.example", ParticipantRole::Interviewer)
            .with_name("Priya Raman"),
    )
    .with_participant(alice())
    .with_participant(bob())
}

fn summarize(meeting: &Meeting, vtt: &str) -> (Transcript, InterviewNotes) {
    let transcript = Transcript::parse(vtt).unwrap();
    let notes = ExtractiveSummarizer::default()
        .summarize_now(&SummaryRequest::for_meeting(meeting, &transcript));
    (transcript, notes)
}

fn certain(attribution: Attribution) -> GroupAttribution {
    match attribution {
        Attribution::Certain(group) => group,
        other => panic!("expected certain attribution, got {other:?}"),
    }
}

fn uncertain(attribution: Attribution) -> AttributionGap {
    match attribution {
        Attribution::Uncertain { reason } => reason,
        other => panic!("expected uncertain attribution, got {other:?}"),
    }
}

/// Utterance ids cited in a rendered note (`#12`).
fn cited_ids(text: &str) -> Vec<u32> {
    text.split('#')
        .skip(1)
        .filter_map(|rest| {
            let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
            digits.parse().ok()
        })
        .collect()
}

fn speaker_of(transcript: &Transcript, id: u32) -> &str {
    transcript
        .utterances
        .iter()
        .find(|u| u.id.0 == id)
        .and_then(|u| u.speaker.as_deref())
        .unwrap_or("")
}

#[test]
fn three_person_transcript_gives_each_candidate_their_own_note() {
    let m = meeting();
    let (transcript, notes) = summarize(&m, GROUP_VTT);
    let group = certain(attribute_candidates(&m, [&alice(), &bob()], &notes));
    assert_eq!(group.speakers_of(&alice()).unwrap(), ["Alice Moreau"]);
    assert_eq!(group.speakers_of(&bob()).unwrap(), ["Tanaka, Bob"]);

    let cases = [
        (
            alice(),
            "Alice Moreau",
            BOB_QUOTES,
            ALICE_QUOTES,
            ["Bob", "Tanaka", "tanaka@"],
        ),
        (
            bob(),
            "Tanaka, Bob",
            ALICE_QUOTES,
            BOB_QUOTES,
            ["Alice", "Moreau", "moreau@"],
        ),
    ];
    let mut rendered = Vec::new();
    for (candidate, speaker, others_words, own_words, others_names) in cases {
        let own = group.notes_for(&notes, &candidate).unwrap();
        assert_eq!(own.group_size, 2);
        for (text, ats) in [
            (
                render_lever_note(&NoteInput::for_candidate(&m, &own), &NoteLimits::lever())
                    .unwrap()
                    .text,
                "lever",
            ),
            (
                render_greenhouse_note(
                    &NoteInput::for_candidate(&m, &own),
                    &NoteLimits::greenhouse(),
                )
                .unwrap()
                .text,
                "greenhouse",
            ),
        ] {
            let name = candidate.display_name.as_deref().unwrap();
            assert!(
                text.contains(&format!(
                    "\nCandidate: {name} (group interview with 2 candidates"
                )),
                "{ats}: {text}"
            );
            for quote in others_words {
                assert!(
                    !text.contains(quote),
                    "{ats} note of {name} quotes the other candidate ({quote}): {text}"
                );
            }
            for other in others_names {
                assert!(
                    !text.to_lowercase().contains(&other.to_lowercase()),
                    "{ats} note of {name} names the other candidate ({other}): {text}"
                );
            }
            for word in own_words {
                assert!(
                    text.contains(word),
                    "{ats} note of {name} lacks their own answer ({word}): {text}"
                );
            }
            assert!(text.contains("another candidate"), "{text}");
            for id in cited_ids(&text) {
                let who = speaker_of(&transcript, id);
                assert!(
                    who == speaker || who == "Priya Raman",
                    "{ats} note of {name} cites #{id} by {who}: {text}"
                );
            }
            assert!(
                cited_ids(&text)
                    .iter()
                    .any(|id| speaker_of(&transcript, *id) == speaker)
            );
            assert_eq!(
                find_meeting_marker(&text),
                Some(m.id.clone()),
                "marker stays per meeting"
            );
            rendered.push(text);
        }
    }
    assert_ne!(rendered[0], rendered[2], "two distinct notes");
}

#[test]
fn shared_questions_are_listed_once_with_only_the_candidates_own_answer() {
    let m = meeting();
    let (_, notes) = summarize(&m, GROUP_VTT);
    let group = certain(attribute_candidates(&m, [&alice(), &bob()], &notes));
    let own = group.notes_for(&notes, &alice()).unwrap();
    let questions: Vec<&str> = own.notes.qa.iter().map(|q| q.question.as_str()).collect();
    assert_eq!(
        questions,
        [
            "Could you each tell me about a system you built?",
            "another candidate, how did you measure the latency improvement?",
            "Alice, what would you do differently with the billing service today?",
            "How do you both handle on-call incidents for services you own?",
        ]
    );
    assert_eq!(
        own.notes.qa[1].answer_summary,
        "No answer from this candidate."
    );
    assert!(own.notes.qa[1].answer_citations.is_empty());
    for pair in [&own.notes.qa[0], &own.notes.qa[2], &own.notes.qa[3]] {
        assert_eq!(pair.answered_by.as_deref(), Some("Alice Moreau"));
        assert!(
            pair.answer_citations
                .iter()
                .all(|c| c.speaker.as_deref() == Some("Alice Moreau"))
        );
    }
    assert!(
        own.notes.qa[3]
            .answer_summary
            .contains("with another candidate last week"),
        "the other candidate's e-mail in her own answer is scrubbed: {}",
        own.notes.qa[3].answer_summary
    );
    assert!(own.notes.summary.overview.contains("another candidate"));
    assert!(
        own.notes
            .summary
            .overview
            .contains(" 4 interview questions detected"),
        "questions, not pairs: {}",
        own.notes.summary.overview
    );
    assert!(!own.notes.summary.overview.contains("Bob"));
    assert_eq!(own.withheld, 0);
}

#[test]
fn each_candidate_gets_their_own_key_points_and_concerns() {
    let m = meeting();
    let (_, notes) = summarize(&m, GROUP_VTT);
    let group = certain(attribute_candidates(&m, [&alice(), &bob()], &notes));
    let split = group.split(&notes);
    assert_eq!(split.len(), 2);
    for (own, speaker) in split.iter().zip(["Alice Moreau", "Tanaka, Bob"]) {
        assert!(
            !own.notes.summary.key_points.is_empty(),
            "{speaker} has key points"
        );
        let summary = &own.notes.summary;
        for point in summary
            .key_points
            .iter()
            .chain(&summary.strengths)
            .chain(&summary.concerns)
        {
            assert!(
                point
                    .citations
                    .iter()
                    .all(|c| c.speaker.as_deref() == Some(speaker)),
                "{point:?} in {speaker}'s note"
            );
        }
    }
    assert!(
        split[0]
            .notes
            .summary
            .concerns
            .iter()
            .any(|c| c.text.contains("OpenTelemetry"))
    );
    assert!(split[1].notes.summary.concerns.is_empty());
}

#[test]
fn a_question_both_candidates_answer_gives_one_pair_per_candidate() {
    let m = meeting();
    let (_, notes) = summarize(&m, GROUP_VTT);
    let first: Vec<(&str, Option<&str>)> = notes
        .qa
        .iter()
        .filter(|q| q.question.starts_with("Could you each"))
        .map(|q| (q.answer_summary.as_str(), q.answered_by.as_deref()))
        .collect();
    assert_eq!(
        first,
        [
            (
                "I built the billing reconciliation service at Fjord Bank, which matches 40,000 invoices a day.",
                Some("Alice Moreau")
            ),
            (
                "I led the migration of our search cluster to OpenSearch and cut query latency by half.",
                Some("Tanaka, Bob")
            ),
        ]
    );
}

#[test]
fn unlabelled_two_candidate_transcript_is_uncertain() {
    let m = meeting();
    let unlabelled: String = GROUP_VTT
        .lines()
        .map(|line| {
            line.split_once(": ")
                .filter(|(who, _)| !who.contains("-->"))
                .map_or(line, |(_, said)| said)
        })
        .collect::<Vec<_>>()
        .join("\n");
    let (transcript, notes) = summarize(&m, &unlabelled);
    assert!(transcript.speakers().is_empty());
    let gap = uncertain(attribute_candidates(&m, [&alice(), &bob()], &notes));
    assert_eq!(gap, AttributionGap::NoSpeakerLabels);
    assert!(gap.to_string().contains("no speaker labels"));
}

#[test]
fn speakers_that_match_no_candidate_are_uncertain() {
    let m = meeting();
    let generic = GROUP_VTT
        .replace("Alice Moreau:", "Speaker 1:")
        .replace("Tanaka, Bob:", "Speaker 2:");
    let (_, notes) = summarize(&m, &generic);
    assert_eq!(
        uncertain(attribute_candidates(&m, [&alice(), &bob()], &notes)),
        AttributionGap::NoSpeakerFor {
            candidate: "Alice Moreau".into()
        }
    );
}

#[test]
fn an_unknown_speaker_who_answers_is_uncertain() {
    let m = meeting();
    let with_stranger = format!(
        "{GROUP_VTT}\n00:01:16.000 --> 00:01:20.000\nPriya Raman: What drew you to this team in particular?\n\n00:01:21.000 --> 00:01:26.000\nSam Okafor: Honestly the chance to work on payments at this scale.\n"
    );
    let (_, notes) = summarize(&m, &with_stranger);
    assert_eq!(
        uncertain(attribute_candidates(&m, [&alice(), &bob()], &notes)),
        AttributionGap::UnknownSpeakers {
            speakers: vec!["Sam Okafor".into()]
        }
    );
}

#[test]
fn one_speaker_matching_two_candidates_is_uncertain() {
    let m = meeting();
    let twin = Participant::new("alice.m@other.example", ParticipantRole::Candidate)
        .with_name("Moreau, Alice");
    let (_, notes) = summarize(&m.clone().with_participant(twin.clone()), GROUP_VTT);
    let gap = uncertain(attribute_candidates(&m, [&alice(), &twin], &notes));
    assert!(
        matches!(gap, AttributionGap::SharedSpeaker { ref speaker, ref candidates } if speaker == "Alice Moreau" && candidates.len() == 2),
        "{gap:?}"
    );
}

#[test]
fn a_candidate_sharing_an_interviewers_name_is_uncertain() {
    let mut m = meeting();
    m.participants[0].display_name = Some("Bob Tanaka".into());
    let (_, notes) = summarize(&m, &GROUP_VTT.replace("Priya Raman:", "Bob Tanaka:"));
    let gap = uncertain(attribute_candidates(&m, [&alice(), &bob()], &notes));
    assert_eq!(
        gap,
        AttributionGap::SharedSpeaker {
            speaker: "Bob Tanaka".into(),
            candidates: vec!["Bob Tanaka".into(), "Bob Tanaka".into()],
        }
    );
}

#[test]
fn one_candidate_needs_no_attribution() {
    let m = meeting();
    let (_, notes) = summarize(&m, GROUP_VTT);
    assert_eq!(
        attribute_candidates(&m, [&bob()], &notes),
        Attribution::NotRequired
    );
    let same_bob = Participant::new("b.tanaka@EXAMPLE.org", ParticipantRole::Candidate);
    assert_eq!(
        attribute_candidates(&m, [&bob(), &same_bob], &notes),
        Attribution::NotRequired,
        "the same address twice is one candidate"
    );
    assert_eq!(
        attribute_candidates(&m, [], &notes),
        Attribution::NotRequired
    );
}

fn cite(id: u32, speaker: &str) -> Citation {
    Citation {
        utterance: aspect_interview_core::UtteranceId(id),
        start: aspect_interview_core::TimeOffset::from_millis(i64::from(id) * 1_000),
        speaker: Some(speaker.into()),
    }
}

/// LLM-style notes: one answer citing both candidates, a point citing both,
/// a question a candidate asked.
fn mixed_notes() -> InterviewNotes {
    let point = |text: &str, cites: Vec<Citation>| CitedPoint {
        text: text.into(),
        citations: cites,
    };
    let pair = |question: &str, asker: &str, answer: &str, cites: Vec<Citation>| QaPair {
        question: question.into(),
        asked_by: Some(asker.into()),
        asked_at: cite(1, asker).start,
        question_citation: cite(1, asker),
        answer_summary: answer.into(),
        answered_by: cites.first().and_then(|c| c.speaker.clone()),
        answer_citations: cites,
    };
    let mut notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::new(
        &Transcript::parse("WEBVTT\n\n00:00.000 --> 00:01.000\nPriya Raman: Hi.\n").unwrap(),
    ));
    notes.summary.overview = "Alice Moreau and Bob Tanaka discussed search and billing.".into();
    notes.summary.key_points = vec![
        point(
            "Both scaled systems past 1M requests.",
            vec![cite(2, "Alice Moreau"), cite(3, "Tanaka, Bob")],
        ),
        point(
            "Billing matches 40,000 invoices a day.",
            vec![cite(2, "Alice Moreau")],
        ),
    ];
    notes.summary.strengths.clear();
    notes.summary.concerns.clear();
    notes.summary.follow_ups = vec![point(
        "Send both candidates the take-home.",
        vec![cite(9, "Priya Raman")],
    )];
    notes.qa = vec![
        pair(
            "What did you build?",
            "Priya Raman",
            "They built billing and search.",
            vec![cite(2, "Alice Moreau"), cite(3, "Tanaka, Bob")],
        ),
        QaPair {
            question_citation: cite(4, "Tanaka, Bob"),
            ..pair(
                "Is the team remote?",
                "Tanaka, Bob",
                "Mostly.",
                vec![cite(5, "Priya Raman")],
            )
        },
    ];
    notes
}

#[test]
fn mixed_answers_and_points_are_withheld_not_shown() {
    let m = meeting();
    let notes = mixed_notes();
    let group = certain(attribute_candidates(&m, [&alice(), &bob()], &notes));
    let own: CandidateNotes = group.notes_for(&notes, &alice()).unwrap();
    assert_eq!(
        own.withheld, 3,
        "mixed answer, mixed point, the other candidate's question"
    );
    assert_eq!(own.notes.qa.len(), 1);
    assert!(
        own.notes.qa[0]
            .answer_summary
            .starts_with("Answer not shown")
    );
    assert!(own.notes.qa[0].answer_citations.is_empty());
    let points: Vec<&str> = own
        .notes
        .summary
        .key_points
        .iter()
        .map(|p| p.text.as_str())
        .collect();
    assert_eq!(points, ["Billing matches 40,000 invoices a day."]);
    assert_eq!(
        own.notes.summary.follow_ups.len(),
        1,
        "the hiring side's follow-up is shared"
    );
    assert_eq!(
        own.notes.summary.overview,
        "Alice Moreau and another candidate discussed search and billing."
    );
    let text = render_lever_note(&NoteInput::for_candidate(&m, &own), &NoteLimits::lever())
        .unwrap()
        .text;
    assert!(!text.contains("Bob") && !text.contains("remote"), "{text}");
    assert_eq!(
        own.scrub("Ask Bob or b.tanaka@example.org"),
        "Ask another candidate or another candidate"
    );
}

#[test]
fn scrubbing_spares_shared_first_names_and_lowercase_words() {
    let m = Meeting::new(
        "g",
        "Group",
        Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap(),
    )
    .with_participant(
        Participant::new("will.grant@acme.example", ParticipantRole::Interviewer)
            .with_name("Will Grant"),
    )
    .with_participant(
        Participant::new("mia@example.com", ParticipantRole::Candidate).with_name("Mia Will"),
    )
    .with_participant(
        Participant::new("rose@example.com", ParticipantRole::Candidate).with_name("Rose Hart"),
    );
    let vtt = "WEBVTT\n\n00:00.000 --> 00:03.000\nWill Grant: Could you both describe your last project?\n\n00:03.000 --> 00:06.000\nMia Will: I will start: a payments ledger.\n\n00:06.000 --> 00:09.000\nRose Hart: A rose garden planner app.\n";
    let (_, notes) = summarize(&m, vtt);
    let mia = m.participants[1].clone();
    let rose = m.participants[2].clone();
    let group = certain(attribute_candidates(&m, [&mia, &rose], &notes));
    let for_rose = group.notes_for(&notes, &rose).unwrap();
    assert_eq!(
        for_rose.scrub("Will Grant asked Mia Will, then Mia; I will ask Will."),
        "Will Grant asked another candidate, then another candidate; I will ask Will.",
        "\"Will\" is also the interviewer's name, so alone it is kept"
    );
    let for_mia = group.notes_for(&notes, &mia).unwrap();
    assert_eq!(
        for_mia.scrub("a rose garden, said Rose"),
        "a rose garden, said another candidate"
    );
}

#[test]
fn answers_to_one_question_are_found_wherever_they_are_listed() {
    let m = meeting();
    let mut notes = mixed_notes();
    let asked = |answer: &str, speaker: &str, id: u32| QaPair {
        question: "What did you build?".into(),
        asked_by: Some("Priya Raman".into()),
        asked_at: cite(1, "Priya Raman").start,
        question_citation: cite(1, "Priya Raman"),
        answer_summary: answer.into(),
        answered_by: Some(speaker.into()),
        answer_citations: vec![cite(id, speaker)],
    };
    let other_question = QaPair {
        question: "Why this team?".into(),
        question_citation: cite(6, "Priya Raman"),
        ..asked("The payments scale.", "Alice Moreau", 7)
    };
    notes.qa = vec![
        asked("A billing service.", "Alice Moreau", 2),
        other_question,
        asked("A search cluster.", "Tanaka, Bob", 3),
    ];
    let group = certain(attribute_candidates(&m, [&alice(), &bob()], &notes));
    let summary = |c: &Participant| -> Vec<(String, String)> {
        group
            .notes_for(&notes, c)
            .unwrap()
            .notes
            .qa
            .iter()
            .map(|q| (q.question.clone(), q.answer_summary.clone()))
            .collect()
    };
    let pair = |q: &str, a: &str| (q.to_owned(), a.to_owned());
    assert_eq!(
        summary(&alice()),
        [
            pair("What did you build?", "A billing service."),
            pair("Why this team?", "The payments scale.")
        ]
    );
    assert_eq!(
        summary(&bob()),
        [
            pair("What did you build?", "A search cluster."),
            pair("Why this team?", "No answer from this candidate.")
        ]
    );
}

mod properties {
    use super::*;
    use proptest::prelude::*;

    fn name_word() -> impl Strategy<Value = String> {
        "[A-Z][a-z]{2,7}"
    }

    /// Whole words of `text`, as written.
    fn words_of(text: &str) -> Vec<&str> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// Whatever the names, a candidate's note never shows the other
        /// candidate's name, e-mail or words, however they are mentioned.
        #[test]
        fn a_candidates_note_never_names_or_quotes_the_other(
            a in (name_word(), name_word()),
            b in (name_word(), name_word()),
            secret in "[a-z]{10,14}",
        ) {
            let words_a = [a.0.as_str(), a.1.as_str()];
            let words_b = [b.0.as_str(), b.1.as_str()];
            let taken = ["Kim", "Park", "Could", "Sure", "Thanks", "The", "And"];
            prop_assume!(words_a.iter().chain(&words_b).all(|w| !taken.contains(w)));
            prop_assume!(words_a.iter().all(|w| !words_b.contains(w)));
            let (name_a, name_b) = (format!("{} {}", a.0, a.1), format!("{} {}", b.0, b.1));
            let mail_b = format!("{}.{}@example.org", b.0.to_lowercase(), b.1.to_lowercase());
            let cand_a = Participant::new(format!("{}@example.com", a.0.to_lowercase()), ParticipantRole::Candidate).with_name(name_a.clone());
            let cand_b = Participant::new(mail_b.clone(), ParticipantRole::Candidate).with_name(name_b.clone());
            let m = Meeting::new("p", format!("Panel with {name_a} and {name_b}"), Utc.with_ymd_and_hms(2026, 1, 1, 0, 0, 0).unwrap())
                .with_participant(Participant::new("kim@acme.example", ParticipantRole::Interviewer).with_name("Kim Park"))
                .with_participant(cand_a.clone())
                .with_participant(cand_b.clone());
            let vtt = format!(
                "WEBVTT\n\n00:01.000 --> 00:04.000\nKim Park: Could you tell me about your last project, {first_b}?\n\n\
                 00:05.000 --> 00:09.000\n{name_b}: I built the {secret} platform and reduced costs by 30 percent.\n\n\
                 00:10.000 --> 00:13.000\nKim Park: And what about you, {first_a}, what did you build?\n\n\
                 00:14.000 --> 00:19.000\n{name_a}: Unlike {first_b} I led a data team; {last_b} and I met before, write to {mail_b}.\n",
                first_a = a.0, first_b = b.0, last_b = b.1,
            );
            let transcript = Transcript::parse(&vtt).unwrap();
            let notes = ExtractiveSummarizer::default().summarize_now(&SummaryRequest::for_meeting(&m, &transcript));
            let group = certain(attribute_candidates(&m, [&cand_a, &cand_b], &notes));
            let own = group.notes_for(&notes, &cand_a).unwrap();
            for note in [
                render_lever_note(&NoteInput::for_candidate(&m, &own), &NoteLimits::lever()).unwrap().text,
                render_greenhouse_note(&NoteInput::for_candidate(&m, &own), &NoteLimits::greenhouse()).unwrap().text,
            ] {
                let shown = words_of(&note);
                for w in words_b {
                    prop_assert!(!shown.contains(&w), "{} in {}", w, note);
                }
                prop_assert!(!note.to_lowercase().contains(&mail_b), "{}", note);
                prop_assert!(!note.contains(&secret), "{}", note);
                prop_assert!(note.contains(&format!("Candidate: {name_a} ")), "{}", note);
                prop_assert!(note.contains("I led a data team"), "{}", note);
            }
        }
    }
}
