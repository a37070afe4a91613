//! chime-local: a local Amazon Chime service for development and tests, built on the
//! generated `chime` crate. It serves CreateAccount, UpdateAccount, UpdateUser and
//! BatchUpdateUser over restJson1 with SigV4 verification, so that boto3, the AWS CLI and the
//! AWS SDKs can talk to it with only an endpoint URL and credentials set.

pub mod cli;
pub mod log;
pub mod service;
pub mod store;

pub use log::RequestLog;
pub use service::ChimeLocal;
pub use store::{State, Store};
