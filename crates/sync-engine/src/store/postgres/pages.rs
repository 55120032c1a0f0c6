//! A sync page's reads and writes in a fixed number of statements, not one
//! round trip per item: [`snapshot`] for
//! [`candidate_snapshot`](crate::store::Store::candidate_snapshot) and
//! [`apply`] for [`apply_candidates`](crate::store::Store::apply_candidates).
//! Arrays travel as parameters and `unnest` turns them back into rows.

use std::collections::{BTreeMap, HashSet};

use deadpool_postgres::GenericClient;

use super::{db, exec, from_row, rows, to_json};
use crate::error::Result;
use crate::index::IndexedCandidate;
use crate::store::CandidateSnapshot;
use crate::tenant::{Ats, TenantId};

/// The stored candidates among `candidate_ids` (in that order) and the
/// tombstoned ids of both kinds: two statements.
pub(super) async fn snapshot(
    c: &impl GenericClient,
    tenant: &TenantId,
    ats: Ats,
    candidate_ids: &[String],
    application_ids: &[String],
) -> Result<CandidateSnapshot> {
    let stored = rows(
        c,
        "SELECT data FROM candidates
         WHERE tenant = $1 AND ats = $2 AND candidate_id = ANY($3)
         ORDER BY array_position($3, candidate_id)",
        &[&tenant.as_str(), &ats.as_str(), &candidate_ids],
    )
    .await?;
    let dead = rows(
        c,
        "SELECT kind, id FROM tombstones
         WHERE tenant = $1 AND ats = $2
           AND ((kind = 'candidate' AND id = ANY($3)) OR (kind = 'application' AND id = ANY($4)))",
        &[
            &tenant.as_str(),
            &ats.as_str(),
            &candidate_ids,
            &application_ids,
        ],
    )
    .await?;
    let mut snapshot = CandidateSnapshot::default();
    for row in &stored {
        snapshot.candidates.push(from_row(row)?);
    }
    let mut dead_candidates = HashSet::new();
    let mut dead_applications = HashSet::new();
    for row in &dead {
        let kind: String = row.try_get(0).map_err(db)?;
        let id: String = row.try_get(1).map_err(db)?;
        match kind.as_str() {
            "candidate" => dead_candidates.insert(id),
            _ => dead_applications.insert(id),
        };
    }
    // In the order asked, as the other stores answer.
    snapshot.deleted_candidates = candidate_ids
        .iter()
        .filter(|id| dead_candidates.contains(*id))
        .cloned()
        .collect();
    snapshot.deleted_applications = application_ids
        .iter()
        .filter(|id| dead_applications.contains(*id))
        .cloned()
        .collect();
    Ok(snapshot)
}

/// One person's key as three parallel columns.
#[derive(Default)]
struct Keys<'a> {
    tenants: Vec<&'a str>,
    ats: Vec<&'a str>,
    ids: Vec<&'a str>,
}

impl<'a> Keys<'a> {
    fn push(&mut self, c: &'a IndexedCandidate) {
        self.tenants.push(c.key.tenant.as_str());
        self.ats.push(c.key.ats.as_str());
        self.ids.push(&c.key.candidate_id);
    }
}

/// Writes every candidate whose key has no tombstone, inside `tx` (the
/// caller commits): the people's advisory locks in one statement (sorted,
/// so two writers never wait on each other in a cycle), the tombstone check
/// in one, then one statement per table. Per candidate, in order, whether
/// it was written. When the batch names a person twice, the later copy is
/// the one stored, as writing them one by one would leave it.
pub(super) async fn apply(
    tx: &impl GenericClient,
    candidates: &[IndexedCandidate],
) -> Result<Vec<bool>> {
    let mut all = Keys::default();
    candidates.iter().for_each(|c| all.push(c));
    exec(
        tx,
        "SELECT pg_advisory_xact_lock(hashtextextended(k, 0))
         FROM (SELECT DISTINCT t || chr(31) || a || chr(31) || i AS k
               FROM unnest($1::text[], $2::text[], $3::text[]) AS u(t, a, i)) AS keys
         ORDER BY k",
        &[&all.tenants, &all.ats, &all.ids],
    )
    .await?;
    let dead: HashSet<(String, String, String)> = rows(
        tx,
        "SELECT t.tenant, t.ats, t.id FROM tombstones t
         JOIN unnest($1::text[], $2::text[], $3::text[]) AS u(tenant, ats, id)
           ON t.tenant = u.tenant AND t.ats = u.ats AND t.id = u.id
         WHERE t.kind = 'candidate'",
        &[&all.tenants, &all.ats, &all.ids],
    )
    .await?
    .iter()
    .map(|r| {
        Ok((
            r.try_get(0).map_err(db)?,
            r.try_get(1).map_err(db)?,
            r.try_get(2).map_err(db)?,
        ))
    })
    .collect::<Result<_>>()?;
    let is_dead = |c: &IndexedCandidate| {
        dead.contains(&(
            c.key.tenant.as_str().to_owned(),
            c.key.ats.as_str().to_owned(),
            c.key.candidate_id.clone(),
        ))
    };
    let written: Vec<bool> = candidates.iter().map(|c| !is_dead(c)).collect();
    // The last copy of each live person: `ON CONFLICT DO UPDATE` may touch
    // a row once per statement.
    let mut latest = BTreeMap::new();
    for c in candidates.iter().filter(|c| !is_dead(c)) {
        latest.insert(&c.key, c);
    }
    if !latest.is_empty() {
        write_people(tx, &latest.into_values().collect::<Vec<_>>()).await?;
    }
    Ok(written)
}

/// Replaces the people's candidate rows and their e-mail and application
/// index rows.
async fn write_people(tx: &impl GenericClient, people: &[&IndexedCandidate]) -> Result<()> {
    let mut keys = Keys::default();
    people.iter().for_each(|c| keys.push(c));
    let data = people
        .iter()
        .map(|c| to_json(*c))
        .collect::<Result<Vec<_>>>()?;
    let key_params = [&keys.tenants as _, &keys.ats as _, &keys.ids as _];
    exec(
        tx,
        "INSERT INTO candidates (tenant, ats, candidate_id, data)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::jsonb[])
         ON CONFLICT (tenant, ats, candidate_id) DO UPDATE SET data = EXCLUDED.data",
        &[key_params[0], key_params[1], key_params[2], &data],
    )
    .await?;
    for table in ["candidate_emails", "candidate_applications"] {
        exec(
            tx,
            &format!(
                "DELETE FROM {table} x USING unnest($1::text[], $2::text[], $3::text[]) AS u(tenant, ats, id)
                 WHERE x.tenant = u.tenant AND x.ats = u.ats AND x.candidate_id = u.id"
            ),
            &key_params,
        )
        .await?;
    }
    // An application id named by two people: the later one owns it.
    let mut owners = BTreeMap::new();
    for c in people {
        for app in &c.applications {
            owners.insert(
                (c.key.tenant.as_str(), c.key.ats.as_str(), app.id.as_str()),
                c.key.candidate_id.as_str(),
            );
        }
    }
    let (mut t, mut a, mut app, mut owner) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for ((tenant, ats, id), candidate) in owners {
        t.push(tenant);
        a.push(ats);
        app.push(id);
        owner.push(candidate);
    }
    exec(
        tx,
        "INSERT INTO candidate_applications (tenant, ats, application_id, candidate_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT (tenant, ats, application_id) DO UPDATE SET candidate_id = EXCLUDED.candidate_id",
        &[&t, &a, &app, &owner],
    )
    .await?;
    let (mut t, mut e, mut a, mut owner) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for c in people {
        for email in &c.emails {
            t.push(c.key.tenant.as_str());
            e.push(email.as_str());
            a.push(c.key.ats.as_str());
            owner.push(c.key.candidate_id.as_str());
        }
    }
    exec(
        tx,
        "INSERT INTO candidate_emails (tenant, email, ats, candidate_id)
         SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[])
         ON CONFLICT DO NOTHING",
        &[&t, &e, &a, &owner],
    )
    .await?;
    Ok(())
}
