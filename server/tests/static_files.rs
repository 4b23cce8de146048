//! The demo pages and the SDK are served, HTML pages with the Content-Security-Policy SPEC.md
//! promises the SDK works under.
mod common;

use axum::http::{header, StatusCode};
use common::{repo_www, Site, TempDir};
use messenger_demo_server::csp::{
    content_security_policy, inline_script, script_hash, STUB_SNIPPET,
};

#[tokio::test]
async fn html_pages_get_the_strict_policy_with_the_stub_hash() {
    let site = Site::new();
    let answer = site.get("/", None).await;
    assert_eq!(answer.status, StatusCode::OK);
    assert!(answer.header(header::CONTENT_TYPE).starts_with("text/html"));
    let policy = answer.header(header::CONTENT_SECURITY_POLICY).to_owned();
    let stub = std::fs::read_to_string(repo_www().join(STUB_SNIPPET)).unwrap();
    let stub_hash = script_hash(inline_script(&stub).unwrap());
    assert!(
        policy.contains(&format!(
            "script-src 'self' 'wasm-unsafe-eval' {stub_hash};"
        )),
        "{policy}"
    );
    assert!(
        !policy.contains("unsafe-inline") && !policy.contains("'unsafe-eval'"),
        "{policy}"
    );
    assert_eq!(answer.header(header::CACHE_CONTROL), "no-cache");
    assert_eq!(answer.header(header::X_CONTENT_TYPE_OPTIONS), "nosniff");
}

#[tokio::test]
async fn every_inline_script_of_the_demo_pages_is_the_stub() {
    // The policy allows one inline script: a page that pastes anything else (or an edited stub)
    // would be blocked in the browser. Check every page of www/ here, where the message is clear.
    let stub = std::fs::read_to_string(repo_www().join(STUB_SNIPPET)).unwrap();
    let stub_code = inline_script(&stub).unwrap();
    let mut pages = 0;
    for entry in std::fs::read_dir(repo_www()).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|ext| ext != "html") {
            continue;
        }
        pages += 1;
        let html = std::fs::read_to_string(&path).unwrap();
        for (index, piece) in html.split("<script").skip(1).enumerate() {
            let (attributes, rest) = piece.split_once('>').unwrap();
            if attributes.contains("src=") {
                continue;
            }
            let code = &rest[..rest.find("</script>").unwrap()];
            assert_eq!(
                code,
                stub_code,
                "{}: inline script {index} is not the stub of {STUB_SNIPPET}",
                path.display()
            );
        }
        assert!(
            !html.contains(" onclick=") && !html.contains(" onload="),
            "{}: inline handlers are blocked by the CSP",
            path.display()
        );
    }
    assert!(pages >= 3, "index.html, callback.html and preload.html");
}

#[tokio::test]
async fn the_sdk_is_served_from_dist_with_its_types_and_no_policy() {
    let site = Site::new();
    let script = site.get("/messenger/messenger.js", None).await;
    assert_eq!(script.status, StatusCode::OK);
    assert_eq!(script.header(header::CONTENT_TYPE), "text/javascript");
    assert!(script
        .headers
        .get(header::CONTENT_SECURITY_POLICY)
        .is_none());
    let wasm = site.get("/messenger/messenger_bg.wasm", None).await;
    assert_eq!(wasm.status, StatusCode::OK);
    assert_eq!(wasm.header(header::CONTENT_TYPE), "application/wasm");
    assert_eq!(&wasm.body[..4], b"\0asm");
}

#[tokio::test]
async fn no_way_out_of_the_served_folders() {
    let site = Site::new();
    for path in [
        "/../Cargo.toml",
        "/%2e%2e/Cargo.toml",
        "/messenger/../../Cargo.toml",
        "/sdk/%2e%2e/%2e%2e/server/Cargo.toml",
        "/no-such-page.html",
    ] {
        let answer = site.get(path, None).await;
        assert_eq!(answer.status, StatusCode::NOT_FOUND, "{path}");
        assert!(
            !String::from_utf8_lossy(&answer.body).contains("[package]"),
            "{path}"
        );
    }
}

#[test]
fn without_a_stub_snippet_the_policy_allows_no_inline_script() {
    let www = TempDir::new();
    let without = content_security_policy(www.path());
    assert!(
        without.contains("script-src 'self' 'wasm-unsafe-eval';"),
        "{without}"
    );
    std::fs::create_dir(www.path().join("sdk")).unwrap();
    std::fs::write(www.path().join(STUB_SNIPPET), "<script>a()</script>\n").unwrap();
    let with = content_security_policy(www.path());
    assert!(
        with.contains(&format!("'wasm-unsafe-eval' {};", script_hash("a()"))),
        "{with}"
    );
}
