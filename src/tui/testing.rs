//! Helpers for screen tests: the text a terminal would show.

use ratatui::buffer::Buffer;

/// The buffer as lines of text, double-width characters once (not followed by a blank).
pub fn text(buffer: &Buffer) -> String {
    let mut out = String::new();
    for y in 0..buffer.area.height {
        let mut skip = 0;
        for x in 0..buffer.area.width {
            // The cell after a double-width character is its right half, not a space.
            if skip > 0 {
                skip -= 1;
                continue;
            }
            let symbol = buffer[(x, y)].symbol();
            skip = unicode_width::UnicodeWidthStr::width(symbol).saturating_sub(1);
            out.push_str(symbol);
        }
        out.push('\n');
    }
    out
}

/// Driving the application shell with keys, as an operator would, at 80x24.
pub mod keys {
    use ratatui::Terminal;
    use ratatui::backend::TestBackend;
    use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

    use crate::tui::app::App;

    pub fn press(app: &mut App, code: KeyCode) {
        let action = app.handle_key(KeyEvent::new(code, KeyModifiers::NONE));
        app.apply(action);
    }

    pub fn ctrl(app: &mut App, c: char) {
        let action = app.handle_key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
        app.apply(action);
    }

    pub fn typed(app: &mut App, text: &str) {
        for c in text.chars() {
            press(app, KeyCode::Char(c));
        }
    }

    pub fn draw(app: &mut App) -> TestBackend {
        let mut term = Terminal::new(TestBackend::new(80, 24)).unwrap();
        term.draw(|f| app.render(f)).unwrap();
        term.backend().clone()
    }

    pub fn screen(app: &mut App) -> String {
        super::text(draw(app).buffer())
    }

    /// Draw until the open tab's workers have answered (ten seconds at most), and return the
    /// screen then.
    pub fn settle(app: &mut App) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        draw(app);
        while app.busy() {
            assert!(
                std::time::Instant::now() < deadline,
                "the workers never answered"
            );
            std::thread::sleep(std::time::Duration::from_millis(5));
            draw(app);
        }
        screen(app)
    }
}
