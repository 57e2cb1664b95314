//! Link options for the `unknot` binary.

fn main() {
    // The binary is position-independent and carries about 70,000 relative relocations (vtables,
    // string tables): stored the classic way, the dynamic loader spends about a million
    // instructions applying them before `main`, which was a sixth of a whole `unknot log`.
    // Packed (DT_RELR, glibc 2.36 and later) they take a few kilobytes and a fraction of that
    // time, and the binary stays position-independent. A linker that does not know the option
    // warns and links as before.
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os == "linux" && env == "gnu" {
        println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
    }
    println!("cargo:rerun-if-changed=build.rs");
}
