//! The tray icon: Show, Hide, Quit and a status line.

use tauri::menu::{Menu, MenuItem, PredefinedMenuItem};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager, Wry};

use crate::window::MAIN;

/// Handles to update the tray later.
pub struct Tray {
    icon: TrayIcon,
    status: MenuItem<Wry>,
}

/// Build the tray. Without a tray host (some desktops, CI) this fails; the app runs on without.
pub fn create(app: &AppHandle) -> tauri::Result<()> {
    let status = MenuItem::with_id(app, "status", "Backend: starting", false, None::<&str>)?;
    let show = MenuItem::with_id(app, "show", "Show", true, None::<&str>)?;
    let hide = MenuItem::with_id(app, "hide", "Hide", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let separator = PredefinedMenuItem::separator(app)?;
    let menu = Menu::with_items(app, &[&status, &separator, &show, &hide, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main")
        .menu(&menu)
        .tooltip("RPMA")
        .on_menu_event(|app, event| {
            let window = app.get_webview_window(MAIN);
            match event.id.as_ref() {
                "show" => {
                    if let Some(window) = window {
                        let _ = window
                            .show()
                            .and_then(|()| window.unminimize())
                            .and_then(|()| window.set_focus());
                    }
                }
                "hide" => {
                    if let Some(window) = window {
                        let _ = window.hide();
                    }
                }
                "quit" => crate::quit::request(app),
                _ => {}
            }
        });
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let icon = builder.build(app)?;
    app.manage(Tray { icon, status });
    Ok(())
}

/// Set the status line (shown as given) and/or tooltip (no-op without a tray). Never waits for the UI thread:
/// from another thread the change is posted to it (a menu item's setter would block until the
/// UI thread runs it, and a UI thread busy quitting never would).
pub fn update(app: &AppHandle, status: Option<&str>, tooltip: Option<&str>) {
    let (handle, status, tooltip) = (
        app.clone(),
        status.map(str::to_owned),
        tooltip.map(str::to_owned),
    );
    let posted = app.run_on_main_thread(move || {
        let Some(tray) = handle.try_state::<Tray>() else {
            return;
        };
        if let Some(status) = status {
            let _ = tray.status.set_text(status);
        }
        if let Some(tooltip) = tooltip {
            let _ = tray.icon.set_tooltip(Some(tooltip));
        }
    });
    if posted.is_err() {
        tracing::debug!("the event loop is gone; tray not updated");
    }
}
