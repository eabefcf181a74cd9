//! `jianghua pg init [--shard URL]… [--user-dict FILE]`: a new PostgreSQL
//! store at `--index postgres://…`.

use std::process::ExitCode;

use jianghua::index::pg::{PgStore, is_url, redact};
use jianghua::index::writer;

use super::Failure;

/// Arguments of `pg`.
#[derive(Debug, clap::Args)]
pub struct PgArgs {
    /// What to do.
    #[command(subcommand)]
    pub command: PgCommand,
}

/// The `pg` subcommands.
#[derive(Debug, clap::Subcommand)]
pub enum PgCommand {
    /// Make the tables of a new store in the database `--index` names.
    ///
    /// With --shard, each URL is a worker server that holds one shard of
    /// the speeches (by speech id) and their passages; the database
    /// `--index` names becomes the coordinator, whose tables are
    /// partitioned over the workers (postgres_fdw foreign tables: the
    /// coordinator needs the postgres_fdw extension, `CREATE EXTENSION
    /// postgres_fdw`). Without --shard, everything is kept on the one
    /// server (as the first `ingest` into an empty database does).
    Init(InitArgs),
}

/// Arguments of `pg init`.
#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// A worker server's database, `postgres://user@host:port/db` (repeat for each shard).
    #[arg(long = "shard", value_name = "URL")]
    pub shards: Vec<String>,
    /// Extra words for the tokenizer, in jieba's user-dictionary format.
    #[arg(long, value_name = "FILE")]
    pub user_dict: Option<std::path::PathBuf>,
}

/// Runs `pg`.
pub fn run(index: &std::path::Path, args: PgArgs) -> Result<ExitCode, Failure> {
    let PgCommand::Init(init) = args.command;
    let url = index.to_str().filter(|s| is_url(s)).ok_or_else(|| {
        Failure::Usage(format!(
            "`jianghua pg init` makes a PostgreSQL store: give --index postgres://USER@HOST:PORT/DB, not {}",
            index.display()
        ))
    })?;
    if let Some(bad) = init.shards.iter().find(|s| !is_url(s)) {
        return Err(Failure::Usage(format!(
            "--shard takes a postgres:// URL, not {bad}"
        )));
    }
    let user_dict = init
        .user_dict
        .as_deref()
        .map(writer::read_user_dict)
        .transpose()?;
    let store = PgStore::init(url, &init.shards, user_dict.as_deref().unwrap_or(""))?;
    let shards = store.shard_urls();
    println!(
        "made a jianghua store at {} with {} shard(s): {}",
        redact(url),
        shards.len(),
        shards
            .iter()
            .map(|u| redact(u))
            .collect::<Vec<_>>()
            .join(", ")
    );
    Ok(ExitCode::SUCCESS)
}
