//! Nothing lost: kill `unknot log` processes at random moments, many times, then check that
//! SQLite is sound and every acknowledged entry is there.

use std::process::Stdio;
use std::time::Duration;

use crate::support::Sandbox;

#[test]
fn sigkill_during_writes_loses_no_acknowledged_entry() {
    let s = Sandbox::sqlite();
    let mut acknowledged = Vec::new();
    let mut killed = 0;
    let mut rng = fastrand::Rng::with_seed(42);
    // Calibrate: how long does one whole `log` take here? Kills then land uniformly across
    // start-up, migration check, the write and the commit, on fast and slow machines alike.
    let started = std::time::Instant::now();
    for _ in 0..3 {
        s.ok(&["log", "--pain", "1", "--note", "calibration"]);
    }
    let life = (started.elapsed() / 3).as_micros() as u64;
    for round in 0..150 {
        let pain = (round % 11).to_string();
        let note = format!("round {round}");
        let mut child = s
            .cmd()
            .args(["log", "--pain", &pain, "--note", &note, "--json"])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("spawn");
        // Kill at a random moment across the process's life, from start-up to commit.
        std::thread::sleep(Duration::from_micros(rng.u64(0..life + life / 5)));
        if child.try_wait().expect("wait").is_none() {
            let _ = child.kill(); // SIGKILL on Unix
            killed += 1;
        }
        let out = child.wait_with_output().expect("output");
        if out.status.success() {
            let v: serde_json::Value =
                serde_json::from_slice(&out.stdout).expect("acknowledged entry is JSON");
            acknowledged.push(v["id"].as_str().expect("id").to_string());
        }
    }
    assert!(
        killed >= 10,
        "only {killed} processes were killed mid-run; the test proves little"
    );
    assert!(
        acknowledged.len() >= 5,
        "only {} writes completed",
        acknowledged.len()
    );

    let verdict = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(async {
            let url = unknot_store::sqlite_url_for(&s.db_file());
            let store = unknot_store::Store::open(&url).await.expect("reopen");
            store.integrity_check().await.expect("integrity_check")
        });
    assert_eq!(verdict, "ok");
    // Reopen through unknot too (recovers the WAL) and find every acknowledged entry.
    let stored = s.json(&["history", "--json"]);
    let ids: Vec<&str> = stored
        .as_array()
        .expect("array")
        .iter()
        .filter_map(|e| e["id"].as_str())
        .collect();
    for id in &acknowledged {
        assert!(
            ids.contains(&id.as_str()),
            "acknowledged entry {id} was lost"
        );
    }
    eprintln!(
        "{} acknowledged, {killed} killed, {} stored",
        acknowledged.len(),
        ids.len()
    );
}
