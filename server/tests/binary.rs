//! The real binary, as `npm start` and the Playwright test run it: `--port 0` prints the URL it
//! chose, it serves HTTP there, and SIGTERM stops it cleanly.
mod common;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};

const BINARY: &str = env!("CARGO_BIN_EXE_messenger-demo-server");

/// A running server, killed when dropped (if a test fails half-way).
struct Running {
    child: Child,
    url: String,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data_dir: &std::path::Path) -> Running {
    let www = concat!(env!("CARGO_MANIFEST_DIR"), "/../www");
    let mut child = Command::new(BINARY)
        .args(["--port", "0", "--token-ttl", "90", "--www", www, "--dist"])
        .arg(data_dir.join("no-dist"))
        .arg("--data-dir")
        .arg(data_dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first_line = String::new();
    BufReader::new(child.stdout.as_mut().unwrap())
        .read_line(&mut first_line)
        .unwrap();
    Running {
        child,
        url: first_line.trim_end().to_owned(),
    }
}

/// One HTTP/1.1 exchange over a plain socket: the status line and the body.
fn request(url: &str, head: &str, body: &str) -> (String, String) {
    let address = url.trim_start_matches("http://").trim_end_matches('/');
    let mut stream = TcpStream::connect(address).unwrap();
    write!(
        stream,
        "{head}\r\nHost: {address}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    )
    .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (headers, body) = answer.split_once("\r\n\r\n").unwrap();
    (headers.lines().next().unwrap().to_owned(), body.to_owned())
}

#[test]
fn port_zero_prints_the_chosen_url_and_serves_there() {
    let data = common::TempDir::new();
    let server = start(data.path());
    assert!(
        server.url.starts_with("http://127.0.0.1:") && server.url.ends_with('/'),
        "{}",
        server.url
    );
    assert_ne!(server.url, "http://127.0.0.1:0/");

    let (status, body) = request(&server.url, "GET /me HTTP/1.1", "");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert_eq!(body, r#"{"user":null}"#);
    let (status, body) = request(
        &server.url,
        "POST /login HTTP/1.1\r\nContent-Type: application/json",
        r#"{"username":"ada"}"#,
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains(r#""tokenTtl":90"#), "{body}");
    let (status, _) = request(&server.url, "GET / HTTP/1.1", "");
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(data.path().join("es256-private-key.pem").is_file());
}

#[cfg(unix)]
#[test]
fn sigterm_stops_it_cleanly() {
    let data = common::TempDir::new();
    let mut server = start(data.path());
    let pid = server.child.id().to_string();
    assert!(Command::new("kill")
        .args(["-TERM", &pid])
        .status()
        .unwrap()
        .success());
    let status = server.child.wait().unwrap();
    assert!(status.success(), "{status}");
}

#[test]
fn help_and_bad_arguments() {
    let help = Command::new(BINARY).arg("--help").output().unwrap();
    assert!(help.status.success());
    assert!(String::from_utf8_lossy(&help.stdout).contains("--token-ttl"));

    let bad = Command::new(BINARY)
        .args(["--port", "http"])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--port wants a whole number"));
}

#[test]
fn a_port_in_use_is_a_clear_error() {
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = taken.local_addr().unwrap().port().to_string();
    let data = common::TempDir::new();
    let output = Command::new(BINARY)
        .args(["--port", &port, "--data-dir"])
        .arg(data.path())
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains(&format!("cannot listen on 127.0.0.1:{port}")));
}
