//! Properties of the whole pipeline: it never panics, it accounts for every
//! line, and it loses no sentence of a speech while removing the noise.

use std::collections::BTreeSet;

use jianghua::pipeline::{Processed, process};
use proptest::prelude::*;

/// Every line of the extracted text is accounted for: blank, removed whole
/// (with a class), or kept in a passage. A passage's `lines` is the span of
/// source lines its text came from (a rejoin may span blank or removed lines
/// between its pieces), so: blank and removed never overlap; every other
/// line lies in some passage's span; and every span starts and ends on a
/// kept line.
fn assert_accounted(p: &Processed) {
    let mut removed = BTreeSet::new();
    let mut spans = Vec::new();
    for s in &p.speeches {
        spans.extend(s.passages.iter().map(|ps| ps.lines.clone()));
        removed.extend(s.removed.iter().filter(|r| !r.repair).map(|r| r.line));
    }
    removed.extend(p.unattached.iter().filter(|r| !r.repair).map(|r| r.line));
    let blank: BTreeSet<usize> = p.blank.iter().copied().collect();
    let kept = |n: usize| !blank.contains(&n) && !removed.contains(&n);
    for n in 1..=p.lines {
        let text = &p.text_lines[n - 1];
        assert!(
            !(blank.contains(&n) && removed.contains(&n)),
            "line {n} {text:?} is both blank and removed"
        );
        if kept(n) {
            assert!(
                spans.iter().any(|s| s.contains(&n)),
                "line {n} {text:?} is in no passage and not removed"
            );
        }
    }
    for s in &spans {
        assert!(
            kept(*s.start()) && kept(*s.end()),
            "passage span {s:?} does not start and end on kept lines"
        );
    }
}

/// Sentences of a speech, in both scripts, with the chrome-like words a body
/// may contain.
const BODY: &[&str] = &[
    "今年以来,我们坚持把招商引资作为一号工程来抓。",
    "全市上下要以百日会战为抓手,确保完成双过半目标。",
    "要为会员企业提供下载资料、注册登记等一站式服务。",
    "各部門要進一步加強領導,強化保證,全面完成招商引資任務。",
    "對未完成全年任務的部門,要嚴肅問責。",
    "要大力培育专精特新企业,深入实施小升规工程。",
    "去年新增工业用地**亩,引进“5020”项目**个。",
    "印发了《三年行动计划(2021-2023年)》,开局良好。",
    "人工智能(AI)产业要加快布局,20xx年见到成效。",
    "搜索引擎、大数据等现代信息技术手段要充分利用。",
    "有多大?有三四个西湖那么大。",
];

/// Noise lines, with a string that must never reach a passage.
const NOISE: &[(&str, &str)] = &[
    ("您的位置:某某文秘网>>讲话/>>正文", "您的位置"),
    ("當前位置：首頁 > 講話稿 > 正文", "當前位置"),
    ("发表时间:2024/5/21 18:48:54", "发表时间"),
    ("格式:DOC 上傳日期:2023-12-13 21:18:04", "上傳日期"),
    (
        "……(某某网http://x.example.cn省略662字,正式会员可完整阅读)……",
        "省略",
    ),
    (
        "……(某某網http://x.example.cn省略(shěng)614字,正式會(huì)員可完整閱讀)……",
        "省略",
    ),
    ("文章搜索", "文章搜索"),
    ("相關文章", "相關文章"),
    ("注册  登陆", "登陆"),
    ("客服微信号:abc123", "客服"),
    ("【本文地址:http://x.example.cn/a/1.html】", "本文地址"),
    ("全文閱讀已結束,如果需要下載本文請點擊", "閱讀已結束"),
    ("下载此文档", "下载此文档"),
    ("下面是某某文档网小编为您推荐某领导讲话。", "小编"),
    (
        "总结是我们成长路上的里程碑,这些总结范文囊括了各种情境,适合不同人群的需求。",
        "里程碑",
    ),
    ("......", "......"),
];

/// Content-farm blurbs (DESIGN.md's SEO filler), in both scripts; speech
/// text gets pasted into them at clause boundaries.
const FILLER: &[&str] = &[
    "总结是我们成长路上的里程碑,是值得回忆的重要片段。如何克服困难,实现自己的目标是每个人都需要思考的问题。这些总结范文囊括了各种不同情境下的总结,适合不同人群的需求。",
    "如何克服困難,實現自己的目標是每個人都需要思考的問題。這些總結范文囊括了各種不同情境下的總結,適合不同人群的需求。總結是我們成長路上的里程碑,是值得回憶的重要片段。",
    "是值得回忆的重要片段。总结是我们成长路上的里程碑,适合不同人群的需求。",
];

/// Speech clauses as a page pastes them into a blurb.
const CLAUSES: &[&str] = &[
    "要以“百日会战”为抓手,",
    "全力打好雙過半攻堅戰。",
    "(拿地即开工)",
    "确保专精特新",
    "营商环境是当前工作的重中之重。",
    "按照链长制的部署,",
    "招商引資、",
];

/// `filler` with `clauses` pasted in at the clause boundaries chosen by `at`.
/// (Not into a blurb introducing the article, `…。下面是小编为您推荐…`:
/// that goes whole, lead-in and all, with whatever was pasted into it.)
fn paste(filler: &str, clauses: &[(usize, usize)]) -> String {
    let mut line = filler.to_owned();
    for &(clause, at) in clauses {
        let cuts: Vec<usize> = std::iter::once(0)
            .chain(
                line.char_indices()
                    .filter(|(_, c)| "。,、;:".contains(*c))
                    .map(|(i, c)| i + c.len_utf8()),
            )
            .filter(|&i| i < line.len())
            .collect();
        let i = cuts[at % cuts.len()];
        line.insert_str(i, CLAUSES[clause]);
    }
    line
}

#[derive(Debug, Clone)]
enum Piece {
    Body(usize),
    Noise(usize),
    Blank,
    Outline,
}

fn piece() -> impl Strategy<Value = Piece> {
    prop_oneof![
        4 => (0..BODY.len()).prop_map(Piece::Body),
        2 => (0..NOISE.len()).prop_map(Piece::Noise),
        2 => Just(Piece::Blank),
        1 => Just(Piece::Outline),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn never_panics_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        if let Ok(p) = process(&bytes) {
            assert_accounted(&p);
        }
    }

    #[test]
    fn never_panics_on_arbitrary_text(text in "\\PC{0,400}") {
        if let Ok(p) = process(text.as_bytes()) {
            assert_accounted(&p);
        }
    }

    #[test]
    fn keeps_every_sentence_and_drops_all_noise(pieces in proptest::collection::vec(piece(), 1..40)) {
        let mut lines = Vec::new();
        for p in &pieces {
            match p {
                Piece::Body(i) => lines.push(BODY[*i].to_owned()),
                Piece::Noise(i) => lines.push(NOISE[*i].0.to_owned()),
                Piece::Blank => lines.push(String::new()),
                Piece::Outline => lines.extend(["目录/提纲:……", "一、认清形势", "二、强化保障", "……"].map(str::to_owned)),
            }
        }
        let page = lines.join("\n");
        let Ok(p) = process(page.as_bytes()) else {
            // Only a page with no text at all may be refused.
            prop_assert!(page.trim().is_empty());
            return Ok(());
        };
        assert_accounted(&p);
        let passages: Vec<&str> = p.speeches.iter().flat_map(|s| s.passages.iter().map(|ps| ps.text.as_str())).collect();
        for piece in &pieces {
            if let Piece::Body(i) = piece {
                prop_assert!(passages.iter().any(|t| t.contains(BODY[*i])), "lost {:?} from {:?}", BODY[*i], passages);
            }
        }
        for (_, marker) in NOISE {
            prop_assert!(!passages.iter().any(|t| t.contains(marker)), "noise {:?} kept in {:?}", marker, passages);
        }
        prop_assert!(!passages.iter().any(|t| t.contains("认清形势")), "outline kept in {:?}", passages);
    }

    #[test]
    fn keeps_speech_text_pasted_into_filler(
        filler in 0..FILLER.len(),
        clauses in proptest::collection::vec((0..CLAUSES.len(), 0..64usize), 1..4),
    ) {
        let line = paste(FILLER[filler], &clauses);
        let page = format!("同志们:\n今年以来,我们坚持把招商引资作为一号工程来抓。\n{line}\n要大力培育专精特新企业。");
        let p = process(page.as_bytes()).unwrap();
        assert_accounted(&p);
        let text: String = p.speeches.iter().flat_map(|s| s.passages.iter().map(|ps| ps.text.as_str())).collect();
        for &(c, _) in &clauses {
            prop_assert!(text.contains(CLAUSES[c]), "lost {:?} from {:?} in {:?}", CLAUSES[c], line, text);
        }
        for marker in ["里程碑", "里程碑", "小编", "一千种", "克服困", "囊括"] {
            prop_assert!(!text.contains(marker), "filler {:?} kept from {:?}: {:?}", marker, line, text);
        }
    }
}
