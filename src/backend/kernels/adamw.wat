;; One AdamW update of one parameter tensor, in one pass (128-bit SIMD, then a scalar tail).
;;
;;   g  = gradScale · grad                      (gradient clipping folded in)
;;   m' = β1·m + (1 − β1)·g                     (running mean of the gradient)
;;   v' = β2·v + (1 − β2)·g²                    (running mean of its square)
;;   p' = p·(1 − decay) − (lr / c1) · m' / (√v' / √c2 + ε)
;;
;; with c1 = 1 − β1^t and c2 = 1 − β2^t the bias corrections and decay = lr·λ (0 for the
;; parameters weight decay skips). Composed from tfjs operations this is a dozen kernels
;; per parameter tensor, each a pass over it; a GPT has dozens of tensors.
;;
;; The new values go to new tensors (newP, newM, newV): tfjs tensors are immutable, and the
;; old ones may be shared. Like attention.wat, the module imports the `wasm` backend's
;; memory and has no data of its own. The build turns this file into
;; src/backend/kernels/adamw-wasm.ts (`node scripts/build-kernels.js`); a test checks the
;; two agree.
(module
  (import "env" "memory" (memory 0))

  (func (export "adamw_update")
    (param $p i32) (param $g i32) (param $m i32) (param $v i32)
    (param $newP i32) (param $newM i32) (param $newV i32) (param $n i32)
    (param $lr f32) (param $beta1 f32) (param $beta2 f32) (param $eps f32) (param $decay f32)
    (param $c1 f32) (param $c2 f32) (param $gradScale f32)
    (local $i i32) (local $at i32) (local $wide i32)
    (local $step f32) (local $keep f32) (local $rootC2 f32)
    (local $gs f32) (local $ms f32) (local $vs f32)
    (local $g4 v128) (local $m4 v128) (local $v4 v128)
    (local $scale4 v128) (local $b1 v128) (local $b1c v128) (local $b2 v128) (local $b2c v128)
    (local $step4 v128) (local $keep4 v128) (local $rootC24 v128) (local $eps4 v128)
    (local.set $step (f32.div (local.get $lr) (local.get $c1)))
    (local.set $keep (f32.sub (f32.const 1) (local.get $decay)))
    (local.set $rootC2 (f32.sqrt (local.get $c2)))
    (local.set $scale4 (f32x4.splat (local.get $gradScale)))
    (local.set $b1 (f32x4.splat (local.get $beta1)))
    (local.set $b1c (f32x4.splat (f32.sub (f32.const 1) (local.get $beta1))))
    (local.set $b2 (f32x4.splat (local.get $beta2)))
    (local.set $b2c (f32x4.splat (f32.sub (f32.const 1) (local.get $beta2))))
    (local.set $step4 (f32x4.splat (local.get $step)))
    (local.set $keep4 (f32x4.splat (local.get $keep)))
    (local.set $rootC24 (f32x4.splat (local.get $rootC2)))
    (local.set $eps4 (f32x4.splat (local.get $eps)))
    ;; four at a time
    (local.set $wide (i32.and (local.get $n) (i32.const -4)))
    (block $wideDone
      (loop $next
        (br_if $wideDone (i32.ge_s (local.get $i) (local.get $wide)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $g4 (f32x4.mul (local.get $scale4) (v128.load (i32.add (local.get $g) (local.get $at)))))
        (local.set $m4
          (f32x4.add (f32x4.mul (local.get $b1) (v128.load (i32.add (local.get $m) (local.get $at))))
                     (f32x4.mul (local.get $b1c) (local.get $g4))))
        (local.set $v4
          (f32x4.add (f32x4.mul (local.get $b2) (v128.load (i32.add (local.get $v) (local.get $at))))
                     (f32x4.mul (local.get $b2c) (f32x4.mul (local.get $g4) (local.get $g4)))))
        (v128.store (i32.add (local.get $newM) (local.get $at)) (local.get $m4))
        (v128.store (i32.add (local.get $newV) (local.get $at)) (local.get $v4))
        (v128.store (i32.add (local.get $newP) (local.get $at))
          (f32x4.sub
            (f32x4.mul (local.get $keep4) (v128.load (i32.add (local.get $p) (local.get $at))))
            (f32x4.mul (local.get $step4)
              (f32x4.div (local.get $m4)
                (f32x4.add (f32x4.div (f32x4.sqrt (local.get $v4)) (local.get $rootC24)) (local.get $eps4))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    ;; the rest, one at a time
    (block $done
      (loop $tail
        (br_if $done (i32.ge_s (local.get $i) (local.get $n)))
        (local.set $at (i32.shl (local.get $i) (i32.const 2)))
        (local.set $gs (f32.mul (local.get $gradScale) (f32.load (i32.add (local.get $g) (local.get $at)))))
        (local.set $ms
          (f32.add (f32.mul (local.get $beta1) (f32.load (i32.add (local.get $m) (local.get $at))))
                   (f32.mul (f32.sub (f32.const 1) (local.get $beta1)) (local.get $gs))))
        (local.set $vs
          (f32.add (f32.mul (local.get $beta2) (f32.load (i32.add (local.get $v) (local.get $at))))
                   (f32.mul (f32.sub (f32.const 1) (local.get $beta2)) (f32.mul (local.get $gs) (local.get $gs)))))
        (f32.store (i32.add (local.get $newM) (local.get $at)) (local.get $ms))
        (f32.store (i32.add (local.get $newV) (local.get $at)) (local.get $vs))
        (f32.store (i32.add (local.get $newP) (local.get $at))
          (f32.sub
            (f32.mul (local.get $keep) (f32.load (i32.add (local.get $p) (local.get $at))))
            (f32.mul (local.get $step)
              (f32.div (local.get $ms)
                (f32.add (f32.div (f32.sqrt (local.get $vs)) (local.get $rootC2)) (local.get $eps))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $tail))))
)
