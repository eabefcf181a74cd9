//! Checks `data/policy_terms.txt`, the policy-term dictionary loaded into
//! jieba: the line format, the word, frequency and tag of every entry, no
//! duplicates, the size, and that the terms the design names are present.

use std::collections::HashMap;
use std::path::Path;

/// Part-of-speech tags the dictionary may use.
const ALLOWED_TAGS: [&str; 4] = ["n", "v", "nz", "l"];

/// Fewest entries the dictionary may have.
const MIN_ENTRIES: usize = 400;

/// Terms that must be in the dictionary.
const REQUIRED: &[&str] = &[
    "招商引资",
    "营商环境",
    "专精特新",
    "放管服",
    "高质量发展",
    "乡村振兴",
    "新质生产力",
    "百日会战",
    "双过半",
    "小升规",
    "智改数转",
    "亩均效益",
    "一号工程",
    "一把手工程",
    "腾笼换鸟",
    "稳增长",
    "六稳",
    "六保",
    "双循环",
    "共同富裕",
    "碳达峰",
    "碳中和",
    "最多跑一次",
    "一网通办",
    "放管服改革",
    "优化营商环境",
    "招大引强",
    "链长制",
    "产业链",
    "供应链",
    "专班",
    "项目化",
    "清单化",
    "攻坚战",
    "开门红",
    "双招双引",
    "数字经济",
    "首席服务官",
    "小巨人",
    "单项冠军",
    "规上工业",
    "亿元以上项目",
    "固定资产投资",
    "社会消费品零售总额",
    "一般公共预算收入",
    "营商环境创优年",
    "四敢",
    "三个务必",
    "放水养鱼",
    "亩产论英雄",
    "标准地",
    "拿地即开工",
    "跨省通办",
    "全生命周期",
    "新基建",
    "新型工业化",
    "县域经济",
    "民营经济",
    "实体经济",
    "现代化产业体系",
    "高水平对外开放",
    "一带一路",
    "自贸区",
    "开发区",
    "园区",
    "飞地经济",
    "总部经济",
    "楼宇经济",
    "夜间经济",
    "首店经济",
    "攻坚行动",
    "提升年",
    "作风建设年",
    "三服务",
    "企业服务日",
    "政策兑现",
    "惠企政策",
    "免申即享",
    "直达快享",
];

/// One dictionary entry: its 1-based line, its word (the first field) and
/// whether the line passed `check_line`.
struct Entry {
    line: usize,
    word: String,
    valid: bool,
}

/// True for a character in CJK Extension A or the CJK Unified Ideographs
/// block (U+3400..=U+9FFF).
fn is_cjk(c: char) -> bool {
    ('\u{3400}'..='\u{9FFF}').contains(&c)
}

/// Checks one non-comment, non-blank line; returns what is wrong with it.
fn check_line(line: &str) -> Result<(), String> {
    let fields: Vec<&str> = line.split(' ').collect();
    if fields.len() != 3 {
        return Err(format!(
            "expected 3 fields separated by single spaces (word frequency tag), found {}: {line:?}",
            fields.len()
        ));
    }
    let (word, freq, tag) = (fields[0], fields[1], fields[2]);
    let chars = word.chars().count();
    if !(2..=10).contains(&chars) {
        return Err(format!(
            "word {word:?} has {chars} characters, expected 2-10"
        ));
    }
    if let Some(c) = word.chars().find(|&c| !is_cjk(c)) {
        return Err(format!(
            "word {word:?} contains {c:?} (U+{:04X}), not a CJK character in U+3400-U+9FFF",
            c as u32
        ));
    }
    match freq.parse::<u64>() {
        Ok(0) => return Err(format!("frequency of {word:?} is 0, expected positive")),
        Ok(_) => {}
        Err(e) => {
            return Err(format!(
                "frequency {freq:?} of {word:?} is not a positive integer: {e}"
            ));
        }
    }
    if !ALLOWED_TAGS.contains(&tag) {
        return Err(format!(
            "tag {tag:?} of {word:?} is not one of {ALLOWED_TAGS:?}"
        ));
    }
    Ok(())
}

/// Reads the dictionary; returns its entries and every problem found.
fn load() -> (Vec<Entry>, Vec<String>) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/policy_terms.txt");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut entries = Vec::new();
    let mut problems = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let n = i + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let word = line.split(' ').next().unwrap_or_default().to_string();
        let valid = match check_line(line) {
            Ok(_) => true,
            Err(why) => {
                problems.push(format!("line {n}: {why}"));
                false
            }
        };
        entries.push(Entry {
            line: n,
            word,
            valid,
        });
    }
    (entries, problems)
}

#[test]
fn every_line_is_well_formed() {
    let (_, problems) = load();
    assert!(
        problems.is_empty(),
        "{} bad line(s) in data/policy_terms.txt:\n{}",
        problems.len(),
        problems.join("\n")
    );
}

#[test]
fn no_duplicate_words() {
    let (entries, _) = load();
    let mut first: HashMap<&str, usize> = HashMap::new();
    let mut dups = Vec::new();
    for e in &entries {
        if let Some(&prev) = first.get(e.word.as_str()) {
            dups.push(format!(
                "line {}: {:?} duplicates line {prev}",
                e.line, e.word
            ));
        } else {
            first.insert(&e.word, e.line);
        }
    }
    assert!(dups.is_empty(), "duplicate words:\n{}", dups.join("\n"));
}

#[test]
fn has_enough_entries() {
    let (entries, _) = load();
    let total = entries.len();
    assert!(
        total >= MIN_ENTRIES,
        "data/policy_terms.txt has {total} entries, expected at least {MIN_ENTRIES}"
    );
}

#[test]
fn required_terms_are_present() {
    let (entries, _) = load();
    let missing: Vec<&str> = REQUIRED
        .iter()
        .copied()
        .filter(|w| !entries.iter().any(|e| e.valid && e.word == *w))
        .collect();
    assert!(
        missing.is_empty(),
        "required terms missing (or on a bad line) in data/policy_terms.txt: {missing:?}"
    );
}

#[test]
fn required_list_itself_is_valid() {
    for w in REQUIRED {
        check_line(&format!("{w} 1 n"))
            .unwrap_or_else(|why| panic!("REQUIRED entry {w:?} is invalid: {why}"));
    }
}
