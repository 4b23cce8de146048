//! Command-line options. Hand-parsed: five flags do not need an argument-parsing crate.

use std::path::PathBuf;

/// The longest token lifetime the server signs, in seconds (one day).
pub const MAX_TOKEN_TTL: u64 = 86_400;

/// How the server runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    /// Port on 127.0.0.1; 0 lets the OS choose one (the URL printed at start says which).
    pub port: u16,
    /// Lifetime of the tokens signed when the session asks for none, in seconds.
    pub token_ttl: u64,
    /// Where the signing keys are made on first start and read afterwards.
    pub data_dir: PathBuf,
    /// The demo pages, served at `/`.
    pub www: PathBuf,
    /// The built SDK (`npm run build`), served at `/messenger/`.
    pub dist: PathBuf,
    /// The messaging emulator's SQLite database; none: `emulator.sqlite3` in the data folder.
    /// `:memory:` keeps it in memory (gone at exit).
    pub emulator_db: Option<PathBuf>,
    /// The admin token the emulator's admin routes require; none: a new random one each start.
    /// Read from the `ADMIN_TOKEN` environment variable (never a flag: a command line is
    /// visible to every user of the machine).
    pub admin_token: Option<String>,
}

impl Config {
    /// Where the emulator's database is.
    pub fn emulator_db_path(&self) -> PathBuf {
        self.emulator_db
            .clone()
            .unwrap_or_else(|| self.data_dir.join("emulator.sqlite3"))
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            port: 8080,
            token_ttl: 600,
            data_dir: PathBuf::from(".demo-data"),
            www: PathBuf::from("www"),
            dist: PathBuf::from("dist"),
            emulator_db: None,
            admin_token: None,
        }
    }
}

/// What the command line asks for.
#[derive(Debug, PartialEq, Eq)]
pub enum Command {
    /// Serve with this configuration.
    Serve(Config),
    /// Print [`USAGE`] and exit.
    Help,
}

/// The `--help` text.
pub const USAGE: &str = "\
usage: messenger-demo-server [options]

  --port N            port on 127.0.0.1 (default 8080; 0: any free port)
  --token-ttl SECONDS lifetime of signed tokens (default 600, at most 86400)
  --data-dir PATH     signing keys, made on first start (default .demo-data)
  --www PATH          the demo pages, served at / (default www)
  --dist PATH         the built SDK, served at /messenger/ (default dist)
  --emulator-db PATH  the messaging emulator's SQLite database
                      (default: emulator.sqlite3 in the data folder; :memory: for none)
  --help              this text

Environment: ADMIN_TOKEN, the token the emulator's admin routes require (default: a new
random one each start).

Prints the URL it serves on its first line of output, then the line `admin token: <token>`.";

/// Parses the arguments (without the program name). `--name value` and `--name=value` both work.
pub fn parse_args<I, S>(args: I) -> Result<Command, String>
where
    I: IntoIterator<Item = S>,
    S: Into<String>,
{
    let mut config = Config::default();
    let mut args = args.into_iter().map(Into::into);
    while let Some(arg) = args.next() {
        if arg == "--help" || arg == "-h" {
            return Ok(Command::Help);
        }
        let (name, inline) = match arg.split_once('=') {
            Some((name, value)) => (name.to_owned(), Some(value.to_owned())),
            None => (arg, None),
        };
        let mut value = || {
            inline
                .clone()
                .or_else(|| args.next())
                .ok_or_else(|| format!("{name} needs a value"))
        };
        match name.as_str() {
            "--port" => config.port = parse_number(&name, &value()?, 0, u64::from(u16::MAX))?,
            "--token-ttl" => config.token_ttl = parse_number(&name, &value()?, 1, MAX_TOKEN_TTL)?,
            "--data-dir" => config.data_dir = value()?.into(),
            "--www" => config.www = value()?.into(),
            "--dist" => config.dist = value()?.into(),
            "--emulator-db" => config.emulator_db = Some(value()?.into()),
            _ => return Err(format!("unknown option {name} (see --help)")),
        }
    }
    Ok(Command::Serve(config))
}

/// A whole number in `min..=max`, converted to the field's type.
fn parse_number<T: TryFrom<u64>>(name: &str, text: &str, min: u64, max: u64) -> Result<T, String> {
    text.parse::<u64>()
        .ok()
        .filter(|n| (min..=max).contains(n))
        .and_then(|n| T::try_from(n).ok())
        .ok_or_else(|| format!("{name} wants a whole number from {min} to {max}, not {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serve(args: &[&str]) -> Config {
        match parse_args(args.iter().copied()) {
            Ok(Command::Serve(config)) => config,
            other => panic!("expected a config, got {other:?}"),
        }
    }

    #[test]
    fn defaults() {
        assert_eq!(serve(&[]), Config::default());
        assert_eq!(Config::default().port, 8080);
        assert_eq!(Config::default().token_ttl, 600);
    }

    #[test]
    fn every_option_in_both_spellings() {
        let config = serve(&[
            "--port",
            "0",
            "--token-ttl=90",
            "--data-dir",
            "/tmp/d",
            "--www=w",
            "--dist",
            "d",
            "--emulator-db=:memory:",
        ]);
        assert_eq!(config.port, 0);
        assert_eq!(config.token_ttl, 90);
        assert_eq!(config.data_dir, PathBuf::from("/tmp/d"));
        assert_eq!(config.www, PathBuf::from("w"));
        assert_eq!(config.dist, PathBuf::from("d"));
        assert_eq!(config.emulator_db_path(), PathBuf::from(":memory:"));
    }

    #[test]
    fn the_emulator_database_is_in_the_data_folder_by_default() {
        let config = serve(&["--data-dir", "/tmp/d"]);
        assert_eq!(
            config.emulator_db_path(),
            PathBuf::from("/tmp/d/emulator.sqlite3")
        );
    }

    #[test]
    fn help() {
        assert_eq!(parse_args(["--help"]), Ok(Command::Help));
    }

    #[test]
    fn bad_arguments_say_what_is_wrong() {
        let error = |args: &[&str]| parse_args(args.iter().copied()).unwrap_err();
        assert!(error(&["--port", "65536"]).contains("--port"));
        assert!(error(&["--port", "-1"]).contains("--port"));
        assert!(error(&["--token-ttl", "0"]).contains("--token-ttl"));
        assert!(error(&["--token-ttl", "86401"]).contains("86400"));
        assert!(error(&["--port"]).contains("needs a value"));
        assert!(error(&["--verbose"]).contains("unknown option --verbose"));
    }
}
