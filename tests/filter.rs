//! The filter language and the 督办紧迫度 score (issue 4 §3).
//!
//! Most tests run against a small hand-built ledger on a fixed today (2024-06-01), whose every
//! expected answer is worked out in the table below; the demo tests run the language over the
//! demo ledger and compare it with the statuses computed directly.
//!
//! | No.        | Lead (assist)   | Status   | Deadline that counts     | Amount   | Notes |
//! |------------|-----------------|----------|--------------------------|----------|-------|
//! | 2022-03-01 | 财政局 (城投集团) | 未整改   | 2023-03-01, 458 d overdue | 3000万   | 违规, 重大, 批示, no activity since issue 2022-09-01 |
//! | 2022-03-02 | 水务局          | 整改中   | 2024-06-10 (临期, 9 d)     | 98.6万   | 违规, 较大, 分阶段, source 上级交办, report 05-20 |
//! | 2022-03-10 | 财政局          | 待认定   | 2024-12-31               | –        | repeats 2022-03-01, claim 05-25 |
//! | 2023-01-01 | 财政局          | 已销号   | 2023-12-31               | 1250.6万 | 人大 |
//! | 2023-01-02 | 城投集团 (财政局) | 持续整改 | milestone 2024-05-01, 31 d overdue | 2350万 | 持续, 重大, 重点督办, 资金缺口, check 05-15 |
//! | 2023-01-03 | 水务局          | 整改中   | 2024-09-30               | –        | reopened, 上级交办 flag, 边审边改, report 04-15 |
//! | 2023-01-04 | 财政局          | 未启动   | 2024-12-31               | –        | draft |

#[path = "filter/demo.rs"]
mod demo;
#[path = "filter/errors.rs"]
mod errors;
#[path = "filter/fixture.rs"]
mod fixture;
#[path = "filter/parse.rs"]
mod parse;
#[path = "filter/sort.rs"]
mod sort;
#[path = "filter/tags.rs"]
mod tags;
#[path = "filter/urgency.rs"]
mod urgency;
