//! The fake's opportunities, indexed so that a page is served in O(page).
//!
//! Records are kept in insertion order under a sequence number, which is also what the fake's
//! offset token carries: a page starts at the token's record and reads only as many records as
//! it returns (plus those a filter skips). Lookups by id, e-mail and contact use indexes instead
//! of scanning every record.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use serde_json::Value;

#[derive(Default)]
pub(super) struct Opportunities {
    records: BTreeMap<u64, Value>,
    next_seq: u64,
    by_id: HashMap<String, u64>,
    /// Lowercased, trimmed e-mail → records with it.
    by_email: HashMap<String, BTreeSet<u64>>,
    by_contact: HashMap<String, BTreeSet<u64>>,
}

fn email_key(email: &str) -> String {
    email.trim().to_lowercase()
}

fn emails(record: &Value) -> impl Iterator<Item = String> + '_ {
    record["emails"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(email_key)
}

impl Opportunities {
    pub(super) fn insert(&mut self, record: Value) {
        let seq = self.next_seq;
        self.next_seq += 1;
        if let Some(id) = record["id"].as_str() {
            self.by_id.insert(id.to_owned(), seq);
        }
        self.records.insert(seq, record);
        self.index(seq);
    }

    fn index(&mut self, seq: u64) {
        let Some(record) = self.records.get(&seq) else {
            return;
        };
        for email in emails(record) {
            self.by_email.entry(email).or_default().insert(seq);
        }
        if let Some(contact) = record["contact"].as_str() {
            self.by_contact
                .entry(contact.to_owned())
                .or_default()
                .insert(seq);
        }
    }

    fn unindex(&mut self, seq: u64) {
        let Some(record) = self.records.get(&seq) else {
            return;
        };
        for email in emails(record) {
            if let Some(set) = self.by_email.get_mut(&email) {
                set.remove(&seq);
            }
        }
        if let Some(set) = record["contact"]
            .as_str()
            .and_then(|c| self.by_contact.get_mut(c))
        {
            set.remove(&seq);
        }
    }

    pub(super) fn get(&self, id: &str) -> Option<&Value> {
        self.by_id.get(id).and_then(|seq| self.records.get(seq))
    }

    /// Change one record; the indexes follow its new e-mails and contact.
    pub(super) fn modify(&mut self, id: &str, change: impl FnOnce(&mut Value)) -> bool {
        let Some(&seq) = self.by_id.get(id) else {
            return false;
        };
        self.unindex(seq);
        if let Some(record) = self.records.get_mut(&seq) {
            change(record);
        }
        self.index(seq);
        true
    }

    pub(super) fn remove(&mut self, id: &str) -> Option<Value> {
        let seq = *self.by_id.get(id)?;
        self.unindex(seq);
        self.by_id.remove(id);
        self.records.remove(&seq)
    }

    /// Ids of the records with this e-mail (any case), in insertion order.
    pub(super) fn with_email(&self, email: &str) -> impl Iterator<Item = &Value> + '_ {
        self.by_email
            .get(&email_key(email))
            .into_iter()
            .flatten()
            .filter_map(|seq| self.records.get(seq))
    }

    /// Ids of the records of one contact, in insertion order.
    pub(super) fn of_contact(&self, contact_id: &str) -> Vec<String> {
        self.by_contact
            .get(contact_id)
            .into_iter()
            .flatten()
            .filter_map(|seq| self.records.get(seq))
            .filter_map(|o| o["id"].as_str().map(str::to_owned))
            .collect()
    }

    /// The first record of a contact.
    pub(super) fn first_of_contact(&self, contact_id: &str) -> Option<&Value> {
        let seq = self.by_contact.get(contact_id)?.first()?;
        self.records.get(seq)
    }

    /// Records from sequence `from` on, with their sequence numbers; with `email`, only the
    /// records having it (read through the index).
    pub(super) fn scan<'a>(
        &'a self,
        from: u64,
        email: Option<&str>,
    ) -> Box<dyn Iterator<Item = (u64, &'a Value)> + 'a> {
        match email {
            Some(email) => Box::new(
                self.by_email
                    .get(&email_key(email))
                    .into_iter()
                    .flat_map(move |set| set.range(from..))
                    .filter_map(|seq| self.records.get(seq).map(|r| (*seq, r))),
            ),
            None => Box::new(self.records.range(from..).map(|(seq, r)| (*seq, r))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn indexes_follow_changes_and_removals() {
        let mut opps = Opportunities::default();
        opps.insert(json!({"id": "a", "contact": "c1", "emails": ["Ada@Example.com"]}));
        opps.insert(json!({"id": "b", "contact": "c1", "emails": ["ada@example.com"]}));
        opps.insert(json!({"id": "c", "contact": "c2", "emails": ["grace@example.com"]}));
        assert_eq!(opps.with_email(" ADA@example.com ").count(), 2);
        assert!(opps.modify("a", |o| o["emails"] = json!(["lovelace@example.com"])));
        assert_eq!(opps.with_email("ada@example.com").count(), 1);
        assert_eq!(opps.with_email("lovelace@example.com").count(), 1);
        assert_eq!(opps.of_contact("c1"), ["a", "b"]);
        opps.remove("a");
        assert_eq!(opps.of_contact("c1"), ["b"]);
        assert!(opps.get("a").is_none());
        let from_b: Vec<u64> = opps.scan(1, None).map(|(seq, _)| seq).collect();
        assert_eq!(from_b, [1, 2]);
        assert_eq!(opps.scan(2, Some("ada@example.com")).count(), 0);
    }
}
