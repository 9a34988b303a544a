//! The event loop: one thread reads keys, one waits for signals, and the UI thread sleeps on a
//! channel until either speaks, so an idle app wakes up for nothing. Each wake-up drains every
//! queued event, then draws once inside synchronized output (DEC 2026), so a burst of keys over
//! a slow SSH link costs one frame. With a hub in config.toml the sleep also ends when a sync
//! round is due (every few seconds), and a third thread does the hub's I/O (`app_sync`).

use super::app::{App, AppEvent};
use super::term;
use crate::store::Store;
use ratatui::crossterm::event::{self, Event, MouseEventKind};
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{BeginSynchronizedUpdate, EndSynchronizedUpdate};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Instant;

pub fn run<St: Store>(app: &mut App<St>, mouse: bool) -> std::io::Result<()> {
    let (tx, rx) = mpsc::channel();
    spawn_input(tx.clone());
    app.start_sync_worker(tx.clone());
    spawn_signals(tx);
    let mut terminal = term::enter(mouse)?;
    let result = event_loop(app, &mut terminal, &rx);
    term::restore();
    result
}

fn event_loop<St: Store>(
    app: &mut App<St>,
    terminal: &mut term::Term,
    rx: &Receiver<AppEvent>,
) -> std::io::Result<()> {
    let mut first_frame = true;
    let mut back_at_the_keyboard = false;
    loop {
        draw(app, terminal)?;
        if std::mem::take(&mut back_at_the_keyboard) && app.may_need_store_soon() {
            // The user is back: a store that starts lazily starts now, after this frame is
            // out, rather than when a later key needs it (see `tui::host`).
            app.ledger.store().prepare();
        }
        if std::mem::take(&mut first_frame) {
            // The first frame may have shown a cached 总览: load the rest now (keys wait in
            // the channel meanwhile) and draw again; or keep the 总览 for the next start.
            if app.finish_loading() {
                continue;
            }
            app.save_overview();
        }
        // Without a hub: sleep until something happens. With one: until the next round is due.
        let first = match app.sync_wait(Instant::now()) {
            None => match rx.recv() {
                Ok(event) => Some(event),
                Err(_) => return Ok(()),
            },
            Some(wait) => match rx.recv_timeout(wait) {
                Ok(event) => Some(event),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => return Ok(()),
            },
        };
        if let Some(first) = first {
            app.handle_event(first);
            back_at_the_keyboard = true;
        }
        while let Ok(next) = rx.try_recv() {
            app.handle_event(next);
        }
        if app.quit {
            return Ok(());
        }
        // After a save, or when the timer is up.
        app.sync_tick(Instant::now());
    }
}

fn draw<St: Store>(app: &mut App<St>, terminal: &mut term::Term) -> std::io::Result<()> {
    execute!(terminal.backend_mut(), BeginSynchronizedUpdate)?;
    let drawn = terminal
        .draw(|frame| super::render::render(app, frame))
        .map(|_| ());
    execute!(terminal.backend_mut(), EndSynchronizedUpdate)?;
    drawn
}

fn spawn_input(tx: Sender<AppEvent>) {
    std::thread::spawn(move || {
        loop {
            let event = match event::read() {
                Ok(Event::Key(key)) => AppEvent::Key(key),
                Ok(Event::Paste(text)) => AppEvent::Paste(text),
                Ok(Event::Resize(..)) => AppEvent::Resize,
                Ok(Event::Mouse(m)) => match m.kind {
                    MouseEventKind::ScrollUp => AppEvent::Scroll(-1),
                    MouseEventKind::ScrollDown => AppEvent::Scroll(1),
                    _ => continue,
                },
                Ok(_) => continue,
                // The terminal is gone (a hung-up session): stop.
                Err(_) => AppEvent::Stop(None),
            };
            let stop = matches!(event, AppEvent::Stop(_));
            if tx.send(event).is_err() || stop {
                return;
            }
        }
    });
}

fn spawn_signals(tx: Sender<AppEvent>) {
    use signal_hook::consts::{SIGHUP, SIGINT, SIGQUIT, SIGTERM};
    let Ok(mut signals) = signal_hook::iterator::Signals::new([SIGTERM, SIGHUP, SIGINT, SIGQUIT])
    else {
        return;
    };
    std::thread::spawn(move || {
        let mut asked = false;
        for signal in signals.forever() {
            if asked {
                // Asked twice: the app did not stop in time. Every acknowledged save is already
                // on disk, so give the terminal back and leave now.
                term::restore();
                std::process::exit(128 + signal);
            }
            asked = true;
            let _ = tx.send(AppEvent::Stop(Some(signal)));
        }
    });
}
