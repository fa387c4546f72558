#!/usr/bin/env bash
# make lab: from a bare machine to a running lab cluster, then print it.
#   1. a Docker engine (installed from Debian and started when none answers)
#   2. the node image, the Kubernetes artifacts, the CoreDNS and guestbook images and crane
#      (built offline, cached)
#   3. one node container per host of inventory/lab/hosts.yml
#   4. lab/site.yml: the cluster's registry, the images pushed into it, then site.yml
#   5. the guestbook of the original notes (examples/guestbook) on NodePort 30001 and the
#      health report (playbooks/verify.yml); the nodes and pods are printed.
# LAB_RUNTIME=docker deploys with the docker runtime instead of containerd.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/.venv/bin:$PATH" ANSIBLE_CONFIG="$PWD/ansible.cfg"
inventory=${LAB_INVENTORY:-inventory/lab/hosts.yml}
step() { printf '\n[%s] == %s\n' "$(date +%T)" "$*"; }

step "Docker engine"
bash lab/ensure-docker.sh
step "lab node image"
bash lab/build-image.sh
step "Kubernetes artifacts"
bash lab/build-artifacts.sh
step "CoreDNS image"
bash lab/build-coredns.sh
step "guestbook image and crane (to push images into the registry)"
bash lab/build-guestbook.sh
bash lab/build-crane.sh >/dev/null
step "node containers"
ansible-playbook -i "$inventory" lab/create.yml
step "lab-only preparation of the nodes"
ansible-playbook -i "$inventory" lab/prepare.yml
step "cluster: lab/site.yml (registry, images pushed into it, site.yml)"
ansible-playbook -i "$inventory" lab/site.yml
step "the guestbook: examples/guestbook/deploy.yml (NodePort 30001)"
ansible-playbook -i "$inventory" examples/guestbook/deploy.yml
step "health report: playbooks/verify.yml"
ansible-playbook -i "$inventory" playbooks/verify.yml

master=$(ansible-inventory -i "$inventory" --graph masters | awk -F'--' '/--/ {print $NF; exit}')
node=$(ansible-inventory -i "$inventory" --graph nodes | awk -F'--' '/--/ {print $NF; exit}')
step "node containers"
network=$(ansible-inventory -i "$inventory" --host "$master" | python3 -c 'import json, sys; print(json.load(sys.stdin)["lab_network"]["name"])')
docker ps --filter "label=k8s-classic-lab=$network" --format 'table {{.Names}}\t{{.Status}}\t{{.Networks}}'
step "kubectl get nodes -o wide (on $master)"
docker exec "$master" kubectl get nodes -o wide
step "kubectl get pods --all-namespaces -o wide"
docker exec "$master" kubectl get pods --all-namespaces -o wide
echo
node_ip=$(docker inspect -f '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}' "$node")
echo "The lab is up. Use it with: docker exec -it $master kubectl get nodes"
echo "The guestbook answers on every node's port 30001:"
echo "  curl 'http://$node_ip:30001/cgi-bin/guestbook?cmd=set&value=hello'"
echo "  curl 'http://$node_ip:30001/cgi-bin/guestbook?cmd=get'"
echo "Remove it with: make lab-destroy"
