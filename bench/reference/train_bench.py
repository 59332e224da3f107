"""Times training (and optionally sampling) of the reference GPT on Shakespeare's characters.

The numbers are the PyTorch side of LLM Lab's side-by-side benchmark, so the setup mirrors
the TypeScript one: character vocabulary (sorted distinct characters), the first 90% of the
text for training, random windows of blockSize + 1 characters, AdamW with gradient clipping.

    /usr/bin/python3 bench/reference/train_bench.py --corpus data/tinyshakespeare.txt \
        --preset baby --batch 12 --iters 50 --warmup 5 --threads 1 --sample-tokens 500

Prints ONE JSON line on stdout. trainTokensPerSecond = batch * blockSize / median step time
(each step timed on its own: the median resists the noise of a shared machine).
"""

import argparse
import ctypes
import json
import os
import resource
import statistics
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gpt import GPT, GPTConfig  # noqa: E402

# The model shapes, as in the TypeScript presets; vocabSize comes from the corpus.
PRESETS = {
    # nanoGPT's shakespeare_char CPU recipe.
    "baby": dict(block_size=64, n_layer=4, n_head=4, n_embd=128, dropout=0.0, bias=False),
}

LEARNING_RATE = 1e-3
WEIGHT_DECAY = 0.1
BETAS = (0.9, 0.99)
EPS = 1e-8
GRAD_CLIP = 1.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="data/tinyshakespeare.txt", help="a UTF-8 text file")
    parser.add_argument("--preset", default="baby", choices=sorted(PRESETS))
    parser.add_argument("--batch", type=int, default=12)
    parser.add_argument("--iters", type=int, default=50, help="timed training steps")
    parser.add_argument("--warmup", type=int, default=5, help="untimed steps before them")
    parser.add_argument("--threads", type=int, default=1,
                        help="torch.set_num_threads, and OpenBLAS's threads")
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--sample-tokens", type=int, default=500,
                        help="new tokens to generate and time after training (0: skip)")
    parser.add_argument("--device", default="cpu",
                        help="torch device: cpu (default) or cuda (a GPU; fails if none)")
    return parser.parse_args()


def load_corpus(path):
    """Returns (train ids as a 1-D int64 tensor, vocabulary size)."""
    if not os.path.isfile(path):
        sys.exit(f"corpus not found: {path}; pass --corpus PATH to a text file "
                 f"(for example Shakespeare's plays)")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))  # the character vocabulary
    index_of = {ch: i for i, ch in enumerate(chars)}
    ids = torch.tensor([index_of[ch] for ch in text], dtype=torch.long)
    n_train = int(0.9 * len(ids))  # the first 90% trains, the rest is validation
    return ids[:n_train], len(chars)


def get_batch(data, batch, block_size, generator, device="cpu"):
    """Random windows: x is blockSize characters, y the same shifted by one. Both (B, T)."""
    starts = torch.randint(len(data) - block_size, (batch,), generator=generator)
    x = torch.stack([data[i:i + block_size] for i in starts])
    y = torch.stack([data[i + 1:i + 1 + block_size] for i in starts])
    return x.to(device), y.to(device)


def time_sampling(model, tokens, kv_cache, device, seed):
    """Tokens/s generating `tokens` tokens from a one-token prompt (id 0), temperature 1."""
    generator = torch.Generator(device=device).manual_seed(seed)
    prompt = torch.zeros((1, 1), dtype=torch.long, device=device)  # one token: id 0
    synchronize(device)
    start = time.perf_counter()
    model.generate(prompt, tokens, temperature=1.0, generator=generator, kv_cache=kv_cache)
    synchronize(device)
    return tokens / (time.perf_counter() - start)


def synchronize(device):
    """Waits for the GPU to finish what it was given, so that the clock measures the work."""
    if torch.device(device).type == "cuda":
        torch.cuda.synchronize()


def describe_device(device):
    if torch.device(device).type == "cuda":
        return torch.cuda.get_device_name(torch.device(device))
    return "CPU"


def train_step(model, optimizer, x, y):
    """One optimizer step; returns the loss before the update."""
    _, loss = model(x, y)
    optimizer.zero_grad(set_to_none=True)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
    optimizer.step()
    return loss.item()


def configure_blas(threads):
    """Names the BLAS doing the matrix products and gives it `threads` threads.

    Debian's torch calls the system's libblas.so.3: OpenBLAS where libopenblas0 is
    installed, else the reference BLAS (about 10x slower). OpenBLAS runs its own threads,
    which torch.set_num_threads does not reach, so set them here.
    """
    try:
        library = ctypes.CDLL("libblas.so.3")  # the copy torch already loaded
    except OSError:
        return "unknown (no libblas.so.3: this torch links its BLAS in)"
    if not hasattr(library, "openblas_set_num_threads"):
        return "libblas.so.3 (not OpenBLAS: likely the slow reference BLAS)"
    library.openblas_set_num_threads(threads)
    library.openblas_get_config.restype = ctypes.c_char_p
    return library.openblas_get_config().decode().strip()  # "OpenBLAS 0.3.21 ..."


def percentile(sorted_values, fraction):
    """Linear interpolation between the closest ranks."""
    position = fraction * (len(sorted_values) - 1)
    low = int(position)
    high = min(low + 1, len(sorted_values) - 1)
    return sorted_values[low] + (sorted_values[high] - sorted_values[low]) * (position - low)


def main():
    args = parse_args()
    if args.iters < 1 or args.batch < 1 or args.warmup < 0 or args.threads < 1:
        sys.exit("--iters, --batch and --threads must be at least 1, --warmup at least 0")
    if torch.device(args.device).type == "cuda" and not torch.cuda.is_available():
        sys.exit(f"--device {args.device}: this torch ({torch.__version__}) sees no CUDA GPU")
    torch.set_num_threads(args.threads)
    blas = configure_blas(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    train_data, vocab_size = load_corpus(args.corpus)
    config = GPTConfig(vocab_size=vocab_size, **PRESETS[args.preset])
    model = GPT(config)
    model.init_weights(generator)
    model.to(args.device)
    model.train()
    optimizer = model.configure_optimizer(LEARNING_RATE, WEIGHT_DECAY, BETAS, EPS)

    for _ in range(args.warmup):
        x, y = get_batch(train_data, args.batch, config.block_size, generator, args.device)
        train_step(model, optimizer, x, y)

    step_seconds = []
    loss = float("nan")
    for _ in range(args.iters):
        start = time.perf_counter()  # the batch is part of the step, as on the TypeScript side
        x, y = get_batch(train_data, args.batch, config.block_size, generator, args.device)
        loss = train_step(model, optimizer, x, y)  # .item() waits for the GPU
        step_seconds.append(time.perf_counter() - start)

    step_ms = sorted(1000.0 * s for s in step_seconds)
    median_ms = statistics.median(step_ms)

    # Sampling: without the key/value cache, with it, and with it inside one window
    # (blockSize - 1 new tokens: no recomputing; the median of 5 runs).
    sample_tokens_per_second = None
    sample_cached_tokens_per_second = None
    sample_window_cached_tokens_per_second = None
    if args.sample_tokens > 0:
        model.eval()
        time_sampling(model, 8, True, args.device, args.seed)  # warm up (CUDA kernels)
        sample_tokens_per_second = time_sampling(model, args.sample_tokens, False, args.device, args.seed)
        sample_cached_tokens_per_second = time_sampling(model, args.sample_tokens, True, args.device,
                                                        args.seed)
        sample_window_cached_tokens_per_second = statistics.median(
            time_sampling(model, config.block_size - 1, True, args.device, args.seed)
            for _ in range(5))

    result = {
        "framework": "pytorch",
        "torchVersion": torch.__version__,
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "blockSize": config.block_size,
        "iters": args.iters,
        "trainTokensPerSecond": round(args.batch * config.block_size / (median_ms / 1000.0), 1),
        "trainMsPerStep": {
            "median": round(median_ms, 3),
            "p10": round(percentile(step_ms, 0.1), 3),
            "p90": round(percentile(step_ms, 0.9), 3),
        },
        "sampleTokensPerSecond": (None if sample_tokens_per_second is None
                                  else round(sample_tokens_per_second, 1)),
        "sampleCachedTokensPerSecond": (None if sample_cached_tokens_per_second is None
                                        else round(sample_cached_tokens_per_second, 1)),
        "sampleWindowCachedTokensPerSecond": (None if sample_window_cached_tokens_per_second is None
                                              else round(sample_window_cached_tokens_per_second, 1)),
        "peakRssMB": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0, 1),
        "device": describe_device(args.device),
        "finalLoss": round(loss, 4),
        # Extra context, after the fields shared with the TypeScript benchmark.
        "preset": args.preset,
        "warmup": args.warmup,
        "seed": args.seed,
        "sampleTokens": args.sample_tokens,
        "blas": blas,
        "peakGpuMemoryMB": (round(torch.cuda.max_memory_allocated() / 2**20, 1)
                            if torch.device(args.device).type == "cuda" else None),
        "parameters": model.num_parameters(),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
