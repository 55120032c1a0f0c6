//! Stages, archive reasons and postings (LD "Stages", "Archive Reasons", "Postings").

use futures::Stream;

use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{ArchiveReason, Posting, Stage};
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

    /// One page of postings.
    pub async fn postings_page(&self, offset: Option<&str>) -> Result<Page<Posting>, Error> {
        self.page(Call::get(&["postings"]), offset).await
    }

    /// Every posting.
    pub fn postings(&self) -> impl Stream<Item = Result<Posting, Error>> + Send + 'static {
        self.paginate(Call::get(&["postings"]))
    }

    /// One posting.
    pub async fn posting(&self, id: &str) -> Result<Posting, Error> {
        self.data(Call::get(&["postings", id])).await
    }
}
