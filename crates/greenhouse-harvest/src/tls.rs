//! TLS for the HTTP client, chosen by cargo feature and never taken from (or written to)
//! rustls's process-wide default provider.
//!
//! reqwest 0.13 builds its own rustls config from `CryptoProvider::get_default()` and panics
//! when none is installed under its `rustls-no-provider` feature (reqwest 0.13.5
//! `async_impl/client.rs`, `default_rustls_crypto_provider`). Handing it a finished
//! `rustls::ClientConfig` through `ClientBuilder::use_preconfigured_tls` skips that lookup, so
//! our client works whatever the application did or did not install, and leaves the
//! application free to install its own provider.

/// Gives `builder` the TLS backend selected by the crate's features.
///
/// `rustls-ring` wins over `rustls-aws-lc` when both are on; `native-tls` is used only when
/// no rustls feature is. With no TLS feature at all the client speaks plain HTTP only (useful
/// against the fake server), and an `https` request fails with a transport error.
pub(crate) fn configure(builder: reqwest::ClientBuilder) -> Result<reqwest::ClientBuilder, String> {
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
    {
        rustls_config().map(|config| builder.use_preconfigured_tls(config))
    }
    #[cfg(all(
        feature = "native-tls",
        not(any(feature = "rustls-ring", feature = "rustls-aws-lc"))
    ))]
    {
        Ok(builder.tls_backend_native())
    }
    #[cfg(not(any(
        feature = "rustls-ring",
        feature = "rustls-aws-lc",
        feature = "native-tls"
    )))]
    {
        Ok(builder)
    }
}

/// The crypto provider named by the enabled feature, as a value (not the process default).
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
fn provider() -> rustls::crypto::CryptoProvider {
    #[cfg(feature = "rustls-ring")]
    {
        rustls::crypto::ring::default_provider()
    }
    #[cfg(all(feature = "rustls-aws-lc", not(feature = "rustls-ring")))]
    {
        rustls::crypto::aws_lc_rs::default_provider()
    }
}

/// A rustls config like the one reqwest would build: the platform's trust store (the same
/// `rustls-platform-verifier` reqwest uses), safe default protocol versions, and ALPN for
/// HTTP/2 and HTTP/1.1 (reqwest leaves ALPN of a preconfigured config as given).
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
fn rustls_config() -> Result<rustls::ClientConfig, String> {
    use std::sync::Arc;

    let provider = Arc::new(provider());
    let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
        .map_err(|e| format!("TLS certificate verifier: {e}"))?;
    let mut config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| format!("TLS protocol versions: {e}"))?
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(verifier))
        .with_no_client_auth();
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(config)
}
