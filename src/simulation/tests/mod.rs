//! Behaviour of the whole simulation, on small retail logs built here.

mod faults;
mod no_faults;
mod outage;
mod stepping;
mod support;
mod throughput;
