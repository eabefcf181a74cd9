//! Main-content selection on HTML pages in four layouts of sites we have not
//! seen (`tests/fixtures/layouts/`, described in `tests/fixtures/PAGES.md`):
//! a document-sharing site, a government CMS article page, a news portal
//! with sidebar, adverts, comments and related links, and a WeChat article
//! copy. For each: every body paragraph comes out whole in one passage, none
//! of the page's chrome reaches a passage or the title, and the title and
//! date are the page's.

mod common;

use common::Failures;

/// One layout page and what `jianghua clean --json` must make of it.
struct Layout {
    file: &'static str,
    title: &'static str,
    date: &'static str,
    /// Every paragraph of the text, each of which must be in one passage.
    body: &'static [&'static str],
    /// Chrome: in no passage and not in the title.
    chrome: &'static [&'static str],
}

const LAYOUTS: &[Layout] = &[
    Layout {
        file: "doc_share.html",
        title: "在全镇人居环境整治推进会上的讲话",
        date: "2023-06-18",
        body: &[
            "同志们:",
            "今天把大家请来,专门研究人居环境整治这件事。上个月镇里组织了一次暗访,看到的情况有好有坏,好的村已经像个样子,差的村门口还堆着柴草和废旧家具。",
            "一、把账算清楚",
            "全镇二十三个村,完成改厕的有十七个,还差六个;垃圾集中收运覆盖了十九个村,剩下四个在山里,车子进不去,这是我们要下力气解决的硬骨头。",
            "二、把人发动起来",
            "整治不是镇干部的独角戏,要让群众自己动手。每个村都要选出几户带头的人家,门前屋后收拾干净了,挂上牌子,让大家看得见、学得来。",
            "各村支部书记要亲自上门,一户一户讲清楚为什么要整、怎么整、整完了有什么好处,不能只在广播里喊一喊就算完事。",
            "三、把制度立起来",
            "环境好不好,关键在平时。镇里每季度评比一次,评上的村给奖补,排在后面的村书记要到镇党委会上说明原因。",
            "我相信,只要大家一起使劲,到年底我们的村子一定会变个样。",
        ],
        chrome: &[
            "书山文库",
            "让每一页文字都有去处",
            "登录",
            "免费注册",
            "VIP",
            "共7页",
            "236KB",
            "下载券",
            "浏览",
            "收藏",
            "举报",
            "还剩5页未读",
            "开通会员",
            "相关文档推荐",
            "春季植树",
            "乡村清洁行动",
            "今日特惠",
            "侵权投诉",
            "客服热线",
            "仅供学习交流",
        ],
    },
    Layout {
        file: "gov_cms.html",
        title: "在全县防汛工作会议上的讲话",
        date: "2024-05-20",
        body: &[
            "同志们:",
            "入汛在即,今天召开这个会,就是要把防汛的各项准备再过一遍,把责任压到每一个人身上。",
            "一、思想上不能松",
            "去年我县没有发生大的汛情,有的同志就觉得今年也不会有事,这种想法要不得。气象部门预测,今年降雨偏多,局地可能出现强降雨,我们必须做最坏的打算。",
            "二、隐患要排到底",
            "水库、山塘、河堤和地质灾害点,要逐一过筛子,发现问题当天登记、限期整改,整改不到位的不能交账。",
            "三、队伍要拉得出",
            "各乡镇的抢险队伍要在月底前完成一次实战演练,物资要清点入库,确保关键时刻拉得出、用得上。",
            "防汛工作人命关天,希望大家守土有责、守土尽责,确保全县安全度汛。",
        ],
        chrome: &[
            "今天是",
            "无障碍",
            "手机版",
            "青河县人民政府",
            "为民 务实 清廉",
            "政务公开",
            "当前位置",
            "发布日期",
            "阅读:",
            "打印",
            "关闭",
            "分享",
            "上一篇",
            "下一篇",
            "春耕生产",
            "森林防火",
            "主办",
            "ICP备",
            "网站标识码",
        ],
    },
    Layout {
        file: "news_portal.html",
        title: "市长调研城区老旧小区改造:让居民住得更舒心",
        date: "2022-11-08",
        body: &[
            "11月8日下午,市长一行来到城东片区,实地察看老旧小区改造进展。",
            "在一处正在加装电梯的楼栋前,市长详细询问了工期安排和资金来源,并与几位坐在楼下晒太阳的老人拉起了家常。",
            "市长指出,老旧小区改造是实实在在的民生工程,要多听居民意见,把钱花在群众最需要的地方。",
            "他强调,施工中要做好安全防护,尽量减少对居民日常生活的影响,改造完成后还要建立长效管理机制。",
            "据了解,今年全市计划改造老旧小区六十个,目前已完工三十八个。",
        ],
        chrome: &[
            "东岸新闻网",
            "权威 及时 贴近",
            "时政",
            "年终家电大促",
            "2022-11-08 16:45",
            "来源:东岸日报",
            "编辑:王一",
            "全屋定制",
            "分享到",
            "朋友圈",
            "相关新闻",
            "口袋公园",
            "网友评论",
            "终于要装上了",
            "路灯也能修一修",
            "热点排行",
            "降温明显",
            "客户端",
            "版权所有",
            "举报电话",
        ],
    },
    Layout {
        file: "wechat.html",
        title: "县委书记在全县秋粮收储工作会上强调:颗粒归仓 守好粮袋子",
        date: "2023-09-14",
        body: &[
            "9月14日,全县秋粮收储工作会召开,县委书记出席并讲话。",
            "会议指出,今年全县秋粮长势总体好于往年,但后期天气变数大,抢收抢储的时间窗口很短,各地务必抓紧抓实。",
            "要抓好收",
            "农机要提前检修到位,跨区作业的机手要有人对接,遇到连阴雨要及时组织烘干,不能让粮食烂在地里。",
            "要抓好储",
            "各收储点要敞开收购,不得压级压价,不得打白条,让种粮农民卖得出、卖得好。",
            "会议要求,各乡镇主要负责同志要靠前指挥,县直有关部门要分工协作,确保颗粒归仓。",
        ],
        chrome: &[
            "原创",
            "清水县融媒",
            "18:02",
            "阅读 1203",
            "在看",
            "分享",
            "微信扫一扫",
            "关注该公众号",
            "publish_time",
        ],
    },
];

#[test]
fn each_layout_keeps_its_text_and_loses_its_chrome() {
    let dir = common::repo_root().join("tests/fixtures/layouts");
    let work = common::tempdir();
    let mut f = Failures::new();
    for layout in LAYOUTS {
        let ctx = layout.file;
        let (run, parsed) = common::clean_json(work.path(), &dir.join(layout.file), false);
        f.check(run.code == Some(0) && !run.panicked(), ctx, || {
            run.describe()
        });
        let speeches = match parsed {
            Ok(s) => s,
            Err(e) => {
                f.push(ctx, e);
                continue;
            }
        };
        f.check(speeches.len() == 1, ctx, || {
            format!("{} speeches, expected 1", speeches.len())
        });
        let Some(first) = speeches.first() else {
            continue;
        };
        f.check(first.title.as_deref() == Some(layout.title), ctx, || {
            format!("title {:?}, expected {:?}", first.title, layout.title)
        });
        f.check(first.date.as_deref() == Some(layout.date), ctx, || {
            format!("date {:?}, expected {:?}", first.date, layout.date)
        });
        for paragraph in layout.body {
            common::check_in_a_passage(&speeches, paragraph, ctx, &mut f);
        }
        for chrome in layout.chrome {
            common::check_nowhere(&speeches, chrome, ctx, &mut f);
        }
        let passages: usize = speeches.iter().map(|s| s.passages.len()).sum();
        f.check(passages == layout.body.len(), ctx, || {
            let texts: Vec<String> = speeches
                .iter()
                .flat_map(|s| &s.passages)
                .map(|p| common::clip(&p.text, 40))
                .collect();
            format!(
                "{passages} passages, expected one per body paragraph ({}): {texts:?}",
                layout.body.len()
            )
        });
    }
    f.finish("HTML layout pages (tests/fixtures/layouts/)");
}
