//! What every command shares: where the data lives, the open store, and the current time in
//! the user's time zone.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Args;
use jiff::Zoned;
use unknot_core::catalogue::{self, Catalogue, ContentFile, Layer};
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

    /// A folder of extra or replacement content (exercises/*.toml, articles/*.md,
    /// therapies.toml, sources.toml), checked by the same validation as the built-in library.
    #[arg(long, global = true, env = "UNKNOT_CONTENT_DIR", value_name = "DIR")]
    pub content_dir: Option<PathBuf>,
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

impl DataOptions {
    /// The `--content-dir` folder as a layer, if one was given.
    pub fn content_layer(&self) -> Result<Option<Layer>> {
        let Some(dir) = &self.content_dir else {
            return Ok(None);
        };
        if !dir.is_dir() {
            return Err(usage(format!(
                "--content-dir {}: no such folder",
                dir.display()
            )));
        }
        let mut files = Vec::new();
        read_content(dir, dir, &mut files)
            .with_context(|| format!("cannot read the content folder {}", dir.display()))?;
        Ok(Some(Layer {
            origin: dir.display().to_string(),
            files,
            may_override: true,
            user_content: false,
        }))
    }

    /// The library: built in, then `--content-dir`, then the user's own exercises from
    /// `store` (when given). Invalid content is a usage error listing every problem.
    pub async fn catalogue(&self, store: Option<&Store>) -> Result<Catalogue> {
        let mut layers = vec![catalogue::builtin()];
        layers.extend(self.content_layer()?);
        if let Some(store) = store {
            layers.push(Layer::user(&store.custom_exercises().await?));
        }
        Catalogue::load(&layers).map_err(|e| usage(e.to_string().trim_end().to_string()))
    }
}

fn read_content(root: &Path, dir: &Path, out: &mut Vec<ContentFile>) -> std::io::Result<()> {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)?
        .flatten()
        .map(|e| e.path())
        .collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            read_content(root, &path, out)?;
        } else if matches!(
            path.extension().and_then(|e| e.to_str()),
            Some("toml" | "md")
        ) {
            let rel = path
                .strip_prefix(root)
                .unwrap_or(&path)
                .to_string_lossy()
                .replace('\\', "/");
            out.push(ContentFile::new(rel, std::fs::read_to_string(&path)?));
        }
    }
    Ok(())
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
