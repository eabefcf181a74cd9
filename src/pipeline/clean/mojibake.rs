//! Mojibake: runs like `“湖廣熟天下足?!背5率嵌赐ズ^域`, where UTF-8 bytes were
//! once read as GBK and the garbage was saved as text.
//!
//! Such text cannot be repaired reliably, so it is only detected and the
//! passage flagged (the index keeps it out of ranking). Signs: private-use
//! chars, kana or box-drawing chars amid Chinese (a lone kana, not a run of them), a `?` wedged between two
//! Chinese chars, and Latin-1 symbols (`€`) that Chinese text never has.
//! A speech quoting a `?` at a sentence end, or a Japanese place name, gives
//! at most one sign; two are needed.

/// Whether a char is a sign of mojibake in Chinese text.
fn is_sign(c: char) -> bool {
    matches!(c,
        '\u{E000}'..='\u{F8FF}'          // private use
        | '\u{3040}'..='\u{30FF}'        // kana
        | '\u{2500}'..='\u{259F}'        // box drawing, blocks
        | '€' | '¤' | '¦' | '¨' | '¯' | '¸'
    )
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Whether the text holds a mojibake run.
pub(crate) fn detect(text: &str) -> bool {
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
            if is_han(chars[i - 1]) && (is_han(next) || next == '!' || next.is_ascii_lowercase()) {
                signs += 1;
            }
        }
    }
    signs >= 2
}

#[cfg(test)]
mod tests {
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
    }

    #[test]
    fn leaves_clean_text_alone() {
        assert!(!detect("有多大?有三四个西湖那么大。"));
        assert!(!detect("这是为什么?我们要找原因。"));
        assert!(!detect("与日本横浜(ヨコハマ)市签订友好协议。"));
        assert!(!detect("增幅达到25%,排名全省第一!"));
    }
}
