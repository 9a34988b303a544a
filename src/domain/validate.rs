//! Field validation shared by every record: each problem is named by its field and explained
//! in both languages, so a form can mark the field and the CLI can print the reason.

use crate::i18n::Msg;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The field's name as in the record (`title`, `deadline` …).
    pub field: &'static str,
    pub msg: Msg,
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.msg)
    }
}

/// Collects the problems of one record.
#[derive(Debug, Default)]
pub struct Checker {
    pub errors: Vec<FieldError>,
}

impl Checker {
    pub fn new() -> Self {
        Checker::default()
    }

    pub fn fail(&mut self, field: &'static str, msg: Msg) {
        self.errors.push(FieldError { field, msg });
    }

    /// A required single line of text: not blank, at most `max` characters, no control
    /// characters (they would break the terminal and the Excel export).
    pub fn line(&mut self, field: &'static str, label: (&str, &str), value: &str, max: usize) {
        if value.trim().is_empty() {
            self.fail(
                field,
                Msg::new(
                    format!("{}不能为空", label.0),
                    format!("{} is required", label.1),
                ),
            );
        } else {
            self.optional_line(field, label, value, max);
        }
    }

    /// An optional single line of text.
    pub fn optional_line(
        &mut self,
        field: &'static str,
        label: (&str, &str),
        value: &str,
        max: usize,
    ) {
        self.length(field, label, value, max);
        if value.chars().any(char::is_control) {
            self.fail(
                field,
                Msg::new(
                    format!("{}含有控制字符（如换行、ESC），请删除", label.0),
                    format!(
                        "{} contains control characters (newline, ESC …); remove them",
                        label.1
                    ),
                ),
            );
        }
    }

    /// Free text over several lines: newlines and tabs are allowed, other controls are not.
    pub fn text(&mut self, field: &'static str, label: (&str, &str), value: &str, max: usize) {
        self.length(field, label, value, max);
        if value
            .chars()
            .any(|c| c.is_control() && c != '\n' && c != '\t')
        {
            self.fail(
                field,
                Msg::new(
                    format!("{}含有控制字符（如 ESC），请删除", label.0),
                    format!(
                        "{} contains control characters (ESC …); remove them",
                        label.1
                    ),
                ),
            );
        }
    }

    fn length(&mut self, field: &'static str, label: (&str, &str), value: &str, max: usize) {
        let count = value.chars().count();
        if count > max {
            self.fail(
                field,
                Msg::new(
                    format!("{}过长：{}字，最多{}字", label.0, count, max),
                    format!(
                        "{} is too long: {} characters, at most {}",
                        label.1, count, max
                    ),
                ),
            );
        }
    }

    pub fn into_result(self) -> Result<(), Vec<FieldError>> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self.errors)
        }
    }
}

/// Lengths that keep records readable and the store small.
pub const MAX_NAME: usize = 100;
pub const MAX_SHORT: usize = 40;
pub const MAX_TITLE: usize = 300;
pub const MAX_TEXT: usize = 20_000;
