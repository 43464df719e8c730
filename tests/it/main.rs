//! The integration tests, in one binary so that they link once: the
//! command line by command (`cli`), the store (`store`, and
//! `damage_sweep`: every byte of a small log flipped in turn), the explorer
//! (`ui`), and the helpers that run the binary (`support`).

mod cli;
mod damage_sweep;
mod message_db;
mod store;
mod support;
mod ui;
