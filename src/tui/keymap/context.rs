//! Where a key is pressed. Each context has its own table in a keymap file; the app asks for
//! several at once, most specific first (a form inside the app: `[Form, Global]`).

use crate::i18n::Lang;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Context {
    /// Everywhere, after the more specific contexts.
    Global,
    /// Browsing a list or panel.
    List,
    /// Editing a form; the focused text field takes unbound printable keys first.
    Form,
    /// A picker or a confirmation on top of everything.
    Popup,
}

impl Context {
    pub const ALL: [Context; 4] = [
        Context::Global,
        Context::List,
        Context::Form,
        Context::Popup,
    ];

    /// The table name in keymap files: `[global]`.
    pub fn name(self) -> &'static str {
        match self {
            Context::Global => "global",
            Context::List => "list",
            Context::Form => "form",
            Context::Popup => "popup",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }

    /// A heading for the help popup.
    pub fn describe(self, lang: Lang) -> &'static str {
        match (self, lang) {
            (Context::Global, Lang::Zh) => "全局",
            (Context::Global, Lang::En) => "everywhere",
            (Context::List, Lang::Zh) => "列表",
            (Context::List, Lang::En) => "lists",
            (Context::Form, Lang::Zh) => "表单",
            (Context::Form, Lang::En) => "forms",
            (Context::Popup, Lang::Zh) => "弹窗",
            (Context::Popup, Lang::En) => "pop-ups",
        }
    }

    /// Position in `ALL`, for per-context arrays.
    pub(crate) fn index(self) -> usize {
        self as usize
    }
}
