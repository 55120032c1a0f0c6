//! Stages, archive reasons, sources and tags (LD "Stages", "Archive Reasons", "Sources",
//! "Tags").

use futures::Stream;

use crate::api::query::list_endpoint;
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{ArchiveReason, ArchiveReasonType, Source, Stage, Tag};
use crate::pagination::Page;

impl LeverClient {
    /// One page of stages.
    pub async fn stages_page(&self, offset: Option<&str>) -> Result<Page<Stage>, Error> {
        self.page(Call::get(&["stages"]), offset).await
    }

    /// Every stage.
    pub fn stages(&self) -> impl Stream<Item = Result<Stage, Error>> + Send + 'static {
        self.paginate(Call::get(&["stages"]))
    }

    /// One stage.
    pub async fn stage(&self, id: &str) -> Result<Stage, Error> {
        self.data(Call::get(&["stages", id])).await
    }

    /// One page of archive reasons.
    pub async fn archive_reasons_page(
        &self,
        offset: Option<&str>,
    ) -> Result<Page<ArchiveReason>, Error> {
        self.page(Call::get(&["archive_reasons"]), offset).await
    }

    /// Every archive reason.
    pub fn archive_reasons(
        &self,
    ) -> impl Stream<Item = Result<ArchiveReason, Error>> + Send + 'static {
        self.paginate(Call::get(&["archive_reasons"]))
    }

    /// One archive reason.
    pub async fn archive_reason(&self, id: &str) -> Result<ArchiveReason, Error> {
        self.data(Call::get(&["archive_reasons", id])).await
    }

    /// The archive reasons of one type (`GET /archive_reasons?type=hired|non-hired`). LD's
    /// example answers this with `data` as a single object rather than a list (research note
    /// §6), so both shapes are accepted and the result is always a list.
    pub async fn archive_reasons_of_type(
        &self,
        kind: &ArchiveReasonType,
    ) -> Result<Vec<ArchiveReason>, Error> {
        #[derive(serde::Deserialize)]
        #[serde(untagged)]
        enum OneOrMany {
            Many(Vec<ArchiveReason>),
            One(ArchiveReason),
        }
        let call = Call::get(&["archive_reasons"]).query("type", kind.as_str());
        Ok(match self.data::<OneOrMany>(call).await? {
            OneOrMany::Many(all) => all,
            OneOrMany::One(one) => vec![one],
        })
    }

    list_endpoint! {
        /// Candidate sources in use and their counts (`GET /sources`).
        sources_page / sources -> Source,
        () => Call::get(&["sources"])
    }

    list_endpoint! {
        /// Tags in use and their counts (`GET /tags`).
        tags_page / tags -> Tag,
        () => Call::get(&["tags"])
    }
}
