//! What every command shares: where the data lives, the open store, and the current time in
//! the user's time zone.

use std::path::PathBuf;

use anyhow::{Context as _, Result};
use clap::Args;
use jiff::Zoned;
use unknot_store::Store;

use crate::exit::usage;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "unknot.db";

/// Options that say where unknot keeps its data.
#[derive(Debug, Clone, Args)]
pub struct DataOptions {
    /// Folder for unknot's data (default: ~/.local/share/unknot, following XDG_DATA_HOME).
    #[arg(long, global = true, env = "UNKNOT_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Database to use instead of the file in the data folder: sqlite://PATH, or
    /// postgres://USER@HOST/DB for a shared clinic server.
    #[arg(long, global = true, env = "UNKNOT_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
}

impl DataOptions {
    /// The folder for data files.
    pub fn data_dir(&self) -> Result<PathBuf> {
        if let Some(dir) = &self.data_dir {
            return Ok(dir.clone());
        }
        dirs::data_dir()
            .map(|d| d.join("unknot"))
            .ok_or_else(|| usage("cannot find your home folder: set --data-dir or UNKNOT_DATA_DIR"))
    }

    /// The database URL: `--database-url`, or the SQLite file in the data folder.
    pub fn database_url(&self) -> Result<String> {
        match &self.database_url {
            Some(url) if !url.trim().is_empty() => Ok(url.trim().to_string()),
            _ => Ok(unknot_store::sqlite_url_for(
                &self.data_dir()?.join(DB_FILE),
            )),
        }
    }

    /// Opens the store, running any pending migrations.
    pub async fn open(&self) -> Result<Store> {
        let url = self.database_url()?;
        Store::open(&url)
            .await
            .with_context(|| "could not open the journal".to_string())
    }
}

/// The current time in the user's time zone (the system's, or `TZ`).
pub fn now() -> Zoned {
    Zoned::now()
}

/// True when both standard input and output are a terminal, so prompting makes sense.
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}
