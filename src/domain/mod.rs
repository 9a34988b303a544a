//! Pure domain types: ids, money, dates, vocabularies, records, status derivation and
//! validation. No I/O here.

pub mod date;
pub mod evidence;
pub mod finding;
pub mod ids;
pub mod labels;
pub mod money;
pub mod outcomes;
pub mod oversight;
pub mod project;
pub mod records;
pub mod shared_text;
pub mod status;
pub mod thin_list;
pub mod unit;
pub mod validate;
pub mod vocab;

pub use evidence::{EvidenceEntry, KindAmount};
pub use finding::{Finding, FindingFlags, Milestone, ResponsibleUnit};
pub use ids::Id;
pub use labels::Labelled;
pub use money::{Money, MoneyUnit};
pub use outcomes::{Accountability, Outcome};
pub use oversight::{CheckPlan, Referral, Supervision};
pub use project::{Project, Team};
pub use records::{Closure, Determination, FollowUpCheck, ProgressReport, Reopen};
pub use shared_text::SharedText;
pub use status::{FindingRecords, StatusView, status_at};
pub use thin_list::ThinList;
pub use unit::{Contact, Unit};
pub use validate::FieldError;
pub use vocab::*;
