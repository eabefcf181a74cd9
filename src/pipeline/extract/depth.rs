//! Caps how deep HTML markup nests before the parser sees it.
//!
//! html5ever's tree builder looks up the stack of open elements for many
//! start tags (every `<div>`, `<p>`, `<ul>`, … first asks whether a `<p>` is
//! open "in button scope", walking the stack down to the root), so a page of
//! N nested elements costs N²/2 steps: 100,000 nested `<div>` took 28.7 s and
//! 200,000 took 190 s. Browsers cap the depth of the tree they build
//! (Chromium at 512); this module does the same, in one linear pass over the
//! markup, before it is parsed.
//!
//! Up to [`MAX_DEPTH`] open elements the markup is left as it is. Past it, a
//! tag no longer opens or closes anything: a block tag becomes `<br>` (it
//! still ends the line, as the extractor would end it), any other tag is
//! taken out (inline markup runs together anyway). Void and raw-text
//! elements (`<img>`, `<script>…</script>`) nest nothing and stay as they
//! are. Text is never touched, so no sentence of an over-deep part is lost;
//! only the structure past the cap is flattened: a link list, a `<pre>` or
//! an element the extractor would drop (`nav`, `svg`, `button`, …) there is
//! read as plain blocks and inline text.
//!
//! The depth is a simulation of the parser's stack, close enough to be safe
//! both ways: an end tag closes the nearest open element of its name (and
//! everything above it), `<p>`, `<li>`, `<td>` and their kind close an open
//! element of the same name on top, void elements and self-closing tags
//! inside `svg`/`math` open nothing, and the content of raw-text elements
//! (`script`, `style`, `textarea`, …) is not markup. A page that never
//! nests past the cap comes out unchanged (borrowed, not copied).

use std::borrow::Cow;

use super::BLOCKS;

/// How many elements may be open at once before tags are flattened: the cap
/// of Chromium's HTML parser. Real pages nest a few dozen deep.
pub const MAX_DEPTH: usize = 512;

/// Elements whose content is text up to their end tag, not markup.
const RAW_TEXT: &[&str] = &[
    "script",
    "style",
    "textarea",
    "title",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "noscript",
    "plaintext",
];

/// Elements that never have content (no end tag; they open nothing).
const VOID: &[&str] = &[
    "area", "base", "basefont", "bgsound", "br", "col", "embed", "frame", "hr", "img", "input",
    "keygen", "link", "meta", "param", "source", "track", "wbr",
];

/// Elements that an open element of the same name on top of the stack ends
/// (`<p>一<p>二` is two paragraphs, not one inside the other).
const SELF_ENDING: &[&str] = &[
    "p", "li", "dd", "dt", "option", "optgroup", "tr", "td", "th", "rb", "rt", "rp",
];

fn one_of(list: &[&str], name: &str) -> bool {
    list.iter().any(|known| known.eq_ignore_ascii_case(name))
}

/// What one `<…>` of the markup is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind<'a> {
    /// `<name …>` or `<name …/>`.
    Start { name: &'a str, self_closing: bool },
    /// `</name …>`.
    End { name: &'a str },
}

/// A tag and the byte range it covers (the `<` to the `>`, inclusive).
#[derive(Debug, Clone, Copy)]
struct Tag<'a> {
    kind: Kind<'a>,
    start: usize,
    end: usize,
}

/// The tags of the markup in order, skipping comments, doctypes and the
/// content of raw-text elements (whose end tag is still yielded).
struct Tags<'a> {
    text: &'a str,
    at: usize,
    /// Inside a raw-text element of this name: skip to its end tag.
    raw: Option<&'a str>,
}

impl<'a> Tags<'a> {
    fn new(text: &'a str) -> Self {
        Tags {
            text,
            at: 0,
            raw: None,
        }
    }

    /// The byte offset just past the first `needle` at or after `from`, or
    /// the end of the text.
    fn past(&self, from: usize, needle: &str) -> usize {
        self.text
            .get(from..)
            .and_then(|rest| rest.find(needle))
            .map_or(self.text.len(), |i| from + i + needle.len())
    }

    /// The offset of the `>` that ends a tag whose name ends at `from`
    /// (quoted attribute values may hold `>`), or the end of the text.
    fn tag_end(&self, from: usize) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while let Some(&b) = bytes.get(i) {
            match b {
                b'>' => return i,
                b'=' => {
                    i += 1;
                    while bytes.get(i).is_some_and(u8::is_ascii_whitespace) {
                        i += 1;
                    }
                    if let Some(&quote @ (b'"' | b'\'')) = bytes.get(i) {
                        let close = bytes
                            .get(i + 1..)
                            .and_then(|rest| rest.iter().position(|&c| c == quote));
                        match close {
                            Some(offset) => i += offset + 2,
                            None => return bytes.len(),
                        }
                    }
                }
                _ => i += 1,
            }
        }
        bytes.len()
    }

    /// The name that starts at `from` (ASCII letters, digits, `-`, `:`).
    fn name_at(&self, from: usize) -> &'a str {
        let rest = self.text.get(from..).unwrap_or_default();
        let len = rest
            .bytes()
            .position(|b| !(b.is_ascii_alphanumeric() || b == b'-' || b == b':' || b == b'_'))
            .unwrap_or(rest.len());
        rest.get(..len).unwrap_or_default()
    }

    /// Where the end tag of the raw-text element `name` starts, at or after
    /// `from` (case-insensitive `</name` followed by no name character), or
    /// the end of the text.
    fn raw_end(&self, from: usize, name: &str) -> usize {
        let bytes = self.text.as_bytes();
        let mut i = from;
        while let Some(offset) = bytes
            .get(i..)
            .and_then(|rest| rest.iter().position(|&b| b == b'<'))
        {
            let lt = i + offset;
            let after = lt + 2 + name.len();
            let matches = bytes.get(lt + 1) == Some(&b'/')
                && bytes
                    .get(lt + 2..after)
                    .is_some_and(|n| n.eq_ignore_ascii_case(name.as_bytes()))
                && bytes
                    .get(after)
                    .is_none_or(|&b| !(b.is_ascii_alphanumeric() || b == b'-'));
            if matches {
                return lt;
            }
            i = lt + 1;
        }
        bytes.len()
    }
}

impl<'a> Iterator for Tags<'a> {
    type Item = Tag<'a>;

    fn next(&mut self) -> Option<Tag<'a>> {
        if let Some(name) = self.raw.take() {
            self.at = self.raw_end(self.at, name);
        }
        let bytes = self.text.as_bytes();
        loop {
            let lt = self.at + bytes.get(self.at..)?.iter().position(|&b| b == b'<')?;
            let rest = bytes.get(lt..).unwrap_or_default();
            if rest.starts_with(b"<!--") {
                self.at = self.past(lt + 4, "-->");
                continue;
            }
            if rest.starts_with(b"<!") || rest.starts_with(b"<?") {
                self.at = self.past(lt + 2, ">");
                continue;
            }
            let (closing, name_start) = match rest.get(1) {
                Some(b'/') => (true, lt + 2),
                _ => (false, lt + 1),
            };
            if !bytes.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
                self.at = lt + 1;
                continue;
            }
            let name = self.name_at(name_start);
            let gt = self.tag_end(name_start + name.len());
            let end = gt.min(bytes.len().saturating_sub(1));
            self.at = gt.saturating_add(1).min(bytes.len());
            let kind = if closing {
                Kind::End { name }
            } else {
                if one_of(RAW_TEXT, name) {
                    self.raw = Some(name);
                }
                Kind::Start {
                    name,
                    self_closing: gt > 0 && bytes.get(gt - 1) == Some(&b'/'),
                }
            };
            return Some(Tag {
                kind,
                start: lt,
                end,
            });
        }
    }
}

/// The markup with every tag past [`MAX_DEPTH`] open elements flattened (see
/// the module documentation); the text itself when nothing nests that deep.
pub fn cap_depth(text: &str) -> Cow<'_, str> {
    let mut open: Vec<&str> = Vec::new();
    // Open elements past the cap (their tags were flattened).
    let mut over = 0usize;
    // Open `svg` and `math` elements, where `<x/>` opens nothing.
    let mut foreign = 0usize;
    let mut out = String::new();
    // How much of `text` is already in `out` (0 while nothing was rewritten).
    let mut copied = 0usize;
    for tag in Tags::new(text) {
        let name = match tag.kind {
            Kind::Start { name, .. } | Kind::End { name } => name,
        };
        // Void and raw-text elements close themselves: they never nest, so
        // they stay as they are even past the cap.
        if one_of(VOID, name) || one_of(RAW_TEXT, name) {
            continue;
        }
        match tag.kind {
            Kind::Start {
                self_closing: true, ..
            } if foreign > 0 => continue,
            Kind::Start { .. } if over > 0 || open.len() >= MAX_DEPTH => over += 1,
            Kind::Start { .. } => {
                if one_of(SELF_ENDING, name)
                    && open
                        .last()
                        .is_some_and(|top| top.eq_ignore_ascii_case(name))
                {
                    open.pop();
                }
                foreign += usize::from(is_foreign(name));
                open.push(name);
                continue;
            }
            Kind::End { .. } if over > 0 => over -= 1,
            Kind::End { .. } => {
                if let Some(at) = open.iter().rposition(|o| o.eq_ignore_ascii_case(name)) {
                    let closed = open.drain(at..).filter(|o| is_foreign(o)).count();
                    foreign = foreign.saturating_sub(closed);
                }
                continue;
            }
        }
        out.push_str(text.get(copied..tag.start).unwrap_or_default());
        out.push_str(if one_of(BLOCKS, name) { "<br>" } else { "" });
        copied = tag.end + 1;
    }
    if copied == 0 {
        return Cow::Borrowed(text);
    }
    out.push_str(text.get(copied..).unwrap_or_default());
    Cow::Owned(out)
}

/// `svg` and `math`, inside which `<x/>` is an empty element.
fn is_foreign(name: &str) -> bool {
    name.eq_ignore_ascii_case("svg") || name.eq_ignore_ascii_case("math")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nested(open: &str, close: &str, depth: usize, inner: &str) -> String {
        format!("{}{inner}{}", open.repeat(depth), close.repeat(depth))
    }

    #[test]
    fn shallow_markup_is_left_alone() {
        let page = "<html><body><div><p>一<p>二</div><script>if (a<b) {}</script><!-- <div> --><br/></body></html>";
        assert!(matches!(cap_depth(page), Cow::Borrowed(_)));
        let deep_but_capped = nested("<div>", "</div>", MAX_DEPTH, "讲话");
        assert!(matches!(cap_depth(&deep_but_capped), Cow::Borrowed(_)));
        // Unclosed paragraphs and list items end each other: no depth.
        let unclosed = "<p>段落。".repeat(MAX_DEPTH * 4);
        assert!(matches!(cap_depth(&unclosed), Cow::Borrowed(_)));
    }

    #[test]
    fn tags_past_the_cap_are_flattened_and_text_kept() {
        let page = nested("<div><span>", "</span></div>", MAX_DEPTH, "深处的讲话。");
        let out = cap_depth(&page);
        let depth_left = out.matches("<div>").count() + out.matches("<span>").count();
        assert_eq!(depth_left, MAX_DEPTH);
        assert!(out.contains("深处的讲话。"));
        assert!(out.contains("<br>"));
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH / 2);
    }

    #[test]
    fn raw_text_and_void_elements_past_the_cap_stay() {
        let inner = "<p>正文。</p><script>var s = '</div>';</script><img src=x><b>加粗</b>";
        let page = nested("<div>", "</div>", MAX_DEPTH + 10, inner);
        let out = cap_depth(&page);
        assert!(out.contains("<br>正文。<br>"), "{out}");
        assert!(
            out.contains("<script>var s = '</div>';</script><img src=x>加粗"),
            "{out}"
        );
        // The cap's own end tags, and the one inside the script.
        assert_eq!(out.matches("</div>").count(), MAX_DEPTH + 1);
    }

    #[test]
    fn quoted_attributes_and_raw_text_hide_their_brackets() {
        let page = nested(
            "<div title=\"a>b\"><textarea><div></textarea>",
            "</div>",
            MAX_DEPTH + 1,
            "文字",
        );
        let out = cap_depth(&page);
        assert!(out.contains("文字"));
        assert_eq!(out.matches("<div title").count(), MAX_DEPTH);
        assert!(!out.contains("\"a>b\"><br>"), "a quote split a tag");
    }

    #[test]
    fn truncated_markup_does_not_panic() {
        for page in [
            "<div",
            "</",
            "<div a=\"",
            "<script>",
            "<!--",
            "<",
            "<a\u{4e2d}>",
        ] {
            let deep = format!("{}{page}", "<div>".repeat(MAX_DEPTH + 1));
            let out = cap_depth(&deep);
            assert!(out.len() <= deep.len() + 4);
        }
    }
}
