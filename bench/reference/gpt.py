"""The GPT of LLM Lab, in PyTorch: the trusted reference for the TypeScript model.

It is the same model as src/model/, number for number, so that
  - a parity test can compare the two models' logits and gradients on the same weights, and
  - a benchmark can compare their training speed side by side.

It reads top-down like the paper: LayerNorm, Linear, CausalSelfAttention, MLP, Block,
GPTConfig, GPT. Weights use Hugging Face GPT-2's names and layout:

    transformer.wte.weight                   [V, C]      token embeddings (also the output head)
    transformer.wpe.weight                   [blockSize, C]  position embeddings
    transformer.h.{i}.ln_1.weight / .bias    [C]
    transformer.h.{i}.attn.c_attn.weight     [C, 3C]     (+ .bias [3C])
    transformer.h.{i}.attn.c_proj.weight     [C, C]      (+ .bias [C])
    transformer.h.{i}.ln_2.weight / .bias    [C]
    transformer.h.{i}.mlp.c_fc.weight        [C, 4C]     (+ .bias [4C])
    transformer.h.{i}.mlp.c_proj.weight      [4C, C]     (+ .bias [C])
    transformer.ln_f.weight / .bias          [C]

Linear weights are stored [in, out] (y = x @ W + b), as GPT-2's Conv1D does, not
[out, in] as torch.nn.Linear does. With bias=False no bias tensor exists at all.

Shapes in comments: B batch, T time (sequence length), C embedding size (nEmbd),
nh number of heads, hs head size (C // nh), V vocabulary size.
"""

import json
import math
from dataclasses import asdict, dataclass

import torch
import torch.nn as nn
import torch.nn.functional as F


class LayerNorm(nn.Module):
    """LayerNorm over the last dimension, with an optional bias (PyTorch's has no such option).

    y = (x - mean) / sqrt(var + 1e-5) * weight + bias, with the biased variance (divide by C).
    """

    def __init__(self, size, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.bias = nn.Parameter(torch.zeros(size)) if bias else None

    def forward(self, x):
        return F.layer_norm(x, self.weight.shape, self.weight, self.bias, eps=1e-5)


class Linear(nn.Module):
    """y = x @ weight + bias, with weight stored [in, out] as in GPT-2 (its "Conv1D").

    torch.nn.Linear stores [out, in] and computes x @ weight^T; this layout lets the
    weights travel to and from GPT-2 checkpoints and the TypeScript model unchanged.
    """

    def __init__(self, in_features, out_features, bias):
        super().__init__()
        self.weight = nn.Parameter(torch.empty(in_features, out_features))
        self.bias = nn.Parameter(torch.zeros(out_features)) if bias else None

    def forward(self, x):
        y = x @ self.weight  # (..., in) @ (in, out) -> (..., out)
        if self.bias is not None:
            y = y + self.bias
        return y


class CausalSelfAttention(nn.Module):
    """Multi-head self-attention where each position sees only itself and the past."""

    def __init__(self, config):
        super().__init__()
        assert config.n_embd % config.n_head == 0, "nEmbd must be a multiple of nHead"
        self.n_head = config.n_head
        self.n_embd = config.n_embd
        # Queries, keys and values of all heads in one product, in that order along the last dim.
        self.c_attn = Linear(config.n_embd, 3 * config.n_embd, config.bias)
        # Mixes the heads' outputs back into the residual stream.
        self.c_proj = Linear(config.n_embd, config.n_embd, config.bias)
        self.attn_dropout = nn.Dropout(config.dropout)
        self.resid_dropout = nn.Dropout(config.dropout)
        # causal_mask[t, s] is True where position t may look at position s (s <= t).
        # Not a parameter and not saved: persistent=False keeps it out of the state dict.
        causal_mask = torch.tril(torch.ones(config.block_size, config.block_size, dtype=torch.bool))
        self.register_buffer("causal_mask", causal_mask, persistent=False)

    def forward(self, x):
        B, T, C = x.shape
        hs = C // self.n_head

        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)  # 3 x (B, T, C)
        # Split C into heads and move the head dimension before time.
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)

        # How much each position attends to each other one; scaled so that the scores'
        # variance does not grow with the head size (which would saturate the softmax).
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)  # (B, nh, T, T)
        # No looking ahead: the future gets -inf, which softmax turns into weight 0.
        att = att.masked_fill(~self.causal_mask[:T, :T], float("-inf"))
        att = F.softmax(att, dim=-1)
        att = self.attn_dropout(att)
        y = att @ v  # (B, nh, T, T) @ (B, nh, T, hs) -> (B, nh, T, hs)

        y = y.transpose(1, 2).contiguous().view(B, T, C)  # heads side by side again: (B, T, C)
        return self.resid_dropout(self.c_proj(y))  # (B, T, C)

    def forward_cached(self, x, past, last_only=False):
        """Attention for new tokens x (B, T, C) that also look at the cached past.

        past is None or (keys, values), each (B, nh, P, hs), of the P tokens before these.
        Returns the output (B, T, C), or (B, 1, C) for the last token only when last_only,
        and the cache extended by these tokens: (B, nh, P + T, hs).
        """
        B, T, C = x.shape
        hs = C // self.n_head
        q, k, v = self.c_attn(x).split(self.n_embd, dim=2)  # 3 x (B, T, C)
        q = q.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        k = k.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        v = v.view(B, T, self.n_head, hs).transpose(1, 2)  # (B, nh, T, hs)
        if past is not None:
            k = torch.cat((past[0], k), dim=2)  # (B, nh, P + T, hs)
            v = torch.cat((past[1], v), dim=2)  # (B, nh, P + T, hs)
        P = k.size(2) - T
        if last_only:
            q = q[:, :, -1:, :]  # (B, nh, 1, hs)
        Tq = q.size(2)
        att = (q @ k.transpose(-2, -1)) / math.sqrt(hs)  # (B, nh, Tq, P + T)
        # New token t sits at position P + t: it sees every cached token and the new ones up
        # to itself. The last one sees everything, so one query needs no mask.
        if Tq > 1:
            att = att.masked_fill(~self.causal_mask[P:P + T, :P + T], float("-inf"))
        att = F.softmax(att, dim=-1)
        y = att @ v  # (B, nh, Tq, P + T) @ (B, nh, P + T, hs) -> (B, nh, Tq, hs)
        y = y.transpose(1, 2).contiguous().view(B, Tq, C)  # (B, Tq, C)
        return self.c_proj(y), (k, v)


class MLP(nn.Module):
    """The per-position feed-forward network: widen 4x, GELU, narrow back."""

    def __init__(self, config):
        super().__init__()
        self.c_fc = Linear(config.n_embd, 4 * config.n_embd, config.bias)
        self.gelu = nn.GELU()  # the exact form, x * Phi(x) with erf, not the tanh approximation
        self.c_proj = Linear(4 * config.n_embd, config.n_embd, config.bias)
        self.dropout = nn.Dropout(config.dropout)

    def forward(self, x):
        x = self.c_fc(x)  # (B, T, 4C)
        x = self.gelu(x)
        x = self.c_proj(x)  # (B, T, C)
        return self.dropout(x)


class Block(nn.Module):
    """One transformer block, pre-LayerNorm: each sub-layer adds its output to the residual."""

    def __init__(self, config):
        super().__init__()
        self.ln_1 = LayerNorm(config.n_embd, config.bias)
        self.attn = CausalSelfAttention(config)
        self.ln_2 = LayerNorm(config.n_embd, config.bias)
        self.mlp = MLP(config)

    def forward(self, x):
        x = x + self.attn(self.ln_1(x))  # positions exchange information
        x = x + self.mlp(self.ln_2(x))  # each position thinks on its own
        return x

    def forward_cached(self, x, past, last_only=False):
        """forward() for new tokens only, given the cached keys/values of the earlier ones.

        last_only: the keys and values of all new tokens, the rest for the last one only.
        """
        attended, present = self.attn.forward_cached(self.ln_1(x), past, last_only)
        if last_only:
            x = x[:, -1:, :]  # (B, 1, C)
        x = x + attended
        x = x + self.mlp(self.ln_2(x))
        return x, present


@dataclass
class GPTConfig:
    """The model's shape. Saved as config.json with camelCase keys, as the TypeScript side does."""

    vocab_size: int
    block_size: int  # the longest context the model can see
    n_layer: int
    n_head: int
    n_embd: int
    dropout: float = 0.0
    bias: bool = True  # biases in the Linears and LayerNorms

    # JSON key (camelCase, shared with TypeScript) -> field name here.
    JSON_KEYS = {
        "vocabSize": "vocab_size",
        "blockSize": "block_size",
        "nLayer": "n_layer",
        "nHead": "n_head",
        "nEmbd": "n_embd",
        "dropout": "dropout",
        "bias": "bias",
    }

    def __post_init__(self):
        for name in ("vocab_size", "block_size", "n_layer", "n_head", "n_embd"):
            value = getattr(self, name)
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ValueError(f"GPTConfig.{name} must be a positive integer, got {value!r}")
        if self.n_embd % self.n_head != 0:
            raise ValueError(f"nEmbd ({self.n_embd}) must be a multiple of nHead ({self.n_head}), "
                             f"so that every head gets nEmbd / nHead dimensions")
        if not 0.0 <= self.dropout < 1.0:
            raise ValueError(f"dropout must be in [0, 1), got {self.dropout!r}")
        if not isinstance(self.bias, bool):
            raise ValueError(f"bias must be true or false, got {self.bias!r}")

    @classmethod
    def from_json_dict(cls, data):
        unknown = sorted(set(data) - set(cls.JSON_KEYS))
        if unknown:
            raise ValueError(f"unknown config keys {unknown}; expected {sorted(cls.JSON_KEYS)}")
        return cls(**{cls.JSON_KEYS[key]: value for key, value in data.items()})

    def to_json_dict(self):
        fields = asdict(self)
        return {key: fields[name] for key, name in self.JSON_KEYS.items()}

    @classmethod
    def load(cls, path):
        with open(path, encoding="utf-8") as f:
            return cls.from_json_dict(json.load(f))

    def save(self, path):
        with open(path, "w", encoding="utf-8") as f:
            json.dump(self.to_json_dict(), f, indent=2)
            f.write("\n")


class GPT(nn.Module):
    """Token + position embeddings, nLayer blocks, a final LayerNorm, and a head tied to wte."""

    def __init__(self, config):
        super().__init__()
        self.config = config
        self.transformer = nn.ModuleDict(dict(
            wte=nn.Embedding(config.vocab_size, config.n_embd),
            wpe=nn.Embedding(config.block_size, config.n_embd),
            h=nn.ModuleList([Block(config) for _ in range(config.n_layer)]),
            ln_f=LayerNorm(config.n_embd, config.bias),
        ))
        # No separate output head: logits reuse the token embeddings ("weight tying").
        self.init_weights()

    def init_weights(self, generator=None):
        """GPT-2's initialisation: N(0, 0.02), smaller for the layers that feed the residual."""
        # Each block adds two c_proj outputs to the residual stream; scaling them by
        # 1/sqrt(2 nLayer) keeps the stream's variance from growing with depth.
        residual_std = 0.02 / math.sqrt(2 * self.config.n_layer)
        with torch.no_grad():
            for name, param in self.named_parameters():
                if name.endswith("c_proj.weight"):
                    param.normal_(0.0, residual_std, generator=generator)
                elif name.endswith(".weight") and param.dim() >= 2:  # Linears and embeddings
                    param.normal_(0.0, 0.02, generator=generator)
                elif name.endswith(".weight"):  # LayerNorm
                    param.fill_(1.0)
                else:  # every bias
                    param.zero_()

    def forward(self, idx, targets=None):
        """idx (B, T) token ids -> logits (B, T, V); with targets (B, T), also the mean loss."""
        B, T = idx.shape
        if T > self.config.block_size:
            raise ValueError(f"sequence of length {T} is longer than blockSize "
                             f"{self.config.block_size}; crop the context first")
        positions = torch.arange(T, device=idx.device)  # (T,)
        token_embeddings = self.transformer.wte(idx)  # (B, T, C)
        position_embeddings = self.transformer.wpe(positions)  # (T, C), broadcast over B
        x = token_embeddings + position_embeddings  # (B, T, C)
        for block in self.transformer.h:
            x = block(x)  # (B, T, C)
        x = self.transformer.ln_f(x)  # (B, T, C)
        logits = x @ self.transformer.wte.weight.t()  # (B, T, C) @ (C, V) -> (B, T, V)

        loss = None
        if targets is not None:
            # Mean cross-entropy over all B*T positions.
            loss = F.cross_entropy(logits.view(B * T, -1), targets.reshape(B * T))
        return logits, loss

    def forward_cached(self, idx, cache=None):
        """Runs only the new tokens idx (B, T) through the model, after the cached ones.

        cache is None (nothing seen yet) or one (keys, values) pair per block, each
        (B, nh, P, hs) for the P tokens already seen; the new tokens take positions P..P+T-1.
        Returns the logits of the last new position (B, V) and the extended cache.
        """
        B, T = idx.shape
        P = 0 if cache is None else cache[0][0].size(2)
        if P + T > self.config.block_size:
            raise ValueError(f"{P} cached + {T} new tokens is longer than blockSize "
                             f"{self.config.block_size}; recompute the cache over the last "
                             f"{self.config.block_size} tokens instead")
        positions = torch.arange(P, P + T, device=idx.device)  # (T,), offset by the cache
        x = self.transformer.wte(idx) + self.transformer.wpe(positions)  # (B, T, C)
        present = []
        last = len(self.transformer.h) - 1
        for i, block in enumerate(self.transformer.h):
            # Only the last position predicts: the last block needs the keys and values of
            # all new tokens, but the rest of its work only for the last one (as in TypeScript).
            x, layer_cache = block.forward_cached(x, None if cache is None else cache[i], i == last)
            present.append(layer_cache)
        x = self.transformer.ln_f(x[:, -1, :])  # (B, C)
        return x @ self.transformer.wte.weight.t(), present  # (B, V)

    @torch.no_grad()
    def generate(self, idx, max_new_tokens, temperature=1.0, generator=None, kv_cache=False):
        """Appends max_new_tokens sampled tokens to idx (B, T); returns (B, T + max_new_tokens).

        kv_cache=False: every step runs the whole (cropped) context again.
        kv_cache=True: each step runs only the newest token, reusing the keys and values of
        the earlier ones. Positions are absolute, so once the sequence outgrows blockSize the
        window slides and every cached key is stale: the cache is then recomputed over the
        last blockSize tokens, which gives exactly the tokens of kv_cache=False (the
        TypeScript model does the same).
        """
        cache = None
        for _ in range(max_new_tokens):
            if kv_cache:
                cached = 0 if cache is None else cache[0][0].size(2)
                if cache is not None and cached + 1 <= self.config.block_size:
                    logits, cache = self.forward_cached(idx[:, -1:], cache)  # (B, V)
                else:
                    logits, cache = self.forward_cached(idx[:, -self.config.block_size:])
                logits = logits / temperature
            else:
                context = idx[:, -self.config.block_size:]  # the model sees at most blockSize tokens
                logits, _ = self(context)  # (B, T, V)
                logits = logits[:, -1, :] / temperature  # only the last position predicts: (B, V)
            probs = F.softmax(logits, dim=-1)
            next_token = torch.multinomial(probs, num_samples=1, generator=generator)  # (B, 1)
            idx = torch.cat((idx, next_token), dim=1)
        return idx

    def configure_optimizer(self, learning_rate=1e-3, weight_decay=0.1, betas=(0.9, 0.99),
                            eps=1e-8):
        """AdamW that decays only matrices (Linear weights, embeddings), as nanoGPT does.

        Biases and LayerNorm weights (1-D) are left alone: pulling them toward 0 does not
        regularise anything useful and would fight LayerNorm's scale.
        """
        decay = [p for p in self.parameters() if p.dim() >= 2]
        no_decay = [p for p in self.parameters() if p.dim() < 2]
        groups = [
            {"params": decay, "weight_decay": weight_decay},
            {"params": no_decay, "weight_decay": 0.0},
        ]
        return torch.optim.AdamW(groups, lr=learning_rate, betas=betas, eps=eps)

    def num_parameters(self):
        return sum(p.numel() for p in self.parameters())

    def named_tensors(self):
        """The weights to save, by their GPT-2 names (the tied head is not among them)."""
        return {name: param.detach() for name, param in self.named_parameters()}

    def load_named_tensors(self, tensors):
        """Loads weights from a dict name -> array or tensor (e.g. read from safetensors)."""
        expected = dict(self.named_parameters())
        missing = sorted(set(expected) - set(tensors))
        unexpected = sorted(set(tensors) - set(expected))
        if missing or unexpected:
            raise ValueError(f"weights do not match the config: missing {missing}, "
                             f"unexpected {unexpected}")
        with torch.no_grad():
            for name, param in expected.items():
                value = torch.as_tensor(tensors[name])
                if tuple(value.shape) != tuple(param.shape):
                    raise ValueError(f"{name}: shape {list(value.shape)} in the file, "
                                     f"{list(param.shape)} expected by the config")
                param.copy_(value.to(param.dtype))
