//! Record shapes of earlier store schemas, frozen, and their upgrade to the current shape.
//!
//! bincode is not self-describing, so a value written under schema 1 must be read with the
//! schema-1 struct. Values are upgraded as they are read; the next write of the record stores the
//! current shape. Nothing is rewritten in bulk, so there is no migration to be interrupted: a
//! store holding any mix of schema-1 and schema-2 values reads correctly at every moment.
//!
//! Never edit these structs. When a record changes shape again, copy the then-current struct here
//! as `…V2`, bump `codec::SCHEMA_VERSION`, and add a frozen fixture under `tests/fixtures`.

use super::codec::bincode_decode;
use super::op::EntityKind;
use super::record::Record;
use crate::domain::{
    Channel, CheckKind, CheckMethod, CheckVerdict, ClaimedStatus, Determination, FollowUpCheck, Id,
    Money, ProgressReport, ReviewMethod, ReviewVerdict,
};
use crate::i18n::Msg;
use chrono::NaiveDate;
use serde::Deserialize;

#[derive(Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
struct FollowUpCheckV1 {
    id: Id,
    finding: Id,
    date: NaiveDate,
    checker: String,
    kind: CheckKind,
    method: CheckMethod,
    verdict: CheckVerdict,
    note: String,
    next_check: Option<NaiveDate>,
    project: Option<Id>,
    archived: bool,
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
struct ProgressReportV1 {
    id: Id,
    finding: Id,
    date: NaiveDate,
    submitted_by: String,
    narrative: String,
    measures: String,
    reason_if_incomplete: String,
    next_steps: String,
    claimed: ClaimedStatus,
    amount_rectified: Option<Money>,
    archived: bool,
}

#[derive(Deserialize)]
#[cfg_attr(test, derive(serde::Serialize))]
struct DeterminationV1 {
    id: Id,
    finding: Id,
    date: NaiveDate,
    reviewer: String,
    method: ReviewMethod,
    verdict: ReviewVerdict,
    standard: String,
    opinion: String,
    amount_confirmed: Option<Money>,
    archived: bool,
}

/// Decode a schema-1 payload of a kind whose shape changed since; `None` when the kind kept its
/// schema-1 shape (decode it as current).
pub fn decode_v1(kind: EntityKind, payload: &[u8]) -> Option<Result<Record, Msg>> {
    let record = match kind {
        EntityKind::Check => bincode_decode::<FollowUpCheckV1>(payload).map(|v| {
            Record::Check(FollowUpCheck {
                id: v.id,
                finding: v.finding,
                date: v.date,
                checker: v.checker.into(),
                kind: v.kind,
                method: v.method,
                verdict: v.verdict,
                note: v.note,
                next_check: v.next_check,
                project: v.project,
                archived: v.archived,
                plan: None,
                evidence: Vec::new(),
            })
        }),
        EntityKind::Progress => bincode_decode::<ProgressReportV1>(payload).map(|v| {
            Record::Progress(ProgressReport {
                id: v.id,
                finding: v.finding,
                date: v.date,
                submitted_by: v.submitted_by,
                narrative: v.narrative,
                measures: v.measures,
                reason_if_incomplete: v.reason_if_incomplete,
                next_steps: v.next_steps,
                claimed: v.claimed,
                amount_rectified: v.amount_rectified,
                archived: v.archived,
                channel: Channel::Typed,
                requested_deadline: None,
                amounts: Vec::new(),
                evidence: Vec::new(),
            })
        }),
        EntityKind::Determination => bincode_decode::<DeterminationV1>(payload).map(|v| {
            Record::Determination(Determination {
                id: v.id,
                finding: v.finding,
                date: v.date,
                reviewer: v.reviewer,
                method: v.method,
                verdict: v.verdict,
                standard: v.standard,
                opinion: v.opinion,
                amount_confirmed: v.amount_confirmed,
                archived: v.archived,
                amounts: Vec::new(),
                evidence: Vec::new(),
            })
        }),
        _ => return None,
    };
    Some(record)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::codec::bincode_encode;

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2023, 5, day).unwrap_or_default()
    }

    #[test]
    fn schema_1_progress_and_determinations_read_as_current_records() {
        let v1 = ProgressReportV1 {
            id: Id::new(),
            finding: Id::new(),
            date: d(2),
            submitted_by: "李晓燕".into(),
            narrative: "已退回".into(),
            measures: "制定办法".into(),
            reason_if_incomplete: String::new(),
            next_steps: String::new(),
            claimed: ClaimedStatus::Rectified,
            amount_rectified: Some(Money::from_yuan(120_000)),
            archived: false,
        };
        let bytes = bincode_encode(&v1).unwrap_or_default();
        // The current struct cannot read the old bytes: this is why the frozen shape exists.
        assert!(super::super::codec::bincode_decode::<ProgressReport>(&bytes).is_err());
        let Some(Ok(Record::Progress(p))) = decode_v1(EntityKind::Progress, &bytes) else {
            panic!("a schema-1 progress report must decode");
        };
        assert_eq!(p.id, v1.id);
        assert_eq!(p.narrative, "已退回");
        assert_eq!(p.amount_rectified, Some(Money::from_yuan(120_000)));
        assert_eq!(p.channel, Channel::Typed);
        assert!(p.amounts.is_empty() && p.evidence.is_empty());

        let v1 = DeterminationV1 {
            id: Id::new(),
            finding: Id::new(),
            date: d(9),
            reviewer: "刘芳".into(),
            method: ReviewMethod::SiteVisit,
            verdict: ReviewVerdict::Partial,
            standard: "第三条".into(),
            opinion: "部分到位".into(),
            amount_confirmed: None,
            archived: true,
        };
        let bytes = bincode_encode(&v1).unwrap_or_default();
        let Some(Ok(Record::Determination(det))) = decode_v1(EntityKind::Determination, &bytes)
        else {
            panic!("a schema-1 determination must decode");
        };
        assert_eq!(det.verdict, ReviewVerdict::Partial);
        assert!(det.archived);
        assert_eq!(det.standard, "第三条");
    }

    #[test]
    fn kinds_that_kept_their_shape_are_left_to_the_current_decoder() {
        assert!(decode_v1(EntityKind::Unit, b"").is_none());
        assert!(decode_v1(EntityKind::Finding, b"").is_none());
        assert!(matches!(
            decode_v1(EntityKind::Check, b"\x01"),
            Some(Err(_))
        ));
    }
}
