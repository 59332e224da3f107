;; GELU, forward and backward, four floats at a time (128-bit WebAssembly SIMD).
;;
;;   gelu(x)  = x · Φ(x) = ½ x (1 + erf(x / √2))
;;   gelu'(x) = Φ(x) + x · φ(x),   φ(x) = e^(−x²/2) / √(2π)
;;
;; Composed from tfjs operations, GELU and its gradient are about fifteen passes over the
;; (B·T, 4C) activations of every MLP (multiply, erf, add, multiply, then square, exp and
;; more for the gradient); each pass reads and writes all of them. Here each is one pass.
;;
;; Like attention.wat, the module imports the `wasm` backend's memory and has no data of
;; its own; pointers are byte offsets of tensors there, and n is a multiple of 4.
;; The build turns this file into src/backend/kernels/gelu-wasm.ts
;; (`node scripts/build-kernels.js`); a test checks the two agree.
(module
  (import "env" "memory" (memory 0))

  ;; e^x for each lane with x ≤ 0, as $exp in attention.wat: x = n·ln 2 + r, e^x = 2^n · e^r.
  (func $exp4 (param $x v128) (result v128)
    (local $n v128) (local $r v128) (local $p v128)
    (local.set $n (f32x4.nearest (f32x4.mul (local.get $x) (v128.const f32x4 1.44269504 1.44269504 1.44269504 1.44269504))))
    (local.set $r
      (f32x4.sub
        (f32x4.sub (local.get $x) (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
        (f32x4.mul (local.get $n) (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
    (local.set $p (v128.const f32x4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4 1.9875691500e-4))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3 1.3981999507e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3 8.3334519073e-3)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2 4.1665795894e-2)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1 1.6666665459e-1)))
    (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1 5.0000001201e-1)))
    (local.set $p
      (f32x4.add
        (f32x4.add (f32x4.mul (local.get $p) (f32x4.mul (local.get $r) (local.get $r))) (local.get $r))
        (v128.const f32x4 1 1 1 1)))
    (local.set $p
      (f32x4.mul (local.get $p)
        (i32x4.shl (i32x4.add (i32x4.trunc_sat_f32x4_s (local.get $n)) (v128.const i32x4 127 127 127 127)) (i32.const 23))))
    ;; below −87 the result is under the smallest normal float: 0 (the shift above is
    ;; meaningless there, so those lanes are cleared)
    (v128.andnot (local.get $p) (f32x4.lt (local.get $x) (v128.const f32x4 -87 -87 -87 -87))))

  ;; Φ(x) for each lane, given gauss = e^(−x²/2) (the caller computes it once: the gradient
  ;; needs it again for φ). erf(z), z ≥ 0, by Abramowitz & Stegun 7.1.26 (the formula tfjs uses, error < 1.5e-7):
  ;;   erf(z) = 1 − (a1 t + a2 t² + a3 t³ + a4 t⁴ + a5 t⁵) e^(−z²),  t = 1 / (1 + p z)
  ;; with z = |x| / √2, so e^(−z²) = e^(−x²/2). Φ(x) = ½ (1 + sign(x) · erf(z)).
  (func $normalCdf4 (param $x v128) (param $gauss v128) (result v128)
    (local $t v128) (local $poly v128) (local $erf v128)
    (local.set $t
      (f32x4.div (v128.const f32x4 1 1 1 1)
        (f32x4.add (v128.const f32x4 1 1 1 1)
          (f32x4.mul (f32x4.abs (local.get $x)) (v128.const f32x4 0.231641888 0.231641888 0.231641888 0.231641888))))) ;; p / √2
    (local.set $poly (v128.const f32x4 1.061405429 1.061405429 1.061405429 1.061405429))
    (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (v128.const f32x4 -1.453152027 -1.453152027 -1.453152027 -1.453152027)))
    (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (v128.const f32x4 1.421413741 1.421413741 1.421413741 1.421413741)))
    (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (v128.const f32x4 -0.284496736 -0.284496736 -0.284496736 -0.284496736)))
    (local.set $poly (f32x4.add (f32x4.mul (local.get $poly) (local.get $t)) (v128.const f32x4 0.254829592 0.254829592 0.254829592 0.254829592)))
    (local.set $erf
      (f32x4.sub (v128.const f32x4 1 1 1 1) (f32x4.mul (f32x4.mul (local.get $poly) (local.get $t)) (local.get $gauss))))
    ;; erf is odd: give it x's sign bit
    (local.set $erf
      (v128.or (local.get $erf) (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000))))
    (f32x4.mul (v128.const f32x4 0.5 0.5 0.5 0.5) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $erf))))

  ;; e^(−x²/2)
  (func $gauss4 (param $x v128) (result v128)
    (call $exp4 (f32x4.mul (v128.const f32x4 -0.5 -0.5 -0.5 -0.5) (f32x4.mul (local.get $x) (local.get $x)))))

  ;; y = x · Φ(x) over n floats.
  (func (export "gelu_forward") (param $x i32) (param $y i32) (param $n i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (v128.store (local.get $y)
          (f32x4.mul (local.get $v) (call $normalCdf4 (local.get $v) (call $gauss4 (local.get $v)))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $y (i32.add (local.get $y) (i32.const 16)))
        (br $next))))

  ;; dx = dy · (Φ(x) + x · φ(x)) over n floats.
  (func (export "gelu_backward") (param $x i32) (param $dy i32) (param $dx i32) (param $n i32)
    (local $end i32) (local $v v128) (local $gauss v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $x) (local.get $end)))
        (local.set $v (v128.load (local.get $x)))
        (local.set $gauss (call $gauss4 (local.get $v)))
        (v128.store (local.get $dx)
          (f32x4.mul (v128.load (local.get $dy))
            (f32x4.add
              (call $normalCdf4 (local.get $v) (local.get $gauss))
              ;; x · φ(x) = x · e^(−x²/2) / √(2π)
              (f32x4.mul (local.get $v) (f32x4.mul (local.get $gauss) (v128.const f32x4 0.398942280 0.398942280 0.398942280 0.398942280))))))
        (local.set $x (i32.add (local.get $x) (i32.const 16)))
        (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
        (local.set $dx (i32.add (local.get $dx) (i32.const 16)))
        (br $next))))
)
