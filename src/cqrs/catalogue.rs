//! The catalogue with a domain file's commands in it: every command's
//! name, streams and fields, owned, so the file's commands (read at run
//! time) are listed beside the built-in ones of [`super::spec`] for short-form
//! help and completion.

use super::domain_command::{hint, usage};
use super::spec::{CommandSpec, ENVELOPE_KEYS, command_specs};
use crate::domain_file::Domain;

/// One command as the catalogue lists it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueEntry {
    pub name: String,
    /// `retail`, `bank`, or the domain file's name.
    pub domain: String,
    /// The streams it applies to start with this, e.g. `book-`.
    pub stream_prefix: String,
    pub fields: Vec<CatalogueField>,
    /// Normally issued by a policy rather than a person (who still may).
    pub issued_by_policy: bool,
    pub summary: String,
    /// e.g. `BorrowBook book-<id> member=member-<id> due=<text>`.
    pub usage: String,
}

/// One field of a command, as typed in the short form.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CatalogueField {
    pub name: String,
    /// What a value looks like, e.g. `<cents>` or `member-<id>`.
    pub hint: String,
    /// The short-form keys it is typed as (an address takes four).
    pub keys: Vec<String>,
    /// For a field that names another stream: that stream's prefix, e.g.
    /// `member-` (completion offers the log's streams of it).
    pub names_stream: Option<String>,
}

impl CatalogueEntry {
    /// Whether the command may be sent to `stream`: right prefix, some id after it.
    pub fn fits(&self, stream: &str) -> bool {
        stream
            .strip_prefix(&self.stream_prefix)
            .is_some_and(|id| !id.is_empty())
    }

    /// Every key the short form accepts for this command, fields first.
    pub fn short_keys(&self) -> Vec<String> {
        let fields = self
            .fields
            .iter()
            .flat_map(|field| field.keys.iter().cloned());
        fields.chain(ENVELOPE_KEYS.map(String::from)).collect()
    }
}

impl From<&CommandSpec> for CatalogueEntry {
    fn from(spec: &CommandSpec) -> CatalogueEntry {
        CatalogueEntry {
            name: spec.name.to_owned(),
            domain: spec.domain.name().to_owned(),
            stream_prefix: spec.stream_prefix.to_owned(),
            fields: spec
                .fields
                .iter()
                .map(|field| CatalogueField {
                    name: field.name.to_owned(),
                    hint: field.kind.hint().to_owned(),
                    keys: field.short_keys().into_iter().map(String::from).collect(),
                    names_stream: match field.kind {
                        super::spec::FieldKind::StreamRef(prefix) => Some(prefix.to_owned()),
                        _ => None,
                    },
                })
                .collect(),
            issued_by_policy: spec.issued_by_policy,
            summary: spec.summary.to_owned(),
            usage: spec.usage(),
        }
    }
}

/// The commands `domain`'s file defines, in the file's order.
pub fn domain_command_specs(domain: &Domain) -> Vec<CatalogueEntry> {
    domain
        .commands
        .iter()
        .map(|def| CatalogueEntry {
            name: def.name.clone(),
            domain: domain.name.clone(),
            stream_prefix: format!("{}-", def.stream_category),
            fields: def
                .fields
                .iter()
                .map(|field| CatalogueField {
                    name: field.name.clone(),
                    hint: hint(&field.kind),
                    keys: vec![field.name.clone()],
                    names_stream: match &field.kind {
                        crate::domain_file::FieldKind::Stream(category) => {
                            Some(format!("{category}-"))
                        }
                        _ => None,
                    },
                })
                .collect(),
            issued_by_policy: def.by_policy,
            summary: def.summary.clone(),
            usage: usage(def),
        })
        .collect()
}

/// Every command that can be sent with `domain`: the file's first, then
/// the built-in ones it does not shadow (a file's command of a built-in
/// name is the one read).
pub fn catalogue(domain: Option<&Domain>) -> Vec<CatalogueEntry> {
    let mut entries = domain.map(domain_command_specs).unwrap_or_default();
    for spec in command_specs() {
        if !entries.iter().any(|entry| entry.name == spec.name) {
            entries.push(CatalogueEntry::from(spec));
        }
    }
    entries
}
