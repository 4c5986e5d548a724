import type { LeverId } from './model.ts';
import { PRICE_TABLE_SOURCE } from './prices.ts';
import {
  DECODE_BANDWIDTH_EFFICIENCY,
  PREFILL_COMPUTE_EFFICIENCY,
  PRESET_CONTEXT_TOKENS,
} from './server-presets.ts';

/** One or two plain sentences per lever: the page is used to teach. Shown beside the inputs and the sensitivity chart. */
export const LEVER_TEXT: Record<LeverId, string> = {
  modelSize:
    'Right-sizing: a smaller model reads fewer bytes of weights per token, so it runs faster on the same GPU and costs less per token on an API. Use the smallest model that passes your quality bar.',
  inputLength:
    'Prompt trimming: every input token is read (prefill) on every request. Shorter system prompts, fewer retrieved documents and trimmed chat history cut the input bill directly.',
  outputLength:
    'Output tokens are written one at a time (decode), which is the slow part, and APIs charge several times more for them. Ask for concise answers and set a max-tokens limit.',
  concurrency:
    'Batching: decode reads all the weights for every step, whether it serves one request or thirty. Serving many requests together shares that read, so throughput grows with the batch until memory for the KV cache runs out.',
  promptCache:
    'Caching the shared start of prompts (system prompt, documents) means those tokens are not processed again: APIs bill them at a discount, your own server skips their prefill.',
  responseCache:
    'When the same question comes back, answering from a response cache costs nothing per token. Works for FAQs and repeated lookups, not for open conversation.',
  quantization:
    'Storing weights in fewer bits (8-bit, 4-bit) shrinks the model, so decode, which is limited by memory bandwidth, runs faster and leaves more memory for a bigger batch. Check quality after quantizing.',
  routing:
    'Routing sends easy requests to a smaller, cheaper model and keeps the big one for hard cases. The saving is the routed share times the price gap.',
};

/** Extra words for inputs that are not sensitivity levers. */
export const INPUT_TEXT = {
  utilisation:
    'A GPU you pay for by the hour costs the same whether it works or waits. At 50 % utilisation every token costs twice what it would at 100 %.',
  deviceShare:
    'Only devices with enough memory and a capable GPU can run the model; the others fall back to the hosted API, so that share still costs you.',
  minGpus:
    'GPUs you keep running whatever the traffic: this fixed cost is why self-hosting only pays off above some volume (the break-even).',
  power:
    'Cloud rentals include power in their $/h. For your own hardware, untick the box to add electricity: power × PUE × price per kWh.',
} as const;

const FORMULAS: readonly { name: string; formula: string }[] = [
  { name: 'Month', formula: '1 month = 30 days = 720 hours; per month = per day × 30' },
  {
    name: 'Tokens the model processes',
    formula:
      'served requests = requests × (1 − response-cache share)\ninput tokens = served × input per request; cached input = input × prompt-cache share\noutput tokens = served × output per request',
  },
  {
    name: 'Routing',
    formula:
      'tier factor = (1 − routed share) + routed share × small-model cost ratio; every $ is × tier factor',
  },
  {
    name: 'Hosted API',
    formula:
      '$ = (uncached input × input price + cached input × cached price + output × output price) / 1e6 × tier factor',
  },
  {
    name: 'GPU $ per 1M tokens',
    formula:
      '$/1M = ($/h) / (tok/s × 3600 × utilisation) × 1e6      e.g. $2.00/h at 100 tok/s, 100 % → $5.56',
  },
  {
    name: 'All-in GPU hour',
    formula: 'hourly = GPU $/h + (power included ? 0 : W × PUE / 1000 × $/kWh)',
  },
  {
    name: 'Batching',
    formula:
      'max batch = floor((GPU memory − weights) / KV cache per request)\nB = min(concurrent requests, max batch)\ndecode tok/s T(B) = S × B / (1 + α × (B − 1)),  S = single-stream decode tok/s\nprefill is compute-bound: its speed is not multiplied by the batch',
  },
  {
    name: 'Self-hosted',
    formula:
      'prefill $/1M = hourly / (prefill tok/s × 3600 × utilisation) × 1e6   (cached prefix tokens skip prefill)\ndecode $/1M = hourly / (T(B) × 3600 × utilisation) × 1e6\n$/month = max(always-on GPUs × 720 h × hourly, prefill $ + decode $); the gap is idle capacity',
  },
  {
    name: 'In-browser',
    formula:
      'your $ = (1 − share of capable devices) × hosted API $   (the rest fall back to the API)\nusers’ energy kWh/1M = device W / 1000 / (tok/s × 3600) × 1e6\nlatency = input tokens / prefill tok/s + output tokens / decode tok/s',
  },
  {
    name: 'Blended price',
    formula:
      'blended = (k × input $/1M + output $/1M) / (k + 1), k input tokens per output token (3 by default)',
  },
  {
    name: 'Marginal vs effective $ per 1M',
    formula:
      'marginal (blended) $/1M = the unit prices above: what one more 1M tokens costs; idle capacity left out\neffective $/1M = $ per month / (requests per month × (input + output tokens per request)) × 1e6\ne.g. $3,276 a month for 50,000 req/day of 1,500 + 300 tokens: 3276 / 2.7e9 × 1e6 = $1.21 per 1M',
  },
  {
    name: 'Latency of a request',
    formula:
      'API: time to first token + output tokens / output tok/s (as you typed them)\nself-hosted: uncached input / prefill tok/s + output tokens / (T(B) / B)\nin-browser: input tokens / prefill tok/s + output tokens / decode tok/s',
  },
  {
    name: 'The answer line',
    formula:
      'an option qualifies when its request time ≤ the latency target and its quality tier meets “Quality you need”\n(“not stated” meets only “any”; random weights meet no tier)\ncheapest that qualifies = the lowest $ per month among those; an option slower than the target never wins',
  },
  {
    name: 'Server presets',
    formula: `weights GB = parameters × bytes per weight; KV cache = KV bytes per token × ${PRESET_CONTEXT_TOKENS} tokens\ndecode tok/s = ${DECODE_BANDWIDTH_EFFICIENCY} × memory bandwidth / weights GB; prefill tok/s = ${PREFILL_COMPUTE_EFFICIENCY} × dense BF16 FLOPS / (2 × parameters)\na run measured in this browser sets the in-browser speeds only, never the server’s`,
  },
  {
    name: 'Per request',
    formula: '$ per request = $ per month / requests per month (cache hits and routing included)',
  },
  {
    name: 'Energy',
    formula:
      'kWh/1M = (W × PUE / 1000) / (tok/s × 3600 × utilisation) × 1e6, blended like prices; counts idle paid hours at full power (an upper bound)',
  },
  {
    name: 'Break-even',
    formula:
      'API: a × V; self-hosted: max(F, c × V); V in requests/day, F = always-on GPUs × 720 h × hourly\nif a > c: V* = F / a; otherwise self-hosting never beats the API',
  },
];

export function HowComputed() {
  return (
    <details className="panel cost-explain">
      <summary>
        <h2>How this is computed</h2>
      </summary>
      <dl>
        {FORMULAS.map((f) => (
          <div key={f.name}>
            <dt>{f.name}</dt>
            <dd>
              <pre className="mono">{f.formula}</pre>
            </dd>
          </div>
        ))}
      </dl>
      <p className="muted">
        API prices: {PRICE_TABLE_SOURCE.name} v{PRICE_TABLE_SOURCE.version} (published{' '}
        {PRICE_TABLE_SOURCE.publishedOn}), bundled with the lab and read offline. GPU specs from NVIDIA
        datasheets; hourly prices are on-demand list prices with the date of each row. Override anything you
        have a better number for.
      </p>
    </details>
  );
}
