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
    /// The rest of its output, line by line.
    lines: std::io::Lines<BufReader<std::process::ChildStdout>>,
}

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn start(data_dir: &std::path::Path) -> Running {
    start_with(data_dir, None)
}

/// Starts the binary; `admin_token` is its ADMIN_TOKEN (none: unset).
fn start_with(data_dir: &std::path::Path, admin_token: Option<&str>) -> Running {
    let www = concat!(env!("CARGO_MANIFEST_DIR"), "/../www");
    let mut command = Command::new(BINARY);
    command
        .args(["--port", "0", "--token-ttl", "90", "--www", www, "--dist"])
        .arg(data_dir.join("no-dist"))
        .arg("--data-dir")
        .arg(data_dir)
        .env_remove("ADMIN_TOKEN")
        .stdout(Stdio::piped())
        .stderr(Stdio::null());
    if let Some(token) = admin_token {
        command.env("ADMIN_TOKEN", token);
    }
    let mut child = command.spawn().unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let first_line = lines.next().unwrap().unwrap();
    Running {
        child,
        url: first_line.trim_end().to_owned(),
        lines,
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

#[test]
fn the_second_line_is_the_admin_token_random_unless_given() {
    let data = common::TempDir::new();
    let mut first = start(data.path());
    let random = first.lines.next().unwrap().unwrap();
    let token = random.strip_prefix("admin token: ").unwrap().to_owned();
    assert_eq!(token.len(), 43, "{random}");
    let links = first.lines.next().unwrap().unwrap();
    assert_eq!(
        links,
        format!(
            "emulator: {0}admin#token={token} · agents: {0}agent#token={token}",
            first.url
        )
    );
    let (status, _) = request(
        &first.url,
        &format!("GET /admin/keys HTTP/1.1\r\nAuthorization: Bearer {token}"),
        "",
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    let (status, _) = request(&first.url, "GET /admin/keys HTTP/1.1", "");
    assert_eq!(status, "HTTP/1.1 401 Unauthorized");
    drop(first);

    let mut second = start(data.path());
    let again = second.lines.next().unwrap().unwrap();
    assert_ne!(again, random, "a new token each start");
    drop(second);

    let mut given = start_with(data.path(), Some("my-own-token"));
    assert_eq!(
        given.lines.next().unwrap().unwrap(),
        "admin token: my-own-token"
    );
    let (status, body) = request(
        &given.url,
        "GET /admin/keys HTTP/1.1\r\nAuthorization: Bearer my-own-token",
        "",
    );
    assert_eq!(status, "HTTP/1.1 200 OK");
    assert!(body.contains("Northwind Outfitters (demo site)"), "{body}");
}

#[test]
fn each_api_request_is_a_line_but_the_agents_polls() {
    let data = common::TempDir::new();
    let mut server = start_with(data.path(), Some("t0ken"));
    let _admin_lines = (server.lines.next(), server.lines.next());
    request(
        &server.url,
        "GET /agent/users HTTP/1.1\r\nAuthorization: Bearer t0ken",
        "",
    );
    request(&server.url, "GET /agent/users HTTP/1.1", "");
    request(&server.url, "GET /me HTTP/1.1", "");
    let logged: Vec<String> = server.lines.by_ref().take(2).map(Result::unwrap).collect();
    assert_eq!(logged, ["GET /agent/users 401", "GET /me 200"]);
}

#[test]
fn a_bad_admin_token_is_a_clear_error() {
    let data = common::TempDir::new();
    let output = Command::new(BINARY)
        .args(["--port", "0", "--data-dir"])
        .arg(data.path())
        .env("ADMIN_TOKEN", "has space")
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&output.stderr).contains("ADMIN_TOKEN must be printable ASCII"));
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
