//! `unknot serve`: the web app on this computer. Loopback only unless `--bind` says otherwise
//! (then with a warning, since anyone who can reach the address can read the journal).

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

    /// Address to listen on. The default, 127.0.0.1, lets only this computer in; any other
    /// address lets others on the network read and change your journal.
    #[arg(long, default_value_t = IpAddr::V4(Ipv4Addr::LOCALHOST), value_name = "ADDRESS")]
    pub bind: IpAddr,

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

/// `unknot serve`.
pub async fn run(data: &DataOptions, args: ServeArgs) -> Result<()> {
    let url = data.database_url()?;
    let store = unknot_store::Store::open_with(&url, 4)
        .await
        .context("could not open the journal")?;
    let app = data.app_over(store)?;
    let loopback = args.bind.is_loopback();
    let state = unknot_web::AppState::new(
        app,
        unknot_web::Options {
            speed: args.speed,
            loopback_only: loopback,
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
    let shown = if loopback {
        format!("http://localhost:{}/", bound.port())
    } else {
        format!("http://{bound}/")
    };
    if !loopback {
        eprintln!(
            "warning: listening on {bound}: anyone who can reach this address can read and change \
             your journal. Use this only on a network you trust."
        );
    }
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
