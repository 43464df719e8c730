//! The twelve claims of PATTERNS.md (Fowler, "What do you mean by
//! Event-Driven?", 2017) that the lessons must show happening, each with a
//! short id a lesson step names in its `claims`.

/// One claim: its id, the pattern it belongs to, and what it says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Claim {
    pub id: &'static str,
    pub pattern: &'static str,
    pub text: &'static str,
}

const fn claim(id: &'static str, pattern: &'static str, text: &'static str) -> Claim {
    Claim { id, pattern, text }
}

/// Every claim, in the order of PATTERNS.md.
pub const CLAIMS: [Claim; 12] = [
    claim(
        "en-coupling",
        "Event Notification",
        "Low coupling: the source publishes thin events and knows nothing of its consumers.",
    ),
    claim(
        "en-hidden-flow",
        "Event Notification",
        "A logical flow spread over many notifications is hard to see; following correlation and causation ids makes it a tree.",
    ),
    claim(
        "en-callbacks",
        "Event Notification",
        "Receivers call back to the source for details: count the calls, their latency, and what happens to them while the source is down.",
    ),
    claim(
        "ecst-resilience",
        "Event-Carried State Transfer",
        "The consumer keeps working while the source is down, makes no calls and answers locally.",
    ),
    claim(
        "ecst-costs",
        "Event-Carried State Transfer",
        "More data moved and stored, and a replica the receiver must keep right: reordered or duplicated deliveries break it without version checks.",
    ),
    claim(
        "es-replay",
        "Event Sourcing",
        "The log is the source of truth: step through it with the state at each point, and rebuild a projection from scratch with honest progress.",
    ),
    claim(
        "es-time-travel",
        "Event Sourcing",
        "The state as at any earlier point, what changed at each step (diff) and which event set a field (blame).",
    ),
    claim(
        "es-snapshots",
        "Event Sourcing",
        "Snapshots are a cache that makes time travel fast and can be thrown away: from genesis and from a snapshot give the same state.",
    ),
    claim(
        "cqrs-commands",
        "CQRS",
        "A command is validated by the write model and becomes events, or is rejected with a reason.",
    ),
    claim(
        "cqrs-concurrency",
        "CQRS",
        "Concurrent writers are stopped by expected versions.",
    ),
    claim(
        "cqrs-read-models",
        "CQRS",
        "Several read models are fed by the same events; one that trails the write side answers stale until it catches up.",
    ),
    claim(
        "combine",
        "How the patterns combine",
        "Event sourcing and CQRS are often used together but need not be; notifications or state transfer can come from an event-sourced core or a plain database.",
    ),
];

/// The claim with this id.
pub fn find(id: &str) -> Option<&'static Claim> {
    CLAIMS.iter().find(|claim| claim.id == id)
}

/// Every id, in order.
pub fn ids() -> Vec<&'static str> {
    CLAIMS.iter().map(|claim| claim.id).collect()
}
