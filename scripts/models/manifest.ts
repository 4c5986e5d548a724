/**
 * The shape of `public/models/index.json`, the list of embedded models the app offers, with a parser
 * for reading it at the edge. Shared by the generator (Node) and the app (browser): keep this file
 * free of Node imports.
 */

/** The dtypes every embedded model ships, in transformers.js' names. */
export type EmbeddedDtype = 'fp32' | 'fp16' | 'q8' | 'q4';
export const EMBEDDED_DTYPES: readonly EmbeddedDtype[] = ['fp32', 'fp16', 'q8', 'q4'];

/** One ONNX file of a model: its path relative to the model folder and its size. */
export interface ModelFileEntry {
  /** e.g. `onnx/model_q4.onnx` */
  file: string;
  bytes: number;
}

export interface ModelManifestEntry {
  /** Folder name under `models/`, and the id transformers.js loads, e.g. `tiny-random-llama`. */
  id: string;
  /** For people, e.g. `Tiny random LLaMA (0.1M)`. */
  label: string;
  parameters: number;
  layers: number;
  hiddenSize: number;
  vocabSize: number;
  /** max_position_embeddings: the longest prompt + output the model accepts. */
  maxContextTokens: number;
  /** Always true here: the output is gibberish, the timings are real. */
  randomWeights: true;
  dtypes: Record<EmbeddedDtype, ModelFileEntry>;
}

export interface ModelManifest {
  models: ModelManifestEntry[];
}

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCount = (value: unknown): value is number =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0;

function parseFileEntry(value: unknown, where: string): ModelFileEntry {
  if (!isRecord(value) || typeof value.file !== 'string' || !isCount(value.bytes)) {
    throw new Error(`${where}: expected { file: string, bytes: integer }`);
  }
  return { file: value.file, bytes: value.bytes };
}

function parseEntry(value: unknown, index: number): ModelManifestEntry {
  const where = `models[${index}]`;
  if (!isRecord(value)) throw new Error(`${where}: not an object`);
  const count = (key: string): number => {
    const field = value[key];
    if (!isCount(field)) throw new Error(`${where}.${key}: expected a non-negative integer`);
    return field;
  };
  const { id, label, randomWeights, dtypes } = value;
  if (typeof id !== 'string' || id === '') throw new Error(`${where}.id: expected a non-empty string`);
  if (typeof label !== 'string') throw new Error(`${where}.label: expected a string`);
  if (randomWeights !== true) throw new Error(`${where}.randomWeights: expected true`);
  if (!isRecord(dtypes)) throw new Error(`${where}.dtypes: not an object`);
  const file = (dtype: EmbeddedDtype) => parseFileEntry(dtypes[dtype], `${where}.dtypes.${dtype}`);
  return {
    id,
    label,
    parameters: count('parameters'),
    layers: count('layers'),
    hiddenSize: count('hiddenSize'),
    vocabSize: count('vocabSize'),
    maxContextTokens: count('maxContextTokens'),
    randomWeights,
    dtypes: { fp32: file('fp32'), fp16: file('fp16'), q8: file('q8'), q4: file('q4') },
  };
}

/**
 * Reads an untrusted `index.json` value. Throws an Error naming the first bad field; extra fields are
 * ignored, so a newer generator can add some without breaking an older app.
 */
export function parseModelManifest(value: unknown): ModelManifest {
  if (!isRecord(value) || !Array.isArray(value.models))
    throw new Error('index.json: expected { models: [...] }');
  return { models: value.models.map(parseEntry) };
}
