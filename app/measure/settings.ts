/**
 * The Measure form's settings: parsing and validation, kept apart from React so they are unit-tested.
 * A link may carry them (?model=&dtype=&device=&p=&g=&r=); a bad value gets a message, never a crash.
 */
import { DEVICES, type Device, DTYPES, type Dtype, RUN_LIMITS } from '../engine/protocol.ts';
import { DEFAULT_RUN_LENGTHS } from '../run/defaults.ts';
import { clipForMessage } from '../ui/quote.ts';

export type DeviceChoice = Device | 'auto';

export interface MeasureForm {
  modelId: string;
  dtype: Dtype;
  device: DeviceChoice;
  /** Prompt tokens P, generated tokens G and repetitions R, as typed (strings, so a half-typed value is kept). */
  promptTokens: string;
  genTokens: string;
  reps: string;
}

export const DEFAULT_FORM: MeasureForm = {
  modelId: 'tiny-random-llama',
  dtype: 'q8',
  device: 'auto',
  promptTokens: String(DEFAULT_RUN_LENGTHS.promptTokens),
  genTokens: String(DEFAULT_RUN_LENGTHS.genTokens),
  reps: String(DEFAULT_RUN_LENGTHS.reps),
};

export type FieldErrors = Partial<Record<'promptTokens' | 'genTokens' | 'reps', string>>;

/** Parses one integer field against its bounds; returns the number or a sentence saying what is wrong. */
export function parseCount(
  text: string,
  label: string,
  { min, max }: { min: number; max: number },
): { value: number } | { error: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { error: `${label} is required.` };
  if (!/^[+-]?\d+(\.\d+)?(e\d+)?$/i.test(trimmed))
    return { error: `${label} must be a whole number, not "${clipForMessage(trimmed, 20)}".` };
  const value = Number(trimmed);
  if (!Number.isFinite(value)) return { error: `${label} is too large.` };
  if (!Number.isInteger(value)) return { error: `${label} must be a whole number.` };
  if (value < min) return { error: `${label} must be at least ${min}.` };
  if (value > max) return { error: `${label} must be at most ${max.toLocaleString('en-US')}.` };
  return { value };
}

/** Validates P, G and R, including that the prompt and the generated tokens fit the model's context. */
export function validateRun(
  form: MeasureForm,
  maxContextTokens: number,
): { ok: true; promptTokens: number; genTokens: number; reps: number } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const p = parseCount(form.promptTokens, 'Prompt tokens (P)', RUN_LIMITS.promptTokens);
  const g = parseCount(form.genTokens, 'Generated tokens (G)', RUN_LIMITS.genTokens);
  const r = parseCount(form.reps, 'Repetitions (R)', RUN_LIMITS.reps);
  if ('error' in p) errors.promptTokens = p.error;
  if ('error' in g) errors.genTokens = g.error;
  if ('error' in r) errors.reps = r.error;
  if ('value' in p && 'value' in g && p.value + g.value > maxContextTokens) {
    errors.promptTokens = `P + G = ${p.value + g.value} tokens is beyond this model's context of ${maxContextTokens.toLocaleString('en-US')} tokens.`;
  }
  if ('value' in p && 'value' in g && 'value' in r && Object.keys(errors).length === 0) {
    return { ok: true, promptTokens: p.value, genTokens: g.value, reps: r.value };
  }
  return { ok: false, errors };
}

/** Reads settings from a link. Unknown or malformed values are reported and replaced by defaults. */
export function formFromQuery(
  search: string,
  base: MeasureForm = DEFAULT_FORM,
): { form: MeasureForm; problems: string[] } {
  const params = new URLSearchParams(search);
  const form = { ...base };
  const problems: string[] = [];
  const model = params.get('model');
  if (model !== null) {
    if (/^[\w./-]{1,200}$/.test(model)) form.modelId = model;
    else problems.push(`The link's model "${clipForMessage(model, 40)}" is not a valid model id.`);
  }
  const dtype = params.get('dtype');
  if (dtype !== null) {
    if ((DTYPES as readonly string[]).includes(dtype)) form.dtype = dtype as Dtype;
    else
      problems.push(
        `The link's dtype "${clipForMessage(dtype, 20)}" is unknown (expected ${DTYPES.join(', ')}).`,
      );
  }
  const device = params.get('device');
  if (device !== null) {
    if (device === 'auto' || (DEVICES as readonly string[]).includes(device))
      form.device = device as DeviceChoice;
    else
      problems.push(
        `The link's device "${clipForMessage(device, 20)}" is unknown (expected auto, webgpu or wasm).`,
      );
  }
  for (const [key, field, label, limits] of [
    ['p', 'promptTokens', 'prompt tokens', RUN_LIMITS.promptTokens],
    ['g', 'genTokens', 'generated tokens', RUN_LIMITS.genTokens],
    ['r', 'reps', 'repetitions', RUN_LIMITS.reps],
  ] as const) {
    const raw = params.get(key);
    if (raw === null) continue;
    const parsed = parseCount(raw, `The link's ${label}`, limits);
    if ('value' in parsed) form[field] = String(parsed.value);
    else problems.push(parsed.error);
  }
  return { form, problems };
}

/** Writes the settings into a query string (keeping unrelated parameters such as view). */
export function formToQuery(form: MeasureForm, search: string): string {
  const params = new URLSearchParams(search);
  params.set('model', form.modelId);
  params.set('dtype', form.dtype);
  params.set('device', form.device);
  params.set('p', form.promptTokens);
  params.set('g', form.genTokens);
  params.set('r', form.reps);
  return params.toString();
}
