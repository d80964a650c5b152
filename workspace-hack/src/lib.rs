//! One set of features for each dependency, whichever command builds it.
//!
//! Cargo gives a dependency the features that the packages one command names
//! ask for. So `cargo run -p ch01-sequential`, `cargo run -p exercises`,
//! `serve` and `compare` each built tokio, hyper and reqwest again, each with
//! features of its own: a learner waited for the same crates four times, and
//! CI did too.
//!
//! This crate asks for each dependency that two commands would build with
//! different features, with all of them (but for `speak`'s translations),
//! and `web` depends on it. Every crate here but `platform` depends on
//! `web`, so every command resolves these dependencies alike and builds them
//! once.
//! It is the "workspace hack" of cargo-hakari, the ecosystem's tool for it:
//! its `Cargo.toml` is written by `cargo hakari generate` (see
//! CONTRIBUTING.md), not by hand.
//!
//! # Layout
//!
//! No code: the crate is its `Cargo.toml`.
