//! Request handling: auth, failure injection, rate limit, then the Lever routes.

use std::sync::{Arc, Mutex};

use chrono::Utc;
use serde_json::{Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

use super::front::RESET_HEADER;
use super::state::State;
use super::wire::{
    Query, ROUTE_NOTE_POST, data, decode_component, error, find, has_email, not_found, now_ms,
    random_hex, route_name, uuid,
};
use super::{Failure, FailureScope, NoteResponseShape, PostedNote};

impl State {
    pub(super) fn handle(&mut self, req: &Request) -> ResponseTemplate {
        let path: Vec<String> = req
            .url
            .path_segments()
            .map(|s| s.map(decode_component).collect())
            .unwrap_or_default();
        let segs: Vec<&str> = path.iter().map(String::as_str).collect();
        if segs == ["oauth", "token"] && req.method.as_str() == "POST" {
            *self.counts.entry("POST /oauth/token".into()).or_default() += 1;
            return self.oauth.token(&req.body);
        }
        if segs == ["oauth", "authorize"] && matches!(req.method.as_str(), "GET" | "POST") {
            *self
                .counts
                .entry(format!("{} /oauth/authorize", req.method))
                .or_default() += 1;
            return self.oauth.authorize(req);
        }
        let Some(("v1", rest)) = segs.split_first().map(|(a, b)| (*a, b)) else {
            return error(404, "ResourceNotFound", "unknown route");
        };
        let method = req.method.as_str().to_owned();
        let route = route_name(&method, rest);
        *self.counts.entry(route.clone()).or_default() += 1;

        if self.revoked {
            return error(
                401,
                "Unauthorized",
                "Access for this integration has been revoked",
            );
        }
        let auth = req
            .headers
            .get("authorization")
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let bearer_ok = auth
            .strip_prefix("Bearer ")
            .is_some_and(|t| self.oauth.accepts_bearer(t));
        if auth != self.expected_auth && !bearer_ok {
            return error(401, "Unauthorized", "A valid API key was not provided");
        }
        let failure = self.take_failure(&route);
        match &failure {
            Some(Failure::RateLimited { retry_after }) => {
                let mut r = error(429, "TooManyRequests", "Too many requests");
                if let Some(after) = retry_after {
                    let secs = after.as_secs_f64().ceil().to_string();
                    r = r.insert_header("Retry-After", secs.as_str());
                }
                return r;
            }
            Some(Failure::Status(status)) => {
                return error(*status, "ServerError", "injected failure");
            }
            Some(Failure::ResetBeforeApplied) => {
                return ResponseTemplate::new(500).insert_header(RESET_HEADER, "before");
            }
            _ => {}
        }
        if let Some(bucket) = &mut self.bucket
            && !bucket.take()
        {
            return error(429, "TooManyRequests", "Rate limit exceeded");
        }
        let query = Query::parse(req.url.query().unwrap_or(""));
        let response = self.dispatch(&method, rest, &query, req);
        match failure {
            Some(Failure::AcceptThenFail(status)) => {
                error(status, "ServerError", "injected failure after processing")
            }
            Some(Failure::AcceptThenDelay(delay)) => response.set_delay(delay),
            Some(Failure::ResetAfterApplied) => response.insert_header(RESET_HEADER, "after"),
            _ => response,
        }
    }

    fn take_failure(&mut self, route: &str) -> Option<Failure> {
        let pos = self.failures.iter().position(|(scope, _)| match scope {
            FailureScope::Any => true,
            FailureScope::NotePosts => route == ROUTE_NOTE_POST,
        })?;
        self.failures.remove(pos).map(|(_, f)| f)
    }

    fn dispatch(
        &mut self,
        method: &str,
        segs: &[&str],
        q: &Query,
        req: &Request,
    ) -> ResponseTemplate {
        match (method, segs) {
            ("GET", ["opportunities", "deleted"]) => self.paged(self.deleted.clone(), q),
            ("GET", ["opportunities"]) => self.opportunities_page(q),
            ("GET", ["opportunities", id]) => match self.find_opportunity(id) {
                Some(o) => data(self.render_opportunity(o, q)),
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "interviews"]) => match self.find_opportunity(id) {
                Some(_) => {
                    let items = self.interviews_of(id);
                    self.paged(items, q)
                }
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "interviews", iid]) => self
                .interviews_of(id)
                .into_iter()
                .find(|i| i["id"] == *iid)
                .map(data)
                .unwrap_or_else(|| not_found("interviews", iid)),
            ("GET", ["opportunities", id, "panels"]) => match self.find_opportunity(id) {
                Some(_) => {
                    let items = self.panels_of(id);
                    self.paged(items, q)
                }
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "panels", pid]) => self
                .panels_of(id)
                .into_iter()
                .find(|p| p["id"] == *pid)
                .map(data)
                .unwrap_or_else(|| not_found("panels", pid)),
            ("GET", ["opportunities", id, "notes"]) => match self.find_opportunity(id) {
                Some(_) => {
                    let items = self.notes_json(id);
                    self.paged(items, q)
                }
                None => not_found("opportunities", id),
            },
            ("GET", ["opportunities", id, "notes", nid]) => self
                .notes_json(id)
                .into_iter()
                .find(|n| n["id"] == *nid)
                .map(data)
                .unwrap_or_else(|| not_found("notes", nid)),
            ("POST", ["opportunities", id, "notes"]) => self.post_note(id, q, &req.body),
            ("GET", ["contacts", id]) => self.contact(id),
            ("PUT", ["contacts", id]) => match serde_json::from_slice::<Value>(&req.body) {
                Ok(body) if body.is_object() => {
                    if self.update_contact(id, &body) {
                        self.contact(id)
                    } else {
                        not_found("contacts", id)
                    }
                }
                _ => error(400, "BadRequest", "body must be a JSON object"),
            },
            ("GET", ["users"]) => {
                let items = self.list_users(q);
                self.paged(items, q)
            }
            ("GET", ["users", id]) => {
                find(&self.users, id).unwrap_or_else(|| not_found("users", id))
            }
            ("GET", ["stages"]) => self.paged(self.stages.clone(), q),
            ("GET", ["stages", id]) => {
                find(&self.stages, id).unwrap_or_else(|| not_found("stages", id))
            }
            ("GET", ["archive_reasons"]) => self.paged(self.archive_reasons.clone(), q),
            ("GET", ["archive_reasons", id]) => {
                find(&self.archive_reasons, id).unwrap_or_else(|| not_found("archive_reasons", id))
            }
            ("GET", ["postings"]) => self.paged(self.postings.clone(), q),
            ("GET", ["postings", id]) => {
                find(&self.postings, id).unwrap_or_else(|| not_found("postings", id))
            }
            ("GET", ["webhooks"]) => data(Value::Array(self.webhooks.clone())),
            ("POST", ["webhooks"]) => self.create_webhook(&req.body),
            ("DELETE", ["webhooks", id]) => {
                let before = self.webhooks.len();
                self.webhooks.retain(|w| w["id"] != *id);
                if self.webhooks.len() < before {
                    ResponseTemplate::new(204)
                } else {
                    not_found("webhooks", id)
                }
            }
            _ => error(404, "ResourceNotFound", "unknown route"),
        }
    }

    /// `limit` and the start position from the offset token. Lever-style tokens are opaque and
    /// already percent-encoded JSON arrays (`[1,<position>]`), as observed on the sandbox
    /// (research note §2.2). A re-encoded token (`%255B…`) is rejected like Lever rejects
    /// unknown tokens.
    /// A 400 message on a bad `limit` or token.
    fn page_params(&self, q: &Query) -> Result<(usize, usize), &'static str> {
        let limit = match q.first("limit").map(|l| l.parse::<usize>()) {
            None => self.default_page_size,
            Some(Ok(l)) if (1..=100).contains(&l) => l,
            Some(_) => return Err("limit must be between 1 and 100"),
        };
        let start = match q.raw_offset.as_deref() {
            None => 0,
            Some(raw) => raw
                .strip_prefix("%5B1%2C")
                .and_then(|r| r.strip_suffix("%5D"))
                .and_then(|n| n.parse::<usize>().ok())
                .ok_or("Invalid offset token: Offset token is invalid for sort")?,
        };
        Ok((limit, start))
    }

    /// A page of a small list, the token holding the index of the next item.
    fn paged(&self, items: Vec<Value>, q: &Query) -> ResponseTemplate {
        let (limit, start) = match self.page_params(q) {
            Ok(params) => params,
            Err(message) => return error(400, "BadRequest", message),
        };
        let end = (start + limit).min(items.len());
        let page: Vec<Value> = items
            .get(start..end)
            .map(<[Value]>::to_vec)
            .unwrap_or_default();
        page_body(page, (end < items.len()).then_some(end))
    }

    /// A page of opportunities in O(page): the token holds the sequence number of the next
    /// record, the scan starts there, and only the returned records are rendered.
    fn opportunities_page(&self, q: &Query) -> ResponseTemplate {
        let (limit, start) = match self.page_params(q) {
            Ok(params) => params,
            Err(message) => return error(400, "BadRequest", message),
        };
        let mut page = Vec::with_capacity(limit);
        let mut next = None;
        let matching = self
            .opportunities
            .scan(start as u64, q.first("email"))
            .filter(|(_, o)| opportunity_matches(o, q));
        for (seq, o) in matching {
            if page.len() == limit {
                next = Some(seq);
                break;
            }
            page.push(self.render_opportunity(o.clone(), q));
        }
        page_body(page, next.and_then(|seq| usize::try_from(seq).ok()))
    }

    /// Applications are stored expanded; like Lever, they are ids unless `expand=applications`,
    /// and the contact is an id unless `expand=contact` (LD "Customizing the Response").
    fn render_opportunity(&self, mut o: Value, q: &Query) -> Value {
        if q.all("expand").any(|e| e == "contact") {
            o["contact"] = self.contact_json(o["contact"].as_str().unwrap_or_default());
        }
        if !q.all("expand").any(|e| e == "applications")
            && let Some(apps) = o["applications"].as_array_mut()
        {
            for app in apps {
                *app = app["id"].clone();
            }
        }
        o
    }

    fn find_opportunity(&self, id: &str) -> Option<Value> {
        self.opportunities.get(id).cloned()
    }

    pub(super) fn contact_json(&self, contact_id: &str) -> Value {
        let opp = self.opportunities.first_of_contact(contact_id);
        match opp {
            Some(o) => json!({
                "id": contact_id, "name": o["name"], "headline": o["headline"],
                "location": {"name": o["location"]}, "emails": o["emails"],
                "phones": o["phones"], "isAnonymized": false,
            }),
            None => Value::Null,
        }
    }

    fn contact(&self, id: &str) -> ResponseTemplate {
        match self.contact_json(id) {
            Value::Null => not_found("contacts", id),
            c => data(c),
        }
    }

    fn interviews_of(&self, opportunity_id: &str) -> Vec<Value> {
        self.interviews
            .iter()
            .filter(|(o, _)| o == opportunity_id)
            .map(|(_, i)| i.clone())
            .collect()
    }

    fn panels_of(&self, opportunity_id: &str) -> Vec<Value> {
        let apps: Vec<Value> = self
            .find_opportunity(opportunity_id)
            .and_then(|o| o["applications"].as_array().cloned())
            .unwrap_or_default()
            .iter()
            .map(|a| a["id"].clone())
            .collect();
        self.interviews_of(opportunity_id)
            .into_iter()
            .map(|i| {
                let start = i["date"].as_i64().unwrap_or(0);
                let end = start + i["duration"].as_i64().unwrap_or(0) * 60_000;
                json!({
                    "id": i["panel"], "applications": apps, "canceledAt": null,
                    "createdAt": i["createdAt"], "start": start, "end": end,
                    "timezone": i["timezone"], "feedbackReminder": "daily", "user": i["user"],
                    "stage": i["stage"], "note": null, "externallyManaged": false,
                    "externalUrl": null, "interviews": [i],
                })
            })
            .collect()
    }

    fn notes_json(&self, opportunity_id: &str) -> Vec<Value> {
        self.notes
            .iter()
            .filter(|n| n.opportunity_id == opportunity_id && n.reply_to.is_none())
            .map(|n| self.note_json(n))
            .collect()
    }

    fn note_json(&self, n: &PostedNote) -> Value {
        let at = n.created_at.timestamp_millis();
        let stage = self
            .find_opportunity(&n.opportunity_id)
            .map(|o| o["stage"].clone())
            .unwrap_or(Value::Null);
        let mut fields = vec![json!({"type": "note", "text": "Comment", "value": n.value,
            "createdAt": at, "user": n.perform_as, "score": n.score, "stage": stage})];
        for reply in self
            .notes
            .iter()
            .filter(|r| r.reply_to.as_deref() == Some(&n.id))
        {
            fields.push(
                json!({"type": "note", "text": "Comment", "value": reply.value,
                "createdAt": reply.created_at.timestamp_millis(), "user": reply.perform_as,
                "score": reply.score, "stage": stage}),
            );
        }
        json!({"id": n.id, "noteId": n.id, "text": "Note", "fields": fields,
               "user": n.perform_as, "secret": n.secret, "completedAt": at, "createdAt": at,
               "deletedAt": null})
    }

    fn post_note(&mut self, opportunity_id: &str, q: &Query, body: &[u8]) -> ResponseTemplate {
        if self.find_opportunity(opportunity_id).is_none() {
            return not_found("opportunities", opportunity_id);
        }
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return error(400, "BadRequest", "body must be JSON");
        };
        let Some(value) = body["value"].as_str().filter(|v| !v.is_empty()) else {
            return error(400, "BadRequest", "Missing required field: value");
        };
        let perform_as = q.first("perform_as").map(str::to_owned);
        if let Some(user) = &perform_as
            && !self.users.iter().any(|u| u["id"] == user.as_str())
        {
            return error(400, "BadRequest", "perform_as user not found");
        }
        let score = body["score"].as_i64();
        if score.is_some_and(|s| !(1..=4).contains(&s)) {
            return error(400, "BadRequest", "score must be between 1 and 4");
        }
        let created_at = match body["createdAt"].as_i64() {
            Some(ms) if ms > now_ms() + 60_000 => {
                return error(400, "BadRequest", "You cannot create a note in the future");
            }
            Some(ms) => crate::models::common::from_millis(ms).unwrap_or_else(Utc::now),
            None => Utc::now(),
        };
        let note = PostedNote {
            id: uuid(),
            opportunity_id: opportunity_id.to_owned(),
            value: value.to_owned(),
            perform_as,
            secret: body["secret"].as_bool().unwrap_or(false),
            score,
            notify_followers: body["notifyFollowers"].as_bool().unwrap_or(false),
            created_at,
            reply_to: q.first("note_id").map(str::to_owned),
        };
        let response = match self.note_shape {
            NoteResponseShape::FullNote => self.note_json(&note),
            NoteResponseShape::NoteIdOnly => json!({"noteId": note.id}),
        };
        self.notes.push(note);
        ResponseTemplate::new(201).set_body_json(json!({ "data": response }))
    }

    fn list_users(&self, q: &Query) -> Vec<Value> {
        let include_deactivated = q.first("includeDeactivated") == Some("true");
        self.users
            .iter()
            .filter(|u| include_deactivated || u["deactivatedAt"].is_null())
            .filter(|u| {
                q.first("email").is_none_or(|e| {
                    u["email"]
                        .as_str()
                        .is_some_and(|m| m.eq_ignore_ascii_case(e))
                })
            })
            .cloned()
            .collect()
    }

    fn create_webhook(&mut self, body: &[u8]) -> ResponseTemplate {
        let Ok(body) = serde_json::from_slice::<Value>(body) else {
            return error(400, "BadRequest", "body must be JSON");
        };
        if body["url"].as_str().is_none() || body["event"].as_str().is_none() {
            return error(400, "BadRequest", "url and event are required");
        }
        let now = now_ms();
        let mut hook = json!({"id": uuid(), "url": body["url"], "event": body["event"],
            "createdAt": now, "updatedAt": now,
            "configuration": body.get("configuration").cloned().unwrap_or(json!({}))});
        self.webhooks.push(hook.clone());
        // Each webhook has its own signature token, shown when it is created.
        let token = random_hex(48);
        if let Some(event) = body["event"].as_str() {
            self.webhook_tokens.push((event.to_owned(), token.clone()));
        }
        hook["configuration"]["signatureToken"] = json!(token);
        ResponseTemplate::new(201).set_body_json(json!({ "data": hook }))
    }
}

pub(super) struct Router {
    pub(super) state: Arc<Mutex<State>>,
}

impl Respond for Router {
    fn respond(&self, request: &Request) -> ResponseTemplate {
        self.state
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .handle(request)
    }
}

/// `{"data": [...], "hasNext": …, "next": token}`; the token is `[1,<next>]`, percent-encoded.
fn page_body(page: Vec<Value>, next: Option<usize>) -> ResponseTemplate {
    let mut body = json!({"data": page, "hasNext": next.is_some()});
    if let Some(next) = next {
        body["next"] = json!(format!("%5B1%2C{next}%5D"));
    }
    ResponseTemplate::new(200).set_body_json(body)
}

/// The `GET /opportunities` filters (LD "List all opportunities").
fn opportunity_matches(o: &Value, q: &Query) -> bool {
    let confidentiality = q.first("confidentiality").unwrap_or("non-confidential");
    let updated = o["updatedAt"].as_i64().unwrap_or(0);
    (confidentiality == "all" || o["confidentiality"].as_str() == Some(confidentiality))
        && q.first("email").is_none_or(|e| has_email(o, e))
        && (q.all("stage_id").count() == 0 || q.all("stage_id").any(|s| o["stage"] == s))
        && q.all("tag").all(|t| {
            o["tags"]
                .as_array()
                .is_some_and(|ts| ts.iter().any(|x| x == t))
        })
        && q.first("contact_id").is_none_or(|c| o["contact"] == c)
        && (q.all("posting_id").count() == 0
            || o["applications"].as_array().is_some_and(|apps| {
                apps.iter()
                    .any(|a| q.all("posting_id").any(|p| a["posting"] == p))
            }))
        && match q.first("archived") {
            Some("true") => !o["archived"].is_null(),
            Some("false") => o["archived"].is_null(),
            _ => true,
        }
        && q.first("updated_at_start")
            .and_then(|s| s.parse::<i64>().ok())
            .is_none_or(|s| updated >= s)
        && q.first("updated_at_end")
            .and_then(|s| s.parse::<i64>().ok())
            .is_none_or(|e| updated <= e)
}
