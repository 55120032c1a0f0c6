//! Every documented Greenhouse webhook action parses into its typed variant,
//! checked against the reference's example payloads (fixtures/webhooks/,
//! copied from grnhse/greenhouse-api-docs `source/includes/webhooks/`).

use greenhouse_harvest::models::{ApplicationStatus, InterviewStatus};
use greenhouse_harvest::webhooks::{
    self, Deletion, OfferStatus, StatusChange, WebhookEvent, WebhookVerifier,
};

const SECRET: &str = "whsec-actions";

fn deliver(body: &str) -> WebhookEvent {
    let header = webhooks::sign(SECRET, body.as_bytes());
    WebhookVerifier::new(SECRET)
        .verify_and_parse(body.as_bytes(), Some(&header))
        .expect("documented example verifies and parses")
}

macro_rules! fixture {
    ($name:literal) => {
        deliver(include_str!(concat!("fixtures/webhooks/", $name, ".json")))
    };
}

#[test]
fn every_documented_action_is_typed_and_round_trips_its_action_name() {
    let all = [
        (
            "new_candidate_application",
            fixture!("new_candidate_application"),
        ),
        ("delete_application", fixture!("delete_application")),
        ("application_updated", fixture!("application_updated")),
        ("offer_created", fixture!("offer_created")),
        ("offer_approved", fixture!("offer_approved")),
        ("offer_updated", fixture!("offer_updated")),
        ("offer_deleted", fixture!("offer_deleted")),
        (
            "new_prospect_application",
            fixture!("new_prospect_application"),
        ),
        ("delete_candidate", fixture!("delete_candidate")),
        ("hire_candidate", fixture!("hire_candidate")),
        ("merge_candidate", fixture!("merge_candidate")),
        ("candidate_stage_change", fixture!("candidate_stage_change")),
        ("unhire_candidate", fixture!("unhire_candidate")),
        ("reject_candidate", fixture!("reject_candidate")),
        ("unreject_candidate", fixture!("unreject_candidate")),
        ("update_candidate", fixture!("update_candidate")),
        ("candidate_anonymized", fixture!("candidate_anonymized")),
        ("interview_deleted", fixture!("interview_deleted")),
        ("scorecard_deleted", fixture!("scorecard_deleted")),
        ("job_created", fixture!("job_created")),
        ("job_deleted", fixture!("job_deleted")),
        ("job_updated", fixture!("job_updated")),
        ("job_approved", fixture!("job_approved")),
        ("job_post_created", fixture!("job_post_created")),
        ("job_post_updated", fixture!("job_post_updated")),
        ("job_post_deleted", fixture!("job_post_deleted")),
        (
            "job_interview_stage_deleted",
            fixture!("job_interview_stage_deleted"),
        ),
        ("department_deleted", fixture!("department_deleted")),
        ("office_deleted", fixture!("office_deleted")),
    ];
    assert_eq!(all.len(), 29);
    for (action, event) in &all {
        assert_eq!(event.action(), *action);
        assert!(
            !matches!(event, WebhookEvent::Unknown { .. }),
            "{action} arrived as Unknown"
        );
    }
}

#[test]
fn application_created_carries_prospect_detail_and_job_urls() {
    let event = fixture!("new_candidate_application");
    assert_eq!(event.candidate_id(), Some(60304594));
    assert_eq!(event.application_id(), Some(71980812));
    assert_eq!(event.status_change(), None);
    let WebhookEvent::NewCandidateApplication(app) = event else {
        panic!("wrong variant")
    };
    let detail = app.prospect_detail.as_ref().unwrap();
    assert!(detail.prospect_pool.is_none() && detail.prospect_owner.is_none());
    assert_eq!(
        app.jobs[0].url.as_deref(),
        Some("http://app.greenhouse.io/sdash/274075")
    );
    let kit = app.current_stage.as_ref().unwrap().interviews[0]
        .interview_kit
        .as_ref()
        .unwrap();
    assert_eq!(kit.questions[1].id, Some(3136353));
    assert_eq!(
        app.jobs[0].custom_fields["test_user_field"].value["user_id"],
        117730
    );
    assert_eq!(
        app.candidate.educations[0].school_name.as_deref(),
        Some("Stanford University")
    );
}

#[test]
fn application_updated_and_prospect_created() {
    let WebhookEvent::ApplicationUpdated(app) = fixture!("application_updated") else {
        panic!("wrong variant")
    };
    assert_eq!(app.id, 22202940);
    assert!(app.prospect_detail.is_some());
    assert_eq!(
        app.current_stage.as_ref().unwrap().interviews[0].status,
        Some(InterviewStatus::CollectFeedback)
    );
    assert!(app.jobs.is_empty());

    let WebhookEvent::NewProspectApplication(app) = fixture!("new_prospect_application") else {
        panic!("wrong variant")
    };
    assert_eq!(app.prospect, Some(true));
    assert!(app.current_stage.is_none());
    // `source.public_name` here, `source.name` elsewhere.
    assert_eq!(
        app.source.as_ref().unwrap().name.as_deref(),
        Some("Referral")
    );
    assert_eq!(
        app.candidate.employments[0].company_name.as_deref(),
        Some("Greenhouse")
    );
}

#[test]
fn application_deleted_has_ids_and_no_candidate() {
    let event = fixture!("delete_application");
    assert_eq!(event.candidate_id(), Some(37031511));
    assert_eq!(event.application_id(), Some(46194062));
    assert_eq!(event.deleted_application_ids(), vec![46194062]);
    assert_eq!(
        event.deletion(),
        Some(Deletion::Application {
            id: 46194062,
            candidate_id: Some(37031511)
        })
    );
    let WebhookEvent::ApplicationDeleted(a) = event else {
        panic!("wrong variant")
    };
    assert_eq!(a.rejected_by_user_id, Some(158103));
    assert_eq!(a.rejection_note_id, Some(123));
    assert_eq!(a.candidate_rejection_reason_id, None);
}

#[test]
fn offer_events() {
    for (name, event, version, status) in [
        (
            "created",
            fixture!("offer_created"),
            1,
            OfferStatus::Accepted,
        ),
        (
            "approved",
            fixture!("offer_approved"),
            1,
            OfferStatus::Accepted,
        ),
        (
            "updated",
            fixture!("offer_updated"),
            2,
            OfferStatus::Deprecated,
        ),
    ] {
        assert_eq!(event.application_id(), Some(234556), "{name}");
        let (WebhookEvent::OfferCreated(o)
        | WebhookEvent::OfferApproved(o)
        | WebhookEvent::OfferUpdated(o)) = event
        else {
            panic!("{name}: wrong variant")
        };
        assert_eq!(
            (o.id, o.version, o.offer_status),
            (12345, Some(version), Some(status))
        );
        assert_eq!(o.user_id, Some(67890));
        assert_eq!(o.sent_on.as_deref(), Some("2013-03-22"));
        assert_eq!(o.start_date.as_deref(), Some("04/15/2013"));
        assert_eq!(o.custom_fields["custom_application_field"].value, "Example");
    }
    let event = fixture!("offer_deleted");
    assert_eq!(event.deletion(), Some(Deletion::Offer(506406)));
    let WebhookEvent::OfferDeleted(o) = event else {
        panic!("wrong variant")
    };
    assert_eq!(o.offering_user_id, Some(158104));
    assert_eq!(o.offer_status, Some(OfferStatus::Created));
    assert_eq!(o.job_id, Some(371417));
}

#[test]
fn hire_carries_job_offer_and_opening() {
    let event = fixture!("hire_candidate");
    assert_eq!(event.status_change(), Some(StatusChange::Hired));
    assert_eq!(event.candidate_id(), Some(35897443));
    assert_eq!(event.application_id(), Some(46194062));
    let WebhookEvent::CandidateHired(app) = event else {
        panic!("wrong variant")
    };
    let job = app.job.as_ref().unwrap();
    assert_eq!(job.id, 323753);
    assert_eq!(
        job.open_date.unwrap().to_rfc3339(),
        "2014-11-20T22:49:14+00:00"
    );
    assert_eq!(job.offices[1].location, None);
    let offer = app.offer.as_ref().unwrap();
    assert_eq!((offer.id, offer.version), (506409, Some(2)));
    assert_eq!(offer.sent_at.as_deref(), Some("2014-11-10"));
    assert_eq!(offer.starts_at.as_deref(), Some("2015-01-23"));
    assert_eq!(offer.custom_fields["salary"].value["amount"], 80000);
    let opening = app.opening.as_ref().unwrap();
    assert_eq!(opening.opening_id.as_deref(), Some("1234-56"));
    assert_eq!(opening.id, None);
    assert_eq!(app.jobs[0].id, 323753);
    assert_eq!(app.status, None);
}

#[test]
fn unhire_reject_and_unreject() {
    let event = fixture!("unhire_candidate");
    assert_eq!(event.status_change(), Some(StatusChange::Unhired));
    assert_eq!(event.candidate_id(), Some(265788));
    let event = fixture!("reject_candidate");
    assert_eq!(event.status_change(), Some(StatusChange::Rejected));
    let WebhookEvent::CandidateRejected(app) = event else {
        panic!("wrong variant")
    };
    assert_eq!(app.status, Some(ApplicationStatus::Rejected));
    let reason = app.rejection_reason.as_ref().unwrap();
    assert_eq!(reason.name.as_deref(), Some("Too Junior"));
    assert_eq!(
        reason.kind.as_ref().unwrap().name.as_deref(),
        Some("Wrong skill set")
    );
    assert_eq!(
        app.rejection_details.as_ref().unwrap().custom_fields["custom_rejection_question_field"]
            .value,
        "Example"
    );
    let event = fixture!("unreject_candidate");
    assert_eq!(event.status_change(), Some(StatusChange::Unrejected));
    let WebhookEvent::CandidateUnrejected(app) = event else {
        panic!("wrong variant")
    };
    assert!(app.rejection_reason.is_none());
    assert_eq!(app.status, Some(ApplicationStatus::Active));
}

#[test]
fn interview_and_scorecard_deletions() {
    let event = fixture!("interview_deleted");
    assert_eq!(event.deleted_interview_id(), Some(31087450));
    assert_eq!(event.deletion(), Some(Deletion::Interview(31087450)));
    assert_eq!(event.candidate_id(), None);
    let event = fixture!("scorecard_deleted");
    assert_eq!(event.deletion(), Some(Deletion::Scorecard(6036088)));
    assert_eq!(event.candidate_id(), Some(29843272));
    assert_eq!(event.deleted_interview_id(), None);
    let WebhookEvent::ScorecardDeleted(s) = event else {
        panic!("wrong variant")
    };
    assert_eq!(s.scorecard_status.as_deref(), Some("complete"));
    assert_eq!(
        s.interviewed_at.unwrap().to_rfc3339(),
        "2016-12-28T17:00:00+00:00"
    );
}

#[test]
fn job_events() {
    let WebhookEvent::JobUpdated(job) = fixture!("job_updated") else {
        panic!("wrong variant")
    };
    assert_eq!(job.id, 100445);
    assert_eq!(job.openings[1].opening_id.as_deref(), Some("abc-2"));

    let WebhookEvent::JobApproved(approval) = fixture!("job_approved") else {
        panic!("wrong variant")
    };
    assert_eq!(
        approval.approval_flow.approval_flow_type.as_deref(),
        Some("open_job")
    );
    assert_eq!(
        approval.job.notes.as_deref(),
        Some("<p>Looking for the best!</p>")
    );

    let event = fixture!("job_deleted");
    assert_eq!(event.deletion(), Some(Deletion::Job(209256)));
    let WebhookEvent::JobDeleted(job) = event else {
        panic!("wrong variant")
    };
    assert_eq!(job.name.as_deref(), Some("Project Manager"));

    let WebhookEvent::JobPostCreated(post) = fixture!("job_post_created") else {
        panic!("wrong variant")
    };
    assert_eq!((post.id, post.job_id), (1815002, Some(1842002)));
    assert_eq!(post.questions.len(), 3);

    let event = fixture!("job_post_deleted");
    assert_eq!(event.deletion(), Some(Deletion::JobPost(258341)));
    let WebhookEvent::JobPostDeleted(post) = event else {
        panic!("wrong variant")
    };
    assert_eq!(post.location.as_deref(), Some("Dallas"));
    assert_eq!(post.questions[3].values.len(), 3);
    assert_eq!(post.questions[3].required, Some(true));

    let event = fixture!("job_interview_stage_deleted");
    assert_eq!(event.deletion(), Some(Deletion::JobInterviewStage(430608)));
    let WebhookEvent::JobInterviewStageDeleted(stage) = event else {
        panic!("wrong variant")
    };
    assert_eq!(
        (stage.job_id, stage.name.as_deref(), stage.active),
        (Some(60453), Some("Phone Screen"), Some(true))
    );
}

#[test]
fn organization_deletions() {
    let event = fixture!("department_deleted");
    assert_eq!(event.deletion(), Some(Deletion::Department(106)));
    let WebhookEvent::DepartmentDeleted(d) = event else {
        panic!("wrong variant")
    };
    assert_eq!(
        (d.child_ids.as_slice(), d.parent_id),
        ([23328].as_slice(), Some(5))
    );
    assert_eq!(d.location, None);

    let event = fixture!("office_deleted");
    assert_eq!(event.deletion(), Some(Deletion::Office(16492)));
    let WebhookEvent::OfficeDeleted(o) = event else {
        panic!("wrong variant")
    };
    // `location` is an object here, a string on job offices: both read.
    assert_eq!(o.location.as_deref(), Some("New York, NY"));
    assert_eq!(o.child_ids, vec![123, 456]);
}

#[test]
fn candidate_deletion_helpers() {
    let event = fixture!("delete_candidate");
    assert_eq!(event.deleted_application_ids(), vec![46196263, 46196258]);
    assert!(matches!(
        event.deletion(),
        Some(Deletion::Candidate { id: 37031511, .. })
    ));
    let event = fixture!("merge_candidate");
    assert_eq!(
        event.deletion(),
        Some(Deletion::CandidateMerged {
            id: 37031511,
            into: 457456
        })
    );
    let event = fixture!("candidate_stage_change");
    assert_eq!(event.candidate_id(), Some(265772));
    assert_eq!(event.deletion(), None);
    assert_eq!(event.status_change(), None);
}
