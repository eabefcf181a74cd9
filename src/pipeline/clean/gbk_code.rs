//! The GBK code of one char, as mojibake detection looks it up: shared by
//! `build.rs`, which makes the table of every BMP char, and the test that
//! checks that table.

/// `lead << 8 | trail` for a two-byte GBK code, the byte itself for a
/// one-byte one (`€` is 0x80), and 0 for ASCII and for a char GBK cannot
/// hold (the encoder would write it as ASCII `&#N;`).
pub fn gbk_code(c: char) -> u16 {
    if c.is_ascii() {
        return 0;
    }
    let mut buf = [0u8; 4];
    let (bytes, _, unmappable) = encoding_rs::GBK.encode(c.encode_utf8(&mut buf));
    match (unmappable, &bytes[..]) {
        (false, [b]) => u16::from(*b),
        (false, [lead, trail]) => u16::from(*lead) << 8 | u16::from(*trail),
        _ => 0,
    }
}
