//! The golden output of the `hostile` fixture, compiled as a library with every warning denied.
//!
//! If the generator emits Rust that does not compile, or that warns (unused items, missing docs,
//! shadowed prelude names), this crate fails to build.
#![deny(warnings, missing_docs)]

#[rustfmt::skip]
#[path = "../../tests/golden/hostile/hostile/mod.rs"]
pub mod hostile;
