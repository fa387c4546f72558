#!/usr/bin/env bash
# make lab: from a bare machine to a running lab cluster, then print it.
#   1. a Docker engine (installed from Debian and started when none answers)
#   2. the node image, the Kubernetes artifacts and the CoreDNS image (built offline, cached)
#   3. one node container per host of inventory/lab/hosts.yml
#   4. site.yml deploys the cluster on them; the nodes and pods are printed.
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
step "node containers"
ansible-playbook -i "$inventory" lab/create.yml
step "lab-only preparation of the nodes"
ansible-playbook -i "$inventory" lab/prepare.yml
step "cluster: site.yml"
ansible-playbook -i "$inventory" site.yml

master=$(ansible-inventory -i "$inventory" --graph masters | awk -F'--' '/--/ {print $NF; exit}')
node=$(ansible-inventory -i "$inventory" --graph nodes | awk -F'--' '/--/ {print $NF; exit}')
step "demo workload: lab/demo/hello.yaml (NodePort 30001)"
docker exec -i "$master" kubectl apply -f - <lab/demo/hello.yaml
docker exec "$master" kubectl rollout status deployment/hello --timeout=180s
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
echo "The demo answers on every node's port 30001: curl http://$node_ip:30001/"
echo "Remove it with: make lab-destroy"
