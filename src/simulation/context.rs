//! What a consumer may touch while it handles something: the clock, the
//! agenda, what the work needs, the source (to call it) and the staleness
//! record.

use super::mapping::Needs;
use super::params::SimParams;
use super::schedule::Schedule;
use super::source::SourceSystem;
use super::staleness::ChangeLog;

pub(crate) struct Ctx<'a> {
    pub now: u64,
    pub params: &'a SimParams,
    /// What of an entity the work reads.
    pub needs: &'a Needs,
    pub schedule: &'a mut Schedule,
    pub source: &'a SourceSystem,
    pub changes: &'a mut ChangeLog,
}
