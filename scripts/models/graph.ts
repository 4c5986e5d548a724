/**
 * A small ONNX graph builder on top of onnx-proto's protobufjs message classes.
 *
 * Value names and node names come from one counter, so building the same graph twice gives the same
 * bytes: the generator's determinism rests on this.
 */
import onnxProto from 'onnx-proto';

// onnx-proto is CommonJS and assigns its namespace at run time, which Node's ESM loader cannot see
// as a named export: take it from the default export.
const { onnx } = onnxProto;
type OnnxNode = onnxProto.onnx.INodeProto;
type OnnxTensor = onnxProto.onnx.ITensorProto;
type OnnxValueInfo = onnxProto.onnx.IValueInfoProto;
type OnnxAttribute = onnxProto.onnx.IAttributeProto;

/** ONNX tensor element types used by the generator (values of onnx.TensorProto.DataType). */
export const ElementType = {
  float: onnx.TensorProto.DataType.FLOAT,
  uint8: onnx.TensorProto.DataType.UINT8,
  int8: onnx.TensorProto.DataType.INT8,
  int64: onnx.TensorProto.DataType.INT64,
  bool: onnx.TensorProto.DataType.BOOL,
  float16: onnx.TensorProto.DataType.FLOAT16,
} as const;
export type ElementType = (typeof ElementType)[keyof typeof ElementType];

/** A tensor dimension: a fixed size, or a symbolic name such as `batch_size`. */
export type Dim = number | string;

/**
 * An attribute value. Integers and integer lists are the common case; a float must be wrapped
 * (`{ float: 1e-5 }`) so that `1.0` is never silently written as the integer 1.
 */
export type AttributeValue = number | readonly number[] | string | { readonly float: number };

/** An opset the model imports, e.g. `['', 17]` for the default domain. */
export type OpsetImport = readonly [domain: string, version: number];

/** Raw tensor bytes are written in the machine's byte order, which ONNX requires to be little-endian. */
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function bytesOf(data: ArrayBufferView): Uint8Array {
  if (!isLittleEndian) throw new Error('ONNX raw tensor data is little-endian; this machine is not');
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function valueInfo(name: string, elemType: ElementType, shape: readonly Dim[]): OnnxValueInfo {
  return {
    name,
    type: {
      tensorType: {
        elemType,
        shape: { dim: shape.map((d) => (typeof d === 'number' ? { dimValue: d } : { dimParam: d })) },
      },
    },
  };
}

function attribute(name: string, value: AttributeValue): OnnxAttribute {
  const Type = onnx.AttributeProto.AttributeType;
  if (typeof value === 'string') return { name, type: Type.STRING, s: new TextEncoder().encode(value) };
  if (typeof value === 'number') {
    if (!Number.isInteger(value)) throw new Error(`attribute ${name}: ${value} is not an integer`);
    return { name, type: Type.INT, i: value };
  }
  if ('float' in value) return { name, type: Type.FLOAT, f: value.float };
  if (!value.every(Number.isInteger)) throw new Error(`attribute ${name}: not all integers`);
  return { name, type: Type.INTS, ints: [...value] };
}

/** Builds one ONNX graph, then encodes it as a model. */
export class GraphBuilder {
  private readonly nodes: OnnxNode[] = [];
  private readonly initializers: OnnxTensor[] = [];
  private readonly inputs: OnnxValueInfo[] = [];
  private readonly outputs: OnnxValueInfo[] = [];
  private counter = 0;

  /** A fresh, deterministic name with a readable prefix. */
  uniqueName(prefix: string): string {
    return `${prefix}_${this.counter++}`;
  }

  addInput(name: string, elemType: ElementType, shape: readonly Dim[]): string {
    this.inputs.push(valueInfo(name, elemType, shape));
    return name;
  }

  /** Declares a graph output; `prepend` puts it first (transformers.js expects `logits` first). */
  addOutput(name: string, elemType: ElementType, shape: readonly Dim[], prepend = false): void {
    const info = valueInfo(name, elemType, shape);
    if (prepend) this.outputs.unshift(info);
    else this.outputs.push(info);
  }

  /** A constant tensor stored in the model; returns its name. */
  initializer(name: string, elemType: ElementType, dims: readonly number[], data: ArrayBufferView): string {
    this.initializers.push({ name, dataType: elemType, dims: [...dims], rawData: bytesOf(data) });
    return name;
  }

  /** A float32 constant; `dims` defaults to a 1-D tensor, `[]` gives a scalar. */
  float32(name: string, values: Float32Array | readonly number[], dims?: readonly number[]): string {
    const data = values instanceof Float32Array ? values : Float32Array.from(values);
    return this.initializer(name, ElementType.float, dims ?? [data.length], data);
  }

  /** An int64 constant; `dims` defaults to a 1-D tensor, `[]` gives a scalar. */
  int64(name: string, values: readonly number[], dims?: readonly number[]): string {
    const data = BigInt64Array.from(values, (v) => BigInt(v));
    return this.initializer(name, ElementType.int64, dims ?? [data.length], data);
  }

  /** Adds a node with one output and returns the output's name. */
  op(
    opType: string,
    inputs: readonly string[],
    attributes: Readonly<Record<string, AttributeValue>> = {},
    domain = '',
  ): string {
    const [output] = this.opMulti(opType, inputs, 1, attributes, domain);
    if (output === undefined) throw new Error('unreachable: one output requested');
    return output;
  }

  /** Adds a node with `outputCount` outputs and returns their names. */
  opMulti(
    opType: string,
    inputs: readonly string[],
    outputCount: number,
    attributes: Readonly<Record<string, AttributeValue>> = {},
    domain = '',
  ): string[] {
    const outputs = Array.from({ length: outputCount }, () => this.uniqueName(opType));
    this.nodes.push({
      name: this.uniqueName(`node_${opType}`),
      opType,
      domain,
      input: [...inputs],
      output: outputs,
      attribute: Object.entries(attributes).map(([name, value]) => attribute(name, value)),
    });
    return outputs;
  }

  /** Gives an existing value a fixed public name (graph outputs must be named for the runtime). */
  rename(from: string, to: string): void {
    this.nodes.push({
      name: this.uniqueName('node_Identity'),
      opType: 'Identity',
      input: [from],
      output: [to],
    });
  }

  /** Encodes the graph as a serialized ModelProto. */
  toModelBytes(options: {
    graphName: string;
    producerName: string;
    opsets: readonly OpsetImport[];
    irVersion: number;
  }): Uint8Array {
    const model = onnx.ModelProto.create({
      irVersion: options.irVersion,
      producerName: options.producerName,
      opsetImport: options.opsets.map(([domain, version]) => ({ domain, version })),
      graph: {
        name: options.graphName,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
    });
    return onnx.ModelProto.encode(model).finish();
  }
}
