//! Quitting: every way out (the tray's Quit, SIGTERM or SIGINT, the last window closed) ends
//! the same way, and within a hard deadline.
//!
//! The rule that keeps quitting from hanging: the UI thread never waits for a thread that may
//! need the UI thread. Other threads only post to the UI thread and never wait for it (status
//! changes, `tray::update`) or wait with a deadline (`window::on_ui_thread`), so the supervisor thread the exit handler waits for
//! cannot be stuck on it; that wait is bounded anyway ([`STOP_WITHIN`]); and the first quit
//! request arms a watchdog that kills the sidecar and ends the process after [`DEADLINE`],
//! whatever else is stuck.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use tauri::{AppHandle, Manager};

use crate::Desktop;

/// From the quit request to the end of the process, at most.
pub const DEADLINE: Duration = Duration::from_secs(3);

/// How long the exit handler waits for the sidecar to stop before it kills it.
pub const STOP_WITHIN: Duration = Duration::from_millis(2500);

/// How long the exit handler waits for the socket server to stop and remove its socket.
pub const SOCKET_WITHIN: Duration = Duration::from_millis(300);

static ARMED: AtomicBool = AtomicBool::new(false);

/// Quit the app (the tray's Quit, SIGTERM, SIGINT): arm the deadline, then let the event loop
/// exit, which runs [`shut_down`].
pub fn request(app: &AppHandle) {
    arm(app);
    app.exit(0);
}

/// Start the watchdog (once): after [`DEADLINE`], SIGKILL the sidecar and exit with status 1.
pub fn arm(app: &AppHandle) {
    if ARMED.swap(true, Ordering::SeqCst) {
        return;
    }
    let app = app.clone();
    let watchdog = std::thread::Builder::new()
        .name("quit-deadline".into())
        .spawn(move || {
            std::thread::sleep(DEADLINE);
            tracing::error!(
                ?DEADLINE,
                "still running after the quit request; forcing the exit"
            );
            eprintln!(
                "rpma-shell: still running {DEADLINE:?} after the quit request; forcing the exit"
            );
            if let Some(desktop) = app.try_state::<Desktop>() {
                desktop.supervisor().kill();
            }
            std::process::exit(1);
        });
    if let Err(e) = watchdog {
        tracing::warn!(error = %e, "no quit deadline");
    }
}

/// The exit handler (UI thread): stop the sidecar, waiting [`STOP_WITHIN`] at most, then the
/// socket server (which runs on the async runtime, never on the UI thread), waiting
/// [`SOCKET_WITHIN`] at most for it to remove its socket.
pub fn shut_down(app: &AppHandle) {
    arm(app);
    if let Some(desktop) = app.try_state::<Desktop>() {
        tracing::info!("shutting down");
        desktop.supervisor().stop_within(STOP_WITHIN);
        let _ = desktop.socket_stop.send(true);
        let done = desktop
            .socket_done
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        if let Some(done) = done {
            let _ = done.recv_timeout(SOCKET_WITHIN);
        }
    }
}
