#!/usr/bin/env python3
"""Generate a Pacemaker CIB with N resources on M nodes for scheduler benchmarks.

Mix: every 10th resource slot is a 3-member group, every 25th an anonymous clone, the
rest primitives; a location preference per primitive, a colocation and an ordering
for every 5th one; probe history (found stopped) for every primitive on every node.
Usage: gen_cib.py N M > cib.xml
"""
import sys


def main():
    n_rsc, n_nodes = int(sys.argv[1]), int(sys.argv[2])
    nodes = [f"node{i}" for i in range(1, n_nodes + 1)]
    out = []
    w = out.append
    w('<cib admin_epoch="0" epoch="1" num_updates="1" validate-with="pacemaker-3.0" '
      'have-quorum="1" dc-uuid="node1">')
    w('<configuration><crm_config><cluster_property_set id="opts">'
      '<nvpair id="o1" name="stonith-enabled" value="false"/>'
      '</cluster_property_set></crm_config><nodes>')
    for n in nodes:
        w(f'<node id="{n}" uname="{n}"/>')
    w('</nodes><resources>')
    prims = []  # (id, running-on)
    cons = []
    i = 0
    while i < n_rsc:
        mon = '<operations><op id="{0}-mon" name="monitor" interval="10s"/></operations>'
        if i % 10 == 9 and i + 3 <= n_rsc:
            w(f'<group id="g{i}">')
            for k in range(3):
                rid = f"r{i + k}"
                w(f'<primitive id="{rid}" class="ocf" provider="pacemaker" type="Dummy">'
                  + mon.format(rid) + '</primitive>')
            w('</group>')
            i += 3
            continue
        rid = f"r{i}"
        prim = (f'<primitive id="{rid}" class="ocf" provider="pacemaker" type="Dummy">'
                + mon.format(rid) + '</primitive>')
        if i % 25 == 24:
            w(f'<clone id="c{i}">{prim}</clone>')
        else:
            w(prim)
            prims.append(rid)
            node = nodes[i % n_nodes]
            cons.append(f'<rsc_location id="l{i}" rsc="{rid}" node="{node}" score="{(i % 7) * 10}"/>')
            if i % 5 == 0 and i > 0:
                cons.append(f'<rsc_colocation id="co{i}" rsc="{rid}" with-rsc="r{i - 1}" score="50"/>')
                cons.append(f'<rsc_order id="or{i}" first="r{i - 1}" then="{rid}" kind="Optional"/>')
        i += 1
    w('</resources><constraints>')
    out.extend(cons)
    w('</constraints></configuration><status>')
    for ni, n in enumerate(nodes):
        w(f'<node_state id="{n}" uname="{n}" in_ccm="true" crmd="online" join="member" '
          f'expected="member"><lrm id="{n}"><lrm_resources>')
        for pi, rid in enumerate(prims):
            # Probed everywhere, found stopped (op digests of running resources would
            # have to match the parameters, so none is recorded as running).
            w(f'<lrm_resource id="{rid}" class="ocf" provider="pacemaker" type="Dummy">'
              f'<lrm_rsc_op id="{rid}_last_0" operation="monitor" call-id="{pi + 2}" '
              f'rc-code="7" op-status="0" interval="0" '
              f'transition-key="1:1:7:bench" transition-magic="0:7;1:1:7:bench"/>'
              '</lrm_resource>')
        w('</lrm_resources></lrm></node_state>')
    w('</status></cib>')
    print("\n".join(out))


if __name__ == "__main__":
    main()
