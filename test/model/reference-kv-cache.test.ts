/**
 * The PyTorch reference (bench/reference/gpt.py) decodes with a key/value cache the way the
 * TypeScript model does: the cached logits match its full forward pass, and generation with
 * the cache gives the tokens of generation without it, also past blockSize. Runs where
 * /usr/bin/python3 (or LLM_LAB_PYTHON) has torch; skipped elsewhere.
 */
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const python = process.env['LLM_LAB_PYTHON'] ?? '/usr/bin/python3';
const hasTorch = spawnSync(python, ['-c', 'import torch'], { encoding: 'utf8' }).status === 0;

const script = `
import sys, json, torch
sys.path.insert(0, ${JSON.stringify(path.join(__dirname, '..', '..', 'bench', 'reference'))})
from gpt import GPT, GPTConfig
torch.manual_seed(0)
m = GPT(GPTConfig(vocab_size=40, block_size=16, n_layer=2, n_head=2, n_embd=32, bias=True)).eval()
idx = torch.randint(40, (2, 16))
worst = 0.0
with torch.no_grad():
    logits, cache = m.forward_cached(idx[:, :5])
    worst = max(worst, (logits - m(idx[:, :5])[0][:, -1]).abs().max().item())
    for t in range(5, 16):
        logits, cache = m.forward_cached(idx[:, t:t + 1], cache)
        worst = max(worst, (logits - m(idx[:, :t + 1])[0][:, -1]).abs().max().item())
    same = [torch.equal(m.generate(idx[:1, :3], n, generator=torch.Generator().manual_seed(1)),
                        m.generate(idx[:1, :3], n, generator=torch.Generator().manual_seed(1), kv_cache=True))
            for n in (1, 13, 14, 40)]
print(json.dumps({"worst": worst, "same": same, "cacheShape": list(cache[0][0].shape)}))
`;

(hasTorch ? describe : describe.skip)('the PyTorch reference with a key/value cache', () => {
  it('matches its own full forward pass and generates the same tokens as without the cache', () => {
    const run = spawnSync(python, ['-c', script], { encoding: 'utf8' });
    expect({ status: run.status, stderr: run.stderr }).toMatchObject({ status: 0 });
    const result = JSON.parse(run.stdout.trim().split('\n').pop()!) as { worst: number; same: boolean[]; cacheShape: number[] };
    expect(result.worst).toBeLessThan(1e-5);
    expect(result.same).toEqual([true, true, true, true]);
    expect(result.cacheShape).toEqual([2, 2, 16, 16]); // (B, nh, T, hs)
  });
});
