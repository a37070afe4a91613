//! The restJson1 client core (being written).
