//! What a consumer may touch while it handles something: the clock, the
//! agenda, the source (to call it) and the staleness record.

use super::params::SimParams;
use super::schedule::Schedule;
use super::source::SourceSystem;
use super::staleness::ChangeLog;

pub(crate) struct Ctx<'a> {
    pub now: u64,
    pub params: &'a SimParams,
    pub schedule: &'a mut Schedule,
    pub source: &'a SourceSystem,
    pub changes: &'a mut ChangeLog,
}
