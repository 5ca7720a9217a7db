//! Report sections.
