/*
 * Matrix products for the `wasm` backend, done by the machine's optimised BLAS.
 *
 * Why: after the fused kernels, two thirds of a training step are the dense layers' matrix
 * products, and the `wasm` backend runs them through XNNPACK at 14-22 GFLOP/s (WebAssembly
 * SIMD is 4 floats wide). OpenBLAS does the same products at 55-75 GFLOP/s on the same core
 * with AVX2/AVX-512. This Node-API addon hands the products to `cblas_sgemm`, reading and
 * writing the tensors where the `wasm` backend keeps them (its memory is one ArrayBuffer),
 * so nothing is copied. `src/backend/native-matmul.ts` registers it as tfjs's `BatchMatMul`
 * kernel and falls back to tfjs's own where this addon or a BLAS is missing.
 *
 * The BLAS is opened at run time (dlopen), not linked: building needs only a C compiler,
 * and a machine without OpenBLAS still loads the addon and says what is missing.
 *
 * Built by scripts/build-native.js; plain C with Node-API, so one build works with every
 * Node version that has Node-API 8.
 */
#define NAPI_VERSION 8
#include <node_api.h>
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

/* The CBLAS constants, fixed by the CBLAS standard (so no cblas.h is needed to build). */
enum { ROW_MAJOR = 101, NO_TRANS = 111, TRANS = 112 };

typedef void (*sgemm_fn)(int order, int trans_a, int trans_b, int m, int n, int k, float alpha,
                         const float *a, int lda, const float *b, int ldb, float beta, float *c, int ldc);
typedef void (*sgemv_fn)(int order, int trans, int m, int n, float alpha, const float *a, int lda, const float *x,
                         int incx, float beta, float *y, int incy);
typedef void (*set_threads_fn)(int threads);
typedef int (*get_threads_fn)(void);

static sgemm_fn sgemm = NULL;
static sgemv_fn sgemv = NULL;
static set_threads_fn set_threads = NULL;
static get_threads_fn get_threads = NULL;
static char library_path[1024] = "";

static napi_value throw_error(napi_env env, const char *message) {
  napi_throw_error(env, "LLM_LAB_BLAS", message);
  return NULL;
}

static int read_int64(napi_env env, napi_value value, int64_t *out) {
  napi_valuetype type;
  if (napi_typeof(env, value, &type) != napi_ok || type != napi_number) return 0;
  return napi_get_value_int64(env, value, out) == napi_ok;
}

/*
 * open(paths: string[]) -> string | null
 * Tries each library path in turn; keeps the first that has cblas_sgemm and returns its
 * path, or returns null when none does (the caller then reports what was tried).
 */
static napi_value open_blas(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  napi_value result;
  if (sgemm != NULL) {
    napi_create_string_utf8(env, library_path, NAPI_AUTO_LENGTH, &result);
    return result;
  }
  uint32_t count = 0;
  if (argc < 1 || napi_get_array_length(env, argv[0], &count) != napi_ok) {
    return throw_error(env, "open(paths) expects an array of library paths");
  }
  for (uint32_t i = 0; i < count; i++) {
    napi_value item;
    char path[1024];
    size_t length = 0;
    napi_get_element(env, argv[0], i, &item);
    if (napi_get_value_string_utf8(env, item, path, sizeof path, &length) != napi_ok) continue;
    void *handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) continue;
    sgemm_fn found = (sgemm_fn)dlsym(handle, "cblas_sgemm");
    if (found == NULL) {
      dlclose(handle);
      continue;
    }
    sgemm = found;
    sgemv = (sgemv_fn)dlsym(handle, "cblas_sgemv");
    set_threads = (set_threads_fn)dlsym(handle, "openblas_set_num_threads");
    get_threads = (get_threads_fn)dlsym(handle, "openblas_get_num_threads");
    if (set_threads == NULL) set_threads = (set_threads_fn)dlsym(handle, "MKL_Set_Num_Threads");
    if (get_threads == NULL) get_threads = (get_threads_fn)dlsym(handle, "MKL_Get_Max_Threads");
    snprintf(library_path, sizeof library_path, "%s", path);
    napi_create_string_utf8(env, library_path, NAPI_AUTO_LENGTH, &result);
    return result;
  }
  napi_get_null(env, &result);
  return result;
}

/* threads(n?: number) -> number: sets the BLAS's thread count when given; returns it (0: unknown). */
static napi_value threads(napi_env env, napi_callback_info info) {
  size_t argc = 1;
  napi_value argv[1];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (sgemm == NULL) return throw_error(env, "threads(): no BLAS is open; call open(paths) first");
  int64_t wanted = 0;
  if (argc >= 1 && read_int64(env, argv[0], &wanted)) {
    if (wanted < 1 || wanted > 1024) return throw_error(env, "threads(n): n must be between 1 and 1024");
    if (set_threads != NULL) set_threads((int)wanted);
  }
  napi_value result;
  napi_create_int32(env, get_threads != NULL ? get_threads() : 0, &result);
  return result;
}

/*
 * matmul(memory, transposeA, transposeB, batch, m, n, k,
 *        aOffset, aBatchStride, bOffset, bBatchStride, cOffset)
 *
 * For each of `batch` products: C (m, n) = op(A) · op(B), row-major, where op(A) is (m, k)
 * and op(B) is (k, n); A is stored (k, m) when transposed, B (n, k). Offsets are in bytes
 * into `memory` (the wasm backend's ArrayBuffer), batch strides in floats (0 broadcasts
 * one matrix to every product). Every matrix must lie inside `memory`: a wrong offset
 * raises an error instead of reading or writing outside it.
 */
static napi_value matmul(napi_env env, napi_callback_info info) {
  size_t argc = 12;
  napi_value argv[12];
  napi_get_cb_info(env, info, &argc, argv, NULL, NULL);
  if (sgemm == NULL) return throw_error(env, "matmul(): no BLAS is open; call open(paths) first");
  if (argc != 12) return throw_error(env, "matmul() takes 12 arguments");
  void *data = NULL;
  size_t byte_length = 0;
  if (napi_get_arraybuffer_info(env, argv[0], &data, &byte_length) != napi_ok) {
    return throw_error(env, "matmul(): the first argument must be the wasm memory's ArrayBuffer");
  }
  bool transpose_a = false, transpose_b = false;
  napi_get_value_bool(env, argv[1], &transpose_a);
  napi_get_value_bool(env, argv[2], &transpose_b);
  int64_t v[9];
  for (int i = 0; i < 9; i++) {
    if (!read_int64(env, argv[3 + i], &v[i]) || v[i] < 0 || v[i] > ((int64_t)1 << 40)) {
      return throw_error(env, "matmul(): sizes, offsets and strides must be non-negative numbers below 2^40");
    }
  }
  const int64_t batch = v[0], m = v[1], n = v[2], k = v[3];
  const int64_t a_offset = v[4], a_stride = v[5], b_offset = v[6], b_stride = v[7], c_offset = v[8];
  if (m > INT32_MAX || n > INT32_MAX || k > INT32_MAX) return throw_error(env, "matmul(): a side is too long for BLAS");
  if (a_offset % 4 || b_offset % 4 || c_offset % 4) return throw_error(env, "matmul(): offsets must be multiples of 4 bytes");
  const int64_t floats = (int64_t)(byte_length / 4);
  const int64_t last = batch > 0 ? batch - 1 : 0;
  if (batch > 0 && (a_offset / 4 + last * a_stride + m * k > floats || b_offset / 4 + last * b_stride + k * n > floats ||
                    c_offset / 4 + batch * m * n > floats)) {
    return throw_error(env, "matmul(): a matrix reaches past the end of the memory");
  }
  float *base = (float *)data;
  for (int64_t i = 0; i < batch; i++) {
    const float *a = base + a_offset / 4 + i * a_stride;
    const float *b = base + b_offset / 4 + i * b_stride;
    float *c = base + c_offset / 4 + i * m * n;
    if (k == 0) {
      memset(c, 0, (size_t)(m * n) * sizeof(float)); /* an empty sum is 0, whatever C held */
      continue;
    }
    if (m == 1 && sgemv != NULL) {
      /* One row (a sampling step): a matrix-vector product. sgemm would first repack B,
         which for one row costs more than the product (measured: 1x128 by 128x512 took
         ~100 us through sgemm, ~50 us in WebAssembly). The row's k numbers are contiguous
         whether A is stored (1, k) or (k, 1). */
      if (transpose_b) sgemv(ROW_MAJOR, NO_TRANS, (int)n, (int)k, 1.0f, b, (int)k, a, 1, 0.0f, c, 1);
      else sgemv(ROW_MAJOR, TRANS, (int)k, (int)n, 1.0f, b, (int)n, a, 1, 0.0f, c, 1);
      continue;
    }
    sgemm(ROW_MAJOR, transpose_a ? TRANS : NO_TRANS, transpose_b ? TRANS : NO_TRANS, (int)m, (int)n, (int)k, 1.0f, a,
          transpose_a ? (int)m : (int)k, b, transpose_b ? (int)k : (int)n, 0.0f, c, (int)n);
  }
  return NULL;
}

static napi_value init(napi_env env, napi_value exports) {
  napi_property_descriptor properties[] = {
      {"open", NULL, open_blas, NULL, NULL, NULL, napi_default, NULL},
      {"threads", NULL, threads, NULL, NULL, NULL, napi_default, NULL},
      {"matmul", NULL, matmul, NULL, NULL, NULL, napi_default, NULL},
  };
  napi_define_properties(env, exports, sizeof properties / sizeof properties[0], properties);
  return exports;
}

NAPI_MODULE_INIT() { return init(env, exports); }
