//! The terminal user interface: terminal setup and teardown, signals, and the event loop.

pub mod action;
pub mod alerts;
pub mod app;
pub mod keys;
pub mod layout;
pub mod screens;
pub mod sign_in;
pub mod tabs;
#[cfg(test)]
pub mod testing;
pub mod theme;
pub mod widgets;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use ratatui::DefaultTerminal;
use ratatui::crossterm::event;

use crate::error::UserError;
use app::App;

/// Run the TUI until the operator quits or a signal (SIGTERM, SIGHUP from a dropped SSH link,
/// SIGINT, SIGQUIT) asks us to stop. The terminal is restored on every way out; ratatui's panic
/// hook restores it on a panic.
pub fn run(app: &mut App) -> anyhow::Result<()> {
    let stop = Arc::new(AtomicBool::new(false));
    for signal in [
        signal_hook::consts::SIGTERM,
        signal_hook::consts::SIGHUP,
        signal_hook::consts::SIGINT,
        signal_hook::consts::SIGQUIT,
    ] {
        signal_hook::flag::register(signal, stop.clone())?;
    }
    watch_for_a_stuck_stop(stop.clone());
    let mut terminal = ratatui::try_init().map_err(|e| {
        let _ = ratatui::try_restore();
        UserError::NoTerminal {
            reason: e.to_string(),
        }
    })?;
    let result = event_loop(&mut terminal, app, &stop);
    // After a hang-up there is no terminal left to restore; that is not an error.
    let _ = ratatui::try_restore();
    if stop.load(Ordering::Relaxed) {
        Ok(())
    } else {
        result
    }
}

/// How long the event loop has to notice a stop signal before the program ends without it.
const STOP_GRACE: Duration = Duration::from_secs(2);

/// End the program when a stop signal goes unanswered: on a terminal that is gone (a dropped
/// SSH link), crossterm's input loop spins on the dead descriptor and never returns to ours
/// (crossterm issue #793), so the program would stay, burning a core and holding the database
/// open. Every save is one SQLite transaction, so ending here loses nothing that was saved
/// and leaves nothing half-written.
fn watch_for_a_stuck_stop(stop: Arc<AtomicBool>) {
    let watch = move || {
        while !stop.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
        }
        std::thread::sleep(STOP_GRACE);
        // Still here: the loop is stuck. Give back a terminal that is still there.
        let _ = ratatui::try_restore();
        std::process::exit(0);
    };
    // Without the watch a stuck stop stays stuck; the program still runs.
    let _ = std::thread::Builder::new()
        .name("jifang-stop".into())
        .spawn(watch);
}

/// Set when something was written to the terminal past ratatui (the wait notice): the next
/// frame is drawn whole.
static REDRAW_ALL: AtomicBool = AtomicBool::new(false);

/// A save that waits for an import blocks the loop, so the status line is written directly,
/// and the frame after the wait is drawn whole again.
fn say_waiting_for_import(text: &str) {
    use ratatui::crossterm::{cursor, queue, style, terminal};
    use std::io::Write as _;
    let mut out = std::io::stdout();
    if let Ok((width, rows)) = terminal::size() {
        let line = crate::text::fit(&format!(" {text}"), width);
        let _ = queue!(
            out,
            cursor::MoveTo(0, rows.saturating_sub(1)),
            style::SetAttribute(style::Attribute::Reverse),
            style::Print(line),
            style::SetAttribute(style::Attribute::Reset),
        );
        let _ = out.flush();
    }
    REDRAW_ALL.store(true, Ordering::Relaxed);
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    stop: &AtomicBool,
) -> anyhow::Result<()> {
    let waiting = app.lang.t("status.waiting_import").to_owned();
    crate::db::importing::on_wait(move |_| say_waiting_for_import(&waiting));
    while !app.quit && !stop.load(Ordering::Relaxed) {
        app.tick(chrono::Local::now().naive_local(), Instant::now());
        if REDRAW_ALL.swap(false, Ordering::Relaxed) {
            terminal.clear()?;
        }
        terminal.draw(|frame| app.render(frame))?;
        // The poll timeout bounds how long a signal waits to be noticed.
        // Handle every key already waiting before drawing again: fast typing in a search line
        // then costs one reload of the list, not one per key.
        // A count on its way shows as soon as it comes.
        let mut wait = Duration::from_millis(if app.busy() { 15 } else { 250 });
        while !app.quit && !stop.load(Ordering::Relaxed) && event::poll(wait)? {
            // Resize needs nothing here: the next draw picks up the new size.
            if let Some(key) = event::read()?.as_key_press_event() {
                let action = app.handle_key(key);
                app.apply(action);
            }
            wait = Duration::ZERO;
        }
    }
    Ok(())
}
