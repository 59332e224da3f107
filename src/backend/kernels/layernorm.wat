;; Layer normalisation over the last axis, forward and backward, with 128-bit SIMD.
;;
;;   x̂ = (x − mean) · rstd,   rstd = 1 / √(mean((x − mean)²) + ε),   y = x̂ · w + b
;;
;; and, for the gradient, with g = dy · w (per row of C values):
;;
;;   dx = rstd · (g − mean(g) − x̂ · mean(g · x̂)),   dw = Σ_rows dy · x̂,   db = Σ_rows dy
;;
;; Composed from tfjs operations this is ~9 kernels forward and ~20 backward for each of a
;; GPT's 2·nLayer + 1 layer norms, each a full pass over the (B·T, C) activations and each
;; with its own bookkeeping; here it is one kernel each way. The forward pass keeps each
;; row's mean and rstd for the backward pass.
;;
;; Like attention.wat, the module imports the `wasm` backend's memory and has no data of
;; its own; pointers are byte offsets of tensors there, and C is a multiple of 4.
;; The build turns this file into src/backend/kernels/layernorm-wasm.ts
;; (`node scripts/build-kernels.js`); a test checks the two agree.
(module
  (import "env" "memory" (memory 0))

  (func $sum4 (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v)))))

  ;; y = x̂·w (+ b when b ≠ 0) for N rows of C; writes each row's mean and rstd.
  (func (export "layernorm_forward")
    (param $x i32) (param $w i32) (param $b i32) (param $y i32) (param $means i32) (param $rstds i32)
    (param $N i32) (param $C i32) (param $eps f32)
    (local $row i32) (local $c i32) (local $rowBytes i32) (local $acc v128) (local $d v128)
    (local $mean f32) (local $rstd f32) (local $mean4 v128) (local $rstd4 v128) (local $out v128)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $row (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $row) (local.get $N)))
        ;; the mean
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (loop $sum
          (local.set $acc (f32x4.add (local.get $acc) (v128.load (i32.add (local.get $x) (local.get $c)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $sum (i32.lt_s (local.get $c) (local.get $rowBytes))))
        (local.set $mean (f32.div (call $sum4 (local.get $acc)) (f32.convert_i32_s (local.get $C))))
        (local.set $mean4 (f32x4.splat (local.get $mean)))
        ;; the mean square of the centred values, then rstd
        (local.set $acc (v128.const f32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (loop $square
          (local.set $d (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $mean4)))
          (local.set $acc (f32x4.add (local.get $acc) (f32x4.mul (local.get $d) (local.get $d))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $square (i32.lt_s (local.get $c) (local.get $rowBytes))))
        (local.set $rstd
          (f32.div (f32.const 1)
            (f32.sqrt (f32.add (f32.div (call $sum4 (local.get $acc)) (f32.convert_i32_s (local.get $C))) (local.get $eps)))))
        (local.set $rstd4 (f32x4.splat (local.get $rstd)))
        (f32.store (i32.add (local.get $means) (i32.shl (local.get $row) (i32.const 2))) (local.get $mean))
        (f32.store (i32.add (local.get $rstds) (i32.shl (local.get $row) (i32.const 2))) (local.get $rstd))
        ;; normalise, stretch, shift
        (local.set $c (i32.const 0))
        (loop $scale
          (local.set $out
            (f32x4.mul
              (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $mean4)) (local.get $rstd4))
              (v128.load (i32.add (local.get $w) (local.get $c)))))
          (if (local.get $b)
            (then (local.set $out (f32x4.add (local.get $out) (v128.load (i32.add (local.get $b) (local.get $c)))))))
          (v128.store (i32.add (local.get $y) (local.get $c)) (local.get $out))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $scale (i32.lt_s (local.get $c) (local.get $rowBytes))))
        (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
        (local.set $y (i32.add (local.get $y) (local.get $rowBytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))

  ;; dx (N rows of C), dw and db (C each) from x, w, dy and the forward pass's means and rstds.
  (func (export "layernorm_backward")
    (param $x i32) (param $w i32) (param $dy i32) (param $means i32) (param $rstds i32)
    (param $dx i32) (param $dw i32) (param $db i32) (param $N i32) (param $C i32)
    (local $row i32) (local $c i32) (local $rowBytes i32) (local $mean4 v128) (local $rstd4 v128)
    (local $xhat v128) (local $g v128) (local $sumG v128) (local $sumGX v128) (local $dyv v128)
    (local $meanG4 v128) (local $meanGX4 v128) (local $invC f32)
    (local.set $rowBytes (i32.shl (local.get $C) (i32.const 2)))
    (local.set $invC (f32.div (f32.const 1) (f32.convert_i32_s (local.get $C))))
    (memory.fill (local.get $dw) (i32.const 0) (local.get $rowBytes))
    (memory.fill (local.get $db) (i32.const 0) (local.get $rowBytes))
    (local.set $row (i32.const 0))
    (block $rowsDone
      (loop $rows
        (br_if $rowsDone (i32.ge_s (local.get $row) (local.get $N)))
        (local.set $mean4 (v128.load32_splat (i32.add (local.get $means) (i32.shl (local.get $row) (i32.const 2)))))
        (local.set $rstd4 (v128.load32_splat (i32.add (local.get $rstds) (i32.shl (local.get $row) (i32.const 2)))))
        ;; pass 1: Σ g and Σ g·x̂ over the row, and the row's share of dw and db
        (local.set $sumG (v128.const f32x4 0 0 0 0))
        (local.set $sumGX (v128.const f32x4 0 0 0 0))
        (local.set $c (i32.const 0))
        (loop $sums
          (local.set $xhat
            (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $mean4)) (local.get $rstd4)))
          (local.set $dyv (v128.load (i32.add (local.get $dy) (local.get $c))))
          (local.set $g (f32x4.mul (local.get $dyv) (v128.load (i32.add (local.get $w) (local.get $c)))))
          (local.set $sumG (f32x4.add (local.get $sumG) (local.get $g)))
          (local.set $sumGX (f32x4.add (local.get $sumGX) (f32x4.mul (local.get $g) (local.get $xhat))))
          (v128.store (i32.add (local.get $dw) (local.get $c))
            (f32x4.add (v128.load (i32.add (local.get $dw) (local.get $c))) (f32x4.mul (local.get $dyv) (local.get $xhat))))
          (v128.store (i32.add (local.get $db) (local.get $c))
            (f32x4.add (v128.load (i32.add (local.get $db) (local.get $c))) (local.get $dyv)))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $sums (i32.lt_s (local.get $c) (local.get $rowBytes))))
        (local.set $meanG4 (f32x4.splat (f32.mul (call $sum4 (local.get $sumG)) (local.get $invC))))
        (local.set $meanGX4 (f32x4.splat (f32.mul (call $sum4 (local.get $sumGX)) (local.get $invC))))
        ;; pass 2: dx = rstd · (g − mean(g) − x̂ · mean(g·x̂))
        (local.set $c (i32.const 0))
        (loop $grad
          (local.set $xhat
            (f32x4.mul (f32x4.sub (v128.load (i32.add (local.get $x) (local.get $c))) (local.get $mean4)) (local.get $rstd4)))
          (local.set $g
            (f32x4.mul (v128.load (i32.add (local.get $dy) (local.get $c))) (v128.load (i32.add (local.get $w) (local.get $c)))))
          (v128.store (i32.add (local.get $dx) (local.get $c))
            (f32x4.mul (local.get $rstd4)
              (f32x4.sub (f32x4.sub (local.get $g) (local.get $meanG4)) (f32x4.mul (local.get $xhat) (local.get $meanGX4)))))
          (local.set $c (i32.add (local.get $c) (i32.const 16)))
          (br_if $grad (i32.lt_s (local.get $c) (local.get $rowBytes))))
        (local.set $x (i32.add (local.get $x) (local.get $rowBytes)))
        (local.set $dy (i32.add (local.get $dy) (local.get $rowBytes)))
        (local.set $dx (i32.add (local.get $dx) (local.get $rowBytes)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $rows))))
)
