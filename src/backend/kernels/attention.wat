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
;; The build turns this file into src/backend/kernels/attention-wasm.ts
;; (`node scripts/build-kernels.js`); a test checks the two agree.
(module
  (import "env" "memory" (memory 0))

  ;; a · b over n floats.
  (func $dot (param $a i32) (param $b i32) (param $n i32) (result f32)
    (local $sum v128) (local $end i32)
    (local.set $end (i32.add (local.get $a) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $sum
          (f32x4.add (local.get $sum) (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b)))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (br $next)))
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $sum)) (f32x4.extract_lane 1 (local.get $sum)))
      (f32.add (f32x4.extract_lane 2 (local.get $sum)) (f32x4.extract_lane 3 (local.get $sum)))))

  ;; y += s · x over n floats ("a·x plus y").
  (func $axpy (param $y i32) (param $x i32) (param $s f32) (param $n i32)
    (local $scale v128) (local $end i32)
    (local.set $scale (f32x4.splat (local.get $s)))
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $y) (local.get $end)))
        (v128.store (local.get $y)
          (f32x4.add (v128.load (local.get $y)) (f32x4.mul (local.get $scale) (v128.load (local.get $x)))))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (br $next))))

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
    (local $C i32) (local $row i32) (local $b i32) (local $h i32) (local $i i32) (local $j i32)
    (local $q0 i32) (local $k0 i32) (local $v0 i32) (local $qi i32) (local $p i32) (local $yi i32)
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
          (local.set $qi (i32.add (local.get $q0) (i32.mul (local.get $i) (local.get $row))))
          ;; scores of the past and present (j ≤ i), and their maximum
          (local.set $max (f32.const -inf))
          (local.set $j (i32.const 0))
          (loop $score
            (local.set $s
              (f32.mul (local.get $scale)
                (call $dot (local.get $qi) (i32.add (local.get $k0) (i32.mul (local.get $j) (local.get $row))) (local.get $hs))))
            (f32.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
            (local.set $max (f32.max (local.get $max) (local.get $s)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $score (i32.le_s (local.get $j) (local.get $i))))
          ;; e^(s − max), summed
          (local.set $sum (f32.const 0))
          (local.set $j (i32.const 0))
          (loop $exponent
            (local.set $s
              (call $exp (f32.sub (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))) (local.get $max))))
            (f32.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
            (local.set $sum (f32.add (local.get $sum) (local.get $s)))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $exponent (i32.le_s (local.get $j) (local.get $i))))
          ;; normalise, and add up the values weighted by their probability
          (local.set $inv (f32.div (f32.const 1) (local.get $sum)))
          (local.set $yi
            (i32.add (local.get $y)
              (i32.shl
                (i32.add (i32.mul (i32.add (i32.mul (local.get $b) (local.get $T)) (local.get $i)) (local.get $C))
                         (i32.mul (local.get $h) (local.get $hs)))
                (i32.const 2))))
          (memory.fill (local.get $yi) (i32.const 0) (i32.shl (local.get $hs) (i32.const 2)))
          (local.set $j (i32.const 0))
          (loop $weigh
            (local.set $s (f32.mul (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))) (local.get $inv)))
            (f32.store (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))) (local.get $s))
            (call $axpy (local.get $yi) (i32.add (local.get $v0) (i32.mul (local.get $j) (local.get $row))) (local.get $s) (local.get $hs))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $weigh (i32.le_s (local.get $j) (local.get $i))))
          ;; the future gets probability 0
          (memory.fill
            (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))
            (i32.const 0)
            (i32.shl (i32.sub (local.get $T) (local.get $j)) (i32.const 2)))
          (local.set $p (i32.add (local.get $p) (i32.shl (local.get $T) (i32.const 2))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $query (i32.lt_s (local.get $i) (local.get $T))))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br_if $head (i32.lt_s (local.get $h) (local.get $H))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batch (i32.lt_s (local.get $b) (local.get $B)))))

  ;; The gradient: given dy (B·T, C), writes dqkv (B·T, 3C). With P the probabilities:
  ;;   dV = Pᵀ·dY      dP = dY·Vᵀ      dS = P ⊙ (dP − rowsum(P ⊙ dP))
  ;;   dQ = scale · dS·K      dK = scale · dSᵀ·Q
  ;; `scratch` holds T·T floats: one head's dS, so that dK and dV can be summed per key.
  (func (export "attention_backward")
    (param $qkv i32) (param $probs i32) (param $dy i32) (param $dqkv i32) (param $scratch i32)
    (param $B i32) (param $T i32) (param $H i32) (param $hs i32) (param $scale f32)
    (local $C i32) (local $row i32) (local $dyRow i32) (local $b i32) (local $h i32) (local $i i32) (local $j i32)
    (local $q0 i32) (local $k0 i32) (local $v0 i32) (local $dq0 i32) (local $dk0 i32) (local $dv0 i32)
    (local $dy0 i32) (local $p0 i32) (local $p i32) (local $d i32) (local $dyi i32) (local $dqi i32)
    (local $dkj i32) (local $dvj i32) (local $rowdot f32) (local $g f32) (local $headOffset i32)
    (local.set $C (i32.mul (local.get $H) (local.get $hs)))
    (local.set $row (i32.mul (local.get $C) (i32.const 12)))
    (local.set $dyRow (i32.shl (local.get $C) (i32.const 2)))
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
        ;; pass 1, query by query: dP (into scratch), its row sum weighted by P, then dS and dQ
        (local.set $i (i32.const 0))
        (loop $query
          (local.set $p (i32.add (local.get $p0) (i32.shl (i32.mul (local.get $i) (local.get $T)) (i32.const 2))))
          (local.set $d (i32.add (local.get $scratch) (i32.shl (i32.mul (local.get $i) (local.get $T)) (i32.const 2))))
          (local.set $dyi (i32.add (local.get $dy0) (i32.mul (local.get $i) (local.get $dyRow))))
          (local.set $rowdot (f32.const 0))
          (local.set $j (i32.const 0))
          (loop $gradProb
            (local.set $g
              (call $dot (local.get $dyi) (i32.add (local.get $v0) (i32.mul (local.get $j) (local.get $row))) (local.get $hs)))
            (f32.store (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))) (local.get $g))
            (local.set $rowdot
              (f32.add (local.get $rowdot)
                (f32.mul (local.get $g) (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2)))))))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $gradProb (i32.le_s (local.get $j) (local.get $i))))
          (local.set $dqi (i32.add (local.get $dq0) (i32.mul (local.get $i) (local.get $row))))
          (memory.fill (local.get $dqi) (i32.const 0) (i32.shl (local.get $hs) (i32.const 2)))
          (local.set $j (i32.const 0))
          (loop $gradScore
            (local.set $g
              (f32.mul (local.get $scale)
                (f32.mul
                  (f32.load (i32.add (local.get $p) (i32.shl (local.get $j) (i32.const 2))))
                  (f32.sub (f32.load (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2)))) (local.get $rowdot)))))
            (f32.store (i32.add (local.get $d) (i32.shl (local.get $j) (i32.const 2))) (local.get $g))
            (call $axpy (local.get $dqi) (i32.add (local.get $k0) (i32.mul (local.get $j) (local.get $row))) (local.get $g) (local.get $hs))
            (local.set $j (i32.add (local.get $j) (i32.const 1)))
            (br_if $gradScore (i32.le_s (local.get $j) (local.get $i))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br_if $query (i32.lt_s (local.get $i) (local.get $T))))
        ;; pass 2, key by key: dK and dV sum over the queries that saw the key (i ≥ j)
        (local.set $j (i32.const 0))
        (loop $key
          (local.set $dkj (i32.add (local.get $dk0) (i32.mul (local.get $j) (local.get $row))))
          (local.set $dvj (i32.add (local.get $dv0) (i32.mul (local.get $j) (local.get $row))))
          (memory.fill (local.get $dkj) (i32.const 0) (i32.shl (local.get $hs) (i32.const 2)))
          (memory.fill (local.get $dvj) (i32.const 0) (i32.shl (local.get $hs) (i32.const 2)))
          (local.set $i (local.get $j))
          (loop $seenBy
            (call $axpy (local.get $dkj) (i32.add (local.get $q0) (i32.mul (local.get $i) (local.get $row)))
              (f32.load (i32.add (local.get $scratch) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $T)) (local.get $j)) (i32.const 2))))
              (local.get $hs))
            (call $axpy (local.get $dvj) (i32.add (local.get $dy0) (i32.mul (local.get $i) (local.get $dyRow)))
              (f32.load (i32.add (local.get $p0) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $T)) (local.get $j)) (i32.const 2))))
              (local.get $hs))
            (local.set $i (i32.add (local.get $i) (i32.const 1)))
            (br_if $seenBy (i32.lt_s (local.get $i) (local.get $T))))
          (local.set $j (i32.add (local.get $j) (i32.const 1)))
          (br_if $key (i32.lt_s (local.get $j) (local.get $T))))
        (local.set $h (i32.add (local.get $h) (i32.const 1)))
        (br_if $head (i32.lt_s (local.get $h) (local.get $H))))
      (local.set $b (i32.add (local.get $b) (i32.const 1)))
      (br_if $batch (i32.lt_s (local.get $b) (local.get $B)))))
)
