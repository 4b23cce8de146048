//! Running the server: keys, bind to 127.0.0.1, print the URL, serve until Ctrl-C or SIGTERM.

use std::net::Ipv4Addr;

use tokio::net::TcpListener;

use crate::app::{app, AppState};
use crate::keys::SigningKeys;
use crate::Config;

/// Serves until a shutdown signal. The first line printed is the URL (`--port 0` callers read
/// the chosen port from it). The error is a message for the terminal.
pub async fn run(config: Config) -> Result<(), String> {
    let keys = SigningKeys::load_or_create(&config.data_dir).map_err(|e| e.to_string())?;
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

    println!("http://127.0.0.1:{port}/");
    if !config.dist.join("messenger.js").is_file() {
        eprintln!(
            "demo server: {}/messenger.js is missing: run `npm run build`",
            config.dist.display()
        );
    }
    let state = AppState::new(keys, config.token_ttl);
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
