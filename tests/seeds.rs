//! `jianghua clean` on the five real scraped pages of `../shared/corpus/seeds/`
//! (DESIGN.md's ground truth), as scraped and re-encoded at test time: GBK,
//! GB18030, UTF-16LE/BE with BOM, Big5 (where the text fits), and wrapped in
//! HTML (GBK with `<meta charset>`, UTF-8 without a declaration).
//!
//! The seeds are not ours to republish, so they are never copied into the
//! repository; this file only quotes short sentences of them. Without the
//! seed folder the tests print a note and pass, except under `CI=true`,
//! where a missing folder is a failure.

mod common;

use std::fs;
use std::path::{Path, PathBuf};

use common::{Failures, Speech};
use encoding_rs::{BIG5, Encoding, GB18030, GBK};
use regex::Regex;

/// How a seed's titles must look.
enum Titles {
    /// One speech with this title (`None`: no title).
    Exact(Option<&'static str>),
    /// A compilation: speech `i` has a title ending `篇` + the Chinese numeral `i + 1`.
    Pian,
}

/// What the issue's "done when" says about one seed.
struct Seed {
    prefix: &'static str,
    speeches: usize,
    titles: Titles,
    /// Every speech's date.
    date: Option<&'static str>,
    truncated: Option<(u64, u64)>,
    outline_len: usize,
    /// Body sentences (pinyin annotations removed), each inside one passage.
    sentences: &'static [&'static str],
    /// Sentences that must be in speech `i` (where a compilation is cut).
    in_part: &'static [(usize, &'static str)],
    /// Text broken by a hard wrap in the source, joined.
    joined: &'static [&'static str],
    /// Headings on a line of their own: never glued to the text before or after.
    heading_lines: &'static [&'static str],
    /// Strings of this seed that must appear nowhere (besides [`NOISE`]).
    absent: &'static [&'static str],
    /// 1-based inclusive line ranges of speech text, and lines inside them that are not.
    body: &'static [(usize, usize)],
    not_body: &'static [usize],
}

/// Chrome, stubs, notices, filler: in no passage and no title of any seed.
const NOISE: &[&str] = &[
    "您的位置",
    "发表时间",
    "發表時間",
    "上传日期",
    "上傳日期",
    "格式:DOC",
    "省略",
    "正式会员",
    "正式會員",
    "(未完",
    "全文共",
    "收藏《",
    "文章搜索",
    "相关文章",
    "相關文章",
    "不存在或已删除",
    "不存在或已刪除",
    "客服微信",
    "本文地址",
    "全文阅读已结束",
    "閱讀已結束",
    "下载此文档",
    "下載此文檔",
    "小编",
    "小編",
    "里程碑",
    "目录/提纲",
    "目錄/提綱",
    "隐藏内容",
    "隱藏內容",
    "登陸",
    "希望大家喜歡",
    "希望大家喜欢",
];

const SEEDS: &[Seed] = &[
    Seed {
        prefix: "000_",
        speeches: 15,
        titles: Titles::Pian,
        date: Some("2023-12-13"),
        truncated: None,
        outline_len: 0,
        sentences: &[
            "今年市委提出全力打造“十個*”,其中創新*、健康*、法治*、文明*等,同我們關心下一代工作密切相關,做好今年關工委工作責任重大、使命光榮。",
            "雖然我們今年落地了102個項目,但是這102個項目中,真正的大項目還不夠多,過5億元的項目只占了8個。",
            "啟動建設秦創原(xx)科技資源統籌共享",
            "常德區位優勢明顯,自古就是兵家必爭之地,川黔咽喉,云貴門戶。",
        ],
        in_part: &[
            (0, "常德常德,常懷善德;常來常德,必有所得。"),
            (
                1,
                "會議通報了去年我市項目建設、招商引資工作情況,表彰獎勵了先進單位和先進個人。",
            ),
            (2, "一是全力服務大局,“五老”優勢更加彰顯。"),
            (3, "近年來,市委、市政府高度重視科技工作"),
            (
                4,
                "老河口快速崛起靠什么?靠經濟發展,靠規模擴張,靠速度提升,靠實力增強,靠財力雄厚。",
            ),
            (5, "2020年,我們堅持以習近平新時代中國特色社會主義思想為指引"),
            (
                6,
                "擁有堅強的領導核心、科學的理論指引,是成熟的馬克思主義政黨的顯著標志。",
            ),
            (7, "一是抓了專題招商活動。"),
            (8, "開放是五大新發展理念之一。"),
            (
                9,
                "科學地分析、準確地把握當前形勢,既是我們統一思想、提高認識的前提,也是謀劃未來、制定對策的重要依據。",
            ),
            (10, "(一)招商產業有突破。"),
            (11, "歡迎大家在這春暖花開的季節來到美麗的xx。"),
            (
                12,
                "朋友們,大家也許是第一次聽說、認識,對情況不太了解,在此,首先讓我簡單介紹一下基本概況。",
            ),
            (
                13,
                "招商引資和項目建設是開發區的生命線,是縣委、縣政府實現“園區提振”和“產業提升”的關鍵舉措。",
            ),
            (
                14,
                "二是要強化“協作”意識。招商引資是一項系統工程,需要各部門的通力合作,協同作戰。",
            ),
        ],
        joined: &[],
        heading_lines: &[
            "三是優化環境要有新舉措。",
            "(三)重典整治經濟環境,加大污染經濟環境行為查處力度。",
            "(四)破解土地瓶頸,為項目入駐提供廣闊空間。",
            "(二)加強督辦,確保進度。",
            "(三)加大宣傳,營造氛圍。",
            "(四)嚴格獎懲,考核兌現。",
            "一、招商引資成效明顯,一定要堅定信心!",
            "三、強化保障,凝聚合力。",
        ],
        absent: &[
            "大全(15篇)",
            "眾鑫文檔網",
            "字海",
            "為您推薦",
            "gzsthw",
            "免費查看",
        ],
        body: &[(9, 1071)],
        not_body: &[
            9, 11, 65, 131, 133, 175, 177, 239, 597, 621, 635, 831, 889, 945, 969, 989, 1029, 1051,
        ],
    },
    Seed {
        prefix: "001_",
        speeches: 1,
        titles: Titles::Exact(Some(
            "在市直部門招商引資百日會戰活動總結暨全年沖刺動員會議上的講話",
        )),
        date: None,
        truncated: Some((1725, 2713)),
        outline_len: 8,
        sentences: &[
            "在全市各項工作進入最后沖刺的關鍵時刻,市委、市政府召開這次會議,意義十分重大",
            "希望大家按照市委、市政府的部署和要求,下定決心,鼓足干勁,奮力沖刺,確保全面超額完成全年招商引資任務。",
            "不斷興起招商引資工作新高潮,取得了明顯成",
            "全市招商引資和經濟發展極不負責任。",
            "牢固確立“招商引資無休止”的觀念,做到一以貫之",
            "現在已進入最后的沖刺階段,完成招商引資任務,時間緊迫、任務繁重、壓力巨大。",
            "一是要作為頭等大事強力推進。要把招商引資工作作為當前第一位的任務、擺在最突出的位置。",
            "對未完成全年招商引資任務的,將按照有關要求,對單位主要負責人實行離崗或離職招商",
            "要嚴格兌現獎懲。",
            "真正做到抓住機遇,順勢而為,趁勢而上,進一步突破招商引資工作。",
            "要盡快理清思路。針對市直部門招商引資",
        ],
        in_part: &[],
        joined: &[
            "作了很好的總結,對全年沖刺工作進行了動員部署",
            "就是明天經濟發展的新增長點、財政收入的新增長點",
        ],
        heading_lines: &[
            "一、進一步統一思想,凝心聚力,全力投入招商引資沖刺",
            "二、進一步加強領導,強化保證,全面完成招商引資任務",
        ],
        absent: &["明顯成全市", "120pk", "新文秘網", "》)"],
        body: &[(11, 25)],
        not_body: &[],
    },
    Seed {
        prefix: "002_",
        speeches: 1,
        titles: Titles::Exact(Some("在全市工業倍增暨招商引資攻堅大會上的講話")),
        date: Some("2023-08-06"),
        truncated: Some((2325, 4603)),
        outline_len: 21,
        sentences: &[
            "經市委市政府研究決定,今天召開全市工業倍增暨招商引資攻堅大會",
            "就下一步的工作,我再講兩個方面的意見。",
            "去年,市委市政府印發了《工業倍增三年行動計劃(2021-2023年)》",
            "了一些特色發展平臺,比如醫藥產業園、電子信息產業園、數字經濟產業園等等。",
            "陶瓷制品示范基地(陶瓷工業園區)獲國家新型工業化產業示范基地五星級評價",
            "第四,招大引強取得突破。全市引進“5020”項目**個",
            "總結成績就是堅定大家的信心,有作為就有地位,大產業就有大發展,大招商就有大希望。",
            "日日行不怕千萬里,常常做不怕千萬事。",
            "但我希望每個縣(市、區)、園區都要有奮斗目標",
            "打好產業提升、招商提檔、園區提質、企業提效、項目提速“五大攻堅戰”。",
            "加快構建“2+4”先進陶瓷產業集群。",
        ],
        in_part: &[],
        joined: &[],
        heading_lines: &[
            "一、肯定成績、正視差距,進一步堅定工業倍增和招商引資的信心和決心",
            "二、乘勢而上、提質提效,進一步提升工業倍增和招商引資的水平",
        ],
        absent: &["大家了一些", "新文秘網", "jey722", "wm114cn", "......"],
        body: &[(31, 45)],
        not_body: &[],
    },
    Seed {
        prefix: "003_",
        speeches: 1,
        titles: Titles::Exact(None),
        date: None,
        truncated: None,
        outline_len: 0,
        sentences: &[
            "下面,我就招商引资、项目推进工作再做几点强调:",
            "招商局要对全县xx支招商小分队成员进行逐一过堂",
            "通报所在镇(区),该调就调、该换就换。",
            "扒排出符合本区域产业定位的全国100强企业名录以及详实信息。",
            "务必以“钉钉子”的精神,紧咬牙关、从紧从实跟踪洽谈",
            "为此,我们必须建立健全项目准入机制",
            "我们将全面推行“最多跑一次”改革,简化审批程序,缩短审批时间。",
            "良好的营商环境是吸引投资的重要因素之一。",
            "我们要积极响应国家“一带一路”倡议",
            "县政府将成立专项督查组",
            "为加快推进我县高质量发展作出新的更大贡献!",
        ],
        in_part: &[],
        joined: &[],
        heading_lines: &[
            "一、必须始终坚持把招商引资作为当务之急",
            "二、全面提升项目推进效率和服务水平",
            "三、构建全方位、多层次的招商网络",
            "四、强化责任落实,确保各项工作落到实处",
        ],
        absent: &[],
        body: &[(1, 21)],
        not_body: &[],
    },
    Seed {
        prefix: "004_",
        speeches: 1,
        titles: Titles::Exact(Some("在全区拟签约项目“双周”过堂会暨招商引资座谈会上的讲话")),
        date: Some("2024-05-21"),
        truncated: Some((1860, 2925)),
        outline_len: 6,
        sentences: &[
            "今天,我们召开全区拟签约项目“双周”过堂会暨招商引资座谈会",
            "奋力确保“双过半”,为完成全年目标任务打下坚实基础。",
            "项目是推动经济高质量发展的生命线,没有项目一切都是空谈。",
            "组建11支一线招商引资攻坚队,在**成功举行投资环境推介会",
            "在肯定成绩的同时,我们也要清醒看到工作中还存在一定不足。",
            "从市里一季度项目考",
            "其产业布局、投资趋向的跟踪研究,选择有投资可能的精心策划、主动对接。",
            "为“三年三百亿、五年五百亿、八年过千亿”提供更加坚实的项目支撑。",
            "积极挖掘以中科院系统_重点科研院所",
            "6月中旬的淮安(**)投资说明会",
            "项目签约只是“万里长征”第一步,项目一天不落地,一切等于零。",
            "去年,我区项目签约转化率仅**%,今年市里要求当年签约转化率达**%",
            "要发挥好园区“主阵地”作用。",
            "统筹做好EOD项目推进、连片土地储备、蒸汽保障等工作",
        ],
        in_part: &[],
        joined: &[],
        heading_lines: &[
            "一、认清“招”的形势,聚焦目标抓招商",
            "三、造浓“招”的氛围,全力以赴抓招商",
        ],
        absent: &["项目考其", "新文秘网", "wm114"],
        body: &[(16, 25)],
        not_body: &[],
    },
];

/// The forms a seed is fed to `jianghua clean` in.
#[derive(Debug, Clone, Copy)]
enum Variant {
    AsScraped,
    Gbk,
    Gb18030,
    Utf16Le,
    Utf16Be,
    Big5,
    HtmlGbk,
    HtmlUtf8,
}

impl Variant {
    fn label(self) -> &'static str {
        match self {
            Variant::AsScraped => "as scraped (UTF-8)",
            Variant::Gbk => "GBK",
            Variant::Gb18030 => "GB18030",
            Variant::Utf16Le => "UTF-16LE with BOM",
            Variant::Utf16Be => "UTF-16BE with BOM",
            Variant::Big5 => "Big5",
            Variant::HtmlGbk => "HTML, GBK, <meta charset=\"gbk\">",
            Variant::HtmlUtf8 => "HTML, UTF-8, no declaration",
        }
    }

    fn file_suffix(self) -> &'static str {
        match self {
            Variant::AsScraped => "txt",
            Variant::Gbk => "gbk.txt",
            Variant::Gb18030 => "gb18030.txt",
            Variant::Utf16Le => "utf16le.txt",
            Variant::Utf16Be => "utf16be.txt",
            Variant::Big5 => "big5.txt",
            Variant::HtmlGbk => "gbk.html",
            Variant::HtmlUtf8 => "utf8.html",
        }
    }

    /// Encoding names any of which is right. A GB18030 file without a label
    /// decodes identically as GBK, which is what detectors call it.
    fn encodings(self) -> &'static [&'static str] {
        match self {
            Variant::AsScraped | Variant::HtmlUtf8 => &["UTF-8"],
            Variant::Gbk | Variant::HtmlGbk => &["GBK"],
            Variant::Gb18030 => &["gb18030", "GBK"],
            Variant::Utf16Le => &["UTF-16LE"],
            Variant::Utf16Be => &["UTF-16BE"],
            Variant::Big5 => &["Big5"],
        }
    }

    /// True when the file's lines are the seed's lines (so line numbers compare).
    fn same_lines(self) -> bool {
        !matches!(self, Variant::HtmlGbk | Variant::HtmlUtf8)
    }

    /// The bytes of the seed in this form; `Err` says why there are none.
    fn bytes(self, raw: &[u8], text: &str) -> Result<Vec<u8>, String> {
        match self {
            Variant::AsScraped => Ok(raw.to_vec()),
            Variant::Gbk => encode_strict(&fit_to(text, GBK), GBK),
            Variant::Gb18030 => encode_strict(text, GB18030),
            Variant::Utf16Le => Ok(utf16(text, true)),
            Variant::Utf16Be => Ok(utf16(text, false)),
            // Big5 holds Traditional text but no tone-marked pinyin letters;
            // a scraper saving a Traditional page in Big5 writes `?` for
            // those (`講話(hu?)`), which the cleaner must still strip.
            // Simplified pages cannot be saved in Big5 at all.
            Variant::Big5 => {
                let misfits = text
                    .chars()
                    .filter(|c| !is_pinyin_letter(*c) && BIG5.encode(c.encode_utf8(&mut [0; 4])).2)
                    .count();
                if misfits * 100 > text.chars().count() {
                    return Err(format!(
                        "Big5 cannot hold this Simplified text ({misfits} characters do not fit)"
                    ));
                }
                encode_strict(&fit_to(text, BIG5), BIG5)
            }
            Variant::HtmlGbk => {
                encode_strict(&fit_to(&html(text, "<meta charset=\"gbk\">"), GBK), GBK)
            }
            Variant::HtmlUtf8 => Ok(html(text, "").into_bytes()),
        }
    }
}

/// A tone-marked pinyin letter (Big5 has none).
fn is_pinyin_letter(c: char) -> bool {
    "āáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜ".contains(c)
}

/// Replaces what a legacy encoding cannot hold, as a scraper saving the page
/// in it would: NO-BREAK SPACE → space, anything else (the private-use
/// characters of seed 000's mojibake runs) → `?`. Only mojibake is touched.
fn fit_to(text: &str, enc: &'static Encoding) -> String {
    let mut buf = [0u8; 4];
    text.chars()
        .map(|c| {
            if c.is_ascii() {
                c
            } else if c == '\u{a0}' {
                ' '
            } else if enc.encode(c.encode_utf8(&mut buf)).2 {
                '?'
            } else {
                c
            }
        })
        .collect()
}

fn encode_strict(text: &str, enc: &'static Encoding) -> Result<Vec<u8>, String> {
    let (bytes, _, had_errors) = enc.encode(text);
    if had_errors {
        let mut buf = [0u8; 4];
        let (line, c) = text
            .lines()
            .enumerate()
            .find_map(|(i, l)| {
                l.chars()
                    .find(|c| enc.encode(c.encode_utf8(&mut buf)).2)
                    .map(|c| (i + 1, c))
            })
            .unwrap_or((0, '?'));
        return Err(format!("{} cannot encode {c:?} (line {line})", enc.name()));
    }
    Ok(bytes.into_owned())
}

fn utf16(text: &str, little: bool) -> Vec<u8> {
    let mut out = if little {
        vec![0xFF, 0xFE]
    } else {
        vec![0xFE, 0xFF]
    };
    for u in text.encode_utf16() {
        out.extend_from_slice(&if little {
            u.to_le_bytes()
        } else {
            u.to_be_bytes()
        });
    }
    out
}

/// `<html><head>HEAD</head><body>` + each line as `<p>…</p>` + `</body></html>`.
fn html(text: &str, head: &str) -> String {
    let mut out = format!("<html><head>{head}</head><body>\n");
    for line in text.split('\n') {
        out.push_str("<p>");
        for c in line.chars() {
            match c {
                '&' => out.push_str("&amp;"),
                '<' => out.push_str("&lt;"),
                '>' => out.push_str("&gt;"),
                _ => out.push(c),
            }
        }
        out.push_str("</p>\n");
    }
    out.push_str("</body></html>\n");
    out
}

fn seed_dir() -> PathBuf {
    common::repo_root()
        .join("..")
        .join("shared")
        .join("corpus")
        .join("seeds")
}

/// The seed files, or `None` (after a note) when the folder is not here.
fn seed_files() -> Option<Vec<(&'static Seed, PathBuf)>> {
    let dir = seed_dir();
    if !dir.is_dir() {
        if std::env::var("CI").as_deref() == Ok("true") {
            panic!(
                "the seed corpus is missing: expected the five scraped pages in {} (CI=true, so this is a failure)",
                dir.display()
            );
        }
        eprintln!("note: {} not found; skipping the seed tests", dir.display());
        return None;
    }
    let names: Vec<String> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("cannot list {}: {e}", dir.display()))
        .filter_map(|e| e.ok().map(|e| e.file_name().to_string_lossy().into_owned()))
        .collect();
    let found = SEEDS
        .iter()
        .map(|s| {
            let name = names
                .iter()
                .find(|n| n.starts_with(s.prefix))
                .unwrap_or_else(|| panic!("no seed file {}* in {}", s.prefix, dir.display()));
            (s, dir.join(name))
        })
        .collect();
    Some(found)
}

fn cn_numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        1..=9 => D[n].to_owned(),
        10 => "十".to_owned(),
        11..=19 => format!("十{}", D[n - 10]),
        _ => format!("{}十{}", D[n / 10], D[n % 10]),
    }
}

/// Chars of speech text the seed holds: its body lines without pinyin
/// annotations, paywall stubs, truncation notices and inline stubs.
fn expected_body_chars(seed: &Seed, lines: &[String]) -> usize {
    let stub = Regex::new(r"……\([^)]*?(省略|隐藏|隱藏)\d+字[^)]*\)……").expect("regex");
    let notice = Regex::new(r"……\(未完.*$").expect("regex");
    let inline = Regex::new(r"当前隐藏内容免费查看|當前隱藏內容免費查看").expect("regex");
    let mut n = 0;
    for &(a, b) in seed.body {
        for no in a..=b {
            if seed.not_body.contains(&no) {
                continue;
            }
            let line = common::strip_pinyin(&lines[no - 1]);
            let line = stub.replace_all(&line, "");
            let line = notice.replace_all(&line, "");
            let line = inline.replace_all(&line, "");
            n += common::visible_chars(&line);
        }
    }
    n
}

fn check_seed(seed: &Seed, path: &Path, variant: Variant, work: &Path, f: &mut Failures) {
    let raw = fs::read(path).unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let text = String::from_utf8(raw.clone())
        .unwrap_or_else(|_| panic!("{} is not UTF-8 any more", path.display()));
    let lines: Vec<String> = text.split('\n').map(str::to_owned).collect();
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let ctx = format!("seed {} {}", &seed.prefix[..3], variant.label());

    let bytes = match variant.bytes(&raw, &text) {
        Ok(b) => b,
        Err(why) => {
            eprintln!("note: {ctx}: skipped, {why}");
            return;
        }
    };
    let name = format!("{stem}.{}", variant.file_suffix());
    fs::write(work.join(&name), &bytes).expect("write the re-encoded seed");
    let (run, parsed) = common::clean_json(work, Path::new(&name), true);
    let ctx = format!("{ctx} ({name})");
    if run.code != Some(0) || run.panicked() {
        f.push(&ctx, format!("expected exit 0: {}", run.describe()));
    }
    let speeches: Vec<Speech> = match parsed {
        Ok(s) => s,
        Err(e) => return f.push(&ctx, e),
    };
    common::check_invariants(&speeches, &ctx, f);

    f.check(speeches.len() == seed.speeches, &ctx, || {
        let titles: Vec<Option<&str>> = speeches.iter().map(|s| s.title.as_deref()).collect();
        format!(
            "expected {} speech(es), got {}: titles {titles:?}",
            seed.speeches,
            speeches.len()
        )
    });
    for (i, s) in speeches.iter().enumerate() {
        let sctx = format!("{ctx}, speech {i}");
        match seed.titles {
            Titles::Exact(t) => f.check(s.title.as_deref() == t, &sctx, || {
                format!("title: expected {t:?}, got {:?}", s.title)
            }),
            Titles::Pian => {
                let end = format!("篇{}", cn_numeral(i + 1));
                f.check(
                    s.title.as_deref().is_some_and(|t| t.ends_with(&end)),
                    &sctx,
                    || format!("title: expected one ending {end:?}, got {:?}", s.title),
                );
            }
        }
        f.check(s.date.as_deref() == seed.date, &sctx, || {
            format!("date: expected {:?}, got {:?}", seed.date, s.date)
        });
        let tr = s.truncated.map(|t| (t.shown, t.total));
        f.check(tr == seed.truncated, &sctx, || {
            format!(
                "truncated (shown, total): expected {:?}, got {tr:?}",
                seed.truncated
            )
        });
        f.check(s.outline.len() == seed.outline_len, &sctx, || {
            format!(
                "outline: expected {} lines, got {}: {:?}",
                seed.outline_len,
                s.outline.len(),
                s.outline
            )
        });
        let names = variant.encodings();
        f.check(names.contains(&s.encoding.as_str()), &sctx, || {
            format!("encoding: expected {names:?}, got {:?}", s.encoding)
        });
        f.check(s.replaced == 0, &sctx, || {
            format!("replaced: expected 0, got {}", s.replaced)
        });
    }

    for s in seed.sentences.iter().chain(seed.joined) {
        common::check_in_a_passage(&speeches, s, &ctx, f);
    }
    for &(i, s) in seed.in_part {
        let ok = speeches
            .get(i)
            .is_some_and(|sp| sp.passages.iter().any(|p| p.text.contains(s)));
        f.check(ok, &ctx, || {
            let found: Vec<usize> = common::find_passages(&speeches, s)
                .iter()
                .map(|(j, _)| *j)
                .collect();
            format!("speech {i} should contain {s:?} (found in speeches {found:?})")
        });
    }
    for h in seed.heading_lines {
        common::check_heading_alone(&speeches, h, &ctx, f);
    }
    for s in NOISE.iter().chain(seed.absent) {
        common::check_nowhere(&speeches, s, &ctx, f);
    }

    let want = expected_body_chars(seed, &lines);
    let got: usize = speeches
        .iter()
        .flat_map(|s| &s.passages)
        .map(|p| common::visible_chars(&p.text))
        .sum();
    f.check(got * 10 >= want * 9, &ctx, || {
        format!("the passages hold {got} chars, expected at least 90% of the {want} chars of speech text")
    });

    if variant.same_lines() {
        common::check_lines_accounted(&speeches, &lines, &ctx, f);
        common::check_outline_not_passages(&speeches, &lines, &ctx, f);
    }
}

fn check_variant(variant: Variant) {
    let Some(seeds) = seed_files() else {
        return;
    };
    let work = common::tempdir();
    let mut f = Failures::new();
    for (seed, path) in seeds {
        check_seed(seed, &path, variant, work.path(), &mut f);
    }
    f.finish(&format!("the seeds {}", variant.label()));
}

#[test]
fn seeds_as_scraped() {
    check_variant(Variant::AsScraped);
}

#[test]
fn seeds_as_gbk() {
    check_variant(Variant::Gbk);
}

#[test]
fn seeds_as_gb18030() {
    check_variant(Variant::Gb18030);
}

#[test]
fn seeds_as_utf16le() {
    check_variant(Variant::Utf16Le);
}

#[test]
fn seeds_as_utf16be() {
    check_variant(Variant::Utf16Be);
}

#[test]
fn seeds_as_big5_traditional_ones() {
    check_variant(Variant::Big5);
}

#[test]
fn seeds_in_html_gbk_with_meta_charset() {
    check_variant(Variant::HtmlGbk);
}

#[test]
fn seeds_in_html_utf8_without_declaration() {
    check_variant(Variant::HtmlUtf8);
}

/// The harness itself: the re-encodings round-trip, so a failure above is
/// the cleaner's, not the test's. Needs no binary.
#[test]
fn seed_variants_round_trip() {
    let Some(seeds) = seed_files() else {
        return;
    };
    let mut f = Failures::new();
    for (seed, path) in seeds {
        let raw = fs::read(&path).expect("read seed");
        let text = String::from_utf8(raw.clone()).expect("seed is UTF-8");
        for variant in [
            Variant::Gbk,
            Variant::Gb18030,
            Variant::Utf16Le,
            Variant::Utf16Be,
            Variant::Big5,
        ] {
            let ctx = format!("seed {} {}", &seed.prefix[..3], variant.label());
            let Ok(bytes) = variant.bytes(&raw, &text) else {
                continue;
            };
            let label = variant.encodings()[0];
            let (back, had_errors) = common::decode_with(&bytes, label);
            let want = match variant {
                Variant::Gbk => fit_to(&text, GBK),
                Variant::Big5 => fit_to(&text, BIG5),
                _ => text.clone(),
            };
            f.check(!had_errors && back == want, &ctx, || {
                "does not decode back to the seed text".into()
            });
        }
    }
    f.finish("seed re-encodings");
}
