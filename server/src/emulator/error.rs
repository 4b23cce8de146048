//! Why an emulator request did not happen. Each maps to one HTTP answer (routes/emulator).

use messenger_emulator::{InputError, KeyRefusal, Rejection};

use super::store::StoreError;

#[derive(Debug)]
pub enum EmulatorError {
    /// The token or the login is refused (401 `{"error": <reason>}`).
    Refused(Rejection),
    /// There are 10 keys already (409 `{"error": "key_limit"}`).
    KeyLimit,
    /// No key has this kid (404).
    NoSuchKey,
    /// The request is wrong; the text says how (400).
    BadInput(String),
    /// The database failed (500; the cause goes to the server's log only).
    Store(StoreError),
}

impl From<StoreError> for EmulatorError {
    fn from(error: StoreError) -> Self {
        EmulatorError::Store(error)
    }
}

impl From<Rejection> for EmulatorError {
    fn from(rejection: Rejection) -> Self {
        EmulatorError::Refused(rejection)
    }
}

impl From<InputError> for EmulatorError {
    fn from(error: InputError) -> Self {
        EmulatorError::BadInput(error.0)
    }
}

impl From<KeyRefusal> for EmulatorError {
    fn from(refusal: KeyRefusal) -> Self {
        match refusal {
            KeyRefusal::KeyLimit => EmulatorError::KeyLimit,
            KeyRefusal::BadName(why) => EmulatorError::BadInput(why.to_owned()),
        }
    }
}

impl std::fmt::Display for EmulatorError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            EmulatorError::Refused(rejection) => write!(f, "refused: {rejection}"),
            EmulatorError::KeyLimit => f.write_str("key_limit"),
            EmulatorError::NoSuchKey => f.write_str("no key with this kid"),
            EmulatorError::BadInput(why) => f.write_str(why),
            EmulatorError::Store(error) => write!(f, "{error}"),
        }
    }
}
