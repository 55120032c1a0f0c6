//! Derives the async [`Store`](super::Store) from a
//! [`BlockingStore`](super::BlockingStore): one macro, so the two stores
//! built this way cannot drift from the trait.

/// Implements [`Store`](crate::store::Store) for `$ty`, whose field `$db` is
/// an `Arc` of a [`BlockingStore`](crate::store::BlockingStore) and whose
/// field `$wake` is the `tokio::sync::Notify` behind
/// [`wait_for_work`](crate::store::Store::wait_for_work). `$run` decides
/// where each call runs: [`run_in_place`](crate::store::run_in_place) for
/// memory (no I/O), [`run_blocking`](crate::store::run_blocking) for a file
/// (tokio's blocking pool, so no async worker waits on the disk). Arguments
/// are copied into the call so it can move to another thread.
macro_rules! async_store {
    ($ty:ty, $db:ident, $wake:ident, $run:path) => {
        #[async_trait::async_trait]
        impl $crate::store::Store for $ty {
            async fn record_delivery(&self, delivery: &Delivery) -> Result<bool> {
                // A group-commit writer answers through a channel, so no
                // thread of the blocking pool waits for the commit.
                let out = match $crate::store::BlockingStore::submit_delivery(
                    &*self.$db,
                    delivery.to_owned(),
                ) {
                    Ok(receipt) => $crate::store::delivery_committed(receipt).await,
                    Err(owned_delivery) => {
                        $run(&self.$db, move |db| {
                            $crate::store::BlockingStore::record_delivery(db, &owned_delivery)
                        })
                        .await?
                    }
                };
                $crate::store::wake_if_ok(&self.$wake, &out);
                out
            }
            async fn pending_deliveries(
                &self,
                now: DateTime<Utc>,
                limit: usize,
            ) -> Result<Vec<Delivery>> {
                let owned_now = now;
                let owned_limit = limit;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::pending_deliveries(db, owned_now, owned_limit)
                })
                .await?;
                out
            }
            async fn mark_delivery_processed(
                &self,
                tenant: &TenantId,
                ats: Ats,
                delivery_id: &str,
            ) -> Result<()> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_delivery_id = delivery_id.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::mark_delivery_processed(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_delivery_id),
                    )
                })
                .await?;
                out
            }
            async fn retry_delivery(&self, delivery: &Delivery) -> Result<()> {
                let owned_delivery = delivery.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::retry_delivery(
                        db,
                        std::borrow::Borrow::borrow(&owned_delivery),
                    )
                })
                .await?;
                out
            }
            async fn claim_delivery(
                &self,
                tenant: &TenantId,
                ats: Ats,
                delivery_id: &str,
                owner: &str,
                now: DateTime<Utc>,
                until: DateTime<Utc>,
            ) -> Result<bool> {
                let (tenant, delivery_id, owner) =
                    (tenant.to_owned(), delivery_id.to_owned(), owner.to_owned());
                $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::claim_delivery(
                        db,
                        &tenant,
                        ats,
                        &delivery_id,
                        &owner,
                        now,
                        until,
                    )
                })
                .await?
            }
            async fn resume_deliveries(&self, tenant: &TenantId, ats: Ats) -> Result<u64> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::resume_deliveries(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                    )
                })
                .await?;
                $crate::store::wake_if_ok(&self.$wake, &out);
                out
            }
            async fn upsert_candidate(&self, candidate: &IndexedCandidate) -> Result<bool> {
                let owned_candidate = candidate.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::upsert_candidate(
                        db,
                        std::borrow::Borrow::borrow(&owned_candidate),
                    )
                })
                .await?;
                out
            }
            async fn candidate(&self, key: &CandidateKey) -> Result<Option<IndexedCandidate>> {
                let owned_key = key.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::candidate(
                        db,
                        std::borrow::Borrow::borrow(&owned_key),
                    )
                })
                .await?;
                out
            }
            async fn candidates_by_email(
                &self,
                tenant: &TenantId,
                email: &str,
            ) -> Result<Vec<IndexedCandidate>> {
                let owned_tenant = tenant.to_owned();
                let owned_email = email.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::candidates_by_email(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        std::borrow::Borrow::borrow(&owned_email),
                    )
                })
                .await?;
                out
            }
            async fn candidate_by_application(
                &self,
                tenant: &TenantId,
                ats: Ats,
                application_id: &str,
            ) -> Result<Option<IndexedCandidate>> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_application_id = application_id.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::candidate_by_application(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_application_id),
                    )
                })
                .await?;
                out
            }
            async fn candidate_count(&self, tenant: &TenantId) -> Result<u64> {
                let owned_tenant = tenant.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::candidate_count(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                    )
                })
                .await?;
                out
            }
            async fn candidate_ids(&self, key: &CandidateKey) -> Result<Vec<String>> {
                let owned_key = key.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::candidate_ids(
                        db,
                        std::borrow::Borrow::borrow(&owned_key),
                    )
                })
                .await?;
                out
            }
            async fn purge_candidate(
                &self,
                key: &CandidateKey,
                tombstone_at: Option<DateTime<Utc>>,
            ) -> Result<u64> {
                let owned_key = key.to_owned();
                let owned_tombstone_at = tombstone_at;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::purge_candidate(
                        db,
                        std::borrow::Borrow::borrow(&owned_key),
                        owned_tombstone_at,
                    )
                })
                .await?;
                out
            }
            async fn merge_candidate(&self, from: &CandidateKey, into_id: &str) -> Result<u64> {
                let owned_from = from.to_owned();
                let owned_into_id = into_id.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::merge_candidate(
                        db,
                        std::borrow::Borrow::borrow(&owned_from),
                        std::borrow::Borrow::borrow(&owned_into_id),
                    )
                })
                .await?;
                out
            }
            async fn add_tombstone(
                &self,
                tenant: &TenantId,
                ats: Ats,
                kind: TombstoneKind,
                id: &str,
                at: DateTime<Utc>,
            ) -> Result<()> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_kind = kind;
                let owned_id = id.to_owned();
                let owned_at = at;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::add_tombstone(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        owned_kind,
                        std::borrow::Borrow::borrow(&owned_id),
                        owned_at,
                    )
                })
                .await?;
                out
            }
            async fn tombstone(
                &self,
                tenant: &TenantId,
                ats: Ats,
                kind: TombstoneKind,
                id: &str,
            ) -> Result<Option<DateTime<Utc>>> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_kind = kind;
                let owned_id = id.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::tombstone(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        owned_kind,
                        std::borrow::Borrow::borrow(&owned_id),
                    )
                })
                .await?;
                out
            }
            async fn upsert_job(&self, job: &IndexedJob) -> Result<()> {
                let owned_job = job.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::upsert_job(
                        db,
                        std::borrow::Borrow::borrow(&owned_job),
                    )
                })
                .await?;
                out
            }
            async fn jobs(&self, tenant: &TenantId, ats: Ats) -> Result<Vec<IndexedJob>> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::jobs(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                    )
                })
                .await?;
                out
            }
            async fn upsert_interview(&self, interview: &ScheduledInterview) -> Result<()> {
                let owned_interview = interview.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::upsert_interview(
                        db,
                        std::borrow::Borrow::borrow(&owned_interview),
                    )
                })
                .await?;
                out
            }
            async fn interview(
                &self,
                tenant: &TenantId,
                ats: Ats,
                interview_id: &str,
            ) -> Result<Option<ScheduledInterview>> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_interview_id = interview_id.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::interview(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_interview_id),
                    )
                })
                .await?;
                out
            }
            async fn remove_interview(
                &self,
                tenant: &TenantId,
                ats: Ats,
                interview_id: &str,
            ) -> Result<Option<ScheduledInterview>> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_interview_id = interview_id.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::remove_interview(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_interview_id),
                    )
                })
                .await?;
                out
            }
            async fn interviews(&self, tenant: &TenantId) -> Result<Vec<ScheduledInterview>> {
                let owned_tenant = tenant.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::interviews(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                    )
                })
                .await?;
                out
            }
            async fn candidate_interviews(
                &self,
                tenant: &TenantId,
                ats: Ats,
                candidate_ids: &[String],
                application_ids: &[String],
            ) -> Result<Vec<ScheduledInterview>> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_candidate_ids = candidate_ids.to_owned();
                let owned_application_ids = application_ids.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::candidate_interviews(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_candidate_ids),
                        std::borrow::Borrow::borrow(&owned_application_ids),
                    )
                })
                .await?;
                out
            }
            async fn enqueue_note(&self, entry: &OutboxEntry) -> Result<bool> {
                let owned_entry = entry.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::enqueue_note(
                        db,
                        std::borrow::Borrow::borrow(&owned_entry),
                    )
                })
                .await?;
                $crate::store::wake_if_ok(&self.$wake, &out);
                out
            }
            async fn outbox_entry(&self, key: &OutboxKey) -> Result<Option<OutboxEntry>> {
                let owned_key = key.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::outbox_entry(
                        db,
                        std::borrow::Borrow::borrow(&owned_key),
                    )
                })
                .await?;
                out
            }
            async fn claim_due_notes(
                &self,
                owner: &str,
                now: DateTime<Utc>,
                until: DateTime<Utc>,
                limit: usize,
            ) -> Result<Vec<OutboxEntry>> {
                let owned_owner = owner.to_owned();
                let owned_now = now;
                let owned_until = until;
                let owned_limit = limit;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::claim_due_notes(
                        db,
                        std::borrow::Borrow::borrow(&owned_owner),
                        owned_now,
                        owned_until,
                        owned_limit,
                    )
                })
                .await?;
                out
            }
            async fn update_claimed(&self, entry: &mut OutboxEntry) -> Result<()> {
                let mut owned_entry = entry.clone();
                let (out, back) = $run(&self.$db, move |db| {
                    let out = $crate::store::BlockingStore::update_claimed(db, &mut owned_entry);
                    (out, owned_entry)
                })
                .await?;
                *entry = back;
                out
            }
            async fn park_notes(
                &self,
                tenant: &TenantId,
                ats: Ats,
                reason: &str,
                now: DateTime<Utc>,
            ) -> Result<u64> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_reason = reason.to_owned();
                let owned_now = now;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::park_notes(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_reason),
                        owned_now,
                    )
                })
                .await?;
                out
            }
            async fn resume_notes(
                &self,
                tenant: &TenantId,
                ats: Ats,
                now: DateTime<Utc>,
            ) -> Result<u64> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_now = now;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::resume_notes(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        owned_now,
                    )
                })
                .await?;
                $crate::store::wake_if_ok(&self.$wake, &out);
                out
            }
            async fn due_notes(
                &self,
                now: DateTime<Utc>,
                limit: usize,
            ) -> Result<Vec<OutboxEntry>> {
                let owned_now = now;
                let owned_limit = limit;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::due_notes(db, owned_now, owned_limit)
                })
                .await?;
                out
            }
            async fn outbox(&self, tenant: &TenantId) -> Result<Vec<OutboxEntry>> {
                let owned_tenant = tenant.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::outbox(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                    )
                })
                .await?;
                out
            }
            async fn notes_in_state(
                &self,
                tenant: &TenantId,
                state: &str,
            ) -> Result<Vec<OutboxEntry>> {
                let owned_tenant = tenant.to_owned();
                let owned_state = state.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::notes_in_state(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        std::borrow::Borrow::borrow(&owned_state),
                    )
                })
                .await?;
                out
            }
            async fn record_audit(&self, record: &AuditRecord) -> Result<()> {
                let owned_record = record.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::record_audit(
                        db,
                        std::borrow::Borrow::borrow(&owned_record),
                    )
                })
                .await?;
                out
            }
            async fn audit_log(&self, tenant: &TenantId) -> Result<Vec<AuditRecord>> {
                let owned_tenant = tenant.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::audit_log(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                    )
                })
                .await?;
                out
            }
            async fn checkpoint(&self, tenant: &TenantId, name: &str) -> Result<Option<String>> {
                let owned_tenant = tenant.to_owned();
                let owned_name = name.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::checkpoint(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        std::borrow::Borrow::borrow(&owned_name),
                    )
                })
                .await?;
                out
            }
            async fn set_checkpoint(
                &self,
                tenant: &TenantId,
                name: &str,
                value: &str,
            ) -> Result<()> {
                let owned_tenant = tenant.to_owned();
                let owned_name = name.to_owned();
                let owned_value = value.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::set_checkpoint(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        std::borrow::Borrow::borrow(&owned_name),
                        std::borrow::Borrow::borrow(&owned_value),
                    )
                })
                .await?;
                out
            }
            async fn prune(
                &self,
                deliveries_before: DateTime<Utc>,
                note_bodies_before: DateTime<Utc>,
            ) -> Result<PruneReport> {
                let owned_deliveries_before = deliveries_before;
                let owned_note_bodies_before = note_bodies_before;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::prune(
                        db,
                        owned_deliveries_before,
                        owned_note_bodies_before,
                    )
                })
                .await?;
                out
            }
            async fn scrub(&self) -> Result<bool> {
                let out =
                    $run(&self.$db, move |db| $crate::store::BlockingStore::scrub(db)).await?;
                out
            }
            async fn acquire_sync_lease(
                &self,
                tenant: &TenantId,
                ats: Ats,
                owner: &str,
                now: DateTime<Utc>,
                until: DateTime<Utc>,
            ) -> Result<bool> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_owner = owner.to_owned();
                let owned_now = now;
                let owned_until = until;
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::acquire_sync_lease(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_owner),
                        owned_now,
                        owned_until,
                    )
                })
                .await?;
                out
            }
            async fn release_sync_lease(
                &self,
                tenant: &TenantId,
                ats: Ats,
                owner: &str,
            ) -> Result<()> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_owner = owner.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::release_sync_lease(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        std::borrow::Borrow::borrow(&owned_owner),
                    )
                })
                .await?;
                out
            }
            async fn candidate_snapshot(
                &self,
                tenant: &TenantId,
                ats: Ats,
                candidate_ids: &[String],
                application_ids: &[String],
            ) -> Result<$crate::store::CandidateSnapshot> {
                let owned_tenant = tenant.to_owned();
                let owned_ats = ats;
                let owned_candidate_ids = candidate_ids.to_owned();
                let owned_application_ids = application_ids.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::candidate_snapshot(
                        db,
                        std::borrow::Borrow::borrow(&owned_tenant),
                        owned_ats,
                        &owned_candidate_ids,
                        &owned_application_ids,
                    )
                })
                .await?;
                out
            }
            async fn apply_candidates(&self, candidates: &[IndexedCandidate]) -> Result<Vec<bool>> {
                let owned_candidates = candidates.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::apply_candidates(db, &owned_candidates)
                })
                .await?;
                out
            }
            async fn wait_for_work(&self, timeout: std::time::Duration) {
                let _ = tokio::time::timeout(timeout, self.$wake.notified()).await;
            }
            async fn record(
                &self,
                kind: &str,
                key: &str,
            ) -> Result<Option<$crate::store::StoredRecord>> {
                let owned_kind = kind.to_owned();
                let owned_key = key.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::record(db, &owned_kind, &owned_key)
                })
                .await?;
                out
            }
            async fn put_record(
                &self,
                kind: &str,
                key: &str,
                value: &str,
                expected_version: Option<u64>,
            ) -> Result<Option<u64>> {
                let owned_kind = kind.to_owned();
                let owned_key = key.to_owned();
                let owned_value = value.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::put_record(
                        db,
                        &owned_kind,
                        &owned_key,
                        &owned_value,
                        expected_version,
                    )
                })
                .await?;
                out
            }
            async fn delete_record(
                &self,
                kind: &str,
                key: &str,
                expected_version: Option<u64>,
            ) -> Result<bool> {
                let owned_kind = kind.to_owned();
                let owned_key = key.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::delete_record(
                        db,
                        &owned_kind,
                        &owned_key,
                        expected_version,
                    )
                })
                .await?;
                out
            }
            async fn records(
                &self,
                kind: &str,
            ) -> Result<Vec<(String, $crate::store::StoredRecord)>> {
                let owned_kind = kind.to_owned();
                let out = $run(&self.$db, move |db| {
                    $crate::store::BlockingStore::records(db, &owned_kind)
                })
                .await?;
                out
            }
        }
    };
}
