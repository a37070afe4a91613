//! SigV4 verification for servers (being written).
