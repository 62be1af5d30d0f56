//! The golden output of the fixtures, compiled as a library with every warning denied.
//!
//! If the generator emits Rust that does not compile, or that warns (unused items, missing docs,
//! shadowed prelude names), this crate fails to build. `hostile` has prose and every feature of
//! the spec format; `traps` is written like an imported spec (facts only) and holds the names
//! that Rust cannot take as they are: a service called `as`, members that collide in snake_case,
//! keywords, structures named like standard types, structures that contain themselves.
#![deny(warnings, missing_docs)]

#[rustfmt::skip]
#[path = "../../tests/golden/hostile/hostile/mod.rs"]
pub mod hostile;

#[rustfmt::skip]
#[path = "../../tests/golden/traps/as/mod.rs"]
pub mod r#as;
