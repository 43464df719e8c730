//! The life of a generated order: which step comes next, and how often an
//! order is cancelled at each stage.

use super::shapes::ItemJson;
use crate::domain::catalogue::PRODUCTS;
use crate::domain::rng::SplitMix64;

const CANCELLED_BEFORE_PAYMENT: [&str; 3] = [
    "customer changed their mind",
    "item out of stock",
    "duplicate order",
];
const CANCELLED_AT_PAYMENT: [&str; 2] = ["payment declined", "payment not received within 7 days"];
const CANCELLED_AFTER_PAYMENT: &str = "item out of stock; payment refunded";
const CANCELLED_CUSTOMER_GONE: &str = "customer account deactivated";

/// How far an open order has come.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Placed,
    PaymentRequested,
    PaymentReceived,
}

/// An order that is neither shipped nor cancelled yet.
#[derive(Clone, Copy, Debug)]
pub struct OpenOrder {
    pub number: u64,
    pub customer: u32,
    /// The version of its last event.
    pub version: u64,
    pub stage: Stage,
    pub total: i64,
    pub flow: u64,
    /// The number of its last event, which causes the next.
    pub last_event: u64,
}

/// What happens to an open order next.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Step {
    RequestPayment,
    ReceivePayment,
    Ship,
    Cancel(&'static str),
}

impl OpenOrder {
    /// The next step: usually forward, sometimes a cancellation (about one
    /// order in six ends that way), always one once the customer is gone.
    pub fn next_step(&self, customer_active: bool, rng: &mut SplitMix64) -> Step {
        if !customer_active {
            return Step::Cancel(CANCELLED_CUSTOMER_GONE);
        }
        let cancelled = match self.stage {
            Stage::Placed if rng.chance(70) => rng.pick(&CANCELLED_BEFORE_PAYMENT).copied(),
            Stage::PaymentRequested if rng.chance(80) => rng.pick(&CANCELLED_AT_PAYMENT).copied(),
            Stage::PaymentReceived if rng.chance(30) => Some(CANCELLED_AFTER_PAYMENT),
            _ => None,
        };
        match (cancelled, self.stage) {
            (Some(reason), _) => Step::Cancel(reason),
            (None, Stage::Placed) => Step::RequestPayment,
            (None, Stage::PaymentRequested) => Step::ReceivePayment,
            (None, Stage::PaymentReceived) => Step::Ship,
        }
    }

    /// The order after `step` was taken as event number `event`, or `None`
    /// when the step ended it.
    pub fn after(mut self, step: Step, event: u64) -> Option<OpenOrder> {
        self.stage = match step {
            Step::RequestPayment => Stage::PaymentRequested,
            Step::ReceivePayment => Stage::PaymentReceived,
            Step::Ship | Step::Cancel(_) => return None,
        };
        self.version += 1;
        self.last_event = event;
        Some(self)
    }
}

/// Fills `items` with one to four different products, mostly one of each,
/// and returns how many it filled.
pub fn random_items(rng: &mut SplitMix64, items: &mut [ItemJson; 4]) -> usize {
    let count = 1 + rng.weighted(&[45, 30, 17, 8]);
    let mut filled = 0;
    while filled < count {
        let product = PRODUCTS[rng.index(PRODUCTS.len())];
        if items[..filled].iter().any(|item| item.sku == product.sku) {
            continue;
        }
        items[filled] = ItemJson {
            sku: product.sku,
            qty: 1 + rng.weighted(&[75, 18, 7]) as u32,
            price: product.price,
        };
        filled += 1;
    }
    filled
}

#[cfg(test)]
mod tests {
    use super::*;

    fn order(stage: Stage) -> OpenOrder {
        OpenOrder {
            number: 1,
            customer: 1,
            version: 1,
            stage,
            total: 100,
            flow: 1,
            last_event: 1,
        }
    }

    #[test]
    fn orders_of_gone_customers_are_cancelled() {
        let mut rng = SplitMix64::new(1);
        for stage in [
            Stage::Placed,
            Stage::PaymentRequested,
            Stage::PaymentReceived,
        ] {
            let step = order(stage).next_step(false, &mut rng);
            assert_eq!(step, Step::Cancel(CANCELLED_CUSTOMER_GONE));
        }
    }

    #[test]
    fn each_stage_moves_forward_or_is_cancelled() {
        let mut rng = SplitMix64::new(2);
        let forward = [
            (Stage::Placed, Step::RequestPayment),
            (Stage::PaymentRequested, Step::ReceivePayment),
            (Stage::PaymentReceived, Step::Ship),
        ];
        for (stage, expected) in forward {
            let steps: Vec<Step> = (0..500)
                .map(|_| order(stage).next_step(true, &mut rng))
                .collect();
            let ahead = steps.iter().filter(|s| **s == expected).count();
            assert!(ahead > 400, "{stage:?}: {ahead} of 500 forward");
            assert!(
                steps
                    .iter()
                    .all(|s| *s == expected || matches!(s, Step::Cancel(_)))
            );
        }
    }

    #[test]
    fn taking_a_step_advances_or_ends_the_order() {
        let placed = order(Stage::Placed);
        let requested = placed.after(Step::RequestPayment, 9).unwrap();
        assert_eq!(
            (requested.stage, requested.version, requested.last_event),
            (Stage::PaymentRequested, 2, 9)
        );
        assert!(
            requested
                .after(Step::Cancel("payment declined"), 10)
                .is_none()
        );
        assert!(order(Stage::PaymentReceived).after(Step::Ship, 3).is_none());
    }
}
