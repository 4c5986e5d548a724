import { describe, expect, it } from 'vitest';
import {
  BANDWIDTH_WORKGROUP,
  COPY_WGSL,
  checkMatmul,
  f16ToNumber,
  matmulEntry,
  matmulInput,
  matmulWgsl,
  READ_WGSL,
} from './kernels.ts';

/** IEEE half-precision bits of a normal number whose mantissa fits in 10 bits (or 0). */
const f16Bits = (x: number): number => {
  if (x === 0) return 0;
  const exp = Math.floor(Math.log2(Math.abs(x)));
  const frac = (Math.abs(x) / 2 ** exp - 1) * 1024;
  return (x < 0 ? 0x8000 : 0) | ((exp + 15) << 10) | frac;
};

/** The exact n×n product of the test matrices, as the GPU should write it. */
const product = (n: number): number[] => {
  const c: number[] = [];
  for (let r = 0; r < n; r++)
    for (let col = 0; col < n; col++) {
      let sum = 0;
      for (let k = 0; k < n; k++) sum += matmulEntry(r * n + k, 1) * matmulEntry(k * n + col, 2);
      c.push(sum);
    }
  return c;
};

describe('matmul test data', () => {
  it('uses only −1, 0 and 1, all three of them', () => {
    const entries = new Set(Array.from({ length: 4096 }, (_, i) => matmulEntry(i, 1)));
    expect([...entries].sort()).toEqual([-1, 0, 1]);
  });

  it('uploads f16 bit patterns that decode back to the same values', () => {
    const f16 = matmulInput(2, 16, 'f16');
    const f32 = matmulInput(2, 16, 'f32');
    expect(f16).toBeInstanceOf(Uint16Array);
    expect(Array.from(f16, f16ToNumber)).toEqual(Array.from(f32));
  });

  it('decodes half-precision numbers, subnormals included', () => {
    expect(f16ToNumber(0x3c00)).toBe(1);
    expect(f16ToNumber(0xc000)).toBe(-2);
    expect(f16ToNumber(0x5640)).toBe(100);
    expect(f16ToNumber(0x0001)).toBe(2 ** -24);
  });

  it('accepts the exact product and reports the first wrong entry', () => {
    const n = 64;
    const good = Float32Array.from(product(n));
    expect(checkMatmul(good.buffer, n, 'f32')).toBeNull();
    // (s = 0) checks C[0][5] first.
    const bad = Float32Array.from(good);
    bad[5] = (bad[5] as number) + 1;
    expect(checkMatmul(bad.buffer, n, 'f32')).toBe(
      `wrong result at C[0][5]: ${bad[5]} instead of ${good[5]}`,
    );
  });

  it('checks f16 answers through their bit patterns', () => {
    const n = 64;
    // Products of 64 entries in {−1, 0, 1} are integers in [−64, 64]: exact in f16.
    const good = Uint16Array.from(product(n), f16Bits);
    expect(checkMatmul(good.buffer, n, 'f16')).toBeNull();
    const zeros = new Uint16Array(n * n);
    expect(checkMatmul(zeros.buffer, n, 'f16')).toMatch(
      /^wrong result at C\[\d+]\[\d+]: 0 instead of -?[1-9]\d*$/,
    );
  });
});

describe('kernels', () => {
  it('dispatch with the workgroup size the pass planning assumes', () => {
    for (const code of [READ_WGSL, COPY_WGSL])
      expect(code).toContain(`@workgroup_size(${BANDWIDTH_WORKGROUP})`);
    expect(matmulWgsl('f32')).toContain('@workgroup_size(16, 16)');
  });

  it('enable f16 only in the f16 matmul', () => {
    expect(matmulWgsl('f16')).toMatch(/^\s*enable f16;/);
    expect(matmulWgsl('f16')).toContain('array<f16>');
    expect(matmulWgsl('f32')).not.toContain('f16');
  });
});
