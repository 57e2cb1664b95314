//! `unknot serve`: the web app on this computer, on loopback only. The single-user app has no
//! accounts, so an address other computers can reach would hand them the whole journal: such a
//! `--bind` is refused before anything is opened, with the ways to reach the app safely. Every
//! request must be addressed to a loopback name or one given with `--allow-host`.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use anyhow::{Context as _, Result};
use clap::Args;

use crate::app::DataOptions;
use crate::exit::usage;

/// Arguments of `unknot serve`.
#[derive(Debug, Args)]
#[command(
    after_help = "Examples:\n  unknot serve --open\n  unknot serve --port 8080\n  \
    unknot demo --years 1 && unknot serve   (made-up data to look around)"
)]
pub struct ServeArgs {
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 7878, env = "UNKNOT_PORT")]
    pub port: u16,

    /// Address to listen on: a loopback address (127.0.0.1, the default, or ::1). The app has
    /// no accounts, so an address other computers can reach is refused.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST), value_name = "ADDRESS")]
    pub bind: IpAddr,

    /// Also answer requests addressed to this host name (for a reverse proxy or an SSH tunnel
    /// that keeps its own name); localhost and loopback addresses are always answered.
    /// Repeat for several names.
    #[arg(long = "allow-host", value_name = "NAME", value_parser = host_name)]
    pub allow_host: Vec<String>,

    /// Open the app in your web browser once it is ready.
    #[arg(long)]
    pub open: bool,

    /// Run session and therapy timers this many times faster (for demos and tests).
    #[arg(long, default_value_t = 1.0, value_parser = speed, hide = true)]
    pub speed: f64,
}

fn speed(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(v) if (0.1..=10_000.0).contains(&v) => Ok(v),
        _ => Err(format!("'{s}' is not a speed from 0.1 to 10000")),
    }
}

fn host_name(s: &str) -> Result<String, String> {
    let ok = !s.is_empty()
        && s.len() <= 253
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    if ok {
        Ok(s.to_ascii_lowercase())
    } else {
        Err(format!(
            "'{}' is not a host name such as unknot.home.arpa or unknot.home.arpa:8443",
            unknot_core::error::shown(s)
        ))
    }
}

/// Why an address other computers can reach is refused, and what to do instead.
fn refuse_off_loopback(bind: IpAddr) -> anyhow::Error {
    usage(format!(
        "refusing to listen on {bind}: unknot serve is a single-user app without accounts, so \
         anyone who could reach that address could read and change your journal. Keep the \
         default (127.0.0.1) and reach it from another computer through an SSH tunnel \
         (ssh -L 7878:localhost:7878 THIS-COMPUTER, then open http://localhost:7878/); sharing \
         a journal with others needs the clinic server, which has accounts."
    ))
}

/// `unknot serve`.
pub async fn run(data: &DataOptions, args: ServeArgs) -> Result<()> {
    if !args.bind.is_loopback() {
        return Err(refuse_off_loopback(args.bind));
    }
    let url = data.database_url()?;
    let store = unknot_store::Store::open_with(&url, 4)
        .await
        .context("could not open the journal")?;
    let app = data.app_over(store)?;
    let state = unknot_web::AppState::new(
        app,
        unknot_web::Options {
            speed: args.speed,
            allowed_hosts: args.allow_host.clone(),
            database_file: url
                .strip_prefix("sqlite://")
                .map(|p| std::path::PathBuf::from(p.split('?').next().unwrap_or(p))),
        },
    )
    .await
    .map_err(|e| anyhow::anyhow!("{e}"))?;
    let addr = SocketAddr::new(args.bind, args.port);
    let listener = tokio::net::TcpListener::bind(addr).await.map_err(|e| {
        usage(format!(
            "cannot listen on {addr}: {e} (is unknot already running? try --port)"
        ))
    })?;
    let bound = listener.local_addr()?;
    let shown = format!("http://localhost:{}/", bound.port());
    println!("unknot is running at {shown}  (Ctrl-C to stop)");
    if args.open {
        // Best effort: a desktop without a browser still has the address printed above.
        let _ = std::process::Command::new("xdg-open")
            .arg(&shown)
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn();
    }
    unknot_web::serve(state, listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
    .context("the web server stopped")?;
    eprintln!("Stopped.");
    Ok(())
}
