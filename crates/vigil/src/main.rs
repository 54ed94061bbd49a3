//! `vigil`: one binary for the whole suite. Glue only: each subcommand hands its arguments
//! to the crate or module that does the work, and prints the cause chain of any error.

use clap::{Parser, Subcommand};

mod keepalived;
mod lab_demo;
mod simulate;
mod status_cmd;

#[derive(Parser, Debug)]
#[command(
    name = "vigil",
    version,
    about = "High availability: VRRP (keepalived-compatible) and a Pacemaker-compatible cluster"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// The keepalived-compatible VRRP daemon (takes keepalived's flags).
    Keepalived(Box<keepalived::cli::KeepalivedArgs>),
    /// Show the instances of a running `vigil keepalived` (from its status socket).
    Status(status_cmd::StatusArgs),
    /// Run the policy engine on a Pacemaker CIB, as crm_simulate does.
    Simulate(simulate::SimulateArgs),
    /// Network-namespace lab on this machine.
    Lab {
        #[command(subcommand)]
        what: LabCommand,
    },
}

#[derive(Subcommand, Debug)]
enum LabCommand {
    /// Three hosts, `vigil keepalived` on two, cut the master's link, print the failover.
    Demo(lab_demo::DemoArgs),
}

fn main() {
    // Installed or linked as `keepalived`, vigil takes keepalived's command line directly.
    let mut args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let invoked_as = args
        .first()
        .and_then(|a| std::path::Path::new(a).file_name())
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    if invoked_as == "keepalived" {
        args.insert(1, "keepalived".into());
    }
    let cli = Cli::parse_from(args);
    let result = match cli.command {
        Command::Keepalived(a) => keepalived::run(*a),
        Command::Simulate(a) => simulate::run(a),
        Command::Status(a) => status_cmd::run(a),
        Command::Lab {
            what: LabCommand::Demo(a),
        } => lab_demo::run(a),
    };
    match result {
        Ok(code) => std::process::exit(code),
        Err(e) => {
            eprintln!("vigil: error: {e}");
            for cause in e.chain().skip(1) {
                eprintln!("  caused by: {cause}");
            }
            std::process::exit(1);
        }
    }
}
