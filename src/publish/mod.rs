//! Publishing a folder of finished files safely, for the report stage and
//! the mail drafts alike: [`atomic`] writes a set into a hidden temporary
//! folder and renames it into place (and cleans up after killed runs),
//! [`guard`] searches every byte of a set — every part of every `.xlsx` —
//! for the personal values read in the run before it may be put in place.

pub mod atomic;
pub mod guard;
