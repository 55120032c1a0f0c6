//! A small HTTP/1 front in front of the fake's wiremock server, so the fake
//! can reset a connection (wiremock always answers).
//!
//! Every connection is served by hyper and every request forwarded to
//! wiremock. When the responder marks its answer with [`RESET_HEADER`], the
//! front does not forward it: the connection's socket gets `SO_LINGER` 0 and
//! is dropped, which sends a TCP RST, the way a crashed proxy or a dropped
//! connection looks to the client.

use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

use http_body_util::{BodyExt, Full};
use hyper::body::{Bytes, Incoming};
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::net::{TcpListener, TcpStream};

/// The internal header with which the responder asks the front to reset the connection.
pub(super) const RESET_HEADER: &str = "x-fake-greenhouse-reset";

/// The front, served on its own thread and runtime (as wiremock serves itself), so it keeps
/// answering while the test's runtime is blocked; dropping it stops the thread.
pub(super) struct Front {
    addr: SocketAddr,
    _stop: tokio::sync::oneshot::Sender<()>,
}

impl Front {
    /// Listens on 127.0.0.1 and forwards to `upstream` (the wiremock server's URI).
    pub(super) fn start(upstream: String) -> Front {
        let listener = std::net::TcpListener::bind("127.0.0.1:0")
            .expect("the fake's front binds to 127.0.0.1");
        listener
            .set_nonblocking(true)
            .expect("a non-blocking listener");
        let addr = listener.local_addr().expect("a bound address");
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        std::thread::Builder::new()
            .name("fake-greenhouse-front".into())
            .spawn(move || {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("the fake's front runtime builds");
                runtime.block_on(async move {
                    tokio::select! {
                        _ = stopped => {}
                        _ = accept(listener, upstream.into()) => {}
                    }
                });
            })
            .expect("the fake's front thread starts");
        Front { addr, _stop: stop }
    }

    /// `http://127.0.0.1:PORT`.
    pub(super) fn uri(&self) -> String {
        format!("http://{}", self.addr)
    }
}

async fn accept(listener: std::net::TcpListener, upstream: Arc<str>) {
    let listener = TcpListener::from_std(listener).expect("a tokio listener");
    // No timeout: an injected delay must reach the client, whose own timeout decides.
    let http = crate::http::build_http_client_with(Duration::from_secs(24 * 3600))
        .expect("the fake's forwarding client builds");
    while let Ok((stream, _)) = listener.accept().await {
        tokio::spawn(serve(stream, http.clone(), upstream.clone()));
    }
}

async fn serve(stream: TcpStream, http: reqwest::Client, upstream: Arc<str>) {
    let _ = stream.set_nodelay(true);
    let reset = Arc::new(AtomicBool::new(false));
    let io = TokioIo::new(Resettable {
        stream,
        reset: reset.clone(),
    });
    let service =
        service_fn(move |req| forward(req, http.clone(), upstream.clone(), reset.clone()));
    // An error here is the reset asked for, or the client going away.
    let _ = hyper::server::conn::http1::Builder::new()
        .serve_connection(io, service)
        .await;
}

/// Why the front aborts a connection: the responder asked for a reset, or forwarding failed.
#[derive(Debug)]
struct Abort(&'static str);

impl std::fmt::Display for Abort {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.0)
    }
}

impl std::error::Error for Abort {}

async fn forward(
    req: Request<Incoming>,
    http: reqwest::Client,
    upstream: Arc<str>,
    reset: Arc<AtomicBool>,
) -> Result<Response<Full<Bytes>>, Abort> {
    let (parts, body) = req.into_parts();
    let body = body
        .collect()
        .await
        .map_err(|_| Abort("request body unreadable"))?
        .to_bytes();
    let path = parts.uri.path_and_query().map_or("/", |p| p.as_str());
    let mut out = http.request(parts.method, format!("{upstream}{path}"));
    for (name, value) in &parts.headers {
        if name != hyper::header::HOST {
            out = out.header(name, value);
        }
    }
    let answer = out
        .body(body)
        .send()
        .await
        .map_err(|_| Abort("upstream unreachable"))?;
    if answer.headers().contains_key(RESET_HEADER) {
        reset.store(true, Ordering::SeqCst);
        return Err(Abort("connection reset injected"));
    }
    let mut resp = Response::builder().status(answer.status());
    for (name, value) in answer.headers() {
        if !matches!(
            name.as_str(),
            "content-length" | "transfer-encoding" | "connection"
        ) {
            resp = resp.header(name, value);
        }
    }
    let bytes = answer
        .bytes()
        .await
        .map_err(|_| Abort("upstream body unreadable"))?;
    resp.body(Full::new(bytes))
        .map_err(|_| Abort("unforwardable response"))
}

/// The client's connection; when `reset` is set it closes with an RST instead of a FIN.
struct Resettable {
    stream: TcpStream,
    reset: Arc<AtomicBool>,
}

impl Drop for Resettable {
    fn drop(&mut self) {
        if self.reset.load(Ordering::SeqCst) {
            // A zero linger does not block (tokio's docs); `set_zero_linger` needs a newer
            // tokio than this crate requires.
            #[allow(deprecated)]
            let _ = self.stream.set_linger(Some(Duration::ZERO));
        }
    }
}

impl AsyncRead for Resettable {
    fn poll_read(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_read(cx, buf)
    }
}

impl AsyncWrite for Resettable {
    fn poll_write(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        Pin::new(&mut self.stream).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        Pin::new(&mut self.stream).poll_shutdown(cx)
    }
}
