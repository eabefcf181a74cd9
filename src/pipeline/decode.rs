//! Stage 1, decode: file bytes → UTF-8 text.
//!
//! STUB: to be replaced by the real decoder (BOM, <meta charset>, chardetng).

/// Files larger than this are refused (speech pages are kilobytes; a file this
/// big is a dump or a binary, and would hold the whole pipeline up).
pub const MAX_BYTES: usize = 16 * 1024 * 1024;

/// Decoded text and how it was obtained.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The text, without any byte-order mark; line ends normalised to `\n`.
    pub text: String,
    /// WHATWG name of the encoding used (`UTF-8`, `GBK`, `gb18030`, `Big5`, `UTF-16LE`, …).
    pub encoding: &'static str,
    /// How many malformed byte runs were replaced with U+FFFD.
    pub replaced: usize,
}

/// Why bytes were refused as text. Displays as one sentence.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    /// Zero bytes, or only whitespace / a BOM.
    #[error("the file is empty")]
    Empty,
    /// Over [`MAX_BYTES`].
    #[error("the file is too large ({size} bytes; the limit is {limit} bytes)")]
    TooLarge {
        /// The file's size in bytes.
        size: u64,
        /// The limit, [`MAX_BYTES`].
        limit: usize,
    },
    /// Looks like a binary file, not text.
    #[error("the file is binary, not text ({why})")]
    Binary {
        /// What gave it away, e.g. "NUL bytes at offset 12".
        why: String,
    },
}

/// Decodes the bytes of one file.
pub fn decode(bytes: &[u8]) -> Result<Decoded, Rejected> {
    if bytes.len() > MAX_BYTES {
        return Err(Rejected::TooLarge {
            size: bytes.len() as u64,
            limit: MAX_BYTES,
        });
    }
    let text = String::from_utf8_lossy(bytes).replace("\r\n", "\n");
    if text.trim().is_empty() {
        return Err(Rejected::Empty);
    }
    Ok(Decoded {
        text,
        encoding: "UTF-8",
        replaced: 0,
    })
}
