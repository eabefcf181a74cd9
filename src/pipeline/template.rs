//! Site templates: lines that recur verbatim on many pages of one site.
//!
//! The cleaner's rules and page model know chrome by its wording and its
//! shape; a site's own slogan, menu or footer in words no rule names gets
//! past them. But a folder holds many pages of each site, and such a line
//! is printed on all of them, while a speech's lines are its own. So at
//! ingest a line found, folded, on at least [`MIN_PAGES`] pages of the same
//! site (pages with distinct bodies) is that site's template, and is removed
//! as [`NoiseClass::SiteTemplate`] wherever it stands.
//!
//! This module answers three questions, each on plain data:
//!
//! - **Which lines of a page could be template** ([`page_prints`]): a kept
//!   piece that is a whole source line, 2..=200 chars folded without
//!   whitespace, and no speech prose (not a sentence by the page model's
//!   test, no salutation, section or part heading, date line, and no line
//!   ending a sentence unless it speaks to the site's reader). Each is known
//!   by its [`fingerprint`]; the page also gets a *body fingerprint* so that
//!   copies of one speech count once.
//! - **Which site a file belongs to** ([`site_key`]).
//! - **Which lines are a site's templates** ([`Learner`]): a function of the
//!   recorded pages only, never of the order they were seen in.
//!
//! [`apply`] then removes a page's template lines, keeping the books;
//! `pipeline::process_with` spares the line a page takes for its own title
//! (a related-articles box on the site's other pages lists it there).

use std::collections::{BTreeSet, HashMap, HashSet};
use std::path::Path;

use super::clean::{Kept, NoiseClass, Removed, whole_line};

/// A line's fingerprint: the first 8 bytes of blake3 of its folded,
/// whitespace-free text (stable across runs, machines and versions of std).
pub type Fingerprint = u64;

/// On how many pages of a site (with distinct bodies) a line must recur to
/// be the site's template.
pub const MIN_PAGES: usize = 3;

/// Longest candidate line, in chars (folded, whitespace removed).
const MAX_CHARS: usize = 200;

/// The fingerprint of a text: fold it, drop whitespace, hash.
pub fn fingerprint(text: &str) -> Fingerprint {
    of_folded(&crate::fold::fold(text))
}

/// [`fingerprint`] of a text already folded.
fn of_folded(folded: &str) -> Fingerprint {
    let key: String = folded.chars().filter(|c| !c.is_whitespace()).collect();
    let hash = blake3::hash(key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&hash.as_bytes()[..8]);
    u64::from_le_bytes(first)
}

/// Whether a line (folded) may be a site's template: short enough, and
/// nothing a speech is made of.
pub fn is_candidate(folded: &str) -> bool {
    let (prose, reader) = super::clean::prose_and_reader(folded.trim());
    candidate_given(folded, prose, reader)
}

/// [`is_candidate`] for a line whose prose and reader tests are known.
fn candidate_given(folded: &str, prose: bool, reader: bool) -> bool {
    let t = folded.trim();
    let n = t.chars().filter(|c| !c.is_whitespace()).count();
    if !(2..=MAX_CHARS).contains(&n) {
        return false;
    }
    // A line shaped like a speech's title (`…上的讲话`, `…工作报告`; not a
    // menu of several words that ends in one) is never a template: the
    // same title on several pages of a site is a compilation's part, a
    // repost or a related link, and a title in a body is the speech's.
    let structural = super::heading::section_level(t).is_some()
        || super::heading::is_salutation(t)
        || super::heading::is_part_heading(t)
        || (super::heading::has_title_ending(t) && t.split_whitespace().count() <= 2)
        || super::date::is_date_line(t);
    !structural && (reader || !(prose || super::clean::ends_with_stop(t)))
}

/// What a page contributes to learning its site's templates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PagePrints {
    /// Fingerprints of its candidate lines, sorted, each once.
    pub candidates: Vec<Fingerprint>,
    /// Fingerprint of its body: the longest prose piece (the first of the
    /// longest), or of the empty text when it has none.
    pub body: Fingerprint,
}

/// The pieces that are the only kept piece of their source line, as
/// indices into `kept`.
fn whole_line_pieces(kept: &[Kept]) -> Vec<usize> {
    let mut per_line: HashMap<usize, usize> = HashMap::new();
    for k in kept {
        for n in k.lines.clone() {
            *per_line.entry(n).or_default() += 1;
        }
    }
    kept.iter()
        .enumerate()
        .filter(|(_, k)| k.lines.start() == k.lines.end() && per_line[k.lines.start()] == 1)
        .map(|(i, _)| i)
        .collect()
}

/// The candidate and body fingerprints of a page from its kept pieces
/// (before any template is applied, so they depend on the page alone).
pub fn page_prints(kept: &[Kept]) -> PagePrints {
    let whole: HashSet<usize> = whole_line_pieces(kept).into_iter().collect();
    let folded: Vec<String> = kept.iter().map(|k| crate::fold::fold(&k.text)).collect();
    let sizes: Vec<usize> = folded
        .iter()
        .map(|f| f.chars().filter(|c| !c.is_whitespace()).count())
        .collect();
    // The page model's look at a piece is most of this function's cost:
    // it is taken only where its answer is needed, once per piece.
    let mut looked: Vec<Option<(bool, bool)>> = vec![None; kept.len()];
    let mut look = |i: usize| {
        *looked[i].get_or_insert_with(|| super::clean::prose_and_reader(folded[i].trim()))
    };
    let mut candidates = BTreeSet::new();
    for i in 0..kept.len() {
        // A piece of another size is no candidate whatever its look.
        if whole.contains(&i) && (2..=MAX_CHARS).contains(&sizes[i]) {
            let (prose, reader) = look(i);
            if candidate_given(&folded[i], prose, reader) {
                candidates.insert(of_folded(&folded[i]));
            }
        }
    }
    // Copies of one speech (a re-scrape with a line more, a preview and the
    // full text) share their longest paragraph: they count as one page. The
    // first of the longest prose pieces: pieces by size, longest first (a
    // stable sort, so of equal sizes the first), until one is prose.
    let mut by_size: Vec<usize> = (0..kept.len()).collect();
    by_size.sort_by_key(|&i| std::cmp::Reverse(sizes[i]));
    let longest = by_size.into_iter().find(|&i| look(i).0);
    PagePrints {
        candidates: candidates.into_iter().collect(),
        body: fingerprint(longest.map_or("", |i| &kept[i].text)),
    }
}

/// Removes the kept pieces whose fingerprint is in `templates` (only
/// candidates: whole lines that are no speech prose), each as a whole line
/// of class [`NoiseClass::SiteTemplate`] pushed to `removed` (`lines` are
/// the page's lines, 1-based line `n` is `lines[n - 1]`). Returns how many
/// lines went. An empty set changes nothing.
pub fn apply(
    kept: &mut Vec<Kept>,
    removed: &mut Vec<Removed>,
    lines: &[String],
    templates: &HashSet<Fingerprint>,
) -> usize {
    if templates.is_empty() {
        return 0;
    }
    let mut drop: HashSet<usize> = HashSet::new();
    for i in whole_line_pieces(kept) {
        let folded = crate::fold::fold(&kept[i].text);
        // The hash first: most lines are in no set, and the test is dearer.
        if templates.contains(&of_folded(&folded)) && is_candidate(&folded) {
            drop.insert(i);
        }
    }
    if drop.is_empty() {
        return 0;
    }
    let mut gone_lines = HashSet::new();
    for (i, k) in std::mem::take(kept).into_iter().enumerate() {
        if drop.contains(&i) {
            let n = *k.lines.start();
            let raw = n
                .checked_sub(1)
                .and_then(|i| lines.get(i))
                .map_or(k.text.as_str(), String::as_str);
            removed.push(whole_line(n, raw, NoiseClass::SiteTemplate));
            gone_lines.insert(n);
        } else {
            kept.push(k);
        }
    }
    // A repair on a line that is now removed whole says nothing.
    removed.retain(|r| !(r.repair && gone_lines.contains(&r.line)));
    drop.len()
}

/// Top-level domains a site key may end with are letters; these are file
/// extensions, not domains (`index.html`, `讲话.doc`).
const NOT_TLDS: &[&str] = &[
    "txt", "htm", "html", "shtml", "xhtml", "php", "asp", "aspx", "jsp", "do", "doc", "docx",
    "pdf", "md", "json", "xml", "bak", "tmp", "old", "orig",
];

/// The first domain-looking token (`laomiw.com`, `www.gov.cn`) of a name,
/// lower-case.
fn domain_in(name: &str) -> Option<String> {
    name.split(|c: char| !(c.is_ascii_alphanumeric() || c == '.' || c == '-'))
        .map(|t| t.trim_matches(['.', '-']).to_ascii_lowercase())
        .find(|t| {
            let labels: Vec<&str> = t.split('.').collect();
            let Some(tld) = labels.last() else {
                return false;
            };
            labels.len() >= 2
                && labels.iter().all(|l| !l.is_empty() && !l.starts_with('-'))
                && (2..=12).contains(&tld.len())
                && tld.chars().all(|c| c.is_ascii_lowercase())
                && !NOT_TLDS.contains(tld)
                && labels[..labels.len() - 1]
                    .iter()
                    .any(|l| l.chars().any(|c| c.is_ascii_alphabetic()))
        })
}

/// The site a file belongs to, for learning templates: the first
/// domain-looking token (`something.tld`) of its file name without the
/// extension (`017_www.gov.cn.txt` → `www.gov.cn`), else of its parent
/// folders' names, nearest first (`scrape/laomiw.com/2024/a.txt` →
/// `laomiw.com`), else the parent folder's path (all files of one folder
/// are one site).
pub fn site_key(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy());
    if let Some(d) = stem.as_deref().and_then(domain_in) {
        return d;
    }
    let parent = path.parent().unwrap_or(Path::new(""));
    for dir in parent.ancestors() {
        if let Some(d) = dir
            .file_name()
            .map(|n| n.to_string_lossy())
            .as_deref()
            .and_then(domain_in)
        {
            return d;
        }
    }
    parent.display().to_string()
}

/// The templates of every site, learned from its pages' [`PagePrints`].
///
/// Pages are added and removed as their records change; the templates of a
/// site are the candidate fingerprints found on at least [`MIN_PAGES`]
/// pages with distinct body fingerprints: a function of the set of pages,
/// never of the order they came in.
#[derive(Debug, Clone, Default)]
pub struct Learner {
    /// site → fingerprint → body fingerprint → pages.
    seen: HashMap<String, HashMap<Fingerprint, HashMap<Fingerprint, usize>>>,
    /// site → its templates.
    templates: HashMap<String, HashSet<Fingerprint>>,
}

impl Learner {
    /// Counts a page of `site`.
    pub fn add(&mut self, site: &str, prints: &PagePrints) {
        let seen = self.seen.entry(site.to_owned()).or_default();
        let templates = self.templates.entry(site.to_owned()).or_default();
        for fp in &prints.candidates {
            let bodies = seen.entry(*fp).or_default();
            *bodies.entry(prints.body).or_default() += 1;
            if bodies.len() >= MIN_PAGES {
                templates.insert(*fp);
            }
        }
    }

    /// Forgets a page of `site` counted before.
    pub fn remove(&mut self, site: &str, prints: &PagePrints) {
        let Some(seen) = self.seen.get_mut(site) else {
            return;
        };
        let templates = self.templates.entry(site.to_owned()).or_default();
        for fp in &prints.candidates {
            let Some(bodies) = seen.get_mut(fp) else {
                continue;
            };
            if let Some(n) = bodies.get_mut(&prints.body) {
                *n -= 1;
                if *n == 0 {
                    bodies.remove(&prints.body);
                }
            }
            if bodies.len() < MIN_PAGES {
                templates.remove(fp);
            }
            if bodies.is_empty() {
                seen.remove(fp);
            }
        }
    }

    /// The templates of `site` (empty for a site not seen).
    pub fn templates(&self, site: &str) -> HashSet<Fingerprint> {
        self.templates.get(site).cloned().unwrap_or_default()
    }

    /// How many templates each site has (sites with none left out).
    pub fn counts(&self) -> Vec<(String, usize)> {
        let mut v: Vec<(String, usize)> = self
            .templates
            .iter()
            .filter(|(_, t)| !t.is_empty())
            .map(|(s, t)| (s.clone(), t.len()))
            .collect();
        v.sort();
        v
    }
}

/// The fingerprints of `candidates` (sorted) that are in `templates`,
/// sorted: what applying `templates` to the page removes.
pub fn applied(candidates: &[Fingerprint], templates: &HashSet<Fingerprint>) -> Vec<Fingerprint> {
    candidates
        .iter()
        .copied()
        .filter(|fp| templates.contains(fp))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::pipeline::{Deadline, clean};

    fn lines(s: &str) -> Vec<String> {
        s.split('\n').map(str::to_owned).collect()
    }

    fn cleaned(s: &str) -> (Vec<String>, clean::Cleaned) {
        let input = lines(s);
        let c = clean::clean(&input, &Deadline::never()).expect("no deadline");
        (input, c)
    }

    fn cleaned_with(
        s: &str,
        templates: &HashSet<Fingerprint>,
    ) -> (Vec<String>, clean::Cleaned, PagePrints) {
        let input = lines(s);
        let (c, p) = clean::clean_with(&input, &Deadline::never(), templates).expect("no deadline");
        (input, c, p)
    }

    #[test]
    fn chrome_lines_are_candidates_speech_lines_are_not() {
        for chrome in [
            "某某文稿网 · 用心做好每一篇",
            "首页 精选范文 会议讲话 工作总结",
            "本站文章均由网友投稿,如有侵权请联系我们。",
        ] {
            assert!(is_candidate(&crate::fold::fold(chrome)), "{chrome}");
        }
        for speech in [
            "同志们:",
            // A speech's title, even when a site lists it on many pages.
            "在全县经济工作会议上的讲话",
            "一、统一思想,提高认识",
            "(二)抓好项目建设",
            "2024年3月5日",
            "今天我们召开全县经济工作会议,主要任务是总结去年工作。",
            // A sentence about the speech's 平台 and 用户, copied onto three
            // pages of a site, is still speech.
            "环境是最大的保障、最大的平台,要为用户提供最优质的服务。",
            "谢谢大家!",
            "篇二",
            "好",
            &"很长的一行没有标点".repeat(30),
        ] {
            assert!(!is_candidate(&crate::fold::fold(speech)), "{speech}");
        }
    }

    /// `fingerprint("用心做好每一篇")`, as stored by indexes of schema 11.
    const STABLE: u64 = 0xbfd9_a953_bb2e_eb5c;

    #[test]
    fn fingerprints_are_stable_and_fold_script_and_spaces() {
        // A constant: the fingerprint is stored in indexes, so it must not
        // change between runs or builds.
        assert_eq!(
            fingerprint("用心做好每一篇"),
            fingerprint("用心做好 每一篇")
        );
        assert_eq!(fingerprint("某某文稿網"), fingerprint("某某文稿网"));
        assert_ne!(fingerprint("某某文稿网"), fingerprint("某某文稿"));
        let h = blake3::hash("用心做好每一篇".as_bytes());
        let expect = u64::from_le_bytes(h.as_bytes()[..8].try_into().unwrap());
        assert_eq!(fingerprint("用心做好每一篇"), expect);
        assert_eq!(fingerprint("用心做好每一篇"), STABLE);
    }

    #[test]
    fn site_keys_come_from_the_name_then_the_folders() {
        let k = |p: &str| site_key(Path::new(p));
        assert_eq!(k("/data/017_www.gov.cn.txt"), "www.gov.cn");
        assert_eq!(k("/data/LaoMiW.com_123.html"), "laomiw.com");
        assert_eq!(k("/scrape/laomiw.com/2024/讲话.txt"), "laomiw.com");
        assert_eq!(k("/scrape/a.b.cn/x.org/p.txt"), "x.org");
        assert_eq!(k("/pages/index.html"), "/pages");
        assert_eq!(k("/pages/讲话稿.2019.txt"), "/pages");
        assert_eq!(k("/tmp/.tmpAb12/p0001.txt"), "/tmp/.tmpAb12");
    }

    #[test]
    fn templates_need_three_distinct_bodies_whatever_the_order() {
        let page = |cands: &[u64], body: u64| PagePrints {
            candidates: cands.to_vec(),
            body,
        };
        let pages = [
            page(&[1, 2], 10),
            page(&[1, 3], 11),
            page(&[1, 2], 12),
            page(&[2], 12),
        ];
        let mut a = Learner::default();
        for p in &pages {
            a.add("s", p);
        }
        let mut b = Learner::default();
        for p in pages.iter().rev() {
            b.add("s", p);
        }
        assert_eq!(a.templates("s"), HashSet::from([1]));
        assert_eq!(b.templates("s"), a.templates("s"));
        assert!(a.templates("other").is_empty());
        a.remove("s", &pages[1]);
        assert!(a.templates("s").is_empty());
        a.add("s", &page(&[1], 13));
        assert_eq!(a.templates("s"), HashSet::from([1]));
        assert_eq!(a.counts(), vec![("s".to_owned(), 1)]);
    }

    /// [`page_prints`] as first written: the page model looks at every
    /// piece, and the longest prose piece is found in one pass.
    fn prints_looking_at_every_piece(kept: &[Kept]) -> PagePrints {
        let whole: HashSet<usize> = whole_line_pieces(kept).into_iter().collect();
        let mut candidates = BTreeSet::new();
        let mut longest: Option<(usize, &str)> = None;
        for (i, k) in kept.iter().enumerate() {
            let folded = crate::fold::fold(&k.text);
            let (prose, reader) = clean::prose_and_reader(folded.trim());
            if whole.contains(&i) && candidate_given(&folded, prose, reader) {
                candidates.insert(of_folded(&folded));
            }
            if prose {
                let n = folded.chars().filter(|c| !c.is_whitespace()).count();
                if longest.is_none_or(|(m, _)| n > m) {
                    longest = Some((n, &k.text));
                }
            }
        }
        PagePrints {
            candidates: candidates.into_iter().collect(),
            body: fingerprint(longest.map_or("", |(_, t)| t)),
        }
    }

    /// Lines of every kind the prints tell apart: prose of equal and of
    /// different lengths, long lines that are no prose, chrome, headings,
    /// Traditional script, a line with two pieces.
    const LINE_POOL: &[&str] = &[
        "同志们:",
        "今天我们在这里召开全县招商引资大会,主要任务是部署今年的工作。",
        "明天我们在那里召开全市项目建设大会,主要任务是总结去年的工作。",
        "要把項目建設放在突出位置,確保雙過半。",
        "某某文稿网 · 用心做好每一篇",
        "首页 精选范文 会议讲话 工作总结",
        "本站文章均由网友投稿,如有侵权请联系我们。",
        "一、抓好招商引资",
        "2019年3月5日",
        "加入VIP免费下载 立即下载",
        "招商引资项目建设营商环境优化服务企业发展壮大产业集群培育新动能推动高质量发展取得新成效",
        "",
        "   ",
        "第二部分 主要工作",
        "您好,欢迎访问本站!",
    ];

    proptest::proptest! {
        #[test]
        fn page_prints_equal_the_prints_of_looking_at_every_piece(
            picks in proptest::collection::vec(0..LINE_POOL.len(), 0..24)
        ) {
            let text: Vec<&str> = picks.iter().map(|&i| LINE_POOL[i]).collect();
            let (_, c) = cleaned(&text.join("\n"));
            proptest::prop_assert_eq!(page_prints(&c.kept), prints_looking_at_every_piece(&c.kept));
        }
    }

    #[test]
    fn copies_of_one_speech_count_once() {
        let body = "同志们:\n今天我们在这里召开全县招商引资大会,主要任务是部署今年的工作。\n要把项目建设放在突出位置。";
        let (_, a) = cleaned(&format!("在全县招商引资大会上的讲话\n{body}"));
        let (_, b) = cleaned(&format!(
            "在全县招商引资大会上的讲话\n{body}\n要确保双过半。"
        ));
        assert_eq!(page_prints(&a.kept).body, page_prints(&b.kept).body);
        assert_eq!(
            page_prints(&a.kept).candidates,
            page_prints(&b.kept).candidates
        );
    }

    #[test]
    fn applying_removes_whole_template_lines_and_keeps_the_books() {
        let page = "某某文稿网 · 用心做好每一篇\n首页 精选范文 会议讲话\n\n在全县大会上的讲话\n同志们:\n今天我们召开全县大会,部署今年的重点工作。\n某某文稿网 · 用心做好每一篇";
        let slogan = fingerprint("某某文稿网 · 用心做好每一篇");
        let templates = HashSet::from([
            slogan,
            fingerprint("今天我们召开全县大会,部署今年的重点工作。"),
        ]);
        let (input, c, prints) = cleaned_with(page, &templates);
        let (_, plain, plain_prints) = cleaned_with(page, &HashSet::new());
        assert_eq!(prints, plain_prints);
        let gone = c
            .removed
            .iter()
            .filter(|r| r.class == NoiseClass::SiteTemplate)
            .count();
        // Both slogans go (the one after the body no rule knows); prose is
        // never a template, even when its fingerprint is in the set.
        assert_eq!(gone, 2, "{:?}", c.removed);
        assert_eq!(applied(&prints.candidates, &templates), vec![slogan]);
        assert!(c.kept.iter().all(|k| !k.text.contains("用心做好")));
        assert!(c.kept.iter().any(|k| k.text.contains("部署今年的重点工作")));
        assert!(
            c.removed
                .iter()
                .filter(|r| r.class == NoiseClass::SiteTemplate)
                .all(|r| !r.repair)
        );
        clean::tests::assert_accounted(&input, &c);
        // The empty set is today's behaviour.
        assert_eq!(plain, cleaned(page).1);
        assert!(plain.kept.iter().any(|k| k.text.contains("用心做好")));
    }
}
