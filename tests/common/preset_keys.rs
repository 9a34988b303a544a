//! The keys each keymap preset uses for the steps of the flow tests (checked against keymaps/*.toml).

/// The keys one preset uses for each step of a flow (checked against keymaps/*.toml).
pub struct Keys {
    pub preset: &'static str,
    // Lists (all three: `?` help, `c` 回头看, digits switch panels).
    pub down: &'static str,
    pub top: &'static str,
    pub open: &'static str,
    pub back: &'static str,
    pub new: &'static str,
    pub edit: &'static str,
    pub archive: &'static str,
    pub undo: &'static str,
    /// The add-record menu (整改成效, 追责问责, 移送, 督办).
    pub add_record: &'static str,
    // Pop-ups (the help scrolls a page).
    pub page_down: &'static str,
    // Forms.
    pub save: &'static str,
    pub next_field: &'static str,
    pub clear: &'static str,
    pub left: &'static str,
    pub cancel: &'static str,
    /// A binding only this preset has, as the help lists it, and what it does.
    pub help_shows: (&'static str, &'static str),
}

/// The default preset, with the IME-proof F-keys where it has them.
pub const DEFAULT: Keys = Keys {
    preset: "default",
    down: "<down>",
    top: "<home>",
    open: "<enter>",
    back: "<esc>",
    new: "<f7>",
    edit: "<f2>",
    archive: "<f8>",
    undo: "u",
    add_record: "+",
    page_down: "<pagedown>",
    save: "<ctrl-s>",
    next_field: "<tab>",
    clear: "<ctrl-u>",
    left: "<left>",
    cancel: "<esc>",
    help_shows: ("ctrl-s", "保存"),
};

/// vim: hjkl and `g g` in lists; forms are the default's.
pub const VIM: Keys = Keys {
    preset: "vim",
    down: "j",
    top: "<g g>",
    open: "l",
    back: "h",
    new: "n",
    edit: "e",
    archive: "a",
    undo: "u",
    add_record: "+",
    page_down: "<ctrl-d>",
    save: "<ctrl-s>",
    next_field: "<down>",
    clear: "<ctrl-u>",
    left: "<left>",
    cancel: "<esc>",
    help_shows: ("g g", "到顶部"),
};

/// emacs: ctrl-n/ctrl-p move, ctrl-g backs out, ctrl-x ctrl-s saves.
pub const EMACS: Keys = Keys {
    preset: "emacs",
    down: "<ctrl-n>",
    top: "<alt-<>",
    open: "<enter>",
    back: "<ctrl-g>",
    new: "n",
    edit: "e",
    archive: "a",
    undo: "<ctrl-z>",
    add_record: "<alt-a>",
    page_down: "<ctrl-v>",
    save: "<ctrl-x><ctrl-s>",
    next_field: "<ctrl-n>",
    clear: "<ctrl-k>",
    left: "<ctrl-b>",
    cancel: "<ctrl-g>",
    help_shows: ("ctrl-x ctrl-s", "保存"),
};
