//! Groups of simple global settings, declared with [`settings!`] so that
//! reading and dumping share one table: the top-level process keywords
//! (`net_namespace`, `instance`, ...), and the `global_defs` keywords of
//! the daemon, SMTP alerts and VRRP.

use std::path::PathBuf;

use super::global::TIMER_MAX_SECS;
use super::script::Script;
use super::setting::settings;

settings! {
    /// Keywords written at top level, outside `global_defs`
    /// (keepalived.conf(5) "Global definitions", first part).
    pub struct ProcessDefs {
        /// `net_namespace NAME`: run in this network namespace.
        net_namespace: Option<String> = "net_namespace",
        /// `namespace_with_ipsets`.
        namespace_with_ipsets: bool = "namespace_with_ipsets",
        /// `instance NAME`: pid file names for several keepalived per namespace.
        instance: Option<String> = "instance",
        /// `use_pid_dir`.
        use_pid_dir: bool = "use_pid_dir",
        /// `linkbeat_use_polling`: poll link state instead of netlink.
        linkbeat_use_polling: bool = "linkbeat_use_polling",
        /// `child_wait_time SECS` (default 5).
        child_wait_time: Option<u32> = "child_wait_time" [0, TIMER_MAX_SECS],
    }
}

settings! {
    /// Daemon-wide `global_defs` settings: process names and priorities,
    /// startup/shutdown scripts, reload, state files, D-Bus and SNMP.
    pub struct DaemonDefs {
        /// `tmp_config_directory DIR`.
        tmp_config_directory: Option<PathBuf> = "tmp_config_directory",
        /// `config_save_dir DIR`.
        config_save_dir: Option<PathBuf> = "config_save_dir",
        /// `process_names`: default process names.
        process_names: bool = "process_names",
        /// `process_name NAME` (parent).
        process_name: Option<String> = "process_name",
        /// `vrrp_process_name NAME`.
        vrrp_process_name: Option<String> = "vrrp_process_name",
        /// `checker_process_name NAME`.
        checker_process_name: Option<String> = "checker_process_name",
        /// `bfd_process_name NAME`.
        bfd_process_name: Option<String> = "bfd_process_name",
        /// `use_symlink_paths [BOOL]`.
        use_symlink_paths: Option<bool> = "use_symlink_paths",
        /// `set_supplementary_groups`.
        set_supplementary_groups: bool = "set_supplementary_groups",
        /// `startup_script SCRIPT [USER [GROUP]]`.
        startup_script: Option<Script> = "startup_script",
        /// `startup_script_timeout SECS` (1..1000, default 10).
        startup_script_timeout: Option<u32> = "startup_script_timeout" [1, 1000],
        /// `shutdown_script SCRIPT [USER [GROUP]]`.
        shutdown_script: Option<Script> = "shutdown_script",
        /// `shutdown_script_timeout SECS` (1..1000, default 10).
        shutdown_script_timeout: Option<u32> = "shutdown_script_timeout" [1, 1000],
        /// `notify_fifo_script SCRIPT [USER [GROUP]]`.
        notify_fifo_script: Option<Script> = "notify_fifo_script",
        /// `vrrp_notify_fifo_script SCRIPT [USER [GROUP]]`.
        vrrp_notify_fifo_script: Option<Script> = "vrrp_notify_fifo_script",
        /// `fifo_write_vrrp_states_on_reload`.
        fifo_write_vrrp_states_on_reload: bool = "fifo_write_vrrp_states_on_reload",
        /// `random_seed N` (seeds `${_RANDOM}`).
        random_seed: Option<u32> = "random_seed",
        /// `reload_check_config [LOG_FILE]`.
        reload_check_config: Option<Option<PathBuf>> = "reload_check_config",
        /// `reload_time_file PATH`.
        reload_time_file: Option<PathBuf> = "reload_time_file",
        /// `reload_repeat`.
        reload_repeat: bool = "reload_repeat",
        /// `reload_file [PATH]`.
        reload_file: Option<Option<PathBuf>> = "reload_file",
        /// `data_use_instance [BOOL]`.
        data_use_instance: Option<bool> = "data_use_instance",
        /// `state_file_location PATH`.
        state_file_location: Option<PathBuf> = "state_file_location",
        /// `stats_file_location PATH`.
        stats_file_location: Option<PathBuf> = "stats_file_location",
        /// `json_file_location PATH`.
        json_file_location: Option<PathBuf> = "json_file_location",
        /// `json_version 1|2`.
        json_version: Option<u8> = "json_version" [1, 2],
        /// `iproute_usr_dir PATH`.
        iproute_usr_dir: Option<PathBuf> = "iproute_usr_dir",
        /// `iproute_etc_dir PATH`.
        iproute_etc_dir: Option<PathBuf> = "iproute_etc_dir",
        /// `enable_dbus`.
        enable_dbus: bool = "enable_dbus",
        /// `dbus_service_name NAME`.
        dbus_service_name: Option<String> = "dbus_service_name",
        /// `dbus_no_interface_name NAME`.
        dbus_no_interface_name: Option<String> = "dbus_no_interface_name",
        /// `snmp_socket SPEC`.
        snmp_socket: Option<String> = "snmp_socket",
        /// `enable_snmp_vrrp`.
        enable_snmp_vrrp: bool = "enable_snmp_vrrp",
        /// `enable_snmp_keepalived` (old name of `enable_snmp_vrrp`).
        enable_snmp_keepalived: bool = "enable_snmp_keepalived",
        /// `enable_snmp_rfc`.
        enable_snmp_rfc: bool = "enable_snmp_rfc",
        /// `enable_snmp_rfcv2`.
        enable_snmp_rfcv2: bool = "enable_snmp_rfcv2",
        /// `enable_snmp_rfcv3`.
        enable_snmp_rfcv3: bool = "enable_snmp_rfcv3",
        /// `enable_traps`.
        enable_traps: bool = "enable_traps",
    }
}

settings! {
    /// E-mail alert settings of `global_defs` (`notification_email` and
    /// `smtp_server` are read by [`super::GlobalDefs`] itself).
    pub struct SmtpDefs {
        /// `notification_email_from ADDR`.
        notification_email_from: Option<String> = "notification_email_from",
        /// `smtp_helo_name NAME`.
        smtp_helo_name: Option<String> = "smtp_helo_name",
        /// `smtp_connect_timeout SECS`.
        smtp_connect_timeout: Option<u32> = "smtp_connect_timeout" [1, TIMER_MAX_SECS],
        /// `smtp_alert [BOOL]`: default for every alert.
        smtp_alert: Option<bool> = "smtp_alert",
        /// `smtp_alert_vrrp [BOOL]`: default for VRRP alerts.
        smtp_alert_vrrp: Option<bool> = "smtp_alert_vrrp",
        /// `no_email_faults`.
        no_email_faults: bool = "no_email_faults",
    }
}

settings! {
    /// VRRP `global_defs` settings beyond the ones [`super::GlobalDefs`]
    /// has always typed.
    pub struct VrrpDefs {
        /// `default_interface IF` for static addresses (default eth0).
        default_interface: Option<String> = "default_interface",
        /// `vrrp_min_garp [BOOL]`: one GARP/NA, no second burst.
        vrrp_min_garp: Option<bool> = "vrrp_min_garp",
        /// `vrrp_down_timer_adverts N` (1..100, default 3).
        vrrp_down_timer_adverts: Option<u8> = "vrrp_down_timer_adverts" [1, 100],
        /// `v3_checksum_as_v2 [BOOL]`.
        v3_checksum_as_v2: Option<bool> = "v3_checksum_as_v2",
        /// `vrrp_notify_priority_changes [BOOL]`.
        vrrp_notify_priority_changes: Option<bool> = "vrrp_notify_priority_changes",
        /// `nftables [TABLE]` (default table `keepalived`).
        nftables: Option<Option<String>> = "nftables",
        /// `nftables_priority N` (default -1).
        nftables_priority: Option<i32> = "nftables_priority" [i32::MIN, i32::MAX],
        /// `nftables_counters`.
        nftables_counters: bool = "nftables_counters",
        /// `nftables_ifindex`.
        nftables_ifindex: bool = "nftables_ifindex",
        /// `vrrp_iptables [IN_CHAIN [OUT_CHAIN]]`.
        vrrp_iptables: Option<Vec<String>> = "vrrp_iptables",
        /// `vrrp_ipsets [NAME...]`.
        vrrp_ipsets: Option<Vec<String>> = "vrrp_ipsets",
        /// `disable_local_igmp`.
        disable_local_igmp: bool = "disable_local_igmp",
        /// `max_auto_priority [N]` (-1..99).
        max_auto_priority: Option<i32> = "max_auto_priority" [-1, 99],
        /// `min_auto_priority_delay USECS`.
        min_auto_priority_delay: Option<u32> = "min_auto_priority_delay" [1, 10_000_000],
        /// `vrrp_priority N` (nice value -20..19).
        vrrp_priority: Option<i32> = "vrrp_priority" [-20, 19],
        /// `vrrp_no_swap`.
        vrrp_no_swap: bool = "vrrp_no_swap",
        /// `vrrp_cpu_affinity CPU...`.
        vrrp_cpu_affinity: Vec<String> = "vrrp_cpu_affinity",
        /// `vrrp_rt_priority N` (1..99).
        vrrp_rt_priority: Option<u32> = "vrrp_rt_priority" [1, 99],
        /// `vrrp_rlimit_rttime USECS` (at least 2).
        vrrp_rlimit_rttime: Option<u32> = "vrrp_rlimit_rttime" [2, u32::MAX],
        /// `dynamic_interfaces [allow_if_changes]`.
        dynamic_interfaces: Option<Option<String>> = "dynamic_interfaces",
        /// `vrrp_netlink_cmd_rcv_bufs BYTES`.
        vrrp_netlink_cmd_rcv_bufs: Option<u32> = "vrrp_netlink_cmd_rcv_bufs",
        /// `vrrp_netlink_cmd_rcv_bufs_force [BOOL]`.
        vrrp_netlink_cmd_rcv_bufs_force: Option<bool> = "vrrp_netlink_cmd_rcv_bufs_force",
        /// `vrrp_netlink_monitor_rcv_bufs BYTES`.
        vrrp_netlink_monitor_rcv_bufs: Option<u32> = "vrrp_netlink_monitor_rcv_bufs",
        /// `vrrp_netlink_monitor_rcv_bufs_force [BOOL]`.
        vrrp_netlink_monitor_rcv_bufs_force: Option<bool> = "vrrp_netlink_monitor_rcv_bufs_force",
        /// `process_monitor_rcv_bufs BYTES`.
        process_monitor_rcv_bufs: Option<u32> = "process_monitor_rcv_bufs",
        /// `process_monitor_rcv_bufs_force [BOOL]`.
        process_monitor_rcv_bufs_force: Option<bool> = "process_monitor_rcv_bufs_force",
        /// `vrrp_rx_bufs_multiplier N` (default 3).
        vrrp_rx_bufs_multiplier: Option<u32> = "vrrp_rx_bufs_multiplier" [1, u32::MAX],
        /// `vrrp_startup_delay SECS`.
        vrrp_startup_delay: Option<f64> = "vrrp_startup_delay" [0, TIMER_MAX_SECS],
        /// `vrrp_delay_after_boot SECS`.
        vrrp_delay_after_boot: Option<f64> = "vrrp_delay_after_boot" [0, TIMER_MAX_SECS],
        /// `log_unknown_vrids`.
        log_unknown_vrids: bool = "log_unknown_vrids",
        /// `vmac_prefix STRING` (default "vrrp").
        vmac_prefix: Option<String> = "vmac_prefix",
        /// `vmac_addr_prefix STRING`.
        vmac_addr_prefix: Option<String> = "vmac_addr_prefix",
    }
}
