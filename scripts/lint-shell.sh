#!/usr/bin/env bash
# `npm run lint:shell`: shellcheck (Debian's package, installed when missing) over every shell script
# of the repository: *.sh files and the scripts without an extension that start with a sh or bash
# shebang. Settings: .shellcheckrc. Any finding fails.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/services.sh shellcheck

is_shell_script() {
  [[ $1 == *.sh ]] && return 0
  [[ ${1##*/} != *.* ]] && head -n 1 "$1" | grep -qE '^#!.*[/ ](ba)?sh$'
}

scripts=()
while IFS= read -r -d '' file; do
  if is_shell_script "$file"; then scripts+=("$file"); fi
done < <(find . \( -name node_modules -o -name .git -o -name dist -o -name cdk.out -o -name .run \) -prune -o -type f -print0)
echo "shellcheck: ${#scripts[@]} scripts"
shellcheck "${scripts[@]}"
