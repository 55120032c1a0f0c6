//! The content policy on summarizer output: adversarial phrasings are
//! removed, harmless sentences kept, removals recorded without their text,
//! and the note footer says only what is true.

use aspect_interview_core::{
    Citation, CitedPoint, ContentPolicy, ExtractiveSummarizer, Guardrails, InterviewNotes,
    InterviewSummary, Meeting, NoteField, NoteInput, NoteLimits, PolicyCategory, PolicySummarizer,
    QaPair, Summarizer, SummaryRequest, TimeOffset, Transcript, UtteranceId, render_lever_note,
};
use chrono::Utc;

use PolicyCategory::{CultureFit, HiringRecommendation, ProtectedCharacteristic, RatingOrScore};

fn guardrails(recommendation: bool, traits: bool) -> Guardrails {
    let mut g = Guardrails::default();
    g.allow_recommendation = recommendation;
    g.allow_trait_inference = traits;
    g
}

fn check(text: &str) -> Option<PolicyCategory> {
    ContentPolicy::default().violation(text)
}

#[test]
fn hiring_recommendations_are_caught_however_phrased() {
    for text in [
        "STRONG HIRE!!!",
        "Strong-Hire.",
        "ＳＴＲＯＮＧ ＨＩＲＥ",
        "strong hi\u{200B}re",
        "Recommendation: no-hire.",
        "No hire.",
        "I'd recommend hiring her.",
        "We should definitely hire Jordan.",
        "I would recommend advancing him to the onsite.",
        "Recommend moving forward with the candidate.",
        "She'd be a great hire.",
        "Verdict: hire",
        "Thumbs up from me.",
        "Let's extend an offer.",
        "We should not hire him.",
        "Do not advance to the next round.",
        "He is not ready for a senior role.",
        "She would be a great addition to the team.",
        "Top candidate so far.",
    ] {
        assert_eq!(check(text), Some(HiringRecommendation), "{text}");
    }
}

/// Verdicts in the other languages the summarizers write.
#[test]
fn verdicts_in_other_languages_are_caught() {
    for text in [
        "Je recommande de l'embaucher.",
        "On devrait l'embaucher.",
        "Avis favorable pour la suite.",
        "Faisons-lui une offre.",
        "Ich empfehle, ihn einzustellen.",
        "Wir sollten sie einstellen.",
        "Klare Zusage von mir.",
        "Recomiendo contratarla.",
        "Deberíamos contratarlo.",
        "Hagamos una oferta.",
        "Recomendo contratá-la.",
        "Não contratar.",
        "ぜひ採用したいです。",
        "次の面接に進めてください。",
        "建议录用该候选人。",
        "他通过面试了。",
    ] {
        assert_eq!(check(text), Some(HiringRecommendation), "{text}");
    }
    for text in [
        "Je lui donne 8 sur 10.",
        "Bewertung: 4 von 5.",
        "Nota 9 de 10.",
    ] {
        assert_eq!(check(text), Some(RatingOrScore), "{text}");
    }
    for text in [
        "Nous avons migré vers Kafka.",
        "Wir haben die Einstellung der Datenbank geändert.",
        "Usamos Postgres para las lecturas.",
        "O contrato com o fornecedor acabou.",
        "我们使用了新的方案。",
        "Kafkaを導入しました。",
        "We propose a candidate generation step.",
        "Took note of 2 issues.",
        "The contractor renewed the contract.",
    ] {
        assert_eq!(check(text), None, "{text}");
    }
}

/// Which languages each category's built-in lists cover, so a note in
/// another one is not vouched for.
#[test]
fn categories_know_the_languages_they_cover() {
    assert!(HiringRecommendation.covers_language("fr"));
    assert!(HiringRecommendation.covers_language("pt-BR"));
    assert!(HiringRecommendation.covers_language("zh-Hant"));
    assert!(RatingOrScore.covers_language("de"));
    assert!(!RatingOrScore.covers_language("ja"));
    assert!(ProtectedCharacteristic.covers_language("en"));
    assert!(!ProtectedCharacteristic.covers_language("fr"));
    assert!(!CultureFit.covers_language("es"));
    assert!(PolicyCategory::Custom("salary".into()).covers_language("fr"));
}

/// Verdicts without the word "hire", votes, and one-word verdicts.
#[test]
fn verdicts_votes_and_one_word_decisions_are_caught() {
    for text in [
        "Hire.",
        "Reject.",
        "Do not hire.",
        "Strongly recommended.",
        "Highly recommended.",
        "I highly recommend.",
        "Would not recommend.",
        "Not recommended.",
        "I'm a yes.",
        "A no from me.",
        "He is a no-go.",
        "She is a strong yes for the role.",
        "I vote yes on this candidate.",
        "She gets my vote.",
        "I'd say yes to her.",
        "Green light from me.",
        "She's a keeper.",
        "Definitely a yes.",
        "I'd advocate for bringing her on board.",
        "Definitely worth bringing on.",
        "I'd bring him on.",
        "I recommend we don't proceed.",
        "I'd recommend against an offer.",
        "He should be rejected.",
        "Candidate should be hired.",
        "She should get the job.",
        "He should not get the job.",
        "We should offer her the job.",
        "He deserves an offer.",
        "Offer recommended.",
        "Ready to hire.",
        "Approve for the next round.",
        "We should pass on this one.",
        "Hard pass.",
        "The candidate passed the interview.",
        "She aced the system design round.",
        "Below the hiring bar.",
        "Not a good match for the role.",
        "A great match for the position.",
    ] {
        assert_eq!(check(text), Some(HiringRecommendation), "{text}");
    }
}

#[test]
fn ratings_are_caught_however_written() {
    for text in [
        "Rating 9/10.",
        "Overall: 4 out of 5.",
        "nine out of ten",
        "8.5 / 10 on system design",
        "★★★★☆",
        "I'd rate her highly.",
        "Scored 87 on the exercise.",
        "Final score: strong.",
        "Gave him four stars.",
        "Grade: A.",
        "B+ overall.",
        "Top 5% of candidates I've seen.",
        "She clearly outperformed every other candidate.",
        "Stronger than most applicants this quarter.",
        "The best engineer I've interviewed this year.",
    ] {
        assert_eq!(check(text), Some(RatingOrScore), "{text}");
    }
}

#[test]
fn protected_characteristics_are_caught() {
    for text in [
        "She seems young and energetic.",
        "Probably has childcare constraints.",
        "He is in his forties.",
        "Mentioned she is pregnant.",
        "A devout Christian.",
        "Speaks with a heavy accent.",
        "Recently married.",
        "Uses a wheelchair.",
        "Born in Nigeria.",
        "Has two kids at home.",
        "Her husband works nights.",
        "He is gay.",
        "Took medical leave last year.",
        "Cited health issues as the reason for the gap.",
        "Her race should not matter.",
        "Of Hispanic origin.",
        "An older candidate.",
        "A 55-year-old engineer.",
        "Wears a hijab.",
        "Has ADHD.",
        "Is a single mother.",
        "Non-native speaker.",
        "Female engineer.",
        "She is expecting.",
        "She is going through IVF.",
        "A digital native.",
        "English is not her first language.",
        "She is Indian.",
        "He's German.",
        "He is from Nigeria.",
        "Originally from Brazil.",
        "He's hard of hearing.",
        "He walks with a cane.",
        "He is retired.",
        "He's close to retirement.",
        "She has grandchildren.",
        "She's a grandmother.",
        "She wears a headscarf.",
        "She is single.",
        "She's 45.",
        "He looks about 60.",
        "She is Black.",
        "He's an old-timer.",
        // Questions no interviewer may ask, asked anyway.
        "How old are you?",
        "Where are you from originally?",
    ] {
        assert_eq!(check(text), Some(ProtectedCharacteristic), "{text}");
    }
}

#[test]
fn culture_fit_judgements_are_caught() {
    for text in [
        "A great culture fit.",
        "Would fit in well with the team.",
        "Not a fit for us.",
        "Cultural fit is questionable.",
        "Good vibes overall.",
        "Not sure she'd mesh with the team.",
        "He'd gel well with the team.",
        "Personality clash with the team.",
    ] {
        assert_eq!(check(text), Some(CultureFit), "{text}");
    }
}

#[test]
fn harmless_sentences_are_kept() {
    for text in [
        "She has ten years of experience.",
        "The team is in Berlin.",
        "We discussed the hiring process.",
        "Jordan led the migration to read replicas.",
        "He fixed a race condition in the cache.",
        "A worker pulls candidate trucks from a geospatial index, scores them with the cost model and writes the top three back.",
        "The child process is restarted by the supervisor.",
        "Health checks run every ten seconds.",
        "She added a foreign key to the orders table.",
        "The old system was replaced last year.",
        "The service is on call 24/7.",
        "Traffic split 50/50 between regions.",
        "Reduced p99 read latency from 800 ms to 120 ms.",
        "She'll share the cost numbers.",
        "I'll check the exact numbers and get back to you.",
        "Our recruiter will follow up about next steps this week.",
        "The parent class handles retries.",
        "He uses the black box exporter for probes.",
        "They use a mental model of back-pressure.",
        "She is familiar with Kafka.",
        "Asked about the rating service she built.",
        "Wrote a design document comparing both options.",
        "The error rate dropped from 5% to 1%.",
        "He recommended using Postgres instead of Mongo.",
        "She would move forward with the migration plan.",
        "The company is hiring aggressively.",
        "Our parent company is in Japan.",
        "I worked at a healthcare startup building claims software.",
        "The pipeline has three stages.",
        "It scored well on our internal benchmarks.",
        "A family of instance types.",
        "It was a young codebase.",
        "I'm based in Lisbon.",
        "I speak English and Spanish.",
        // Words the verdict patterns share with engineering talk and with
        // work history.
        "The test passed on the second run.",
        "The API rejects malformed payloads.",
        "The request should be rejected with a 400.",
        "The library offers a streaming API.",
        "Raft nodes vote for a leader.",
        "The team voted no on the rewrite.",
        "It's production-grade, a joy to use.",
        "The top 3 issues people hit are timeouts.",
        "Our p99 is better than the SLO.",
        "Redis outperformed the others in our benchmarks.",
        "It was the best tool I've seen for tracing.",
        "I'd strongly recommend idempotency keys for retries.",
        "TLS is highly recommended.",
        "Using eval is not recommended.",
        "We passed on the first vendor.",
        "They advanced the cursor to the next page.",
        "She was hired at Stripe in 2019.",
        "He landed a job at Google in 2018.",
        "They have a no-deploy Friday rule.",
        "She is a no-nonsense manager.",
        "He was a no-show at the first meeting.",
        "We should get the job queue drained first.",
        "I had to bring the team on board with the migration.",
        "They gave us the green light to ship.",
        "A good overall design.",
        "Cleared the cache before the next round of tests.",
        "Zookeeper keeps the config.",
        "She outperformed the baseline by 20%.",
        "The service meets the latency bar.",
        "Rated A by the security audit.",
        "Advanced.",
        "Yes.",
        "No.",
        "I'm a maintainer of the library.",
        "She deserves credit for the design.",
        "Ready to deploy.",
        // ... and the words the protected and culture-fit patterns share.
        "The AST walker visits each node.",
        "English was the first language we localized.",
        "Traffic from India peaks at night.",
        "He is from the payments team.",
        "The grandchild nodes are pruned.",
        "We retired the old service last year.",
        "They retired the v1 API.",
        "The service is 99.9% available.",
        "She speaks German and French.",
        "She is white-labeling the SDK.",
        "He is single-handedly responsible for the migration.",
        "She is expecting a response from the vendor.",
        "He is 10x faster at debugging.",
        "The team meshes well with ops.",
        "How old is the codebase?",
        "Where did you get the data from?",
    ] {
        assert_eq!(check(text), None, "{text}");
    }
}

fn cite(id: u32) -> Citation {
    Citation {
        utterance: UtteranceId(id),
        start: TimeOffset::from_millis(i64::from(id) * 1000),
        speaker: Some("Jordan".into()),
    }
}

fn point(text: &str) -> CitedPoint {
    CitedPoint {
        text: text.into(),
        citations: vec![cite(2)],
    }
}

fn pair(question: &str, answer: &str) -> QaPair {
    QaPair {
        question: question.into(),
        asked_by: Some("Priya".into()),
        asked_at: TimeOffset::from_millis(1000),
        question_citation: cite(1),
        answer_summary: answer.into(),
        answered_by: Some("Jordan".into()),
        answer_citations: vec![cite(2)],
    }
}

/// The answer the issue reports was posted as is.
fn adversarial_notes() -> InterviewNotes {
    InterviewNotes {
        summary: InterviewSummary {
            overview: "STRONG HIRE. Jordan walked through the tracking database migration. \
                       Rating 9/10! She seems young and energetic, a great culture fit. \
                       The team is in Berlin."
                .into(),
            key_points: vec![
                point("Led the migration to read replicas."),
                point("Recommend advancing to the onsite."),
            ],
            strengths: vec![point("Wrote a design document comparing both options.")],
            concerns: vec![
                point("Probably has childcare constraints."),
                point("Has not used Rust in production."),
            ],
            follow_ups: vec![point("Will share infrastructure cost numbers.")],
        },
        qa: vec![
            pair(
                "How did you scale the database?",
                "Partitions plus replicas.",
            ),
            pair("Do you have kids?", "Yes, two."),
            pair("Why this role?", "Growth; she is a strong hire."),
        ],
        generator: "test".into(),
        policy: None,
        role_source: None,
        language: None,
    }
}

#[test]
fn apply_drops_sentences_and_items_and_records_categories_only() {
    let mut notes = adversarial_notes();
    let report = ContentPolicy::default().apply(&mut notes);

    assert_eq!(
        notes.summary.overview,
        "Jordan walked through the tracking database migration. The team is in Berlin."
    );
    assert_eq!(
        notes.summary.key_points,
        [point("Led the migration to read replicas.")]
    );
    assert_eq!(notes.summary.strengths.len(), 1);
    assert_eq!(
        notes.summary.concerns,
        [point("Has not used Rust in production.")]
    );
    assert_eq!(notes.summary.follow_ups.len(), 1);
    assert_eq!(notes.qa.len(), 1);
    assert_eq!(notes.qa[0].question, "How did you scale the database?");

    assert_eq!(report.removed_count(&HiringRecommendation), 3);
    assert_eq!(report.removed_count(&RatingOrScore), 1);
    assert_eq!(report.removed_count(&ProtectedCharacteristic), 3);
    let overview_removals: usize = report
        .removed
        .iter()
        .filter(|r| r.field == NoteField::Overview)
        .map(|r| r.count)
        .sum();
    // Three sentences: one recommendation, one rating, one both about
    // age and culture fit.
    assert_eq!(overview_removals, 4);
    assert_eq!(report.removed_count(&CultureFit), 1);
    assert_eq!(notes.policy.as_ref(), Some(&report));

    // The removed statements are not kept anywhere in the note data.
    let json = serde_json::to_string(&notes).unwrap();
    for gone in [
        "STRONG HIRE",
        "9/10",
        "young",
        "childcare",
        "kids",
        "culture fit",
    ] {
        assert!(!json.contains(gone), "{gone} in {json}");
    }
    assert!(
        json.contains(r#""category":"hiring_recommendation""#),
        "{json}"
    );
}

#[test]
fn applying_twice_merges_reports_and_removes_nothing_more() {
    let mut notes = adversarial_notes();
    let first = ContentPolicy::default().apply(&mut notes);
    let second = ContentPolicy::default().apply(&mut notes);
    assert!(second.is_clean());
    assert_eq!(notes.policy.as_ref(), Some(&first));
}

#[test]
fn tenants_tighten_with_terms_and_patterns() {
    let policy = ContentPolicy::default()
        .with_term(
            PolicyCategory::Custom("compensation".into()),
            "current salary",
        )
        .unwrap()
        .with_pattern(
            PolicyCategory::Custom("commute".into()),
            "live* ~3 far|away",
        )
        .unwrap()
        .with_term(ProtectedCharacteristic, "veteran")
        .unwrap();
    assert_eq!(
        policy.violation("Her CURRENT-salary is 90k."),
        Some(PolicyCategory::Custom("compensation".into()))
    );
    assert_eq!(
        policy.violation("He lives quite far away."),
        Some(PolicyCategory::Custom("commute".into()))
    );
    assert_eq!(
        policy.violation("A veteran."),
        Some(ProtectedCharacteristic)
    );
    assert_eq!(ContentPolicy::default().violation("A veteran."), None);
    assert!(
        policy
            .categories()
            .contains(&PolicyCategory::Custom("commute".into()))
    );
    assert!(
        ContentPolicy::default()
            .with_term(CultureFit, " ,. ")
            .is_err()
    );
    assert!(
        ContentPolicy::default()
            .with_pattern(CultureFit, "a ~")
            .is_err()
    );
}

#[test]
fn guardrails_relax_recommendations_but_never_protected_characteristics() {
    let open = guardrails(true, true);
    let relaxed = ContentPolicy::for_guardrails(open);
    assert_eq!(relaxed.violation("Strong hire, 9/10."), None);
    assert_eq!(relaxed.violation("Great culture fit."), None);
    assert_eq!(
        relaxed.violation("Probably has childcare constraints."),
        Some(ProtectedCharacteristic)
    );
    assert_eq!(relaxed.categories(), [ProtectedCharacteristic]);
}

fn meeting() -> Meeting {
    Meeting::new("evt-9", "Phone screen", Utc::now())
}

fn footer_of(notes: &InterviewNotes) -> String {
    let m = meeting();
    let note = render_lever_note(&NoteInput::new(&m, notes), &NoteLimits::lever()).unwrap();
    note.text
}

#[test]
fn footer_says_what_was_removed_and_never_claims_more() {
    let mut notes = adversarial_notes();
    let unchecked = footer_of(&notes);
    assert!(
        unchecked.contains("Not checked by the content policy."),
        "{unchecked}"
    );
    assert!(
        !unchecked.contains("no hiring recommendation"),
        "{unchecked}"
    );

    ContentPolicy::default().apply(&mut notes);
    let text = footer_of(&notes);
    assert!(
        text.contains(
            "Removed by the content policy: hiring recommendation (3), rating or score (1), \
             statement about a protected characteristic (3), culture-fit judgement (1)."
        ),
        "{text}"
    );
    assert!(!text.contains("none found"), "{text}");
    assert!(!text.contains("no hiring recommendation"), "{text}");

    // With recommendations allowed, the footer does not claim they were checked.
    let mut clean = adversarial_notes();
    clean.summary.overview = "Covered the database migration.".into();
    clean.summary.key_points.truncate(1);
    clean.summary.concerns.truncate(0);
    clean.qa.truncate(1);
    let open = guardrails(true, false);
    ContentPolicy::for_guardrails(open).apply(&mut clean);
    let text = footer_of(&clean);
    assert!(
        text.contains(
            "Checked by the content policy, none found: statement about a protected \
             characteristic, culture-fit judgement."
        ),
        "{text}"
    );
    assert!(!text.contains("hiring recommendation"), "{text}");
}

const CANDIDATE_OVERSHARES: &str = "WEBVTT\n\n\
    00:01.000 --> 00:04.000\n<v Priya>What would make this role hard for you?\n\n\
    00:04.500 --> 00:09.000\n<v Jordan>Honestly my biggest concern is childcare, since my kids are small. \
    I am also worried about the on-call load.\n";

#[tokio::test]
async fn extractive_output_is_checked_too() {
    let transcript = Transcript::parse(CANDIDATE_OVERSHARES).unwrap();
    let notes = ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap();
    let report = notes.policy.as_ref().expect("policy applied");
    assert!(
        report.removed_count(&ProtectedCharacteristic) > 0,
        "{report:?}"
    );
    let json = serde_json::to_string(&notes).unwrap();
    assert!(
        !json.contains("childcare") && !json.contains("kids"),
        "{json}"
    );
}

#[tokio::test]
async fn a_wrapped_summarizer_gets_the_tenant_policy() {
    let transcript = Transcript::parse(
        "WEBVTT\n\n00:01.000 --> 00:04.000\n<v Priya>What is your notice period?\n\n\
         00:04.500 --> 00:09.000\n<v Jordan>My notice period is three months, and my current salary is fixed.\n",
    )
    .unwrap();
    let tenant = ContentPolicy::default()
        .with_term(
            PolicyCategory::Custom("compensation".into()),
            "current salary",
        )
        .unwrap();
    // As the engine holds it: behind `Arc<dyn Summarizer>`.
    let inner: std::sync::Arc<dyn Summarizer> =
        std::sync::Arc::new(ExtractiveSummarizer::default());
    let wrapped = PolicySummarizer::new(inner, tenant);
    assert_eq!(wrapped.name(), "extractive");
    assert!(format!("{wrapped:?}").contains("extractive"));
    let notes = wrapped
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap();
    assert!(notes.qa.is_empty(), "{:?}", notes.qa);
    let report = notes.policy.clone().unwrap();
    assert!(report.removed_count(&PolicyCategory::Custom("compensation".into())) >= 1);
    assert!(
        !serde_json::to_string(&notes.summary)
            .unwrap()
            .contains("salary")
    );
    assert!(report.checked.contains(&ProtectedCharacteristic));
}
