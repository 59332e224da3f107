"""nanoGPT's CPU recipe on Shakespeare's characters with the reference GPT, to compare the
validation loss `llm-lab pretrain --preset baby --batch-size 12 --iters 2000` reaches with
what PyTorch reaches on the same recipe, machine and metric.

The recipe (nanoGPT's config/train_shakespeare_char.py, CPU settings): 4 layers, 4 heads,
128 wide, context 64, no biases, no dropout; batch 12; 2,000 steps; AdamW (betas 0.9/0.99,
weight decay 0.1 on matrices, eps 1e-8); learning rate 1e-3 with 100 steps of linear warmup
and a cosine decay to 1e-4 at step 2,000; gradients clipped at norm 1.0.

Validation loss is measured two ways at the end: nanoGPT's estimate (the mean over 20
random batches of 12 windows, as `--eval_iters=20`), and over the whole validation split
cut into consecutive windows of 64 (every validation character once; no sampling noise).

    /usr/bin/python3 bench/reference/recipe.py --seed 1337 --threads 1

Prints ONE JSON line on stdout; progress goes to stderr.
"""

import argparse
import json
import math
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from gpt import GPT, GPTConfig  # noqa: E402
from train_bench import BETAS, EPS, GRAD_CLIP, WEIGHT_DECAY, configure_blas, get_batch  # noqa: E402

MAX_LR, MIN_LR, WARMUP, BLOCK_SIZE = 1e-3, 1e-4, 100, 64


def learning_rate(step, iters):
    """nanoGPT's get_lr: linear warmup, then a cosine from MAX_LR down to MIN_LR."""
    if step < WARMUP:
        return MAX_LR * (step + 1) / (WARMUP + 1)
    ratio = (step - WARMUP) / (iters - WARMUP)
    return MIN_LR + 0.5 * (1.0 + math.cos(math.pi * min(ratio, 1.0))) * (MAX_LR - MIN_LR)


@torch.no_grad()
def estimated_loss(model, data, generator, batches=20, batch=12):
    """nanoGPT's estimate: the mean loss of `batches` random batches."""
    losses = [model(*get_batch(data, batch, BLOCK_SIZE, generator))[1].item() for _ in range(batches)]
    return sum(losses) / len(losses)


@torch.no_grad()
def full_loss(model, data, rows=32):
    """The mean loss over every consecutive window of the split (each character once)."""
    windows = (len(data) - 1) // BLOCK_SIZE
    total = 0.0
    for start in range(0, windows, rows):
        count = min(rows, windows - start)
        x = torch.stack([data[(start + r) * BLOCK_SIZE:(start + r + 1) * BLOCK_SIZE] for r in range(count)])
        y = torch.stack([data[(start + r) * BLOCK_SIZE + 1:(start + r + 1) * BLOCK_SIZE + 1] for r in range(count)])
        total += model(x, y)[1].item() * count
    return total / windows


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--corpus", default="data/tinyshakespeare.txt")
    parser.add_argument("--iters", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=12)
    parser.add_argument("--seed", type=int, default=1337)
    parser.add_argument("--threads", type=int, default=1)
    args = parser.parse_args()
    if args.iters <= WARMUP or args.batch < 1 or args.threads < 1:
        sys.exit(f"--iters must be above {WARMUP} (the warmup), --batch and --threads at least 1")
    if not os.path.isfile(args.corpus):
        sys.exit(f"corpus not found: {args.corpus}; pass --corpus PATH")
    torch.set_num_threads(args.threads)
    blas = configure_blas(args.threads)
    torch.manual_seed(args.seed)
    generator = torch.Generator().manual_seed(args.seed)

    with open(args.corpus, encoding="utf-8") as f:
        text = f.read()
    chars = sorted(set(text))
    index_of = {ch: i for i, ch in enumerate(chars)}
    ids = torch.tensor([index_of[ch] for ch in text], dtype=torch.long)
    n_train = int(0.9 * len(ids))
    train, val = ids[:n_train], ids[n_train:]

    config = GPTConfig(vocab_size=len(chars), block_size=BLOCK_SIZE, n_layer=4, n_head=4, n_embd=128,
                       dropout=0.0, bias=False)
    model = GPT(config)
    model.init_weights(generator)
    optimizer = model.configure_optimizer(MAX_LR, WEIGHT_DECAY, BETAS, EPS)
    start = time.perf_counter()
    for step in range(args.iters):
        for group in optimizer.param_groups:
            group["lr"] = learning_rate(step, args.iters)
        x, y = get_batch(train, args.batch, BLOCK_SIZE, generator)
        _, loss = model(x, y)
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), GRAD_CLIP)
        optimizer.step()
        if step % 250 == 0:
            print(f"step {step}: train loss {loss.item():.4f}", file=sys.stderr)
    train_seconds = time.perf_counter() - start
    model.eval()
    result = {
        "framework": "pytorch",
        "recipe": "nanoGPT shakespeare_char, CPU",
        "seed": args.seed,
        "iters": args.iters,
        "batch": args.batch,
        "threads": torch.get_num_threads(),
        "blas": blas,
        "trainSeconds": round(train_seconds, 1),
        "valLossEstimate": round(estimated_loss(model, val, generator), 4),
        "valLossFull": round(full_loss(model, val), 4),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
