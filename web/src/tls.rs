//! HTTPS for the simulated web: a certificate made as it starts, so that a
//! test can take the path every `--online` download takes (the same client,
//! the same TLS, certificates checked) without the internet.

use std::sync::Arc;

use rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};
use tokio_rustls::TlsAcceptor;

use crate::{Error, Result};

/// The server's side of the handshake, and its certificate in PEM, for
/// `127.0.0.1` and `localhost`.
pub(crate) fn acceptor() -> Result<(TlsAcceptor, String)> {
    let cannot = |err: &dyn std::fmt::Display| Error::Certificate(err.to_string());
    let names = vec!["127.0.0.1".to_string(), "localhost".to_string()];
    let made =
        rcgen::generate_simple_self_signed(names).map_err(|err| cannot(&err))?;
    let certificate = CertificateDer::from(made.cert.der().to_vec());
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(
        made.signing_key.serialize_der(),
    ));
    // ring, as the lessons' client (see sites' client.rs).
    #[allow(deprecated)]
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|err| cannot(&err))?
        .with_no_client_auth()
        .with_single_cert(vec![certificate], key)
        .map_err(|err| cannot(&err))?;
    Ok((TlsAcceptor::from(Arc::new(config)), made.cert.pem()))
}
