//! What every command shares: where the data lives, and the application (`unknot-app`) opened
//! over it with the library's layers and the clock.

use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};
use clap::Args;
use unknot_app::{App, Clock};
use unknot_core::catalogue::{self, Catalogue, ContentFile, Layer};
use unknot_store::Store;
use unknot_store::StoreError;

use crate::exit::usage;

/// The database file's name inside the data directory.
pub const DB_FILE: &str = "unknot.db";
/// The note of where the last full backup went, beside the database.
pub const LAST_BACKUP_FILE: &str = "last-backup";

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

    /// Pretend it is this moment (an RFC 3339 time): for reproducible tests and demos. New ids
    /// then repeat from run to run as well.
    #[arg(long, global = true, env = "UNKNOT_NOW", value_name = "TIME", hide = true, value_parser = instant)]
    pub now: Option<jiff::Timestamp>,
}

fn instant(s: &str) -> Result<jiff::Timestamp, String> {
    s.trim()
        .parse()
        .map_err(|_| format!("'{s}' is not an RFC 3339 time such as 2026-03-01T08:00:00Z"))
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

    /// Opens the store, running any pending migrations. A damaged journal file is named with
    /// what to do, and the last backup `unknot export` wrote, if any.
    pub async fn open(&self) -> Result<Store> {
        let url = self.database_url()?;
        match Store::open(&url).await {
            Ok(store) => Ok(store),
            Err(e @ StoreError::Damaged { .. }) => {
                let last = self.last_backup().map_or_else(
                    || "No backup written by `unknot export` is on record here.".to_string(),
                    |(path, when)| format!("Your last backup was written to {path} on {when}."),
                );
                Err(anyhow::anyhow!(
                    "{e}.\n{last}\nRestore a backup into a fresh journal with `unknot --data-dir NEW-FOLDER \
                     import BACKUP.json`, and keep the damaged file: `sqlite3 FILE .recover` may \
                     save entries made since."
                ))
            }
            Err(e) => Err(anyhow::Error::new(e).context("could not open the journal")),
        }
    }

    /// Where `unknot export` last wrote a full backup, and when (kept beside the journal, so it
    /// can be named even when the journal itself cannot be read).
    pub fn last_backup(&self) -> Option<(String, String)> {
        let text = std::fs::read_to_string(self.data_dir().ok()?.join(LAST_BACKUP_FILE)).ok()?;
        let (path, when) = text.trim().split_once('\t')?;
        Some((path.to_string(), when.to_string()))
    }

    /// Records where a full backup was just written (best effort: a backup that was written
    /// stays written even if this note cannot be).
    pub fn note_backup(&self, path: &Path, at: &jiff::Timestamp) {
        let Ok(dir) = self.data_dir() else { return };
        let shown = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
        let when = at.strftime("%Y-%m-%d %H:%M UTC").to_string();
        let _ = crate::files::write_atomically(
            &dir.join(LAST_BACKUP_FILE),
            format!("{}\t{when}\n", shown.display()).as_bytes(),
        );
    }

    /// The clock: the computer's, or the moment `--now` names.
    pub fn clock(&self) -> Clock {
        self.now.map_or_else(Clock::system, Clock::fixed)
    }

    /// The application over the journal, with the library's layers and the clock.
    pub async fn app(&self) -> Result<App> {
        self.app_over(self.open().await?)
    }

    /// The application over an already open store.
    pub fn app_over(&self, store: Store) -> Result<App> {
        Ok(App::new(store, self.layers()?, self.clock()))
    }

    /// The library's layers below the user's own exercises: built in, then `--content-dir`.
    pub fn layers(&self) -> Result<Vec<Layer>> {
        let mut layers = vec![catalogue::builtin()];
        layers.extend(self.content_layer()?);
        Ok(layers)
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

    /// The library without the user's own exercises (for commands that need no journal):
    /// built in, then `--content-dir`. Invalid content is a usage error listing every problem.
    pub fn library(&self) -> Result<Catalogue> {
        Catalogue::load(&self.layers()?).map_err(|e| usage(e.to_string().trim_end().to_string()))
    }
}

fn read_content(root: &Path, dir: &Path, out: &mut Vec<ContentFile>) -> Result<()> {
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
            let text = crate::files::read_text(&path, crate::files::MAX_SMALL_FILE_BYTES)?;
            out.push(ContentFile::new(rel, text));
        }
    }
    Ok(())
}

/// True when both standard input and output are a terminal, so prompting makes sense.
pub fn interactive() -> bool {
    use std::io::IsTerminal;
    std::io::stdin().is_terminal() && std::io::stdout().is_terminal()
}
