/**
 * The WGSL kernels of the GPU benchmarks and the exact test data that checks the matmul's answer. Pure strings
 * and arithmetic: nothing here touches a GPU.
 */

/** Threads per workgroup of the bandwidth kernels. */
export const BANDWIDTH_WORKGROUP = 256;
/** Side of the square output tile one matmul workgroup computes; N must be a multiple of it. */
export const MATMUL_TILE = 64;

/** Sums a storage buffer with vec4<f32> loads; each thread writes its sum to `sink` so the loads stay alive. */
export const READ_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> sink: array<vec4<f32>>;
@compute @workgroup_size(${BANDWIDTH_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = groups.x * ${BANDWIDTH_WORKGROUP}u;
  let n = arrayLength(&src);
  var acc = vec4<f32>(0.0);
  for (var i = gid.x; i < n; i += stride) { acc += src[i]; }
  sink[gid.x] = acc; // keeps the loads alive; 16 bytes per thread, negligible next to the reads
}`;

/** Copies one storage buffer to another with vec4<f32> loads and stores. */
export const COPY_WGSL = /* wgsl */ `
@group(0) @binding(0) var<storage, read> src: array<vec4<f32>>;
@group(0) @binding(1) var<storage, read_write> dst: array<vec4<f32>>;
@compute @workgroup_size(${BANDWIDTH_WORKGROUP})
fn main(@builtin(global_invocation_id) gid: vec3<u32>, @builtin(num_workgroups) groups: vec3<u32>) {
  let stride = groups.x * ${BANDWIDTH_WORKGROUP}u;
  let n = arrayLength(&src);
  for (var i = gid.x; i < n; i += stride) { dst[i] = src[i]; }
}`;

/** C = A × B, N×N row-major, N a multiple of 64: 64×64 output tiles, 16×16 threads, 4×4 outputs per thread. */
export const matmulWgsl = (t: 'f32' | 'f16') => /* wgsl */ `
${t === 'f16' ? 'enable f16;' : ''}
@group(0) @binding(0) var<storage, read> A: array<${t}>;
@group(0) @binding(1) var<storage, read> B: array<${t}>;
@group(0) @binding(2) var<storage, read_write> C: array<${t}>;
@group(0) @binding(3) var<uniform> dims: vec4<u32>;
var<workgroup> As: array<array<${t}, 64>, 16>;
var<workgroup> Bs: array<array<${t}, 64>, 16>;
@compute @workgroup_size(16, 16)
fn main(@builtin(local_invocation_id) lid: vec3<u32>, @builtin(workgroup_id) wid: vec3<u32>) {
  let n = dims.x;
  let row0 = wid.y * 64u;
  let col0 = wid.x * 64u;
  let tid = lid.y * 16u + lid.x;
  var acc: array<array<${t}, 4>, 4>;
  for (var k0 = 0u; k0 < n; k0 += 16u) {
    for (var i = 0u; i < 4u; i++) {
      let e = tid + i * 256u;
      As[e % 16u][e / 16u] = A[(row0 + e / 16u) * n + k0 + e % 16u];
      Bs[e / 64u][e % 64u] = B[(k0 + e / 64u) * n + col0 + e % 64u];
    }
    workgroupBarrier();
    for (var k = 0u; k < 16u; k++) {
      var a: array<${t}, 4>;
      var b: array<${t}, 4>;
      for (var i = 0u; i < 4u; i++) {
        a[i] = As[k][lid.y * 4u + i];
        b[i] = Bs[k][lid.x * 4u + i];
      }
      for (var i = 0u; i < 4u; i++) {
        for (var j = 0u; j < 4u; j++) { acc[i][j] += a[i] * b[j]; }
      }
    }
    workgroupBarrier();
  }
  for (var i = 0u; i < 4u; i++) {
    for (var j = 0u; j < 4u; j++) { C[(row0 + lid.y * 4u + i) * n + col0 + lid.x * 4u + j] = acc[i][j]; }
  }
}`;

/**
 * Entry `i` of the matmul's test matrix `salt`: −1, 0 or 1, exactly representable in f16 and f32, so every entry
 * of the product is an exact small integer and the GPU's answer can be compared with `===`.
 */
export const matmulEntry = (i: number, salt: number): number => (((i * 2654435761 + salt) >>> 0) % 3) - 1;

/** IEEE half-precision bits of −1, 0 and 1. */
const F16_BITS: Record<number, number> = { [-1]: 0xbc00, 0: 0, 1: 0x3c00 };

/** The n×n test matrix `salt` as the GPU buffer wants it: f32 values, or the f16 bits of −1, 0 and 1. */
export function matmulInput(
  salt: number,
  n: number,
  type: 'f32' | 'f16',
): Float32Array<ArrayBuffer> | Uint16Array<ArrayBuffer> {
  const values = Array.from({ length: n * n }, (_, i) => matmulEntry(i, salt));
  return type === 'f16' ? Uint16Array.from(values, (x) => F16_BITS[x] ?? 0) : Float32Array.from(values);
}

/** The number an IEEE half-precision bit pattern stands for (infinities and NaN are not needed here). */
export function f16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const frac = h & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** C[row][col] of the exact n×n product of the test matrices (salts 1 and 2): Σₖ A[row][k] · B[k][col]. */
export function expectedMatmulEntry(row: number, col: number, n: number): number {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += matmulEntry(row * n + k, 1) * matmulEntry(k * n + col, 2);
  return sum;
}

/**
 * Compares 64 spread-out entries of C, read back as raw bytes, with the exact product of the test matrices
 * (expectedMatmulEntry). Returns the first wrong entry in words, or null when all agree.
 */
export function checkMatmul(raw: ArrayBuffer, n: number, type: 'f32' | 'f16'): string | null {
  const f16 = type === 'f16' ? new Uint16Array(raw) : null;
  const f32 = type === 'f32' ? new Float32Array(raw) : null;
  const got = (i: number) => (f16 ? f16ToNumber(f16[i] ?? 0) : (f32?.[i] ?? Number.NaN));
  for (let s = 0; s < 64; s++) {
    const row = (s * 37) % n;
    const col = (s * 91 + 5) % n;
    const expected = expectedMatmulEntry(row, col, n);
    const value = got(row * n + col);
    if (value !== expected) return `wrong result at C[${row}][${col}]: ${value} instead of ${expected}`;
  }
  return null;
}
