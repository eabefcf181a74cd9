//! SEO filler: the blurbs content farms put before an article —
//! `总结是我们成长路上的里程碑,…这些总结范文囊括了…`,
//! `下面是众鑫文档网小编为您推荐市委书记在…上发言致辞。`,
//! `…下面是小编给大家带来的…,希望大家喜欢。`
//!
//! A line is filler when it names the farm's voice (小编, 范文, 本站, a
//! 文档网) *and* does the farm's business (推荐, 整理, 带来, 希望大家喜欢,
//! 仅供参考). A speech sentence does neither, let alone both.

use std::sync::LazyLock;

use regex::Regex;

use super::{Hit, Line, folded_regex};

/// The farm's voice.
static VOICE: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"小编|范文|本站|本网|文档网|文库|网友|精心整理|精选|为(?:大家|您|你|你们)(?:整理|推荐|带来|收集|准备)|给(?:大家|您|你)带来",
    )
});
/// The farm's business.
static BUSINESS: LazyLock<Regex> = LazyLock::new(|| {
    folded_regex(
        r"推荐|整理|带来|分享|收集|希望(?:大家|对你|对您|您|你|你们|能)?.{0,8}(?:喜欢|帮助|有用|参考)|欢迎(?:阅读|参考|借鉴|下载|收藏)|仅供参考|供(?:大家|您|你)参考|囊括|适合不同|一起来看看|快来看看",
    )
});

pub(super) fn find(line: &Line) -> Option<Hit> {
    (line.folded.chars().count() <= 400
        && VOICE.is_match(line.folded)
        && BUSINESS.is_match(line.folded))
    .then(|| Hit::whole(line, vec![]))
}

#[cfg(test)]
mod tests {
    use super::super::Line;
    use super::find;

    fn is_filler(s: &str) -> bool {
        let f = crate::fold::fold(s);
        find(&Line {
            text: s,
            folded: &f,
        })
        .is_some()
    }

    #[test]
    fn finds_filler_in_both_scripts() {
        assert!(is_filler(
            "總結是我們成長路上的里程碑,是值得回憶的重要片段。這些總結范文囊括了各種不同情境下的總結,適合不同人群的需求。"
        ));
        assert!(is_filler(
            "一千个人就有一千种生存方式。下面是众鑫文档网小编为您推荐市委书记在旅游节上发言致辞。"
        ));
        assert!(is_filler("下面是小编为大家整理的讲话稿,仅供参考。"));
        assert!(is_filler(
            "今年市委提出全力打造十个*,下面是小编给大家带来的讲话,希望大家喜欢。"
        ));
    }

    #[test]
    fn keeps_speech_sentences() {
        assert!(!is_filler(
            "我们要推荐一批优秀项目参加全省评比,整理好项目清单。"
        ));
        assert!(!is_filler("希望大家喜欢常德、爱上常德。"));
        assert!(!is_filler("要精选一批重点企业,开展一对一帮扶。"));
    }
}
