//! A throwaway PostgreSQL with Message DB installed, for the tests that
//! read a real event store: initdb and pg_ctl on loopback, in a temporary
//! folder, on a free port, as an unprivileged user when run as root (which
//! PostgreSQL refuses). Message DB is installed by its own install script
//! from the npm package.
//!
//! What they need, and where it is looked for:
//! - PostgreSQL's server programs: `EVENTSCOPE_PG_BIN`, else `pg_config
//!   --bindir`, else the newest `/usr/lib/postgresql/*/bin`
//!   (`apt-get install postgresql`);
//! - the Message DB package (`npm pack @eventide/message-db`): the `.tgz`
//!   or its unpacked folder at `EVENTSCOPE_MESSAGE_DB`, else the newest
//!   `eventide-message-db-*.tgz` in `target/message-db/` (`.ci/run` puts
//!   it there).
//!
//! Without them the tests fail, saying what to install: they are never
//! skipped.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

pub const PASSWORD: &str = "throwaway-secret";
pub const DATABASE: &str = "message_store";

pub struct Postgres {
    /// Holds the data folder, the log, and the unpacked package.
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// The user the server runs as, when the tests run as root.
    as_user: Option<String>,
    pub port: u16,
}

impl Postgres {
    /// Starts a server with Message DB installed in `message_store`.
    pub fn start() -> Postgres {
        let bin = server_programs();
        let package = message_db_package();
        let dir = tempfile::tempdir().expect("a temporary folder");
        let as_user = running_as_root().then(|| "postgres".to_string());
        if let Some(user) = &as_user {
            let known = Command::new("id").arg(user).output();
            assert!(
                known.is_ok_and(|o| o.status.success()),
                "the tests run as root, and PostgreSQL refuses to: they run it as the \
                 `{user}` user, which does not exist (apt-get install postgresql creates it)"
            );
            run(Command::new("chown").arg(user).arg(dir.path()), "chown");
        }
        let password_file = dir.path().join("password");
        std::fs::write(&password_file, PASSWORD).expect("the password file");
        let mut server = Postgres {
            dir,
            bin,
            as_user,
            port: 0,
        };
        let data = server.data();
        server.run_as(
            "initdb",
            &[
                "-D",
                s(&data),
                "-U",
                "postgres",
                "--pwfile",
                s(&password_file),
                "--auth-local=trust",
                "--auth-host=scram-sha-256",
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        server.port = free_port();
        server.start_again();
        server.install_message_db(&package, DATABASE);
        server
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// `postgres://postgres:PASSWORD@127.0.0.1:PORT/DATABASE`.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgres://postgres:{PASSWORD}@127.0.0.1:{}/{database}",
            self.port
        )
    }

    /// A connection to `database` with Message DB's functions on the
    /// search path, as its own clients set it.
    pub fn client(&self, database: &str) -> postgres::Client {
        let mut client = postgres::Client::connect(&self.url(database), postgres::NoTls)
            .expect("the test server accepts connections");
        client
            .batch_execute("SET search_path = message_store, public")
            .expect("search_path");
        client
    }

    /// Stops the server (fast: open connections are closed).
    pub fn stop(&self) {
        self.run_as(
            "pg_ctl",
            &["-D", s(&self.data()), "-m", "fast", "-w", "stop"],
        );
    }

    /// Starts the stopped server again, on the same port.
    pub fn start_again(&self) {
        let log = self.dir.path().join("server.log");
        let options = format!(
            "-c listen_addresses=127.0.0.1 -c port={} -c unix_socket_directories='' \
             -c fsync=off -c max_connections=40",
            self.port
        );
        self.run_as(
            "pg_ctl",
            &[
                "-D",
                s(&self.data()),
                "-l",
                s(&log),
                "-o",
                &options,
                "-w",
                "start",
            ],
        );
        // `-w` waits for the server; a connection proves it.
        let deadline = Instant::now() + Duration::from_secs(30);
        while postgres::Client::connect(&self.url("postgres"), postgres::NoTls).is_err() {
            assert!(
                Instant::now() < deadline,
                "the test server did not accept connections: {}",
                std::fs::read_to_string(&log).unwrap_or_default()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// Installs Message DB into a new database `database` with the
    /// package's own install script.
    pub fn install_message_db_into(&self, database: &str) {
        self.install_message_db(&message_db_package(), database);
    }

    fn install_message_db(&self, package: &Path, database: &str) {
        let unpacked = self.dir.path().join(format!("message-db-{database}"));
        let database_folder = if package.is_dir() {
            package.join("database")
        } else {
            std::fs::create_dir_all(&unpacked).expect("a folder for the package");
            run(
                Command::new("tar")
                    .arg("-xzf")
                    .arg(package)
                    .arg("-C")
                    .arg(&unpacked),
                "tar",
            );
            unpacked.join("package").join("database")
        };
        let path = format!(
            "{}:{}",
            self.bin.display(),
            std::env::var("PATH").unwrap_or_default()
        );
        let output = Command::new("bash")
            .arg(database_folder.join("install.sh"))
            .env("PATH", path)
            .env("PGHOST", "127.0.0.1")
            .env("PGPORT", self.port.to_string())
            .env("PGUSER", "postgres")
            .env("PGPASSWORD", PASSWORD)
            .env("DATABASE_NAME", database)
            .stdin(Stdio::null())
            .output()
            .expect("bash runs Message DB's install script");
        assert!(
            output.status.success(),
            "Message DB's install.sh failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }

    /// `program` as the server's user (`runuser` when the tests run as root).
    fn command_as(&self, program: &Path) -> Command {
        match &self.as_user {
            Some(user) => {
                let mut command = Command::new("runuser");
                command.arg("-u").arg(user).arg("--").arg(program);
                command
            }
            None => Command::new(program),
        }
    }

    fn run_as(&self, program: &str, args: &[&str]) {
        let program = self.bin.join(program);
        let mut command = self.command_as(&program);
        command.args(args).stdin(Stdio::null());
        run(&mut command, &program.display().to_string());
    }
}

impl Drop for Postgres {
    fn drop(&mut self) {
        let data = self.data();
        let program = self.bin.join("pg_ctl");
        let args = ["-D", s(&data), "-m", "immediate", "stop"];
        let mut command = self.command_as(&program);
        let _ = command
            .args(args)
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
}

fn run(command: &mut Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed: {}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

fn s(path: &Path) -> &str {
    path.to_str().expect("test paths are UTF-8")
}

fn running_as_root() -> bool {
    rustix::process::getuid().is_root()
}

/// A port nothing listens on now (the kernel's choice, released at once).
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port on loopback")
}

fn server_programs() -> PathBuf {
    let has_initdb = |dir: &Path| dir.join("initdb").is_file() && dir.join("pg_ctl").is_file();
    if let Some(dir) = std::env::var_os("EVENTSCOPE_PG_BIN") {
        let dir = PathBuf::from(dir);
        assert!(
            has_initdb(&dir),
            "EVENTSCOPE_PG_BIN={} holds no initdb and pg_ctl",
            dir.display()
        );
        return dir;
    }
    if let Ok(output) = Command::new("pg_config").arg("--bindir").output() {
        let dir = PathBuf::from(String::from_utf8_lossy(&output.stdout).trim());
        if has_initdb(&dir) {
            return dir;
        }
    }
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_str()?.parse().ok()?;
            Some((version, entry.path().join("bin")))
        })
        .filter(|(_, dir)| has_initdb(dir))
        .collect();
    versions.sort();
    versions.pop().map(|(_, dir)| dir).unwrap_or_else(|| {
        panic!(
            "PostgreSQL is not installed: the Message DB tests start a throwaway server \
             with initdb and pg_ctl (apt-get install postgresql), or set EVENTSCOPE_PG_BIN \
             to the folder that holds them"
        )
    })
}

fn message_db_package() -> PathBuf {
    if let Some(package) = std::env::var_os("EVENTSCOPE_MESSAGE_DB") {
        let package = PathBuf::from(package);
        assert!(
            package.exists(),
            "EVENTSCOPE_MESSAGE_DB={} does not exist",
            package.display()
        );
        return package;
    }
    let cache = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("target")
        .join("message-db");
    let mut packages: Vec<PathBuf> = std::fs::read_dir(&cache)
        .into_iter()
        .flatten()
        .flatten()
        .map(|entry| entry.path())
        .filter(|path| {
            path.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("eventide-message-db-") && n.ends_with(".tgz"))
        })
        .collect();
    packages.sort();
    packages.pop().unwrap_or_else(|| {
        panic!(
            "the Message DB package is missing: the tests install Message DB from it. \
             Get it with `npm pack @eventide/message-db --pack-destination target/message-db` \
             (npm comes with nodejs), or set EVENTSCOPE_MESSAGE_DB to the .tgz"
        )
    })
}
