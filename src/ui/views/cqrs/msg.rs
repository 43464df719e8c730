//! What the CQRS view's workers answer.

use std::fmt;

use crate::projection::Projection;

/// A read model as built: its projection and the seq it is at, or why not.
pub type Built = Result<(Box<dyn Projection>, u64), String>;

/// A worker's answer: the read models built.
pub enum ReadModelsMsg {
    Built(Vec<(String, Built)>),
}

impl fmt::Debug for ReadModelsMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadModelsMsg::Built(models) => {
                let names: Vec<&str> = models.iter().map(|(name, _)| name.as_str()).collect();
                write!(f, "Built({names:?})")
            }
        }
    }
}
