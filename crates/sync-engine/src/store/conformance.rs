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
        lease: None,
        version: 0,
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
    let d = Delivery::new(tenant("a"), Ats::Lever, "tok-1", b"{}".to_vec()).with_digest("d-1");
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
    // The same signed body under a fresh id (Greenhouse's id is unsigned).
    assert!(
        !store
            .record_delivery(&Delivery {
                delivery_id: "tok-2".into(),
                ..d.clone()
            })
            .unwrap(),
        "same digest must be a no-op"
    );
    let far = Utc::now() + Duration::days(1);
    assert_eq!(store.pending_deliveries(far, 10).unwrap().len(), 2);
    store
        .mark_delivery_processed(&tenant("a"), Ats::Lever, "tok-1")
        .unwrap();
    let pending = store.pending_deliveries(far, 10).unwrap();
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
    let rows = store
        .purge_candidate(&key("a", "1"), Some(Utc::now()))
        .unwrap();
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
    // Deletion is final: the key is tombstoned and refused from now on.
    assert!(
        store
            .tombstone(&tenant("a"), Ats::Greenhouse, TombstoneKind::Candidate, "1")
            .unwrap()
            .is_some()
    );
    assert!(
        !store
            .upsert_candidate(&candidate("a", "1", "ada@example.com"))
            .unwrap()
    );
    assert!(store.candidate(&key("a", "1")).unwrap().is_none());
    // Another tenant's candidate with the same id is not affected.
    assert!(
        store
            .upsert_candidate(&candidate("b", "1", "ada@example.com"))
            .unwrap()
    );
}

fn purge_follows_merges_and_applications(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "old", "ada@old.example"))
        .unwrap();
    store
        .upsert_candidate(&candidate("a", "new", "ada@new.example"))
        .unwrap();
    let mut posted = entry("a", "m1", "old");
    posted.state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: Utc::now(),
    };
    store.enqueue_note(&posted).unwrap();
    // An interview that names only the application.
    let mut by_app = interview("a", "i9", "x");
    by_app.candidate_id = None;
    by_app.application_id = Some("app-old".into());
    store.upsert_interview(&by_app).unwrap();
    store.merge_candidate(&key("a", "old"), "new").unwrap();
    let mut ids = store.candidate_ids(&key("a", "new")).unwrap();
    ids.sort();
    assert_eq!(ids, ["new", "old"]);
    let found = store
        .candidate_interviews(&tenant("a"), Ats::Greenhouse, &[], &["app-old".into()])
        .unwrap();
    assert_eq!(found.len(), 1);
    store
        .purge_candidate(&key("a", "new"), Some(Utc::now()))
        .unwrap();
    assert!(
        store.outbox(&tenant("a")).unwrap().is_empty(),
        "the merged-away note body went too"
    );
    assert!(
        store.interviews(&tenant("a")).unwrap().is_empty(),
        "interviews by application went too"
    );
    for id in ["old", "new"] {
        assert!(
            store
                .tombstone(&tenant("a"), Ats::Greenhouse, TombstoneKind::Candidate, id)
                .unwrap()
                .is_some(),
            "{id}"
        );
    }
}

fn merges_keep_posted_entries(store: &dyn Store) {
    let posted_state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: Utc::now(),
    };
    // The loser's note was posted; the survivor has a pending one for the
    // same meeting: the posted one wins, or the meeting is posted twice.
    let mut loser = entry("a", "m1", "old");
    loser.state = posted_state.clone();
    store.enqueue_note(&loser).unwrap();
    store.enqueue_note(&entry("a", "m1", "new")).unwrap();
    // For m2 both are posted: the survivor's wins.
    let mut loser2 = entry("a", "m2", "old");
    loser2.state = posted_state.clone();
    loser2.body = "loser".into();
    store.enqueue_note(&loser2).unwrap();
    let mut survivor2 = entry("a", "m2", "new");
    survivor2.state = posted_state.clone();
    survivor2.body = "survivor".into();
    store.enqueue_note(&survivor2).unwrap();
    store.merge_candidate(&key("a", "old"), "new").unwrap();
    let outbox = store.outbox(&tenant("a")).unwrap();
    assert_eq!(outbox.len(), 2);
    assert!(outbox.iter().all(|e| e.key.candidate_id == "new"));
    assert!(outbox.iter().all(|e| e.state == posted_state));
    let m2 = outbox.iter().find(|e| e.key.meeting_id == "m2").unwrap();
    assert_eq!(m2.body, "survivor");
}

fn claims_are_exclusive_and_fenced(store: &dyn Store) {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    for i in 0..4 {
        store
            .enqueue_note(&entry("a", &format!("m{i}"), "1"))
            .unwrap();
    }
    let until = now + Duration::minutes(10);
    let first = store.claim_due_notes("w1", now, until, 3).unwrap();
    assert_eq!(first.len(), 3);
    let second = store.claim_due_notes("w2", now, until, 10).unwrap();
    assert_eq!(second.len(), 1, "a live lease is never claimed twice");
    assert!(first.iter().all(|e| !second.iter().any(|s| s.key == e.key)));
    assert!(
        store
            .claim_due_notes("w3", now, until, 10)
            .unwrap()
            .is_empty()
    );

    // The holder writes under its claim; a stale copy is refused.
    let mut held = first[0].clone();
    let stale = held.clone();
    held.state = OutboxState::Sending;
    store.update_claimed(&mut held).unwrap();
    let mut stale = stale;
    assert!(matches!(
        store.update_claimed(&mut stale),
        Err(crate::Error::LeaseLost(_))
    ));
    // Parking skips entries a live lease holds.
    assert_eq!(
        store
            .park_notes(&tenant("a"), Ats::Greenhouse, "revoked", now)
            .unwrap(),
        0
    );

    // After the lease lapses another worker takes over, and the old
    // holder can no longer write.
    let later = until + Duration::seconds(1);
    let taken = store
        .claim_due_notes("w2", later, later + Duration::minutes(10), 10)
        .unwrap();
    assert_eq!(taken.len(), 4);
    let taken_over = taken.iter().find(|e| e.key == held.key).unwrap();
    assert_eq!(
        taken_over.state,
        OutboxState::Sending,
        "the marker gets checked"
    );
    held.state = OutboxState::Posted {
        note_id: None,
        at: now,
    };
    assert!(matches!(
        store.update_claimed(&mut held),
        Err(crate::Error::LeaseLost(_))
    ));
    // The new holder finishes and releases.
    let mut done = taken_over.clone();
    done.state = OutboxState::Posted {
        note_id: None,
        at: later,
    };
    done.lease = None;
    store.update_claimed(&mut done).unwrap();
    assert_eq!(
        store.outbox_entry(&done.key).unwrap().unwrap().state,
        done.state
    );
}

fn claims_are_fair_across_tenants(store: &dyn Store) {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    // Tenant "a" has a backlog of 50 older entries; "b" and "c" one each.
    for i in 0..50 {
        let mut e = entry("a", &format!("m{i}"), "1");
        e.next_attempt_at = now - Duration::hours(1);
        e.created_at = now - Duration::hours(1);
        store.enqueue_note(&e).unwrap();
    }
    store.enqueue_note(&entry("b", "m", "1")).unwrap();
    store.enqueue_note(&entry("c", "m", "1")).unwrap();
    let claimed = store
        .claim_due_notes("w", now, now + Duration::minutes(5), 5)
        .unwrap();
    let tenants: Vec<&str> = claimed.iter().map(|e| e.key.tenant.as_str()).collect();
    assert!(
        tenants.contains(&"b") && tenants.contains(&"c"),
        "{tenants:?}"
    );

    let d = |t: &str, id: &str| Delivery::new(tenant(t), Ats::Lever, id, vec![]);
    for i in 0..50 {
        store.record_delivery(&d("a", &format!("a{i}"))).unwrap();
    }
    store.record_delivery(&d("b", "b0")).unwrap();
    let pending = store
        .pending_deliveries(Utc::now() + Duration::seconds(1), 4)
        .unwrap();
    assert!(pending.iter().any(|x| x.tenant == tenant("b")));
}

fn deliveries_back_off_and_park(store: &dyn Store) {
    let d = Delivery::new(tenant("a"), Ats::Lever, "t1", b"x".to_vec());
    store.record_delivery(&d).unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let mut retry = d.clone();
    retry.attempts = 1;
    retry.next_attempt_at = now + Duration::minutes(1);
    retry.last_error = Some("ATS down".into());
    store.retry_delivery(&retry).unwrap();
    assert!(store.pending_deliveries(now, 10).unwrap().is_empty());
    let later = store
        .pending_deliveries(now + Duration::minutes(2), 10)
        .unwrap();
    assert_eq!(later[0].attempts, 1);
    assert_eq!(later[0].last_error.as_deref(), Some("ATS down"));
    let mut parked = later[0].clone();
    parked.parked = true;
    store.retry_delivery(&parked).unwrap();
    assert!(
        store
            .pending_deliveries(now + Duration::days(1), 10)
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store.resume_deliveries(&tenant("a"), Ats::Lever).unwrap(),
        1
    );
    assert_eq!(
        store
            .pending_deliveries(Utc::now() + Duration::seconds(1), 10)
            .unwrap()
            .len(),
        1
    );
}

fn retention_prunes_old_rows(store: &dyn Store) {
    let old = Utc::now() - Duration::days(40);
    let mut d = Delivery::new(tenant("a"), Ats::Lever, "old", vec![]);
    d.received_at = old;
    store.record_delivery(&d).unwrap();
    store
        .mark_delivery_processed(&tenant("a"), Ats::Lever, "old")
        .unwrap();
    store
        .record_delivery(&Delivery::new(tenant("a"), Ats::Lever, "new", vec![]))
        .unwrap();
    store
        .mark_delivery_processed(&tenant("a"), Ats::Lever, "new")
        .unwrap();
    let mut posted = entry("a", "m1", "1");
    posted.state = OutboxState::Posted {
        note_id: None,
        at: old,
    };
    store.enqueue_note(&posted).unwrap();
    let cutoff = Utc::now() - Duration::days(30);
    let report = store.prune(cutoff, cutoff).unwrap();
    assert_eq!(report.deliveries, 1);
    assert_eq!(report.note_bodies, 1);
    let kept = store.outbox_entry(&posted.key).unwrap().unwrap();
    assert!(kept.body.is_empty());
    assert_eq!(kept.state, posted.state, "the entry itself stays (dedupe)");
    // The pruned delivery's id is new again; the kept one still dedupes.
    assert!(
        !store
            .record_delivery(&Delivery::new(tenant("a"), Ats::Lever, "new", vec![]))
            .unwrap()
    );
    assert!(store.scrub().unwrap());
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

    let mut posted = store
        .claim_due_notes(
            "w",
            first.next_attempt_at,
            first.next_attempt_at + Duration::minutes(1),
            10,
        )
        .unwrap()
        .remove(0);
    posted.state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: Utc::now(),
    };
    store.update_claimed(&mut posted).unwrap();
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
    assert!(
        store
            .update_claimed(&mut entry("a", "missing", "1"))
            .is_err()
    );
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
    purge_follows_merges_and_applications,
    merges_keep_posted_entries,
    claims_are_exclusive_and_fenced,
    claims_are_fair_across_tenants,
    deliveries_back_off_and_park,
    retention_prunes_old_rows,
);
