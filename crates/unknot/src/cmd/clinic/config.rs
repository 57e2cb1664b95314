//! The clinic server's settings: flags win over `UNKNOT_*` variables, which win over the
//! commented TOML file (`unknot clinic config` prints one), which wins over the defaults.
//! Every value is checked here, so a mistake is a usage error naming the setting and where it
//! came from, before anything is opened.

use std::net::{IpAddr, Ipv4Addr};
use std::path::{Path, PathBuf};
use std::str::FromStr;

use anyhow::Result;
use clap::Args;
use serde::Deserialize;

use crate::exit::usage;

/// The example file, with every setting, its default and why it is there.
pub const EXAMPLE: &str = include_str!("example.toml");

/// Default port of the clinic server (the local app uses 7878).
pub const DEFAULT_PORT: u16 = 7879;

/// The settings file as written.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    database_url: Option<String>,
    public_url: Option<String>,
    bind: Option<String>,
    port: Option<u16>,
    tls_cert: Option<PathBuf>,
    tls_key: Option<PathBuf>,
    allow_plain_http: Option<bool>,
    trust_proxy: Option<bool>,
    allow_hosts: Option<Vec<String>>,
    session_idle_minutes: Option<i64>,
    session_max_hours: Option<i64>,
    invite_days: Option<i64>,
    login_attempts_per_minute: Option<i64>,
    retention_days: Option<u32>,
}

/// Options every `unknot clinic` command shares.
#[derive(Debug, Clone, Args)]
pub struct Common {
    /// The settings file (see `unknot clinic config`).
    #[arg(long, global = true, env = "UNKNOT_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// The address people reach the server by, e.g. https://clinic.example.org/ (links,
    /// QR codes and passkeys are made for it).
    #[arg(long, global = true, value_name = "URL")]
    pub public_url: Option<String>,
}

/// Everything the clinic commands need, resolved and checked.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The database.
    pub database_url: String,
    /// Where people reach the server.
    pub public_url: url::Url,
    /// Listening address and port.
    pub bind: IpAddr,
    /// Listening port.
    pub port: u16,
    /// Certificate and key, when TLS is built in.
    pub tls: Option<(PathBuf, PathBuf)>,
    /// Plain HTTP allowed off loopback (behind a TLS proxy).
    pub allow_plain_http: bool,
    /// Take the client's address from `X-Forwarded-For`.
    pub trust_proxy: bool,
    /// Host names answered besides the loopback names.
    pub allowed_hosts: Vec<String>,
    /// The application's settings (timeouts, limits, retention).
    pub clinic: unknot_app::clinic::ClinicConfig,
}

/// Flags `unknot clinic serve` adds to the common ones.
#[derive(Debug, Default, Clone)]
pub struct ServeFlags {
    /// `--bind`.
    pub bind: Option<IpAddr>,
    /// `--port`.
    pub port: Option<u16>,
    /// `--tls-cert`.
    pub tls_cert: Option<PathBuf>,
    /// `--tls-key`.
    pub tls_key: Option<PathBuf>,
    /// `--allow-plain-http` (true only when given).
    pub allow_plain_http: bool,
    /// `--trust-proxy` (true only when given).
    pub trust_proxy: bool,
    /// `--allow-host`.
    pub allow_hosts: Vec<String>,
}

/// A value from the flag, else `UNKNOT_<KEY>`, else the file.
fn pick<T: FromStr>(flag: Option<T>, key: &str, file: Option<T>) -> Result<Option<T>> {
    if flag.is_some() {
        return Ok(flag);
    }
    let var = format!("UNKNOT_{}", key.to_ascii_uppercase());
    match std::env::var(&var) {
        Ok(v) if !v.trim().is_empty() => v
            .trim()
            .parse()
            .map(Some)
            .map_err(|_| usage(format!("{var}={v}: not a valid {key}"))),
        _ => Ok(file),
    }
}

fn read_file(path: Option<&Path>) -> Result<File> {
    let Some(path) = path else {
        return Ok(File::default());
    };
    let text = std::fs::read_to_string(path)
        .map_err(|e| usage(format!("--config {}: {e}", path.display())))?;
    toml::from_str(&text).map_err(|e| usage(format!("--config {}: {e}", path.display())))
}

impl Settings {
    /// Resolves and checks the settings; `database_url` is the global `--database-url`
    /// (or `UNKNOT_DATABASE_URL`).
    pub fn resolve(
        common: &Common,
        database_url: Option<&str>,
        flags: ServeFlags,
    ) -> Result<Settings> {
        let file = read_file(common.config.as_deref())?;
        let database_url = database_url
            .map(str::to_string)
            .or(file.database_url.clone())
            .filter(|u| !u.trim().is_empty())
            .ok_or_else(|| {
                usage(
                    "no database: give --database-url postgres://USER@HOST/DB (or \
                     sqlite:///PATH/clinic.db), UNKNOT_DATABASE_URL, or database_url in --config",
                )
            })?;
        let bind_text = pick(flags.bind.map(|b| b.to_string()), "bind", file.bind.clone())?;
        let bind = match bind_text {
            Some(b) => b
                .parse()
                .map_err(|_| usage(format!("bind = {b}: not an IP address such as 0.0.0.0")))?,
            None => IpAddr::V4(Ipv4Addr::LOCALHOST),
        };
        let port = pick(flags.port, "port", file.port)?.unwrap_or(DEFAULT_PORT);
        let cert = pick(flags.tls_cert, "tls_cert", file.tls_cert.clone())?;
        let key = pick(flags.tls_key, "tls_key", file.tls_key.clone())?;
        let tls = match (cert, key) {
            (Some(c), Some(k)) => Some((c, k)),
            (None, None) => None,
            _ => return Err(usage("give both --tls-cert and --tls-key, or neither")),
        };
        let allow_plain_http = flags.allow_plain_http
            || pick(None, "allow_plain_http", file.allow_plain_http)?.unwrap_or(false);
        let trust_proxy =
            flags.trust_proxy || pick(None, "trust_proxy", file.trust_proxy)?.unwrap_or(false);
        let public_url = public_url(common, file.public_url.clone(), bind, port, tls.is_some())?;
        let mut allowed_hosts = flags.allow_hosts;
        allowed_hosts.extend(file.allow_hosts.clone().unwrap_or_default());
        allowed_hosts.extend(host_of(&public_url));
        let mut clinic = unknot_app::clinic::ClinicConfig::new(public_url.clone());
        limits(&mut clinic, &file)?;
        let s = Settings {
            database_url,
            public_url,
            bind,
            port,
            tls,
            allow_plain_http,
            trust_proxy,
            allowed_hosts,
            clinic,
        };
        s.check_transport()?;
        Ok(s)
    }

    /// Plain HTTP off loopback is refused unless allowed for a proxy, and the public address
    /// must be https unless everything stays on this computer.
    fn check_transport(&self) -> Result<()> {
        let local = self.bind.is_loopback();
        if !local && self.tls.is_none() && !self.allow_plain_http {
            return Err(usage(format!(
                "refusing plain HTTP on {}: passwords and health records would cross the \
                 network unencrypted. Give --tls-cert and --tls-key, or put the server behind \
                 a reverse proxy that holds the certificate and add --allow-plain-http",
                self.bind
            )));
        }
        if !local && self.public_url.scheme() != "https" {
            return Err(usage(format!(
                "public_url {} must start with https:// when the server is reachable from \
                 other computers (cookies and passkeys need it)",
                self.public_url
            )));
        }
        Ok(())
    }
}

/// The public URL: given, or the local address this server answers on.
fn public_url(
    common: &Common,
    file: Option<String>,
    bind: IpAddr,
    port: u16,
    tls: bool,
) -> Result<url::Url> {
    let given = pick(common.public_url.clone(), "public_url", file)?;
    let text = given.unwrap_or_else(|| {
        let scheme = if tls { "https" } else { "http" };
        let host = if bind.is_loopback() || bind.is_unspecified() {
            "localhost".to_string()
        } else {
            bind.to_string()
        };
        format!("{scheme}://{host}:{port}/")
    });
    let url = url::Url::parse(&text).map_err(|e| {
        usage(format!(
            "public_url {text}: {e} (try https://clinic.example.org/)"
        ))
    })?;
    if !matches!(url.scheme(), "http" | "https") || url.host_str().is_none() {
        return Err(usage(format!(
            "public_url {text}: must be an http:// or https:// address with a host name"
        )));
    }
    Ok(url)
}

/// The `Host` header values the public URL is reached by.
fn host_of(url: &url::Url) -> Vec<String> {
    let Some(host) = url.host_str() else {
        return Vec::new();
    };
    let mut out = vec![host.to_string()];
    if let Some(port) = url.port() {
        out.push(format!("{host}:{port}"));
    }
    out
}

/// Timeouts, limits and retention from the variables and file, each checked for a sensible range.
fn limits(c: &mut unknot_app::clinic::ClinicConfig, file: &File) -> Result<()> {
    use jiff::SignedDuration;
    let range = |key: &str, v: i64, lo: i64, hi: i64| -> Result<i64> {
        if (lo..=hi).contains(&v) {
            Ok(v)
        } else {
            Err(usage(format!(
                "{key} = {v}: use a number from {lo} to {hi}"
            )))
        }
    };
    if let Some(v) = pick(None, "session_idle_minutes", file.session_idle_minutes)? {
        c.idle_timeout = SignedDuration::from_mins(range("session_idle_minutes", v, 1, 24 * 60)?);
    }
    if let Some(v) = pick(None, "session_max_hours", file.session_max_hours)? {
        c.absolute_timeout = SignedDuration::from_hours(range("session_max_hours", v, 1, 24 * 30)?);
    }
    if let Some(v) = pick(None, "invite_days", file.invite_days)? {
        c.invite_days = range("invite_days", v, 1, 90)?;
    }
    if let Some(v) = pick(
        None,
        "login_attempts_per_minute",
        file.login_attempts_per_minute,
    )? {
        c.login_attempts = range("login_attempts_per_minute", v, 1, 1000)?;
    }
    if let Some(v) = pick(None, "retention_days", file.retention_days)? {
        c.retention_days = u32::try_from(range("retention_days", i64::from(v), 0, 36_500)?)
            .unwrap_or(c.retention_days);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_example_file_parses_with_every_setting_uncommented() {
        // Every "# key = value" line, uncommented: the whole example as a real file.
        let uncommented: String = EXAMPLE
            .lines()
            .filter_map(|l| l.strip_prefix("# "))
            .filter(|r| {
                r.split_once(" = ").is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                })
            })
            .collect::<Vec<_>>()
            .join("\n");
        let parsed: File = toml::from_str(&uncommented).unwrap();
        assert_eq!(parsed.port, Some(7879));
        assert_eq!(parsed.retention_days, Some(2922));
        assert_eq!(parsed.allow_hosts, Some(vec![]));
    }
}
