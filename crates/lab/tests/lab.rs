//! Lab tests: real namespaces, veths and a bridge; they need root.
//! Each test starts with `lab_available()`, which skips (or fails in CI) without root.

mod lab {
    mod available;
    mod basics;
    mod cleanup;
    mod errors;
    mod loss;
    mod partition;
    mod probe;
    mod procs;

    use vigil_lab::Lab;

    /// A lab with h1 .1 and h2 .2 on 198.51.100.0/24 and 2001:db8::/64.
    pub fn two_hosts() -> Lab {
        let mut lab = Lab::new().expect("lab");
        lab.add_host("h1", &["198.51.100.1/24", "2001:db8::1/64"])
            .expect("h1");
        lab.add_host("h2", &["198.51.100.2/24", "2001:db8::2/64"])
            .expect("h2");
        lab
    }

    /// Namespace names currently present.
    pub fn netns_list() -> Vec<String> {
        let out = std::process::Command::new("ip")
            .args(["netns", "list"])
            .output()
            .expect("ip netns list");
        String::from_utf8_lossy(&out.stdout)
            .lines()
            .filter_map(|l| l.split_whitespace().next().map(str::to_owned))
            .collect()
    }
}
