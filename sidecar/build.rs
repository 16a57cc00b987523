//! Records the commit, build time and compiler for `GET /api/v1/system/info`, and rebuilds
//! when a migration changes.

use std::path::Path;
use std::process::Command;
use std::time::{SystemTime, UNIX_EPOCH};

fn output(cmd: &str, args: &[&str]) -> Option<String> {
    let out = Command::new(cmd).args(args).output().ok()?;
    let text = String::from_utf8(out.stdout).ok()?;
    (out.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}

fn main() {
    // Rebuild when the checked-out commit moves; watch only paths that exist, because
    // cargo treats a missing path as always changed.
    let git = Path::new("../.git");
    for path in ["HEAD", "refs/heads", "packed-refs"] {
        let path = git.join(path);
        if path.exists() {
            println!("cargo:rerun-if-changed={}", path.display());
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
    // `sqlx::migrate!` embeds the migrations when the crate compiles: compile again when one
    // changes (cargo watches every file under the folder).
    println!("cargo:rerun-if-changed=../migrations");

    let sha =
        output("git", &["rev-parse", "--short=12", "HEAD"]).unwrap_or_else(|| "unknown".into());
    let rustc = std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into());
    let rustc_version = output(&rustc, &["--version"]).unwrap_or_else(|| "unknown".into());
    let epoch = std::env::var("SOURCE_DATE_EPOCH").ok().unwrap_or_else(|| {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.as_secs().to_string())
            .unwrap_or_default()
    });
    println!("cargo:rustc-env=RPMA_GIT_SHA={sha}");
    println!("cargo:rustc-env=RPMA_RUSTC_VERSION={rustc_version}");
    println!("cargo:rustc-env=RPMA_BUILD_EPOCH={epoch}");
}
