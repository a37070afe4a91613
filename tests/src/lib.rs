//! Integration tests live in `tests/`; this library is empty so the crate can hold them.
