//! The fake's in-memory data and seeding.

use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

use chrono::Utc;
use serde_json::{Map, Value, json};

use super::oauth::OAuthServer;
use super::opportunities::Opportunities;
use super::wire::{base64, now_ms, uuid};
use super::{
    Failure, FailureScope, FakeConfig, NewCandidate, NewInterview, NoteResponseShape, PostedNote,
    SEED_CANDIDATE_EMAIL, SEED_CONFIDENTIAL_EMAIL, SEED_INTERVIEWER_EMAIL, SEED_USER_EMAIL,
};
use crate::retry::RateLimit;

pub(super) struct Bucket {
    pub(super) limit: RateLimit,
    tokens: f64,
    last: Instant,
}

impl Bucket {
    pub(super) fn new(limit: RateLimit) -> Self {
        Self {
            limit,
            tokens: f64::from(limit.burst()),
            last: Instant::now(),
        }
    }

    pub(super) fn take(&mut self) -> bool {
        let now = Instant::now();
        let refill =
            now.duration_since(self.last).as_secs_f64() * f64::from(self.limit.per_second());
        self.tokens = (self.tokens + refill).min(f64::from(self.limit.burst()));
        self.last = now;
        // A little slack for clock granularity between client and server buckets.
        if self.tokens >= 1.0 - 1e-3 {
            self.tokens -= 1.0;
            true
        } else {
            false
        }
    }
}

pub(super) struct State {
    pub(super) expected_auth: String,
    pub(super) oauth: OAuthServer,
    pub(super) users: Vec<Value>,
    pub(super) stages: Vec<Value>,
    pub(super) archive_reasons: Vec<Value>,
    pub(super) postings: Vec<Value>,
    pub(super) opportunities: Opportunities,
    /// Deleted opportunities with `deletedAt`/`deletedBy`, for `GET /opportunities/deleted`.
    pub(super) deleted: Vec<Value>,
    pub(super) interviews: Vec<(String, Value)>,
    pub(super) notes: Vec<PostedNote>,
    pub(super) webhooks: Vec<Value>,
    /// (event, signature token) of every webhook created through the API.
    pub(super) webhook_tokens: Vec<(String, String)>,
    pub(super) failures: VecDeque<(FailureScope, Failure)>,
    pub(super) revoked: bool,
    pub(super) counts: BTreeMap<String, u64>,
    pub(super) bucket: Option<Bucket>,
    pub(super) default_page_size: usize,
    pub(super) note_shape: NoteResponseShape,
}

pub(super) const DAY_MS: i64 = 86_400_000;
pub(super) const STAGE_SCREEN: &str = "8f1c4e1a-0b5d-4c51-9c5e-2d1a7b9f3e10";
pub(super) const STAGE_ONSITE: &str = "3a0e6f2b-7c44-4d8e-a1f5-6b2c9d8e7f01";
pub(super) const REASON_HIRED: &str = "63dd55b2-a99f-4e7b-985f-22c7bf80ab42";
pub(super) const REASON_WITHDREW: &str = "4b2c9e1d-5f3a-4c7e-8d6b-1a2f3e4d5c6b";

impl State {
    pub(super) fn new(config: &FakeConfig, api_key: &str) -> Self {
        Self {
            oauth: OAuthServer::new(),
            expected_auth: format!("Basic {}", base64(format!("{api_key}:").as_bytes())),
            users: Vec::new(),
            stages: Vec::new(),
            archive_reasons: Vec::new(),
            postings: Vec::new(),
            opportunities: Opportunities::default(),
            deleted: Vec::new(),
            interviews: Vec::new(),
            notes: Vec::new(),
            webhooks: Vec::new(),
            webhook_tokens: Vec::new(),
            failures: VecDeque::new(),
            revoked: false,
            counts: BTreeMap::new(),
            bucket: config.rate_limit.map(Bucket::new),
            default_page_size: config.default_page_size.clamp(1, 100),
            note_shape: NoteResponseShape::default(),
        }
    }

    pub(super) fn seed(&mut self) {
        let t0 = now_ms() - 60 * DAY_MS;
        let rachel = self.add_user("Rachel Green", SEED_USER_EMAIL, "super admin");
        let ross = self.add_user("Ross Geller", SEED_INTERVIEWER_EMAIL, "interviewer");
        let monica = self.add_user("Monica Geller", "monica.geller@example.com", "admin");
        for (id, text) in [
            ("lead-new", "New lead"),
            ("applicant-new", "New applicant"),
            (STAGE_SCREEN, "Phone screen"),
            (STAGE_ONSITE, "On-site interview"),
            ("offer", "Offer"),
        ] {
            self.stages.push(json!({"id": id, "text": text}));
        }
        for (id, text, kind) in [
            (REASON_HIRED, "Hired", "hired"),
            (REASON_WITHDREW, "Withdrew", "non-hired"),
            (
                "9a8b7c6d-1e2f-4a3b-8c4d-5e6f7a8b9c0d",
                "Underqualified",
                "non-hired",
            ),
        ] {
            self.archive_reasons
                .push(json!({"id": id, "text": text, "status": "active", "type": kind}));
        }
        let backend = self.add_posting("Senior Backend Engineer", "Engineering", &rachel, t0);
        let _design = self.add_posting("Product Designer", "Design", &monica, t0);

        let ada = self.add_candidate(
            NewCandidate::new("Ada Lovelace", SEED_CANDIDATE_EMAIL)
                .email("ada@analytical-engine.example")
                .stage(STAGE_SCREEN)
                .posting(backend.clone())
                .tag("backend")
                .tag("referral")
                .owner(rachel.clone()),
        );
        self.follow(&ada, &ross);
        // An older candidacy of the same person, archived.
        let old = self.add_candidate(
            NewCandidate::new("Ada Lovelace", SEED_CANDIDATE_EMAIL).owner(monica.clone()),
        );
        self.archive(&old, Some(REASON_WITHDREW));
        let grace = self.add_candidate(
            NewCandidate::new("Grace Hopper", SEED_CONFIDENTIAL_EMAIL)
                .stage(STAGE_ONSITE)
                .posting(backend)
                .owner(monica)
                .confidential(true),
        );
        let tomorrow = Utc::now()
            .date_naive()
            .succ_opt()
            .unwrap_or(Utc::now().date_naive());
        let start = tomorrow
            .and_hms_opt(15, 0, 0)
            .map(|d| d.and_utc())
            .unwrap_or_else(Utc::now);
        self.add_interview(
            &ada,
            NewInterview::new(start, 45)
                .interviewer(ross.clone())
                .subject("Phone screen with Ada Lovelace")
                .location("https://meet.example.com/abc-defg-hij"),
        );
        self.add_interview(
            &grace,
            NewInterview::new(start + chrono::Duration::hours(2), 60)
                .interviewer(ross)
                .interviewer(rachel)
                .subject("On-site: system design")
                .location("https://zoom.example.com/j/5551234567"),
        );
        self.add_candidate(
            NewCandidate::new("Alan Turing", "alan.turing@example.com").stage("lead-new"),
        );
    }

    pub(super) fn add_user(&mut self, name: &str, email: &str, role: &str) -> String {
        let id = uuid();
        let username = email.split('@').next().unwrap_or(email);
        self.users.push(json!({
            "id": id, "name": name, "username": username, "email": email,
            "createdAt": now_ms() - 400 * DAY_MS, "deactivatedAt": null, "accessRole": role,
            "photo": null, "externalDirectoryId": null, "linkedContactIds": null,
            "jobTitle": null, "managerId": null,
        }));
        id
    }

    pub(super) fn user_id(&self, email: &str) -> Option<String> {
        self.users
            .iter()
            .find(|u| {
                u["email"]
                    .as_str()
                    .is_some_and(|e| e.eq_ignore_ascii_case(email))
            })
            .and_then(|u| u["id"].as_str().map(str::to_owned))
    }

    pub(super) fn add_posting(&mut self, title: &str, team: &str, owner: &str, at: i64) -> String {
        let id = uuid();
        self.postings.push(json!({
            "id": id, "text": title, "createdAt": at, "updatedAt": at, "user": owner,
            "owner": owner, "hiringManager": owner, "confidentiality": "non-confidential",
            "categories": {"team": team, "department": team, "location": "Remote",
                           "allLocations": ["Remote"], "commitment": "Full-time", "level": null},
            "tags": [], "state": "published", "distributionChannels": ["public", "internal"],
            "requisitionCodes": [], "workplaceType": "remote", "followers": [owner],
            "urls": {"list": "https://jobs.lever.co/example",
                     "show": format!("https://jobs.lever.co/example/{id}"),
                     "apply": format!("https://jobs.lever.co/example/{id}/apply")},
        }));
        id
    }

    pub(super) fn add_candidate(&mut self, c: NewCandidate) -> String {
        let id = uuid();
        // The same person (first e-mail already known) keeps one contact.
        let contact = c
            .emails
            .first()
            .and_then(|email| self.opportunities.with_email(email).next())
            .map(|o| o["contact"].clone())
            .unwrap_or_else(|| json!(uuid()));
        let now = now_ms();
        let applications: Vec<Value> = c
            .posting
            .iter()
            .map(|p| {
                json!({"id": uuid(), "opportunityId": id, "candidateId": id, "type": "posting",
                       "posting": p, "createdAt": now, "archived": null})
            })
            .collect();
        let followers: Vec<Value> = c.owner.iter().map(|o| json!(o)).collect();
        self.opportunities.insert(json!({
            "id": id, "name": c.name, "headline": "", "contact": contact,
            "emails": c.emails, "phones": [{"type": "mobile", "value": "+1 555 0100"}],
            "links": [], "location": "Remote", "stage": c.stage,
            "stageChanges": [{"toStageId": c.stage, "toStageIndex": 1, "userId": c.owner, "updatedAt": now}],
            "confidentiality": if c.confidential { "confidential" } else { "non-confidential" },
            "archived": null, "tags": c.tags, "sources": ["LinkedIn"], "origin": "applied",
            "sourcedBy": null, "owner": c.owner, "followers": followers,
            "applications": applications, "createdAt": now, "updatedAt": now,
            "lastInteractionAt": now, "lastAdvancedAt": now, "snoozedUntil": null,
            "urls": {"list": "https://hire.lever.co/candidates",
                     "show": format!("https://hire.lever.co/candidates/{id}")},
            "dataProtection": null, "isAnonymized": false,
        }));
        id
    }

    /// Change one opportunity's fields; `false` if it does not exist.
    pub(super) fn modify_opportunity(
        &mut self,
        id: &str,
        change: impl FnOnce(&mut Map<String, Value>),
    ) -> bool {
        self.opportunities.modify(id, |o| {
            if let Some(map) = o.as_object_mut() {
                change(map);
            }
        })
    }

    pub(super) fn follow(&mut self, opportunity_id: &str, user_id: &str) {
        self.modify_opportunity(opportunity_id, |o| {
            if let Some(f) = o.get_mut("followers").and_then(Value::as_array_mut) {
                f.push(json!(user_id));
            }
        });
    }

    pub(super) fn opportunity_ids(&self, email: &str) -> Vec<String> {
        self.opportunities
            .with_email(email)
            .filter_map(|o| o["id"].as_str().map(str::to_owned))
            .collect()
    }

    pub(super) fn add_interview(&mut self, opportunity_id: &str, i: NewInterview) -> String {
        let id = uuid();
        let interviewers: Vec<Value> = i
            .interviewers
            .iter()
            .map(|uid| {
                let user = self.users.iter().find(|u| u["id"] == uid.as_str());
                json!({"id": uid, "name": user.map(|u| u["name"].clone()),
                       "email": user.map(|u| u["email"].clone()), "feedbackTemplate": null})
            })
            .collect();
        let stage = self
            .opportunities
            .get(opportunity_id)
            .map(|o| o["stage"].clone())
            .unwrap_or(Value::Null);
        let interview = json!({
            "id": id, "panel": uuid(), "subject": i.subject, "note": null,
            "interviewers": interviewers, "timezone": "UTC", "createdAt": now_ms(),
            "date": i.start.timestamp_millis(), "duration": i.duration_minutes,
            "location": i.location, "feedbackTemplate": null, "feedbackForms": [],
            "feedbackReminder": "frequently", "user": i.interviewers.first(), "stage": stage,
            "canceledAt": null, "postings": [],
        });
        self.interviews.push((opportunity_id.to_owned(), interview));
        id
    }

    pub(super) fn archive(&mut self, opportunity_id: &str, reason: Option<&str>) {
        let reason = reason.unwrap_or(REASON_WITHDREW).to_owned();
        let now = now_ms();
        self.modify_opportunity(opportunity_id, |o| {
            o.insert(
                "archived".into(),
                json!({"archivedAt": now, "reason": reason}),
            );
            o.insert("updatedAt".into(), json!(now));
        });
    }

    pub(super) fn delete(&mut self, opportunity_id: &str) {
        if let Some(mut gone) = self.opportunities.remove(opportunity_id) {
            gone["deletedAt"] = now_ms().into();
            gone["deletedBy"] = Value::Null;
            self.deleted.push(gone);
        }
        self.interviews.retain(|(o, _)| o != opportunity_id);
    }

    /// Replace the details of every opportunity of `contact_id` from a contact body (as
    /// `PUT /contacts/:id` does); `false` if no opportunity has that contact.
    pub(super) fn update_contact(&mut self, contact_id: &str, contact: &Value) -> bool {
        let ids = self.opportunities.of_contact(contact_id);
        let now = now_ms();
        for id in &ids {
            self.opportunities.modify(id, |o| {
                for key in ["name", "headline", "emails", "phones"] {
                    if let Some(v) = contact.get(key) {
                        o[key] = v.clone();
                    }
                }
                if let Some(name) = contact.get("location").and_then(|l| l.get("name")) {
                    o["location"] = name.clone();
                }
                o["updatedAt"] = now.into();
            });
        }
        !ids.is_empty()
    }

    pub(super) fn delete_interview(&mut self, opportunity_id: &str, interview_id: &str) -> bool {
        let before = self.interviews.len();
        self.interviews
            .retain(|(o, i)| !(o == opportunity_id && i["id"] == interview_id));
        self.interviews.len() != before
    }
}
