//! A crate a user wrote against version 1 of the Catalogue model's generated crate
//! (tests/fixtures/models/evolution_v1.smithy): a server implementation, code that reads
//! the model's types, matches its enums, unions and errors, and calls it through the
//! generated client. `evolution-user-v1` builds it against version 1 and `evolution-user-v2`
//! against version 2, which adds an optional member, an enum value, a union member, an error
//! and an operation. Both build and pass the same tests: that is what "a compatible model
//! change does not break the users' code" means.
//!
//! Nothing here may mention what only version 2 has.

use std::sync::Mutex;

use catalogue::error::{GetBookError, ListBooksError};
use catalogue::service::Catalogue;
use catalogue::types::{
    Book, BookNotFound, Format, Genre, GetBookInput, GetBookOutput, ListBooksInput, ListBooksOutput,
};

/// An in-memory catalogue: the user's implementation of the service.
#[derive(Debug, Default)]
pub struct Shelf {
    books: Mutex<Vec<Book>>,
}

impl Shelf {
    /// A shelf holding `books`.
    pub fn new(books: Vec<Book>) -> Self {
        Self { books: Mutex::new(books) }
    }

    fn books(&self) -> Vec<Book> {
        self.books.lock().map(|books| books.clone()).unwrap_or_default()
    }
}

impl Catalogue for Shelf {
    async fn get_book(&self, input: GetBookInput) -> Result<GetBookOutput, GetBookError> {
        let found = self.books().into_iter().find(|book| book.id() == input.id());
        match found {
            Some(book) => Ok(GetBookOutput::builder().book(book).build()?),
            None => Err(BookNotFound::builder().message(format!("no book {}", input.id())).build().into()),
        }
    }

    async fn list_books(&self, input: ListBooksInput) -> Result<ListBooksOutput, ListBooksError> {
        let wanted = |book: &Book| input.genre().is_none() || book.genre() == input.genre();
        let books: Vec<Book> = self.books().into_iter().filter(wanted).collect();
        Ok(ListBooksOutput::builder().books(books).build())
    }
}

/// One line about a book, for a listing.
pub fn describe(book: &Book) -> String {
    // The model may grow genres and formats: a newer service can send ones this code has
    // never heard of, so both matches keep a catch-all.
    let genre = match book.genre() {
        Some(Genre::Fiction) => "fiction",
        Some(Genre::History) => "history",
        Some(_) => "another genre",
        None => "no genre",
    };
    let format = match book.format() {
        Some(Format::Paper(pages)) => format!("{pages} pages"),
        Some(Format::Audio(minutes)) => format!("{minutes} minutes"),
        Some(_) => "another format".to_owned(),
        None => "no format".to_owned(),
    };
    format!("{} ({genre}, {format})", book.title())
}

/// What to tell a person whose GetBook call failed.
pub fn explain(error: &GetBookError) -> String {
    match error {
        GetBookError::BookNotFound(not_found) => {
            format!("not in the catalogue: {}", not_found.message().unwrap_or("no message"))
        }
        other => format!("the catalogue failed: {other}"),
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)] // a test that cannot unwrap has failed

    use catalogue::client::{Client, Config, RetryConfig};
    use catalogue::server::{server, ServerConfig};
    use smithy_runtime::client::ServiceTransport;

    use super::*;

    fn dune() -> Book {
        Book::builder().id("b-1").title("Dune").genre(Genre::Fiction).format(Format::Paper(412)).build().unwrap()
    }

    fn client(shelf: Shelf) -> Client {
        let transport = ServiceTransport::new(server(shelf, ServerConfig::new()));
        let config =
            Config::new().endpoint_url("http://books.local").retry(RetryConfig::disabled()).transport(transport);
        Client::new(config).unwrap()
    }

    #[test]
    fn a_builder_names_every_required_member_left_unset() {
        let error = Book::builder().genre(Genre::History).build().unwrap_err();
        assert_eq!(error.missing_members(), ["id", "title"]);
        assert_eq!(error.to_string(), "cannot build Book: required members are not set: `id`, `title`");
    }

    #[test]
    fn accessors_read_what_the_builder_set() {
        let book = dune();
        assert_eq!((book.id(), book.title()), ("b-1", "Dune"));
        assert_eq!(book.genre(), Some(&Genre::Fiction));
        assert_eq!(describe(&book), "Dune (fiction, 412 pages)");
        let unknown = Book::builder().id("b-2").title("?").genre(Genre::from("POETRY")).build().unwrap();
        assert_eq!(describe(&unknown), "? (another genre, no format)");
    }

    #[test]
    fn equal_values_hash_alike() {
        let set: std::collections::HashSet<Book> = [dune(), dune()].into_iter().collect();
        assert_eq!(set.len(), 1);
        assert_eq!(ListBooksInput::default(), ListBooksInput::builder().build());
    }

    #[tokio::test]
    async fn the_implementation_serves_the_generated_client() {
        let client = client(Shelf::new(vec![dune()]));
        let found = client.get_book().id("b-1").send().await.unwrap();
        assert_eq!(found.book(), &dune());
        let listed =
            Catalogue::list_books(&client, ListBooksInput::builder().genre(Genre::History).build()).await.unwrap();
        assert_eq!(listed.books(), Some(&[][..]));
        let missing =
            Catalogue::get_book(&client, GetBookInput::builder().id("b-9").build().unwrap()).await.unwrap_err();
        assert_eq!(explain(&missing), "not in the catalogue: no book b-9");
    }
}
