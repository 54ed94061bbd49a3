//! `vigil lab demo`: vigil's main job on one machine.
//!
//! Three hosts in network namespaces on one bridge: h1 and h2 run `vigil keepalived` with
//! one virtual IP (h1 at the higher priority), h3 is a client that pings the virtual IP
//! every 10 ms. The demo cuts h1's switch port and prints the failover as h3 saw it: the
//! last reply from the old master, the first from the new one, and the gap.

use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use anyhow::{bail, Context};
use vigil_lab::{wait_until, Lab, Prober};

/// Options of the demo.
#[derive(clap::Args, Debug, Clone)]
pub struct DemoArgs {
    /// VRRP advertisement interval in seconds (v3 allows hundredths, e.g. 0.05).
    #[arg(long, default_value = "1")]
    pub advert_int: String,
    /// VRRP version (2 or 3).
    #[arg(long, default_value_t = 2)]
    pub vrrp_version: u8,
    /// Run Debian's keepalived instead of vigil on the backup host h2.
    #[arg(long)]
    pub keepalived_backup: bool,
    /// Print the daemons' logs at the end.
    #[arg(long)]
    pub logs: bool,
}

const VIP: &str = "198.51.100.100";

fn config(router_id: &str, priority: u8, args: &DemoArgs) -> String {
    let auth = if args.vrrp_version == 2 {
        "    authentication {\n        auth_type PASS\n        auth_pass vigil\n    }\n"
    } else {
        ""
    };
    format!(
        "global_defs {{\n    router_id {router_id}\n}}\n\n\
         vrrp_instance VI_1 {{\n    state BACKUP\n    interface eth0\n    virtual_router_id 51\n    \
         version {v}\n    priority {priority}\n    advert_int {ai}\n{auth}    virtual_ipaddress {{\n        \
         {VIP}/24\n    }}\n}}\n",
        v = args.vrrp_version,
        ai = args.advert_int,
    )
}

fn unix_now() -> f64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn write(dir: &Path, name: &str, text: &str) -> anyhow::Result<PathBuf> {
    let p = dir.join(name);
    std::fs::write(&p, text).with_context(|| format!("writing {}", p.display()))?;
    Ok(p)
}

/// Runs the demo; returns the process exit code.
pub fn run(args: DemoArgs) -> anyhow::Result<i32> {
    if !vigil_lab::lab_available() {
        bail!("the lab needs root and network namespaces (ip netns); run as root");
    }
    let exe = std::env::current_exe().context("finding the vigil binary")?;
    let mut lab = Lab::new()?;
    lab.add_host("h1", &["198.51.100.1/24"])?;
    lab.add_host("h2", &["198.51.100.2/24"])?;
    lab.add_host("h3", &["198.51.100.3/24"])?;
    let dir = std::env::temp_dir().join(format!("{}-demo", lab.prefix()));
    std::fs::create_dir_all(&dir)?;
    let exe = exe.to_string_lossy().into_owned();

    println!(
        "lab {}: h1 198.51.100.1, h2 198.51.100.2, client h3 198.51.100.3; virtual IP {VIP}",
        lab.prefix()
    );
    let mut daemons = Vec::new();
    for (host, prio) in [("h1", 120u8), ("h2", 110u8)] {
        let conf = write(&dir, &format!("{host}.conf"), &config(host, prio, &args))?;
        let pid = dir.join(format!("{host}.pid"));
        let vpid = dir.join(format!("{host}-vrrp.pid"));
        let (conf, pid, vpid) = (
            conf.to_string_lossy().into_owned(),
            pid.to_string_lossy().into_owned(),
            vpid.to_string_lossy().into_owned(),
        );
        let use_keepalived = host == "h2" && args.keepalived_backup;
        let program = if use_keepalived {
            "keepalived"
        } else {
            exe.as_str()
        };
        let mut argv: Vec<&str> = vec![program];
        if !use_keepalived {
            argv.push("keepalived");
        }
        argv.extend([
            "--dont-fork",
            "--log-console",
            "--log-detail",
            "-f",
            &conf,
            "-p",
            &pid,
            "-r",
            &vpid,
        ]);
        let name = if use_keepalived {
            "keepalived"
        } else {
            "vigil keepalived"
        };
        println!("{host}: {name}, priority {prio}");
        daemons.push((host, lab.host(host).spawn(&argv)?));
    }

    let h1_mac = lab.host("h1").mac()?;
    let h2_mac = lab.host("h2").mac()?;
    let h3 = lab.host("h3");
    let up = wait_until(Duration::from_secs(15), || {
        lab.host("h1").has_addr(VIP).unwrap_or(false)
            && h3.ping(VIP, 1, Duration::from_millis(200)).unwrap_or(false)
    });
    if !up {
        for (h, d) in &daemons {
            eprintln!("--- {h} log:\n{}", d.stderr().unwrap_or_default());
        }
        bail!("h1 did not become master with {VIP} within 15 s");
    }
    println!(
        "h1 is master: h3 reaches {VIP} at {}",
        h3.neigh_mac(VIP)?.unwrap_or_default()
    );

    let prober = Prober::start(h3, VIP)?;
    std::thread::sleep(Duration::from_millis(1000));
    let cut_at = unix_now();
    lab.cut_link("h1")?;
    println!("cut h1's switch port");
    let h2_mac_c = h2_mac.clone();
    let moved = wait_until(Duration::from_secs(15), || {
        lab.host("h2").has_addr(VIP).unwrap_or(false)
    });
    std::thread::sleep(Duration::from_millis(1000));
    let report = prober.stop()?;
    if !moved {
        bail!("h2 did not take over {VIP} within 15 s");
    }
    println!();
    println!("failover timeline as h3 saw it (t = 0 at the cut):");
    match report.handover(&h1_mac, &h2_mac_c) {
        Some(h) => {
            println!(
                "  last reply from h1 (old master, {h1_mac}):  t = {:+9.1} ms",
                (h.last_old - cut_at) * 1000.0
            );
            println!(
                "  first reply from h2 (new master, {h2_mac}): t = {:+9.1} ms",
                (h.first_new - cut_at) * 1000.0
            );
            println!("  gap: {:.1} ms", h.gap_ms);
        }
        None => println!("  no handover seen in {} replies", report.replies.len()),
    }
    if let Some((_, _, gap)) = report.longest_gap() {
        println!(
            "  longest silence between two replies: {:.1} ms",
            gap.as_secs_f64() * 1000.0
        );
    }
    if args.logs {
        for (h, d) in &daemons {
            println!("--- {h} log:\n{}", d.stderr().unwrap_or_default());
        }
    }
    drop(daemons);
    let _ = std::fs::remove_dir_all(&dir);
    Ok(0)
}
