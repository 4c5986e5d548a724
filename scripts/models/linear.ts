/**
 * One weight MatMul, `x[..., K] · W[K, N]`, written in each dtype's ONNX form, matching what
 * transformers.js' published ONNX files contain for that dtype.
 */
import { ElementType, type GraphBuilder } from './graph.ts';
import { type Matrix, quantizeInt8, quantizeQ4, toFloat16 } from './quantize.ts';

/** The weight formats the generator writes (transformers.js dtype names). */
export type WeightDtype = 'fp32' | 'fp16' | 'q8' | 'q4';

/** MatMulNBits block size: 32 is what transformers.js' q4 models use. */
export const Q4_BLOCK_SIZE = 32;

/**
 * Emits `x · W` for `dtype` and returns the output's name.
 * - fp32: MatMul.
 * - fp16: float16 initializer + Cast to float32. Half the bytes on disk; compute stays float32, so the
 *   model (and its float32 KV cache) runs on every execution provider, WASM included.
 * - q8: DynamicQuantizeLinear on the activations + MatMulInteger with per-tensor int8 weights, the
 *   graph onnxruntime's `quantize_dynamic` produces.
 * - q4: com.microsoft MatMulNBits, 4 bits, blocks of 32 along K, float32 scales.
 */
export function emitLinear(
  graph: GraphBuilder,
  x: string,
  name: string,
  weight: Matrix,
  dtype: WeightDtype,
): string {
  const { rows: k, cols: n } = weight;
  switch (dtype) {
    case 'fp32':
      return graph.op('MatMul', [x, graph.float32(name, weight.data, [k, n])]);
    case 'fp16': {
      const w = graph.initializer(name, ElementType.float16, [k, n], toFloat16(weight.data));
      return graph.op('MatMul', [x, graph.op('Cast', [w], { to: ElementType.float })]);
    }
    case 'q8': {
      const { quantized, scale } = quantizeInt8(weight.data);
      const wq = graph.initializer(`${name}_quantized`, ElementType.int8, [k, n], quantized);
      const wZeroPoint = graph.initializer(`${name}_zero_point`, ElementType.int8, [], new Int8Array([0]));
      const wScale = graph.float32(`${name}_scale`, [scale], []);
      const [xq, xScale, xZeroPoint] = graph.opMulti('DynamicQuantizeLinear', [x], 3);
      if (xq === undefined || xScale === undefined || xZeroPoint === undefined)
        throw new Error('unreachable');
      const product = graph.op('MatMulInteger', [xq, wq, xZeroPoint, wZeroPoint]);
      const productScale = graph.op('Mul', [xScale, wScale]);
      return graph.op('Mul', [graph.op('Cast', [product], { to: ElementType.float }), productScale]);
    }
    case 'q4': {
      const q4 = quantizeQ4(weight, Q4_BLOCK_SIZE);
      const packed = graph.initializer(
        `${name}_Q4`,
        ElementType.uint8,
        [n, q4.blocksPerColumn, Q4_BLOCK_SIZE / 2],
        q4.packed,
      );
      const scales = graph.float32(`${name}_scales`, q4.scales, [n * q4.blocksPerColumn]);
      // accuracy_level 4 lets onnxruntime quantize the activations to int8 inside the kernel: its fastest CPU path.
      const attributes = { K: k, N: n, bits: 4, block_size: Q4_BLOCK_SIZE, accuracy_level: 4 };
      return graph.op('MatMulNBits', [x, packed, scales], attributes, 'com.microsoft');
    }
    default:
      return dtype satisfies never;
  }
}
