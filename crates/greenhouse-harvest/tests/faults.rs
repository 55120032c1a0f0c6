//! The fake's fault injection: answers after the write was applied (a status, a late answer)
//! and TCP connection resets before and after it, as an engine must survive them.

use std::time::Duration;

use greenhouse_harvest::testing::{Failure, FakeGreenhouse, NewCandidate};
use greenhouse_harvest::{Error, ListQuery, NewNote, Visibility};

const NOTE_POSTS: &str = "POST /v3/notes";

async fn fake_with_candidate() -> (FakeGreenhouse, u64) {
    let fake = FakeGreenhouse::start_empty().await;
    let id = fake.add_candidate(NewCandidate::new("Ada Lovelace", "ada@example.com"));
    (fake, id)
}

fn note(id: u64) -> NewNote {
    NewNote::new(id, "Interview summary", Visibility::Private)
}

fn assert_connection_error(err: &Error) {
    assert!(
        matches!(
            err,
            Error::Transport {
                connect: false,
                timeout: false,
                ..
            }
        ),
        "a connection error after sending, got {err:?}"
    );
    assert!(err.may_have_been_applied());
}

#[tokio::test]
async fn a_reset_before_the_note_is_applied_stores_nothing_and_is_not_retried() {
    let (fake, id) = fake_with_candidate().await;
    let client = fake.client();
    fake.fail_next_note_posts(1, Failure::ResetBeforeApplied);
    let err = client.create_note(&note(id)).await.unwrap_err();
    assert_connection_error(&err);
    assert!(fake.notes().is_empty());
    assert_eq!(
        fake.request_count(NOTE_POSTS),
        1,
        "a sent POST is never retried"
    );
}

#[tokio::test]
async fn a_reset_after_the_note_is_applied_leaves_the_note_stored() {
    let (fake, id) = fake_with_candidate().await;
    let client = fake.client();
    fake.fail_next_note_posts(1, Failure::ResetAfterApplied);
    let err = client.create_note(&note(id)).await.unwrap_err();
    assert_connection_error(&err);
    // The outcome is unknown to the client, yet the note exists: an engine must look first.
    assert_eq!(fake.notes().len(), 1);
    assert_eq!(
        fake.request_count(NOTE_POSTS),
        1,
        "a sent POST is never retried"
    );
    let notes = client.candidate_notes(id).await.unwrap();
    assert_eq!(notes.len(), 1);
    // The fake keeps serving on new connections.
    client.create_note(&note(id)).await.unwrap();
    assert_eq!(fake.notes().len(), 2);
}

#[tokio::test]
async fn a_reset_get_is_retried_on_a_new_connection() {
    let fake = FakeGreenhouse::start().await;
    let client = fake.client();
    fake.fail_next(1, Failure::ResetBeforeApplied);
    let jobs = client.list_jobs(&ListQuery::new()).await.unwrap();
    assert!(!jobs.items.is_empty());
    assert_eq!(fake.request_count("GET /v3/jobs"), 2);
}

#[tokio::test]
async fn accept_then_fail_stores_the_note_and_answers_the_status() {
    let (fake, id) = fake_with_candidate().await;
    let client = fake.client();
    fake.fail_next_note_posts(1, Failure::AcceptThenFail(503));
    let err = client.create_note(&note(id)).await.unwrap_err();
    assert_eq!(err.status(), Some(503));
    assert!(err.may_have_been_applied());
    assert_eq!(fake.notes().len(), 1);
    assert_eq!(fake.request_count(NOTE_POSTS), 1);
}

#[tokio::test]
async fn accept_then_delay_is_a_timeout_after_the_write() {
    let (fake, id) = fake_with_candidate().await;
    let client = fake
        .client_builder()
        .timeout(Duration::from_millis(300))
        .build()
        .unwrap();
    fake.fail_next_note_posts(1, Failure::AcceptThenDelay(Duration::from_secs(3)));
    let err = client.create_note(&note(id)).await.unwrap_err();
    assert!(
        matches!(err, Error::Transport { timeout: true, .. }),
        "a timeout, got {err:?}"
    );
    assert!(err.may_have_been_applied());
    assert_eq!(fake.notes().len(), 1);
    assert_eq!(fake.request_count(NOTE_POSTS), 1);
}

#[tokio::test]
async fn a_short_delay_is_only_late() {
    let (fake, id) = fake_with_candidate().await;
    let client = fake.client();
    fake.fail_next_note_posts(1, Failure::AcceptThenDelay(Duration::from_millis(200)));
    let started = std::time::Instant::now();
    client.create_note(&note(id)).await.unwrap();
    assert!(started.elapsed() >= Duration::from_millis(200));
    assert_eq!(fake.notes().len(), 1);
}

/// The front runs on its own thread, as wiremock does: a test whose runtime is blocked (a
/// synchronous HTTP call from a single-threaded test) still gets its answer.
#[tokio::test]
async fn the_fake_answers_while_the_tests_runtime_is_blocked() {
    use std::io::{Read, Write};
    let fake = FakeGreenhouse::start_empty().await;
    let addr = fake.uri().trim_start_matches("http://").to_owned();
    // Joined synchronously: this single-threaded runtime is blocked meanwhile.
    let answer = std::thread::spawn(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        stream
            .write_all(b"GET /v3/jobs HTTP/1.1\r\nHost: fake\r\nConnection: close\r\n\r\n")
            .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        answer
    })
    .join()
    .unwrap();
    assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
}
