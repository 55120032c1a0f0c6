//! An application that builds our client first and its own HTTPS clients afterwards.
//!
//! One test per binary: rustls's process-wide default provider is set at most once per
//! process, so another test could otherwise hide (or cause) what this one checks.

/// Our client must not install a process-wide rustls provider: an application that then
/// installs its own with `install_default().expect(..)` (as reqwest's `rustls-no-provider`
/// docs tell it to) would panic, and its plain `reqwest::Client` would silently use our
/// provider. Before the fix the client installed `ring` and this test failed.
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
#[test]
fn our_client_leaves_the_process_wide_provider_to_the_application() {
    let _ours = greenhouse_harvest::HarvestClient::builder()
        .client_credentials("id", "secret", None)
        .build()
        .expect("our client builds");
    assert!(
        rustls::crypto::CryptoProvider::get_default().is_none(),
        "building our client installed a process-wide rustls provider"
    );

    application_provider()
        .install_default()
        .expect("the application can install its own provider after building our client");
    let plain = reqwest::Client::builder().https_only(true).build();
    assert!(
        plain.is_ok(),
        "the application's own HTTPS client: {plain:?}"
    );

    // Ours keeps building with its own provider, whatever the application installed.
    let _again = greenhouse_harvest::HarvestClient::builder()
        .client_credentials("id", "secret", None)
        .build()
        .expect("our client builds");
}

/// With `native-tls` alone there is no rustls at all: the plain client uses the same
/// native backend ours does, and building ours first changes nothing for it.
#[cfg(all(
    feature = "native-tls",
    not(any(feature = "rustls-ring", feature = "rustls-aws-lc"))
))]
#[test]
fn a_plain_client_after_ours_builds() {
    let _ours = greenhouse_harvest::HarvestClient::builder()
        .client_credentials("id", "secret", None)
        .build()
        .expect("our client builds");
    let plain = reqwest::Client::builder().https_only(true).build();
    assert!(
        plain.is_ok(),
        "the application's own HTTPS client: {plain:?}"
    );
}

/// The provider an application would pick for itself (the one its build has).
#[cfg(any(feature = "rustls-ring", feature = "rustls-aws-lc"))]
fn application_provider() -> rustls::crypto::CryptoProvider {
    #[cfg(feature = "rustls-aws-lc")]
    {
        rustls::crypto::aws_lc_rs::default_provider()
    }
    #[cfg(not(feature = "rustls-aws-lc"))]
    {
        rustls::crypto::ring::default_provider()
    }
}
