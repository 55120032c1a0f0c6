//! Lanes: a worker pass's claimed items split by customer, so that the
//! lanes can run side by side and one customer's slow or unreachable ATS
//! holds up only its own lane.
//!
//! An engine runs at most one lane per [`LaneKey`] at a time ([`Busy`]): a
//! lane still waiting for a hanging ATS is left to finish while later
//! passes serve every other customer, and a customer's deliveries are never
//! processed by two of the engine's lanes at once, out of order.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};

use crate::error::Result;
use crate::tenant::{Ats, TenantId};

/// What one lane works on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum LaneKey {
    /// One tenant's webhook deliveries, in arrival order.
    Deliveries(TenantId),
    /// One tenant's notes for one ATS.
    Notes(TenantId, Ats),
}

/// The lanes an engine is running.
#[derive(Debug, Default)]
pub(crate) struct Busy(Arc<Mutex<HashSet<LaneKey>>>);

impl Busy {
    /// Enters the lane `key`, unless one of this engine's passes is in it.
    pub(crate) fn enter(&self, key: LaneKey) -> Option<LaneGuard> {
        let mut busy = self.0.lock().unwrap_or_else(|e| e.into_inner());
        busy.insert(key.clone()).then(|| LaneGuard {
            busy: Arc::clone(&self.0),
            key,
        })
    }
}

/// A lane being run; leaving it (dropping the guard, also by a panic or a
/// cancelled task) frees it.
#[derive(Debug)]
pub(crate) struct LaneGuard {
    busy: Arc<Mutex<HashSet<LaneKey>>>,
    key: LaneKey,
}

impl Drop for LaneGuard {
    fn drop(&mut self) {
        let mut busy = self.busy.lock().unwrap_or_else(|e| e.into_inner());
        busy.remove(&self.key);
    }
}

/// Splits `items` into lanes by `key`, each lane in the items' order, the
/// lanes in the order of their first item.
pub(crate) fn by_key<T, K: PartialEq>(items: Vec<T>, key: impl Fn(&T) -> K) -> Vec<Vec<T>> {
    let mut keys: Vec<K> = Vec::new();
    let mut lanes: Vec<Vec<T>> = Vec::new();
    for item in items {
        let k = key(&item);
        match keys.iter().position(|known| *known == k) {
            Some(i) => lanes[i].push(item),
            None => {
                keys.push(k);
                lanes.push(vec![item]);
            }
        }
    }
    lanes
}

/// Merges the lanes' reports. Every lane has run to its end (none is
/// abandoned half-way because another failed); the first error, if any, is
/// the pass's.
pub(crate) fn merged<R>(results: Vec<Result<R>>, empty: R, merge: impl Fn(R, R) -> R) -> Result<R> {
    let mut total = empty;
    let mut first_error = None;
    for result in results {
        match result {
            Ok(report) => total = merge(total, report),
            Err(e) => {
                first_error.get_or_insert(e);
            }
        }
    }
    match first_error {
        Some(e) => Err(e),
        None => Ok(total),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::Error;

    #[test]
    fn lanes_keep_each_keys_order_and_first_appearance() {
        let lanes = by_key(
            vec![("a", 1), ("b", 1), ("a", 2), ("c", 1), ("b", 2)],
            |i| i.0,
        );
        assert_eq!(
            lanes,
            vec![
                vec![("a", 1), ("a", 2)],
                vec![("b", 1), ("b", 2)],
                vec![("c", 1)]
            ]
        );
    }

    #[test]
    fn a_lane_is_entered_once_until_it_is_left() {
        let busy = Busy::default();
        let acme = TenantId::new("acme").unwrap();
        let first = busy.enter(LaneKey::Deliveries(acme.clone()));
        assert!(first.is_some());
        assert!(busy.enter(LaneKey::Deliveries(acme.clone())).is_none());
        assert!(
            busy.enter(LaneKey::Notes(acme.clone(), Ats::Lever))
                .is_some()
        );
        drop(first);
        assert!(busy.enter(LaneKey::Deliveries(acme)).is_some());
    }

    #[test]
    fn a_failed_lane_fails_the_pass_after_every_lane_is_counted() {
        let ok: Result<u32> = merged(vec![Ok(1), Ok(2)], 0, |a, b| a + b);
        assert_eq!(ok.unwrap(), 3);
        let failed = merged(
            vec![
                Ok(1),
                Err(Error::Store("first".into())),
                Err(Error::Store("second".into())),
            ],
            0,
            |a, b| a + b,
        );
        assert!(matches!(failed, Err(Error::Store(m)) if m == "first"));
    }
}
