//! The sled value decoder: `[R X][codec][schema] payload` → a record of the kind the first
//! byte picks (`store::decode_record`: `codec::open`, the schema-1 upgrade in `store::legacy`,
//! `Record::from_bincode`). Damaged bytes must be an error with a message, never a panic; what
//! decodes must encode and decode back to the same record.
#![no_main]

use libfuzzer_sys::fuzz_target;
use rectify::store::codec;
use rectify::store::{EntityKind, decode_record, encode_record, legacy};

fuzz_target!(|data: &[u8]| {
    let Some((&pick, bytes)) = data.split_first() else {
        return;
    };
    let kind = EntityKind::ALL[usize::from(pick) % EntityKind::ALL.len()];
    // The envelope alone.
    if let Err(msg) = codec::open(bytes) {
        rectify_fuzz::assert_clear(&msg);
    }
    // The payload straight into the schema-1 shapes.
    if let Some(Err(msg)) = legacy::decode_v1(kind, bytes) {
        rectify_fuzz::assert_clear(&msg);
    }
    // The whole path sled values take; the high bit of `pick` seals the bytes first, so the
    // fuzzer reaches the payload decoders without having to find the header.
    let sealed;
    let value = if pick & 0x80 != 0 {
        sealed = codec::seal(codec::CODEC_BINCODE, bytes);
        &sealed[..]
    } else {
        bytes
    };
    match decode_record(kind, value) {
        Ok(record) => {
            assert_eq!(record.kind(), kind);
            let again = encode_record(&record).expect("a decoded record encodes");
            let back = decode_record(kind, &again).expect("an encoded record decodes");
            assert_eq!(back, record, "encode → decode changed the record");
            // Validation and the JSON form must cope with whatever decoded.
            let _ = record.validate();
            if let Ok(json) = record.to_json() {
                let _ = rectify::store::Record::from_json(kind, json);
            }
        }
        Err(e) => rectify_fuzz::assert_clear(e.msg()),
    }
});
