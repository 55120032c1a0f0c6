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
        Ok(self
            .known
            .iter()
            .filter(|c| c.emails.iter().any(|e| e.eq_ignore_ascii_case(email)))
            .cloned()
            .collect())
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
    let lever = Arc::new(LookupOnly {
        ats: Ats::Lever,
        known: lever_known,
        lookups: Mutex::new(vec![]),
    });
    let settings = TenantSettings {
        archived_policy: policy,
        own_domains: vec!["acme.example".into()],
        ..Default::default()
    };
    engine.add_tenant(Tenant::new(acme(), settings).with_connector(lever.clone()));
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
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![]);
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
        let (engine, store, _) = engine(policy, vec![]);
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
            store.outbox(&acme()).unwrap().len(),
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
        store.candidate_count(&acme()).unwrap(),
        0,
        "a preview writes nothing"
    );

    engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    assert_eq!(
        store.candidate_count(&acme()).unwrap(),
        1,
        "the lookup result was indexed"
    );
    engine.enqueue_notes(&acme(), &m, &notes).await.unwrap();
    let lookups = lever.lookups.lock().unwrap().clone();
    assert_eq!(
        lookups,
        vec!["grace@example.org", "grace@example.org"],
        "internal addresses are never looked up; the index answers the third time"
    );
}

#[tokio::test]
async fn a_shared_address_is_reported_not_guessed() {
    let a = candidate(
        Ats::Lever,
        "c-1",
        "shared@example.com",
        vec![app("o1", false, 1)],
    );
    let b = candidate(
        Ats::Lever,
        "c-2",
        "shared@example.com",
        vec![app("o2", false, 1)],
    );
    let (engine, store, _) = engine(ArchivedPolicy::Post, vec![]);
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
    assert!(store.outbox(&acme()).unwrap().is_empty());
}

#[tokio::test]
async fn a_lever_candidate_without_an_opportunity_is_skipped() {
    let lonely = candidate(Ats::Lever, "c-0", "lonely@example.com", vec![]);
    let (engine, _, _) = engine(ArchivedPolicy::Post, vec![]);
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
