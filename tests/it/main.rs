//! The integration tests, in one binary so that they link once: the
//! command line by command (`cli`), the store (`store`), the explorer
//! (`ui`), and the helpers that run the binary (`support`).

mod cli;
mod store;
mod support;
mod ui;
