//! Files the terminal writes: each appears whole or not at all.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context as _, Result};

/// Writes to a temporary file beside `path`, syncs it, then renames it into place, so a crash
/// leaves either the old file or the whole new one.
pub fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let mut tmp = tempfile::NamedTempFile::new_in(&dir)
        .with_context(|| format!("cannot write in {}", dir.display()))?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(path)
        .with_context(|| format!("cannot write {}", path.display()))?;
    Ok(())
}

/// Largest answers, habits or exercise file read, in bytes: such files are a few kilobytes.
pub const MAX_SMALL_FILE_BYTES: u64 = 1024 * 1024;

/// Reads a text file the person named (or standard input, for `-`), at most `limit` bytes.
/// Every file the terminal reads goes through here, so a device or a wrong file (such as
/// `/dev/zero`) is refused instead of filling memory. A missing file, a folder, a file that is
/// too large or not UTF-8 text is the person's input: a usage error naming the file.
pub fn read_text(path: &Path, limit: u64) -> Result<String> {
    use std::io::Read as _;
    let shown = path.display();
    let mut bytes = Vec::new();
    if path.as_os_str() == "-" {
        std::io::stdin()
            .take(limit + 1)
            .read_to_end(&mut bytes)
            .context("cannot read standard input")?;
    } else {
        if path.is_dir() {
            return Err(crate::exit::usage(format!(
                "{shown} is a folder, not a file"
            )));
        }
        let file = std::fs::File::open(path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => crate::exit::usage(format!("no such file: {shown}")),
            std::io::ErrorKind::PermissionDenied => {
                crate::exit::usage(format!("cannot read {shown}: permission denied"))
            }
            _ => anyhow::Error::new(e).context(format!("cannot read {shown}")),
        })?;
        file.take(limit + 1)
            .read_to_end(&mut bytes)
            .with_context(|| format!("cannot read {shown}"))?;
    }
    if bytes.len() as u64 > limit {
        return Err(crate::exit::usage(format!(
            "{shown} is larger than {}, more than this kind of file ever is; is it the right file?",
            size(limit)
        )));
    }
    String::from_utf8(bytes).map_err(|_| crate::exit::usage(format!("{shown} is not UTF-8 text")))
}

fn size(bytes: u64) -> String {
    if bytes >= 1024 * 1024 {
        format!("{} MiB", bytes / 1024 / 1024)
    } else {
        format!("{} KiB", bytes / 1024)
    }
}
