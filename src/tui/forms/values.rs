//! Reading a form's fields back as typed values; a value that does not parse becomes a
//! `FieldError` on that field, in the same shape the domain's validation uses.

use super::Form;
use super::field::Input;
use crate::domain::{FieldError, Id, Labelled, Money, MoneyUnit};
use crate::i18n::Msg;
use chrono::NaiveDate;

impl Form {
    pub(super) fn text(&self, key: &str) -> String {
        match self.field(key).map(|f| &f.input) {
            Some(Input::Line(t) | Input::Date(t) | Input::Money(t)) => t.text().trim().to_string(),
            Some(Input::Area(a)) => a.text().trim_end().to_string(),
            _ => String::new(),
        }
    }

    pub(super) fn flag(&self, key: &str) -> bool {
        matches!(self.field(key).map(|f| &f.input), Some(Input::Flag(true)))
    }

    /// The chosen value of a vocabulary shown with its labels in `T::ALL` order.
    pub(super) fn choice<T: Labelled>(&self, key: &str) -> T {
        let index = match self.field(key).map(|f| &f.input) {
            Some(Input::Choice { index, .. }) => *index,
            _ => 0,
        };
        T::ALL.get(index).copied().unwrap_or(T::ALL[0])
    }

    /// A vocabulary with a "none" first option: `None` when that is chosen.
    pub(super) fn optional_choice<T: Labelled>(&self, key: &str) -> Option<T> {
        match self.field(key).map(|f| &f.input) {
            Some(Input::Choice { index, .. }) if *index > 0 => T::ALL.get(index - 1).copied(),
            _ => None,
        }
    }

    pub(super) fn entity(&self, key: &str) -> Option<Id> {
        match self.field(key).map(|f| &f.input) {
            Some(Input::Entity { value, .. }) => *value,
            _ => None,
        }
    }

    pub(super) fn entities(&self, key: &str) -> Vec<Id> {
        match self.field(key).map(|f| &f.input) {
            Some(Input::Entities { values, .. }) => values.clone(),
            _ => Vec::new(),
        }
    }

    /// An optional date; a required one that is empty is an error.
    pub(super) fn date(
        &self,
        key: &'static str,
        today: NaiveDate,
        errors: &mut Vec<FieldError>,
    ) -> Option<NaiveDate> {
        let text = self.text(key);
        if text.is_empty() {
            if self.field(key).is_some_and(|f| f.required) {
                errors.push(required(key, self));
            }
            return None;
        }
        match crate::domain::date::parse_date(&text, today) {
            Ok(d) => Some(d),
            Err(msg) => {
                errors.push(FieldError { field: key, msg });
                None
            }
        }
    }

    /// An optional amount, typed in 万元 unless a unit is given.
    pub(super) fn money(&self, key: &'static str, errors: &mut Vec<FieldError>) -> Option<Money> {
        let text = self.text(key);
        if text.is_empty() {
            return None;
        }
        match Money::parse_in(&text, MoneyUnit::Wan) {
            Ok(m) => Some(m),
            Err(msg) => {
                errors.push(FieldError { field: key, msg });
                None
            }
        }
    }

    /// A required choice of a record (a unit, a project).
    pub(super) fn required_entity(
        &self,
        key: &'static str,
        errors: &mut Vec<FieldError>,
    ) -> Option<Id> {
        let value = self.entity(key);
        if value.is_none() {
            errors.push(required(key, self));
        }
        value
    }
}

fn required(key: &'static str, form: &Form) -> FieldError {
    let label = form.field(key).map(|f| f.label).unwrap_or((key, key));
    FieldError {
        field: key,
        msg: Msg::new(
            format!("{}不能为空", label.0),
            format!("{} is required", label.1),
        ),
    }
}

/// Labels of a vocabulary, in `ALL` order (what `Input::Choice` holds).
pub fn labels<T: Labelled>() -> Vec<String> {
    T::ALL.iter().map(|v| v.label().to_string()).collect()
}

/// The same with a leading "none" option, for optional vocabularies.
pub fn labels_with_none<T: Labelled>() -> Vec<String> {
    let mut out = vec![crate::tui::strings::S::NoneHere.t().to_string()];
    out.extend(labels::<T>());
    out
}

pub fn index_of<T: Labelled + PartialEq>(value: T) -> usize {
    T::ALL.iter().position(|v| *v == value).unwrap_or(0)
}
