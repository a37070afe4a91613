//! Paginators: the pages of a `@paginated` operation as a `Stream`, each call carrying the
//! previous page's token, until a page has no next token or repeats the one it was asked
//! with (some services answer the last page's token again).

use std::future::Future;

use futures_core::Stream;
use futures_util::stream::{self, StreamExt};

/// Where a paginator is: the input of the next call and the token it carries, an input that
/// could not be built, or done.
enum State<I, T, E> {
    Next { input: I, sent: Option<T> },
    Failed(E),
    Done,
}

/// The pages of calls of `call`, starting with `first`: `next_token` reads a page's next
/// token (`None` when there is none), `set_token` puts it into the next input. A failed call
/// is the last item: the stream ends with the error, it never retries on its own (the
/// client's retries have already run). A first input that could not be built (`Err`) is the
/// stream's only item.
pub fn paginate<I, O, E, T, F, Fut>(
    first: Result<I, E>,
    mut call: F,
    next_token: fn(&O) -> Option<T>,
    set_token: fn(&mut I, T),
) -> impl Stream<Item = Result<O, E>>
where
    I: Clone,
    T: Clone + PartialEq,
    F: FnMut(I) -> Fut,
    Fut: Future<Output = Result<O, E>>,
{
    let start = match first {
        Ok(input) => State::Next { input, sent: None },
        Err(error) => State::Failed(error),
    };
    stream::unfold(start, move |state| {
        let (mut input, sent) = match state {
            State::Next { input, sent } => (input, sent),
            State::Failed(error) => {
                return futures_util::future::Either::Left(std::future::ready(Some((Err(error), State::Done))));
            }
            State::Done => return futures_util::future::Either::Left(std::future::ready(None)),
        };
        let response = call(input.clone());
        futures_util::future::Either::Right(async move {
            match response.await {
                Err(error) => Some((Err(error), State::Done)),
                Ok(page) => {
                    let next = match next_token(&page) {
                        Some(token) if sent.as_ref() != Some(&token) => {
                            set_token(&mut input, token.clone());
                            State::Next { input, sent: Some(token) }
                        }
                        _ => State::Done,
                    };
                    Some((Ok(page), next))
                }
            }
        })
    })
}

/// The items of `pages`, page after page; an error ends the stream as it ended the pages.
pub fn items<O, E, T, It>(
    pages: impl Stream<Item = Result<O, E>>,
    items_of: fn(O) -> It,
) -> impl Stream<Item = Result<T, E>>
where
    It: IntoIterator<Item = T>,
{
    pages.flat_map(move |page| {
        let items: Vec<Result<T, E>> = match page {
            Ok(page) => items_of(page).into_iter().map(Ok).collect(),
            Err(error) => vec![Err(error)],
        };
        stream::iter(items)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A service of 7 items in pages of `limit`, whose last page repeats its token when
    /// `repeat_at_end`.
    async fn pages(limit: usize, repeat_at_end: bool) -> Vec<Result<Vec<usize>, String>> {
        let call = move |from: usize| async move {
            let to = (from + limit).min(7);
            let items: Vec<usize> = (from..to).collect();
            let next = if to < 7 {
                Some(to)
            } else if repeat_at_end {
                Some(from)
            } else {
                None
            };
            Ok::<_, String>((items, next))
        };
        let stream =
            paginate(Ok(0usize), call, |page: &(Vec<usize>, Option<usize>)| page.1, |input, token| *input = token);
        let collected: Vec<_> = stream.collect().await;
        collected.into_iter().map(|page| page.map(|(items, _)| items)).collect()
    }

    #[tokio::test]
    async fn pages_follow_the_token_until_there_is_none() {
        assert_eq!(pages(3, false).await, vec![Ok(vec![0, 1, 2]), Ok(vec![3, 4, 5]), Ok(vec![6])]);
    }

    #[tokio::test]
    async fn a_repeated_token_ends_the_pages() {
        assert_eq!(pages(3, true).await, vec![Ok(vec![0, 1, 2]), Ok(vec![3, 4, 5]), Ok(vec![6])]);
    }

    #[tokio::test]
    async fn an_error_is_the_last_item() {
        let call = |n: u32| async move {
            if n < 2 {
                Ok(n)
            } else {
                Err("throttled")
            }
        };
        let stream = items(paginate(Ok(0), call, |page: &u32| Some(page + 1), |input, token| *input = token), |n| [n]);
        let seen: Vec<_> = stream.collect().await;
        assert_eq!(seen, vec![Ok(0), Ok(1), Err("throttled")]);
    }

    #[tokio::test]
    async fn an_input_that_could_not_be_built_is_the_only_item() {
        let call = |n: u32| async move { Ok::<u32, &str>(n) };
        let stream = paginate(Err("no table name"), call, |_: &u32| None::<u32>, |input, token| *input = token);
        assert_eq!(stream.collect::<Vec<_>>().await, vec![Err("no table name")]);
    }
}
