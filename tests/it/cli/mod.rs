//! The command line, run as a user runs it: exit codes, messages, files;
//! one module per command, and `files` for what every command shares
//! (read-only opens, damaged and locked files).

mod domain;
mod domain_exec;
mod exec;
mod exec_dry_run;
mod explore_follow;
mod export;
mod files;
mod fixture;
mod follow;
mod follow_resume;
mod generate;
mod git;
mod import;
mod import_bytes;
mod import_ids;
mod info;
mod json_escape;
mod lesson;
mod output;
mod render;
mod replay;
mod replay_before;
mod replay_skip;
mod simulate;
mod simulate_before;
mod simulate_mapping;
mod usage;
mod verify;
