;; The transpose of a float matrix, (M, N) → (N, M), in 4×4 blocks with 128-bit SIMD.
;;
;; The backward pass of every dense layer needs xᵀ and Wᵀ (the `wasm` backend multiplies
;; untransposed matrices ten times faster than with a "transpose" flag, so `linear()`
;; transposes first). tfjs's own kernel moves one float at a time through a general N-D
;; index calculation. Here four rows of four floats are loaded as four vectors, shuffled
;; into four columns, and stored: 16 floats per 8 shuffles. The matrix is walked in 32×32
;; tiles so that the columns being written stay in the cache.
;;
;; Like attention.wat, the module imports the `wasm` backend's memory and has no data of
;; its own; M and N are multiples of 4 (the caller checks).
;; The build turns this file into src/backend/kernels/transpose-wasm.ts
;; (`node scripts/build-kernels.js`); a test checks the two agree.
(module
  (import "env" "memory" (memory 0))

  ;; One 4×4 block: rows at src, src + rowBytes, …; columns at dst, dst + colBytes, …
  (func $block (param $src i32) (param $dst i32) (param $rowBytes i32) (param $colBytes i32)
    (local $r0 v128) (local $r1 v128) (local $r2 v128) (local $r3 v128)
    (local $t0 v128) (local $t1 v128) (local $t2 v128) (local $t3 v128)
    (local.set $r0 (v128.load (local.get $src)))
    (local.set $r1 (v128.load (i32.add (local.get $src) (local.get $rowBytes))))
    (local.set $r2 (v128.load (i32.add (local.get $src) (i32.shl (local.get $rowBytes) (i32.const 1)))))
    (local.set $r3 (v128.load (i32.add (local.get $src) (i32.mul (local.get $rowBytes) (i32.const 3)))))
    ;; interleave pairs of rows: t0 = a0 b0 a1 b1, t1 = a2 b2 a3 b3, t2 = c0 d0 c1 d1, t3 = c2 d2 c3 d3
    (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r0) (local.get $r1)))
    (local.set $t1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r0) (local.get $r1)))
    (local.set $t2 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $r2) (local.get $r3)))
    (local.set $t3 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $r2) (local.get $r3)))
    ;; then pairs of pairs: column k = ak bk ck dk
    (v128.store (local.get $dst)
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t2)))
    (v128.store (i32.add (local.get $dst) (local.get $colBytes))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t2)))
    (v128.store (i32.add (local.get $dst) (i32.shl (local.get $colBytes) (i32.const 1)))
      (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t1) (local.get $t3)))
    (v128.store (i32.add (local.get $dst) (i32.mul (local.get $colBytes) (i32.const 3)))
      (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t1) (local.get $t3))))

  ;; dst (N, M) = srcᵀ, src (M, N).
  (func (export "transpose") (param $src i32) (param $dst i32) (param $M i32) (param $N i32)
    (local $rowBytes i32) (local $colBytes i32) (local $i0 i32) (local $j0 i32) (local $i i32) (local $j i32)
    (local $iEnd i32) (local $jEnd i32)
    (local.set $rowBytes (i32.shl (local.get $N) (i32.const 2)))
    (local.set $colBytes (i32.shl (local.get $M) (i32.const 2)))
    (local.set $i0 (i32.const 0))
    (block $tileRowsDone
      (loop $tileRows
        (br_if $tileRowsDone (i32.ge_s (local.get $i0) (local.get $M)))
        (local.set $iEnd (select (i32.add (local.get $i0) (i32.const 32)) (local.get $M)
          (i32.lt_s (i32.add (local.get $i0) (i32.const 32)) (local.get $M))))
        (local.set $j0 (i32.const 0))
        (block $tileColsDone
          (loop $tileCols
            (br_if $tileColsDone (i32.ge_s (local.get $j0) (local.get $N)))
            (local.set $jEnd (select (i32.add (local.get $j0) (i32.const 32)) (local.get $N)
              (i32.lt_s (i32.add (local.get $j0) (i32.const 32)) (local.get $N))))
            (local.set $i (local.get $i0))
            (loop $rows
              (local.set $j (local.get $j0))
              (loop $cols
                (call $block
                  (i32.add (local.get $src) (i32.shl (i32.add (i32.mul (local.get $i) (local.get $N)) (local.get $j)) (i32.const 2)))
                  (i32.add (local.get $dst) (i32.shl (i32.add (i32.mul (local.get $j) (local.get $M)) (local.get $i)) (i32.const 2)))
                  (local.get $rowBytes)
                  (local.get $colBytes))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br_if $cols (i32.lt_s (local.get $j) (local.get $jEnd))))
              (local.set $i (i32.add (local.get $i) (i32.const 4)))
              (br_if $rows (i32.lt_s (local.get $i) (local.get $iEnd))))
            (local.set $j0 (i32.add (local.get $j0) (i32.const 32)))
            (br $tileCols)))
        (local.set $i0 (i32.add (local.get $i0) (i32.const 32)))
        (br $tileRows))))
)
