//! The engine's error type.

use thiserror::Error;

/// Everything that can go wrong inside the engine. Every variant names the offending input,
/// so a message can be shown to a user as it is.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum EngineError {
    /// A parameter lies outside its allowed range.
    #[error("{name} must be {allowed}, got {got}")]
    OutOfRange {
        /// Parameter name, as the user spells it.
        name: &'static str,
        /// The allowed range, in words.
        allowed: String,
        /// The offending value.
        got: String,
    },
    /// Matrix or vector shapes do not agree.
    #[error("shape mismatch: {0}")]
    Shape(String),
    /// A value that must be finite is not.
    #[error("{0} must be a finite number")]
    NonFinite(&'static str),
    /// Not enough data to do what was asked.
    #[error("{0}")]
    Insufficient(String),
}

/// Shorthand for results of engine functions.
pub type Result<T> = std::result::Result<T, EngineError>;
