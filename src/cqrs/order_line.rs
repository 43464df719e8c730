//! One line of an order as a command asks for it: what the command body
//! holds and what its fields are read into.

/// One line of an order as asked for; the decider checks the numbers.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OrderLine {
    pub sku: String,
    pub qty: i64,
    /// Unit price in cents.
    pub price: i64,
}
