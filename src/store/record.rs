//! One enum over every kind of record, so the store can decode, apply and validate any of them
//! by kind, and typed access for the ledger through `Entity`.

use super::op::EntityKind;
use crate::domain::{
    Accountability, CheckPlan, Closure, Determination, EvidenceEntry, FieldError, Finding,
    FollowUpCheck, Id, Outcome, ProgressReport, Project, Referral, Reopen, Supervision, Unit,
};
use crate::i18n::Msg;
use serde_json::Value;

#[derive(Debug, Clone, PartialEq)]
pub enum Record {
    Unit(Unit),
    Project(Project),
    Finding(Finding),
    Check(FollowUpCheck),
    Progress(ProgressReport),
    Determination(Determination),
    Closure(Closure),
    Reopen(Reopen),
    Outcome(Outcome),
    Accountability(Accountability),
    Referral(Referral),
    Supervision(Supervision),
    Plan(CheckPlan),
}

/// A record type that lives in the store.
pub trait Entity: Sized + Clone + serde::Serialize + serde::de::DeserializeOwned {
    const KIND: EntityKind;
    fn id(&self) -> Id;
    fn into_record(self) -> Record;
    fn from_record(record: Record) -> Option<Self>;
    fn validate(&self) -> Result<(), Vec<FieldError>>;
    fn archived(&self) -> bool;
}

macro_rules! entities {
    ($($variant:ident($ty:ty)),+ $(,)?) => {
        $(
            impl Entity for $ty {
                const KIND: EntityKind = EntityKind::$variant;
                fn id(&self) -> Id { self.id }
                fn into_record(self) -> Record { Record::$variant(self) }
                fn from_record(record: Record) -> Option<Self> {
                    match record { Record::$variant(r) => Some(r), _ => None }
                }
                fn validate(&self) -> Result<(), Vec<FieldError>> { <$ty>::validate(self) }
                fn archived(&self) -> bool { self.archived }
            }
        )+

        impl Record {
            pub fn kind(&self) -> EntityKind {
                match self { $(Record::$variant(_) => EntityKind::$variant),+ }
            }

            pub fn id(&self) -> Id {
                match self { $(Record::$variant(r) => r.id),+ }
            }

            pub fn archived(&self) -> bool {
                match self { $(Record::$variant(r) => r.archived),+ }
            }

            pub fn validate(&self) -> Result<(), Vec<FieldError>> {
                match self { $(Record::$variant(r) => r.validate()),+ }
            }

            pub fn to_json(&self) -> Result<Value, Msg> {
                let result = match self { $(Record::$variant(r) => serde_json::to_value(r)),+ };
                result.map_err(json_error)
            }

            pub fn from_json(kind: EntityKind, value: Value) -> Result<Record, Msg> {
                let result = match kind {
                    $(EntityKind::$variant => serde_json::from_value::<$ty>(value).map(Record::$variant)),+
                };
                result.map_err(json_error)
            }

            /// The bincode payload (inside the envelope, see `codec`).
            pub(crate) fn to_bincode(&self) -> Result<Vec<u8>, Msg> {
                let result = match self { $(Record::$variant(r) => super::codec::bincode_encode(r)),+ };
                result
            }

            pub(crate) fn from_bincode(kind: EntityKind, bytes: &[u8]) -> Result<Record, Msg> {
                match kind {
                    $(EntityKind::$variant => super::codec::bincode_decode::<$ty>(bytes).map(Record::$variant)),+
                }
            }
        }
    };
}

entities!(
    Unit(Unit),
    Project(Project),
    Finding(Finding),
    Check(FollowUpCheck),
    Progress(ProgressReport),
    Determination(Determination),
    Closure(Closure),
    Reopen(Reopen),
    Outcome(Outcome),
    Accountability(Accountability),
    Referral(Referral),
    Supervision(Supervision),
    Plan(CheckPlan),
);

impl Record {
    /// The day a record hanging on a finding tells of (units, projects and findings have none).
    pub fn date(&self) -> Option<chrono::NaiveDate> {
        match self {
            Record::Check(r) => Some(r.date),
            Record::Progress(r) => Some(r.date),
            Record::Determination(r) => Some(r.date),
            Record::Closure(r) => Some(r.date),
            Record::Reopen(r) => Some(r.date),
            Record::Outcome(r) => Some(r.date),
            Record::Accountability(r) => Some(r.date),
            Record::Referral(r) => Some(r.date),
            Record::Supervision(r) => Some(r.date),
            Record::Unit(_) | Record::Project(_) | Record::Finding(_) | Record::Plan(_) => None,
        }
    }

    /// The 佐证材料 a record carries (none for the kinds that have no evidence list).
    pub fn evidence(&self) -> &[EvidenceEntry] {
        match self {
            Record::Check(r) => &r.evidence,
            Record::Progress(r) => &r.evidence,
            Record::Determination(r) => &r.evidence,
            Record::Outcome(r) => &r.evidence,
            Record::Unit(_)
            | Record::Project(_)
            | Record::Finding(_)
            | Record::Closure(_)
            | Record::Reopen(_)
            | Record::Accountability(_)
            | Record::Referral(_)
            | Record::Supervision(_)
            | Record::Plan(_) => &[],
        }
    }

    /// The finding a record hangs on, for records that do.
    pub fn finding(&self) -> Option<Id> {
        match self {
            Record::Check(r) => Some(r.finding),
            Record::Progress(r) => Some(r.finding),
            Record::Determination(r) => Some(r.finding),
            Record::Closure(r) => Some(r.finding),
            Record::Reopen(r) => Some(r.finding),
            Record::Outcome(r) => Some(r.finding),
            Record::Accountability(r) => Some(r.finding),
            Record::Referral(r) => Some(r.finding),
            Record::Supervision(r) => Some(r.finding),
            Record::Unit(_) | Record::Project(_) | Record::Finding(_) | Record::Plan(_) => None,
        }
    }
}

fn json_error(err: serde_json::Error) -> Msg {
    Msg::new(
        format!("记录内容不符合格式：{err}"),
        format!("the record does not fit its format: {err}"),
    )
}
