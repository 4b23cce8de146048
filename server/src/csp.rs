//! The Content-Security-Policy of the demo's HTML pages: the strict policy SPEC.md promises the
//! SDK works under. Scripts come from the site itself, WebAssembly may compile
//! (`'wasm-unsafe-eval'`, the SDK's only allowance), and the one inline script allowed is the
//! pre-load stub, by its hash.

use std::fs;
use std::path::Path;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use sha2::{Digest, Sha256};

/// Where, under the `www` folder, the stub snippet is (`<script>…</script>`, as pages paste it).
pub const STUB_SNIPPET: &str = "sdk/stub.html";

/// The policy for pages served from `www`; without a stub snippet there, no inline script at all.
pub fn content_security_policy(www: &Path) -> String {
    let stub_hash = fs::read_to_string(www.join(STUB_SNIPPET))
        .ok()
        .and_then(|html| inline_script(&html).map(script_hash));
    let mut script_src = String::from("'self' 'wasm-unsafe-eval'");
    if let Some(hash) = stub_hash {
        script_src.push(' ');
        script_src.push_str(&hash);
    }
    format!(
        "default-src 'self'; script-src {script_src}; style-src 'self'; img-src 'self' data:; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
    )
}

/// The text of the first inline `<script>` element of `html`.
pub fn inline_script(html: &str) -> Option<&str> {
    let start = html.find("<script>")? + "<script>".len();
    let end = start + html[start..].find("</script>")?;
    Some(&html[start..end])
}

/// The CSP source that allows exactly this inline script: `'sha256-<base64>'`.
pub fn script_hash(code: &str) -> String {
    format!(
        "'sha256-{}'",
        STANDARD.encode(Sha256::digest(code.as_bytes()))
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hash_of_the_inline_script() {
        assert_eq!(inline_script("<script>a()</script>\n"), Some("a()"));
        assert_eq!(inline_script("<p>none</p>"), None);
        // echo -n 'a()' | openssl dgst -sha256 -binary | base64
        assert_eq!(
            script_hash("a()"),
            "'sha256-qVpDBgj7bpq5hMAcGp3AOc79J3Y1Z4HvySTwKrWDoy4='"
        );
    }
}
