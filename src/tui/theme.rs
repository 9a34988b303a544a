//! Colours and borders. Only the 16 ANSI colours (SSH does not forward COLORTERM, and 256/true
//! colour cannot be relied on), chosen so they read on dark and light backgrounds alike; no
//! colour at all under NO_COLOR. The selection is reverse video plus a marker, never colour
//! alone.

use ratatui::style::{Color, Modifier, Style};
use ratatui::symbols::border;

#[derive(Debug, Clone, Copy)]
pub struct Theme {
    pub color: bool,
    pub ascii: bool,
    palette: Palette,
}

/// `config.toml`'s theme: which accent and warning colours. Auto uses the pair that reads on
/// both backgrounds (blue and magenta); dark terminals can take cyan and yellow, which are
/// brighter there but vanish on white.
pub type Palette = crate::config::Theme;

/// Box-drawing characters are ambiguous-width in CJK-configured terminals; `--ascii` avoids them.
const ASCII_BORDER: border::Set = border::Set {
    top_left: "+",
    top_right: "+",
    bottom_left: "+",
    bottom_right: "+",
    vertical_left: "|",
    vertical_right: "|",
    horizontal_top: "-",
    horizontal_bottom: "-",
};

impl Theme {
    pub fn new(ascii: bool, palette: Palette) -> Theme {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        Theme {
            color: !no_color,
            ascii,
            palette,
        }
    }

    fn fg(&self, color: Color) -> Style {
        if self.color {
            Style::new().fg(color)
        } else {
            Style::new()
        }
    }

    pub fn border_set(&self) -> border::Set<'static> {
        if self.ascii {
            ASCII_BORDER
        } else {
            border::PLAIN
        }
    }

    /// The marker before the selected row.
    pub fn marker(&self) -> &'static str {
        if self.ascii { ">" } else { "▶" }
    }

    pub fn selected(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED)
    }

    pub fn title(&self) -> Style {
        Style::new().add_modifier(Modifier::BOLD)
    }

    pub fn dim(&self) -> Style {
        if self.color {
            Style::new().add_modifier(Modifier::DIM)
        } else {
            Style::new()
        }
    }

    pub fn active_tab(&self) -> Style {
        Style::new().add_modifier(Modifier::REVERSED | Modifier::BOLD)
    }

    /// 超期, errors: red reads on both backgrounds.
    pub fn alert(&self) -> Style {
        self.fg(Color::Red).add_modifier(Modifier::BOLD)
    }

    /// 临期, warnings: yellow is unreadable on white, so magenta unless the terminal is dark.
    pub fn warn(&self) -> Style {
        self.fg(if self.palette == Palette::Dark {
            Color::Yellow
        } else {
            Color::Magenta
        })
    }

    /// Done (已整改, 已销号).
    pub fn good(&self) -> Style {
        self.fg(Color::Green)
    }

    pub fn accent(&self) -> Style {
        self.fg(if self.palette == Palette::Dark {
            Color::Cyan
        } else {
            Color::Blue
        })
        .add_modifier(Modifier::BOLD)
    }

    pub fn key(&self) -> Style {
        self.fg(Color::Cyan).add_modifier(Modifier::BOLD)
    }
}
