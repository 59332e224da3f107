#!/usr/bin/env bash
# On a machine with an NVIDIA GPU, no Node.js and no network: checks that LLM Lab's GPU
# backends compute the same numbers as the cpu reference, then benchmarks training and
# sampling on the GPU beside PyTorch on the same GPU.
#
#   bash bench/gpu-check.sh                      # from the repository root
#   GPU_CHECK_DRY_RUN=1 bash bench/gpu-check.sh  # here, without a GPU: wasm and PyTorch on CPU
#
# Needs bench/gpu-bundle/ (made by bench/gpu-bundle.sh on a machine where npm install
# worked) and a python3 with torch (CUDA for the GPU run). Environment:
#   GPU_CHECK_DRY_RUN=1   wasm instead of the GPU backends, PyTorch on cpu
#   GPU_CHECK_ITERS=N     timed training steps (default 30); GPU_CHECK_ROUNDS (default 1)
#   GPU_CHECK_OUT=FILE    the JSON results (default bench/results/gpu-check.json)
#   LLM_LAB_PYTHON        the python with torch (default: python3 on PATH)
#
# Each backend that cannot start says why, and the run goes on without it. Exits 0 when the
# PyTorch side and at least one tfjs backend were measured, 1 otherwise.
set -uo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUNDLE="$ROOT/bench/gpu-bundle/bundle.tar.xz"
WORK="${GPU_CHECK_WORK:-${TMPDIR:-/tmp}/llm-lab-gpu-check}"
DRY="${GPU_CHECK_DRY_RUN:-0}"
ITERS="${GPU_CHECK_ITERS:-30}"
ROUNDS="${GPU_CHECK_ROUNDS:-1}"
OUT="${GPU_CHECK_OUT:-$ROOT/bench/results/gpu-check.json}"
PY="${LLM_LAB_PYTHON:-$(command -v python3 || echo /usr/bin/python3)}"

say() { printf '%s\n' "$*"; }
section() { printf '\n== %s\n' "$*"; }

section "unpacking the bundle"
if [ ! -f "$BUNDLE" ]; then
  say "No $BUNDLE: run bench/gpu-bundle.sh on a machine with node_modules, and carry bench/gpu-bundle/."
  exit 1
fi
rm -rf "$WORK"
mkdir -p "$WORK"
unpack() {
  if command -v xz > /dev/null; then
    xz -dc "$BUNDLE" | tar -xf - -C "$WORK"
  else # no xz-utils: Python's lzma reads it too
    "$PY" -c 'import sys, tarfile; t = tarfile.open(sys.argv[1], "r:xz"); t.extractall(sys.argv[2], **({"filter": "tar"} if hasattr(tarfile, "tar_filter") else {}))' "$BUNDLE" "$WORK"
  fi
}
if ! unpack; then
  say "Could not unpack $BUNDLE into $WORK."
  exit 1
fi
NODE="$WORK/bin/node"
export LD_LIBRARY_PATH="$WORK/lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
export NODE_PATH="$WORK/node_modules"
export LLM_LAB_DIST="$WORK/dist"
unset LLM_LAB_BACKEND
say "node $("$NODE" --version) ($NODE); $(head -1 "$ROOT/bench/gpu-bundle/MANIFEST.txt" 2>/dev/null)"

section "the machine"
if command -v nvidia-smi > /dev/null; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | sed 's/^/GPU: /'
else
  say "GPU: nvidia-smi not found"
fi
for icd in /usr/share/vulkan/icd.d/*.json /etc/vulkan/icd.d/*.json; do [ -f "$icd" ] && say "Vulkan ICD: $icd"; done
say "Vulkan loader: $(ls "$WORK"/lib/libvulkan.so.1 2>/dev/null || echo 'none in the bundle (the system one, if any)')"
TORCH_DEVICE=cuda
if [ "$DRY" = "1" ]; then TORCH_DEVICE=cpu; fi
if TORCH_INFO=$("$PY" -c 'import torch; print(torch.__version__, "CUDA", torch.version.cuda, "available" if torch.cuda.is_available() else "NOT available")' 2>&1); then
  say "PyTorch ($PY): $TORCH_INFO"
  if [ "$TORCH_DEVICE" = cuda ] && [[ "$TORCH_INFO" == *"NOT available"* ]]; then
    say "PyTorch sees no CUDA GPU: its side of the benchmark runs on cpu instead."
    TORCH_DEVICE=cpu
  fi
else
  say "PyTorch is not available to $PY: ${TORCH_INFO##*$'\n'}"
fi

section "conformance: the GPT's forward, gradients, an AdamW step and cached decoding vs cpu"
# The dry run also tries the GPU backends: it shows that they load from the bundle (and why
# they do not start without a GPU), but benchmarks only what agrees with cpu.
if [ "$DRY" = "1" ]; then CANDIDATES="tensorflow,webgpu,wasm"; else CANDIDATES="tensorflow,webgpu"; fi
CONFORMANCE="$WORK/conformance.json"
"$NODE" bench/gpu-conformance.js --backends "$CANDIDATES" | tee "$WORK/conformance.log" | grep -v '^{' 
tail -1 "$WORK/conformance.log" > "$CONFORMANCE"
# The backends that started and agree with cpu, fastest first (the ladder's order).
PASSED=$("$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8")).conformance;
  console.log(r.filter((b) => b.passed).map((b) => b.backend).join(" "));
' "$CONFORMANCE" 2>/dev/null)
if [ "$DRY" != "1" ] && [[ " $PASSED " != *" tensorflow "* ]]; then
  say "(tensorflow: @tensorflow/tfjs-node-gpu 4.22 is built for CUDA 11.2 and cuDNN 8.1 and installs by"
  say " downloading libtensorflow 2.9.1; it is not in this bundle unless it was installed where the"
  say " bundle was made; against this machine's CUDA (PyTorch: ${TORCH_INFO:-?}) it would not load anyway.)"
fi
if [ -z "$PASSED" ]; then
  say "No tfjs backend among ($CANDIDATES) started and agreed with cpu: nothing to benchmark."
  exit 1
fi
say "agree with cpu: ${PASSED:-none}"

section "benchmark: training and sampling, tfjs beside PyTorch ($TORCH_DEVICE)"
MEASURED=""
for backend in $PASSED; do
  out="$OUT"
  if [ "$backend" != "${PASSED%% *}" ]; then out="${OUT%.json}-$backend.json"; fi
  if "$NODE" bench/train-bench.js --backend "$backend" --device "$TORCH_DEVICE" --python "$PY" \
      --iters "$ITERS" --rounds "$ROUNDS" --out "$out"; then
    MEASURED="$MEASURED $backend"
    cp "$CONFORMANCE" "${out%.json}-conformance.json"
  else
    say "The benchmark on $backend failed (see above)."
  fi
done

section "summary"
if [ -z "$MEASURED" ]; then
  say "No tfjs backend could be benchmarked."
  exit 1
fi
TORCH_RAN=$("$NODE" -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  console.log(r.pytorch && r.pytorch.train ? "yes" : "no");
' "$OUT" 2>/dev/null)
say "tfjs measured on:$MEASURED; PyTorch measured: $TORCH_RAN; results in ${OUT#$ROOT/}"
[ "$TORCH_RAN" = "yes" ]
