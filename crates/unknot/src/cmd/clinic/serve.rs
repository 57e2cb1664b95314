//! `unknot clinic serve`: the clinic server. It listens where the settings say, with TLS built
//! in or behind a reverse proxy; plain HTTP off loopback is refused unless allowed for a proxy.
//! Every request must be addressed to the public URL's host (or a loopback name). Once an hour
//! it removes the records the clinic no longer has to keep.

use std::net::{IpAddr, SocketAddr};
use std::path::PathBuf;
use std::time::Duration;

use anyhow::{Context as _, Result};
use clap::Args;

use super::config::{Common, ServeFlags, Settings};
use crate::app::DataOptions;
use crate::exit::usage;

/// Arguments of `unknot clinic serve`.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
    unknot clinic serve --database-url postgres://unknot@127.0.0.1/unknot\n  \
    unknot clinic serve --config /etc/unknot/clinic.toml\n  \
    unknot clinic serve --bind 0.0.0.0 --port 443 --public-url https://clinic.example.org/ \\\n    \
    --tls-cert fullchain.pem --tls-key privkey.pem\n  \
    unknot clinic serve --port 7879 --allow-plain-http --trust-proxy --public-url https://clinic.example.org/   (behind a proxy)")]
pub struct ServeArgs {
    /// Address to listen on (default 127.0.0.1). Off loopback, give a certificate or
    /// --allow-plain-http for a TLS proxy in front.
    #[arg(long, value_name = "ADDRESS", env = "UNKNOT_BIND")]
    bind: Option<IpAddr>,

    /// Port to listen on (default 7879; 0 picks a free one).
    #[arg(long, env = "UNKNOT_PORT")]
    port: Option<u16>,

    /// PEM certificate chain, for TLS built in.
    #[arg(long, value_name = "FILE", env = "UNKNOT_TLS_CERT")]
    tls_cert: Option<PathBuf>,

    /// PEM private key of the certificate.
    #[arg(long, value_name = "FILE", env = "UNKNOT_TLS_KEY")]
    tls_key: Option<PathBuf>,

    /// Serve plain HTTP off loopback: only behind a reverse proxy that terminates TLS.
    #[arg(long)]
    allow_plain_http: bool,

    /// Take the client's address from the proxy's X-Forwarded-For (only behind a proxy).
    #[arg(long)]
    trust_proxy: bool,

    /// Also answer requests addressed to this host name. Repeat for several.
    #[arg(long = "allow-host", value_name = "NAME")]
    allow_host: Vec<String>,

    /// Database connections to keep open.
    #[arg(long, default_value_t = 16, value_parser = clap::value_parser!(u32).range(1..=200))]
    connections: u32,
}

/// `unknot clinic serve`.
pub async fn run(data: &DataOptions, common: &Common, args: ServeArgs) -> Result<()> {
    let flags = ServeFlags {
        bind: args.bind,
        port: args.port,
        tls_cert: args.tls_cert,
        tls_key: args.tls_key,
        allow_plain_http: args.allow_plain_http,
        trust_proxy: args.trust_proxy,
        allow_hosts: args.allow_host,
    };
    let settings = Settings::resolve(common, data.database_url.as_deref(), flags)?;
    let tls = match &settings.tls {
        Some((cert, key)) => Some(unknot_web::serve::tls_acceptor(cert, key).map_err(usage)?),
        None => None,
    };
    let clinic = super::open(data, &settings, args.connections).await?;
    spawn_purge(clinic.clone());
    let state = unknot_web::AppState::for_clinic(
        clinic,
        unknot_web::Options {
            speed: 1.0,
            allowed_hosts: settings.allowed_hosts.clone(),
            database_file: None,
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let mut router = unknot_web::router(state);
    if settings.trust_proxy {
        router = router.layer(axum::Extension(unknot_web::serve::TrustProxy(true)));
    }
    let addr = SocketAddr::new(settings.bind, settings.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        usage(format!(
            "cannot listen on {addr}: {e} (is another server running there? try --port)"
        ))
    })?;
    let bound = listener.local_addr()?;
    let how = if tls.is_some() { "https" } else { "http" };
    // One line: scripts read it for the address and may close the pipe after it. It names the
    // allocator this process chose before `main`, for the operator.
    println!(
        "unknot clinic server at {}  (listening on {how}://{bound}; memory allocator {}; \
         Ctrl-C to stop)",
        settings.public_url,
        unknot_alloc::PerProcess::name()
    );
    unknot_web::serve::run(
        router,
        listener,
        unknot_web::serve::Limits::default(),
        tls,
        async {
            let _ = tokio::signal::ctrl_c().await;
        },
    )
    .await
    .context("the clinic server stopped")?;
    eprintln!("Stopped.");
    Ok(())
}

/// Removes, once an hour, what erased accounts left behind once the clinic's retention ends.
fn spawn_purge(clinic: unknot_app::clinic::ClinicApp) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(3600));
        loop {
            tick.tick().await;
            if let Err(e) = clinic.purge_retained().await {
                eprintln!("warning: removing records past their retention failed: {e}");
            }
        }
    });
}
