//! Applying index updates: newer wins, purges leave nothing, merges re-point,
//! interviews reach the note taker.

use std::sync::Arc;

use aspect_sync_engine::index::{
    CandidateKey, CandidateStatus, IndexedApplication, IndexedCandidate, ScheduledInterview,
};
use aspect_sync_engine::ingest::IndexUpdate;
use aspect_sync_engine::notetaker::NoteTakerCall;
use aspect_sync_engine::outbox::AuditAction;
use aspect_sync_engine::store::{MemoryStore, Store};
use aspect_sync_engine::{Ats, Engine, RecordingNoteTaker, TenantId};
use chrono::{Duration, Utc};

fn tenant() -> TenantId {
    TenantId::new("acme").unwrap()
}

fn key(id: &str) -> CandidateKey {
    CandidateKey {
        tenant: tenant(),
        ats: Ats::Lever,
        candidate_id: id.into(),
    }
}

fn candidate(id: &str, status: CandidateStatus, age_minutes: i64) -> IndexedCandidate {
    let at = Utc::now() - Duration::minutes(age_minutes);
    IndexedCandidate {
        key: key(id),
        name: Some("Ada Lovelace".into()),
        emails: vec!["ada@example.com".into()],
        status,
        applications: vec![IndexedApplication {
            id: "opp-1".into(),
            job_id: None,
            archived: status != CandidateStatus::Active,
            updated_at: at,
        }],
        updated_at: at,
    }
}

fn interview(id: &str, in_minutes: i64, url: Option<&str>) -> ScheduledInterview {
    ScheduledInterview {
        tenant: tenant(),
        ats: Ats::Lever,
        interview_id: id.into(),
        candidate_id: Some("c1".into()),
        application_id: Some("opp-1".into()),
        title: "Technical interview".into(),
        start: Utc::now() + Duration::minutes(in_minutes),
        end: Some(Utc::now() + Duration::minutes(in_minutes + 45)),
        conferencing_url: url.map(str::to_owned),
        interviewer_emails: vec!["grace@acme.example".into()],
        updated_at: Utc::now(),
    }
}

fn engine() -> (Engine, Arc<MemoryStore>, Arc<RecordingNoteTaker>) {
    let store = Arc::new(MemoryStore::new());
    let taker = Arc::new(RecordingNoteTaker::new());
    (Engine::new(store.clone(), taker.clone()), store, taker)
}

#[tokio::test]
async fn out_of_order_updates_never_roll_the_index_back() {
    let (engine, store, _) = engine();
    let newer = candidate("c1", CandidateStatus::Archived, 1);
    let older = candidate("c1", CandidateStatus::Active, 10);
    let report = engine
        .apply_updates(vec![
            IndexUpdate::Candidate(newer.clone()),
            IndexUpdate::Candidate(older),
        ])
        .await
        .unwrap();
    assert_eq!((report.candidates, report.stale), (1, 1));
    assert_eq!(
        store.candidate(&key("c1")).await.unwrap().unwrap().status,
        CandidateStatus::Archived
    );
}

#[tokio::test]
async fn deleted_candidate_leaves_only_an_anonymous_audit_record() {
    let (engine, store, _) = engine();
    engine
        .apply_updates(vec![
            IndexUpdate::Candidate(candidate("c1", CandidateStatus::Active, 1)),
            IndexUpdate::Interview(interview("i1", 60, Some("https://zoom.example/j/1"))),
            IndexUpdate::CandidateGone {
                key: key("c1"),
                anonymized: false,
            },
        ])
        .await
        .unwrap();
    assert!(store.candidate(&key("c1")).await.unwrap().is_none());
    assert!(
        store
            .candidates_by_email(&tenant(), "ada@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.interviews(&tenant()).await.unwrap().is_empty());
    let audit = store.audit_log(&tenant()).await.unwrap();
    assert_eq!(audit.len(), 1);
    assert_eq!(audit[0].action, AuditAction::CandidatePurged);
    let text = serde_json::to_string(&audit[0]).unwrap();
    assert!(
        !text.contains("ada") && !text.contains("c1"),
        "audit holds no personal data: {text}"
    );
}

#[tokio::test]
async fn interviews_with_a_video_link_reach_the_note_taker() {
    let (engine, _, taker) = engine();
    engine
        .apply_updates(vec![
            IndexUpdate::Interview(interview("i1", 60, Some("https://zoom.example/j/1"))),
            IndexUpdate::Interview(interview("i2", 60, None)),
            IndexUpdate::InterviewGone {
                tenant: tenant(),
                ats: Ats::Lever,
                interview_id: "i1".into(),
            },
            IndexUpdate::InterviewGone {
                tenant: tenant(),
                ats: Ats::Lever,
                interview_id: "nope".into(),
            },
        ])
        .await
        .unwrap();
    let calls = taker.calls();
    match &calls[0] {
        NoteTakerCall::Scheduled(t, m) => {
            assert_eq!(t, &tenant());
            assert_eq!(m.id.as_str(), "lever-interview-i1");
            assert_eq!(
                m.conferencing_url.as_deref(),
                Some("https://zoom.example/j/1")
            );
            assert_eq!(
                m.participants[0].email.as_deref(),
                Some("grace@acme.example")
            );
        }
        other => panic!("expected a schedule, got {other:?}"),
    }
    assert!(
        matches!(&calls[1], NoteTakerCall::Cancelled(_, id) if id.as_str() == "lever-interview-i2")
    );
    assert!(
        matches!(&calls[2], NoteTakerCall::Cancelled(_, id) if id.as_str() == "lever-interview-i1")
    );
    assert_eq!(calls.len(), 3);
}

#[tokio::test]
async fn merge_repoints_the_index() {
    let (engine, store, _) = engine();
    engine
        .apply_updates(vec![
            IndexUpdate::Candidate(candidate("old", CandidateStatus::Active, 1)),
            IndexUpdate::CandidateMerged {
                from: key("old"),
                into_id: "new".into(),
            },
        ])
        .await
        .unwrap();
    let found = store
        .candidates_by_email(&tenant(), "ada@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key.candidate_id, "new");
    assert_eq!(
        store.audit_log(&tenant()).await.unwrap()[0].action,
        AuditAction::CandidateMerged
    );
}

#[tokio::test]
async fn calendar_events_register_by_auto_processing_terms() {
    use aspect_interview_core::{AutoProcessingTerms, CalendarEvent};
    use aspect_sync_engine::{Tenant, TenantSettings};

    let (engine, _, taker) = engine();
    let settings = TenantSettings::new().auto_processing_terms(
        AutoProcessingTerms::new(["interview", "phone screen"]).excluding(["internal"]),
    );
    engine.add_tenant(Tenant::new(tenant(), settings)).unwrap();
    let event = |title: &str| CalendarEvent {
        id: format!("cal-{}", title.len()),
        title: title.into(),
        start: Utc::now() + Duration::hours(1),
        end: None,
        organizer: Some("grace@acme.example".into()),
        attendees: vec![],
        conferencing_url: Some("https://meet.example/abc".into()),
    };
    let registered = engine
        .register_calendar_event(&tenant(), &event("Phone Screen – Ada"))
        .await
        .unwrap();
    assert_eq!(
        registered.unwrap().matched_term.as_deref(),
        Some("phone screen")
    );
    assert!(
        engine
            .register_calendar_event(&tenant(), &event("Team lunch"))
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        engine
            .register_calendar_event(&tenant(), &event("Internal interview training"))
            .await
            .unwrap()
            .is_none()
    );
    assert_eq!(taker.calls().len(), 1);
}
