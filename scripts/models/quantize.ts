/**
 * Weight formats for the dtypes transformers.js loads: float16 conversion, per-tensor int8 (q8), and
 * block-wise 4-bit packing in the layout of onnxruntime's com.microsoft MatMulNBits (q4).
 *
 * A weight matrix is row-major `[K, N]` (inputs × outputs), as consumed by `MatMul(x[..., K], W)`.
 */

/** A row-major `[rows, cols]` float32 matrix. */
export interface Matrix {
  readonly rows: number;
  readonly cols: number;
  readonly data: Float32Array;
}

// ---------------------------------------------------------------- float16

const f32Scratch = new Float32Array(1);
const u32Scratch = new Uint32Array(f32Scratch.buffer);

/**
 * The IEEE 754 binary16 bits nearest to `value` (round to nearest, ties to even), as onnxruntime and
 * numpy's `astype(float16)` produce them; overflow gives ±Infinity, NaN stays NaN.
 */
export function float32ToFloat16Bits(value: number): number {
  f32Scratch[0] = value;
  const bits = u32Scratch[0] ?? 0;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa === 0 ? 0 : 0x200);
  const halfExponent = exponent - 127 + 15;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  // A normal half keeps the top 10 mantissa bits; a subnormal one shifts the implicit 1 in as well.
  const significand = halfExponent > 0 ? mantissa : mantissa | 0x800000;
  const shift = halfExponent > 0 ? 13 : 14 - halfExponent;
  if (shift > 24) return sign;
  let half = (halfExponent > 0 ? halfExponent << 10 : 0) | (significand >>> shift);
  const remainder = significand & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  // A carry out of the mantissa bumps the exponent, which is exactly the right rounding.
  if (remainder > halfway || (remainder === halfway && (half & 1) === 1)) half += 1;
  return sign | half;
}

/** The float value of binary16 `bits` (for tests and for dequantizing). */
export function float16BitsToFloat32(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >>> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 0x1f) return mantissa === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Every element of `values` as binary16 bits. */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float32ToFloat16Bits(values[i] ?? 0);
  return out;
}

// ---------------------------------------------------------------- q8

/** Symmetric per-tensor int8: `value ≈ quantized · scale`, zero point 0. */
export interface Int8Weight {
  readonly quantized: Int8Array;
  readonly scale: number;
}

/**
 * The largest weight magnitude: 7 bits, as onnxruntime's `quantize_dynamic(reduce_range=True)`. On x86 CPUs without
 * VNNI, ORT's u8×s8 kernel (and so the browser's WASM SIMD one) adds pairs of products in saturating int16: with
 * activations up to 255 and weights up to 127 a pair reaches 64,770 and clips, which made q8 logits drift by 0.16 on
 * such a machine. With |q| ≤ 63 a pair stays below 32,767 on every CPU.
 */
export const INT8_WEIGHT_MAX = 63;

/**
 * Per-tensor symmetric int8 with reduced range, as onnxruntime's `quantize_dynamic(reduce_range=True)` does for
 * MatMul weights: `scale = max|w| / 63`, `q = clamp(round(w / scale), -63, 63)`.
 */
export function quantizeInt8(values: Float32Array): Int8Weight {
  let maxAbs = 0;
  for (const v of values) maxAbs = Math.max(maxAbs, Math.abs(v));
  // Math.fround: the scale is stored as float32, so quantize with exactly the stored value.
  const scale = Math.fround(maxAbs / INT8_WEIGHT_MAX) || 1;
  const quantized = new Int8Array(values.length);
  for (let i = 0; i < values.length; i++) {
    quantized[i] = Math.max(
      -INT8_WEIGHT_MAX,
      Math.min(INT8_WEIGHT_MAX, Math.round((values[i] ?? 0) / scale)),
    );
  }
  return { quantized, scale };
}

// ---------------------------------------------------------------- q4 (MatMulNBits)

/**
 * A `[K, N]` matrix packed for `com.microsoft.MatMulNBits` with `bits = 4` and no zero-point input
 * (which means an implicit zero point of 8).
 */
export interface Q4Weight {
  readonly k: number;
  readonly n: number;
  readonly blockSize: number;
  readonly blocksPerColumn: number;
  /** `[N, blocksPerColumn, blockSize / 2]`; element 2i in the low nibble, 2i+1 in the high nibble. */
  readonly packed: Uint8Array;
  /** `[N · blocksPerColumn]`: `value ≈ (nibble - 8) · scale`. */
  readonly scales: Float32Array;
}

/**
 * Block-wise symmetric 4-bit quantization along K, one scale per block of `blockSize` inputs of an
 * output column. Follows onnxruntime's own quantizer (MlasQuantizeBlockwise): the value of largest
 * magnitude maps to nibble 0 (i.e. -8), `scale = that value / -8`.
 */
export function quantizeQ4(weight: Matrix, blockSize = 32): Q4Weight {
  const { rows: k, cols: n, data } = weight;
  if (k % blockSize !== 0 || blockSize % 2 !== 0)
    throw new Error(`K=${k} must be a multiple of ${blockSize}`);
  const blocksPerColumn = k / blockSize;
  const packed = new Uint8Array((n * k) / 2);
  const scales = new Float32Array(n * blocksPerColumn);
  for (let col = 0; col < n; col++) {
    for (let block = 0; block < blocksPerColumn; block++) {
      const firstRow = block * blockSize;
      let extreme = 0;
      for (let i = 0; i < blockSize; i++) {
        const v = data[(firstRow + i) * n + col] ?? 0;
        if (Math.abs(v) > Math.abs(extreme)) extreme = v;
      }
      const scale = Math.fround(extreme / -8) || 1;
      const blockIndex = col * blocksPerColumn + block;
      scales[blockIndex] = scale;
      for (let i = 0; i < blockSize; i++) {
        const v = data[(firstRow + i) * n + col] ?? 0;
        const nibble = Math.max(0, Math.min(15, Math.round(v / scale) + 8));
        const byte = blockIndex * (blockSize / 2) + (i >> 1);
        packed[byte] = (packed[byte] ?? 0) | (i % 2 === 0 ? nibble : nibble << 4);
      }
    }
  }
  return { k, n, blockSize, blocksPerColumn, packed, scales };
}

/** The `[K, N]` matrix a Q4Weight stands for (for tests). */
export function dequantizeQ4(weight: Q4Weight): Matrix {
  const { k, n, blockSize, blocksPerColumn, packed, scales } = weight;
  const data = new Float32Array(k * n);
  for (let col = 0; col < n; col++) {
    for (let row = 0; row < k; row++) {
      const blockIndex = col * blocksPerColumn + Math.floor(row / blockSize);
      const i = row % blockSize;
      const byte = packed[blockIndex * (blockSize / 2) + (i >> 1)] ?? 0;
      const nibble = i % 2 === 0 ? byte & 0x0f : byte >>> 4;
      data[row * n + col] = (nibble - 8) * (scales[blockIndex] ?? 0);
    }
  }
  return { rows: k, cols: n, data };
}
