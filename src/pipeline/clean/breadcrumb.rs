//! Breadcrumbs: `您的位置:新文秘网>>民营招商/>>正文`, `当前位置：首页 > 讲话 > 正文`.
//!
//! The whole line is chrome. Its first crumb is usually the site's name,
//! which is kept as metadata (unless it is just 首页 "home page").
//! A sentence in a speech that merely mentions a 位置 is not a breadcrumb:
//! the line must open with a position label or a home crumb, and have crumb
//! separators; or be a bare trail of three or more short crumbs with no
//! sentence punctuation (`某某论坛 » 公文写作 » 某文`).

use std::sync::LazyLock;

use regex::Regex;

use super::{Fact, Hit, Line, folded_regex};

/// `您的位置:` and friends, then the crumbs.
static LABELED: LazyLock<Regex> =
    LazyLock::new(|| folded_regex(r"^\s*[\p{Han}]{0,5}位置\s*[:：]\s*(?P<crumbs>.*)$"));
/// A trail that starts at the home page: `首页 > 讲话 > 正文`.
static HOME: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(r"^\s*(?P<crumbs>(?:网站)?(?:首页|主页|home)\s*(?:>|»|›|→|/).*)$")
});
/// Crumb separators.
static SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*(?:>>|>|»|›|→|/)\s*").expect("constant pattern"));
/// Crumbs that name no site.
const NOT_A_SITE: &[&str] = &["首页", "主页", "网站首页", "home", "正文", "当前位置"];

/// A bare trail of three or more short crumbs: `某某论坛 » 公文写作 » 某文`
/// (a single `>` only with spaces around it: `增速>5%` is no crumb).
static TRAIL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^\s*(?P<crumbs>[^。,!?;>»›→]{1,20}(?:(?:\s*(?:>>|»|›|→)\s*|\s+>\s+)[^。,!?;>»›→]{1,40}){2,})\s*$",
    )
    .expect("constant pattern")
});

pub(super) fn find(line: &Line) -> Option<Hit> {
    let caps = LABELED
        .captures(line.folded)
        .or_else(|| HOME.captures(line.folded))
        .or_else(|| TRAIL.captures(line.folded))?;
    let crumbs = caps.name("crumbs")?;
    let has_sep = [">", "»", "›", "→"]
        .iter()
        .any(|s| crumbs.as_str().contains(s));
    if !has_sep || line.folded.chars().count() > 200 {
        return None;
    }
    let mut facts = Vec::new();
    let first = SEP
        .split(crumbs.as_str())
        .map(str::trim)
        .find(|c| !c.is_empty());
    if let Some(first) = first {
        let folded_first = crate::fold::fold(first);
        if !NOT_A_SITE
            .iter()
            .any(|n| crate::fold::fold(n) == folded_first)
            && first.chars().count() <= 30
        {
            // Map the crumb back to the original script.
            let start = crumbs.start() + crumbs.as_str().find(first).unwrap_or(0);
            facts.push(Fact::Site(line.orig(start..start + first.len()).to_owned()));
        }
    }
    Some(Hit::whole(line, facts))
}

#[cfg(test)]
mod tests {
    use super::super::{Fact, Line};
    use super::find;

    fn run(s: &str) -> Option<Vec<Fact>> {
        let f = crate::fold::fold(s);
        find(&Line {
            text: s,
            folded: &f,
        })
        .map(|h| h.facts)
    }

    #[test]
    fn finds_breadcrumbs_and_their_site() {
        assert_eq!(
            run("您的位置:新文秘網>>工業/企業講話/民營招商/>>正文"),
            Some(vec![Fact::Site("新文秘網".into())])
        );
        assert_eq!(
            run("您的位置:新文秘网>>民营招商/>>正文"),
            Some(vec![Fact::Site("新文秘网".into())])
        );
        assert_eq!(
            run("当前位置：公文范文网 > 讲话稿 > 正文"),
            Some(vec![Fact::Site("公文范文网".into())])
        );
        assert_eq!(run("当前位置：首页 > 讲话稿 > 正文"), Some(vec![]));
        assert_eq!(run("您现在的位置:首页 > 讲话稿"), Some(vec![]));
        assert_eq!(run("您所在的位置：首页 >> 政务公开"), Some(vec![]));
        assert_eq!(run("首页 » 领导讲话 » 招商引资"), Some(vec![]));
        assert_eq!(
            run("某某论坛 » 公文写作 » 浅谈讲话稿"),
            Some(vec![Fact::Site("某某论坛".into())])
        );
    }

    #[test]
    fn keeps_sentences_about_positions() {
        assert_eq!(run("要把招商引资摆在最突出的位置,一把手要在一线抓。"), None);
        assert_eq!(run("位置:县城东侧"), None);
        assert_eq!(run("增速>5%的地区 > 3个"), None);
        assert_eq!(run("A > B,B > C,所以 A > C。"), None);
    }
}
