#!/usr/bin/env bash
# ansible-test on this collection: `bash tests/sanity/run.sh sanity|units [ansible-test options]`.
# make test runs `sanity` and `units`; make setup runs `sanity --prime-venvs` once.
#
# Why a copy: ansible-test only works on a collection that sits under a path ending in
# ansible_collections/<namespace>/<name>. The files of this checkout (tracked and new, not
# ignored ones, as they are in the work tree) are copied, for each run, to
# .cache/ansible-test-run.XXXXXX/ansible_collections/k8s_classic/cluster; that copy gets a
# `git init` of its own because ansible-test lists the files with git from the nearest .git
# above it, and the repository's own .git ignores .cache (every file would be skipped).
#
# Why --local and a bootstrap: ansible-test runs each sanity test in a virtual environment of
# its own (its pinned pylint, pycodestyle, voluptuous, yamllint, antsibull-changelog ...,
# installed from PyPI), and puts pip into each with a get-pip script that it downloads from
# a host this network cannot reach (ci-files.testing.ansible.com). It uses a cached script
# when one is there: tests/sanity/bootstrap_pip.py is put in that place. Those environments
# live in .cache/ansible-test-home (HOME for ansible-test), so nothing outside the checkout
# changes, and are reused by later runs.
#
# Python versions: the modules run on the targets' Python (2.7 on CentOS 7, 3.6 on EL 8 ...),
# so the tests that take a version (compile, import) run on every version ansible-test
# supports that is installed here: found on PATH, or installed by pyenv. A version that is
# not installed is skipped, and ansible-test says so.
set -euo pipefail
cd "$(dirname "$0")/../.."
repo=$PWD
export PATH="$repo/.venv/bin:$PATH"
command=${1:?usage: tests/sanity/run.sh sanity|units [ansible-test options]}
shift
home=$repo/.cache/ansible-test-home

# the collection where ansible-test wants it, fresh on every run, one copy per run (several
# runs at once do not pull the tree from under each other), removed at the end
mkdir -p "$repo/.cache"
run=$(mktemp -d "$repo/.cache/ansible-test-run.XXXXXX")
trap 'rm -rf "$run"' EXIT
root=$run/ansible_collections/k8s_classic/cluster
mkdir -p "$root"
git ls-files -z --cached --others --exclude-standard \
  | while IFS= read -r -d '' path; do [ -e "$path" ] && printf '%s\0' "$path"; done \
  | rsync -a --from0 --files-from=- ./ "$root/"
git -C "$root" init -q

# the pip bootstrap, under the name ansible-test looks for (get_pip_<its pip version>.py)
pip_version=$(python - <<'EOF'
import sys
from ansible_test._internal.host_configs import NativePythonConfig
from ansible_test._internal.python_requirements import get_venv_packages
print(get_venv_packages(NativePythonConfig(version="%d.%d" % sys.version_info[:2], path=sys.executable))["pip"])
EOF
)
mkdir -p "$home/.ansible/test/cache"
cp tests/sanity/bootstrap_pip.py "$home/.ansible/test/cache/get_pip_${pip_version//./_}.py"

# the other Python versions pyenv has installed (not selected, so not on PATH by their names)
if command -v pyenv >/dev/null; then
  for dir in "$(pyenv root)"/versions/*/bin; do
    [ -x "$dir/python" ] && PATH="$PATH:$dir"
  done
fi

# ansible-test's shellcheck test needs the program (Debian's package), else it skips the test
if [ "$command" = sanity ] && ! command -v shellcheck >/dev/null && command -v apt-get >/dev/null; then
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q shellcheck >/dev/null \
    || { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q shellcheck >/dev/null; }
fi

cd "$root"
controller=$(python -c 'import sys; print("%d.%d" % sys.version_info[:2])')
case $command in
  # units: the controller's Python is enough (the modules' logic; their Python 2.7/3.6
  # syntax and imports are checked by sanity's compile and import tests)
  units) HOME="$home" ansible-test units --local --python "$controller" --color no "$@" ;;
  sanity) HOME="$home" ansible-test sanity --local --color no "$@" ;;
  *) echo "usage: tests/sanity/run.sh sanity|units [ansible-test options]" >&2; exit 2 ;;
esac
