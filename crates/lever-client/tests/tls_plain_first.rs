//! An application that builds its own `reqwest::Client` before ours, in a fresh process
//! (its own test binary, one test), so nothing installed earlier can hide a panic.

/// When the build has a TLS backend that carries its own provider (`rustls-aws-lc`, which
/// turns on reqwest's `rustls`, or `native-tls`), a plain client needs nothing installed.
/// Before the fix the workspace forced reqwest's `rustls-no-provider` on every build, and
/// this panicked with "No rustls crypto provider is configured".
#[cfg(any(feature = "rustls-aws-lc", feature = "native-tls"))]
#[test]
fn a_plain_client_before_ours_needs_no_installed_provider() {
    let plain = reqwest::Client::builder().https_only(true).build();
    assert!(
        plain.is_ok(),
        "the application's own HTTPS client: {plain:?}"
    );
    let _ours = lever_client::LeverClient::builder()
        .api_key("k")
        .build()
        .expect("our client builds");
    #[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "building our client installed a process-wide rustls provider"
    );
}

/// With only `rustls-ring` (the default), reqwest is compiled with `rustls-no-provider`, so
/// an application building its own plain client installs a provider first, as reqwest
/// documents; ours then builds with its own explicit provider and does not touch it.
#[cfg(all(
    feature = "rustls-ring",
    not(any(feature = "rustls-aws-lc", feature = "native-tls"))
))]
#[test]
fn a_plain_client_before_ours_with_the_application_provider() {
    rustls::crypto::ring::default_provider()
        .install_default()
        .expect("nothing installed a provider before the application");
    let installed = rustls::crypto::CryptoProvider::get_default()
        .expect("just installed")
        .clone();
    let plain = reqwest::Client::builder().https_only(true).build();
    assert!(
        plain.is_ok(),
        "the application's own HTTPS client: {plain:?}"
    );
    let _ours = lever_client::LeverClient::builder()
        .api_key("k")
        .build()
        .expect("our client builds");
    let current = rustls::crypto::CryptoProvider::get_default().expect("still installed");
    assert!(
        std::sync::Arc::ptr_eq(current, &installed),
        "our client replaced the application's provider"
    );
}
