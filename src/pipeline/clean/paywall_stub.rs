//! Paywall stubs: `……(新文秘网http://www.wm114.cn省略662字,正式会员可完整阅读)……`,
//! `此处隐藏:1659字,全部文档内容请下载后查看`, `当前隐藏内容免费查看`.
//!
//! The stub stands where the site hid part of the speech. It is cut out and
//! leaves a gap: the text on each side stays separate, so no phrase is found
//! across it. The number of hidden characters and the site name inside the
//! stub are kept. Any "省略/隐藏 N 字" stub, bracketed or bare, in either
//! script; a sentence about 省略 or 隐藏 without "N 字" is not a stub.

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, Hit, Line, folded_regex};

/// A bracketed stub: `(… 省略614字 …)` with ellipses around it.
static BRACKETED: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"[…\.]*\s*[(（](?P<inner>[^()（）]{0,80}?(?:省略|隐藏|屏蔽)了?\s*[:：]?\s*(?P<n>\d+)\s*个?字[^()（）]{0,80})[)）]\s*[…\.]*",
    )
});
/// A bare stub: `此处隐藏:1659字,…下载后查看。` up to the end of its sentence.
static BARE: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"[…\.]*\s*(?:此处|当前|以下|剩余|后面)?(?:内容)?已?(?:省略|隐藏|屏蔽)了?\s*[:：]?\s*(?P<n>\d+)\s*个?字[^。\n]{0,60}?(?:。|$)(?:[^。\n]{0,12}?(?:下载吧|阅读吧))?\s*[…\.]*",
    )
});
/// An inline "hidden content" marker: `当前隐藏内容免费查看`.
static HIDDEN: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"[…\.]*(?:(?:此处|当前|以下)隐藏内容(?:免费查看|请?登录后?查看|仅限会员|需要?付费)?|隐藏内容(?:免费查看|请?登录后?查看|仅限会员))[…\.]*",
    )
});
static URL: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?:https?://|www\.)[\w./\-?=&%#:]*").expect("constant pattern"));

/// Every stub holds one of these (folded) words: a line without any is
/// passed over without running the patterns.
static KEY_WORDS: LazyLock<[String; 3]> =
    LazyLock::new(|| ["省略", "隐藏", "屏蔽"].map(crate::fold::fold));

pub(super) fn find(line: &Line) -> Option<Hit> {
    if !KEY_WORDS.iter().any(|w| line.folded.contains(w.as_str())) {
        return None;
    }
    if let Some(c) = BRACKETED.captures(line.folded) {
        let whole = c.get(0)?;
        let n = c.name("n").and_then(|m| m.as_str().parse().ok());
        let mut facts = Vec::new();
        if let Some(inner) = c.name("inner") {
            // The site is the text before the URL or the 省略 word: `新文秘网http://…`.
            // Only a stub that names its site with a URL names a site.
            let before = &inner.as_str()[..inner.as_str().find(['省', '隐', '屏']).unwrap_or(0)];
            let site = URL.find(before).map_or("", |u| before[..u.start()].trim());
            if !site.is_empty()
                && site.chars().count() <= 20
                && !site.chars().any(|c| c.is_ascii_digit())
            {
                let at = inner.start() + before.find(site).unwrap_or(0);
                facts.push(Fact::Site(line.orig(at..at + site.len()).to_owned()));
            }
        }
        return Some(Hit {
            span: whole.range(),
            facts,
            elided: n,
        });
    }
    if let Some(c) = BARE.captures(line.folded) {
        let n = c.name("n").and_then(|m| m.as_str().parse().ok());
        return Some(Hit {
            span: c.get(0)?.range(),
            facts: vec![],
            elided: n,
        });
    }
    HIDDEN.find(line.folded).map(|m| Hit {
        span: m.range(),
        facts: vec![],
        elided: None,
    })
}

#[cfg(test)]
mod tests {
    use super::super::{Fact, Line};
    use super::find;

    fn run(s: &str) -> Option<(String, Vec<Fact>, Option<u32>)> {
        let f = crate::fold::fold(s);
        let l = Line {
            text: s,
            folded: &f,
        };
        find(&l).map(|h| (l.orig(h.span).to_owned(), h.facts, h.elided))
    }

    #[test]
    fn finds_bracketed_stubs_with_site_and_count() {
        let s = "……(新文秘網http://120pk.cn省略614字,正式會員可完整閱讀)……";
        assert_eq!(
            run(s),
            Some((s.to_owned(), vec![Fact::Site("新文秘網".into())], Some(614)))
        );
        let s = "……(新文秘网http://www.wm114.cn省略662字,正式会员可完整阅读)…… ";
        assert_eq!(run(s).unwrap().2, Some(662));
        let s = "（本站隐藏了1024字，VIP会员可查看全文）";
        assert_eq!(run(s).unwrap().1, vec![]);
        let s = "……(此處省略500字,請登錄後閱讀全文)……";
        assert_eq!(run(s).unwrap().1, vec![]);
    }

    #[test]
    fn finds_bare_and_inline_stubs() {
        let (cut, _, n) =
            run("……此处隐藏:1659字,全部文档内容请下载后查看。喜欢就下载吧 ……").unwrap();
        assert_eq!(
            cut,
            "……此处隐藏:1659字,全部文档内容请下载后查看。喜欢就下载吧 ……"
        );
        assert_eq!(n, Some(1659));
        let (cut, _, _) = run("大家要切實做到三個當前隱藏內容免費查看“講究”。").unwrap();
        assert_eq!(cut, "當前隱藏內容免費查看");
    }

    #[test]
    fn keeps_sentences_about_omitting_or_hiding() {
        assert_eq!(run("能省略的环节一律省略,为企业节省时间。"), None);
        assert_eq!(run("要深挖隐藏在数据背后的问题。"), None);
        assert_eq!(run("正式会员可以享受优惠政策(详见附件)。"), None);
    }
}
