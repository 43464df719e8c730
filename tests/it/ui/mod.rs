//! The explorer: its state driven by keys on `TestBackend` (behaviour,
//! each view), whole screens as committed snapshots (`screens`), hostile
//! text, and the real binary in a pseudo-terminal (`pty`).

mod behaviour;
mod cqrs;
mod domain;
mod flows;
mod flows_domains;
mod flows_live;
mod hostile;
mod lessons;
mod live;
mod present;
mod projections;
mod projections_lazy;
mod prompts;
mod pty;
mod screens;
mod support;
mod whatif;
mod workshop;
