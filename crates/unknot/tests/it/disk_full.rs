//! A full disk under the local journal (a 2 MiB tmpfs as the data folder): `unknot log` fails
//! with a message that names the cause, exits non-zero, and every earlier entry is still there
//! and sound once space is freed. Mounting needs root; elsewhere the test says why it skipped
//! (`scripts/fault-disk-full.sh` runs the same check by hand).

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::{Sandbox, stderr};

/// A tmpfs mounted on a folder, unmounted when dropped (also when the test fails).
struct Mounted(PathBuf);

impl Drop for Mounted {
    fn drop(&mut self) {
        let _ = Command::new("umount").arg(&self.0).status();
    }
}

fn mount_small_tmpfs(at: &Path) -> Result<Mounted, String> {
    let uid = Command::new("id")
        .arg("-u")
        .output()
        .map_err(|e| e.to_string())?;
    if String::from_utf8_lossy(&uid.stdout).trim() != "0" {
        return Err("mounting a tmpfs needs root".into());
    }
    let out = Command::new("mount")
        .args(["-t", "tmpfs", "-o", "size=2m", "tmpfs"])
        .arg(at)
        .output()
        .map_err(|e| e.to_string())?;
    if !out.status.success() {
        return Err(format!("mount refused: {}", stderr(&out).trim()));
    }
    Ok(Mounted(at.to_path_buf()))
}

/// Fills the disk, then gives back `leave` bytes; returns the filler to free later.
fn fill_leaving(dir: &Path, leave: u64) -> PathBuf {
    let path = dir.join("filler.bin");
    let mut f = std::fs::File::create(&path).unwrap();
    let block = [0u8; 4096];
    while f.write_all(&block).is_ok() {}
    let _ = f.flush();
    let len = f.metadata().unwrap().len();
    f.set_len(len.saturating_sub(leave)).unwrap();
    path
}

#[test]
fn a_full_disk_is_named_and_the_journal_kept() {
    let sb = Sandbox::sqlite();
    let _mounted = match mount_small_tmpfs(sb.dir.path()) {
        Ok(m) => m,
        Err(why) => {
            eprintln!("skipped: {why}");
            return;
        }
    };
    for pain in ["2", "3", "4"] {
        sb.ok(&["log", "--pain", pain, "--note", "before the disk filled"]);
    }
    let long_note = "x".repeat(4000);
    // Too little room even to open the journal (SQLite's 32 KiB index beside it), then room to
    // open but not to write.
    for leave in [8 * 1024, 40 * 1024] {
        let filler = fill_leaving(sb.dir.path(), leave);
        // Opening waits out the pool's 3 s before it diagnoses, so that case runs once.
        let tries = if leave < 32 * 1024 { 1 } else { 3 };
        for _ in 0..tries {
            let out = sb.run(&["log", "--pain", "5", "--note", &long_note]);
            let err = stderr(&out);
            assert_eq!(out.status.code(), Some(1), "left {leave}: {err}");
            assert!(
                err.contains("the disk holding the journal is full"),
                "left {leave}: {err}"
            );
            assert!(err.contains("nothing was written"), "{err}");
        }
        std::fs::remove_file(filler).unwrap();
        // Sound, and exactly the entries logged before.
        let entries = sb.json(&["history", "--json"]);
        let entries = entries.as_array().unwrap();
        assert_eq!(entries.len(), 3, "left {leave}: {entries:?}");
        assert!(
            entries
                .iter()
                .all(|e| e["note"] == "before the disk filled")
        );
    }
    // SQLite's own check of the whole file, through a connection of the test's own.
    let url = format!("sqlite://{}", sb.db_file().display());
    let verdict: String = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
        .block_on(async {
            use sqlx::Connection as _;
            sqlx::any::install_default_drivers();
            let mut c = sqlx::AnyConnection::connect(&url).await.unwrap();
            sqlx::query_scalar("PRAGMA integrity_check")
                .fetch_one(&mut c)
                .await
                .unwrap()
        });
    assert_eq!(verdict, "ok");
}
