/**
 * The guided lessons, one per driver and lever of inference cost. Data only: to add or edit a lesson, change
 * this list (lessons.test.ts checks every definition: ids, models in the catalog, steps the chart can draw).
 *
 * Every experiment uses the lab's embedded models (random weights: their speed is real, their answers are not)
 * and stays small, so that a lesson finishes in under two minutes on a 2-core laptop on WASM
 * (`npm run bench:lessons` times each one). Steps of the same model come together, so it loads once.
 */
import type { Lesson, LessonStep } from './lesson.ts';

const TINY = 'tiny-random-llama';
const SMALL = 'small-random-llama';
const MEDIUM = 'medium-random-llama';

/** R for every step: three repetitions give a median and a spread, and keep a lesson short. */
const REPS = 3;

type StepFields = Omit<LessonStep, 'reps'> & { reps?: number };

/**
 * A lesson's steps: what they share (`base`), and for each step what it varies (its id, its label and the lever's
 * setting), in the order they run. Together they must give every setting; R is REPS unless given.
 */
const steps = <Base extends Partial<StepFields>>(
  base: Base,
  vary: ReadonlyArray<Omit<StepFields, keyof Base> & Partial<StepFields>>,
) =>
  // No return type: each lesson's `steps` is checked against LessonStep where Base is known.
  vary.map((v) => ({ reps: REPS, ...base, ...v }));

/** The small model in q8: the subject of the lessons that vary one setting of a request. */
const SMALL_Q8 = { series: 'small q8', modelId: SMALL, dtype: 'q8' } as const;

/** One request (P = 64, G = 16) in q8: the lessons that compare models send it to each. */
const SAME_REQUEST = { series: 'q8', dtype: 'q8', promptTokens: 64, genTokens: 16 } as const;

export const LESSONS: readonly Lesson[] = [
  {
    id: 'model-size',
    title: 'Right-size the model',
    lever: 'model-size',
    paragraphs: [
      'Every generated token reads all of the model’s weights once. A model ten times larger does roughly ten times the work per token, so it answers more slowly and occupies the hardware longer: you pay for that time.',
      'The largest model is not always needed. Many tasks (classification, extraction, short rewrites) are served as well by a model a fraction of the size, and the saving applies to every request.',
      'This experiment runs the same request (P = 64 prompt tokens, G = 16 generated) on three embedded models of about 0.1 M, 3 M and 30 M parameters, all quantised to q8.',
    ],
    steps: steps(SAME_REQUEST, [
      { id: 'tiny-q8', label: 'tiny', modelId: TINY },
      { id: 'small-q8', label: 'small', modelId: SMALL },
      { id: 'medium-q8', label: 'medium', modelId: MEDIUM },
    ]),
    chart: { x: 'step', y: 'requestMs', logY: true },
    costs: [{ kind: 'compare', baseline: 'medium-q8', lever: 'small-q8' }],
    question:
      'The medium model has about ten times the parameters of the small one. Did a request take ten times as long on your device? If not, what else besides the weights costs time?',
  },
  {
    id: 'input-length',
    title: 'Trim the prompt',
    lever: 'input-length',
    paragraphs: [
      'Before the first token appears, the model reads the whole prompt (prefill). Its cost grows with the prompt’s length: system prompts, retrieved documents and chat history are all paid for on every request.',
      'Hosted APIs bill input tokens; on your own hardware a long prompt shows up as time to the first token (TTFT). Trimming what the model does not need is often the cheapest saving there is.',
      'This experiment sends prompts of 32, 128 and 512 tokens to the small model and measures TTFT, with a short answer (G = 8) so that prefill dominates.',
    ],
    steps: steps(
      { ...SMALL_Q8, genTokens: 8 },
      [32, 128, 512].map((p) => ({ id: `p-${p}`, label: `P = ${p}`, promptTokens: p })),
    ),
    chart: { x: 'promptTokens', y: 'ttftMs' },
    costs: [{ kind: 'compare', baseline: 'p-512', lever: 'p-128' }],
    question:
      'Did TTFT grow in proportion to the prompt? Which parts of a prompt in an application you know could be cut or cached without changing the answer?',
  },
  {
    id: 'output-length',
    title: 'Ask for shorter answers',
    lever: 'output-length',
    paragraphs: [
      'Output tokens are generated one at a time, each a full pass through the model (decode). A request’s time is roughly TTFT plus one time-per-output-token (TPOT) for every further token, so it grows with the answer’s length.',
      'Output tokens are also the expensive ones on a price list: hosted APIs charge several times more for them than for input. Asking for a concise answer, or capping max tokens, cuts both.',
      'This experiment asks the small model for answers of 8, 32 and 96 tokens after the same 64-token prompt, and measures how long each request occupies the device.',
    ],
    steps: steps(
      { ...SMALL_Q8, promptTokens: 64 },
      [8, 32, 96].map((g) => ({ id: `g-${g}`, label: `G = ${g}`, genTokens: g })),
    ),
    chart: { x: 'genTokens', y: 'requestMs' },
    costs: [{ kind: 'compare', baseline: 'g-96', lever: 'g-32' }],
    question:
      'How much of a request’s time was prefill and how much decode? When is asking for a shorter answer worth more than trimming the prompt?',
  },
  {
    id: 'quantization',
    title: 'Quantise the weights',
    lever: 'quantization',
    paragraphs: [
      'Quantisation stores weights in fewer bits: fp32 uses 4 bytes per weight, q8 one, q4 half a byte. Smaller weights download faster, fit on smaller devices and, where decode is limited by memory bandwidth, are read faster.',
      'Whether they also compute faster depends on the hardware: a CPU or GPU without fast low-precision kernels may unpack q4 weights more slowly than it multiplies fp32 ones. Only a measurement on the device says which wins.',
      'This experiment runs the small model in fp32, q8 and q4 (P = 64, G = 16) and compares decode speed.',
    ],
    steps: steps(
      { series: 'small', modelId: SMALL, promptTokens: 64, genTokens: 16 },
      (['fp32', 'q8', 'q4'] as const).map((dtype) => ({ id: `small-${dtype}`, label: dtype, dtype })),
    ),
    chart: { x: 'step', y: 'decodeTokPerS' },
    costs: [{ kind: 'compare', baseline: 'small-fp32', lever: 'small-q4' }],
    question:
      'Was q4 faster than fp32 on your device? Compare with a neighbour on a different backend or GPU: why might the answer differ?',
  },
  {
    id: 'caching',
    title: 'Cache what repeats',
    lever: 'caching',
    paragraphs: [
      'Many requests start the same way: a system prompt, a document, a conversation so far. A prefix (prompt) cache keeps the keys and values of that shared start, so the next request prefills only what is new.',
      'A response cache goes further: an identical question gets the stored answer without calling the model at all. It saves the whole request, but only for exact (or semantically close) repeats.',
      'This experiment measures TTFT for a 256-token prompt whose first 0, 50 % and 90 % of tokens are already in the KV cache. The response cache is modelled: the share of requests it answers costs nothing.',
    ],
    steps: steps(
      { ...SMALL_Q8, promptTokens: 256, genTokens: 8 },
      [0, 128, 230].map((k) => ({
        id: `k-${k}`,
        label: `K = ${k}`,
        ...(k > 0 ? { cachedPrefixTokens: k } : {}),
      })),
    ),
    chart: { x: 'cachedShare', y: 'ttftMs' },
    costs: [
      { kind: 'compare', baseline: 'k-0', lever: 'k-230' },
      { kind: 'response-cache', step: 'k-0', hitShare: 0.3 },
    ],
    question:
      'How much of the prefill did a cached prefix save on your device? Which requests in an application you know share a prefix, and which repeat exactly?',
  },
  {
    id: 'batching',
    title: 'Batch the requests',
    lever: 'batching',
    paragraphs: [
      'Decode reads all the weights for every step, whether it produces one token or one for each of B sequences. Generating B requests together shares that read, so the total tokens per second grow with B, while each sequence waits a little longer per token.',
      'Servers live on this curve: a larger batch lowers the cost per token until the latency promised to users (TTFT, TPOT) is broken or memory runs out.',
      'This experiment generates B = 1, 2, 4 and 8 sequences of 16 tokens together on the small model, and measures the aggregate decode speed.',
    ],
    steps: steps(
      { ...SMALL_Q8, promptTokens: 32, genTokens: 16 },
      [1, 2, 4, 8].map((b) => ({
        id: `b-${b}`,
        label: `B = ${b}`,
        ...(b > 1 ? { parallelSequences: b } : {}),
      })),
    ),
    chart: { x: 'parallelSequences', y: 'aggregateDecodeTokPerS' },
    costs: [{ kind: 'compare', baseline: 'b-1', lever: 'b-8' }],
    question:
      'Did eight sequences give eight times the tokens per second? What did each sequence’s TPOT do, and what latency would you promise users?',
  },
  {
    id: 'routing',
    title: 'Route to a smaller tier',
    lever: 'routing',
    paragraphs: [
      'Not every request needs the largest model. A router (rules, a classifier, or the small model’s own confidence) sends the easy ones to a cheap tier and only the hard ones to the large model.',
      'The saving is the routed share times the difference in cost per request, less what the router and the occasional retry cost. Quality decides how large the routed share may be.',
      'This experiment measures the same request (P = 64, G = 16) on the medium and the tiny model; the cost below routes 70 % of requests to the tiny one.',
    ],
    steps: steps(SAME_REQUEST, [
      { id: 'tiny-q8', label: 'tiny (small tier)', modelId: TINY },
      { id: 'medium-q8', label: 'medium (large tier)', modelId: MEDIUM },
    ]),
    chart: { x: 'step', y: 'requestMs', logY: true },
    costs: [{ kind: 'routing', large: 'medium-q8', small: 'tiny-q8', routedShare: 0.7 }],
    question:
      'Which requests in an application you know could the small tier answer well enough? How would you find out before routing 70 % of traffic to it?',
  },
];

/** A lesson by id, or undefined. */
export const lessonById = (id: string | null | undefined): Lesson | undefined =>
  id ? LESSONS.find((l) => l.id === id) : undefined;
