//! What can go wrong talking to a Message DB, each as one sentence.

use std::fmt;

#[derive(Debug)]
pub enum MessageDbError {
    /// The address is not a `postgres://` URL the client understands.
    BadUrl(String),
    /// No server answered at host:port (refused, unreachable, timed out).
    CannotConnect {
        host: String,
        port: u16,
        why: String,
    },
    /// The server refused the user or password.
    AuthenticationRefused { user: String, why: String },
    /// The server has no database of that name.
    NoDatabase { database: String },
    /// The database has no `message_store.messages` table.
    NoMessageStore { database: String },
    /// The user may not read the messages table.
    NotAllowed { why: String },
    /// The connection was lost part way.
    Dropped { why: String },
    /// The log was copied from another server or database.
    OtherServer { log: String, server: String },
    /// The store no longer holds the message the log ends with.
    StoreRewritten { position: i64 },
    /// The log has events the source mark does not account for.
    LogChanged { mark_seq: u64, log_seq: u64 },
    /// A non-empty log that was never copied from a Message DB.
    NotACopy,
    /// The server sent something the mapping cannot use.
    BadMessage { position: i64, why: String },
    /// Any other server error.
    Server(String),
}

impl fmt::Display for MessageDbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            MessageDbError::BadUrl(why) => write!(
                f,
                "not a PostgreSQL address ({why}); give one as postgres://USER@HOST:PORT/DATABASE"
            ),
            MessageDbError::CannotConnect { host, port, why } => write!(
                f,
                "cannot connect to PostgreSQL at {host}:{port}: {why} (is the server running, \
                 and listening there?)"
            ),
            MessageDbError::AuthenticationRefused { user, why } => write!(
                f,
                "the server refused user {user}: {why} (check the user and password in the \
                 address, or PGPASSWORD)"
            ),
            MessageDbError::NoDatabase { database } => {
                write!(f, "the server has no database named {database}")
            }
            MessageDbError::NoMessageStore { database } => write!(
                f,
                "database {database} holds no Message DB: there is no message_store.messages \
                 table (install Message DB there, or name the database that has it)"
            ),
            MessageDbError::NotAllowed { why } => {
                write!(
                    f,
                    "the server will not let this user read the messages: {why}"
                )
            }
            MessageDbError::Dropped { why } => {
                write!(f, "the connection to PostgreSQL was lost: {why}")
            }
            MessageDbError::OtherServer { log, server } => write!(
                f,
                "the log was copied from {log}, not from {server}: import into a new log"
            ),
            MessageDbError::StoreRewritten { position } => write!(
                f,
                "the store no longer holds the message at global position {position} that \
                 the log ends with (it was cleared or rewritten): import into a new log"
            ),
            MessageDbError::LogChanged { mark_seq, log_seq } => write!(
                f,
                "the log has {log_seq} events but its last copy from the server ended at seq \
                 {mark_seq}: it was written to since, so the copy cannot continue"
            ),
            MessageDbError::NotACopy => f.write_str(
                "the log already holds events that were not copied from a Message DB: import \
                 into a new log",
            ),
            MessageDbError::BadMessage { position, why } => {
                write!(
                    f,
                    "the message at global position {position} cannot be read: {why}"
                )
            }
            MessageDbError::Server(why) => write!(f, "PostgreSQL: {why}"),
        }
    }
}

impl std::error::Error for MessageDbError {}
