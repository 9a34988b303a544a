//! The envelope around every value in sled: `[R X][codec][schema u16 BE] payload`.
//!
//! bincode is compact and fast but not self-describing, so each value says which codec and
//! which schema version wrote it; a value from a newer schema is refused instead of misread, and
//! decoding has a size limit so a damaged length prefix cannot make us allocate gigabytes.

use crate::i18n::Msg;
use bincode::Options;
use serde::Serialize;
use serde::de::DeserializeOwned;

pub const MAGIC: [u8; 2] = *b"RX";
pub const CODEC_BINCODE: u8 = 1;
pub const CODEC_JSON: u8 = 2;
/// The schema of records this build writes. Bump it (and add a migration and a fixture) when a
/// record type changes shape.
pub const SCHEMA_VERSION: u16 = 2;
/// No single record is anywhere near this; a larger length is damage.
pub const MAX_RECORD_BYTES: u64 = 16 * 1024 * 1024;
const HEADER_LEN: usize = 5;

fn options() -> impl Options {
    bincode::DefaultOptions::new().with_limit(MAX_RECORD_BYTES)
}

pub fn bincode_encode<T: Serialize>(value: &T) -> Result<Vec<u8>, Msg> {
    options().serialize(value).map_err(|e| {
        Msg::new(
            format!("记录编码失败：{e}"),
            format!("cannot encode a record: {e}"),
        )
    })
}

pub fn bincode_decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Msg> {
    options().deserialize(bytes).map_err(|e| {
        Msg::new(
            format!("记录解码失败（数据可能已损坏）：{e}"),
            format!("cannot decode a record (the data may be damaged): {e}"),
        )
    })
}

/// Wrap a payload in the envelope.
pub fn seal(codec: u8, payload: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(&MAGIC);
    out.push(codec);
    out.extend_from_slice(&SCHEMA_VERSION.to_be_bytes());
    out.extend_from_slice(payload);
    out
}

/// Unwrap an envelope: the codec, the schema version and the payload.
pub fn open(bytes: &[u8]) -> Result<(u8, u16, &[u8]), Msg> {
    if bytes.len() < HEADER_LEN || bytes[..2] != MAGIC {
        return Err(Msg::new(
            "记录缺少有效的信封头（数据已损坏）",
            "a record has no valid envelope header (the data is damaged)",
        ));
    }
    let codec = bytes[2];
    let schema = u16::from_be_bytes([bytes[3], bytes[4]]);
    if schema > SCHEMA_VERSION {
        return Err(Msg::new(
            format!(
                "记录由更新版本的 rectify 写入（格式版本 {schema}，本程序支持到 {SCHEMA_VERSION}），请升级 rectify"
            ),
            format!(
                "a record was written by a newer rectify (schema {schema}, this build reads up to {SCHEMA_VERSION}); upgrade rectify"
            ),
        ));
    }
    if codec != CODEC_BINCODE && codec != CODEC_JSON {
        return Err(Msg::new(
            format!("未知的记录编码 {codec}"),
            format!("unknown record codec {codec}"),
        ));
    }
    Ok((codec, schema, &bytes[HEADER_LEN..]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_damaged_or_newer_envelopes() {
        let sealed = seal(CODEC_BINCODE, b"abc");
        assert_eq!(
            open(&sealed).map(|(c, s, p)| (c, s, p.to_vec())),
            Ok((1, SCHEMA_VERSION, b"abc".to_vec()))
        );
        assert!(open(b"RX").is_err());
        assert!(open(b"XX\x01\x00\x01abc").is_err());
        let mut newer = sealed.clone();
        newer[3..5].copy_from_slice(&(SCHEMA_VERSION + 1).to_be_bytes());
        assert!(open(&newer).unwrap_err().zh.contains("更新版本"));
    }

    #[test]
    fn a_huge_length_prefix_is_refused_not_allocated() {
        // A Vec<u8> whose length prefix claims far more than the limit.
        let mut bytes = Vec::new();
        bytes.push(253u8); // varint marker for u64
        bytes.extend_from_slice(&(u64::MAX / 2).to_le_bytes());
        assert!(bincode_decode::<Vec<u8>>(&bytes).is_err());
    }
}
