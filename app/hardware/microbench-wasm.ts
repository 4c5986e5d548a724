/**
 * A tiny hand-assembled WebAssembly module for the CPU bandwidth benchmarks, so the figure is what WASM code
 * (ONNX Runtime's backend) can stream, not what the JavaScript JIT can:
 *
 *   (import "e" "m" (memory 1))
 *   (func (export "sum") (param $ptr i32) (param $end i32) (result f64)   ;; Σ of f64 lanes over [ptr, end)
 *     4 × v128.load + f64x2.add per 64 bytes, 4 accumulators)
 *   (func (export "copy") (param $dst i32) (param $src i32) (param $n i32)  ;; memory.copy
 *
 * `sum` needs (end − ptr) to be a multiple of 64. Built from bytes to avoid a toolchain for 100 bytes of code.
 */

/** Unsigned LEB128, as wasm encodes sizes and indices. */
function leb(n: number): number[] {
  const out: number[] = [];
  let v = n >>> 0;
  do {
    let byte = v & 0x7f;
    v >>>= 7;
    if (v !== 0) byte |= 0x80;
    out.push(byte);
  } while (v !== 0);
  return out;
}

const section = (id: number, body: number[]): number[] => [id, ...leb(body.length), ...body];
const str = (s: string): number[] => [...leb(s.length), ...Array.from(s, (c) => c.charCodeAt(0))];

const I32 = 0x7f;
const F64 = 0x7c;
const V128 = 0x7b;
const SIMD = 0xfd;
const V128_LOAD = [SIMD, 0x00];
const F64X2_ADD = [SIMD, ...leb(0xf0)];
const F64X2_EXTRACT = [SIMD, ...leb(0x21)];
const LOCAL_GET = 0x20;
const LOCAL_SET = 0x21;

export function wasmBenchModuleBytes(): Uint8Array<ArrayBuffer> {
  const types = section(1, [
    2,
    ...[0x60, 2, I32, I32, 1, F64], // (i32, i32) -> f64
    ...[0x60, 3, I32, I32, I32, 0], // (i32, i32, i32) -> ()
  ]);
  const imports = section(2, [1, ...str('e'), ...str('m'), 0x02, 0x00, 1]);
  const functions = section(3, [2, 0, 1]);
  const exports = section(7, [2, ...str('sum'), 0x00, 0, ...str('copy'), 0x00, 1]);

  // sum: params 0 = ptr, 1 = end; locals 2..5 = v128 accumulators (zero-initialised).
  const accumulate = (acc: number, offset: number): number[] => [
    LOCAL_GET,
    acc,
    LOCAL_GET,
    0,
    ...V128_LOAD,
    4, // align 2^4 = 16 bytes
    ...leb(offset),
    ...F64X2_ADD,
    LOCAL_SET,
    acc,
  ];
  const sumBody = [
    1,
    4,
    V128, // 4 locals of v128
    0x02,
    0x40, // block
    0x03,
    0x40, // loop
    LOCAL_GET,
    0,
    LOCAL_GET,
    1,
    0x4f, // i32.ge_u
    0x0d,
    1, // br_if 1 (out of the block)
    ...accumulate(2, 0),
    ...accumulate(3, 16),
    ...accumulate(4, 32),
    ...accumulate(5, 48),
    LOCAL_GET,
    0,
    0x41,
    0xc0,
    0x00, // i32.const 64 (signed LEB128)
    0x6a, // i32.add
    LOCAL_SET,
    0,
    0x0c,
    0, // br 0 (loop again)
    0x0b, // end loop
    0x0b, // end block
    LOCAL_GET,
    2,
    LOCAL_GET,
    3,
    ...F64X2_ADD,
    LOCAL_GET,
    4,
    ...F64X2_ADD,
    LOCAL_GET,
    5,
    ...F64X2_ADD,
    0x22,
    2, // local.tee 2
    ...F64X2_EXTRACT,
    0,
    LOCAL_GET,
    2,
    ...F64X2_EXTRACT,
    1,
    0xa0, // f64.add
    0x0b,
  ];
  const copyBody = [0, LOCAL_GET, 0, LOCAL_GET, 1, LOCAL_GET, 2, 0xfc, ...leb(10), 0x00, 0x00, 0x0b]; // memory.copy
  const code = section(10, [2, ...leb(sumBody.length), ...sumBody, ...leb(copyBody.length), ...copyBody]);
  return new Uint8Array([
    0x00,
    0x61,
    0x73,
    0x6d,
    0x01,
    0x00,
    0x00,
    0x00,
    ...types,
    ...imports,
    ...functions,
    ...exports,
    ...code,
  ]);
}

export interface WasmBench {
  memory: WebAssembly.Memory;
  /** Sum of the f64 values in [ptrBytes, endBytes); the length must be a multiple of 64 bytes. */
  sum: (ptrBytes: number, endBytes: number) => number;
  copy: (dstBytes: number, srcBytes: number, lengthBytes: number) => void;
}

const isFn = (v: unknown): v is (...args: number[]) => unknown => typeof v === 'function';

/**
 * Instantiates the module over a fresh memory of `bytes` (rounded up to 64 KiB pages).
 * Throws a readable error when the engine lacks WASM SIMD.
 */
export async function instantiateWasmBench(bytes: number): Promise<WasmBench> {
  const moduleBytes = wasmBenchModuleBytes();
  if (!WebAssembly.validate(moduleBytes)) throw new Error('this browser’s WebAssembly has no SIMD support');
  const memory = new WebAssembly.Memory({ initial: Math.ceil(bytes / 65536) });
  const { instance } = await WebAssembly.instantiate(moduleBytes, { e: { m: memory } });
  const { sum, copy } = instance.exports;
  if (!isFn(sum) || !isFn(copy)) throw new Error('the benchmark module is missing its exports');
  return {
    memory,
    sum: (p, e) => Number(sum(p, e)),
    copy: (d, s, n) => {
      copy(d, s, n);
    },
  };
}
