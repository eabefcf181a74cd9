//! An open-loop load client for `jianghua serve` (issue 16): requests are
//! sent at a fixed rate whatever the server's answer times, and each one's
//! latency is measured from the moment it was *meant* to be sent, so a
//! stalled server shows in the figures instead of slowing the load down
//! (the closed loop of `wrk` in `serve_load.sh` only sends the next request
//! of a connection once the last one is answered, and so measures the work
//! per request times the queue, not the wait a user would see at a rate).
//!
//! ```text
//! cargo bench --bench serve_open -- --base http://127.0.0.1:7700 \
//!     --paths FILE --rate 200 [--seconds 20] [--connections 16]
//! ```
//!
//! `--paths`: one request path per line (`/api/search?q=…`), asked in turn.
//! Request `i` is due at `start + i / rate` and goes out on connection
//! `i mod connections`; when that connection is still busy it waits, and
//! the wait counts in its latency (the timer's own lateness does not). Prints one line: the rate asked and
//! reached, requests, errors (a status other than 200, or a failed
//! connection), and the latency percentiles in milliseconds. Run by
//! `cargo bench` without `--base`, it says so and does nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Empty};
use hyper::body::Bytes;
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// What the command line asks.
struct Args {
    /// `host:port` of the server.
    authority: String,
    paths: Vec<String>,
    rate: f64,
    seconds: f64,
    connections: usize,
}

fn usage() -> ! {
    eprintln!(
        "usage: serve_open --base http://HOST:PORT --paths FILE --rate PER_SECOND \
         [--seconds 20] [--connections 16]"
    );
    std::process::exit(2)
}

/// The arguments, or `None` when run by `cargo bench` with none of ours.
fn args() -> Option<Args> {
    let mut base = None;
    let mut paths = None;
    let (mut rate, mut seconds, mut connections) = (None, 20.0, 16);
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let mut value = || it.next().unwrap_or_else(|| usage());
        match a.as_str() {
            "--base" => base = Some(value()),
            "--paths" => paths = Some(value()),
            "--rate" => rate = value().parse::<f64>().ok(),
            "--seconds" => seconds = value().parse().unwrap_or_else(|_| usage()),
            "--connections" => connections = value().parse().unwrap_or_else(|_| usage()),
            "--bench" => {}
            _ => usage(),
        }
    }
    let base = base?;
    let authority = base
        .strip_prefix("http://")
        .unwrap_or_else(|| usage())
        .trim_end_matches('/')
        .to_owned();
    let file = paths.unwrap_or_else(|| usage());
    let paths: Vec<String> = std::fs::read_to_string(&file)
        .unwrap_or_else(|e| {
            eprintln!("serve_open: cannot read {file}: {e}");
            std::process::exit(2)
        })
        .lines()
        .filter(|l| l.starts_with('/'))
        .map(str::to_owned)
        .collect();
    let rate = rate.filter(|r| *r > 0.0).unwrap_or_else(|| usage());
    if paths.is_empty() || connections == 0 || seconds <= 0.0 {
        usage();
    }
    Some(Args {
        authority,
        paths,
        rate,
        seconds,
        connections,
    })
}

type Sender = hyper::client::conn::http1::SendRequest<Empty<Bytes>>;

async fn connect(authority: &str) -> Option<Sender> {
    let stream = TcpStream::connect(authority).await.ok()?;
    stream.set_nodelay(true).ok()?;
    let (sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream))
        .await
        .ok()?;
    tokio::spawn(conn);
    Some(sender)
}

/// One request and its whole body; whether it was answered with a 200.
async fn ask(sender: &mut Sender, authority: &str, path: &str) -> bool {
    let Ok(req) = hyper::Request::get(path)
        .header(hyper::header::HOST, authority)
        .body(Empty::new())
    else {
        return false;
    };
    if sender.ready().await.is_err() {
        return false;
    }
    match sender.send_request(req).await {
        Ok(res) => {
            let ok = res.status() == hyper::StatusCode::OK;
            res.into_body().collect().await.is_ok() && ok
        }
        Err(_) => false,
    }
}

/// Connection `c` of `n`: its share of the schedule; the latency of each of
/// its requests from its due time, and how many failed.
async fn run_connection(
    c: usize,
    n: usize,
    total: usize,
    start: tokio::time::Instant,
    args: &Args,
) -> (Vec<Duration>, usize) {
    let mut latencies = Vec::with_capacity(total / n + 1);
    let mut errors = 0;
    let mut sender = connect(&args.authority).await;
    for i in (c..total).step_by(n) {
        let due = start + Duration::from_secs_f64(i as f64 / args.rate);
        // A connection still busy at its request's due time makes the
        // request wait: that wait is the server's, and counts. A connection
        // free before it sleeps till then, and tokio's timer wakes it up to
        // a millisecond late: that lateness is the client's, and does not.
        let from = if tokio::time::Instant::now() < due {
            tokio::time::sleep_until(due).await;
            tokio::time::Instant::now()
        } else {
            due
        };
        let path = &args.paths[i % args.paths.len()];
        let ok = match sender.as_mut() {
            Some(s) => ask(s, &args.authority, path).await,
            None => false,
        };
        latencies.push(from.elapsed());
        if !ok {
            errors += 1;
            sender = connect(&args.authority).await;
        }
    }
    (latencies, errors)
}

fn percentile(sorted: &[Duration], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let at = ((sorted.len() as f64 * p / 100.0).ceil() as usize).clamp(1, sorted.len()) - 1;
    sorted[at].as_secs_f64() * 1e3
}

fn main() {
    let Some(args) = args() else {
        eprintln!("serve_open: give --base, --paths and --rate (see benches/serve_load.sh)");
        return;
    };
    // One thread: the client's own work stays on one core, as wrk's does
    // in serve_load.sh.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime");
    let total = (args.rate * args.seconds).round() as usize;
    let began = Instant::now();
    let args = Arc::new(args);
    let (mut latencies, errors) = rt.block_on(async {
        let start = tokio::time::Instant::now();
        let tasks: Vec<_> = (0..args.connections)
            .map(|c| {
                let args = Arc::clone(&args);
                tokio::spawn(async move {
                    run_connection(c, args.connections, total, start, &args).await
                })
            })
            .collect();
        let mut latencies = Vec::with_capacity(total);
        let mut errors = 0;
        for task in tasks {
            let (l, e) = task.await.expect("a connection's task");
            latencies.extend(l);
            errors += e;
        }
        (latencies, errors)
    });
    let wall = began.elapsed().as_secs_f64();
    latencies.sort_unstable();
    println!(
        "RESULT rate={:.0} reached={:.0} requests={} errors={} p50_ms={:.2} p90_ms={:.2} \
         p99_ms={:.2} max_ms={:.2}",
        args.rate,
        latencies.len() as f64 / wall,
        latencies.len(),
        errors,
        percentile(&latencies, 50.0),
        percentile(&latencies, 90.0),
        percentile(&latencies, 99.0),
        percentile(&latencies, 100.0),
    );
}
