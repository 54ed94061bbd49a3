//! A minimal stand-in for `vigil simulate`, for benchmarking the scheduler alone:
//! `simulate simulate -x FILE [-S] [-G GRAPH]` (the first word is accepted so that
//! `bench/scheduler/run.sh` can call it like the `vigil` binary).

use std::process::ExitCode;

fn main() -> ExitCode {
    let mut args = std::env::args().skip(1).peekable();
    if args.peek().map(String::as_str) == Some("simulate") {
        args.next();
    }
    let (mut file, mut graph, mut show) = (None, None, false);
    while let Some(a) = args.next() {
        match a.as_str() {
            "-x" => file = args.next(),
            "-G" => graph = args.next(),
            "-S" => show = true,
            other => {
                eprintln!("simulate: unknown argument {other}");
                return ExitCode::from(2);
            }
        }
    }
    let Some(file) = file else {
        eprintln!("usage: simulate [simulate] -x FILE [-S] [-G GRAPH]");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&file) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("simulate: {file}: {e}");
            return ExitCode::from(1);
        }
    };
    let wall_clock = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs() as i64)
        .unwrap_or(0);
    let opts = vigil_scheduler::Options {
        now: None,
        wall_clock,
    };
    let schedule = match vigil_scheduler::parse_cib(&text)
        .and_then(|cib| vigil_scheduler::schedule(&cib, &opts))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("simulate: {file}: {e}");
            return ExitCode::from(1);
        }
    };
    let out = vigil_scheduler::render(
        &schedule,
        &vigil_scheduler::RenderOptions {
            simulate: show,
            ..Default::default()
        },
    );
    print!("{out}");
    if let Some(g) = graph {
        if let Err(e) = std::fs::write(&g, vigil_scheduler::graph::to_graph_xml(&schedule)) {
            eprintln!("simulate: {g}: {e}");
            return ExitCode::from(1);
        }
    }
    ExitCode::SUCCESS
}
