#!/usr/bin/env bash
# Builds bench/gpu-bundle/: what bench/gpu-check.sh needs on a GPU machine that has no
# Node.js and no network, in one archive small enough to travel with the working tree
# (the device copies at most 64 MiB of ignored paths; node_modules is ~600 MB).
#
#   bench/gpu-bundle.sh            # build the bundle (run here, where npm install worked)
#   bench/gpu-bundle.sh --verify   # and then dry-run gpu-check.sh from a copy of the
#                                  # tracked files and the bundle, away from node_modules
#   bench/gpu-bundle.sh --verify-only   # the dry run alone, with the bundle already built
#
# bench/gpu-bundle/bundle.tar.xz holds
#   bin/node            this machine's Node.js (process.execPath), debug symbols stripped
#   lib/libvulkan.so.1  the Vulkan loader (Debian's libvulkan1), which Dawn needs on Linux
#   dist/, package.json the built toolkit
#   node_modules/       only the files the benchmark and the conformance checks load:
#                       found by running them under bench/gpu-bundle-trace.js, plus the
#                       GPU packages that cannot load here (webgpu's linux-x64 dawn.node,
#                       @tensorflow/tfjs-backend-webgpu, @tensorflow/tfjs-node-gpu if
#                       installed)
# and bench/gpu-bundle/MANIFEST.txt says what went in and how big it is.
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT="$ROOT/bench/gpu-bundle"
LIMIT_MIB=60
NODE_BIN=$(node -p process.execPath)
STAGE=$(mktemp -d "${TMPDIR:-/tmp}/llm-lab-gpu-bundle.XXXXXX")
trap 'rm -rf "$STAGE"' EXIT
cd "$ROOT"

say() { printf '%s\n' "$*" >&2; }

verify() {
  say "verify: gpu-check.sh in dry-run mode, from the tracked files and the bundle only"
  local copy="$STAGE/tree"
  mkdir -p "$copy"
  # What the device gets: tracked files and untracked ones that git does not ignore.
  git ls-files -z --cached --others --exclude-standard | tar --null --ignore-failed-read -T - -cf - 2>/dev/null | tar -xf - -C "$copy"
  cp -a "$OUT" "$copy/bench/gpu-bundle"
  # No dist/ and no node_modules in or above the copy, and gpu-check.sh runs only the
  # bundle's node: only the bundle can make it work.
  (cd "$copy" && env -i HOME="$HOME" PATH=/usr/bin:/bin GPU_CHECK_DRY_RUN=1 GPU_CHECK_ITERS="${GPU_CHECK_ITERS:-3}" \
    GPU_CHECK_OUT="$ROOT/bench/results/gpu-check-dry-run.json" bash bench/gpu-check.sh)
}
if [ "${1:-}" = "--verify-only" ]; then
  verify
  exit $?
fi

say "1/6 building dist/"
npm run --silent build

say "2/6 tracing what the benchmark and the conformance checks load"
TRACE="$STAGE/trace.txt"
: > "$TRACE"
export GPU_BUNDLE_TRACE="$TRACE"
NODE_OPTIONS="--require $ROOT/bench/gpu-bundle-trace.js" node bench/gpu-conformance.js --backends wasm,webgpu,tensorflow > /dev/null || true
NODE_OPTIONS="--require $ROOT/bench/gpu-bundle-trace.js" node bench/tfjs-train-bench.js --iters 1 --warmup 0 --sample-tokens 3 > /dev/null 2>&1
unset GPU_BUNDLE_TRACE

say "3/6 collecting node_modules"
FILES="$STAGE/files.txt"
{
  sed "s|^$ROOT/||" "$TRACE"
  # The GPU packages, which load only where there is a GPU (so the trace cannot see them).
  echo node_modules/webgpu/index.js
  echo node_modules/webgpu/dist/linux-x64/dawn.node
  main=$(node -p "require('./node_modules/@tensorflow/tfjs-backend-webgpu/package.json').main")
  echo "node_modules/@tensorflow/tfjs-backend-webgpu/$main"
} | grep '^node_modules/' | sort -u > "$FILES"
# Every package that contributes a file brings its package.json (module resolution reads it),
# and so does every folder between (a nested one, like gpt-tokenizer/cjs/, says "commonjs").
while read -r file; do
  root=$(printf '%s\n' "$file" | sed -E 's#^(.*node_modules/(@[^/]+/)?[^/]+)/.*#\1#')
  dir=$(dirname "$file")
  while [ "${#dir}" -ge "${#root}" ]; do
    if [ -f "$dir/package.json" ]; then echo "$dir/package.json"; fi
    dir=$(dirname "$dir")
  done
done < "$FILES" | sort -u >> "$FILES"
sort -u -o "$FILES" "$FILES"
mkdir -p "$STAGE/bundle"
tar -cf - -T "$FILES" | tar -xf - -C "$STAGE/bundle"
if [ -d node_modules/@tensorflow/tfjs-node-gpu ]; then
  say "   adding @tensorflow/tfjs-node-gpu (it is installed here)"
  cp -a node_modules/@tensorflow/tfjs-node-gpu "$STAGE/bundle/node_modules/@tensorflow/"
else
  say "   @tensorflow/tfjs-node-gpu is not installed here (its install downloads libtensorflow); the bundle goes without it"
fi
cp -a dist package.json "$STAGE/bundle/"

say "4/6 the Node.js binary ($NODE_BIN, $(node --version))"
mkdir -p "$STAGE/bundle/bin"
cp "$NODE_BIN" "$STAGE/bundle/bin/node"
strip --strip-debug "$STAGE/bundle/bin/node" 2>/dev/null || say "   (strip failed: keeping the debug symbols)"
"$STAGE/bundle/bin/node" -e 'process.exit(0)'

say "5/6 the Vulkan loader (libvulkan.so.1)"
mkdir -p "$STAGE/bundle/lib" "$STAGE/deb"
if (cd "$STAGE/deb" && apt-get download libvulkan1 >/dev/null 2>&1); then
  dpkg-deb -x "$STAGE/deb"/libvulkan1_*.deb "$STAGE/deb/x"
  cp -a "$STAGE/deb/x/usr/lib/x86_64-linux-gnu/"libvulkan.so.1* "$STAGE/bundle/lib/"
  VULKAN="libvulkan1 $(dpkg-deb -f "$STAGE/deb"/libvulkan1_*.deb Version) (Debian)"
elif [ -e /usr/lib/x86_64-linux-gnu/libvulkan.so.1 ]; then
  cp -aL /usr/lib/x86_64-linux-gnu/libvulkan.so.1 "$STAGE/bundle/lib/"
  VULKAN="libvulkan.so.1 copied from this system"
else
  VULKAN="none: apt-get download libvulkan1 failed and this system has no libvulkan.so.1 (webgpu will need the device's own)"
  say "   $VULKAN"
fi

say "6/6 compressing (xz)"
rm -rf "$OUT"
mkdir -p "$OUT"
tar -C "$STAGE/bundle" -cf - . | xz -T1 -6 > "$OUT/bundle.tar.xz"
size_mib() { du -sm "$1" | cut -f1; }
{
  echo "LLM Lab GPU bundle, built $(date -u +%Y-%m-%dT%H:%M:%SZ) on $(uname -m) $(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "node $(node --version) from $NODE_BIN ($(du -sm "$NODE_BIN" | cut -f1) MiB; $(size_mib "$STAGE/bundle/bin/node") MiB stripped)"
  echo "vulkan loader: $VULKAN"
  echo "node_modules: $(wc -l < "$FILES") files, $(size_mib "$STAGE/bundle/node_modules") MiB unpacked"
  echo "dist: $(size_mib "$STAGE/bundle/dist") MiB"
  echo "unpacked total: $(size_mib "$STAGE/bundle") MiB; bundle.tar.xz: $(size_mib "$OUT/bundle.tar.xz") MiB"
  echo
  echo "node_modules files:"
  sed 's/^/  /' "$FILES"
} > "$OUT/MANIFEST.txt"
head -6 "$OUT/MANIFEST.txt" >&2
total=$(size_mib "$OUT")
if [ "$total" -gt "$LIMIT_MIB" ]; then
  say "The bundle is $total MiB, over the $LIMIT_MIB MiB it may take: trim it before carrying it to the GPU machine."
  exit 1
fi

if [ "${1:-}" = "--verify" ]; then
  verify
fi
