//! What keeps an implementation of the service trait building and answering when the model
//! grows (tests/fixtures/models/evolution_v2.smithy; tests/evolution/user.rs is the crate
//! built against both versions): a method left out answers 501 `NotImplemented`, and a
//! handler's `?` on an incomplete builder answers 500 `InternalFailure`.
#![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

use fixture_evolution_v2::client::{Client, Config, RetryConfig};
use fixture_evolution_v2::error::GetBookError;
use fixture_evolution_v2::server::{server, ServerConfig};
use fixture_evolution_v2::service::Catalogue;
use fixture_evolution_v2::types::{Book, DeleteBookInput, GetBookInput, GetBookOutput};
use smithy_runtime::client::ServiceTransport;

/// Implements GetBook only, and that one badly: it forgets the book's title.
struct Careless;

impl Catalogue for Careless {
    async fn get_book(&self, input: GetBookInput) -> Result<GetBookOutput, GetBookError> {
        let book = Book::builder().id(input.id()).build()?;
        Ok(GetBookOutput::builder().book(book).build()?)
    }
}

fn client() -> Client {
    let transport = ServiceTransport::new(server(Careless, ServerConfig::new()));
    let config = Config::new().endpoint_url("http://books.local").retry(RetryConfig::disabled()).transport(transport);
    Client::new(config).unwrap()
}

#[tokio::test]
async fn an_operation_left_out_answers_501_not_implemented() {
    let input = DeleteBookInput::builder().id("b-1").build().unwrap();
    let error = Catalogue::delete_book(&client(), input).await.unwrap_err();
    assert_eq!((error.code(), error.http_status()), ("NotImplemented", 501));
    assert_eq!(error.message(), Some("this service does not implement the DeleteBook operation"));
}

#[tokio::test]
async fn an_incomplete_builder_in_a_handler_answers_500() {
    let error = Catalogue::get_book(&client(), GetBookInput::builder().id("b-1").build().unwrap()).await.unwrap_err();
    assert_eq!((error.code(), error.http_status()), ("InternalFailure", 500));
    assert_eq!(error.message(), Some("cannot build Book: required member is not set: `title`"));
}

#[test]
fn types_derive_eq_hash_and_default_where_their_members_allow() {
    fn eq_hash<T: Eq + std::hash::Hash>() {}
    fn default<T: Default>() {}
    eq_hash::<Book>();
    eq_hash::<fixture_evolution_v2::types::Format>();
    default::<fixture_evolution_v2::types::ListBooksInput>();
}
