//! Mojibake: runs like `“湖廣熟天下足?!背5率嵌赐ズ^域`, where UTF-8 bytes were
//! once read as GBK and the garbage was saved as text.
//!
//! Such text cannot be repaired reliably, so it is only detected and the
//! passage flagged (the index keeps it out of ranking). The surest sign: a
//! run of Chinese chars whose GBK bytes hold four UTF-8 encodings of Chinese
//! chars in a row — the text was UTF-8 read as GBK; real Chinese text almost
//! never has that shape. Other signs: private-use chars, kana or
//! box-drawing chars amid Chinese (a lone kana, not a run of them), a `?`
//! after a Chinese char and before `!`, `,` or a CJK symbol (where prose
//! never puts one), and Latin-1 symbols (`€`) that Chinese text never has.
//! A speech quoting a `?` at a sentence end, or a Japanese place name, gives
//! at most one sign; two are needed.

use crate::pipeline::is_han;

/// Whether a char is a sign of mojibake in Chinese text.
fn is_sign(c: char) -> bool {
    matches!(c,
        '\u{E000}'..='\u{F8FF}'          // private use
        | '\u{3040}'..='\u{30FF}'        // kana
        | '\u{2500}'..='\u{259F}'        // box drawing, blocks
        | '€' | '¤' | '¦' | '¨' | '¯' | '¸'
    )
}

/// Shortest run of non-ASCII chars the GBK round trip is tried on.
const MIN_RUN: usize = 6;
/// Consecutive UTF-8 CJK sequences in a run's GBK bytes that mark mojibake
/// (by chance, real text has four in a row about once in a million runs).
const MIN_CHAIN: usize = 4;

// The GBK bytes of every BMP char, looked up instead of running the
// encoder over each run: `lead << 8 | trail` for a two-byte code, the byte
// itself for a one-byte one (`€` is 0x80), 0 for a char GBK cannot hold (the
// encoder would write it as ASCII `&#N;`, which breaks any chain). Made by
// `build.rs` from `gbk_code.rs`.
include!(concat!(env!("OUT_DIR"), "/gbk_codes.rs"));

#[cfg(test)]
#[path = "gbk_code.rs"]
mod gbk_code;

/// Whether a run of chars holds UTF-8 bytes that were read as GBK: its
/// GBK bytes hold a chain of [`MIN_CHAIN`] UTF-8 encodings of CJK chars.
fn is_utf8_read_as_gbk(run: &str) -> bool {
    let codes = &GBK_CODES;
    let mut bytes: Vec<u8> = Vec::with_capacity(2 * run.len() / 3 + 2);
    for c in run.chars() {
        match codes.get(c as usize).copied().unwrap_or(0) {
            0 => bytes.push(0),
            b if b < 0x100 => bytes.push(b as u8),
            code => bytes.extend_from_slice(&code.to_be_bytes()),
        }
    }
    has_utf8_chain(&bytes)
}

/// Whether `bytes` hold [`MIN_CHAIN`] UTF-8 encodings of CJK chars in a row.
fn has_utf8_chain(bytes: &[u8]) -> bool {
    let triple = |i: usize| {
        bytes.get(i..i + 3).is_some_and(|t| {
            (0xE3..=0xE9).contains(&t[0])
                && (0x80..=0xBF).contains(&t[1])
                && (0x80..=0xBF).contains(&t[2])
        })
    };
    (0..bytes.len()).any(|start| (0..MIN_CHAIN).all(|k| triple(start + 3 * k)))
}

/// Whether the text has a run of non-ASCII chars (GBK misreads make Han,
/// bopomofo, Greek, box drawing…) that is UTF-8 read as GBK.
fn has_gbk_mojibake_run(text: &str) -> bool {
    let mut run_start = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        match (!c.is_ascii(), run_start) {
            (true, None) => run_start = Some(i),
            (false, Some(s)) => {
                let run = &text[s..i];
                if run.chars().count() >= MIN_RUN && is_utf8_read_as_gbk(run) {
                    return true;
                }
                run_start = None;
            }
            _ => {}
        }
    }
    false
}

/// Whether the text holds a mojibake run.
pub(crate) fn detect(text: &str) -> bool {
    if has_gbk_mojibake_run(text) {
        return true;
    }
    let chars: Vec<char> = text.chars().collect();
    let mut signs = 0;
    for (i, &c) in chars.iter().enumerate() {
        if ('\u{E000}'..='\u{F8FF}').contains(&c) {
            // A private-use char is never in a speech.
            return true;
        }
        let kana = |c: &char| ('\u{3040}'..='\u{30FF}').contains(c);
        if kana(&c) {
            // A lone kana amid Chinese is garbage; a run of kana is Japanese.
            let neighbour = (i > 0 && kana(&chars[i - 1])) || chars.get(i + 1).is_some_and(kana);
            let lone = !neighbour;
            signs += usize::from(lone);
        } else if is_sign(c) {
            signs += 1;
        } else if c == '?' && i > 0 && i + 1 < chars.len() {
            let next = chars[i + 1];
            // `足?!背`, `們?〉`, `煽?,`: a question mark never stands so in
            // prose (`為什么要創新?因為` is prose, and no sign).
            let odd_next =
                matches!(next, '!' | '?' | ',') || ('\u{3000}'..='\u{303F}').contains(&next);
            if is_han(chars[i - 1]) && (odd_next || next.is_ascii_lowercase()) {
                signs += 1;
            }
        }
    }
    signs >= 2
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    /// The encoder's answer, as [`super::is_utf8_read_as_gbk`] had it before
    /// the table.
    fn by_encoder(run: &str) -> bool {
        let (bytes, _, _) = encoding_rs::GBK.encode(run);
        super::has_utf8_chain(&bytes)
    }

    #[test]
    fn the_static_gbk_table_is_the_encoder() {
        for u in 0..0x1_0000u32 {
            let want = char::from_u32(u).map_or(0, super::gbk_code::gbk_code);
            assert_eq!(super::GBK_CODES[u as usize], want, "U+{u:04X}");
        }
    }

    proptest! {
        #[test]
        fn the_table_agrees_with_the_encoder(
            text in "[湖廣熟天下足背率嵌赐ズ域鍦ㄥ叏甯傛嫑鍟嗗紩璧勫伐浣滀細璁€¤𠀀ア,。]{0,24}",
            real in "[\\u{80}-\\u{FFFF}]{0,12}",
        ) {
            for run in [text.as_str(), real.as_str()] {
                prop_assert_eq!(super::is_utf8_read_as_gbk(run), by_encoder(run), "{:?}", run);
            }
        }
    }

    use super::detect;

    #[test]
    fn flags_mojibake_runs() {
        assert!(detect(
            "常德土地肥沃,“湖廣熟天下足?!背5率嵌赐ズ\u{e849}^域的重要的地區"
        ));
        assert!(detect(
            "下面是小編給大家?guī)\u{e746}淼氖形瘯\u{e266}浽?022年"
        ));
        assert!(detect("營造人人談?wù)猩獭\u{e567}€個抓招商"));
        assert!(detect("就是“中阻?!钡默F象,ズ"));
        assert!(detect("過去一年來我們?〉玫某煽?,主要有四個特點"));
    }

    #[test]
    fn flags_utf8_read_as_gbk_without_other_signs() {
        // "。在创新动力中" as UTF-8 bytes read as GBK.
        assert!(detect(
            "受到了“融资难”的制约銆傚湪鍒涙柊鍔ㄥ姏涓?,鎴戜滑蹇呴』"
        ));
        let (garbled, _, _) = encoding_rs::GBK.decode("招商引资是经济发展的生命线".as_bytes());
        assert!(detect(&garbled));
    }

    #[test]
    fn leaves_clean_text_alone() {
        for s in [
            "今年以来,我们坚持把招商引资作为一号工程来抓,全力以赴抓项目、促发展。",
            "各部門要進一步加強領導,強化保證,全面完成招商引資任務。",
            "要大力培育专精特新企业,深入实施小升规工程,推动智改数转。",
        ] {
            assert!(!detect(s), "{s}");
        }
        assert!(!detect("有多大?有三四个西湖那么大。"));
        assert!(!detect("这是为什么?我们要找原因。"));
        assert!(!detect(
            "为什么要创新?因为我们面临的形势变了。为什么要调整?现在的形势不同了。"
        ));
        assert!(!detect("与日本横浜(ヨコハマ)市签订友好协议。"));
        assert!(!detect("增幅达到25%,排名全省第一!"));
    }
}
