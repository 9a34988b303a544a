//! Forms to create and edit records. A form is a list of fields; the keymap turns keys into
//! actions, which move between fields, edit the focused one, open a picker, or save. Saving
//! builds the record (specs.rs), validates it in the domain and the ledger, and marks each
//! invalid field with its reason; nothing is written until everything is valid.

pub mod field;
pub mod lines;
pub mod outcomes;
pub mod picker;
pub mod records;
pub mod specs;
mod values;

use super::action::Action;
use crate::domain::{CheckPlan, FieldError, Finding, Id, Project, Unit};
use field::{Field, Input};
use picker::Picker;

/// What saving the form makes.
#[derive(Debug, Clone)]
pub enum Target {
    Unit(Option<Box<Unit>>),
    Project(Option<Box<Project>>),
    Finding(Option<Box<Finding>>),
    /// A 回头看 / 跟踪检查 of this finding, joining the check plan running when the form opened
    /// (if the check is dated within it).
    Check(Id, Option<Box<CheckPlan>>),
    /// A progress report (the unit's claim) on this finding.
    Progress(Id),
    /// An auditor's determination of this finding.
    Determination(Id),
    /// 对账销号 of this finding.
    Closure(Id),
    /// Opening this closed finding again.
    Reopen(Id),
    /// 整改成效 on this finding.
    Outcome(Id),
    /// 追责问责 of one person for this finding.
    Accountability(Id),
    /// 移送 of this finding.
    Referral(Id),
    /// 督办 of this finding.
    Supervision(Id),
}

impl Target {
    /// Whether saving makes a new record (rather than editing one).
    pub fn creates(&self) -> bool {
        !matches!(
            self,
            Target::Unit(Some(_)) | Target::Project(Some(_)) | Target::Finding(Some(_))
        )
    }
}

/// What the app should do after the form handled a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FormEvent {
    None,
    Save,
    /// Leave the form (the app asks first if there are unsaved changes).
    Cancel,
}

pub struct Form {
    pub title: &'static str,
    pub target: Target,
    pub fields: Vec<Field>,
    pub focus: usize,
    pub picker: Option<Picker>,
    /// Enter saves from any field (the quick 回头看 form), instead of moving to the next.
    pub enter_saves: bool,
    pub dirty: bool,
    /// A problem that belongs to no single field (a workflow rule, a store error).
    pub message: Option<String>,
}

impl Form {
    pub fn new(title: &'static str, target: Target, fields: Vec<Field>) -> Form {
        Form {
            title,
            target,
            fields,
            focus: 0,
            picker: None,
            enter_saves: false,
            dirty: false,
            message: None,
        }
    }

    pub fn focused(&mut self) -> Option<&mut Field> {
        self.fields.get_mut(self.focus)
    }

    pub fn field(&self, key: &str) -> Option<&Field> {
        self.fields.iter().find(|f| f.key == key)
    }

    pub fn focus_key(&mut self, key: &str) {
        if let Some(i) = self.fields.iter().position(|f| f.key == key) {
            self.focus = i;
        }
    }

    fn move_focus(&mut self, delta: isize) {
        let n = self.fields.len() as isize;
        if n > 0 {
            self.focus = ((self.focus as isize + delta).rem_euclid(n)) as usize;
        }
    }

    /// Handle an action while no picker is open.
    pub fn action(&mut self, action: Action) -> FormEvent {
        if self.picker.is_some() {
            return self.picker_action(action);
        }
        match action {
            Action::Save => return FormEvent::Save,
            Action::Cancel | Action::Back => return FormEvent::Cancel,
            Action::NextField => self.move_focus(1),
            Action::PrevField => self.move_focus(-1),
            // Up and down move between lines inside a multi-line field, between fields at its
            // edges and everywhere else.
            Action::Down => {
                if !self.move_in_area(true) {
                    self.move_focus(1);
                }
            }
            Action::Up => {
                if !self.move_in_area(false) {
                    self.move_focus(-1);
                }
            }
            Action::Confirm => return self.confirm(),
            Action::Pick => self.pick(),
            Action::Newline => {
                if let Some(Field {
                    input: Input::Area(a),
                    ..
                }) = self.focused()
                {
                    a.newline();
                    self.dirty = true;
                }
            }
            edit => self.edit(edit),
        }
        FormEvent::None
    }

    /// Move the caret a line down or up inside a multi-line field; false at its edge or when
    /// the focused field is not multi-line.
    fn move_in_area(&mut self, down: bool) -> bool {
        match self.focused() {
            Some(Field {
                input: Input::Area(a),
                ..
            }) => {
                if down {
                    a.move_down()
                } else {
                    a.move_up()
                }
            }
            _ => false,
        }
    }

    /// Enter: save (quick forms, or on the last field), tick a flag, open a picker, or go on.
    fn confirm(&mut self) -> FormEvent {
        let on_last = self.focus + 1 == self.fields.len();
        match self.fields.get(self.focus).map(|f| &f.input) {
            // A choice opens its list even in a quick form: the user went there to choose.
            Some(Input::Choice { .. } | Input::Entity { .. } | Input::Entities { .. }) => {
                self.pick();
                FormEvent::None
            }
            _ if self.enter_saves => FormEvent::Save,
            Some(Input::Area(_)) => self.action(Action::Newline),
            _ if on_last => FormEvent::Save,
            _ => {
                self.move_focus(1);
                FormEvent::None
            }
        }
    }

    fn edit(&mut self, action: Action) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        let changed = match &mut field.input {
            Input::Line(t) | Input::Date(t) | Input::Money(t) => edit_line(t, action),
            Input::Area(a) => edit_area(a, action),
            Input::Flag(on) if action == Action::ClearField => {
                *on = false;
                true
            }
            _ => false,
        };
        if changed {
            field.error = None;
            self.dirty = true;
        }
    }

    /// A printable character typed into the focused field.
    pub fn type_char(&mut self, c: char) {
        if let Some(p) = self.picker.as_mut() {
            if c == ' ' && p.ticked.is_some() {
                p.toggle();
            } else {
                p.type_char(c);
            }
            return;
        }
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut field.input {
            Input::Line(t) | Input::Date(t) | Input::Money(t) => t.insert_char(c),
            Input::Area(a) => a.insert_char(c),
            Input::Flag(on) => {
                if c == ' ' {
                    *on = !*on;
                } else {
                    return;
                }
            }
            Input::Choice { .. } | Input::Entity { .. } | Input::Entities { .. } => {
                // Typing on a choice opens its picker with the typed text as the filter.
                self.pick();
                if let Some(p) = self.picker.as_mut() {
                    p.type_char(c);
                }
                return;
            }
        }
        field.error = None;
        self.dirty = true;
    }

    /// Pasted text goes into the focused text field.
    pub fn paste(&mut self, text: &str) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut field.input {
            Input::Line(t) | Input::Date(t) | Input::Money(t) => t.insert_str(text),
            Input::Area(a) => a.insert_str(text),
            _ => return,
        }
        field.error = None;
        self.dirty = true;
    }

    fn pick(&mut self) {
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        self.picker = match &mut field.input {
            Input::Choice { options, index } => Some(Picker::single(options.clone(), Some(*index))),
            Input::Entity { options, value } => {
                let current = value.and_then(|v| options.iter().position(|(id, _)| *id == v));
                Some(Picker::single(
                    options.iter().map(|(_, n)| n.clone()).collect(),
                    current,
                ))
            }
            Input::Entities { options, values } => Some(Picker::multi(
                options.iter().map(|(_, n)| n.clone()).collect(),
                options.iter().map(|(id, _)| values.contains(id)).collect(),
            )),
            Input::Flag(on) => {
                *on = !*on;
                self.dirty = true;
                None
            }
            _ => None,
        };
    }

    fn picker_action(&mut self, action: Action) -> FormEvent {
        let Some(p) = self.picker.as_mut() else {
            return FormEvent::None;
        };
        match action {
            Action::Up | Action::PrevField => p.move_by(-1),
            Action::Down | Action::NextField => p.move_by(1),
            Action::PageUp => p.move_by(-10),
            Action::PageDown => p.move_by(10),
            Action::Top | Action::CursorHome => p.to_end(false),
            Action::Bottom | Action::CursorEnd => p.to_end(true),
            Action::DeleteBack => p.delete_back(),
            Action::Cancel | Action::Back => self.picker = None,
            Action::Confirm | Action::Pick | Action::Save => self.choose(),
            _ => {}
        }
        FormEvent::None
    }

    /// Take the picker's choice into the focused field.
    fn choose(&mut self) {
        let Some(p) = self.picker.take() else { return };
        let Some(field) = self.fields.get_mut(self.focus) else {
            return;
        };
        match &mut field.input {
            Input::Choice { index, .. } => {
                if let Some(i) = p.current() {
                    *index = i;
                }
            }
            Input::Entity { options, value } => {
                if let Some(i) = p.current() {
                    *value = options.get(i).map(|(id, _)| *id);
                }
            }
            Input::Entities { options, values } => {
                let mut ticked = p.ticked.clone().unwrap_or_default();
                // Enter on an unticked row with nothing ticked means "this one".
                if !ticked.iter().any(|t| *t)
                    && let Some(i) = p.current()
                    && let Some(t) = ticked.get_mut(i)
                {
                    *t = true;
                }
                *values = options
                    .iter()
                    .zip(ticked)
                    .filter(|(_, t)| *t)
                    .map(|((id, _), _)| *id)
                    .collect();
            }
            _ => return,
        }
        field.error = None;
        self.dirty = true;
    }

    /// Put validation errors on their fields (the first invalid field gets the focus); errors
    /// about fields the form does not show become the form's message.
    pub fn set_errors(&mut self, errors: Vec<FieldError>) {
        for f in &mut self.fields {
            f.error = None;
        }
        let mut unplaced = Vec::new();
        let mut first = None;
        for e in errors {
            match self.fields.iter().position(|f| f.key == e.field) {
                Some(i) => {
                    // The topmost invalid field gets the focus, whatever order errors came in.
                    first = Some(first.map_or(i, |f: usize| f.min(i)));
                    if self.fields[i].error.is_none() {
                        self.fields[i].error = Some(e.msg.to_string());
                    }
                }
                None => unplaced.push(e.msg.to_string()),
            }
        }
        if let Some(i) = first {
            self.focus = i;
        }
        self.message = if unplaced.is_empty() {
            Some(super::strings::S::FixErrors.t().to_string())
        } else {
            Some(unplaced.join("；"))
        };
    }
}

fn edit_line(t: &mut crate::tui::widgets::text_field::TextField, action: Action) -> bool {
    match action {
        Action::CursorLeft => t.move_left(),
        Action::CursorRight => t.move_right(),
        Action::CursorHome => t.home(),
        Action::CursorEnd => t.end(),
        Action::DeleteBack => {
            t.delete_back();
            return true;
        }
        Action::DeleteForward => {
            t.delete_forward();
            return true;
        }
        Action::DeleteWordBack => {
            t.delete_word_back();
            return true;
        }
        Action::ClearField => {
            t.clear();
            return true;
        }
        _ => {}
    }
    false
}

fn edit_area(a: &mut crate::tui::widgets::text_area::TextArea, action: Action) -> bool {
    match action {
        Action::CursorLeft => a.move_left(),
        Action::CursorRight => a.move_right(),
        Action::CursorHome => a.home(),
        Action::CursorEnd => a.end(),
        Action::DeleteBack => {
            a.delete_back();
            return true;
        }
        Action::DeleteForward => {
            a.delete_forward();
            return true;
        }
        Action::DeleteWordBack => {
            a.delete_word_back();
            return true;
        }
        Action::ClearField => {
            a.clear();
            return true;
        }
        _ => {}
    }
    false
}
