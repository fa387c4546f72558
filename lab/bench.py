# -*- coding: utf-8 -*-
"""make bench (run with the repository's .venv Python): how long the playbooks take, from bare lab containers, at several sizes.

For each size N (BENCH_SIZES, default "3 9": N nodes, plus one master that is also the etcd
member) it creates N+2 node containers (the master, N nodes and a spare), then times
  converge   site.yml from bare hosts
  rerun      site.yml again (changed must be 0)
  check      site.yml --check --diff on the converged cluster (changed must be 0)
  add-node   playbooks/scale.yml with the spare added to the nodes group
and removes the containers. Every run uses the profile_tasks callback: its log is kept in
.cache/bench/<size>/<step>.log and its ten slowest tasks go into the JSON report
(.cache/bench/bench.json, BENCH_JSON overrides). The table is printed at the end.
The cluster is the lab's (inventory/lab/group_vars: containerd, no registry, images
preloaded from archives), on its own network (172.30.60.0/24) so that it can run beside
`make lab`. Needs the lab's image and artifacts (built here first when missing).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / '.cache' / 'bench'
SUBNET = '172.30.60'
STEPS = ('converge', 'rerun', 'check', 'add-node')


def sh(*argv, log=None, env=None):
    """Run argv from the repository root; its output to log (or through). Returns (rc, seconds)."""
    start = time.monotonic()
    if log is None:
        rc = subprocess.call(argv, cwd=ROOT, env=env)
    else:
        with open(log, 'w') as out:
            rc = subprocess.call(argv, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    return rc, time.monotonic() - start


def inventory(size, path, with_spare):
    """The bench's inventory: bench-m1 (etcd, masters), bench-n1..N (nodes), bench-n<N+1> the
    spare (outside the cluster until with_spare puts it into the nodes group)."""
    nodes = ['bench-n%d' % i for i in range(1, size + 2)]
    spare = nodes[-1]
    in_cluster = nodes if with_spare else nodes[:-1]
    addresses = dict(('bench-n%d' % i, '%s.%d' % (SUBNET, 20 + i)) for i in range(1, size + 2))
    lines = [
        '---',
        '# written by lab/bench.py',
        'all:',
        '  vars:',
        '    ansible_connection: community.docker.docker',
        '    ansible_user: root',
        '    lab_network: {name: k8s-classic-bench, subnet: %s.0/24}' % SUBNET,
        '    k8s_other_hosts: %s' % json.dumps([] if with_spare else [spare]),
        '  children:',
        '    etcd:',
        '      hosts:',
        '        bench-m1:',
        '    masters:',
        '      hosts:',
        '        bench-m1:',
        '          lab_ipv4_address: %s.11' % SUBNET,
        '    nodes:',
        '      hosts:',
    ]
    lines += ['        %s:\n          lab_ipv4_address: %s' % (n, addresses[n]) for n in in_cluster]
    if not with_spare:
        lines += ['    spare:', '      hosts:', '        %s:' % spare,
                  '          lab_ipv4_address: %s' % addresses[spare]]
    path.mkdir(parents=True, exist_ok=True)
    group_vars = path / 'group_vars' / 'all'
    group_vars.mkdir(parents=True, exist_ok=True)
    for name in ('cluster.yml', 'offline.yml', 'lab.yml'):
        link = group_vars / name
        if not link.exists():
            link.symlink_to(ROOT / 'inventory' / 'lab' / 'group_vars' / 'all' / name)
    (path / 'hosts.yml').write_text('\n'.join(lines) + '\n')
    return path / 'hosts.yml'


def recap(log):
    """{host: changed} from the PLAY RECAP of a log, and the slowest tasks of profile_tasks."""
    text = Path(log).read_text(errors='replace')
    changed = dict((m.group(1), int(m.group(2)))
                   for m in re.finditer(r'^(\S+)\s+: ok=\d+\s+changed=(\d+)', text, re.M))
    slowest = []
    tail = text.rsplit('=' * 20, 1)[-1] if '=' * 20 in text else ''
    for m in re.finditer(r'^(.+?) -+ (\d+\.\d+)s$', tail, re.M):
        slowest.append({'task': m.group(1).strip(), 'seconds': float(m.group(2))})
    return changed, slowest[:10]


def bench(size, env):
    work = WORK / str(size)
    shutil.rmtree(work, ignore_errors=True)
    base = inventory(size, work / 'inventory', with_spare=False)
    scaled = inventory(size, work / 'inventory-scaled', with_spare=True)
    # the scaled inventory shares the PKI the converge makes
    (work / 'inventory-scaled' / '.pki').symlink_to(work / 'inventory' / '.pki')
    (work / 'inventory' / '.pki').mkdir(mode=0o700)
    results = {'size': size, 'hosts': size + 1, 'steps': {}}
    sh('ansible-playbook', '-i', str(base), 'lab/destroy.yml', log=work / 'destroy-before.log', env=env)
    for playbook in ('lab/create.yml', 'lab/prepare.yml'):
        rc = sh('ansible-playbook', '-i', str(base), playbook, log=work / (Path(playbook).stem + '.log'), env=env)[0]
        if rc:
            sys.exit('bench: %s failed, see %s' % (playbook, work / (Path(playbook).stem + '.log')))
    runs = {
        'converge': (str(base), 'site.yml'),
        'rerun': (str(base), 'site.yml'),
        'check': (str(base), 'site.yml', '--check', '--diff'),
        'add-node': (str(scaled), 'playbooks/scale.yml'),
    }
    try:
        for step in STEPS:
            inv, playbook = runs[step][:2]
            log = work / ('%s.log' % step)
            print('[%s] %d nodes: %s' % (time.strftime('%T'), size, step), flush=True)
            rc, took = sh('ansible-playbook', '-i', inv, playbook, *runs[step][2:], log=log, env=env)
            changed, slowest = recap(log)
            results['steps'][step] = {'seconds': round(took, 1), 'rc': rc, 'changed': sum(changed.values()),
                                      'changed_by_host': changed, 'slowest': slowest, 'log': str(log)}
            print('    %.0f s, changed=%d, exit %d' % (took, sum(changed.values()), rc), flush=True)
            if rc:
                break
    finally:
        if not os.environ.get('BENCH_KEEP'):
            sh('ansible-playbook', '-i', str(scaled), 'lab/destroy.yml', log=work / 'destroy.log', env=env)
    return results


def table(all_results):
    head = '| nodes (+1 master) | ' + ' | '.join(STEPS) + ' |'
    rows = [head, '|' + '---|' * (len(STEPS) + 1)]
    for res in all_results:
        cells = []
        for step in STEPS:
            got = res['steps'].get(step)
            if got is None:
                cells.append('not run')
                continue
            cell = '%.0f s' % got['seconds']
            if step in ('rerun', 'check'):
                cell += ' (changed=%d)' % got['changed']
            if got['rc']:
                cell += ' FAILED'
            cells.append(cell)
        rows.append('| %d | %s |' % (res['size'], ' | '.join(cells)))
    return '\n'.join(rows)


def main():
    sizes = [int(s) for s in os.environ.get('BENCH_SIZES', '3 9').split()]
    for script in ('lab/ensure-docker.sh', 'lab/build-image.sh', 'lab/build-artifacts.sh', 'lab/build-coredns.sh'):
        rc = sh('bash', script, log=os.devnull)[0]
        if rc:
            sys.exit('bench: %s failed (run it alone to see why)' % script)
    env = dict(os.environ, ANSIBLE_CONFIG=str(ROOT / 'ansible.cfg'), LAB_RUNTIME='containerd',
               ANSIBLE_CALLBACKS_ENABLED='ansible.posix.timer,ansible.posix.profile_tasks',
               PROFILE_TASKS_TASK_OUTPUT_LIMIT='30', ANSIBLE_FORCE_COLOR='0',
               PATH='%s:%s' % (ROOT / '.venv' / 'bin', os.environ['PATH']))
    WORK.mkdir(parents=True, exist_ok=True)
    machine = subprocess.run(['bash', '-c', 'echo "$(nproc) cores, $(free -g | awk \'/^Mem/ {print $2}\') GB, '
                              '$(uname -r)"'], capture_output=True, text=True, check=False).stdout.strip()
    all_results = [bench(size, env) for size in sizes]
    report = {'date': time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime()), 'machine': machine, 'results': all_results}
    out = Path(os.environ.get('BENCH_JSON', WORK / 'bench.json'))
    out.write_text(json.dumps(report, indent=2) + '\n')
    print('\n%s, %s\n%s\n\nreport: %s' % (report['date'], machine, table(all_results), out))
    for res in all_results:
        print('\nslowest tasks, %d nodes:' % res['size'])
        for step, got in res['steps'].items():
            print('  %s: %s' % (step, '; '.join('%s %.1fs' % (t['task'], t['seconds']) for t in got['slowest'][:5])))
    failed = [r for r in all_results for s in r['steps'].values() if s['rc']]
    not_idle = [r for r in all_results for k in ('rerun', 'check') if r['steps'].get(k, {}).get('changed')]
    sys.exit(1 if failed or not_idle else 0)


if __name__ == '__main__':
    main()
