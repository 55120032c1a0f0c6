//! One resource's records, kept in serving order so a page costs O(page).
//!
//! Harvest v3 paginates by primary key, descending (research notes §2.2). Records are keyed by
//! (no numeric id, id descending, insertion number): a page is a range read after the last
//! key served, with no sort and no copy of the other records. Records without a numeric id
//! (malformed ones added verbatim) come last, in insertion order.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::ops::Bound;

use serde_json::Value;

/// Where a record sits in the serving order; a cursor remembers the last one served.
pub(super) type RowKey = (bool, Reverse<u64>, u64);

#[derive(Debug, Default)]
pub(super) struct Table {
    rows: BTreeMap<RowKey, Value>,
    inserted: u64,
}

impl Table {
    pub(super) fn push(&mut self, record: Value) {
        let id = record["id"].as_u64();
        let key = (id.is_none(), Reverse(id.unwrap_or(0)), self.inserted);
        self.inserted += 1;
        self.rows.insert(key, record);
    }

    pub(super) fn len(&self) -> usize {
        self.rows.len()
    }

    /// The records in insertion order (for the fake's accessors, not for serving).
    pub(super) fn in_insertion_order(&self) -> Vec<&Value> {
        let mut rows: Vec<(&RowKey, &Value)> = self.rows.iter().collect();
        rows.sort_by_key(|(key, _)| key.2);
        rows.into_iter().map(|(_, v)| v).collect()
    }

    /// The record with numeric id `id`, in O(log n).
    pub(super) fn find(&self, id: u64) -> Option<&Value> {
        let from = (false, Reverse(id), 0);
        let to = (false, Reverse(id), u64::MAX);
        self.rows.range(from..=to).next().map(|(_, v)| v)
    }

    pub(super) fn for_each_mut(&mut self, f: impl FnMut(&mut Value)) {
        self.rows.values_mut().for_each(f);
    }

    pub(super) fn retain(&mut self, mut keep: impl FnMut(&Value) -> bool) {
        self.rows.retain(|_, v| keep(v));
    }

    /// Up to `per_page` records matching `wanted`, after `after` in serving order, and the key
    /// to continue after when more match.
    pub(super) fn page(
        &self,
        after: Option<RowKey>,
        per_page: usize,
        mut wanted: impl FnMut(&Value) -> bool,
    ) -> (Vec<&Value>, Option<RowKey>) {
        let start = after.map_or(Bound::Unbounded, Bound::Excluded);
        let mut matching = self
            .rows
            .range((start, Bound::Unbounded))
            .filter(|(_, v)| wanted(v));
        let mut page = Vec::with_capacity(per_page.min(self.rows.len()));
        let mut last = None;
        for (key, value) in matching.by_ref().take(per_page) {
            page.push(value);
            last = Some(*key);
        }
        let more = matching.next().is_some();
        (page, last.filter(|_| more))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pages_follow_the_id_descending_order_and_resume_after_the_cursor() {
        let mut t = Table::default();
        for id in [3, 10, 7, 1] {
            t.push(json!({ "id": id }));
        }
        t.push(json!({ "name": "no id" }));
        let ids = |page: &[&Value]| page.iter().map(|v| v["id"].clone()).collect::<Vec<_>>();
        let (first, next) = t.page(None, 2, |_| true);
        assert_eq!(ids(&first), [json!(10), json!(7)]);
        let (second, next) = t.page(next, 2, |_| true);
        assert_eq!(ids(&second), [json!(3), json!(1)]);
        let (third, next) = t.page(next, 2, |_| true);
        assert_eq!(third[0]["name"], "no id");
        assert_eq!(next, None);
        let (odd, next) = t.page(None, 10, |v| v["id"].as_u64().is_some_and(|i| i % 2 == 1));
        assert_eq!(ids(&odd), [json!(7), json!(3), json!(1)]);
        assert_eq!(next, None, "no further match, no cursor");
        assert_eq!(t.find(7), Some(&json!({ "id": 7 })));
        assert_eq!(t.find(8), None);
        assert_eq!(t.in_insertion_order()[0], &json!({ "id": 3 }));
    }
}
