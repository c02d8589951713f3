#!/usr/bin/env bash
# Installs what the offline VS Code end-to-end harness needs, idempotently:
#   - Debian's chromium (the browser that opens the workbench), ripgrep (VS Code's search binary,
#     which @vscode/ripgrep would otherwise download from GitHub) and libkrb5-dev (to build kerberos);
#   - code-server (a real VS Code, from the npm registry) with its native modules built on this machine,
#     into a cache folder that later runs reuse.
# Nothing here downloads anything but npm and Debian packages.
#
# Environment: VSCODE_E2E_CACHE overrides the cache folder (default: ~/.cache/iam-policy-refiner-vscode-e2e);
# it must match what run.mjs uses. Prints the install folder as its last line.
set -euo pipefail

CODE_SERVER_VERSION=4.100.3   # carries VS Code 1.100.3; needs Node 20
CACHE_ROOT="${VSCODE_E2E_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/iam-policy-refiner-vscode-e2e}"
DEST="$CACHE_ROOT/code-server-$CODE_SERVER_VERSION"
STAMP="$DEST/.installed"

log() { printf '[vscode-e2e install] %s\n' "$*"; }
started=$SECONDS

# --- Debian packages -------------------------------------------------------------------------------
need=()
for pkg in chromium ripgrep libkrb5-dev; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed'; then need+=("$pkg"); fi
done
if ((${#need[@]})); then
  SUDO=""
  if [ "$(id -u)" != 0 ]; then SUDO="sudo"; fi
  log "apt-get install ${need[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
else
  log "Debian packages present: chromium ripgrep libkrb5-dev"
fi

# --- Node version ----------------------------------------------------------------------------------
node_major="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$node_major" != 20 ]; then
  log "code-server $CODE_SERVER_VERSION needs Node 20; this is Node $(node --version)" >&2
  exit 1
fi

# --- code-server -----------------------------------------------------------------------------------
if [ -f "$STAMP" ] && [ "$(cat "$STAMP")" = "code-server@$CODE_SERVER_VERSION node@$node_major" ]; then
  log "reusing $DEST"
  echo "$DEST"
  exit 0
fi

log "building code-server $CODE_SERVER_VERSION in $DEST (a few minutes)"
mkdir -p "$CACHE_ROOT"
WORK="$(mktemp -d "$CACHE_ROOT/.building-XXXXXX")"
trap 'rm -rf "$WORK"' EXIT

export npm_config_yes=true npm_config_audit=false npm_config_fund=false npm_config_update_notifier=false
export npm_config_loglevel=error npm_config_progress=false
export JOBS=max   # node-gyp: compile with every core
# node-gyp builds against the Node headers on this machine (npm's nodedir), never downloads them.
export npm_config_nodedir="${npm_config_nodedir:-$(npm config get nodedir 2>/dev/null || true)}"
[ "$npm_config_nodedir" = "undefined" ] || [ -z "$npm_config_nodedir" ] && unset npm_config_nodedir

t=$SECONDS
log "npm install code-server@$CODE_SERVER_VERSION (scripts off)"
(cd "$WORK" && echo '{"private":true}' > package.json \
  && npm_config_unsafe_perm=true npm install --ignore-scripts --no-package-lock "code-server@$CODE_SERVER_VERSION" >/dev/null)
CS="$WORK/node_modules/code-server"
VS="$CS/lib/vscode"
log "  done in $((SECONDS - t))s"

t=$SECONDS
log "npm install in lib/vscode and lib/vscode/extensions (production, scripts off)"
(cd "$VS" && npm install --ignore-scripts --omit=dev >/dev/null)
(cd "$VS/extensions" && npm install --ignore-scripts --omit=dev >/dev/null)
log "  done in $((SECONDS - t))s"

t=$SECONDS
log "building native modules: node-pty @parcel/watcher @vscode/spdlog native-watchdog kerberos @vscode/deviceid"
(cd "$VS" && npm rebuild node-pty @parcel/watcher @vscode/spdlog native-watchdog kerberos @vscode/deviceid >/dev/null)
log "building native module: argon2"
(cd "$WORK" && npm rebuild argon2 >/dev/null)
log "  done in $((SECONDS - t))s"

# What code-server's postinstall.sh does, without its npm install (done above) and without
# @vscode/ripgrep's download: Debian's rg stands in for the bundled one.
mkdir -p "$VS/node_modules/@vscode/ripgrep/bin"
cp "$(command -v rg)" "$VS/node_modules/@vscode/ripgrep/bin/rg"
ln -sfn node_modules "$VS/node_modules.asar"
ln -sfn code-linux.sh "$VS/bin/remote-cli/code-server"
ln -sfn browser-linux.sh "$VS/bin/helpers/browser.sh"
# Extensions' typescript trimmed as lib/vscode/extensions/postinstall.mjs does (only saves space).
(cd "$VS/extensions" && node ./postinstall.mjs >/dev/null)

# Check that the native modules load under this Node before declaring the install good.
(cd "$VS" && node --input-type=module -e '
  import { createRequire } from "node:module";
  const require = createRequire(process.cwd() + "/");
  for (const m of ["node-pty", "@parcel/watcher", "@vscode/spdlog", "native-watchdog", "kerberos", "@vscode/deviceid"]) require(m);
')
(cd "$WORK" && node -e 'require("argon2")')

echo "code-server@$CODE_SERVER_VERSION node@$node_major" > "$WORK/.installed"
rm -rf "$DEST"
mv "$WORK" "$DEST"
trap - EXIT
log "installed in $((SECONDS - started))s: $(du -sh "$DEST" | cut -f1) in $DEST"
echo "$DEST"
