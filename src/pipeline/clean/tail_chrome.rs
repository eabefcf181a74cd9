//! Tail chrome: the site furniture around the article — `文章搜索`, `相关文章`,
//! `不存在或已删除`, `注册  登陆`, `客服微信号:…`, `【本文地址:http://…】`,
//! `全文阅读已结束,如果需要下载本文请点击`, `下载此文档`, `上一篇:…`, `返回顶部`.
//!
//! Two kinds of pattern: labels that are chrome only when they are the whole
//! line (`相关文章`, `注册`), and prefixes that carry a value (`上一篇:…`,
//! `客服微信号:…`). A body sentence that merely contains 下载, 注册 or 搜索 is
//! never the whole line, and starts with no chrome prefix.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use super::{Hit, Line, folded_regex};

/// Labels that are chrome when they are the whole line (spaces and
/// brackets ignored).
const WHOLE: &[&str] = &[
    "文章搜索",
    "站内搜索",
    "搜索",
    "相关文章",
    "相关推荐",
    "相关阅读",
    "推荐阅读",
    "热门文章",
    "热门推荐",
    "最新文章",
    "最新更新",
    "猜你喜欢",
    "延伸阅读",
    "精彩推荐",
    "热门标签",
    "返回顶部",
    "回到顶部",
    "返回首页",
    "打印本页",
    "打印本文",
    "打印",
    "关闭窗口",
    "关闭",
    "分享到",
    "分享至",
    "扫一扫",
    "收藏本文",
    "加入收藏",
    "收藏本站",
    "设为首页",
    "网站首页",
    "联系我们",
    "关于我们",
    "网站地图",
    "免责声明",
    "版权声明",
    "意见反馈",
    "下载此文档",
    "下载本文",
    "下载本文档",
    "点击下载",
    "立即下载",
    "下载文档",
    "免费下载",
    "下载word",
    "下载word文档",
    "下载doc",
    "不存在或已删除",
    "文章不存在或已删除",
    "该文章不存在",
    "注册登陆",
    "注册登录",
    "登录注册",
    "登陆注册",
    "登录",
    "登陆",
    "注册",
    "会员登录",
    "会员注册",
    "用户登录",
    "上一篇",
    "下一篇",
    "复制链接",
    "举报",
    "评论",
    "发表评论",
    "我要评论",
    "字号大中小",
    "字体大中小",
    "复制本文链接",
];

/// Prefixes of chrome lines that carry a value.
static PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"^\s*[【\[]?\s*(?:上一篇|下一篇|上一篇文章|下一篇文章|本文地址|本文链接|原文地址|原文链接|文章地址|转载请注明|转载请保留|客服微信号?|客服qq|客服电话|客服热线|微信公众号|qq群|全文阅读已结束|如果需要下载本文|版权所有|copyright|©|备案号|icp备|免责声明|本站声明|本文由|本文来源于|相关搜索|标签|tags|关键词|关键字)\s*[:：]?",
    )
});
/// Chrome that may stand anywhere in a short line.
static ANYWHERE: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"如有侵权|侵权请联系|版权归原作者|版权归作者|转载请注明出处|本站部分文章来自网络|如需转载",
    )
});
/// Separators of a navigation row: `首页 | 范文大全 | 讲话稿`.
static NAV_SEP: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"\s*[|｜•·]\s*|\s+").expect("constant pattern"));
/// Words that make a row of short items a navigation row.
const NAV_WORDS: &[&str] = &[
    "首页",
    "主页",
    "网站首页",
    "返回首页",
    "联系我们",
    "关于我们",
    "网站地图",
    "返回顶部",
    "范文大全",
    "免责声明",
    "版权声明",
    "意见反馈",
    "会员中心",
    "投稿",
    "帮助中心",
    "登录",
    "注册",
];
/// Labels that open a list of links (related articles): the short lines
/// right after them are link titles, not speech.
const LIST_HEADERS: &[&str] = &[
    "相关文章",
    "相关推荐",
    "相关阅读",
    "推荐阅读",
    "热门文章",
    "热门推荐",
    "最新文章",
    "最新更新",
    "猜你喜欢",
    "延伸阅读",
    "精彩推荐",
    "相关范文",
    "热门范文",
    "推荐文章",
    "相关搜索",
];
static NAV_SET: LazyLock<Vec<String>> =
    LazyLock::new(|| NAV_WORDS.iter().map(|w| crate::fold::fold(w)).collect());
static LIST_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| LIST_HEADERS.iter().map(|w| crate::fold::fold(w)).collect());

/// Whether a (folded) chrome line opens a list of links.
pub(super) fn opens_list(folded: &str) -> bool {
    LIST_SET.contains(&bare(folded))
}

/// A row of short items with navigation words: `首页 | 范文大全 | 讲话稿`,
/// `联系我们 | 网站地图 | 返回顶部`, `首页 工作报告 工作总结`.
fn is_nav_row(folded: &str) -> bool {
    let t = folded.trim();
    // Most lines are paragraphs: too long to be a row, not worth splitting.
    if t.chars().count() > 80 {
        return false;
    }
    let items: Vec<&str> = NAV_SEP.split(t).filter(|i| !i.is_empty()).collect();
    if items.len() < 2 || items.iter().any(|i| i.chars().count() > 12) {
        return false;
    }
    if t.contains(['。', ',', '，', ';', '；']) {
        return false;
    }
    let nav = items
        .iter()
        .filter(|i| NAV_SET.iter().any(|w| w == *i))
        .count();
    let piped = t.contains(['|', '｜']);
    // A row that starts at the home page, or a piped row with a nav word.
    nav > 0 && (NAV_SET[..3].iter().any(|w| w == items[0]) || piped || nav >= 2)
}

/// A line of separators only: `......`, `——————`.
static SEPARATORS: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^[\s…\.·\-—_=~⋯]+$").expect("constant pattern"));
static WHOLE_SET: LazyLock<HashSet<String>> =
    LazyLock::new(|| WHOLE.iter().map(|w| crate::fold::fold(w)).collect());

/// The line without spaces and decoration brackets.
fn bare(folded: &str) -> String {
    folded
        .chars()
        .filter(|c| !c.is_whitespace() && !"【】[]|:：·".contains(*c))
        .collect()
}

pub(super) fn find(line: &Line) -> Option<Hit> {
    let chars = line.folded.chars().count();
    if SEPARATORS.is_match(line.folded) {
        return Some(Hit::whole(line, vec![]));
    }
    if chars <= 40 && WHOLE_SET.contains(&bare(line.folded)) {
        return Some(Hit::whole(line, vec![]));
    }
    // Prefixed chrome is short (a title or a URL follows at most).
    if chars <= 160 && PREFIX.is_match(line.folded) && !line.folded.trim_end().ends_with('。') {
        return Some(Hit::whole(line, vec![]));
    }
    if chars <= 60 && line.folded.contains("如果需要下载本文请点击") {
        return Some(Hit::whole(line, vec![]));
    }
    if (chars <= 100 && ANYWHERE.is_match(line.folded)) || is_nav_row(line.folded) {
        return Some(Hit::whole(line, vec![]));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::super::Line;
    use super::find;

    fn is_chrome(s: &str) -> bool {
        let f = crate::fold::fold(s);
        find(&Line {
            text: s,
            folded: &f,
        })
        .is_some()
    }

    #[test]
    fn finds_chrome_in_both_scripts() {
        for s in [
            "文章搜索",
            "相關文章",
            "......",
            "不存在或已刪除",
            "注冊  登陸",
            "客服微信號:wm114cn",
            "【本文地址:http://gzsthw.cn/zuowen/19290179.html】",
            "全文閱讀已結束,如果需要下載本文請點擊",
            "下載此文檔",
            "上一篇：在全县招商大会上的讲话",
            "返回顶部",
            "Copyright © 2024 某某网 版权所有",
            "首页 | 范文大全 | 讲话稿",
            "首頁 講話稿",
            "首页 工作报告 工作总结",
            "联系我们 | 网站地图 | 返回顶部",
            "本站部分文章来自网络,如有侵权请联系删除 | 返回顶部",
        ] {
            assert!(is_chrome(s), "{s}");
        }
    }

    #[test]
    fn keeps_body_sentences_with_chrome_words() {
        for s in [
            "要为会员企业提供下载资料、注册登记等一站式服务。",
            "注册资本金达到10亿元",
            "搜索引擎、大数据等现代信息技术手段要充分利用",
            "要加强对相关文章的学习。",
            "关闭落后产能企业12家。",
            "标签化管理要落实到每一个项目。",
            "首页经济 夜间经济 楼宇经济",
            "一要登录 二要注册",
        ] {
            assert!(!is_chrome(s), "{s}");
        }
    }
}
