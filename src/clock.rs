//! The server's notion of "now": the system clock, or a frozen instant for demos and staging
//! tests of opening hours.

/// Where "now" comes from.
#[derive(Debug, Clone, Copy)]
pub enum Clock {
    /// The real time.
    System,
    /// Always this instant.
    Frozen(jiff::Timestamp),
}

impl Clock {
    /// The current instant by this clock.
    pub fn now(&self) -> jiff::Timestamp {
        match self {
            Clock::System => jiff::Timestamp::now(),
            Clock::Frozen(t) => *t,
        }
    }
}
