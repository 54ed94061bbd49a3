//! Table-driven tests of the pure scoring core against keepalived's rules.

use vigil_track::{effective_priority, Effect, Input, Signal};

fn parse_input(tok: &str) -> Input {
    let parts: Vec<&str> = tok.split(':').collect();
    let reverse = parts.get(3) == Some(&"r");
    match parts[0] {
        "S" => Input::Signal {
            state: match parts[1] {
                "up" => Signal::Up,
                "down" => Signal::Down,
                "init" => Signal::Init,
                other => panic!("bad state {other}"),
            },
            weight: parts[2].parse().unwrap(),
            reverse,
        },
        "F" => Input::File {
            value: parts[1].parse().unwrap(),
            weight: parts[2].parse().unwrap(),
            reverse,
        },
        other => panic!("bad input kind {other}"),
    }
}

#[test]
fn priority_table() {
    let table = include_str!("priority_cases.txt");
    let mut n = 0;
    for (lineno, line) in table.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let cols: Vec<&str> = line.split('|').map(str::trim).collect();
        assert_eq!(cols.len(), 3, "line {}: three columns", lineno + 1);
        let base: u8 = cols[0].parse().unwrap();
        let inputs: Vec<Input> = cols[1].split_whitespace().map(parse_input).collect();
        let mut exp = cols[2].split_whitespace();
        let kind = exp.next().unwrap();
        let prio: u8 = exp.next().unwrap().parse().unwrap();
        let want = Effect {
            fault: kind == "fault",
            init: kind == "init",
            priority: prio,
        };
        let got = effective_priority(base, inputs);
        assert_eq!(got, want, "line {}: {line}", lineno + 1);
        n += 1;
    }
    assert!(n >= 40, "table has {n} cases");
}

#[test]
fn order_does_not_matter() {
    let a = [
        Input::Signal {
            state: Signal::Up,
            weight: 30,
            reverse: false,
        },
        Input::File {
            value: -7,
            weight: 2,
            reverse: false,
        },
        Input::Signal {
            state: Signal::Down,
            weight: -50,
            reverse: true,
        },
    ];
    let mut b = a;
    b.reverse();
    assert_eq!(effective_priority(100, a), effective_priority(100, b));
    assert_eq!(effective_priority(100, a).priority, 100 + 30 - 14 + 50);
}

#[test]
fn interface_links_feed_the_score() {
    use vigil_track::{InterfaceTable, InterfaceUse};
    let mut t = InterfaceTable::new();
    let eth0 = InterfaceUse {
        ifname: "eth0".into(),
        weight: 0,
        reverse: false,
    };
    let eth1 = InterfaceUse {
        ifname: "eth1".into(),
        weight: -20,
        reverse: false,
    };
    // Unknown links count as down.
    assert_eq!(t.signal("eth0"), Signal::Down);
    assert!(t.set_link("eth0", true));
    assert!(!t.set_link("eth0", true));
    assert!(t.set_link("eth1", false));
    let e = effective_priority(100, [t.input(&eth0), t.input(&eth1)]);
    assert_eq!(
        e,
        Effect {
            fault: false,
            init: false,
            priority: 80
        }
    );
    t.set_link("eth0", false);
    t.set_link("eth1", true);
    let e = effective_priority(100, [t.input(&eth0), t.input(&eth1)]);
    assert_eq!(
        e,
        Effect {
            fault: true,
            init: false,
            priority: 100
        }
    );
    assert!(!t.remove("eth0"));
    assert_eq!(t.signal("eth0"), Signal::Down);
}
