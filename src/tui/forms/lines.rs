//! The two multi-line fields several record forms share, read one line at a time:
//!
//! - 整改金额（按类别）: `上缴财政 12万元` (a bare number is 万元, as in every money field);
//! - 佐证材料: `[材料类别] 路径或名称`. A line naming an existing file attaches it (copied into the
//!   store's evidence folder, content-addressed); any other line registers a paper document by
//!   name. A line that looks like a path (`/…`, `~/…`, `./…`) but names no file is refused, so a
//!   typo in a path is not quietly registered as paper.
//!
//! Errors name the line they are about. Files are attached only once the whole record is valid
//! (`attach`), so a refused save copies nothing.

use crate::domain::{
    EvidenceEntry, EvidenceKind, FieldError, KindAmount, Labelled, Money, MoneyUnit, OutcomeKind,
};
use crate::i18n::{Lang, Msg};
use crate::tui::strings::S;
use std::path::{Path, PathBuf};

/// A message in both languages from a UI string.
pub(super) fn both(s: S) -> Msg {
    Msg::new(s.in_lang(Lang::Zh), s.in_lang(Lang::En))
}

/// `msg` about line `n` (1-based) of `field`.
fn on_line(field: &'static str, n: usize, msg: &Msg) -> FieldError {
    FieldError {
        field,
        msg: Msg::new(
            format!("第{n}行：{}", msg.zh),
            format!("line {n}: {}", msg.en),
        ),
    }
}

/// The non-blank lines of `text`, trimmed, with their 1-based line numbers.
fn numbered(text: &str) -> impl Iterator<Item = (usize, &str)> {
    text.lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l.trim()))
        .filter(|(_, l)| !l.is_empty())
}

/// The vocabulary value whose label (Chinese, English or Rust name) starts `line`, longest
/// first, with the rest of the line.
fn leading_label<T: Labelled>(line: &str) -> Option<(T, &str)> {
    let mut best: Option<(T, usize)> = None;
    for value in T::ALL {
        for name in [value.zh(), value.en(), value.ident()] {
            let n = name.len();
            let starts = n > 0
                && line.is_char_boundary(n)
                && line
                    .get(..n)
                    .is_some_and(|head| head.eq_ignore_ascii_case(name));
            if starts && best.is_none_or(|(_, longest)| n > longest) {
                best = Some((*value, n));
            }
        }
    }
    best.map(|(value, n)| (value, &line[n..]))
}

/// 整改金额（按类别）: one `类别 金额` per line.
pub fn parse_amounts(
    text: &str,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Vec<KindAmount> {
    let mut out = Vec::new();
    for (n, line) in numbered(text) {
        let Some((kind, rest)) = leading_label::<OutcomeKind>(line) else {
            let first = line.split_whitespace().next().unwrap_or(line);
            if let Err(msg) = OutcomeKind::parse_label(first) {
                errors.push(on_line(field, n, &msg));
            }
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t', '：', ':', '=', '　']);
        match Money::parse_in(rest, MoneyUnit::Wan) {
            Ok(amount) => out.push(KindAmount { kind, amount }),
            Err(msg) => errors.push(on_line(field, n, &msg)),
        }
    }
    out
}

/// The amounts as the field shows them, one per line.
pub fn amounts_text(amounts: &[KindAmount]) -> String {
    amounts
        .iter()
        .map(|a| {
            format!(
                "{} {}",
                a.kind.label(),
                a.amount.format_exact(MoneyUnit::Wan)
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One line of 佐证材料, read but not yet attached.
pub struct EvidenceLine {
    line: usize,
    kind: EvidenceKind,
    /// The file to attach, or `None` for paper registered by name.
    file: Option<PathBuf>,
    name: String,
}

impl EvidenceLine {
    /// The entry as it stands before the file is attached (no checksum yet), for validation.
    fn draft(&self) -> EvidenceEntry {
        EvidenceEntry {
            file_name: self.name.clone(),
            kind: self.kind,
            doc_no: String::new(),
            sha256: None,
            size: None,
        }
    }
}

/// `~/x` is the home directory's `x`.
fn expand_home(text: &str) -> PathBuf {
    match (text.strip_prefix("~/"), std::env::var_os("HOME")) {
        (Some(rest), Some(home)) => Path::new(&home).join(rest),
        _ => PathBuf::from(text),
    }
}

fn looks_like_path(text: &str) -> bool {
    ["/", "~/", "./", "../"].iter().any(|p| text.starts_with(p))
}

/// 佐证材料: one `[类别] 路径或名称` per line.
pub fn parse_evidence(
    text: &str,
    field: &'static str,
    errors: &mut Vec<FieldError>,
) -> Vec<EvidenceLine> {
    let mut out = Vec::new();
    for (n, line) in numbered(text) {
        // A kind label counts only when something follows it after a blank: 制度文件汇编 is a
        // name, 制度文件 汇编 is a 制度文件 called 汇编.
        let (kind, rest) = match leading_label::<EvidenceKind>(line) {
            Some((kind, rest))
                if rest.starts_with(char::is_whitespace) && !rest.trim().is_empty() =>
            {
                (kind, rest.trim())
            }
            _ => (EvidenceKind::Other, line),
        };
        let path = expand_home(rest);
        if path.exists() {
            let name = path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_else(|| rest.to_string());
            out.push(EvidenceLine {
                line: n,
                kind,
                file: Some(path),
                name,
            });
        } else if looks_like_path(rest) {
            let msg = both(S::NoSuchFile);
            let msg = Msg::new(msg.zh.replace("{}", rest), msg.en.replace("{}", rest));
            errors.push(on_line(field, n, &msg));
        } else {
            out.push(EvidenceLine {
                line: n,
                kind,
                file: None,
                name: rest.to_string(),
            });
        }
    }
    out
}

/// The entries to validate the record with (files not attached yet).
pub fn drafts(lines: &[EvidenceLine]) -> Vec<EvidenceEntry> {
    lines.iter().map(EvidenceLine::draft).collect()
}

/// Attach the files (copy them into the store) and return the final entries. Called only once
/// the record is otherwise valid.
pub fn attach(
    lines: &[EvidenceLine],
    store_dir: &Path,
    field: &'static str,
) -> Result<Vec<EvidenceEntry>, Vec<FieldError>> {
    let mut out = Vec::with_capacity(lines.len());
    let mut errors = Vec::new();
    for line in lines {
        match &line.file {
            None => out.push(line.draft()),
            Some(path) => match crate::store::evidence::attach(store_dir, path, line.kind, "") {
                Ok(entry) => out.push(entry),
                Err(e) => errors.push(on_line(field, line.line, e.msg())),
            },
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(errors)
    }
}

/// Evidence entries as the field shows them (paper by name; files by their name too).
pub fn evidence_text(entries: &[EvidenceEntry]) -> String {
    entries
        .iter()
        .map(|e| format!("{} {}", e.kind.label(), e.file_name))
        .collect::<Vec<_>>()
        .join("\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn amount_lines_read_kind_and_money_and_name_the_bad_line() {
        let mut errors = Vec::new();
        let got = parse_amounts(
            "上缴财政 12万元\n\n归还原资金渠道：3.5\nrecovered 2000元",
            "amounts",
            &mut errors,
        );
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(got.len(), 3);
        assert_eq!(got[0].kind, OutcomeKind::PaidToTreasury);
        assert_eq!(got[0].amount, Money::from_fen(12_000_000));
        assert_eq!(got[1].amount, Money::from_fen(3_500_000));
        assert_eq!(got[2].kind, OutcomeKind::Recovered);
        assert_eq!(got[2].amount, Money::from_fen(200_000));

        let mut errors = Vec::new();
        parse_amounts("上缴财政 12万元\n上缴财政 十二万", "amounts", &mut errors);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].msg.zh.starts_with("第2行："),
            "{}",
            errors[0].msg.zh
        );
        let mut errors = Vec::new();
        parse_amounts("乱写的类别 3", "amounts", &mut errors);
        assert!(
            errors[0].msg.zh.starts_with("第1行：“乱写的类别”"),
            "{}",
            errors[0].msg.zh
        );
    }

    #[test]
    fn evidence_lines_are_files_or_paper() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let file = dir.path().join("凭证.pdf");
        std::fs::write(&file, b"pdf").unwrap_or_else(|e| panic!("{e}"));
        let text = format!(
            "缴款退款凭证 {}\n会议纪要 2024年第3次党组会纪要\n制度文件汇编\n/no/such/file.pdf",
            file.display()
        );
        let mut errors = Vec::new();
        let lines = parse_evidence(&text, "evidence", &mut errors);
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].msg.zh.starts_with("第4行："),
            "{}",
            errors[0].msg.zh
        );
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].kind, EvidenceKind::PaymentVoucher);
        assert_eq!(lines[0].name, "凭证.pdf");
        assert!(lines[0].file.is_some());
        assert_eq!(lines[1].kind, EvidenceKind::Minutes);
        assert_eq!(lines[1].name, "2024年第3次党组会纪要");
        assert_eq!(lines[2].kind, EvidenceKind::Other);
        assert_eq!(lines[2].name, "制度文件汇编");

        let store = dir.path().join("store");
        let entries = attach(&lines, &store, "evidence").unwrap_or_else(|e| panic!("{e:?}"));
        let hash = entries[0].sha256.clone().unwrap_or_default();
        assert!(store.join("evidence").join(hash).is_file());
        assert_eq!(entries[1].sha256, None);
    }
}
