#!/usr/bin/env python3
"""Benchmark 2, graceful stop: the master gets SIGTERM and sends priority 0; the outage.

Rows: advert_int 1 (VRRPv2, PASS auth) and advert_int 0.01 (VRRPv3); keepalived on both
hosts vs vigil on both hosts, interleaved run by run. See handover.py for the method.
"""

import handover

if __name__ == "__main__":
    handover.main("graceful", __doc__)
