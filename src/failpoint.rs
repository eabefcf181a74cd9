//! Named points where a test can make the process die, as a crash would.
//!
//! The crash-safety tests run the real binary with `JIANGHUA_FAILPOINT`
//! set to one point's name (say `publish:written`); when the process
//! reaches that point it aborts at once, with no destructor run and no
//! file closed cleanly, exactly like `kill -9` there. Without the variable
//! a point costs one cached environment look-up. Points never change what
//! a run does otherwise.

use std::sync::OnceLock;

/// The variable that names the point to die at.
pub const VAR: &str = "JIANGHUA_FAILPOINT";

/// Aborts the process if `JIANGHUA_FAILPOINT` names this point.
pub fn hit(point: &str) {
    static CHOSEN: OnceLock<Option<String>> = OnceLock::new();
    let chosen = CHOSEN.get_or_init(|| std::env::var(VAR).ok());
    if chosen.as_deref() == Some(point) {
        eprintln!("jianghua: failpoint {point}: aborting as a crash would");
        std::process::abort();
    }
}
