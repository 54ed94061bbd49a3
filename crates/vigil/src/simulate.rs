//! `vigil simulate`: crm_simulate-compatible scheduler simulation.
//!
//! Reads a CIB (file or stdin), runs the scheduler and prints what
//! `crm_simulate -x FILE -S` prints; `-s` adds allocation scores, `-D` writes the
//! transition graph as Graphviz dot, `-G` writes it as transition-graph XML.

use std::io::Read;
use std::path::PathBuf;

use anyhow::Context;
use vigil_scheduler::{render, to_dot, Options, RenderOptions, Schedule};

/// Arguments of `vigil simulate` (the crm_simulate options that matter offline).
#[derive(clap::Args, Debug, Clone)]
pub struct SimulateArgs {
    /// CIB XML file to read (`-` for stdin).
    #[arg(short = 'x', long = "xml-file", value_name = "FILE")]
    pub xml_file: PathBuf,
    /// Simulate the transition's execution and print the revised status.
    #[arg(short = 'S', long = "simulate")]
    pub simulate: bool,
    /// Show allocation scores.
    #[arg(short = 's', long = "show-scores")]
    pub show_scores: bool,
    /// Set the date/time the scheduler uses (ISO 8601).
    #[arg(short = 't', long = "set-datetime", value_name = "DATE")]
    pub set_datetime: Option<String>,
    /// Save the transition graph in Graphviz dot format.
    #[arg(short = 'D', long = "save-dotfile", value_name = "FILE")]
    pub save_dotfile: Option<PathBuf>,
    /// Save the transition graph as XML.
    #[arg(short = 'G', long = "save-graph", value_name = "FILE")]
    pub save_graph: Option<PathBuf>,
}

/// Run the simulation; returns the process exit code.
pub fn run(args: SimulateArgs) -> anyhow::Result<i32> {
    let text = if args.xml_file.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .context("reading CIB from stdin")?;
        s
    } else {
        std::fs::read_to_string(&args.xml_file)
            .with_context(|| format!("reading {}", args.xml_file.display()))?
    };
    let now = match &args.set_datetime {
        Some(d) => Some(vigil_scheduler::parse_datetime(d).context("--set-datetime")?),
        None => None,
    };
    let wall_clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let opts = Options { now, wall_clock };
    // XML is one way into the typed model; the scheduler reads the model.
    let cib = vigil_cib::parse_cib(&text)
        .with_context(|| format!("reading CIB {}", args.xml_file.display()))?;
    let schedule = vigil_scheduler::schedule(&cib, &opts).context("scheduling")?;
    let out = render(
        &schedule,
        &RenderOptions {
            show_scores: args.show_scores,
            simulate: args.simulate,
            effective_time: args.set_datetime.clone(),
        },
    );
    print!("{out}");
    if let Some(path) = &args.save_dotfile {
        std::fs::write(path, to_dot(&schedule))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    if let Some(path) = &args.save_graph {
        std::fs::write(path, graph_xml(&schedule))
            .with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(0)
}

fn graph_xml(s: &Schedule) -> String {
    vigil_scheduler::graph::to_graph_xml(s)
}
