//! One behavioural test suite, run against every [`Store`] implementation.

use chrono::{Duration, TimeZone, Utc};

use super::*;
use crate::index::{CandidateStatus, IndexedApplication};
use crate::outbox::{AuditAction, NoteTarget, OutboxState};

fn tenant(id: &str) -> TenantId {
    TenantId::new(id).unwrap()
}

fn key(t: &str, id: &str) -> CandidateKey {
    CandidateKey {
        tenant: tenant(t),
        ats: Ats::Greenhouse,
        candidate_id: id.into(),
    }
}

fn candidate(t: &str, id: &str, email: &str) -> IndexedCandidate {
    IndexedCandidate {
        key: key(t, id),
        name: Some(format!("Candidate {id}")),
        emails: vec![email.into()],
        status: CandidateStatus::Active,
        applications: vec![IndexedApplication {
            id: format!("app-{id}"),
            job_id: Some("job-1".into()),
            archived: false,
            updated_at: Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(),
        }],
        updated_at: Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap(),
    }
}

fn entry(t: &str, meeting: &str, candidate_id: &str) -> OutboxEntry {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    OutboxEntry {
        key: OutboxKey {
            tenant: tenant(t),
            meeting_id: meeting.into(),
            ats: Ats::Greenhouse,
            candidate_id: candidate_id.into(),
        },
        target: NoteTarget {
            candidate_id: candidate_id.into(),
            application_id: None,
        },
        body: "note".into(),
        marker: format!("[aspect-meeting:{meeting}]"),
        state: OutboxState::Pending,
        attempts: 0,
        next_attempt_at: now,
        last_error: None,
        created_at: now,
    }
}

fn interview(t: &str, id: &str, candidate_id: &str) -> ScheduledInterview {
    ScheduledInterview {
        tenant: tenant(t),
        ats: Ats::Greenhouse,
        interview_id: id.into(),
        candidate_id: Some(candidate_id.into()),
        application_id: None,
        title: "Onsite".into(),
        start: Utc.with_ymd_and_hms(2026, 11, 3, 9, 0, 0).unwrap(),
        end: None,
        conferencing_url: Some("https://meet.example.com/abc".into()),
        interviewer_emails: vec![],
        updated_at: Utc::now(),
    }
}

fn deliveries_are_deduplicated(store: &dyn Store) {
    let d = Delivery {
        tenant: tenant("a"),
        ats: Ats::Lever,
        delivery_id: "tok-1".into(),
        body: b"{}".to_vec(),
        received_at: Utc::now(),
        processed: false,
    };
    assert!(store.record_delivery(&d).unwrap());
    assert!(
        !store.record_delivery(&d).unwrap(),
        "second copy must be a no-op"
    );
    // The same id for another tenant is another delivery.
    assert!(
        store
            .record_delivery(&Delivery {
                tenant: tenant("b"),
                ..d.clone()
            })
            .unwrap()
    );
    assert_eq!(store.pending_deliveries(10).unwrap().len(), 2);
    store
        .mark_delivery_processed(&tenant("a"), Ats::Lever, "tok-1")
        .unwrap();
    let pending = store.pending_deliveries(10).unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].tenant, tenant("b"));
    assert!(
        !store.record_delivery(&d).unwrap(),
        "processed deliveries still dedupe"
    );
}

fn tenants_are_isolated(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "1", "ada@example.com"))
        .unwrap();
    store
        .upsert_candidate(&candidate("b", "1", "ada@example.com"))
        .unwrap();
    let found = store
        .candidates_by_email(&tenant("a"), "ada@example.com")
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key.tenant, tenant("a"));
    assert_eq!(store.candidate_count(&tenant("a")).unwrap(), 1);
    assert!(store.enqueue_note(&entry("b", "m1", "1")).unwrap());
    assert!(store.outbox(&tenant("a")).unwrap().is_empty());
}

fn candidates_are_found_by_application(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "1", "ada@example.com"))
        .unwrap();
    let found = store
        .candidate_by_application(&tenant("a"), Ats::Greenhouse, "app-1")
        .unwrap();
    assert_eq!(found.unwrap().key.candidate_id, "1");
    assert!(
        store
            .candidate_by_application(&tenant("b"), Ats::Greenhouse, "app-1")
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .candidate_by_application(&tenant("a"), Ats::Lever, "app-1")
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .candidate_by_application(&tenant("a"), Ats::Greenhouse, "app-2")
            .unwrap()
            .is_none()
    );
}

fn purge_removes_every_trace(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "1", "ada@example.com"))
        .unwrap();
    store.upsert_interview(&interview("a", "i1", "1")).unwrap();
    store.enqueue_note(&entry("a", "m1", "1")).unwrap();
    let mut posted = entry("a", "m0", "1");
    posted.state = OutboxState::Posted {
        note_id: None,
        at: Utc::now(),
    };
    store.enqueue_note(&posted).unwrap();
    assert_eq!(
        store
            .interview(&tenant("a"), Ats::Greenhouse, "i1")
            .unwrap()
            .unwrap()
            .title,
        "Onsite"
    );
    assert!(
        store
            .interview(&tenant("b"), Ats::Greenhouse, "i1")
            .unwrap()
            .is_none()
    );
    let rows = store.purge_candidate(&key("a", "1")).unwrap();
    assert_eq!(
        rows, 6,
        "candidate, e-mail, application, interview, two outbox entries"
    );
    assert!(store.candidate(&key("a", "1")).unwrap().is_none());
    assert!(
        store
            .candidates_by_email(&tenant("a"), "ada@example.com")
            .unwrap()
            .is_empty()
    );
    assert!(store.interviews(&tenant("a")).unwrap().is_empty());
    assert!(store.outbox(&tenant("a")).unwrap().is_empty());
}

fn merge_repoints_index_and_pending_notes(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "old", "ada@old.example"))
        .unwrap();
    store
        .upsert_candidate(&candidate("a", "new", "ada@new.example"))
        .unwrap();
    store
        .upsert_interview(&interview("a", "i1", "old"))
        .unwrap();
    store.enqueue_note(&entry("a", "m1", "old")).unwrap();
    let mut parked = entry("a", "m2", "old");
    parked.state = OutboxState::Parked {
        reason: "revoked".into(),
    };
    store.enqueue_note(&parked).unwrap();
    store.merge_candidate(&key("a", "old"), "new").unwrap();
    assert!(store.candidate(&key("a", "old")).unwrap().is_none());
    let survivor = store.candidate(&key("a", "new")).unwrap().unwrap();
    assert_eq!(survivor.applications.len(), 2);
    let by_old_mail = store
        .candidates_by_email(&tenant("a"), "ada@old.example")
        .unwrap();
    assert_eq!(by_old_mail[0].key.candidate_id, "new");
    assert_eq!(
        store.interviews(&tenant("a")).unwrap()[0]
            .candidate_id
            .as_deref(),
        Some("new")
    );
    let outbox = store.outbox(&tenant("a")).unwrap();
    assert_eq!(outbox.len(), 2);
    assert!(
        outbox
            .iter()
            .all(|e| e.key.candidate_id == "new" && e.target.candidate_id == "new")
    );
}

fn outbox_keys_are_unique_and_due_order_holds(store: &dyn Store) {
    let first = entry("a", "m1", "1");
    assert!(store.enqueue_note(&first).unwrap());
    assert!(
        !store.enqueue_note(&first).unwrap(),
        "same (tenant, meeting, ats, candidate)"
    );
    let mut later = entry("a", "m2", "1");
    later.next_attempt_at = first.next_attempt_at + Duration::minutes(10);
    store.enqueue_note(&later).unwrap();
    let due = store.due_notes(first.next_attempt_at, 10).unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].key.meeting_id, "m1");

    let mut posted = first.clone();
    posted.state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: Utc::now(),
    };
    store.update_note(&posted).unwrap();
    assert_eq!(
        store.outbox_entry(&first.key).unwrap().unwrap().state,
        posted.state
    );
    assert!(
        store
            .due_notes(later.next_attempt_at, 10)
            .unwrap()
            .iter()
            .all(|e| e.key.meeting_id == "m2")
    );
    assert!(store.update_note(&entry("a", "missing", "1")).is_err());
}

fn audit_and_checkpoints(store: &dyn Store) {
    let record = AuditRecord {
        tenant: tenant("a"),
        ats: Ats::Lever,
        action: AuditAction::CandidatePurged,
        rows: 3,
        at: Utc::now(),
    };
    store.record_audit(&record).unwrap();
    assert_eq!(store.audit_log(&tenant("a")).unwrap(), vec![record]);
    assert!(store.audit_log(&tenant("b")).unwrap().is_empty());
    assert_eq!(store.checkpoint(&tenant("a"), "x").unwrap(), None);
    store.set_checkpoint(&tenant("a"), "x", "1").unwrap();
    store.set_checkpoint(&tenant("a"), "x", "2").unwrap();
    assert_eq!(
        store.checkpoint(&tenant("a"), "x").unwrap().as_deref(),
        Some("2")
    );
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod memory_store {
            $( #[test] fn $name() { super::$name(&super::MemoryStore::new()); } )*
        }
        #[cfg(feature = "sqlite")]
        mod sqlite_store {
            $( #[test] fn $name() { super::$name(&super::SqliteStore::open_in_memory().unwrap()); } )*
        }
    };
}

conformance!(
    deliveries_are_deduplicated,
    tenants_are_isolated,
    candidates_are_found_by_application,
    purge_removes_every_trace,
    merge_repoints_index_and_pending_notes,
    outbox_keys_are_unique_and_due_order_holds,
    audit_and_checkpoints,
);
