//! Reaching the server: the address, the connection, and the server's
//! errors told apart.

use std::str::FromStr;
use std::time::Duration;

use postgres::error::SqlState;
use postgres::{Client, Config, NoTls};

use super::MessageDbError;

/// How long a connection attempt may take before it counts as no answer.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);

/// Whether `text` is a PostgreSQL address rather than a file name.
pub fn is_url(text: &str) -> bool {
    text.starts_with("postgres://") || text.starts_with("postgresql://")
}

/// A Message DB server, by address.
#[derive(Clone)]
pub struct Server {
    config: Config,
    host: String,
    port: u16,
    user: String,
    database: String,
}

impl std::fmt::Debug for Server {
    // Never the password.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.describe())
    }
}

impl Server {
    /// Reads a `postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE` address.
    /// Without a password in it, `PGPASSWORD` serves.
    pub fn parse(url: &str) -> Result<Server, MessageDbError> {
        if !is_url(url) {
            return Err(MessageDbError::BadUrl(format!(
                "`{url}` does not start with postgres://"
            )));
        }
        let mut config =
            Config::from_str(url).map_err(|e| MessageDbError::BadUrl(e.to_string()))?;
        if config.get_password().is_none()
            && let Ok(password) = std::env::var("PGPASSWORD")
        {
            config.password(password);
        }
        config.connect_timeout(CONNECT_TIMEOUT);
        config.application_name("eventscope");
        let host = match config.get_hosts().first() {
            Some(postgres::config::Host::Tcp(host)) => host.clone(),
            #[cfg(unix)]
            Some(postgres::config::Host::Unix(path)) => path.display().to_string(),
            None => {
                config.host("localhost");
                "localhost".to_string()
            }
        };
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let user = match config.get_user() {
            Some(user) => user.to_string(),
            None => {
                let user = std::env::var("PGUSER")
                    .or_else(|_| std::env::var("USER"))
                    .unwrap_or_else(|_| "postgres".into());
                config.user(&user);
                user
            }
        };
        let database = match config.get_dbname() {
            Some(database) => database.to_string(),
            None => {
                config.dbname(&user);
                user.clone()
            }
        };
        Ok(Server {
            config,
            host,
            port,
            user,
            database,
        })
    }

    /// `user@host:port/database`, for messages (never the password).
    pub fn describe(&self) -> String {
        format!(
            "{}@{}:{}/{}",
            self.user, self.host, self.port, self.database
        )
    }

    /// The address to reach this server again, as a URL without the
    /// password (`PGPASSWORD` gives it then): what a log copied from it
    /// records, so that following can resume from the log alone.
    pub fn address(&self) -> String {
        format!(
            "postgres://{}@{}:{}/{}",
            url_part(&self.user),
            url_part(&self.host),
            self.port,
            url_part(&self.database)
        )
    }

    /// Connects and checks that the database holds a Message DB.
    pub fn connect(&self) -> Result<Client, MessageDbError> {
        let mut client = self
            .config
            .connect(NoTls)
            .map_err(|error| self.connect_error(&error))?;
        let row = client
            .query_one(
                "SELECT to_regclass('message_store.messages') IS NOT NULL",
                &[],
            )
            .map_err(|error| read_error(&error))?;
        if !row.get::<_, bool>(0) {
            return Err(MessageDbError::NoMessageStore {
                database: self.database.clone(),
            });
        }
        Ok(client)
    }

    fn connect_error(&self, error: &postgres::Error) -> MessageDbError {
        if let Some(db) = error.as_db_error() {
            return self.refusal(db.code(), db.message());
        }
        let text = error.to_string();
        if text.contains("password") || text.contains("authentication") {
            return MessageDbError::AuthenticationRefused {
                user: self.user.clone(),
                why: text,
            };
        }
        MessageDbError::CannotConnect {
            host: self.host.clone(),
            port: self.port,
            why: io_reason(error).unwrap_or(text),
        }
    }
}

impl Server {
    /// What the server's answer to a connection attempt means.
    fn refusal(&self, code: &SqlState, message: &str) -> MessageDbError {
        if *code == SqlState::INVALID_PASSWORD
            || *code == SqlState::INVALID_AUTHORIZATION_SPECIFICATION
        {
            return MessageDbError::AuthenticationRefused {
                user: self.user.clone(),
                why: message.to_string(),
            };
        }
        if *code == SqlState::INVALID_CATALOG_NAME {
            return MessageDbError::NoDatabase {
                database: self.database.clone(),
            };
        }
        // Starting, stopping, or full: the server is there but not taking
        // connections now, which a follower waits out.
        if *code == SqlState::CANNOT_CONNECT_NOW
            || *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::TOO_MANY_CONNECTIONS
        {
            return MessageDbError::CannotConnect {
                host: self.host.clone(),
                port: self.port,
                why: message.to_string(),
            };
        }
        MessageDbError::Server(message.to_string())
    }
}

/// `text` percent-encoded for a URL's user, host or path, so that a
/// socket directory (`/run/postgresql`) or an `@` in a name reads back as
/// it was.
fn url_part(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// The server's identity: its system identifier (unique to one cluster,
/// kept across restarts) where the user may read it, else its address,
/// and the database's name.
pub(super) fn identity(client: &mut Client, server: &Server) -> Result<String, MessageDbError> {
    let system = client
        .query_opt(
            "SELECT system_identifier::text FROM pg_control_system()",
            &[],
        )
        .ok()
        .flatten()
        .map(|row| row.get::<_, String>(0));
    let cluster = system.map_or_else(
        || format!("server {}:{}", server.host, server.port),
        |id| format!("PostgreSQL system {id}"),
    );
    let database: String = client
        .query_one("SELECT current_database()::text", &[])
        .map_err(|error| read_error(&error))?
        .get(0);
    Ok(format!("{cluster}, database {database}"))
}

/// A failed query, told apart: a lost connection, a refusal, or other.
pub(super) fn read_error(error: &postgres::Error) -> MessageDbError {
    if let Some(db) = error.as_db_error() {
        let code = db.code();
        if *code == SqlState::INSUFFICIENT_PRIVILEGE {
            return MessageDbError::NotAllowed {
                why: db.message().to_string(),
            };
        }
        if *code == SqlState::ADMIN_SHUTDOWN
            || *code == SqlState::CRASH_SHUTDOWN
            || *code == SqlState::CANNOT_CONNECT_NOW
        {
            return MessageDbError::Dropped {
                why: db.message().to_string(),
            };
        }
        return MessageDbError::Server(db.message().to_string());
    }
    if error.is_closed() || io_reason(error).is_some() {
        return MessageDbError::Dropped {
            why: io_reason(error).unwrap_or_else(|| "the server closed it".into()),
        };
    }
    MessageDbError::Server(error.to_string())
}

/// The operating system's reason, where the error comes from one.
fn io_reason(error: &postgres::Error) -> Option<String> {
    let mut source = std::error::Error::source(error);
    while let Some(cause) = source {
        if let Some(io) = cause.downcast_ref::<std::io::Error>() {
            return Some(match io.kind() {
                std::io::ErrorKind::ConnectionRefused => "the connection was refused".into(),
                std::io::ErrorKind::TimedOut => "no answer in time".into(),
                _ => io.to_string(),
            });
        }
        source = cause.source();
    }
    if error.to_string().contains("timed out") {
        return Some("no answer in time".into());
    }
    None
}

impl MessageDbError {
    /// Whether following may retry after this error (the server may come
    /// back), rather than stop.
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            MessageDbError::Dropped { .. } | MessageDbError::CannotConnect { .. }
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_address_reads_back_as_the_same_server_without_the_password() {
        for url in [
            "postgres://reader:secret@db.example:6543/store",
            "postgres://we%40home@%2Frun%2Fpostgresql:5432/my%20store",
        ] {
            let server = Server::parse(url).unwrap();
            let address = server.address();
            assert!(!address.contains("secret"), "{address}");
            let again = Server::parse(&address).unwrap();
            assert_eq!(again.describe(), server.describe(), "{address}");
        }
    }

    #[test]
    fn a_server_starting_or_stopping_is_waited_out_by_a_follower() {
        let server = Server::parse("postgres://u@db.example:6543/store").unwrap();
        for code in [
            SqlState::CANNOT_CONNECT_NOW,
            SqlState::ADMIN_SHUTDOWN,
            SqlState::TOO_MANY_CONNECTIONS,
        ] {
            let error = server.refusal(&code, "the database system is shutting down");
            assert!(error.is_transient(), "{code:?}: {error}");
            assert_eq!(
                error.to_string(),
                "cannot connect to PostgreSQL at db.example:6543: the database system is \
                 shutting down (is the server running, and listening there?)"
            );
        }
        let refused = server.refusal(&SqlState::INVALID_PASSWORD, "no");
        assert!(!refused.is_transient());
        assert!(
            !server
                .refusal(&SqlState::INVALID_CATALOG_NAME, "no")
                .is_transient()
        );
    }
}
