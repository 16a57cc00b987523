//! The supervisor thread's loops: a spawned sidecar (start, watch, restart with back-off, give
//! up), or an attached one (health only).

use std::collections::VecDeque;
use std::sync::atomic::Ordering;
use std::time::Instant;

use super::process::{start_once, stop_child, watch};
use super::{BackendStatus, Shared, SidecarCommand, healthy};

pub(super) fn run_spawned(shared: &Shared, command: &SidecarCommand) {
    let mut failures: VecDeque<Instant> = VecDeque::new();
    loop {
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        shared.restart.store(false, Ordering::SeqCst);
        let reason = match start_once(shared, command) {
            Ok(mut running) => {
                shared.set(BackendStatus::Healthy {
                    url: running.url.clone(),
                });
                let reason = watch(shared, &mut running);
                stop_child(shared, &mut running.child);
                reason
            }
            Err(reason) => reason,
        };
        if shared.stopping.load(Ordering::SeqCst) {
            return;
        }
        if shared.restart.load(Ordering::SeqCst) {
            tracing::info!("restarting the sidecar on request");
            shared.set(BackendStatus::Restarting {
                attempt: 0,
                reason: "restart requested".into(),
            });
            continue;
        }
        tracing::warn!(%reason, "sidecar failed");
        let now = Instant::now();
        failures.push_back(now);
        while failures
            .front()
            .is_some_and(|t| now.duration_since(*t) > shared.settings.failure_window)
        {
            failures.pop_front();
        }
        if failures.len() >= shared.settings.max_failures {
            shared.set(BackendStatus::Failed {
                reason,
                last_logs: shared.logs.last(20),
            });
            return;
        }
        shared.set(BackendStatus::Restarting {
            attempt: failures.len(),
            reason,
        });
        let exponent = u32::try_from(failures.len().saturating_sub(1))
            .unwrap_or(u32::MAX)
            .min(16);
        let delay = shared
            .settings
            .backoff_base
            .saturating_mul(2u32.saturating_pow(exponent));
        shared.sleep(delay.min(shared.settings.backoff_max));
    }
}

pub(super) fn run_attached(shared: &Shared, url: &str) {
    let url = url.trim_end_matches('/').to_owned();
    while !shared.stopping.load(Ordering::SeqCst) {
        if healthy(&url, shared.settings.health_timeout) {
            shared.set(BackendStatus::Healthy { url: url.clone() });
        } else {
            shared.set(BackendStatus::Restarting {
                attempt: 0,
                reason: format!("{url} does not answer"),
            });
        }
        shared.sleep(shared.settings.health_interval);
        shared.restart.store(false, Ordering::SeqCst);
    }
}
