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

async fn deliveries_are_deduplicated(store: &dyn Store) {
    let d = Delivery::new(tenant("a"), Ats::Lever, "tok-1", b"{}".to_vec()).with_digest("d-1");
    assert!(store.record_delivery(&d).await.unwrap());
    assert!(
        !store.record_delivery(&d).await.unwrap(),
        "second copy must be a no-op"
    );
    // The same id for another tenant is another delivery.
    assert!(
        store
            .record_delivery(&Delivery {
                tenant: tenant("b"),
                ..d.clone()
            })
            .await
            .unwrap()
    );
    // The same signed body under a fresh id (Greenhouse's id is unsigned).
    assert!(
        !store
            .record_delivery(&Delivery {
                delivery_id: "tok-2".into(),
                ..d.clone()
            })
            .await
            .unwrap(),
        "same digest must be a no-op"
    );
    let far = Utc::now() + Duration::days(1);
    assert_eq!(store.pending_deliveries(far, 10).await.unwrap().len(), 2);
    store
        .mark_delivery_processed(&tenant("a"), Ats::Lever, "tok-1")
        .await
        .unwrap();
    let pending = store.pending_deliveries(far, 10).await.unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].tenant, tenant("b"));
    assert!(
        !store.record_delivery(&d).await.unwrap(),
        "processed deliveries still dedupe"
    );
}

async fn tenants_are_isolated(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "1", "ada@example.com"))
        .await
        .unwrap();
    store
        .upsert_candidate(&candidate("b", "1", "ada@example.com"))
        .await
        .unwrap();
    let found = store
        .candidates_by_email(&tenant("a"), "ada@example.com")
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].key.tenant, tenant("a"));
    assert_eq!(store.candidate_count(&tenant("a")).await.unwrap(), 1);
    assert!(store.enqueue_note(&entry("b", "m1", "1")).await.unwrap());
    assert!(store.outbox(&tenant("a")).await.unwrap().is_empty());
}

async fn candidates_are_found_by_application(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "1", "ada@example.com"))
        .await
        .unwrap();
    let found = store
        .candidate_by_application(&tenant("a"), Ats::Greenhouse, "app-1")
        .await
        .unwrap();
    assert_eq!(found.unwrap().key.candidate_id, "1");
    assert!(
        store
            .candidate_by_application(&tenant("b"), Ats::Greenhouse, "app-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .candidate_by_application(&tenant("a"), Ats::Lever, "app-1")
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        store
            .candidate_by_application(&tenant("a"), Ats::Greenhouse, "app-2")
            .await
            .unwrap()
            .is_none()
    );
}

async fn purge_removes_every_trace(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "1", "ada@example.com"))
        .await
        .unwrap();
    store
        .upsert_interview(&interview("a", "i1", "1"))
        .await
        .unwrap();
    store.enqueue_note(&entry("a", "m1", "1")).await.unwrap();
    let mut posted = entry("a", "m0", "1");
    posted.state = OutboxState::Posted {
        note_id: None,
        at: Utc::now(),
    };
    store.enqueue_note(&posted).await.unwrap();
    assert_eq!(
        store
            .interview(&tenant("a"), Ats::Greenhouse, "i1")
            .await
            .unwrap()
            .unwrap()
            .title,
        "Onsite"
    );
    assert!(
        store
            .interview(&tenant("b"), Ats::Greenhouse, "i1")
            .await
            .unwrap()
            .is_none()
    );
    let rows = store
        .purge_candidate(&key("a", "1"), Some(Utc::now()))
        .await
        .unwrap();
    assert_eq!(
        rows, 6,
        "candidate, e-mail, application, interview, two outbox entries"
    );
    assert!(store.candidate(&key("a", "1")).await.unwrap().is_none());
    assert!(
        store
            .candidates_by_email(&tenant("a"), "ada@example.com")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(store.interviews(&tenant("a")).await.unwrap().is_empty());
    assert!(store.outbox(&tenant("a")).await.unwrap().is_empty());
    // Deletion is final: the key is tombstoned and refused from now on.
    assert!(
        store
            .tombstone(&tenant("a"), Ats::Greenhouse, TombstoneKind::Candidate, "1")
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        !store
            .upsert_candidate(&candidate("a", "1", "ada@example.com"))
            .await
            .unwrap()
    );
    assert!(store.candidate(&key("a", "1")).await.unwrap().is_none());
    // Another tenant's candidate with the same id is not affected.
    assert!(
        store
            .upsert_candidate(&candidate("b", "1", "ada@example.com"))
            .await
            .unwrap()
    );
}

async fn purge_follows_merges_and_applications(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "old", "ada@old.example"))
        .await
        .unwrap();
    store
        .upsert_candidate(&candidate("a", "new", "ada@new.example"))
        .await
        .unwrap();
    let mut posted = entry("a", "m1", "old");
    posted.state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: Utc::now(),
    };
    store.enqueue_note(&posted).await.unwrap();
    // An interview that names only the application.
    let mut by_app = interview("a", "i9", "x");
    by_app.candidate_id = None;
    by_app.application_id = Some("app-old".into());
    store.upsert_interview(&by_app).await.unwrap();
    store
        .merge_candidate(&key("a", "old"), "new")
        .await
        .unwrap();
    let mut ids = store.candidate_ids(&key("a", "new")).await.unwrap();
    ids.sort();
    assert_eq!(ids, ["new", "old"]);
    let found = store
        .candidate_interviews(&tenant("a"), Ats::Greenhouse, &[], &["app-old".into()])
        .await
        .unwrap();
    assert_eq!(found.len(), 1);
    store
        .purge_candidate(&key("a", "new"), Some(Utc::now()))
        .await
        .unwrap();
    assert!(
        store.outbox(&tenant("a")).await.unwrap().is_empty(),
        "the merged-away note body went too"
    );
    assert!(
        store.interviews(&tenant("a")).await.unwrap().is_empty(),
        "interviews by application went too"
    );
    for id in ["old", "new"] {
        assert!(
            store
                .tombstone(&tenant("a"), Ats::Greenhouse, TombstoneKind::Candidate, id)
                .await
                .unwrap()
                .is_some(),
            "{id}"
        );
    }
}

async fn merges_keep_posted_entries(store: &dyn Store) {
    let posted_state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: Utc::now(),
    };
    // The loser's note was posted; the survivor has a pending one for the
    // same meeting: the posted one wins, or the meeting is posted twice.
    let mut loser = entry("a", "m1", "old");
    loser.state = posted_state.clone();
    store.enqueue_note(&loser).await.unwrap();
    store.enqueue_note(&entry("a", "m1", "new")).await.unwrap();
    // For m2 both are posted: the survivor's wins.
    let mut loser2 = entry("a", "m2", "old");
    loser2.state = posted_state.clone();
    loser2.body = "loser".into();
    store.enqueue_note(&loser2).await.unwrap();
    let mut survivor2 = entry("a", "m2", "new");
    survivor2.state = posted_state.clone();
    survivor2.body = "survivor".into();
    store.enqueue_note(&survivor2).await.unwrap();
    store
        .merge_candidate(&key("a", "old"), "new")
        .await
        .unwrap();
    let outbox = store.outbox(&tenant("a")).await.unwrap();
    assert_eq!(outbox.len(), 2);
    assert!(outbox.iter().all(|e| e.key.candidate_id == "new"));
    assert!(outbox.iter().all(|e| e.state == posted_state));
    let m2 = outbox.iter().find(|e| e.key.meeting_id == "m2").unwrap();
    assert_eq!(m2.body, "survivor");
}

async fn claims_are_exclusive_and_fenced(store: &dyn Store) {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    for i in 0..4 {
        store
            .enqueue_note(&entry("a", &format!("m{i}"), "1"))
            .await
            .unwrap();
    }
    let until = now + Duration::minutes(10);
    let first = store.claim_due_notes("w1", now, until, 3).await.unwrap();
    assert_eq!(first.len(), 3);
    let second = store.claim_due_notes("w2", now, until, 10).await.unwrap();
    assert_eq!(second.len(), 1, "a live lease is never claimed twice");
    assert!(first.iter().all(|e| !second.iter().any(|s| s.key == e.key)));
    assert!(
        store
            .claim_due_notes("w3", now, until, 10)
            .await
            .unwrap()
            .is_empty()
    );

    // The holder writes under its claim; a stale copy is refused.
    let mut held = first[0].clone();
    let stale = held.clone();
    held.state = OutboxState::Sending;
    store.update_claimed(&mut held).await.unwrap();
    let mut stale = stale;
    assert!(matches!(
        store.update_claimed(&mut stale).await,
        Err(crate::Error::LeaseLost(_))
    ));
    // Parking skips entries a live lease holds.
    assert_eq!(
        store
            .park_notes(&tenant("a"), Ats::Greenhouse, "revoked", now)
            .await
            .unwrap(),
        0
    );

    // After the lease lapses another worker takes over, and the old
    // holder can no longer write.
    let later = until + Duration::seconds(1);
    let taken = store
        .claim_due_notes("w2", later, later + Duration::minutes(10), 10)
        .await
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
        store.update_claimed(&mut held).await,
        Err(crate::Error::LeaseLost(_))
    ));
    // The new holder finishes and releases.
    let mut done = taken_over.clone();
    done.state = OutboxState::Posted {
        note_id: None,
        at: later,
    };
    done.lease = None;
    store.update_claimed(&mut done).await.unwrap();
    assert_eq!(
        store.outbox_entry(&done.key).await.unwrap().unwrap().state,
        done.state
    );
}

async fn claims_are_fair_across_tenants(store: &dyn Store) {
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    // Tenant "a" has a backlog of 50 older entries; "b" and "c" one each.
    for i in 0..50 {
        let mut e = entry("a", &format!("m{i}"), "1");
        e.next_attempt_at = now - Duration::hours(1);
        e.created_at = now - Duration::hours(1);
        store.enqueue_note(&e).await.unwrap();
    }
    store.enqueue_note(&entry("b", "m", "1")).await.unwrap();
    store.enqueue_note(&entry("c", "m", "1")).await.unwrap();
    let claimed = store
        .claim_due_notes("w", now, now + Duration::minutes(5), 5)
        .await
        .unwrap();
    let tenants: Vec<&str> = claimed.iter().map(|e| e.key.tenant.as_str()).collect();
    assert!(
        tenants.contains(&"b") && tenants.contains(&"c"),
        "{tenants:?}"
    );

    let d = |t: &str, id: &str| Delivery::new(tenant(t), Ats::Lever, id, vec![]);
    for i in 0..50 {
        store
            .record_delivery(&d("a", &format!("a{i}")))
            .await
            .unwrap();
    }
    store.record_delivery(&d("b", "b0")).await.unwrap();
    let pending = store
        .pending_deliveries(Utc::now() + Duration::seconds(1), 4)
        .await
        .unwrap();
    assert!(pending.iter().any(|x| x.tenant == tenant("b")));
}

async fn deliveries_back_off_and_park(store: &dyn Store) {
    let d = Delivery::new(tenant("a"), Ats::Lever, "t1", b"x".to_vec());
    store.record_delivery(&d).await.unwrap();
    let now = Utc::now() + Duration::seconds(1);
    let mut retry = d.clone();
    retry.attempts = 1;
    retry.next_attempt_at = now + Duration::minutes(1);
    retry.last_error = Some("ATS down".into());
    store.retry_delivery(&retry).await.unwrap();
    assert!(store.pending_deliveries(now, 10).await.unwrap().is_empty());
    let later = store
        .pending_deliveries(now + Duration::minutes(2), 10)
        .await
        .unwrap();
    assert_eq!(later[0].attempts, 1);
    assert_eq!(later[0].last_error.as_deref(), Some("ATS down"));
    let mut parked = later[0].clone();
    parked.parked = true;
    store.retry_delivery(&parked).await.unwrap();
    assert!(
        store
            .pending_deliveries(now + Duration::days(1), 10)
            .await
            .unwrap()
            .is_empty()
    );
    assert_eq!(
        store
            .resume_deliveries(&tenant("a"), Ats::Lever)
            .await
            .unwrap(),
        1
    );
    assert_eq!(
        store
            .pending_deliveries(Utc::now() + Duration::seconds(1), 10)
            .await
            .unwrap()
            .len(),
        1
    );
}

async fn retention_prunes_old_rows(store: &dyn Store) {
    let old = Utc::now() - Duration::days(40);
    let mut d = Delivery::new(tenant("a"), Ats::Lever, "old", vec![]);
    d.received_at = old;
    store.record_delivery(&d).await.unwrap();
    store
        .mark_delivery_processed(&tenant("a"), Ats::Lever, "old")
        .await
        .unwrap();
    store
        .record_delivery(&Delivery::new(tenant("a"), Ats::Lever, "new", vec![]))
        .await
        .unwrap();
    store
        .mark_delivery_processed(&tenant("a"), Ats::Lever, "new")
        .await
        .unwrap();
    let mut posted = entry("a", "m1", "1");
    posted.state = OutboxState::Posted {
        note_id: None,
        at: old,
    };
    store.enqueue_note(&posted).await.unwrap();
    let cutoff = Utc::now() - Duration::days(30);
    let report = store.prune(cutoff, cutoff).await.unwrap();
    assert_eq!(report.deliveries, 1);
    assert_eq!(report.note_bodies, 1);
    let kept = store.outbox_entry(&posted.key).await.unwrap().unwrap();
    assert!(kept.body.is_empty());
    assert_eq!(kept.state, posted.state, "the entry itself stays (dedupe)");
    // The pruned delivery's id is new again; the kept one still dedupes.
    assert!(
        !store
            .record_delivery(&Delivery::new(tenant("a"), Ats::Lever, "new", vec![]))
            .await
            .unwrap()
    );
    assert!(store.scrub().await.unwrap());
}

async fn merge_repoints_index_and_pending_notes(store: &dyn Store) {
    store
        .upsert_candidate(&candidate("a", "old", "ada@old.example"))
        .await
        .unwrap();
    store
        .upsert_candidate(&candidate("a", "new", "ada@new.example"))
        .await
        .unwrap();
    store
        .upsert_interview(&interview("a", "i1", "old"))
        .await
        .unwrap();
    store.enqueue_note(&entry("a", "m1", "old")).await.unwrap();
    let mut parked = entry("a", "m2", "old");
    parked.state = OutboxState::Parked {
        reason: "revoked".into(),
    };
    store.enqueue_note(&parked).await.unwrap();
    store
        .merge_candidate(&key("a", "old"), "new")
        .await
        .unwrap();
    assert!(store.candidate(&key("a", "old")).await.unwrap().is_none());
    let survivor = store.candidate(&key("a", "new")).await.unwrap().unwrap();
    assert_eq!(survivor.applications.len(), 2);
    let by_old_mail = store
        .candidates_by_email(&tenant("a"), "ada@old.example")
        .await
        .unwrap();
    assert_eq!(by_old_mail[0].key.candidate_id, "new");
    assert_eq!(
        store.interviews(&tenant("a")).await.unwrap()[0]
            .candidate_id
            .as_deref(),
        Some("new")
    );
    let outbox = store.outbox(&tenant("a")).await.unwrap();
    assert_eq!(outbox.len(), 2);
    assert!(
        outbox
            .iter()
            .all(|e| e.key.candidate_id == "new" && e.target.candidate_id == "new")
    );
}

async fn outbox_keys_are_unique_and_due_order_holds(store: &dyn Store) {
    let first = entry("a", "m1", "1");
    assert!(store.enqueue_note(&first).await.unwrap());
    assert!(
        !store.enqueue_note(&first).await.unwrap(),
        "same (tenant, meeting, ats, candidate)"
    );
    let mut later = entry("a", "m2", "1");
    later.next_attempt_at = first.next_attempt_at + Duration::minutes(10);
    store.enqueue_note(&later).await.unwrap();
    let due = store.due_notes(first.next_attempt_at, 10).await.unwrap();
    assert_eq!(due.len(), 1);
    assert_eq!(due[0].key.meeting_id, "m1");

    let mut posted = store
        .claim_due_notes(
            "w",
            first.next_attempt_at,
            first.next_attempt_at + Duration::minutes(1),
            10,
        )
        .await
        .unwrap()
        .remove(0);
    posted.state = OutboxState::Posted {
        note_id: Some("n1".into()),
        at: Utc::now(),
    };
    store.update_claimed(&mut posted).await.unwrap();
    assert_eq!(
        store.outbox_entry(&first.key).await.unwrap().unwrap().state,
        posted.state
    );
    assert!(
        store
            .due_notes(later.next_attempt_at, 10)
            .await
            .unwrap()
            .iter()
            .all(|e| e.key.meeting_id == "m2")
    );
    assert!(
        store
            .update_claimed(&mut entry("a", "missing", "1"))
            .await
            .is_err()
    );
}

async fn audit_and_checkpoints(store: &dyn Store) {
    let record = AuditRecord {
        tenant: tenant("a"),
        ats: Ats::Lever,
        action: AuditAction::CandidatePurged,
        rows: 3,
        at: Utc::now(),
    };
    store.record_audit(&record).await.unwrap();
    assert_eq!(store.audit_log(&tenant("a")).await.unwrap(), vec![record]);
    assert!(store.audit_log(&tenant("b")).await.unwrap().is_empty());
    assert_eq!(store.checkpoint(&tenant("a"), "x").await.unwrap(), None);
    store.set_checkpoint(&tenant("a"), "x", "1").await.unwrap();
    store.set_checkpoint(&tenant("a"), "x", "2").await.unwrap();
    assert_eq!(
        store
            .checkpoint(&tenant("a"), "x")
            .await
            .unwrap()
            .as_deref(),
        Some("2")
    );
}

async fn sync_leases_are_exclusive_until_they_expire(store: &dyn Store) {
    let t = tenant("a");
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let until = now + Duration::minutes(5);
    assert!(
        store
            .acquire_sync_lease(&t, Ats::Lever, "r1", now, until)
            .await
            .unwrap()
    );
    // Another owner is refused while the lease lives; the owner renews.
    assert!(
        !store
            .acquire_sync_lease(&t, Ats::Lever, "r2", now, until)
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_sync_lease(&t, Ats::Lever, "r1", now, until)
            .await
            .unwrap()
    );
    // Leases are per tenant and per ATS.
    assert!(
        store
            .acquire_sync_lease(&t, Ats::Greenhouse, "r2", now, until)
            .await
            .unwrap()
    );
    assert!(
        store
            .acquire_sync_lease(&tenant("b"), Ats::Lever, "r2", now, until)
            .await
            .unwrap()
    );
    // Releasing someone else's lease does nothing.
    store
        .release_sync_lease(&t, Ats::Lever, "r2")
        .await
        .unwrap();
    assert!(
        !store
            .acquire_sync_lease(&t, Ats::Lever, "r2", now, until)
            .await
            .unwrap()
    );
    // An expired lease (its holder died) is taken over.
    let later = until + Duration::seconds(1);
    assert!(
        store
            .acquire_sync_lease(&t, Ats::Lever, "r2", later, later + Duration::minutes(5))
            .await
            .unwrap()
    );
    assert!(
        !store
            .acquire_sync_lease(&t, Ats::Lever, "r1", later, later)
            .await
            .unwrap()
    );
    // The owner's release frees it at once.
    store
        .release_sync_lease(&t, Ats::Lever, "r2")
        .await
        .unwrap();
    assert!(
        store
            .acquire_sync_lease(&t, Ats::Lever, "r1", later, later + Duration::minutes(5))
            .await
            .unwrap()
    );
}

async fn queued_work_wakes_a_waiting_worker(store: &dyn Store) {
    let waited = std::time::Instant::now();
    let wait = store.wait_for_work(std::time::Duration::from_secs(30));
    let enqueue = async {
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        assert!(
            store
                .enqueue_note(&entry("a", "m-wake", "1"))
                .await
                .unwrap()
        );
    };
    tokio::join!(wait, enqueue);
    assert!(
        waited.elapsed() < std::time::Duration::from_secs(10),
        "the waiting worker slept through new work: {:?}",
        waited.elapsed()
    );
    // With nothing new, the wait ends at its timeout.
    let idle = std::time::Instant::now();
    store
        .wait_for_work(std::time::Duration::from_millis(30))
        .await;
    assert!(idle.elapsed() >= std::time::Duration::from_millis(25));
}

async fn deliveries_are_claimed_by_one_worker_at_a_time(store: &dyn Store) {
    let t = tenant("a");
    let d = Delivery::new(t.clone(), Ats::Lever, "tok-claim", b"{}".to_vec());
    assert!(store.record_delivery(&d).await.unwrap());
    let now = Utc.with_ymd_and_hms(2026, 11, 2, 9, 0, 0).unwrap();
    let until = now + Duration::minutes(10);
    let claim = |owner: &'static str, at| {
        store.claim_delivery(&t, Ats::Lever, "tok-claim", owner, at, until)
    };
    assert!(claim("w1", now).await.unwrap());
    assert!(
        !claim("w2", now).await.unwrap(),
        "a live lease is exclusive"
    );
    assert!(claim("w1", now).await.unwrap(), "the holder may renew");
    // A lease whose worker died lapses and is taken over.
    let later = until + Duration::seconds(1);
    assert!(
        store
            .claim_delivery(
                &t,
                Ats::Lever,
                "tok-claim",
                "w2",
                later,
                later + Duration::minutes(10)
            )
            .await
            .unwrap()
    );
    // A retry ends the lease: the next worker may take it at once.
    store.retry_delivery(&d).await.unwrap();
    assert!(claim("w3", later).await.unwrap());
    // A processed delivery is never claimed again, nor an unknown one.
    store
        .mark_delivery_processed(&t, Ats::Lever, "tok-claim")
        .await
        .unwrap();
    assert!(!claim("w4", later).await.unwrap());
    assert!(
        !store
            .claim_delivery(&t, Ats::Lever, "missing", "w4", now, until)
            .await
            .unwrap()
    );
}

async fn records_are_versioned_and_compared_before_set(store: &dyn Store) {
    assert!(store.record("connection", "acme").await.unwrap().is_none());
    // `None` expected: create only.
    assert_eq!(
        store
            .put_record("connection", "acme", "v1", None)
            .await
            .unwrap(),
        Some(1)
    );
    assert_eq!(
        store
            .put_record("connection", "acme", "again", None)
            .await
            .unwrap(),
        None,
        "an existing record is not created twice"
    );
    let first = store.record("connection", "acme").await.unwrap().unwrap();
    assert_eq!((first.value.as_str(), first.version), ("v1", 1));
    assert_eq!(
        store
            .put_record("connection", "acme", "v2", Some(1))
            .await
            .unwrap(),
        Some(2)
    );
    assert_eq!(
        store
            .put_record("connection", "acme", "stale", Some(1))
            .await
            .unwrap(),
        None,
        "a stale version is refused"
    );
    assert_eq!(
        store
            .put_record("connection", "nobody", "x", Some(1))
            .await
            .unwrap(),
        None,
        "a missing record has no version to match"
    );
    let second = store.record("connection", "acme").await.unwrap().unwrap();
    assert_eq!((second.value.as_str(), second.version), ("v2", 2));
    assert!(second.updated_at >= first.updated_at);
    // Kinds are separate families; `records` lists one kind by key.
    store
        .put_record("connection", "globex", "g", None)
        .await
        .unwrap();
    store.put_record("token", "acme", "t", None).await.unwrap();
    let listed = store.records("connection").await.unwrap();
    let keys: Vec<&str> = listed.iter().map(|(k, _)| k.as_str()).collect();
    assert_eq!(keys, ["acme", "globex"]);
    assert_eq!(listed[0].1.value, "v2");
    // Deletion: a wrong version keeps the record; the right one removes it.
    assert!(
        !store
            .delete_record("connection", "acme", Some(1))
            .await
            .unwrap()
    );
    assert!(
        store
            .delete_record("connection", "acme", Some(2))
            .await
            .unwrap()
    );
    assert!(store.record("connection", "acme").await.unwrap().is_none());
    assert!(
        !store
            .delete_record("connection", "acme", None)
            .await
            .unwrap()
    );
    assert!(store.delete_record("token", "acme", None).await.unwrap());
    // A deleted record can be created again, from version 1.
    assert_eq!(
        store
            .put_record("connection", "acme", "new", None)
            .await
            .unwrap(),
        Some(1)
    );
}

async fn record_races_have_exactly_one_winner(store: &dyn Store) {
    store
        .put_record("token", "acme", "chain-0", None)
        .await
        .unwrap();
    // Eight writers hold version 1 and write at once: one rotation wins.
    let writers = (0..8).map(|i| {
        let value = format!("chain-{}", i + 1);
        async move { store.put_record("token", "acme", &value, Some(1)).await }
    });
    let won: Vec<_> = futures::future::join_all(writers)
        .await
        .into_iter()
        .map(|r| r.unwrap())
        .filter(Option::is_some)
        .collect();
    assert_eq!(won, [Some(2)]);
    // Eight creators of one missing record: one wins.
    let creators = (0..8).map(|_| store.put_record("state", "s1", "acme", None));
    let created = futures::future::join_all(creators)
        .await
        .into_iter()
        .filter(|r| matches!(r, Ok(Some(1))))
        .count();
    assert_eq!(created, 1);
    // A single-use record taken by eight at once: one taker.
    let takers = (0..8).map(|_| store.delete_record("state", "s1", Some(1)));
    let taken = futures::future::join_all(takers)
        .await
        .into_iter()
        .filter(|r| matches!(r, Ok(true)))
        .count();
    assert_eq!(taken, 1);
}

async fn concurrent_copies_are_recorded_once(store: &dyn Store) {
    // Each delivery arrives three times at once: the same id twice, and the
    // same body under a fresh (unsigned) id. Batching stores put copies in
    // one batch; exactly one copy of each is new.
    let copies = (0..60).flat_map(|i| {
        let d = Delivery::new(
            tenant("a"),
            Ats::Greenhouse,
            format!("ev-{i}"),
            b"{}".to_vec(),
        )
        .with_digest(format!("digest-{i}"));
        let fresh_id = Delivery {
            delivery_id: format!("ev-{i}-again"),
            ..d.clone()
        };
        [d.clone(), d, fresh_id]
    });
    let answers = futures::future::join_all(
        copies.map(|d| async move { store.record_delivery(&d).await.unwrap() }),
    )
    .await;
    assert_eq!(answers.iter().filter(|new| **new).count(), 60);
    let far = Utc::now() + Duration::days(1);
    let pending = store.pending_deliveries(far, 1_000).await.unwrap();
    assert_eq!(pending.len(), 60);
}

macro_rules! conformance {
    ($($name:ident),* $(,)?) => {
        mod memory_store {
            $( #[tokio::test] async fn $name() { super::$name(&super::MemoryStore::new()).await; } )*
        }
        #[cfg(feature = "sqlite")]
        mod sqlite_store {
            $( #[tokio::test] async fn $name() { super::$name(&super::SqliteStore::open_in_memory().unwrap()).await; } )*
        }
        // On a file, deliveries go through the group-commit writer.
        #[cfg(feature = "sqlite")]
        mod sqlite_file_store {
            $( #[tokio::test] async fn $name() {
                let dir = tempfile::tempdir().unwrap();
                super::$name(&super::SqliteStore::open(dir.path().join("store.sqlite3")).unwrap()).await;
            } )*
        }
        // Each test in a fresh schema of ASPECT_TEST_POSTGRES_URL's database
        // (skipped without it, except under CI=true; see test_support).
        #[cfg(feature = "postgres")]
        mod postgres_store {
            $( #[tokio::test] async fn $name() {
                let Some(schema) = super::super::postgres::test_support::TestSchema::new() else {
                    return;
                };
                {
                    let store = schema.store().await;
                    super::$name(&store).await;
                }
                schema.cleanup().await;
            } )*
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
    sync_leases_are_exclusive_until_they_expire,
    queued_work_wakes_a_waiting_worker,
    deliveries_are_claimed_by_one_worker_at_a_time,
    records_are_versioned_and_compared_before_set,
    record_races_have_exactly_one_winner,
    concurrent_copies_are_recorded_once,
    page_writes_are_one_batch_that_refuses_tombstones,
    page_writes_match_one_by_one_writes,
);

async fn page_writes_are_one_batch_that_refuses_tombstones(store: &dyn Store) {
    let t = tenant("a");
    let at = Utc.with_ymd_and_hms(2026, 11, 1, 9, 0, 0).unwrap();
    store
        .add_tombstone(&t, Ats::Greenhouse, TombstoneKind::Candidate, "2", at)
        .await
        .unwrap();
    store
        .add_tombstone(&t, Ats::Greenhouse, TombstoneKind::Application, "app-3", at)
        .await
        .unwrap();
    let page = vec![
        candidate("a", "1", "one@example.com"),
        candidate("a", "2", "two@example.com"),
        candidate("a", "3", "three@example.com"),
    ];
    let written = store.apply_candidates(&page).await.unwrap();
    assert_eq!(written, vec![true, false, true]);
    assert_eq!(store.candidate_count(&t).await.unwrap(), 2);
    assert!(store.candidate(&key("a", "2")).await.unwrap().is_none());
    // The batch keeps the index rows up to date, like `upsert_candidate`.
    let by_email = store
        .candidates_by_email(&t, "three@example.com")
        .await
        .unwrap();
    assert_eq!(by_email, vec![page[2].clone()]);
    let by_app = store
        .candidate_by_application(&t, Ats::Greenhouse, "app-1")
        .await
        .unwrap();
    assert_eq!(by_app, Some(page[0].clone()));

    let ids: Vec<String> = ["1", "2", "9"].iter().map(|s| s.to_string()).collect();
    let apps: Vec<String> = ["app-1", "app-3"].iter().map(|s| s.to_string()).collect();
    let snapshot = store
        .candidate_snapshot(&t, Ats::Greenhouse, &ids, &apps)
        .await
        .unwrap();
    assert_eq!(snapshot.candidates, vec![page[0].clone()]);
    assert_eq!(snapshot.deleted_candidates, vec!["2".to_owned()]);
    assert_eq!(snapshot.deleted_applications, vec!["app-3".to_owned()]);
    // Another tenant's rows are not part of it.
    let other = store
        .candidate_snapshot(&tenant("b"), Ats::Greenhouse, &ids, &apps)
        .await
        .unwrap();
    assert_eq!(other, CandidateSnapshot::default());
}

async fn page_writes_match_one_by_one_writes(store: &dyn Store) {
    let t = tenant("a");
    // Yesterday "2" held app-shared; today's page names "1" twice (the
    // later copy with a new address) and moves app-shared to "3".
    let mut two = candidate("a", "2", "two@example.com");
    two.applications[0].id = "app-shared".into();
    assert!(store.upsert_candidate(&two).await.unwrap());
    let first = candidate("a", "1", "old@example.com");
    let again = candidate("a", "1", "new@example.com");
    let mut three = candidate("a", "3", "three@example.com");
    three.applications[0].id = "app-shared".into();
    let written = store
        .apply_candidates(&[first, two.clone(), again.clone(), three.clone()])
        .await
        .unwrap();
    assert_eq!(written, vec![true, true, true, true]);
    assert_eq!(
        store.candidate(&key("a", "1")).await.unwrap(),
        Some(again.clone())
    );
    assert!(
        store
            .candidates_by_email(&t, "old@example.com")
            .await
            .unwrap()
            .is_empty(),
        "the earlier copy's address is gone, as after two upserts"
    );
    assert_eq!(
        store
            .candidates_by_email(&t, "new@example.com")
            .await
            .unwrap(),
        vec![again]
    );
    assert_eq!(
        store
            .candidate_by_application(&t, Ats::Greenhouse, "app-shared")
            .await
            .unwrap(),
        Some(three),
        "the later owner of an application keeps it"
    );
    assert_eq!(store.candidate_count(&t).await.unwrap(), 3);
    assert_eq!(
        store.apply_candidates(&[]).await.unwrap(),
        Vec::<bool>::new()
    );
}
