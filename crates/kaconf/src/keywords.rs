//! The one place that lists keywords: what vigil implements
//! ([`SUPPORTED_KEYWORDS`]) and what keepalived recognises
//! ([`KEEPALIVED_KEYWORDS`]), so that a keyword vigil does not implement is
//! reported as "not supported by vigil yet" and one that keepalived does not
//! know either as "unknown keyword", as keepalived itself reports it.

/// Keywords vigil turns into typed configuration, by section. The section
/// `""` is the top level; a block's section is its keyword.
pub const SUPPORTED_KEYWORDS: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "global_defs",
            "vrrp_instance",
            "vrrp_script",
            "track_file",
            "vrrp_track_file",
            "track_process",
            "vrrp_track_process",
            "vrrp_sync_group",
            "track_group",
            "garp_group",
            "static_ipaddress",
            "static_routes",
            "static_rules",
            "linkbeat_interfaces",
            "interface_up_down_delays",
            // config::ProcessDefs
            "net_namespace",
            "namespace_with_ipsets",
            "instance",
            "use_pid_dir",
            "linkbeat_use_polling",
            "child_wait_time",
        ],
    ),
    (
        "global_defs",
        &[
            "router_id",
            "vrrp_version",
            "vrrp_mcast_group4",
            "vrrp_mcast_group6",
            "vrrp_garp_master_delay",
            "vrrp_garp_master_repeat",
            "vrrp_garp_master_refresh",
            "vrrp_garp_master_refresh_repeat",
            "vrrp_garp_interval",
            "vrrp_gna_interval",
            "vrrp_garp_lower_prio_delay",
            "vrrp_garp_lower_prio_repeat",
            "vrrp_lower_prio_no_advert",
            "vrrp_higher_prio_send_advert",
            "vrrp_skip_check_adv_addr",
            "vrrp_strict",
            "vrrp_check_unicast_src",
            "script_user",
            "enable_script_security",
            "notify_fifo",
            "vrrp_notify_fifo",
            "notification_email",
            "smtp_server",
            "umask",
            "vrrp_garp_extra_if",
            "vrrp_rx_bufs_policy",
            // config::DaemonDefs
            "tmp_config_directory",
            "config_save_dir",
            "process_names",
            "process_name",
            "vrrp_process_name",
            "checker_process_name",
            "bfd_process_name",
            "use_symlink_paths",
            "set_supplementary_groups",
            "startup_script",
            "startup_script_timeout",
            "shutdown_script",
            "shutdown_script_timeout",
            "notify_fifo_script",
            "vrrp_notify_fifo_script",
            "fifo_write_vrrp_states_on_reload",
            "random_seed",
            "reload_check_config",
            "reload_time_file",
            "reload_repeat",
            "reload_file",
            "data_use_instance",
            "state_file_location",
            "stats_file_location",
            "json_file_location",
            "json_version",
            "iproute_usr_dir",
            "iproute_etc_dir",
            "enable_dbus",
            "dbus_service_name",
            "dbus_no_interface_name",
            "snmp_socket",
            "enable_snmp_vrrp",
            "enable_snmp_keepalived",
            "enable_snmp_rfc",
            "enable_snmp_rfcv2",
            "enable_snmp_rfcv3",
            "enable_traps",
            // config::SmtpDefs
            "notification_email_from",
            "smtp_helo_name",
            "smtp_connect_timeout",
            "smtp_alert",
            "smtp_alert_vrrp",
            "no_email_faults",
            // config::VrrpDefs
            "default_interface",
            "vrrp_min_garp",
            "vrrp_down_timer_adverts",
            "v3_checksum_as_v2",
            "vrrp_notify_priority_changes",
            "nftables",
            "nftables_priority",
            "nftables_counters",
            "nftables_ifindex",
            "vrrp_iptables",
            "vrrp_ipsets",
            "disable_local_igmp",
            "max_auto_priority",
            "min_auto_priority_delay",
            "vrrp_priority",
            "vrrp_no_swap",
            "vrrp_cpu_affinity",
            "vrrp_rt_priority",
            "vrrp_rlimit_rttime",
            "dynamic_interfaces",
            "vrrp_netlink_cmd_rcv_bufs",
            "vrrp_netlink_cmd_rcv_bufs_force",
            "vrrp_netlink_monitor_rcv_bufs",
            "vrrp_netlink_monitor_rcv_bufs_force",
            "process_monitor_rcv_bufs",
            "process_monitor_rcv_bufs_force",
            "vrrp_rx_bufs_multiplier",
            "vrrp_startup_delay",
            "vrrp_delay_after_boot",
            "log_unknown_vrids",
            "vmac_prefix",
            "vmac_addr_prefix",
        ],
    ),
    (
        "vrrp_instance",
        &[
            "state",
            "interface",
            "virtual_router_id",
            "priority",
            "advert_int",
            "version",
            "nopreempt",
            "preempt",
            "preempt_delay",
            "authentication",
            "virtual_ipaddress",
            "virtual_ipaddress_excluded",
            "virtual_routes",
            "unicast_src_ip",
            "unicast_peer",
            "mcast_src_ip",
            "accept",
            "no_accept",
            "notify_master",
            "notify_backup",
            "notify_fault",
            "notify_stop",
            "notify",
            "track_interface",
            "garp_master_delay",
            "garp_master_repeat",
            "garp_master_refresh",
            "garp_master_refresh_repeat",
            "lower_prio_no_advert",
            "higher_prio_send_advert",
            "skip_check_adv_addr",
            "strict_mode",
            "dont_track_primary",
            "use_vmac",
            "debug",
            "track_script",
            "track_file",
            "track_process",
            "track_bfd",
            "use_vmac_addr",
            "vmac_xmit_base",
            "use_ipvlan",
            "native_ipv6",
            "vrf",
            "mcast_dst_ip",
            "track_src_ip",
            "check_unicast_src",
            "unicast_fault_no_peer",
            "unicast_ttl",
            "old_unicast_checksum",
            "v3_checksum_as_v2",
            "garp_lower_prio_delay",
            "garp_lower_prio_repeat",
            "garp_extra_if",
            "down_timer_adverts",
            "timer_expired_backup",
            "no_virtual_ipaddress",
            "promote_secondaries",
            "virtual_rules",
            "auth_hmac",
            "notify_master_rx_lower_pri",
            "notify_deleted",
            "notify_priority_changes",
            "smtp_alert",
            "kernel_rx_buf_size",
            "linkbeat_use_polling",
        ],
    ),
    ("authentication", &["auth_type", "auth_pass"]),
    (
        "auth_hmac",
        &["key", "active_key", "anti_replay", "time_window", "mode"],
    ),
    (
        "vrrp_script",
        &[
            "script",
            "interval",
            "timeout",
            "weight",
            "rise",
            "fall",
            "user",
            "init_fail",
        ],
    ),
    ("track_file", &["file", "weight", "init_file"]),
    (
        "track_process",
        &[
            "process",
            "param_match",
            "weight",
            "quorum",
            "quorum_max",
            "fork_delay",
            "terminate_delay",
            "delay",
            "full_command",
        ],
    ),
    (
        "vrrp_sync_group",
        &[
            "group",
            "track_interface",
            "track_script",
            "track_file",
            "track_process",
            "track_bfd",
            "notify_master",
            "notify_backup",
            "notify_fault",
            "notify_stop",
            "notify",
            "notify_deleted",
            "notify_priority_changes",
            "smtp_alert",
            "global_tracking",
            "sync_group_tracking_weight",
        ],
    ),
    ("track_group", &["group"]),
    (
        "garp_group",
        &["garp_interval", "gna_interval", "interface", "interfaces"],
    ),
];

/// Typed keywords that are being implemented in the daemon right now
/// (tracking, sync groups, VMACs). They are warned about at load like
/// [`NOT_ACTED_ON`]; the lead empties this list when the daemon acts on
/// them.
pub const ACTED_ON_SOON: &[(&str, &[&str])] = &[(
    "vrrp_instance",
    &["use_vmac", "use_vmac_addr", "vmac_xmit_base"],
)];

/// Typed keywords the daemon does not act on yet: parsed, checked, dumped,
/// and warned about at load ("parsed, but vigil does not act on it yet").
/// A block's contents are covered by the block's keyword.
pub const NOT_ACTED_ON: &[(&str, &[&str])] = &[
    (
        "",
        &[
            "track_group",
            "garp_group",
            "static_ipaddress",
            "static_routes",
            "static_rules",
            "linkbeat_interfaces",
            "interface_up_down_delays",
            "net_namespace",
            "namespace_with_ipsets",
            "instance",
            "use_pid_dir",
            "linkbeat_use_polling",
            "child_wait_time",
        ],
    ),
    (
        "global_defs",
        &[
            "notification_email",
            "smtp_server",
            "umask",
            "vrrp_garp_extra_if",
            "vrrp_rx_bufs_policy",
            "tmp_config_directory",
            "config_save_dir",
            "process_names",
            "process_name",
            "vrrp_process_name",
            "checker_process_name",
            "bfd_process_name",
            "use_symlink_paths",
            "set_supplementary_groups",
            "startup_script",
            "startup_script_timeout",
            "shutdown_script",
            "shutdown_script_timeout",
            "notify_fifo_script",
            "vrrp_notify_fifo_script",
            "fifo_write_vrrp_states_on_reload",
            "random_seed",
            "reload_check_config",
            "reload_time_file",
            "reload_repeat",
            "reload_file",
            "data_use_instance",
            "iproute_usr_dir",
            "iproute_etc_dir",
            "enable_dbus",
            "dbus_service_name",
            "dbus_no_interface_name",
            "snmp_socket",
            "enable_snmp_vrrp",
            "enable_snmp_keepalived",
            "enable_snmp_rfc",
            "enable_snmp_rfcv2",
            "enable_snmp_rfcv3",
            "enable_traps",
            "notification_email_from",
            "smtp_helo_name",
            "smtp_connect_timeout",
            "smtp_alert",
            "smtp_alert_vrrp",
            "no_email_faults",
            "default_interface",
            "vrrp_min_garp",
            "vrrp_down_timer_adverts",
            "v3_checksum_as_v2",
            "vrrp_notify_priority_changes",
            "nftables",
            "nftables_priority",
            "nftables_counters",
            "nftables_ifindex",
            "vrrp_iptables",
            "vrrp_ipsets",
            "disable_local_igmp",
            "max_auto_priority",
            "min_auto_priority_delay",
            "vrrp_priority",
            "vrrp_no_swap",
            "vrrp_cpu_affinity",
            "vrrp_rt_priority",
            "vrrp_rlimit_rttime",
            "dynamic_interfaces",
            "vrrp_netlink_cmd_rcv_bufs",
            "vrrp_netlink_cmd_rcv_bufs_force",
            "vrrp_netlink_monitor_rcv_bufs",
            "vrrp_netlink_monitor_rcv_bufs_force",
            "process_monitor_rcv_bufs",
            "process_monitor_rcv_bufs_force",
            "vrrp_rx_bufs_multiplier",
            "vrrp_startup_delay",
            "vrrp_delay_after_boot",
            "log_unknown_vrids",
            "vmac_prefix",
            "vmac_addr_prefix",
        ],
    ),
    (
        "vrrp_instance",
        &[
            "track_bfd",
            "use_ipvlan",
            "native_ipv6",
            "vrf",
            "mcast_dst_ip",
            "track_src_ip",
            "check_unicast_src",
            "unicast_fault_no_peer",
            "unicast_ttl",
            "old_unicast_checksum",
            "v3_checksum_as_v2",
            "garp_lower_prio_delay",
            "garp_lower_prio_repeat",
            "garp_extra_if",
            "down_timer_adverts",
            "timer_expired_backup",
            "no_virtual_ipaddress",
            "promote_secondaries",
            "virtual_rules",
            "notify_master_rx_lower_pri",
            "notify_deleted",
            "notify_priority_changes",
            "smtp_alert",
            "kernel_rx_buf_size",
            "linkbeat_use_polling",
        ],
    ),
];

fn listed(table: &[(&str, &[&str])], section: &str, keyword: &str) -> bool {
    table
        .iter()
        .any(|(s, kws)| *s == section && kws.contains(&keyword))
}

/// Whether vigil implements `keyword` in `section` (`""` = top level).
pub fn is_supported(section: &str, keyword: &str) -> bool {
    listed(SUPPORTED_KEYWORDS, section, keyword)
}

/// The section and keyword of the block that holds `section`'s keywords,
/// for sections nested in other than the top level.
fn parent(section: &str) -> (&'static str, &str) {
    match section {
        "authentication" | "auth_hmac" => ("vrrp_instance", section),
        "" => ("", ""),
        _ => ("", section),
    }
}

/// Whether the daemon acts on `keyword` in `section`: it is typed, not in
/// [`NOT_ACTED_ON`] or [`ACTED_ON_SOON`], and neither is the block holding
/// it.
pub fn is_acted_on(section: &str, keyword: &str) -> bool {
    let own = is_supported(section, keyword)
        && !listed(NOT_ACTED_ON, section, keyword)
        && !listed(ACTED_ON_SOON, section, keyword);
    match parent(section) {
        (_, "") => own,
        (ps, pk) => own && is_acted_on(ps, pk),
    }
}

/// Whether the block holding `section` is acted on (so that a keyword in
/// it that is not acted on deserves its own note).
pub(crate) fn section_acted_on(section: &str) -> bool {
    match parent(section) {
        (_, "") => true,
        (ps, pk) => is_acted_on(ps, pk),
    }
}

/// Whether keepalived (2.2.7, or the keepalived.conf(5) shipped in
/// `../shared/reference`) recognises `keyword` in some section.
pub fn is_keepalived_keyword(keyword: &str) -> bool {
    KEEPALIVED_KEYWORDS.binary_search(&keyword).is_ok()
        || KEEPALIVED_24_KEYWORDS.binary_search(&keyword).is_ok()
}

/// Keywords of keepalived 2.4's keepalived.conf(5) (in `../shared/reference`)
/// that Debian's 2.2.7 does not have, sorted (byte order).
#[rustfmt::skip]
pub const KEEPALIVED_24_KEYWORDS: &[&str] = &[
    "active_key", "anti_replay", "auth_hmac", "check_unicast_src", "dbus_no_interface_name",
    "down_timer_adverts", "interface_up_down_delays", "interfaces", "iproute_etc_dir",
    "iproute_usr_dir", "json_file_location", "json_version", "mode", "no_virtual_ipaddress",
    "process", "process_names", "set_supplementary_groups", "state_file_location",
    "stats_file_location", "time_window", "timer_expired_backup", "use_symlink_paths",
    "v3_checksum_as_v2", "vrrp_delay_after_boot", "vrrp_ipsets",
];

/// Every keyword keepalived recognises, in any section, sorted (byte
/// order). Built from the string table of Debian's keepalived 2.2.7
/// intersected with the words of keepalived.conf(5), plus a few legacy
/// spellings 2.2.7 still accepts (`lb_kind`, `nb_get_retry`, ...); a few
/// entries are argument words (`dev`, `src`, `to`).
#[rustfmt::skip]
pub const KEEPALIVED_KEYWORDS: &[&str] = &[
    "BFD_CHECK", "DNS_CHECK", "FILE_CHECK", "HTTP_GET", "MISC_CHECK", "PING_CHECK",
    "SMTP_CHECK", "SSL_GET", "TCP_CHECK", "UDP_CHECK", "accept", "advert_int", "advmss",
    "allow_empty_class", "allow_if_changes", "alpha", "alt_bsux", "alt_circumflex",
    "alt_verbnames", "auth_pass", "auth_type", "authentication", "auto_callout",
    "bfd_cpu_affinity", "bfd_instance", "bfd_no_swap", "bfd_priority", "bfd_process_name",
    "bfd_rlimit_rtime", "bfd_rlimit_rttime", "bfd_rt_priority", "bind_if", "bind_port",
    "bindto", "bird", "blackhole", "brace_match", "certificate", "check_unicast_src",
    "checker_cpu_affinity", "checker_log_all_failures", "checker_no_swap", "checker_priority",
    "checker_process_name", "checker_rlimit_rtime", "checker_rlimit_rttime",
    "checker_rt_priority", "child_wait_time", "clude_check", "config_id", "config_save_dir",
    "connect_ip", "connect_port", "connect_timeout", "data_use_instance", "dbus_service_name",
    "debug", "default_interface", "delay", "delay_before_retry", "delay_loop", "dev", "digest",
    "disable_local_igmp", "dollar_endonly", "dont_track_primary", "down_timer_adverts",
    "dynamic", "dynamic_interfaces", "enable_dbus", "enable_script_security", "enable_sni",
    "enable_snmp_checker", "enable_snmp_keepalived", "enable_snmp_rfc", "enable_snmp_rfcv2",
    "enable_snmp_rfcv3", "enable_snmp_vrrp", "enable_traps", "fall", "fast_recovery",
    "fastopen_no_cookie", "fifo_write_vrrp_states_on_reload", "file", "fork_delay", "from",
    "full_command", "fwmark", "garp_extra_if", "garp_group", "garp_interval",
    "garp_lower_prio_delay", "garp_lower_prio_repeat", "garp_master_delay",
    "garp_master_refresh", "garp_master_refresh_repeat", "garp_master_repeat", "global",
    "global_defs", "global_tracking", "gna_interval", "group", "ha_suspend", "helo_name",
    "higher_prio_send_advert", "hoplimit", "http_protocol", "hysteresis", "idle_tx", "ifname",
    "igmp_link_local_mcast_reports", "include", "include_check", "inhibit_on_failure",
    "init_fail", "init_file", "initrwnd", "instance", "interface", "interface_up_down_delays",
    "interval", "ip_address", "ip_family", "ip_vs", "keepalived_bfd", "keepalived_ipvs",
    "keepalived_script", "keepalived_vrrp", "kernel_rx_buf_size", "key", "lb_algo", "lb_kind",
    "linkbeat_interfaces", "linkbeat_use_polling", "log_all_failures", "log_unknown_vrids",
    "lower_prio_no_advert", "lthreshold", "lvs_flush", "lvs_flush_on_stop", "lvs_flush_onstop",
    "lvs_method", "lvs_netlink_cmd_rcv_bufs", "lvs_netlink_cmd_rcv_bufs_force",
    "lvs_netlink_monitor_rcv_bufs", "lvs_netlink_monitor_rcv_bufs_force", "lvs_notify_fifo",
    "lvs_notify_fifo_script", "lvs_sched", "lvs_sync_daemon", "lvs_sync_daemon_interface",
    "lvs_timeouts", "match_unset_backref", "max_auto_priority", "max_hops", "max_reply_length",
    "max_ttl", "mcast_dst_ip", "mcast_src_ip", "memfd_create", "min_auto_priority_delay",
    "min_reply_length", "min_rx", "min_ttl", "min_tx", "misc_dynamic", "misc_path",
    "misc_timeout", "multiplier", "namespace_with_ipsets", "native_ipv6", "nb_get_retry",
    "neighbor_ip", "neighbour_ip", "net_namespace", "net_namespace_ipvs", "never_backslash_c",
    "never_ucp", "never_utf", "nftables", "nftables_counters", "nftables_ifindex",
    "nftables_ipvs", "nftables_ipvs_priority", "nftables_ipvs_start_fwmark",
    "nftables_priority", "no_accept", "no_auto_capture", "no_auto_possess",
    "no_checker_emails", "no_dotstar_anchor", "no_email_faults", "no_start_optimize",
    "nopreempt", "notification_email", "notification_email_from", "notify", "notify_backup",
    "notify_deleted", "notify_down", "notify_fault", "notify_fifo", "notify_fifo_script",
    "notify_master", "notify_master_rx_lower_pri", "notify_priority_changes", "notify_stop",
    "notify_up", "oif", "old_unicast_checksum", "omega", "onlink", "or", "param_match",
    "passive", "password", "path", "payload", "persistence_engine", "persistence_granularity",
    "persistence_timeout", "preempt", "preempt_delay", "preference", "preferred_lft",
    "priority", "process_monitor_rcv_bufs", "process_monitor_rcv_bufs_force", "process_name",
    "process_names", "promote_secondaries", "protocol", "quorum", "quorum_down", "quorum_max",
    "quorum_up", "random_seed", "real_server", "regex", "regex_max_offset", "regex_min_offset",
    "regex_no_match", "regex_options", "regex_stack", "reload_check_config", "reload_file",
    "reload_repeat", "reload_time_file", "reordering", "require_reply", "retry", "rise",
    "router_id", "rp_filter", "rs_init_notifies", "rto_min", "sched_get_priority_max", "scope",
    "script", "script_user", "shutdown_script", "shutdown_script_timeout",
    "skip_check_adv_addr", "smtp_alert", "smtp_alert_checker", "smtp_alert_vrrp",
    "smtp_connect_timeout", "smtp_helo_name", "smtp_server", "snmp_name", "snmp_socket",
    "sorry_server", "sorry_server_inhibit", "sorry_server_lvs_method", "source_ip", "src",
    "startup_script", "startup_script_timeout", "state", "static_ipaddress", "static_routes",
    "static_rules", "status_code", "strict_mode", "sync_group_tracking_weight",
    "terminate_delay", "timeout", "tmp_config_directory", "to", "track_bfd", "track_file",
    "track_group", "track_interface", "track_process", "track_script", "track_src_ip", "ttl",
    "type", "uidrange", "umask", "unicast_fault_no_peer", "unicast_peer", "unicast_src_ip",
    "unicast_ttl", "url", "use_ipvlan", "use_offset_limit", "use_pid_dir", "use_vmac",
    "use_vmac_addr", "user", "uthreshold", "version", "virtual_ipaddress",
    "virtual_ipaddress_excluded", "virtual_router_id", "virtual_routes", "virtual_rules",
    "virtual_server", "virtual_server_group", "virtualhost", "vmac_addr_prefix", "vmac_prefix",
    "vmac_xmit_base", "vrf", "vrrp_check_unicast_src", "vrrp_cpu_affinity",
    "vrrp_down_timer_adverts", "vrrp_garp_extra_if", "vrrp_garp_interval",
    "vrrp_garp_lower_prio_delay", "vrrp_garp_lower_prio_repeat", "vrrp_garp_master_delay",
    "vrrp_garp_master_refresh", "vrrp_garp_master_refresh_repeat", "vrrp_garp_master_repeat",
    "vrrp_gna_interval", "vrrp_higher_prio_send_advert", "vrrp_instance", "vrrp_iptables",
    "vrrp_lower_prio_no_advert", "vrrp_mcast_group4", "vrrp_mcast_group6", "vrrp_min_garp",
    "vrrp_netlink_cmd_rcv_bufs", "vrrp_netlink_cmd_rcv_bufs_force",
    "vrrp_netlink_monitor_rcv_bufs", "vrrp_netlink_monitor_rcv_bufs_force", "vrrp_no_swap",
    "vrrp_notify_fifo", "vrrp_notify_fifo_script", "vrrp_notify_priority_changes",
    "vrrp_priority", "vrrp_process_name", "vrrp_rlimit_rtime", "vrrp_rlimit_rttime",
    "vrrp_rt_priority", "vrrp_rx_bufs_multiplier", "vrrp_rx_bufs_policy", "vrrp_script",
    "vrrp_skip_check_adv_addr", "vrrp_startup_delay", "vrrp_strict", "vrrp_sync_group",
    "vrrp_track_file", "vrrp_track_process", "vrrp_version", "warmup", "weight",
    "wildcard_match", "window",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn acted_on_lists_are_typed_and_disjoint() {
        for table in [NOT_ACTED_ON, ACTED_ON_SOON] {
            for (section, kws) in table {
                for kw in *kws {
                    assert!(is_supported(section, kw), "{section}: {kw}");
                    assert!(!is_acted_on(section, kw), "{section}: {kw}");
                }
            }
        }
        for (section, kws) in NOT_ACTED_ON {
            for kw in *kws {
                assert!(!listed(ACTED_ON_SOON, section, kw), "{section}: {kw}");
            }
        }
        assert!(is_acted_on("vrrp_instance", "priority"));
        assert!(is_acted_on("authentication", "auth_pass"));
        assert!(is_acted_on("auth_hmac", "key"));
        assert!(is_acted_on("vrrp_script", "interval"));
        assert!(section_acted_on("vrrp_script"));
        assert!(!is_acted_on("vrrp_instance", "use_vmac"));
        assert!(!is_acted_on("", "static_routes"));
        assert!(section_acted_on("global_defs"));
    }

    #[test]
    fn settings_structs_are_listed() {
        use crate::config::{DaemonDefs, ProcessDefs, SmtpDefs, VrrpDefs};
        for kw in ProcessDefs::KEYWORDS {
            assert!(is_supported("", kw), "{kw}");
        }
        for kws in [DaemonDefs::KEYWORDS, SmtpDefs::KEYWORDS, VrrpDefs::KEYWORDS] {
            for kw in kws {
                assert!(is_supported("global_defs", kw), "{kw}");
            }
        }
    }

    #[test]
    fn keepalived_keywords_sorted_and_cover_supported() {
        assert!(KEEPALIVED_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        assert!(KEEPALIVED_24_KEYWORDS.windows(2).all(|w| w[0] < w[1]));
        for (section, kws) in SUPPORTED_KEYWORDS {
            for kw in *kws {
                assert!(is_keepalived_keyword(kw), "{section}: {kw}");
                assert!(is_supported(section, kw));
            }
        }
        assert!(!is_keepalived_keyword("frobnicate"));
    }
}
