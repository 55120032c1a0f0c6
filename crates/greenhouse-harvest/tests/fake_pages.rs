//! The fake serves pages from a cursor on the last record served (as Harvest v3's opaque
//! cursors do), not from an offset: records added between two pages neither repeat nor
//! hide others.

use greenhouse_harvest::ListQuery;
use greenhouse_harvest::testing::{FakeGreenhouse, NewCandidate};

#[tokio::test]
async fn a_record_added_between_pages_does_not_repeat_one() {
    let fake = FakeGreenhouse::start_empty().await;
    let ids: Vec<u64> = (0..4)
        .map(|i| {
            fake.add_candidate(NewCandidate::new(
                "Ada Lovelace",
                format!("a{i}@example.com"),
            ))
        })
        .collect();
    let client = fake.client();
    let first = client
        .list_candidates(&ListQuery::new().per_page(2))
        .await
        .unwrap();
    // A newer candidate (a higher id) sorts before the cursor: it must not shift the pages.
    fake.add_candidate(NewCandidate::new("Grace Hopper", "grace@example.com"));
    let second = client
        .next_page(&first)
        .await
        .unwrap()
        .expect("a second page");
    let served: Vec<u64> = first
        .items
        .iter()
        .chain(&second.items)
        .map(|c| c.id)
        .collect();
    let mut expected = ids.clone();
    expected.reverse();
    assert_eq!(served, expected, "every record once, id descending");
    assert!(second.next_url.is_none());
}
