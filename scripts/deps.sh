#!/usr/bin/env bash
# Installs the Debian packages that vigil's demo, tests and benchmarks use, if missing.
# Sourced by scripts/test.sh, scripts/demo.sh and the bench scripts.
vigil_install_deps() {
    local need=(keepalived iproute2 nftables tcpdump tshark iputils-ping iputils-arping
                pacemaker-cli-utils resource-agents fence-agents libxml2-utils python3 procps time)
    local missing=() p
    for p in "${need[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
    done
    if ((${#missing[@]})); then
        echo "vigil: installing Debian packages: ${missing[*]}"
        if [ "$(id -u)" != 0 ]; then
            echo "vigil: need root to install packages (run as root or install them yourself)" >&2
            return 1
        fi
        export DEBIAN_FRONTEND=noninteractive
        apt-get update -qq
        # keep package scripts from starting the distribution's keepalived service
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
        apt-get install -y -qq --no-install-recommends "${missing[@]}" </dev/null
        rm -f /usr/sbin/policy-rc.d
    else
        echo "vigil: Debian packages present: ${need[*]}"
    fi
}
