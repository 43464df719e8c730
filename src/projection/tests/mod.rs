//! Engine tests across the module: rebuild, time travel, diff and blame.

mod engine;
mod laws;
mod moving_customer;
mod parallel;
mod skip;
mod write_state;
