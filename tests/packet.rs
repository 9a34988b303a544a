//! Offline packets (`rectify sync --export-packet` / `--import-packet`): two ledgers exchange
//! work both ways and a third gets both through one of them; a wrong passphrase, a flipped byte,
//! a line altered by someone holding the passphrase, or a packet whose exporter does not match its
//! ops is refused with nothing written; importing a packet again changes nothing.

mod common;

use common::cli_env::{Run, rectify_command};
use rectify::sync::packet;
use serde_json::Value;
use std::path::{Path, PathBuf};

const PASS: &str = "区审计局 2026 整改台账";

fn run_with(db: &Path, pass: Option<&str>, args: &[&str]) -> Run {
    let mut cmd = rectify_command();
    match pass {
        Some(p) => cmd.env("RECTIFY_PASSPHRASE", p),
        None => cmd.env_remove("RECTIFY_PASSPHRASE"),
    };
    let out = cmd
        .arg("--db")
        .arg(db)
        .args(args)
        .output()
        .expect("cannot start the rectify binary");
    Run::from_output(format!("rectify {}", args.join(" ")), out)
}

fn run(db: &Path, args: &[&str]) -> Run {
    run_with(db, Some(PASS), args)
}

fn export(db: &Path, file: &Path) -> Value {
    let file = file.to_string_lossy();
    run(db, &["sync", "--export-packet", &file, "--json"]).json()
}

fn import(db: &Path, file: &Path) -> Value {
    let file = file.to_string_lossy();
    run(db, &["sync", "--import-packet", &file, "--json"]).json()
}

fn findings(db: &Path) -> Value {
    run(db, &["list", "findings", "--json", "--as-of", "2026-11-28"]).json()
}

/// Every file of a ledger's journal directory with its bytes: "nothing written" is this unchanged.
fn journals(db: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(db.join("journal"))
        .map(|dir| {
            dir.flatten()
                .map(|e| (e.path(), std::fs::read(e.path()).unwrap_or_default()))
                .collect()
        })
        .unwrap_or_default();
    out.sort();
    out
}

struct Two {
    tmp: tempfile::TempDir,
    a: PathBuf,
    b: PathBuf,
}

impl Two {
    fn new() -> Two {
        let tmp = tempfile::tempdir().expect("tmp");
        let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
        run(&a, &["--user", "张审计", "demo"]).ok();
        Two { tmp, a, b }
    }

    fn file(&self, name: &str) -> PathBuf {
        self.tmp.path().join(name)
    }
}

#[test]
fn two_ledgers_exchange_work_by_packets_both_ways() {
    let t = Two::new();
    let p1 = t.file("甲到乙.rectify");
    let sent = export(&t.a, &p1);
    assert_eq!(sent["logs"], 1, "{sent}");
    let got = import(&t.b, &p1);
    assert_eq!(got["pulled"], sent["ops"], "{got}");
    assert_eq!(got["replicas"], 1);
    assert_eq!(findings(&t.a), findings(&t.b));
    // The packet says who exported it.
    assert!(
        !got["exported_by"]["account"]
            .as_str()
            .unwrap_or("")
            .is_empty()
    );

    // B works and sends its work back; its packet holds its own journal and its copy of A's.
    let number = findings(&t.b)[0]["number"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    run(
        &t.b,
        &[
            "--user",
            "李审计",
            "followup",
            &number,
            "--verdict",
            "已整改",
            "--note",
            "李审计离线复查",
        ],
    )
    .ok();
    let p2 = t.file("乙到甲.rectify");
    assert_eq!(export(&t.b, &p2)["logs"], 2);
    let back = import(&t.a, &p2);
    assert_eq!(back["replicas"], 1, "only B's journal is new to A: {back}");
    assert!(back["pulled"].as_u64().unwrap_or(0) > 0, "{back}");
    let history = run(&t.a, &["history", &number]).ok().to_string();
    assert!(
        history.contains("李审计离线复查") && history.contains("李审计"),
        "{history}"
    );
    assert_eq!(findings(&t.a), findings(&t.b));

    // A third ledger gets both journals from B's one packet.
    let c = t.file("c");
    let relayed = import(&c, &p2);
    assert_eq!(relayed["replicas"], 2, "{relayed}");
    assert_eq!(findings(&c), findings(&t.a));
    for db in [&t.a, &t.b, &c] {
        run(db, &["check"]).ok();
    }
    // Plain text says what happened.
    let text = run(&t.b, &["sync", "--import-packet", &p1.to_string_lossy()])
        .ok()
        .to_string();
    assert!(
        text.contains("已导入数据包") && text.contains("导出"),
        "{text}"
    );
}

#[test]
fn a_packet_imported_again_changes_nothing() {
    let t = Two::new();
    let p = t.file("p.rectify");
    export(&t.a, &p);
    import(&t.b, &p);
    let before = journals(&t.b);
    let again = import(&t.b, &p);
    assert_eq!(
        (again["pulled"].as_u64(), again["replicas"].as_u64()),
        (Some(0), Some(0))
    );
    assert_eq!(journals(&t.b), before);
    // A's own journal coming back to A is no news either.
    let home = import(&t.a, &p);
    assert_eq!(home["pulled"], 0, "{home}");
}

#[test]
fn a_wrong_passphrase_is_refused_and_nothing_is_written() {
    let t = Two::new();
    let p = t.file("p.rectify");
    export(&t.a, &p);
    let file = p.to_string_lossy();
    // A ledger that does not exist yet is not even created.
    let err = run_with(&t.b, Some("别的口令"), &["sync", "--import-packet", &file])
        .fails()
        .to_string();
    assert!(
        err.contains("团队口令不对") && err.contains("未导入任何内容"),
        "{err}"
    );
    assert!(!t.b.exists(), "nothing written");
    // One that exists keeps every byte.
    let before = journals(&t.a);
    let en = rectify_command()
        .env("RECTIFY_PASSPHRASE", "wrong")
        .env("RECTIFY_LANG", "en")
        .arg("--db")
        .arg(&t.a)
        .args(["sync", "--import-packet", &file])
        .output()
        .expect("rectify");
    let en = Run::from_output("import with a wrong passphrase".into(), en);
    assert!(
        en.fails().contains("wrong team passphrase"),
        "{}",
        en.context()
    );
    assert_eq!(journals(&t.a), before);
}

#[test]
fn a_flipped_byte_is_refused_and_nothing_is_written() {
    let t = Two::new();
    let p = t.file("p.rectify");
    export(&t.a, &p);
    let good = std::fs::read(&p).expect("packet");
    let before = journals(&t.b);
    // In the header's MAC line, in the middle of the payload, in its last byte.
    let mac = good
        .windows(4)
        .position(|w| w == b"--- ")
        .expect("an age header")
        + 6;
    for at in [mac, good.len() / 2, good.len() - 1] {
        let mut bad = good.clone();
        bad[at] ^= 0x20;
        let damaged = t.file("damaged.rectify");
        std::fs::write(&damaged, &bad).expect("write");
        let err = run(
            &t.b,
            &["sync", "--import-packet", &damaged.to_string_lossy()],
        )
        .fails()
        .to_string();
        assert!(err.contains("未导入任何内容"), "byte {at}: {err}");
        assert!(err.contains("损坏"), "byte {at}: {err}");
        assert_eq!(journals(&t.b), before, "byte {at}: nothing written");
    }
    // Cut short, or not a packet at all.
    for bad in [&good[..good.len() - 100], b"hello".as_slice()] {
        let damaged = t.file("damaged.rectify");
        std::fs::write(&damaged, bad).expect("write");
        run(
            &t.b,
            &["sync", "--import-packet", &damaged.to_string_lossy()],
        )
        .fails();
        assert_eq!(journals(&t.b), before);
    }
    // The good one still goes in.
    import(&t.b, &p);
}

/// Someone with the passphrase re-seals a packet: the checks on the journals still hold.
#[test]
fn a_resealed_packet_with_an_altered_line_or_a_false_exporter_is_refused() {
    let t = Two::new();
    let p = t.file("p.rectify");
    export(&t.a, &p);
    let pass = age::secrecy::SecretString::from(PASS.to_string());
    let original = packet::read(&p, &pass).expect("read");
    let reseal = |pk: &packet::Packet, name: &str| -> PathBuf {
        let sealed = packet::seal(&packet::encode(pk).expect("encode"), &pass).expect("seal");
        let path = t.file(name);
        std::fs::write(&path, sealed).expect("write");
        path
    };
    // One byte of one op's content changed, its checksum left as it was.
    let mut altered = original.clone();
    let log = &mut altered.logs[0].1;
    let at = log
        .windows(8)
        .position(|w| w == b"\"title\":")
        .expect("a title")
        + 10;
    log[at] ^= 0x01;
    let path = reseal(&altered, "altered.rectify");
    let err = run(&t.b, &["sync", "--import-packet", &path.to_string_lossy()])
        .fails()
        .to_string();
    assert!(err.contains("校验和不符"), "{err}");
    // The exporter named as someone other than the account of its replica's ops.
    let mut false_exporter = original.clone();
    false_exporter.exported_by.account = "someone-else".into();
    let path = reseal(&false_exporter, "false.rectify");
    let err = run(&t.b, &["sync", "--import-packet", &path.to_string_lossy()])
        .fails()
        .to_string();
    assert!(err.contains("someone-else"), "{err}");
    assert!(journals(&t.b).iter().all(|(_, bytes)| bytes.is_empty()));
    assert_eq!(findings(&t.b), Value::Array(Vec::new()));
}

#[test]
fn without_a_terminal_or_rectify_passphrase_it_refuses_to_wait() {
    // `setsid` leaves the process without a controlling terminal, as under cron or CI.
    if std::process::Command::new("setsid")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("skipped: no setsid");
        return;
    }
    let tmp = tempfile::tempdir().expect("tmp");
    let out = std::process::Command::new("setsid")
        .arg("-w")
        .arg(common::cli_env::BIN)
        .arg("--db")
        .arg(tmp.path().join("a"))
        .args(["sync", "--export-packet"])
        .arg(tmp.path().join("p.rectify"))
        .env_remove("RECTIFY_PASSPHRASE")
        .env_remove("RECTIFY_LANG")
        .env("RECTIFY_CONFIG", "/nonexistent/rectify-tests/config.toml")
        .stdin(std::process::Stdio::null())
        .output()
        .expect("setsid");
    let run = Run::from_output("export without a passphrase".into(), out);
    assert!(
        run.fails().contains("RECTIFY_PASSPHRASE"),
        "{}",
        run.context()
    );
    assert!(!tmp.path().join("p.rectify").exists());
}
