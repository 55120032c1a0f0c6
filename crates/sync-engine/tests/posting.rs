//! Planning notes from a processed meeting, against a connector that answers
//! e-mail lookups from a fixed list: targets, policies, ambiguity, preview.

use std::sync::{Arc, Mutex};

use aspect_interview_core::{
    ExtractiveSummarizer, InterviewNotes, Meeting, Participant, ParticipantRole, Summarizer,
    SummaryRequest, Transcript,
};
use aspect_sync_engine::index::{
    CandidateKey, CandidateStatus, IndexedApplication, IndexedCandidate, ScheduledInterview,
};
use aspect_sync_engine::ingest::IndexUpdate;
use aspect_sync_engine::notetaker::interview_meeting;
use aspect_sync_engine::outbox::NoteTarget;
use aspect_sync_engine::posting::NoteDisposition;
use aspect_sync_engine::store::{MemoryStore, Store};
use aspect_sync_engine::{
    ArchivedPolicy, Ats, AtsConnector, ConnectorError, Engine, RecordingNoteTaker, Tenant,
    TenantId, TenantSettings,
};
use async_trait::async_trait;
use chrono::{Duration, Utc};

/// An ATS that knows some candidates only through its e-mail lookup.
struct LookupOnly {
    ats: Ats,
    known: Vec<IndexedCandidate>,
    lookups: Mutex<Vec<String>>,
    lookup: Lookup,
}

/// How the ATS's e-mail lookup behaves.
#[derive(Default)]
enum Lookup {
    /// Returns the known candidates that carry the address.
    #[default]
    Exact,
    /// Returns every known candidate, whatever the address (a filter that
    /// matches loosely).
    Loose,
    /// Fails: the credentials were revoked.
    Revoked,
}

impl LookupOnly {
    fn new(ats: Ats, known: Vec<IndexedCandidate>, lookup: Lookup) -> Arc<Self> {
        Arc::new(Self {
            ats,
            known,
            lookups: Mutex::new(vec![]),
            lookup,
        })
    }
}

#[async_trait]
impl AtsConnector for LookupOnly {
    fn ats(&self) -> Ats {
        self.ats
    }
    async fn find_candidates_by_email(
        &self,
        _: &TenantId,
        email: &str,
    ) -> Result<Vec<IndexedCandidate>, ConnectorError> {
        self.lookups.lock().unwrap().push(email.to_owned());
        let carries =
            |c: &&IndexedCandidate| c.emails.iter().any(|e| e.eq_ignore_ascii_case(email));
        match self.lookup {
            Lookup::Exact => Ok(self.known.iter().filter(carries).cloned().collect()),
            Lookup::Loose => Ok(self.known.clone()),
            Lookup::Revoked => Err(ConnectorError::new(
                self.ats,
                aspect_sync_engine::FailureKind::Revoked,
                "access revoked",
            )),
        }
    }
    async fn note_texts(&self, _: &NoteTarget) -> Result<Vec<String>, ConnectorError> {
        Ok(vec![])
    }
    async fn post_note(&self, _: &NoteTarget, _: &str) -> Result<Option<String>, ConnectorError> {
        Ok(None)
    }
}

fn acme() -> TenantId {
    TenantId::new("acme").unwrap()
}

fn app(id: &str, archived: bool, minutes_ago: i64) -> IndexedApplication {
    IndexedApplication {
        id: id.into(),
        job_id: None,
        archived,
        updated_at: Utc::now() - Duration::minutes(minutes_ago),
    }
}

fn candidate(ats: Ats, id: &str, email: &str, apps: Vec<IndexedApplication>) -> IndexedCandidate {
    let status = if !apps.is_empty() && apps.iter().all(|a| a.archived) {
        CandidateStatus::Archived
    } else {
        CandidateStatus::Active
    };
    IndexedCandidate {
        key: CandidateKey {
            tenant: acme(),
            ats,
            candidate_id: id.into(),
        },
        name: None,
        emails: vec![email.into()],
        status,
        applications: apps,
        updated_at: Utc::now(),
    }
}

/// An active Lever candidate with one recent opportunity.
fn active(id: &str, email: &str, opportunity: &str) -> IndexedCandidate {
    candidate(Ats::Lever, id, email, vec![app(opportunity, false, 1)])
}

async fn notes() -> InterviewNotes {
    let transcript = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:04.000\n<v Priya>What do you work on?\n\n\
         00:04.000 --> 00:09.000\n<v Jordan>Shipment tracking, mostly the ingestion pipeline.\n",
    )
    .unwrap();
    ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap()
}

fn meeting(id: &str, emails: &[&str]) -> Meeting {
    let mut m = Meeting::new(id, "Technical interview", Utc::now()).with_participant(
        Participant::new("priya@acme.example", ParticipantRole::Interviewer),
    );
    for e in emails {
        m = m.with_participant(Participant::new(*e, ParticipantRole::Unknown));
    }
    m
}

fn engine(
    policy: ArchivedPolicy,
    lever_known: Vec<IndexedCandidate>,
) -> (Engine, Arc<MemoryStore>, Arc<LookupOnly>) {
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let lever = LookupOnly::new(Ats::Lever, lever_known, Lookup::Exact);
    let settings = TenantSettings::new()
        .archived_policy(policy)
        .own_domains(["acme.example"]);
    engine
        .add_tenant(Tenant::new(acme(), settings).with_connector(lever.clone()))
        .unwrap();
    (engine, store, lever)
}

#[tokio::test]
async fn lever_notes_go_on_the_interviews_opportunity_else_the_newest_active() {
    let ada = candidate(
        Ats::Lever,
        "c-ada",
        "ada@example.com",
        vec![
            app("old", false, 60),
            app("new", false, 1),
            app("arch", true, 0),
        ],
    );
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![ada.clone()]);
    engine
        .apply_updates(vec![IndexUpdate::Candidate(ada)])
        .await
        .unwrap();
    let notes = notes().await;

    let plan = engine
        .preview_notes(&acme(), &meeting("m1", &["ada@example.com"]), &notes)
        .await
        .unwrap();
    assert_eq!(plan.notes[0].target.application_id.as_deref(), Some("new"));

    // A meeting registered from a Lever interview on the old opportunity.
    let interview = ScheduledInterview {
        tenant: acme(),
        ats: Ats::Lever,
        interview_id: "iv-1".into(),
        candidate_id: Some("c-ada".into()),
        application_id: Some("old".into()),
        title: "Onsite".into(),
        start: Utc::now(),
        end: None,
        conferencing_url: None,
        interviewer_emails: vec!["priya@acme.example".into()],
        updated_at: Utc::now(),
    };
    engine
        .apply_updates(vec![IndexUpdate::Interview(interview.clone())])
        .await
        .unwrap();
    let m = interview_meeting(&interview).with_participant(Participant::new(
        "ada@example.com",
        ParticipantRole::Unknown,
    ));
    let plan = engine.preview_notes(&acme(), &m, &notes).await.unwrap();
    assert_eq!(plan.notes[0].target.application_id.as_deref(), Some("old"));
}

#[tokio::test]
async fn archived_candidates_follow_the_tenant_policy() {
    let gone = candidate(
        Ats::Lever,
        "c-gone",
        "gone@example.com",
        vec![app("o1", true, 5)],
    );
    let notes = notes().await;
    for (policy, expected) in [
        (ArchivedPolicy::Post, NoteDisposition::Queued),
        (ArchivedPolicy::Skip, NoteDisposition::SkippedArchived),
    ] {
        let (engine, store, _) = engine(policy, vec![gone.clone()]);
        engine
            .apply_updates(vec![IndexUpdate::Candidate(gone.clone())])
            .await
            .unwrap();
        let plan = engine
            .enqueue_notes(&acme(), &meeting("m1", &["gone@example.com"]), &notes)
            .await
            .unwrap();
        assert_eq!(plan.notes[0].disposition, expected);
        assert_eq!(
            store.outbox(&acme()).await.unwrap().len(),
            usize::from(expected == NoteDisposition::Queued)
        );
    }
}

#[tokio::test]
async fn unknown_addresses_are_looked_up_once_and_indexed() {
    let grace = candidate(
        Ats::Lever,
        "c-grace",
        "grace@example.org",
        vec![app("o9", false, 3)],
    );
    let (engine, store, lever) = engine(ArchivedPolicy::Post, vec![grace]);
    let notes = notes().await;
    let m = meeting("m1", &["Grace@Example.org", "colleague@acme.example"]);

    let preview = engine.preview_notes(&acme(), &m, &notes).await.unwrap();
    assert_eq!(preview.notes.len(), 1);
    assert_eq!(
        store.candidate_count(&acme()).await.unwrap(),
        0,
        "a preview writes nothing"
    );

    engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    assert_eq!(
        store.candidate_count(&acme()).await.unwrap(),
        1,
        "the lookup result was indexed"
    );
    engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    let lookups = lever.lookups.lock().unwrap().clone();
    assert_eq!(
        lookups,
        vec!["grace@example.org"; 3],
        "internal addresses are never looked up; every plan confirms the candidate's address with the ATS"
    );
}

#[tokio::test]
async fn a_shared_address_is_reported_not_guessed() {
    let a = active("c-1", "shared@example.com", "o1");
    let b = active("c-2", "shared@example.com", "o2");
    let (engine, store, _) = engine(ArchivedPolicy::Post, vec![a.clone(), b.clone()]);
    engine
        .apply_updates(vec![IndexUpdate::Candidate(a), IndexUpdate::Candidate(b)])
        .await
        .unwrap();
    let plan = engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", &["shared@example.com"]),
            &notes().await,
        )
        .await
        .unwrap();
    assert!(plan.notes.is_empty());
    assert_eq!(plan.ambiguous.len(), 1);
    assert_eq!(plan.ambiguous[0].candidate_ids.len(), 2);
    assert!(plan.unmatched.is_empty());
    assert!(store.outbox(&acme()).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_lever_candidate_without_an_opportunity_is_skipped() {
    let lonely = candidate(Ats::Lever, "c-0", "lonely@example.com", vec![]);
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![lonely.clone()]);
    engine
        .apply_updates(vec![IndexUpdate::Candidate(lonely)])
        .await
        .unwrap();
    let plan = engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", &["lonely@example.com"]),
            &notes().await,
        )
        .await
        .unwrap();
    assert_eq!(
        plan.notes[0].disposition,
        NoteDisposition::SkippedNoApplication
    );
}

#[tokio::test]
async fn one_index_hit_is_confirmed_and_an_address_two_candidates_share_is_ambiguous() {
    // The index knows one candidate with the address; the ATS has two.
    let first = active("c-1", "pat@example.com", "o1");
    let second = active("c-2", "pat@example.com", "o2");
    let (engine, store, lever) = engine(ArchivedPolicy::Post, vec![first.clone(), second]);
    engine
        .apply_updates(vec![IndexUpdate::Candidate(first)])
        .await
        .unwrap();
    let plan = engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", &["pat@example.com"]),
            &notes().await,
        )
        .await
        .unwrap();
    assert!(plan.notes.is_empty(), "{plan:?}");
    assert_eq!(plan.ambiguous.len(), 1);
    assert_eq!(plan.ambiguous[0].candidate_ids, ["c-1", "c-2"]);
    assert!(store.outbox(&acme()).await.unwrap().is_empty());
    assert_eq!(lever.lookups.lock().unwrap().len(), 1);
}

#[tokio::test]
async fn a_stale_index_hit_the_ats_no_longer_confirms_gets_no_note() {
    // The index still has the old owner of the address; the ATS says the
    // address now belongs to someone else.
    let old_owner = active("c-old", "sam@example.com", "o1");
    let new_owner = active("c-new", "sam@example.com", "o2");
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![new_owner]);
    engine
        .apply_updates(vec![IndexUpdate::Candidate(old_owner)])
        .await
        .unwrap();
    let plan = engine
        .preview_notes(
            &acme(),
            &meeting("m1", &["sam@example.com"]),
            &notes().await,
        )
        .await
        .unwrap();
    let targets: Vec<_> = plan
        .notes
        .iter()
        .map(|n| n.key.candidate_id.as_str())
        .collect();
    assert_eq!(targets, ["c-new"]);
}

#[tokio::test]
async fn a_lookup_never_erases_status_or_applications() {
    let archived = candidate(
        Ats::Lever,
        "c-arch",
        "arch@example.com",
        vec![app("o1", true, 5)],
    );
    // The ATS lookup answers with a bare record: active, no applications.
    let mut bare = archived.clone();
    bare.applications.clear();
    bare.status = CandidateStatus::Active;
    let (engine, store, _) = engine(ArchivedPolicy::Skip, vec![bare]);
    engine
        .apply_updates(vec![IndexUpdate::Candidate(archived)])
        .await
        .unwrap();
    let plan = engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", &["arch@example.com"]),
            &notes().await,
        )
        .await
        .unwrap();
    assert_eq!(plan.notes[0].disposition, NoteDisposition::SkippedArchived);
    let kept = store
        .candidate(&plan.notes[0].key.clone().into_candidate_key())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.status, CandidateStatus::Archived);
    assert_eq!(kept.applications.len(), 1);
}

#[tokio::test]
async fn a_lookup_result_without_the_address_is_ignored() {
    // An ATS filter that matched loosely (e.g. a substring).
    let other = active("c-x", "someone.else@example.com", "o1");
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let loose = LookupOnly::new(Ats::Lever, vec![other], Lookup::Loose);
    engine
        .add_tenant(Tenant::new(acme(), TenantSettings::default()).with_connector(loose))
        .unwrap();
    let plan = engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", &["else@example.com"]),
            &notes().await,
        )
        .await
        .unwrap();
    assert!(plan.notes.is_empty());
    assert_eq!(plan.unmatched, ["else@example.com"]);
}

#[tokio::test]
async fn a_meeting_from_an_ats_interview_posts_only_to_its_candidate() {
    let ada = active("c-ada", "ada@example.com", "o-ada");
    let bob = active("c-bob", "bob@example.com", "o-bob");
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![ada.clone(), bob.clone()]);
    let interview = ScheduledInterview {
        tenant: acme(),
        ats: Ats::Lever,
        interview_id: "iv-ada".into(),
        candidate_id: Some("c-ada".into()),
        application_id: Some("o-ada".into()),
        title: "Onsite".into(),
        start: Utc::now(),
        end: None,
        conferencing_url: None,
        interviewer_emails: vec!["priya@acme.example".into()],
        updated_at: Utc::now(),
    };
    engine
        .apply_updates(vec![
            IndexUpdate::Candidate(ada),
            IndexUpdate::Candidate(bob),
            IndexUpdate::Interview(interview.clone()),
        ])
        .await
        .unwrap();
    // Bob (another candidate) joined Ada's interview, e.g. by mistake, and spoke.
    let m = interview_meeting(&interview)
        .with_participant(
            Participant::new("bob@example.com", ParticipantRole::Unknown).with_name("Bob Stone"),
        )
        .with_participant(
            Participant::new("ada@example.com", ParticipantRole::Unknown).with_name("Ada Byron"),
        );
    let transcript = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:04.000\n<v Priya>What do you work on?\n\n\
         00:04.000 --> 00:09.000\n<v Ada Byron>Shipment tracking, mostly the ingestion pipeline.\n\n\
         00:09.000 --> 00:12.000\n<v Bob Stone>Sorry, wrong meeting, I build compilers.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&transcript))
        .await
        .unwrap();
    let plan = engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    let targets: Vec<_> = plan
        .notes
        .iter()
        .map(|n| n.key.candidate_id.as_str())
        .collect();
    assert_eq!(targets, ["c-ada"], "{plan:?}");
    assert_eq!(plan.other_candidates.len(), 1);
    assert_eq!(plan.other_candidates[0].candidate_id, "c-bob");
    // Ada's note holds nothing Bob said.
    assert!(plan.notes[0].body.contains("ingestion"));
    assert!(
        !plan.notes[0].body.contains("compilers"),
        "{}",
        plan.notes[0].body
    );

    // Without speaker labels the two cannot be told apart: reported, not posted.
    let unlabelled = Transcript::parse(
        "WEBVTT\n\n00:00.000 --> 00:04.000\nWhat do you work on?\n\n\
         00:04.000 --> 00:09.000\nShipment tracking, mostly the ingestion pipeline.\n",
    )
    .unwrap();
    let notes = ExtractiveSummarizer::default()
        .summarize(&SummaryRequest::new(&unlabelled))
        .await
        .unwrap();
    let plan = engine.preview_notes(&acme(), &m, &notes).await.unwrap();
    assert!(plan.notes.is_empty(), "{plan:?}");
    assert!(plan.needs_review.is_some());
}

#[tokio::test]
async fn one_ats_failing_does_not_keep_the_other_from_planning() {
    let store = Arc::new(MemoryStore::new());
    let engine = Engine::new(store.clone(), Arc::new(RecordingNoteTaker::new()));
    let greenhouse = LookupOnly::new(
        Ats::Greenhouse,
        vec![candidate(
            Ats::Greenhouse,
            "77",
            "ada@example.com",
            vec![app("a1", false, 1)],
        )],
        Lookup::Exact,
    );
    engine
        .add_tenant(
            Tenant::new(acme(), TenantSettings::default())
                .with_connector(LookupOnly::new(Ats::Lever, vec![], Lookup::Revoked))
                .with_connector(greenhouse),
        )
        .unwrap();
    let plan = engine
        .enqueue_notes(
            &acme(),
            &meeting("m1", &["ada@example.com"]),
            &notes().await,
        )
        .await
        .unwrap();
    assert_eq!(plan.notes.len(), 1);
    assert_eq!(plan.notes[0].key.ats, Ats::Greenhouse);
    assert_eq!(plan.failed.len(), 1);
    assert_eq!(plan.failed[0].ats, Ats::Lever);
    assert_eq!(store.outbox(&acme()).await.unwrap().len(), 1);
}

#[test]
fn own_domains_that_are_not_domains_are_refused() {
    let engine = Engine::new(
        Arc::new(MemoryStore::new()),
        Arc::new(RecordingNoteTaker::new()),
    );
    let settings = TenantSettings::new().own_domains(["hr@acme.example"]);
    let err = engine
        .add_tenant(Tenant::new(acme(), settings))
        .unwrap_err()
        .to_string();
    assert!(err.contains("hr@acme.example"), "{err}");
    for ok in ["@acme.example", "ACME.example", "*.acme.example"] {
        let settings = TenantSettings::new().own_domains([ok]);
        engine.add_tenant(Tenant::new(acme(), settings)).unwrap();
    }
}

/// Notes as a caller might hand them over: an LLM's answer taken as it
/// came, never checked by a content policy.
async fn unchecked_notes() -> InterviewNotes {
    let mut notes = notes().await;
    notes.policy = None;
    notes.summary.overview = "Strong hire. She seems young and energetic. \
        Jordan walked through the shipment tracking pipeline."
        .into();
    notes.summary.concerns = vec![aspect_interview_core::CitedPoint {
        text: "Probably has childcare constraints.".into(),
        citations: vec![],
    }];
    notes
}

/// Whatever summarizer made the notes, nothing outside the documented
/// policy lands in the ATS: unchecked notes get the default policy before
/// they are rendered, in the preview and in the queued note alike.
#[tokio::test]
async fn notes_no_policy_checked_are_checked_before_they_are_queued() {
    let ada = active("c-ada", "ada@example.com", "opp-1");
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![ada]);
    let m = meeting("m-policy", &["ada@example.com"]);
    let notes = unchecked_notes().await;
    let preview = engine.preview_notes(&acme(), &m, &notes).await.unwrap();
    let queued = engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    for plan in [preview, queued] {
        assert_eq!(plan.notes.len(), 1);
        let body = &plan.notes[0].body;
        for removed in ["Strong hire", "young", "childcare"] {
            assert!(!body.contains(removed), "{removed} posted: {body}");
        }
        assert!(body.contains("shipment tracking pipeline"), "{body}");
        assert!(body.contains("Removed by the content policy"), "{body}");
    }
}

/// A tenant may allow recommendations (its summarizer's policy was relaxed
/// on purpose), but statements about protected characteristics are removed
/// whatever policy checked the notes.
#[tokio::test]
async fn protected_characteristics_are_removed_whatever_policy_checked_the_notes() {
    let ada = active("c-ada", "ada@example.com", "opp-1");
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![ada]);
    let m = meeting("m-relaxed", &["ada@example.com"]);
    let mut notes = unchecked_notes().await;
    // Checked by a tenant's own policy of one custom category only.
    notes.policy = Some(aspect_interview_core::PolicyReport {
        checked: vec![aspect_interview_core::PolicyCategory::Custom(
            "salary".into(),
        )],
        removed: vec![],
    });
    let plan = engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    let body = &plan.notes[0].body;
    assert!(
        body.contains("Strong hire"),
        "the tenant allowed it: {body}"
    );
    assert!(!body.contains("young"), "{body}");
    assert!(!body.contains("childcare"), "{body}");
}
