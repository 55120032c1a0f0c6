//! Files, resumes, offers and uploads (LD "Files", "Resumes", "Offers", "Uploads"), with
//! downloads streamed chunk by chunk and uploads sent as `multipart/form-data`.

use std::pin::Pin;
use std::task::{Context, Poll};

use futures::stream::{self, BoxStream};
use futures::{Stream, StreamExt, TryStreamExt};
use reqwest::Method;

use crate::api::query::list_endpoint_with_options;
use crate::client::{Call, LeverClient};
use crate::error::Error;
use crate::models::{File, Offer, Resume, Upload};

/// A file to upload: its name, media type and bytes.
#[derive(Clone, PartialEq, Eq)]
pub struct FileUpload {
    /// File name shown in Lever (`"` and line breaks are replaced by `_` on the wire).
    pub name: String,
    /// Media type, e.g. `application/pdf`.
    pub content_type: String,
    /// The content.
    pub bytes: Vec<u8>,
}

impl std::fmt::Debug for FileUpload {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The content may be a resume: only its size is shown.
        f.debug_struct("FileUpload")
            .field("name", &self.name)
            .field("content_type", &self.content_type)
            .field("len", &self.bytes.len())
            .finish()
    }
}

impl FileUpload {
    /// A file with this name, media type and content.
    pub fn new(
        name: impl Into<String>,
        content_type: impl Into<String>,
        bytes: impl Into<Vec<u8>>,
    ) -> Self {
        Self {
            name: name.into(),
            content_type: content_type.into(),
            bytes: bytes.into(),
        }
    }
}

/// A `multipart/form-data` body with one file part, built once and resent unchanged on retry.
#[derive(Debug)]
pub(crate) struct Multipart {
    boundary: String,
    body: Vec<u8>,
}

impl Multipart {
    /// One part named `field` holding `file`.
    pub(crate) fn file(field: &str, file: &FileUpload) -> Result<Self, Error> {
        let media = file.content_type.trim();
        if media.is_empty() || media.chars().any(|c| c.is_control()) {
            return Err(Error::InvalidInput(
                "an upload needs a media type without control characters".into(),
            ));
        }
        let name: String = file
            .name
            .chars()
            .map(|c| if c == '"' || c.is_control() { '_' } else { c })
            .collect();
        // A random boundary that does not occur in the content (RFC 2046 §5.1.1).
        let boundary = loop {
            let candidate: String = std::iter::repeat_with(fastrand::alphanumeric)
                .take(32)
                .collect();
            let needle = candidate.as_bytes();
            if !file.bytes.windows(needle.len()).any(|w| w == needle) {
                break format!("lever-client-{candidate}");
            }
        };
        let mut body = Vec::with_capacity(file.bytes.len() + 256);
        body.extend_from_slice(format!("--{boundary}\r\n").as_bytes());
        body.extend_from_slice(
            format!(
                "Content-Disposition: form-data; name=\"{field}\"; filename=\"{name}\"\r\n\
                 Content-Type: {media}\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(&file.bytes);
        body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
        Ok(Self { boundary, body })
    }

    pub(crate) fn content_type(&self) -> String {
        format!("multipart/form-data; boundary={}", self.boundary)
    }

    pub(crate) fn bytes(&self) -> &[u8] {
        &self.body
    }
}

/// A downloaded file as a stream of byte chunks, read from the network as it is polled.
pub struct Download {
    /// The `Content-Type` Lever sent, if any.
    pub content_type: Option<String>,
    /// The `Content-Length` Lever sent, if any.
    pub content_length: Option<u64>,
    body: BoxStream<'static, Result<Vec<u8>, Error>>,
}

impl std::fmt::Debug for Download {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Download")
            .field("content_type", &self.content_type)
            .field("content_length", &self.content_length)
            .finish_non_exhaustive()
    }
}

impl Stream for Download {
    type Item = Result<Vec<u8>, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.get_mut().body.poll_next_unpin(cx)
    }
}

impl Download {
    fn from_response(response: reqwest::Response) -> Self {
        let header = |name| {
            response
                .headers()
                .get(name)
                .and_then(|v: &reqwest::header::HeaderValue| v.to_str().ok())
                .map(str::to_owned)
        };
        let content_type = header(reqwest::header::CONTENT_TYPE);
        let content_length = response.content_length();
        let body = stream::try_unfold(response, |mut response| async move {
            let chunk = response.chunk().await.map_err(Error::from_reqwest)?;
            Ok(chunk.map(|c| (c.to_vec(), response)))
        })
        .boxed();
        Self {
            content_type,
            content_length,
            body,
        }
    }

    /// Read the whole file into memory.
    pub async fn bytes(self) -> Result<Vec<u8>, Error> {
        self.try_concat().await
    }
}

fn opportunity_path<'a>(opportunity_id: &'a str, rest: &[&'a str]) -> Vec<&'a str> {
    let mut path = vec!["opportunities", opportunity_id];
    path.extend_from_slice(rest);
    path
}

impl LeverClient {
    /// Stream the body of a GET (downloads). Lever answers 422 for a file it could not
    /// process (LD "Files", "Resumes"), which arrives as [`Error::Api`].
    async fn download(&self, call: Call) -> Result<Download, Error> {
        Ok(Download::from_response(self.execute_response(call).await?))
    }

    list_endpoint_with_options! {
        /// An opportunity's files (`GET /opportunities/:id/files`; LD's example is a bare
        /// array, which is accepted too).
        files_page / files, files_page_with / files_with -> File,
        (opportunity_id: &str) => Call::get(&opportunity_path(opportunity_id, &["files"]))
    }

    /// One file (`GET /opportunities/:id/files/:file`).
    pub async fn file(&self, opportunity_id: &str, file_id: &str) -> Result<File, Error> {
        self.data(Call::get(&opportunity_path(
            opportunity_id,
            &["files", file_id],
        )))
        .await
    }

    /// Download a file (`GET /opportunities/:id/files/:file/download`) as a byte stream.
    pub async fn download_file(
        &self,
        opportunity_id: &str,
        file_id: &str,
    ) -> Result<Download, Error> {
        let path = opportunity_path(opportunity_id, &["files", file_id, "download"]);
        self.download(Call::get(&path)).await
    }

    /// Attach a file to an opportunity (`POST /opportunities/:id/files?perform_as=`, multipart
    /// field `file`; LD caps files at 30 MB). Retried only after a connection error.
    pub async fn upload_file(
        &self,
        opportunity_id: &str,
        file: &FileUpload,
        perform_as: &str,
    ) -> Result<File, Error> {
        let path = opportunity_path(opportunity_id, &["files"]);
        let call = Call::new(Method::POST, &path)
            .query("perform_as", perform_as)
            .multipart(Multipart::file("file", file)?);
        self.data(call).await
    }

    /// Delete a file (`DELETE /opportunities/:id/files/:file`, 204).
    pub async fn delete_file(
        &self,
        opportunity_id: &str,
        file_id: &str,
        perform_as: Option<&str>,
    ) -> Result<(), Error> {
        let path = opportunity_path(opportunity_id, &["files", file_id]);
        let mut call = Call::new(Method::DELETE, &path);
        if let Some(user) = perform_as {
            call = call.query("perform_as", user);
        }
        self.execute(call).await.map(drop)
    }

    list_endpoint_with_options! {
        /// An opportunity's resumes (`GET /opportunities/:id/resumes`; not paginated by Lever
        /// per tap-lever's changelog, which the shared pagination handles as one page).
        resumes_page / resumes, resumes_page_with / resumes_with -> Resume,
        (opportunity_id: &str) => Call::get(&opportunity_path(opportunity_id, &["resumes"]))
    }

    /// One resume (`GET /opportunities/:id/resumes/:resume`).
    pub async fn resume(&self, opportunity_id: &str, resume_id: &str) -> Result<Resume, Error> {
        let path = opportunity_path(opportunity_id, &["resumes", resume_id]);
        self.data(Call::get(&path)).await
    }

    /// Download a resume's file (`GET /opportunities/:id/resumes/:resume/download`).
    pub async fn download_resume(
        &self,
        opportunity_id: &str,
        resume_id: &str,
    ) -> Result<Download, Error> {
        let path = opportunity_path(opportunity_id, &["resumes", resume_id, "download"]);
        self.download(Call::get(&path)).await
    }

    list_endpoint_with_options! {
        /// An opportunity's offers (`GET /opportunities/:id/offers`).
        offers_page / offers, offers_page_with / offers_with -> Offer,
        (opportunity_id: &str) => Call::get(&opportunity_path(opportunity_id, &["offers"]))
    }

    /// Download an offer document (`GET /opportunities/:id/offers/:offer/download`);
    /// `status` picks the `sent` or `signed` document (Lever's default when `None`).
    pub async fn download_offer(
        &self,
        opportunity_id: &str,
        offer_id: &str,
        status: Option<&str>,
    ) -> Result<Download, Error> {
        let path = opportunity_path(opportunity_id, &["offers", offer_id, "download"]);
        let mut call = Call::get(&path);
        if let Some(status) = status {
            call = call.query("status", status);
        }
        self.download(call).await
    }

    /// Upload a file for a later application (`POST /uploads`, multipart field `file`); the
    /// returned `uri` goes where an application expects a file.
    pub async fn upload(&self, file: &FileUpload) -> Result<Upload, Error> {
        let call = Call::new(Method::POST, &["uploads"]).multipart(Multipart::file("file", file)?);
        self.data(call).await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multipart_body_frames_the_file_and_sanitizes_its_name() {
        let file = FileUpload::new(
            "cv \"final\"\r\n.pdf",
            "application/pdf",
            b"%PDF-1.4".to_vec(),
        );
        let form = Multipart::file("file", &file).unwrap();
        let body = String::from_utf8(form.bytes().to_vec()).unwrap();
        let boundary = form
            .content_type()
            .split("boundary=")
            .nth(1)
            .unwrap()
            .to_owned();
        assert!(body.starts_with(&format!("--{boundary}\r\n")));
        assert!(body.contains("filename=\"cv _final___.pdf\""));
        assert!(body.contains("Content-Type: application/pdf\r\n\r\n%PDF-1.4\r\n"));
        assert!(body.ends_with(&format!("--{boundary}--\r\n")));
        let bad = FileUpload::new("a", "text/plain\r\nX-Evil: 1", b"x".to_vec());
        assert!(matches!(
            Multipart::file("file", &bad),
            Err(Error::InvalidInput(_))
        ));
        assert!(
            !format!("{file:?}").contains("PDF"),
            "content stays out of Debug"
        );
    }
}
