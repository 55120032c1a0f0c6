//! A small HTTP/1 front in front of the wiremock server, so the fake can reset connections.
//!
//! wiremock always answers; a real network sometimes does not. The fake's responder marks a
//! response with [`RESET_HEADER`] when an injected failure asks for a connection reset; the
//! front then drops the client's connection with `SO_LINGER(0)`, which makes the kernel send a
//! TCP RST instead of an answer. Every other response is forwarded unchanged.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{Either, Full};
use hyper::body::{Bytes, Incoming};
use hyper::{Request, Response, StatusCode, Uri};
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::{TokioExecutor, TokioIo};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::Notify;

/// The internal response header asking the front to reset the connection instead of answering.
pub(super) const RESET_HEADER: &str = "x-fake-lever-reset";

type Upstream = Client<HttpConnector, Incoming>;
type Body = Either<Incoming, Full<Bytes>>;

/// The running front; dropping it stops accepting connections.
pub(super) struct Front {
    addr: SocketAddr,
    accept: tokio::task::JoinHandle<()>,
}

impl Drop for Front {
    fn drop(&mut self) {
        self.accept.abort();
    }
}

impl Front {
    /// Listen on a free loopback port and forward to `upstream` (the wiremock server's URI).
    pub(super) async fn start(upstream: String) -> std::io::Result<Self> {
        let listener = TcpListener::bind(("127.0.0.1", 0)).await?;
        let addr = listener.local_addr()?;
        let client: Upstream = Client::builder(TokioExecutor::new()).build_http();
        let upstream: Arc<str> = upstream.into();
        let accept = tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                tokio::spawn(serve(stream, client.clone(), upstream.clone()));
            }
        });
        Ok(Self { addr, accept })
    }

    /// `http://127.0.0.1:<port>`.
    pub(super) fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }
}

/// Serve one client connection until it closes, or until a response asks for a reset.
async fn serve(stream: TcpStream, client: Upstream, upstream: Arc<str>) {
    let reset = Arc::new(Reset::default());
    let io = TokioIo::new(ResettableStream {
        stream,
        reset: reset.clone(),
    });
    let signal = reset.clone();
    let service = hyper::service::service_fn(move |req| {
        let (client, upstream, reset) = (client.clone(), upstream.clone(), reset.clone());
        async move {
            let response = forward(&client, &upstream, req).await;
            if response.headers().contains_key(RESET_HEADER) {
                reset.request();
                // Never answer: the connection is dropped (and reset) under this future.
                std::future::pending::<()>().await;
            }
            Ok::<_, Infallible>(response)
        }
    });
    let connection = hyper::server::conn::http1::Builder::new().serve_connection(io, service);
    // Dropping the connection drops the stream, which then closes with a reset.
    tokio::select! {
        _ = connection => {}
        () = signal.notify.notified() => {}
    }
}

/// The reset state shared by a connection's stream and its service.
#[derive(Default)]
struct Reset {
    requested: AtomicBool,
    notify: Notify,
}

impl Reset {
    fn request(&self) {
        self.requested.store(true, Ordering::SeqCst);
        self.notify.notify_one();
    }
}

async fn forward(client: &Upstream, upstream: &str, req: Request<Incoming>) -> Response<Body> {
    let (mut parts, body) = req.into_parts();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let Ok(uri) = format!("{upstream}{path}").parse::<Uri>() else {
        return bad_gateway();
    };
    parts.uri = uri;
    match client.request(Request::from_parts(parts, body)).await {
        Ok(response) => response.map(Either::Left),
        Err(_) => bad_gateway(),
    }
}

fn bad_gateway() -> Response<Body> {
    let mut response = Response::new(Either::Right(Full::new(Bytes::from_static(
        b"fake front: upstream unavailable",
    ))));
    *response.status_mut() = StatusCode::BAD_GATEWAY;
    response
}

/// A client connection that, when dropped after a reset was requested, closes with
/// `SO_LINGER(0)`: the kernel discards anything unsent and answers with RST.
struct ResettableStream {
    stream: TcpStream,
    reset: Arc<Reset>,
}

impl Drop for ResettableStream {
    fn drop(&mut self) {
        if self.reset.requested.load(Ordering::SeqCst) {
            // A zero linger never blocks: the close is abortive. An error only means the peer
            // is already gone.
            let _ = socket2::SockRef::from(&self.stream).set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for ResettableStream {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for ResettableStream {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<std::io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<std::io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
