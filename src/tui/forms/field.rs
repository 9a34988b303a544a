//! One field of a form: its label, its input, and the reason it is invalid, if it is.

use crate::domain::Id;
use crate::i18n::{Lang, lang};
use crate::tui::widgets::text_area::TextArea;
use crate::tui::widgets::text_field::TextField;

pub struct Field {
    /// The record field this edits; validation errors come back under this name.
    pub key: &'static str,
    pub label: (&'static str, &'static str),
    pub required: bool,
    pub input: Input,
    pub error: Option<String>,
    /// What to type, shown dimmed in the input while it is empty (a format like `上缴财政 12万元`).
    pub hint: Option<(&'static str, &'static str)>,
}

pub enum Input {
    Line(TextField),
    Area(TextArea),
    /// Typed as `2023-06-30`, `20230630`, `+30` …; read when the form is saved.
    Date(TextField),
    /// Typed in 万元 by default (`12.5`), or with a unit (`3500元`).
    Money(TextField),
    /// One of a closed vocabulary.
    Choice {
        options: Vec<String>,
        index: usize,
    },
    /// One record (a unit, a project); `None` when nothing is chosen.
    Entity {
        options: Vec<(Id, String)>,
        value: Option<Id>,
    },
    /// Several records (配合单位).
    Entities {
        options: Vec<(Id, String)>,
        values: Vec<Id>,
    },
    Flag(bool),
}

impl Field {
    pub fn new(key: &'static str, label: (&'static str, &'static str), input: Input) -> Field {
        Field {
            key,
            label,
            required: false,
            input,
            error: None,
            hint: None,
        }
    }

    pub fn required(mut self) -> Field {
        self.required = true;
        self
    }

    pub fn with_hint(mut self, hint: (&'static str, &'static str)) -> Field {
        self.hint = Some(hint);
        self
    }

    /// The hint in the current language, if the input is empty.
    pub fn shown_hint(&self) -> Option<&'static str> {
        let empty = match &self.input {
            Input::Line(t) | Input::Date(t) | Input::Money(t) => t.text().is_empty(),
            Input::Area(a) => a.is_empty(),
            _ => false,
        };
        let (zh, en) = self.hint.filter(|_| empty)?;
        Some(match lang() {
            Lang::Zh => zh,
            Lang::En => en,
        })
    }

    pub fn label(&self) -> &'static str {
        match lang() {
            Lang::Zh => self.label.0,
            Lang::En => self.label.1,
        }
    }

    /// The text input under the caret, if this field is typed into.
    pub fn text_input(&mut self) -> Option<&mut TextField> {
        match &mut self.input {
            Input::Line(t) | Input::Date(t) | Input::Money(t) => Some(t),
            _ => None,
        }
    }

    pub fn is_pickable(&self) -> bool {
        matches!(
            self.input,
            Input::Choice { .. } | Input::Entity { .. } | Input::Entities { .. }
        )
    }

    /// How many screen rows the field's input takes.
    pub fn height(&self) -> u16 {
        match self.input {
            Input::Area(_) => 4,
            _ => 1,
        }
    }
}

impl Input {
    /// The value as one line of text (what a choice shows when its picker is closed).
    pub fn summary(&self) -> String {
        match self {
            Input::Line(t) | Input::Date(t) | Input::Money(t) => t.text().to_string(),
            Input::Area(a) => a.text(),
            Input::Choice { options, index } => options.get(*index).cloned().unwrap_or_default(),
            Input::Entity { options, value } => value
                .and_then(|v| options.iter().find(|(id, _)| *id == v))
                .map(|(_, name)| name.clone())
                .unwrap_or_default(),
            Input::Entities { options, values } => options
                .iter()
                .filter(|(id, _)| values.contains(id))
                .map(|(_, name)| name.as_str())
                .collect::<Vec<_>>()
                .join("、"),
            Input::Flag(on) => if *on { "[x]" } else { "[ ]" }.to_string(),
        }
    }
}
