;; Causal self-attention, forward and backward, as two WebAssembly SIMD functions.
;;
;; Why this file exists: tfjs's `wasm` backend computes attention as a chain of small
;; operations (split, reshape, transpose, a batched matMul, mask, softmax, another batched
;; matMul, transpose back), and its batched matMul runs in a plain C loop at under
;; 1 GFLOP/s. For the baby GPT that chain was a third of a training step. Here the whole
;; chain is one pass over the numbers, four floats at a time (128-bit SIMD).
;;
;; The module has no memory of its own: it imports the `wasm` backend's memory, so it reads
;; and writes tensors where tfjs keeps them (every pointer below is a byte offset into that
;; memory) and nothing is copied. It has no data segments, so it cannot overwrite anything
;; it was not pointed at.
;;
;; Layout (as GPT-2 stores it): `qkv` is (B·T, 3C), each row [q | k | v], and a head h owns
;; columns h·hs … h·hs + hs − 1 of each third (C = H·hs). `y` and `dy` are (B·T, C),
;; `probs` is (B, H, T, T). Every vector length is a multiple of 4 (the caller checks hs).
;;
;; Every product is organised around one row: the scores of query i against all its keys
;; ($dots: q_i's floats stay in registers while the keys stream past) and the weighted sum
;; of values ($combine: the sum stays in registers while the values stream past), in
;; chunks of 32 floats (eight vectors at once), then 16, then 4.
;;
;; The build turns this file into src/backend/kernels/attention-wasm.ts
;; (`node scripts/build-kernels.js`); a test checks the two agree.
;; $dots and $combine work on one chunk of each head vector (32 or 16 floats, or 4 for
;; what is left over) and are called once per chunk.
(module
  (import "env" "memory" (memory 0))

  (func $sum4 (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; out[j] += x · y_j over 32 floats (eight vectors of x held in registers), for j < count.
  (func $dots32 (param $x i32) (param $ys i32) (param $stride i32) (param $count i32) (param $out i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128)
    (local $x4 v128) (local $x5 v128) (local $x6 v128) (local $x7 v128) (local $end i32)
    (local.set $x0 (v128.load (local.get $x)))
    (local.set $x1 (v128.load offset=16 (local.get $x)))
    (local.set $x2 (v128.load offset=32 (local.get $x)))
    (local.set $x3 (v128.load offset=48 (local.get $x)))
    (local.set $x4 (v128.load offset=64 (local.get $x)))
    (local.set $x5 (v128.load offset=80 (local.get $x)))
    (local.set $x6 (v128.load offset=96 (local.get $x)))
    (local.set $x7 (v128.load offset=112 (local.get $x)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out)
          (f32.add (f32.load (local.get $out))
            (call $sum4
              (f32x4.add
                (f32x4.add
                  (f32x4.add (f32x4.mul (local.get $x0) (v128.load (local.get $ys)))
                             (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $ys))))
                  (f32x4.add (f32x4.mul (local.get $x2) (v128.load offset=32 (local.get $ys)))
                             (f32x4.mul (local.get $x3) (v128.load offset=48 (local.get $ys)))))
                (f32x4.add
                  (f32x4.add (f32x4.mul (local.get $x4) (v128.load offset=64 (local.get $ys)))
                             (f32x4.mul (local.get $x5) (v128.load offset=80 (local.get $ys))))
                  (f32x4.add (f32x4.mul (local.get $x6) (v128.load offset=96 (local.get $ys)))
                             (f32x4.mul (local.get $x7) (v128.load offset=112 (local.get $ys)))))))))
        (local.set $ys (i32.add (local.get $ys) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $next))))

  ;; out[j] += x · y_j over 16 floats, for j < count; y_j = ys + j·stride (bytes).
  (func $dots16 (param $x i32) (param $ys i32) (param $stride i32) (param $count i32) (param $out i32)
    (local $x0 v128) (local $x1 v128) (local $x2 v128) (local $x3 v128) (local $end i32)
    (local.set $x0 (v128.load (local.get $x)))
    (local.set $x1 (v128.load offset=16 (local.get $x)))
    (local.set $x2 (v128.load offset=32 (local.get $x)))
    (local.set $x3 (v128.load offset=48 (local.get $x)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out)
          (f32.add (f32.load (local.get $out))
            (call $sum4
              (f32x4.add
                (f32x4.add (f32x4.mul (local.get $x0) (v128.load (local.get $ys)))
                           (f32x4.mul (local.get $x1) (v128.load offset=16 (local.get $ys))))
                (f32x4.add (f32x4.mul (local.get $x2) (v128.load offset=32 (local.get $ys)))
                           (f32x4.mul (local.get $x3) (v128.load offset=48 (local.get $ys))))))))
        (local.set $ys (i32.add (local.get $ys) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $next))))

  ;; out[j] += x · y_j over 4 floats.
  (func $dots4 (param $x i32) (param $ys i32) (param $stride i32) (param $count i32) (param $out i32)
    (local $x0 v128) (local $end i32)
    (local.set $x0 (v128.load (local.get $x)))
    (local.set $end (i32.add (local.get $out) (i32.shl (local.get $count) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $out) (local.get $end)))
        (f32.store (local.get $out)
          (f32.add (f32.load (local.get $out)) (call $sum4 (f32x4.mul (local.get $x0) (v128.load (local.get $ys))))))
        (local.set $ys (i32.add (local.get $ys) (local.get $stride)))
        (local.set $out (i32.add (local.get $out) (i32.const 4)))
        (br $next))))

  ;; out[j] += x · y_j over n floats (all chunks), for j < count.
  (func $dots (param $x i32) (param $ys i32) (param $stride i32) (param $count i32) (param $out i32) (param $n i32)
    (local $c i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (block $widestDone
      (loop $widest
        (br_if $widestDone (i32.gt_s (i32.add (local.get $c) (i32.const 128)) (local.get $bytes)))
        (call $dots32 (i32.add (local.get $x) (local.get $c)) (i32.add (local.get $ys) (local.get $c))
          (local.get $stride) (local.get $count) (local.get $out))
        (local.set $c (i32.add (local.get $c) (i32.const 128)))
        (br $widest)))
    (block $wideDone
      (loop $wide
        (br_if $wideDone (i32.gt_s (i32.add (local.get $c) (i32.const 64)) (local.get $bytes)))
        (call $dots16 (i32.add (local.get $x) (local.get $c)) (i32.add (local.get $ys) (local.get $c))
          (local.get $stride) (local.get $count) (local.get $out))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $wide)))
    (block $narrowDone
      (loop $narrow
        (br_if $narrowDone (i32.ge_s (local.get $c) (local.get $bytes)))
        (call $dots4 (i32.add (local.get $x) (local.get $c)) (i32.add (local.get $ys) (local.get $c))
          (local.get $stride) (local.get $count) (local.get $out))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $narrow))))

  ;; out = Σ_j w_j · y_j over 32 floats (eight accumulators in registers), for j < count.
  (func $combine32 (param $out i32) (param $ys i32) (param $stride i32) (param $ws i32) (param $wstride i32) (param $count i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128)
    (local $a4 v128) (local $a5 v128) (local $a6 v128) (local $a7 v128) (local $w v128) (local $j i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $count)))
        (local.set $w (v128.load32_splat (local.get $ws)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $w) (v128.load (local.get $ys)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $ys)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $w) (v128.load offset=32 (local.get $ys)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $w) (v128.load offset=48 (local.get $ys)))))
        (local.set $a4 (f32x4.add (local.get $a4) (f32x4.mul (local.get $w) (v128.load offset=64 (local.get $ys)))))
        (local.set $a5 (f32x4.add (local.get $a5) (f32x4.mul (local.get $w) (v128.load offset=80 (local.get $ys)))))
        (local.set $a6 (f32x4.add (local.get $a6) (f32x4.mul (local.get $w) (v128.load offset=96 (local.get $ys)))))
        (local.set $a7 (f32x4.add (local.get $a7) (f32x4.mul (local.get $w) (v128.load offset=112 (local.get $ys)))))
        (local.set $ys (i32.add (local.get $ys) (local.get $stride)))
        (local.set $ws (i32.add (local.get $ws) (local.get $wstride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (v128.store (local.get $out) (local.get $a0))
    (v128.store offset=16 (local.get $out) (local.get $a1))
    (v128.store offset=32 (local.get $out) (local.get $a2))
    (v128.store offset=48 (local.get $out) (local.get $a3))
    (v128.store offset=64 (local.get $out) (local.get $a4))
    (v128.store offset=80 (local.get $out) (local.get $a5))
    (v128.store offset=96 (local.get $out) (local.get $a6))
    (v128.store offset=112 (local.get $out) (local.get $a7)))

  ;; out = Σ_j w_j · y_j over 16 floats, for j < count; w_j = ws + j·wstride, y_j = ys + j·stride.
  (func $combine16 (param $out i32) (param $ys i32) (param $stride i32) (param $ws i32) (param $wstride i32) (param $count i32)
    (local $a0 v128) (local $a1 v128) (local $a2 v128) (local $a3 v128) (local $w v128) (local $j i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $count)))
        (local.set $w (v128.load32_splat (local.get $ws)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (local.get $w) (v128.load (local.get $ys)))))
        (local.set $a1 (f32x4.add (local.get $a1) (f32x4.mul (local.get $w) (v128.load offset=16 (local.get $ys)))))
        (local.set $a2 (f32x4.add (local.get $a2) (f32x4.mul (local.get $w) (v128.load offset=32 (local.get $ys)))))
        (local.set $a3 (f32x4.add (local.get $a3) (f32x4.mul (local.get $w) (v128.load offset=48 (local.get $ys)))))
        (local.set $ys (i32.add (local.get $ys) (local.get $stride)))
        (local.set $ws (i32.add (local.get $ws) (local.get $wstride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (v128.store (local.get $out) (local.get $a0))
    (v128.store offset=16 (local.get $out) (local.get $a1))
    (v128.store offset=32 (local.get $out) (local.get $a2))
    (v128.store offset=48 (local.get $out) (local.get $a3)))

  ;; out = Σ_j w_j · y_j over 4 floats.
  (func $combine4 (param $out i32) (param $ys i32) (param $stride i32) (param $ws i32) (param $wstride i32) (param $count i32)
    (local $a0 v128) (local $j i32)
    (block $done
      (loop $next
        (br_if $done (i32.ge_s (local.get $j) (local.get $count)))
        (local.set $a0 (f32x4.add (local.get $a0) (f32x4.mul (v128.load32_splat (local.get $ws)) (v128.load (local.get $ys)))))
        (local.set $ys (i32.add (local.get $ys) (local.get $stride)))
        (local.set $ws (i32.add (local.get $ws) (local.get $wstride)))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $next)))
    (v128.store (local.get $out) (local.get $a0)))

  ;; out = Σ_j w_j · y_j over n floats (all chunks), for j < count.
  (func $combine (param $out i32) (param $ys i32) (param $stride i32) (param $ws i32) (param $wstride i32) (param $count i32) (param $n i32)
    (local $c i32) (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $n) (i32.const 2)))
    (block $widestDone
      (loop $widest
        (br_if $widestDone (i32.gt_s (i32.add (local.get $c) (i32.const 128)) (local.get $bytes)))
        (call $combine32 (i32.add (local.get $out) (local.get $c)) (i32.add (local.get $ys) (local.get $c))
          (local.get $stride) (local.get $ws) (local.get $wstride) (local.get $count))
        (local.set $c (i32.add (local.get $c) (i32.const 128)))
        (br $widest)))
    (block $wideDone
      (loop $wide
        (br_if $wideDone (i32.gt_s (i32.add (local.get $c) (i32.const 64)) (local.get $bytes)))
        (call $combine16 (i32.add (local.get $out) (local.get $c)) (i32.add (local.get $ys) (local.get $c))
          (local.get $stride) (local.get $ws) (local.get $wstride) (local.get $count))
        (local.set $c (i32.add (local.get $c) (i32.const 64)))
        (br $wide)))
    (block $narrowDone
      (loop $narrow
        (br_if $narrowDone (i32.ge_s (local.get $c) (local.get $bytes)))
        (call $combine4 (i32.add (local.get $out) (local.get $c)) (i32.add (local.get $ys) (local.get $c))
          (local.get $stride) (local.get $ws) (local.get $wstride) (local.get $count))
        (local.set $c (i32.add (local.get $c) (i32.const 16)))
        (br $narrow))))

  ;; e^x for x ≤ 0 (softmax subtracts the row's maximum first, so that is all it needs).
  ;; WebAssembly has no exp instruction. Write x = n·ln 2 + r with n whole and |r| ≤ ln 2 / 2;
  ;; then e^x = 2^n · e^r, 2^n is built directly in the float's exponent bits, and e^r is a
  ;; degree-7 polynomial (the classic single-precision coefficients), accurate to ~1 ulp.
  (func $exp (param $x f32) (result f32)
    (local $n f32) (local $r f32) (local $p f32)
    (if (f32.lt (local.get $x) (f32.const -87)) (then (return (f32.const 0))))
    (local.set $n (f32.nearest (f32.mul (local.get $x) (f32.const 1.44269504088896341))))
    ;; ln 2 in two parts, so that n·ln2_hi is exact and r keeps its low bits
    (local.set $r
      (f32.sub
        (f32.sub (local.get $x) (f32.mul (local.get $n) (f32.const 0.693359375)))
        (f32.mul (local.get $n) (f32.const -2.12194440e-4))))
    (local.set $p (f32.const 1.9875691500e-4))
    (local.set $p (f32.add (f32.mul (local.get $p) (local.get $r)) (f32.const 1.3981999507e-3)))
    (local.set $p (f32.add (f32.mul (local.get $p) (local.get $r)) (f32.const 8.3334519073e-3)))
    (local.set $p (f32.add (f32.mul (local.get $p) (local.get $r)) (f32.const 4.1665795894e-2)))
    (local.set $p (f32.add (f32.mul (local.get $p) (local.get $r)) (f32.const 1.6666665459e-1)))
    (local.set $p (f32.add (f32.mul (local.get $p) (local.get $r)) (f32.const 5.0000001201e-1)))
    (local.set $p
      (f32.add
        (f32.add (f32.mul (local.get $p) (f32.mul (local.get $r) (local.get $r))) (local.get $r))
        (f32.const 1)))
    (f32.mul
      (local.get $p)
      (f32.reinterpret_i32
        ;; the saturating conversion never traps: a NaN score (diverged weights) stays NaN
        ;; through p, and the trainer reports the divergence
        (i32.shl (i32.add (i32.trunc_sat_f32_s (local.get $n)) (i32.const 127)) (i32.const 23)))))

  ;; y = softmax(scale · q·kᵀ + causal mask) · v for every batch row and head; the
  ;; probabilities are written to `probs` (zeros above the diagonal) for the backward pass.
  (func (export "attention_forward")
    (param $qkv i32) (param $y i32) (param $probs i32)
    (param $B i32) (param $T i32) (param $H i32) (param $hs i32) (param $scale f32)
    (local $C i32) (local $row i32) (local $b i32) (local $h i32) (local $i i32) (local $j i32) (local $count i32)
    (local $q0 i32) (local $k0 i32) (local $v0 i32) (local $p i32) (local $at i32)
    (local $s f32) (local $max f32) (local $sum f32) (local $inv f32)
    (local.set $C (i32.mul (local.get $H) (local.get $hs)))
    (local.set $row (i32.mul (local.get $C) (i32.const 12))) ;; bytes per qkv row: 3C floats
    (local.set $p (local.get $probs))
    (local.set $b (i32.const 0))
    (loop $batch
      (local.set $h (i32.const 0))
      (loop $head
        ;; this head's q, k and v of token 0 of this batch row
        (local.set $q0
          (i32.add (local.get $qkv)
            (i32.add (i32.mul (i32.mul (local.get $b) (local.get $T)) (local.get $row))
                     (i32.shl (i32.mul (local.get $h) (local.get $hs)) (i32.const 2)))))
        (local.set $k0 (i32.add (local.get $q0) (i32.shl (local.get $C) (i32.const 2))))
        (local.set $v0 (i32.add (local.get $q0) (i32.shl (local.get $C) (i32.const 3))))
        (local.set $i (i32.const 0))
        (loop $query
          (local.set $count (i32.add (local.get $i) (i32.const 1))) ;; the past and present: j ≤ i
          ;; the scores q_i · k_j
          (memory.fill (local.get $p) (i32.const 0) (i32.shl (local.get $count) (i32.const 2)))
          (call $dots (i32.add (local.get $q0) (i32.mul (local.get $i) (local.get $row))) (local.get $k0) (local.get $row)
            (local.get $count) (local.get $p) (local.get $hs))
          ;; scaled, and their maximum
          (local.set $max (f32.const -inf))
          (local.set $j (i32.const 0))
          (loop $score
            (local.set $at (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $s (f32.mul (local.get $scale) (f32.load (local.get $at))))
            (f32.store (local.get $at) (local.get $s))
            (local.set $max (f32.max (local.get $max) (local.get $s)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $score (i32.lt_s (local.get $j) (local.get $count))))
          ;; e^(s − max), summed
          (local.set $sum (f32.const 0))
          (local.set $j (i32.const 0))
          (loop $exponent
            (local.set $at (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
            (local.set $s (call $exp (f32.sub (f32.load (local.get $at)) (local.get $max))))
            (f32.store (local.get $at) (local.get $s))
            (local.set $sum (f32.add (local.get $sum) (local.get $s)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $exponent (i32.lt_s (local.get $j) (local.get $count))))
          ;; normalised: the probabilities
          (local.set $inv (f32.div (f32.const 1) (local.get $sum)))
          (local.set $j (i32.const 0))
          (loop $normalise
            (local.set $at (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
            (f32.store (local.get $at) (f32.mul (f32.load (local.get $at)) (local.get $inv)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $normalise (i32.lt_s (local.get $j) (local.get $count))))
          ;; the values weighted by their probability
          (call $combine
            (i32.add (local.get $y)
              (i32.shl
                (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $T)) (local.get $i)) (local.get $C))
                         (i32.mul (local.get $h) (local.get $hs)))
                (i32.const 2)))
            (local.get $v0) (local.get $row) (local.get $p) (i32.const 4) (local.get $count) (local.get $hs))
          ;; the future gets probability 0
          (memory.fill
            (i32.add (local.get $p) (i32.shl (local.get $count) (i32.const 2)))
            (i32.const 0)
            (i32.shl (i32.sub (local.get $T) (local.get $count)) (i32.const 2)))
          (local.set $p (i32.add (local.get $p) (i32.shl (local.get $T) (i32.const 2))))
          (local.set $i (local.get $count))
          (br_if $query (i32.lt_s (local.get $i) (local.get $T))))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br_if $head (i32.lt_s (local.get $h) (local.get $H))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batch (i32.lt_s (local.get $b) (local.get $B)))))

  ;; The gradient: given dy (B·T, C), writes dqkv (B·T, 3C). With P the probabilities:
  ;;   dV = Pᵀ·dY      dP = dY·Vᵀ      dS = P ⊙ (dP − rowsum(P ⊙ dP))
  ;;   dQ = scale · dS·K      dK = scale · dSᵀ·Q
  ;; `scratch` holds T·T floats: one head's scale·dS, so that dK and dV can be summed per key.
  (func (export "attention_backward")
    (param $qkv i32) (param $probs i32) (param $dy i32) (param $dqkv i32) (param $scratch i32)
    (param $B i32) (param $T i32) (param $H i32) (param $hs i32) (param $scale f32)
    (local $C i32) (local $row i32) (local $dyRow i32) (local $b i32) (local $h i32) (local $i i32) (local $j i32)
    (local $count i32) (local $q0 i32) (local $k0 i32) (local $v0 i32) (local $dq0 i32) (local $dk0 i32) (local $dv0 i32)
    (local $dy0 i32) (local $p0 i32) (local $p i32) (local $d i32) (local $at i32) (local $diagonal i32)
    (local $rowdot f32) (local $headOffset i32) (local $column i32)
    (local.set $C (i32.mul (local.get $H) (local.get $hs)))
    (local.set $row (i32.mul (local.get $C) (i32.const 12)))
    (local.set $dyRow (i32.shl (local.get $C) (i32.const 2)))
    (local.set $column (i32.shl (local.get $T) (i32.const 2))) ;; bytes from one row of a T×T matrix to the next
    (local.set $b (i32.const 0))
    (loop $batch
      (local.set $h (i32.const 0))
      (loop $head
        (local.set $headOffset
          (i32.add (i32.mul (i32.mul (local.get $b) (local.get $T)) (local.get $row))
                   (i32.shl (i32.mul (local.get $h) (local.get $hs)) (i32.const 2))))
        (local.set $q0 (i32.add (local.get $qkv) (local.get $headOffset)))
        (local.set $k0 (i32.add (local.get $q0) (i32.shl (local.get $C) (i32.const 2))))
        (local.set $v0 (i32.add (local.get $q0) (i32.shl (local.get $C) (i32.const 3))))
        (local.set $dq0 (i32.add (local.get $dqkv) (local.get $headOffset)))
        (local.set $dk0 (i32.add (local.get $dq0) (i32.shl (local.get $C) (i32.const 2))))
        (local.set $dv0 (i32.add (local.get $dq0) (i32.shl (local.get $C) (i32.const 3))))
        (local.set $dy0
          (i32.add (local.get $dy)
            (i32.shl
              (i32.add (i32.mul (i32.mul (local.get $b) (local.get $T)) (local.get $C)) (i32.mul (local.get $h) (local.get $hs)))
              (i32.const 2))))
        (local.set $p0
          (i32.add (local.get $probs)
            (i32.shl
              (i32.mul (i32.mul (i32.add (i32.mul (local.get $b) (local.get $H)) (local.get $h)) (local.get $T)) (local.get $T))
              (i32.const 2))))
        ;; pass 1, query by query: dP = dy_i · v_j (into scratch), its row sum weighted by P,
        ;; then scale·dS in place, and dq_i = Σ_j scale·dS_ij k_j
        (local.set $i (i32.const 0))
        (loop $query
          (local.set $count (i32.add (local.get $i) (i32.const 1)))
          (local.set $p (i32.add (local.get $p0) (i32.mul (local.get $i) (local.get $column))))
          (local.set $d (i32.add (local.get $scratch) (i32.mul (local.get $i) (local.get $column))))
          (memory.fill (local.get $d) (i32.const 0) (i32.shl (local.get $count) (i32.const 2)))
          (call $dots (i32.add (local.get $dy0) (i32.mul (local.get $i) (local.get $dyRow))) (local.get $v0) (local.get $row)
            (local.get $count) (local.get $d) (local.get $hs))
          (local.set $rowdot (f32.const 0))
          (local.set $j (i32.const 0))
          (loop $weighted
            (local.set $rowdot
              (f32.add (local.get $rowdot)
                (f32.mul (f32.load (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))))
                         (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $weighted (i32.lt_s (local.get $j) (local.get $count))))
          (local.set $j (i32.const 0))
          (loop $gradScore
            (local.set $at (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))))
            (f32.store (local.get $at)
              (f32.mul (local.get $scale)
                (f32.mul
                  (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
                  (f32.sub (f32.load (local.get $at)) (local.get $rowdot)))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $gradScore (i32.lt_s (local.get $j) (local.get $count))))
          (call $combine (i32.add (local.get $dq0) (i32.mul (local.get $i) (local.get $row)))
            (local.get $k0) (local.get $row) (local.get $d) (i32.const 4) (local.get $count) (local.get $hs))
          (local.set $i (local.get $count))
          (br_if $query (i32.lt_s (local.get $i) (local.get $T))))
        ;; pass 2, key by key: dk_j and dv_j sum over the queries that saw key j (i ≥ j),
        ;; reading column j of scale·dS and of P from the diagonal down
        (local.set $j (i32.const 0))
        (loop $key
          (local.set $count (i32.sub (local.get $T) (local.get $j)))
          (local.set $diagonal (i32.shl (i32.add (i32.mul (local.get $j) (local.get $T)) (local.get $j)) (i32.const 2)))
          (call $combine (i32.add (local.get $dk0) (i32.mul (local.get $j) (local.get $row)))
            (i32.add (local.get $q0) (i32.mul (local.get $j) (local.get $row))) (local.get $row)
            (i32.add (local.get $scratch) (local.get $diagonal)) (local.get $column) (local.get $count) (local.get $hs))
          (call $combine (i32.add (local.get $dv0) (i32.mul (local.get $j) (local.get $row)))
            (i32.add (local.get $dy0) (i32.mul (local.get $j) (local.get $dyRow))) (local.get $dyRow)
            (i32.add (local.get $p0) (local.get $diagonal)) (local.get $column) (local.get $count) (local.get $hs))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $key (i32.lt_s (local.get $j) (local.get $T))))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br_if $head (i32.lt_s (local.get $h) (local.get $H))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batch (i32.lt_s (local.get $b) (local.get $B)))))
)
