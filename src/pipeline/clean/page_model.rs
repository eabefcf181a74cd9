//! The page model: chrome told apart from speech by what every site's
//! chrome shares, not by its wording.
//!
//! The line rules before it know noise by its words. What they do not name,
//! this pass finds from the shape of the page, the way jusText classifies
//! the blocks of a web page, written for Chinese:
//!
//! - **Where a line sits.** The *body* runs from the first to the last
//!   line of speech prose (a line with sentence punctuation and enough
//!   Chinese text, not dominated by site vocabulary). Before and after it
//!   are the *edges*, where the site's header, tool rows and footer are.
//! - **What a line is.** Prose, or not; how much of it is the vocabulary of
//!   site furniture ([`UI_WORDS`]: log-in, download, members, share,
//!   comment, print, font size, customer service, pages, KB…), whether it
//!   has any Chinese at all, whether it is only symbols.
//! - **Its neighbours.** A line with weak evidence of chrome is chrome when
//!   it stands at an edge, next to a line already known as noise, or next
//!   to another line with weak evidence (a widget's rows); between two
//!   speech lines it may be a heading and stays.
//!
//! So: a line of symbols only (`****`, `| |`) goes anywhere; a short line
//! made of several site words (`加入VIP免费下载 立即下载`) goes anywhere; a
//! line with one site word or no Chinese goes at an edge or beside noise; a
//! sentence with two site words that speaks to the site's reader (您, 本站,
//! 平台, 用户) goes at an edge (a platform's disclaimer).
//! The value line under a metadata label (`索引号:` then `0031/2019-00336`)
//! goes with its label: a short line, or a number with a few characters
//! (`某政办发〔2025〕9号`); a title under an empty label stays.
//!
//! Never removed: section headings (`一、` `(一)` `1.` `一是`), salutations
//! (`同志们:`), part headings, date lines (left to `structure`), and any
//! speech sentence that merely contains a site word (`要为会员企业提供下载
//! 服务。` is prose, in the body, with one site word in twenty).

use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};

use crate::pipeline::heading;

use super::NoiseClass;

/// The vocabulary of site furniture, Simplified and lower-case (matched
/// against folded text). Words that speeches use often on their own
/// (主题, 模式, 关注, 开启, 发布) appear only inside longer phrases.
pub const UI_WORDS: &[&str] = &[
    // account, membership, payment
    "登录",
    "登陆",
    "注册",
    "会员",
    "vip",
    "点券",
    "积分",
    "金币",
    "充值",
    "付费",
    "购买",
    "开通",
    "退款",
    "购物车",
    "我的足迹",
    "个人中心",
    "用户中心",
    // download, documents, preview
    "下载",
    "文档",
    "预览",
    "全文阅读",
    "阅读全文",
    "查看全文",
    "展开全文",
    "继续阅读",
    "kb",
    "mb",
    "页数",
    "格式",
    // sharing, comments, ratings
    "分享",
    "评论",
    "点赞",
    "打赏",
    "转发",
    "收藏",
    "举报",
    "投诉",
    "纠错",
    "复制链接",
    "扫一扫",
    "扫码",
    "二维码",
    "公众号",
    "朋友圈",
    "微信",
    "微博",
    "qq空间",
    "关注我们",
    "关注微信",
    "寄给朋友",
    "发给朋友",
    "投稿",
    "投票",
    // page tools
    "打印",
    "关闭",
    "字号",
    "字体",
    "放大",
    "缩小",
    "关灯",
    "开灯",
    "阅读模式",
    "显示全部楼层",
    "楼主",
    "楼层",
    "只看",
    "回复",
    "上一篇",
    "下一篇",
    "上一主题",
    "下一主题",
    "返回",
    "顶部",
    // site navigation
    "首页",
    "主页",
    "网页",
    "站内",
    "搜索",
    "检索",
    "导航",
    "频道",
    "栏目",
    "网站地图",
    "简体版",
    "繁体版",
    "英文版",
    "简体",
    "繁体",
    "english",
    "手机版",
    "移动端",
    "客户端",
    "app",
    "无障碍",
    "长者模式",
    "跳至",
    "跳到",
    "主要内容",
    "客服",
    "在线客服",
    "联系我们",
    "版权所有",
    "免责声明",
    "版权声明",
    "侵权",
    "推荐",
    "热门",
    "标签",
    "相关",
    "更多",
    "资源描述",
    "文档描述",
    "资源简介",
    "内容简介",
    "左侧",
    "右侧",
    "侧栏",
    "本页位置",
    "当前位置",
    "您的位置",
    "作者",
    "温馨提示",
    "特别提示",
    "特别声明",
];

/// Catalogue entries: `《title》` then a few words (its author, 直播间),
/// and nothing else; [`Features::listing`] also wants an author named.
static LISTING: LazyLock<regex::Regex> = LazyLock::new(|| {
    regex::Regex::new(r"^[^,。!?;《》]{0,6}(?:《[^《》]{1,30}》[^,。!?;《》]{0,12})+$")
        .expect("constant listing pattern")
});

/// [`UI_WORDS`] as one automaton: leftmost-longest matches, so a longer
/// word (`关注微信`) claims its chars before a shorter one inside it (`微信`),
/// in one pass over the line. A DFA: the model looks at every kept line,
/// and the default NFA's search was half of its time.
static SITE_WORDS: LazyLock<AhoCorasick> = LazyLock::new(|| {
    AhoCorasick::builder()
        .match_kind(MatchKind::LeftmostLongest)
        .kind(Some(AhoCorasickKind::DFA))
        .build(UI_WORDS)
        .expect("constant site-word list")
});

/// How a line stands before the page model looks at it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Status<'a> {
    /// Whitespace only.
    Blank,
    /// Removed by a line rule; `label_only` when it was a metadata label
    /// alone (`发文字号:`), whose value is the next line.
    Removed { label_only: bool },
    /// Kept text (the folded text of the line's kept pieces).
    Kept(&'a str),
}

/// What the page model knows about one kept line.
#[derive(Debug, Clone, Copy, Default)]
struct Features {
    /// Non-whitespace chars.
    chars: usize,
    /// CJK ideographs.
    cjk: usize,
    /// Chars inside site words.
    ui_chars: usize,
    /// Distinct site words.
    ui_words: usize,
    /// Sentence punctuation (`,。;!?、:`).
    punct: usize,
    /// Only symbols: no letter, digit or ideograph.
    symbols_only: bool,
    /// Never chrome: a salutation, part heading or date line.
    protected: bool,
    /// A date line (protected, except as the value of a metadata label).
    date: bool,
    /// A section heading: chrome only on strong evidence (`1. 首页|新闻|…`).
    heading: bool,
    /// A row of at least four short `|` cells (a link bar).
    link_bar: bool,
    /// Opens with a short label made of site words (`站内检索:`, `版权声明:`).
    ui_label: bool,
    /// Opens with a site word (`上一篇:…`, `- 下一篇…`).
    ui_start: bool,
    /// Catalogue entries: books' titles and their authors
    /// (`《某某写作入门》作者某某《某某百法》作者某某`), as a site's list of
    /// recommended titles prints them.
    listing: bool,
    /// A sentence in a language without ideographs: four or more words
    /// ending in `.`, `!` or `?` (an English paragraph of a bilingual speech).
    sentence: bool,
    /// Speaks to the site's reader (`您`, `亲,`, `本站`, `平台`, `用户`): a
    /// platform's notice, where a speech speaks to its audience. Looked for
    /// on a line with a site word only: no rule asks it of another line.
    addresses_reader: bool,
    /// Asks the reader a question (`…,你觉得呢?`, `你怎么看?`): a poll's
    /// or a comment box's prompt; a speech asks its audience (`你们`).
    asks_reader: bool,
}

/// Whether the line ends with a full stop, `!`, `?`, `;` or `…` (not a bracket:
/// `【缩小字体】` is no sentence).
pub(crate) fn ends_with_stop(folded: &str) -> bool {
    folded.trim_end().ends_with(['。', '!', '?', ';', '…'])
}

fn features(folded: &str) -> Features {
    // One pass for the counts; the line without whitespace is copied only
    // when it has some (a line of Chinese prose seldom does).
    let mut f = Features::default();
    let mut alphanumeric = false;
    let mut spaced = false;
    for c in folded.chars() {
        if c.is_whitespace() {
            spaced = true;
            continue;
        }
        f.chars += 1;
        if crate::pipeline::is_han(c) {
            f.cjk += 1;
        } else if matches!(c, ',' | '。' | ';' | '!' | '?' | '、' | ':') {
            f.punct += 1;
        }
        // (Unicode's tables are asked until one letter or digit is seen.)
        if !alphanumeric {
            alphanumeric = c.is_alphanumeric();
        }
    }
    let t: std::borrow::Cow<str> = if spaced {
        folded.chars().filter(|c| !c.is_whitespace()).collect()
    } else {
        folded.into()
    };
    // Site words, each char counted once.
    let mut seen = [false; UI_WORDS.len()];
    for m in SITE_WORDS.find_iter(t.as_ref()) {
        seen[m.pattern().as_usize()] = true;
        f.ui_chars += t[m.range()].chars().count();
    }
    f.ui_words = seen.iter().filter(|s| **s).count();
    // Every part of the line is a part of `t`: without a site word in `t`,
    // no part opens with one or is one.
    let site_words = f.ui_words > 0;
    f.symbols_only =
        f.chars > 0 && !alphanumeric && !t.chars().all(|c| "“”‘’\"'「」『』《》()…".contains(c));
    let trimmed = folded.trim();
    f.sentence = f.cjk == 0
        && trimmed.split_whitespace().count() >= 4
        && trimmed.ends_with(['.', '!', '?', '"']);
    f.addresses_reader = site_words
        && ["您", "亲,", "本站", "本网", "平台", "用户", "网友", "读者"]
            .iter()
            .any(|w| t.contains(w));
    f.asks_reader = trimmed.ends_with('?')
        && t.match_indices('你')
            .any(|(i, _)| !t[i..].starts_with("你们"));
    // (Five cells need four bars: a line without them is split no further.)
    f.link_bar = trimmed.matches(['|', '｜']).nth(3).is_some() && !trimmed.contains('。') && {
        let cells: Vec<&str> = trimmed.split(['|', '｜']).map(str::trim).collect();
        cells.iter().map(|c| c.chars().count()).sum::<usize>() <= cells.len() * 8
    };
    let body = t.trim_start_matches(|c: char| "-*•·>【[(".contains(c));
    // `收藏《在某会上的讲话》)` names a document: the line is about it, and
    // may be copied into a body; a site word before a title is no evidence.
    // (The title may be cut short: `收藏《在某会上的讲`.)
    let names_a_document = body.split_once('《').is_some_and(|(_, rest)| {
        rest.split('》')
            .next()
            .is_some_and(|t| t.chars().count() >= 6)
    });
    f.listing = t.contains("》作者") && LISTING.is_match(&t);
    f.ui_start =
        site_words && SITE_WORDS.find(body).is_some_and(|m| m.start() == 0) && !names_a_document;
    if let Some((label, rest)) = body.split_once(':') {
        let n = label.chars().count();
        let ui = site_words && SITE_WORDS.is_match(label);
        let notice = label.contains("声明") || label.contains("提示");
        f.ui_label = (2..=6).contains(&n) && ui && (notice || !rest.contains('。'));
    }
    // A long sentence with no site word can be no chrome, whatever its
    // shape: the heading, date and part patterns are not run on it (most
    // lines of a page; the patterns were a third of the model's time).
    if f.ui_words == 0 && f.cjk >= 20 && f.punct >= 1 && !f.listing && !f.link_bar {
        return f;
    }
    f.heading = heading::section_level(trimmed).is_some() && f.cjk >= 2;
    f.date = crate::pipeline::date::is_date_line(trimmed);
    f.protected = (heading::is_salutation(trimmed) && !f.ui_label)
        || heading::is_part_heading(trimmed)
        || f.date;
    f
}

impl Features {
    /// Speech prose: Chinese text with sentence punctuation, not made of site words.
    fn is_prose(&self, folded: &str) -> bool {
        // Two site words in a long paragraph (`相关`, `更多` in 200 chars)
        // are words of the speech.
        let few_site_words = (self.ui_words < 2 || self.ui_chars * 20 < self.chars)
            && self.ui_chars * 4 < self.chars;
        // A finished sentence may name a few site things (会员, 下载, 注册).
        let a_sentence = ends_with_stop(folded) && !self.addresses_reader && self.ui_share() < 0.34;
        (self.cjk >= 8 && self.punct >= 1 || self.cjk >= 30)
            && !self.ui_label
            && (few_site_words || a_sentence)
    }

    /// Prose that marks where the body is: long, or a finished sentence.
    fn is_body(&self, folded: &str) -> bool {
        self.is_prose(folded)
            && !self.protected
            && !self.asks_reader
            && (self.cjk >= 20 || ends_with_stop(folded))
    }

    /// Share of the line that is site words.
    fn ui_share(&self) -> f64 {
        self.ui_chars as f64 / self.chars.max(1) as f64
    }

    /// Chrome wherever it stands.
    fn strong(&self, folded: &str) -> bool {
        self.symbols_only
            || self.link_bar
            || self.ui_label
            || (self.ui_words >= 2 && self.ui_share() >= 0.4 && !ends_with_stop(folded))
            || (self.ui_words >= 1 && self.ui_share() >= 0.75 && self.chars <= 8)
    }

    /// Chrome at an edge or beside noise.
    fn weak(&self, folded: &str) -> bool {
        (self.ui_words >= 1 && self.ui_share() >= 0.3 && !ends_with_stop(folded))
            || (self.ui_start && !ends_with_stop(folded))
            // (a line closed by `。` is Chinese text, however few its
            // characters: `“3+7+5”69.6%。`)
            || (self.cjk == 0 && self.chars > 0 && !self.sentence && !folded.trim_end().ends_with('。'))
            || self.listing
    }
}

/// Whether a line (folded) is speech prose by the page model's test
/// (Chinese text with sentence punctuation, not made of site words) and
/// whether it speaks to the site's reader (`您`, `本站`, `平台`, `用户`…)
/// with a site word, as a platform's notice does; one look at the line for
/// both.
pub(crate) fn prose_and_reader(folded: &str) -> (bool, bool) {
    let f = features(folded);
    // A notice names the site's things too (下载, 会员, 版权声明…): a speech
    // builds 平台 and serves 用户 without one.
    (f.is_prose(folded), f.addresses_reader && f.ui_words >= 1)
}

/// How many times the neighbour rule is applied: a line found as chrome
/// makes its neighbours' evidence count on the next pass.
const PASSES: usize = 3;

/// The lines (0-based) the page model takes as chrome, with their class.
pub(super) fn classify(lines: &[Status]) -> Vec<(usize, NoiseClass)> {
    let feats: Vec<Option<Features>> = lines
        .iter()
        .map(|s| match s {
            Status::Kept(f) => Some(features(f)),
            _ => None,
        })
        .collect();
    let body: Vec<bool> = feats
        .iter()
        .zip(lines)
        .map(|(f, s)| match (f, s) {
            (Some(f), Status::Kept(t)) => f.is_body(t),
            _ => false,
        })
        .collect();
    let first = body.iter().position(|p| *p);
    let last = body.iter().rposition(|p| *p);
    let at_edge = |i: usize| match (first, last) {
        (Some(a), Some(b)) => i < a || i > b,
        _ => true,
    };
    let mut class: Vec<Option<NoiseClass>> = vec![None; lines.len()];
    let is_noise = |class: &[Option<NoiseClass>], j: usize| {
        matches!(lines[j], Status::Removed { .. }) || class[j].is_some()
    };
    for _ in 0..PASSES {
        let mut changed = false;
        let mut prev_label = false;
        for i in 0..lines.len() {
            let Status::Kept(folded) = lines[i] else {
                if let Status::Removed { label_only } = lines[i] {
                    prev_label = label_only;
                }
                continue;
            };
            let Some(f) = feats[i] else { continue };
            let after_label = std::mem::take(&mut prev_label);
            if class[i].is_some() || (f.protected && !(after_label && f.date)) {
                continue;
            }
            let strong = f.strong(folded);
            if f.heading && !strong {
                continue;
            }
            let prev_noise = (0..i)
                .rev()
                .find(|&j| lines[j] != Status::Blank)
                .is_none_or(|j| is_noise(&class, j));
            let next_noise = (i + 1..lines.len())
                .find(|&j| lines[j] != Status::Blank)
                .is_none_or(|j| {
                    is_noise(&class, j)
                        || match (lines[j], feats[j]) {
                            (Status::Kept(nf), Some(n)) => !n.protected && n.strong(nf),
                            _ => false,
                        }
                });
            // The nearest lines are chrome-like too (a widget's rows).
            let weak_at = |j: usize| match (lines[j], feats[j]) {
                (Status::Kept(nf), Some(n)) => !n.protected && !n.heading && n.weak(nf),
                _ => false,
            };
            let weak_pair = f.weak(folded)
                && ((0..i)
                    .rev()
                    .find(|&j| lines[j] != Status::Blank)
                    .is_some_and(weak_at)
                    || (i + 1..lines.len())
                        .find(|&j| lines[j] != Status::Blank)
                        .is_some_and(weak_at));
            let edge = at_edge(i);
            let found = if after_label
                && !f.is_prose(folded)
                && ((f.cjk <= 8 && folded.chars().any(|c| c.is_ascii_digit())) || f.chars <= 12)
            {
                Some(NoiseClass::Metadata)
            } else if strong
                || (f.weak(folded) && (edge || prev_noise || next_noise || weak_pair))
                || (edge && f.ui_words >= 2 && f.addresses_reader)
                || (f.asks_reader && f.chars <= 40 && (prev_noise || next_noise))
            {
                Some(NoiseClass::SiteChrome)
            } else {
                None
            };
            if found.is_some() {
                class[i] = found;
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    class
        .into_iter()
        .enumerate()
        .filter_map(|(i, c)| c.map(|c| (i, c)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(page: &str) -> Vec<String> {
        let folded: Vec<String> = page.lines().map(crate::fold::fold).collect();
        let status: Vec<Status> = folded
            .iter()
            .map(|f| {
                if f.trim().is_empty() {
                    Status::Blank
                } else if f.starts_with('#') {
                    Status::Removed { label_only: false }
                } else if f.starts_with('@') {
                    Status::Removed { label_only: true }
                } else {
                    Status::Kept(f)
                }
            })
            .collect();
        let lines: Vec<&str> = page.lines().collect();
        classify(&status)
            .into_iter()
            .map(|(i, _)| lines[i].to_owned())
            .collect()
    }

    #[test]
    fn tool_rows_and_header_lines_at_the_edges_go() {
        let page = "我的收藏\n购物车\n在全县项目建设推进会上的讲话\n加入VIP免费下载 立即下载\n同志们:\n今天,我们召开全县项目建设推进会,主要任务是总结工作、部署任务。\n要坚持项目为王,抓好招商引资工作。\n****\n分享到微信\nCopyright 2024 example";
        assert_eq!(
            run(page),
            [
                "我的收藏",
                "购物车",
                "加入VIP免费下载 立即下载",
                "****",
                "分享到微信",
                "Copyright 2024 example"
            ]
        );
    }

    #[test]
    fn a_poll_prompt_beside_its_widget_goes_a_speech_question_stays() {
        let page = "#2024年05月06日 10:20\n某某活动引发热议,你觉得呢?\n#投票结果\n\
                    今天召开大会,主要任务是部署工作。\n你们说,这样的作风能干成事吗?\n\
                    这个问题,你认为该怎么办?\n我们要抓项目、促发展。";
        assert_eq!(run(page), ["某某活动引发热议,你觉得呢?"]);
    }

    #[test]
    fn a_long_paragraph_with_site_words_and_a_figure_line_stay_at_the_edge() {
        // The last paragraph before a truncation notice, with 更多, 相关 and
        // 平台 in it, and a line of figures closed by 。.
        let para = format!(
            "今年,我们积极参加市级系列招商活动,{}拿出更多时间和精力,落实相关部门的意见,抓好平台招商。",
            "成功签约了一批重大项目,项目总数和总投资额稳步增长,".repeat(4)
        );
        let page = format!(
            "今天召开大会,主要任务是部署工作。\n{para}\n“3+7+5”69.6%。\n#……(未完,全文共4461字)"
        );
        assert!(run(&page).is_empty(), "{:?}", run(&page));
    }

    #[test]
    fn speech_lines_with_site_words_and_headings_stay() {
        let page = "在全市工作会议上的讲话\n同志们:\n今年以来,我们坚持招商引资不动摇,各项工作取得明显成效。\n一、推进下载中心建设\n经验分享\n要为会员企业提供下载资料、注册登记等一站式服务。\n下面,我讲三点意见。\n2024年3月5日";
        assert!(run(page).is_empty(), "{:?}", run(page));
    }

    #[test]
    fn a_line_naming_a_document_after_a_site_word_stays() {
        let page = "#您的位置:首页>>正文\n收藏《在全县项目建设推进会上的讲话》)\n收藏《在全县招商引资工作会议上的讲\n今天召开大会,主要任务是部署工作。";
        assert!(run(page).is_empty(), "{:?}", run(page));
    }

    #[test]
    fn a_list_of_books_beside_the_header_goes_and_a_sentence_naming_books_stays() {
        let page = "《公文写作入门》作者某某\n最新《讲话稿的结构》课程《公文百法》作者某某某\n在全县大会上的讲话\n同志们:\n今天召开大会,要认真学习《党章》《准则》等重要文件,主要任务是部署工作。";
        assert_eq!(
            run(page),
            [
                "《公文写作入门》作者某某",
                "最新《讲话稿的结构》课程《公文百法》作者某某某"
            ]
        );
    }

    #[test]
    fn a_label_takes_its_value_line() {
        let page = "@索引号:\n0041/2023-00871\n@发布机构:\n县政府办公室\n各乡镇人民政府,县政府各部门:\n现将有关事项通知如下,请认真贯彻执行。";
        assert_eq!(run(page), ["0041/2023-00871", "县政府办公室"]);
    }

    #[test]
    fn an_english_line_beside_noise_goes() {
        let page = "#您的位置:首页>>正文\nSkip to main content\n在全县大会上的讲话\n同志们:\n今天召开大会,主要任务是部署工作。";
        assert_eq!(run(page), ["Skip to main content"]);
    }
}
