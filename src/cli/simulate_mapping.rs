//! Which mapping `simulate` runs: the `[flows]` of the domain file (named
//! with `--domain`, else `NAME.domain.toml` beside the log), else the one
//! the log suggests; `--source`, `--work`, `--link` and `--needs` replace
//! the parts they name. The mapping is checked against the log's event
//! types before anything runs.

use std::path::Path;

use eventscope::domain_file::{Link, parse_link};
use eventscope::simulation::{Choice, Mapping, Origin, choices, first_events};
use eventscope::store::EventLog;

/// The flags that choose and change the mapping.
#[derive(Debug, Clone, clap::Args)]
pub struct MappingArgs {
    /// A domain file whose `[flows]` table is the mapping; by default
    /// `NAME.domain.toml` beside the log, when there is one. Without a
    /// mapping there, the log's own proposal runs.
    #[arg(long, value_name = "FILE")]
    pub domain: Option<std::path::PathBuf>,
    /// The source's entities: the streams of this category (`customer`
    /// for customer-<n>).
    #[arg(long, value_name = "CATEGORY")]
    pub source: Option<String>,
    /// The event types at which the consumer works, comma-separated.
    #[arg(long, value_name = "TYPE,TYPE", value_delimiter = ',')]
    pub work: Option<Vec<String>>,
    /// How a work event finds its entity: a field of its data (`member`),
    /// a field of an earlier event of its stream (`OrderPlaced.customer`),
    /// or `none` (each change of an entity is work on it).
    #[arg(long, value_name = "FIELD|Type.field|none")]
    pub link: Option<String>,
    /// The entity's fields the work reads, comma-separated, or `all`.
    #[arg(long, value_name = "FIELD,FIELD|all", value_delimiter = ',')]
    pub needs: Option<Vec<String>>,
}

impl MappingArgs {
    fn any(&self) -> bool {
        self.source.is_some() || self.work.is_some() || self.link.is_some() || self.needs.is_some()
    }
}

/// The mapping to run on `log`, and where it came from.
pub fn choose(args: &MappingArgs, path: &Path, log: &EventLog) -> anyhow::Result<Choice> {
    let domain = super::domain::load(args.domain.as_deref(), path)?;
    let file = domain
        .as_ref()
        .and_then(|d| Some((d.file.as_str(), d.flows.as_ref()?)));
    let events = first_events(log)?;
    let (mut found, problem) = choices(file, &events);
    if let Some(problem) = problem {
        anyhow::bail!("{problem}");
    }
    if found.is_empty() && !args.any() {
        anyhow::bail!(
            "the log has no events to propose a flows mapping from; give one with --domain or \
             --source and --work"
        );
    }
    let base = (!found.is_empty()).then(|| found.remove(0));
    let choice = if args.any() {
        with_flags(args, base)?
    } else {
        base.ok_or_else(|| anyhow::anyhow!("no flows mapping"))?
    };
    check_against(&choice.mapping, log)?;
    Ok(choice)
}

/// `base` with the parts the flags name replaced.
fn with_flags(args: &MappingArgs, base: Option<Choice>) -> anyhow::Result<Choice> {
    let (mut def, over) = match base {
        Some(choice) => (choice.mapping.def().clone(), choice.origin),
        None => (
            eventscope::domain_file::FlowsDef {
                source_category: String::new(),
                work: Vec::new(),
                link: None,
                needs: Vec::new(),
            },
            Origin::Proposed("nothing to propose from".into()),
        ),
    };
    if let Some(source) = &args.source {
        def.source_category = source.clone();
    }
    if let Some(work) = &args.work {
        def.work = work.iter().map(|t| t.trim().to_owned()).collect();
    }
    if let Some(link) = &args.link {
        def.link = match link.trim() {
            "none" => None,
            text => Some(parse_link(text)),
        };
    }
    if let Some(needs) = &args.needs {
        def.needs = match needs.as_slice() {
            [all] if all.trim() == "all" => Vec::new(),
            fields => fields.iter().map(|f| f.trim().to_owned()).collect(),
        };
    }
    let mapping = Mapping::new(def)?;
    Ok(Choice {
        mapping,
        origin: Origin::Flags(Box::new(over)),
    })
}

/// Every event type the mapping names must be in the log.
fn check_against(mapping: &Mapping, log: &EventLog) -> anyhow::Result<()> {
    let stats = log.stats()?;
    if stats.events == 0 {
        return Ok(());
    }
    let known = |name: &str| stats.types.iter().any(|(t, _)| t == name);
    let def = mapping.def();
    let linked = match &def.link {
        Some(Link::Earlier { event_type, .. }) => Some(event_type.as_str()),
        _ => None,
    };
    let named = def.work.iter().map(String::as_str).chain(linked);
    for event_type in named {
        if !known(event_type) {
            let types: Vec<&str> = stats
                .types
                .iter()
                .take(8)
                .map(|(t, _)| t.as_str())
                .collect();
            anyhow::bail!(
                "no event of type `{event_type}` in the log; its types include {}",
                types.join(", ")
            );
        }
    }
    Ok(())
}
