use crate::domain::FieldError;
use crate::i18n::Msg;
use crate::store::StoreError;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LedgerError {
    /// Fields that fail validation; nothing was written.
    Invalid(Vec<FieldError>),
    /// A referenced record does not exist.
    NotFound(Msg),
    /// The change breaks a rule of the workflow (e.g. 销号 before 已整改); nothing was written.
    Rule(Msg),
    Store(StoreError),
}

impl LedgerError {
    pub fn rule(zh: impl Into<String>, en: impl Into<String>) -> LedgerError {
        LedgerError::Rule(Msg::new(zh, en))
    }

    pub fn field(field: &'static str, zh: impl Into<String>, en: impl Into<String>) -> LedgerError {
        LedgerError::Invalid(vec![FieldError {
            field,
            msg: Msg::new(zh, en),
        }])
    }
}

impl From<StoreError> for LedgerError {
    fn from(e: StoreError) -> Self {
        LedgerError::Store(e)
    }
}

impl fmt::Display for LedgerError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LedgerError::Invalid(errors) => {
                let texts: Vec<String> = errors.iter().map(|e| e.msg.to_string()).collect();
                write!(f, "{}", texts.join("；"))
            }
            LedgerError::NotFound(m) | LedgerError::Rule(m) => write!(f, "{m}"),
            LedgerError::Store(e) => write!(f, "{e}"),
        }
    }
}

impl std::error::Error for LedgerError {}

pub type LedgerResult<T> = Result<T, LedgerError>;
