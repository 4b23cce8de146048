//! `messenger-demo-server [--port N] [--token-ttl SECONDS] [--data-dir PATH] [--www PATH]
//! [--dist PATH] [--emulator-db PATH]`, with `ADMIN_TOKEN` from the environment: see `--help`.

use std::process::ExitCode;

use messenger_demo_server::{parse_args, run, Command};

fn main() -> ExitCode {
    let args = std::env::args_os()
        .skip(1)
        .map(|arg| arg.to_string_lossy().into_owned());
    let mut config = match parse_args(args) {
        Ok(Command::Serve(config)) => config,
        Ok(Command::Help) => {
            println!("{}", messenger_demo_server::config::USAGE);
            return ExitCode::SUCCESS;
        }
        Err(message) => {
            eprintln!("messenger-demo-server: {message}");
            return ExitCode::from(2);
        }
    };
    config.admin_token = std::env::var("ADMIN_TOKEN")
        .ok()
        .filter(|token| !token.is_empty());
    // One thread: a demo serves one developer's browser, and signing takes microseconds.
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(e) => {
            eprintln!("messenger-demo-server: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(run(config)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("messenger-demo-server: {message}");
            ExitCode::FAILURE
        }
    }
}
