//! Parse CIB files and print their warnings or errors; with `-o DIR`, also
//! write each parsed CIB back out as DIR/<file name>.
//!
//! `cargo run -p vigil-cib --example cib_check -- [-o DIR] FILE...`
fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let out_dir = match args.iter().position(|a| a == "-o") {
        Some(i) if i + 1 < args.len() => {
            let d = args.remove(i + 1);
            args.remove(i);
            Some(std::path::PathBuf::from(d))
        }
        _ => None,
    };
    let mut failed = false;
    for path in args {
        let text = match std::fs::read_to_string(&path) {
            Ok(t) => t,
            Err(e) => {
                println!("{path}: {e}");
                failed = true;
                continue;
            }
        };
        match vigil_cib::parse_cib_with_warnings(&text) {
            Ok((cib, warnings)) => {
                for w in warnings {
                    println!("{path}: warning: {w}");
                }
                if let Some(dir) = &out_dir {
                    let name = std::path::Path::new(&path).file_name().unwrap_or_default();
                    if let Err(e) = std::fs::write(dir.join(name), vigil_cib::write_cib(&cib)) {
                        println!("{path}: cannot write: {e}");
                        failed = true;
                    }
                }
            }
            Err(e) => {
                println!("{path}: error: {e}");
                failed = true;
            }
        }
    }
    std::process::exit(i32::from(failed));
}
