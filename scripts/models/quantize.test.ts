import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  dequantizeQ4,
  float16BitsToFloat32,
  float32ToFloat16Bits,
  type Matrix,
  quantizeInt8,
  quantizeQ4,
} from './quantize.ts';

describe('float16', () => {
  it('converts known values exactly', () => {
    expect(float32ToFloat16Bits(0)).toBe(0x0000);
    expect(float32ToFloat16Bits(-0)).toBe(0x8000);
    expect(float32ToFloat16Bits(1)).toBe(0x3c00);
    expect(float32ToFloat16Bits(-2)).toBe(0xc000);
    expect(float32ToFloat16Bits(65504)).toBe(0x7bff); // largest half
    expect(float32ToFloat16Bits(1e6)).toBe(0x7c00); // overflow → +inf
    expect(float32ToFloat16Bits(2 ** -24)).toBe(0x0001); // smallest subnormal
    expect(float32ToFloat16Bits(2 ** -26)).toBe(0x0000); // below half of it → 0
    expect(float32ToFloat16Bits(Number.NaN) & 0x7c00).toBe(0x7c00);
  });

  it('rounds ties to even', () => {
    // 1 + 2^-11 is halfway between 1 and the next half (1 + 2^-10): even mantissa wins.
    expect(float32ToFloat16Bits(1 + 2 ** -11)).toBe(0x3c00);
    // 1 + 3·2^-11 is halfway between 1 + 2^-10 (odd) and 1 + 2^-9 (even).
    expect(float32ToFloat16Bits(1 + 3 * 2 ** -11)).toBe(0x3c02);
  });

  it('round-trips within half a unit in the last place', () => {
    fc.assert(
      fc.property(fc.float({ min: -60000, max: 60000, noNaN: true, noDefaultInfinity: true }), (value) => {
        const back = float16BitsToFloat32(float32ToFloat16Bits(value));
        const exponent = Math.max(Math.floor(Math.log2(Math.abs(value) || 2 ** -14)), -14);
        const ulp = 2 ** (exponent - 10);
        expect(Math.abs(back - value)).toBeLessThanOrEqual(ulp / 2);
      }),
    );
  });
});

describe('q8', () => {
  it('reconstructs every weight within half a step', () => {
    fc.assert(
      fc.property(
        fc.array(fc.float({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 64 }),
        (list) => {
          const values = Float32Array.from(list);
          const { quantized, scale } = quantizeInt8(values);
          values.forEach((v, i) => {
            expect(Math.abs((quantized[i] ?? 0) * scale - v)).toBeLessThanOrEqual(scale * 0.5001);
          });
        },
      ),
    );
  });
});

describe('q4 (MatMulNBits layout)', () => {
  it('packs element 2i in the low nibble and 2i+1 in the high nibble of a column block', () => {
    // K = 32 (one block), N = 1: values (i mod 16 − 8) / 8; the first -1 is the extreme value, so
    // scale = -1 / -8 = 1/8 and element i gets nibble i mod 16.
    const column = Float32Array.from({ length: 32 }, (_, i) => ((i % 16) - 8) / 8);
    const q4 = quantizeQ4({ rows: 32, cols: 1, data: column });
    expect(q4.scales[0]).toBeCloseTo(0.125, 7);
    expect(q4.packed[0]).toBe(0x10); // nibbles 0 (i=0) and 1 (i=1)
    expect(q4.packed[7]).toBe(0xfe); // nibbles 14 (i=14) and 15 (i=15)
    expect(q4.packed.length).toBe(16);
  });

  it('reconstructs every weight within half a step of its block (one step at the clamped end)', () => {
    const arbitraryMatrix = fc
      .record({ blocks: fc.integer({ min: 1, max: 3 }), cols: fc.integer({ min: 1, max: 5 }) })
      .chain(({ blocks, cols }) =>
        fc
          .array(fc.float({ min: -1, max: 1, noNaN: true }), {
            minLength: blocks * 32 * cols,
            maxLength: blocks * 32 * cols,
          })
          .map((list): Matrix => ({ rows: blocks * 32, cols, data: Float32Array.from(list) })),
      );
    fc.assert(
      fc.property(arbitraryMatrix, (matrix) => {
        const q4 = quantizeQ4(matrix);
        const back = dequantizeQ4(q4);
        matrix.data.forEach((v, index) => {
          const row = Math.floor(index / matrix.cols);
          const col = index % matrix.cols;
          const scale = Math.abs(q4.scales[col * q4.blocksPerColumn + Math.floor(row / 32)] ?? 0);
          // Nibbles span -8…+7 steps: values of the opposite sign to the extreme beyond 7.5 steps clamp
          // to +7 and may be off by a whole step (as in onnxruntime's quantizer). 1.0001: float rounding.
          const steps = Math.abs(v) <= 7.5 * scale ? 0.5 : 1;
          expect(Math.abs((back.data[index] ?? 0) - v)).toBeLessThanOrEqual(steps * scale * 1.0001);
        });
      }),
    );
  });
});
