//! Running the server: the emulator and the keys, bind to 127.0.0.1, print the URL and the
//! admin token, serve until Ctrl-C or SIGTERM.

use std::net::Ipv4Addr;
use std::sync::Arc;

use tokio::net::TcpListener;

use crate::app::{app, AppState};
use crate::emulator::{AdminToken, Emulator};
use crate::keys::{create_private_dir, SigningKeys};
use crate::Config;

/// Everything the site needs, as `config` says: the data folder, the emulator's database, the
/// site's keys (the messaging key obtained from the emulator), the admin token.
pub fn build_state(config: &Config) -> Result<Arc<AppState>, String> {
    create_private_dir(&config.data_dir)
        .map_err(|e| format!("cannot create {}: {e}", config.data_dir.display()))?;
    let db = config.emulator_db_path();
    let emulator = Emulator::open(&db)
        .map_err(|e| format!("cannot open the emulator's database {}: {e}", db.display()))?;
    let keys =
        SigningKeys::load_or_create(&config.data_dir, &emulator).map_err(|e| e.to_string())?;
    let admin_token = match &config.admin_token {
        Some(token) => AdminToken::given(token)?,
        None => AdminToken::random(),
    };
    Ok(AppState::new(keys, config.token_ttl, emulator, admin_token))
}

/// Serves until a shutdown signal. The first line printed is the URL (`--port 0` callers read
/// the chosen port from it), the second `admin token: <token>`. The error is a message for the
/// terminal.
pub async fn run(config: Config) -> Result<(), String> {
    let state = build_state(&config)?;
    let listener = TcpListener::bind((Ipv4Addr::LOCALHOST, config.port))
        .await
        .map_err(|e| {
            format!(
                "cannot listen on 127.0.0.1:{}: {e} (choose another with --port or PORT=)",
                config.port
            )
        })?;
    let port = listener.local_addr().map_err(|e| e.to_string())?.port();
    let shutdown = shutdown_signal();

    let url = format!("http://127.0.0.1:{port}/");
    let token = state.admin_token.as_str();
    println!("{url}");
    println!("admin token: {token}");
    // The token in the fragment: the pages read it there, and a fragment never reaches a server
    // or its log. Only when it needs no escaping (a random token never does).
    if token
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"-_.~".contains(&b))
    {
        println!("emulator: {url}admin#token={token} · agents: {url}agent#token={token}");
    }
    if !config.dist.join("messenger.js").is_file() {
        eprintln!(
            "demo server: {}/messenger.js is missing: run `npm run build`",
            config.dist.display()
        );
    }
    axum::serve(listener, app(state, &config))
        .with_graceful_shutdown(shutdown)
        .await
        .map_err(|e| format!("server failed: {e}"))
}

/// Resolves on Ctrl-C or SIGTERM. The handlers are registered by this call, not when the future
/// is first polled: a caller that stops the server as soon as it has read the URL (a test) stops
/// it cleanly. A signal that cannot be watched keeps its default action.
#[cfg(unix)]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    use tokio::signal::unix::{signal, Signal, SignalKind};
    async fn received(signal: Option<Signal>) {
        match signal {
            Some(mut signal) => {
                signal.recv().await;
            }
            None => std::future::pending().await,
        }
    }
    let interrupt = signal(SignalKind::interrupt()).ok();
    let terminate = signal(SignalKind::terminate()).ok();
    async move {
        tokio::select! {
            () = received(interrupt) => {},
            () = received(terminate) => {},
        }
    }
}

#[cfg(not(unix))]
fn shutdown_signal() -> impl std::future::Future<Output = ()> {
    async {
        let _ = tokio::signal::ctrl_c().await;
    }
}
