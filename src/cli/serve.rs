//! `jianghua serve [--addr HOST:PORT]`.

use std::io::Write;
use std::net::SocketAddr;
use std::path::Path;
use std::process::ExitCode;

use jianghua::serve::{DEFAULT_ADDR, Options, ServeError};

use super::Failure;

/// Arguments of `serve`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Open the printed address in a browser: a search box, the mentions of a phrase \
(exact total, a bar chart per month, counts by site, every occurrence in context), and each speech. \
Scripts use the JSON API under the same address: /api/search?q=…, /api/mentions?phrase=…, \
/api/speeches/ID, /api/stats (see README). The server sees each commit of an `ingest` and the swap of \
a `rebuild` within a second or two, without a restart. Ctrl-C or SIGTERM stops it."
)]
pub struct ServeArgs {
    /// Where to listen. Loopback by default; any other address makes the
    /// index readable by whoever can reach it. Port 0 takes a free port.
    #[arg(long, default_value = DEFAULT_ADDR, value_name = "HOST:PORT")]
    pub addr: SocketAddr,
    /// The longest a request is worked on before it is answered 503.
    #[arg(long, default_value_t = 10, value_name = "SECONDS")]
    pub timeout: u64,
    /// Megabytes of answers kept for requests asked again, until the next
    /// commit (0: none).
    #[arg(long, default_value_t = 64, value_name = "MB")]
    pub cache_mb: usize,
}

/// Runs `serve`.
pub fn run(index: &Path, args: ServeArgs) -> Result<ExitCode, Failure> {
    let mut opts = Options {
        addr: args.addr,
        cache_bytes: args.cache_mb.saturating_mul(1 << 20),
        ..Options::default()
    };
    opts.limits.timeout = std::time::Duration::from_secs(args.timeout.max(1));
    if !args.addr.ip().is_loopback() {
        eprintln!(
            "jianghua serve: warning: listening on {}, not on loopback: anyone who can reach this address can read the whole index",
            args.addr
        );
    }
    jianghua::serve::run(index, opts, |addr| {
        // The address first, alone on stdout, for scripts and tests.
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "http://{addr}/");
        let _ = out.flush();
        eprintln!(
            "jianghua serve: serving {} at http://{addr}/ (Ctrl-C stops)",
            index.display()
        );
    })
    .map_err(|e| match e {
        ServeError::Bind { .. } => Failure::Usage(e.to_string()),
        e => Failure::Error(e.to_string()),
    })?;
    eprintln!("jianghua serve: stopped");
    Ok(ExitCode::SUCCESS)
}
