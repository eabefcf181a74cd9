//! A real `jianghua serve` on an ephemeral loopback port, for the API,
//! freshness and browser tests: started with `--addr 127.0.0.1:0`, its
//! address read from the first line it prints, stopped with SIGTERM (and
//! killed if it does not stop) when dropped.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// A running server.
pub struct Server {
    child: Child,
    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub base: String,
    agent: ureq::Agent,
}

/// One answer: status, content type, body.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The HTTP status.
    pub status: u16,
    /// The `content-type` header.
    pub content_type: String,
    /// Every header, lower-case name → value.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
}

impl Answer {
    /// The body as JSON (panics with the body when it is not).
    pub fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.body))
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

impl Server {
    /// Starts `jianghua --index INDEX serve --addr 127.0.0.1:0 EXTRA…`.
    pub fn start(index: &Path, extra: &[&str]) -> Server {
        let mut child = Command::new(super::bin())
            .arg("--index")
            .arg(index)
            .args(["serve", "--addr", "127.0.0.1:0"])
            .args(extra)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start jianghua serve");
        let stdout = child.stdout.take().expect("stdout");
        let mut line = String::new();
        let read = BufReader::new(stdout).read_line(&mut line);
        if read.is_err() || !line.starts_with("http://") {
            let _ = child.kill();
            let mut err = String::new();
            if let Some(mut e) = child.stderr.take() {
                let _ = e.read_to_string(&mut err);
            }
            panic!("jianghua serve did not print its address: {line:?} {err}");
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_global(Some(Duration::from_secs(30)))
            .build();
        Server {
            child,
            base: line.trim().trim_end_matches('/').to_owned(),
            agent: ureq::Agent::new_with_config(config),
        }
    }

    /// `GET base + path_and_query` (the caller encodes the query).
    pub fn get(&self, path_and_query: &str) -> Answer {
        self.try_get(path_and_query)
            .unwrap_or_else(|e| panic!("GET {path_and_query}: {e}"))
    }

    /// `GET`, or the transport error.
    pub fn try_get(&self, path_and_query: &str) -> Result<Answer, ureq::Error> {
        let url = format!("{}{}", self.base, path_and_query);
        let mut r = self.agent.get(&url).call()?;
        let status = r.status().as_u16();
        let headers: Vec<(String, String)> = r
            .headers()
            .iter()
            .map(|(k, v)| (k.as_str().to_owned(), v.to_str().unwrap_or("").to_owned()))
            .collect();
        let content_type = headers
            .iter()
            .find(|(k, _)| k == "content-type")
            .map(|(_, v)| v.clone())
            .unwrap_or_default();
        let body = r.body_mut().read_to_string()?;
        Ok(Answer {
            status,
            content_type,
            headers,
            body,
        })
    }

    /// Sends SIGTERM and waits (at most `within`) for the exit status.
    pub fn stop(&mut self, within: Duration) -> Option<std::process::ExitStatus> {
        // SAFETY: kill(2) on our own child's pid.
        unsafe {
            libc::kill(self.child.id() as i32, libc::SIGTERM);
        }
        let start = Instant::now();
        while start.elapsed() < within {
            if let Ok(Some(status)) = self.child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }

    /// What the server wrote on stderr so far (after it stopped).
    pub fn stderr(&mut self) -> String {
        let mut err = String::new();
        if let Some(mut e) = self.child.stderr.take() {
            let _ = e.read_to_string(&mut err);
        }
        err
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if self.stop(Duration::from_secs(5)).is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
    }
}

/// An index at `dir/ix` of the fixture pages (copied to `dir/pages`) and
/// one more page, `extra` = (file name, text): a hostile one, for the web
/// tests.
pub fn fixture_index_with(dir: &Path, extra: (&str, &str)) -> std::path::PathBuf {
    let pages = dir.join("pages");
    std::fs::create_dir(&pages).expect("pages folder");
    let fixtures = super::repo_root().join("tests/fixtures/pages");
    for entry in std::fs::read_dir(fixtures).expect("the fixture pages") {
        let entry = entry.expect("a fixture");
        std::fs::copy(entry.path(), pages.join(entry.file_name())).expect("copy a fixture");
    }
    std::fs::write(pages.join(extra.0), extra.1).expect("write the extra page");
    let index = dir.join("ix");
    super::ingest(&index, &[&pages]);
    index
}

/// Percent-encodes a query value.
pub fn enc(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}
