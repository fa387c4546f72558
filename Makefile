# Entry points. `make help` lists them. Everything runs from the repo's .venv.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
export PATH := $(CURDIR)/$(VENV)/bin:$(PATH)
export ANSIBLE_CONFIG := $(CURDIR)/ansible.cfg
SCENARIOS ?= systemd

.PHONY: help setup lab lab-destroy artifacts image test lint unit sanity sanity-tools molecule clean

help: ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

setup: $(VENV)/.installed ## create .venv and install the pinned toolchain into it

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -r requirements.txt
	mkdir -p $(VENV)/ansible_collections/k8s_classic
	ln -sfn ../../.. $(VENV)/ansible_collections/k8s_classic/cluster
	touch $@

# ansible-test's own environments for the sanity tests: its pinned tools from PyPI, made once
# into .cache/ansible-test-home (minutes: not part of setup, which make lab needs)
sanity-tools: setup ## make (or reuse) the environments of ansible-test sanity
	bash tests/sanity/run.sh sanity --prime-venvs

image: ## build (or reuse) the lab node image
	bash lab/build-image.sh

artifacts: ## build (or reuse) Kubernetes binaries and images offline
	bash lab/build-artifacts.sh
	bash lab/build-coredns.sh
	bash lab/build-kube-bench.sh

lab: setup ## bring up the lab: node containers, then print them
	bash lab/up.sh

lab-destroy: setup ## remove the lab containers and network
	bash lab/down.sh

lint: setup ## yamllint and ansible-lint (production profile)
	yamllint --strict .
	ansible-lint

unit: setup ## Python unit tests of the modules
	pytest tests/unit

sanity: sanity-tools ## ansible-test sanity and units, changelog fragments lint
	bash tests/sanity/run.sh sanity
	bash tests/sanity/run.sh units
	antsibull-changelog lint

molecule: setup ## Molecule scenarios (SCENARIOS="systemd default ...")
	bash lab/ensure-docker.sh
	bash lab/build-image.sh >/dev/null
	for s in $(SCENARIOS); do molecule test -s $$s || exit 1; done

# what the VM platforms (molecule/shared/vm-create.yml) run, as tool:Debian package
VM_TOOLS = qemu-system-x86_64:qemu-system-x86 qemu-img:qemu-utils genisoimage:genisoimage

test-vm: setup ## the ovs_gre role on QEMU VMs, kernel datapath (molecule/ovs_gre_vm)
	bash lab/ensure-docker.sh
	bash lab/ensure-tools.sh $(VM_TOOLS)
	molecule test -s ovs_gre_vm

test-cluster-vm: setup ## the whole cluster on QEMU VMs, no container workarounds (molecule/cluster_vm)
	bash lab/ensure-docker.sh
	bash lab/ensure-tools.sh $(VM_TOOLS)
	bash lab/build-artifacts.sh >/dev/null
	bash lab/build-coredns.sh >/dev/null
	molecule test -s cluster_vm

conformance: setup ## the Kubernetes 1.20 conformance suite against the lab cluster (lab/conformance.sh; about an hour)
	bash lab/conformance.sh full

.PHONY: test-vm test-cluster-vm conformance

bench: setup ## time converge, no-op re-run, --check --diff and add-node at 3 and 9 nodes (lab/bench.py)
	$(PY) lab/bench.py

.PHONY: bench

test: setup ## everything: lint, unit tests, Molecule scenarios, with a summary
	bash tests/run-all.sh

clean: lab-destroy ## remove the lab and .venv (caches outside the repo stay)
	rm -rf $(VENV)
