//! The events of both sample domains as one typed enum, and the events of a
//! domain file as (type, data): what deciders return and what write models
//! fold. Decoding reads only the payload shape of the event's own type.

use super::history::HistoryProblem;
use crate::domain::{bank, retail};
use crate::event::Json;

macro_rules! domain_events {
    ($($variant:ident($payload:path) = $type_name:path),* $(,)?) => {
        /// A sample-domain event with its typed payload.
        #[derive(Clone, Debug, PartialEq, Eq)]
        pub enum DomainEvent {
            $($variant($payload),)*
            /// An event of a domain file: its type and data as the file's
            /// `emit` built them.
            Recorded { event_type: String, data: Json },
        }

        impl DomainEvent {
            /// The stored type name, e.g. `OrderPlaced`.
            pub fn event_type(&self) -> &str {
                match self {
                    $(DomainEvent::$variant(_) => $type_name,)*
                    DomainEvent::Recorded { event_type, .. } => event_type,
                }
            }

            /// The payload as stored.
            pub fn to_json(&self) -> Result<Json, serde_json::Error> {
                let text = match self {
                    $(DomainEvent::$variant(payload) => serde_json::to_string(payload)?,)*
                    DomainEvent::Recorded { data, .. } => return Ok(data.clone()),
                };
                // serde_json wrote it, so it is valid compact JSON.
                Ok(Json::from_trusted(text))
            }

            /// Reads a stored event of type `event_type` (of the sample
            /// domains: a domain file's events are folded by its own jq).
            pub fn decode(event_type: &str, data: &Json) -> Result<DomainEvent, HistoryProblem> {
                $(
                    if event_type == $type_name {
                        return data
                            .parse()
                            .map(DomainEvent::$variant)
                            .map_err(|e| HistoryProblem::BadPayload(e.to_string()));
                    }
                )*
                Err(HistoryProblem::UnknownType)
            }
        }
    };
}

domain_events! {
    CustomerRegistered(retail::CustomerRegistered) = retail::CUSTOMER_REGISTERED,
    CustomerAddressChanged(retail::CustomerAddressChanged) = retail::CUSTOMER_ADDRESS_CHANGED,
    CustomerEmailChanged(retail::CustomerEmailChanged) = retail::CUSTOMER_EMAIL_CHANGED,
    CustomerDeactivated(retail::CustomerDeactivated) = retail::CUSTOMER_DEACTIVATED,
    OrderPlaced(retail::OrderPlaced) = retail::ORDER_PLACED,
    PaymentRequested(retail::PaymentRequested) = retail::PAYMENT_REQUESTED,
    PaymentReceived(retail::PaymentReceived) = retail::PAYMENT_RECEIVED,
    OrderShipped(retail::OrderShipped) = retail::ORDER_SHIPPED,
    OrderCancelled(retail::OrderCancelled) = retail::ORDER_CANCELLED,
    AccountOpened(bank::AccountOpened) = bank::ACCOUNT_OPENED,
    MoneyDeposited(bank::MoneyDeposited) = bank::MONEY_DEPOSITED,
    MoneyWithdrawn(bank::MoneyWithdrawn) = bank::MONEY_WITHDRAWN,
    AccountClosed(bank::AccountClosed) = bank::ACCOUNT_CLOSED,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_sample_event_type_decodes_what_it_encodes() {
        let samples = [
            DomainEvent::OrderPlaced(retail::OrderPlaced {
                customer: "customer-1".into(),
                items: vec![retail::Item {
                    sku: "BOOK".into(),
                    qty: 2,
                    price: 150,
                }],
                total: 300,
            }),
            DomainEvent::AccountClosed(bank::AccountClosed {}),
            DomainEvent::MoneyWithdrawn(bank::MoneyWithdrawn { amount: 5 }),
        ];
        for event in samples {
            let json = event.to_json().unwrap();
            assert_eq!(DomainEvent::decode(event.event_type(), &json), Ok(event));
        }
        let known: Vec<&str> = retail::EVENT_TYPES
            .into_iter()
            .chain(bank::EVENT_TYPES)
            .collect();
        for event_type in known {
            let problem = DomainEvent::decode(event_type, &Json::parse_text("\"text\"").unwrap());
            assert!(
                matches!(problem, Err(HistoryProblem::BadPayload(_))),
                "{event_type} should be known but reject a text payload"
            );
        }
        assert_eq!(
            DomainEvent::decode("Nonsense", &Json::empty_object()),
            Err(HistoryProblem::UnknownType)
        );
    }
}
