//! Behaviour of the whole simulation, on small logs built here (retail
//! ones, and others run through their own mappings).

mod faults;
mod mappings;
mod no_faults;
mod outage;
mod stepping;
mod support;
mod throughput;
