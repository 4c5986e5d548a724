import { type ChangeEvent, useId, useState } from 'react';
import { fmtCount } from './format.ts';
import type { ScenarioDraft } from './scenario.ts';
import { MAX_BENCH_CHARS, parseServerBenchmark, type ServerBenchmark } from './server-bench.ts';
import { applyServerBenchmark } from './store.ts';

const benchLabel = (b: ServerBenchmark): string =>
  `${b.model ?? 'model not named'} — ${fmtCount(b.prefillTokPerS)} prefill, ${fmtCount(b.perRequestDecodeTokPerS)} decode tok/s${b.concurrency > 1 ? ` per request at ${b.concurrency}` : ''}`;

/**
 * Your own server's benchmark as the self-hosted figures: a file (picked) or its text (pasted) from
 * llama-bench, llama-batched-bench or vLLM's benchmark_serving. The first configuration in it is used at
 * once; a file with several lets the user pick another. What it set, and from where, stays on the panel.
 */
export function ServerBenchImport(props: { draft: ScenarioDraft }) {
  const id = useId();
  const [error, setError] = useState<string | null>(null);
  const [choices, setChoices] = useState<ServerBenchmark[]>([]);
  const [paste, setPaste] = useState('');

  const read = (text: string, fileName: string) => {
    const r = parseServerBenchmark(text, fileName);
    if (!r.ok) {
      setError(r.error);
      setChoices([]);
      return;
    }
    setError(null);
    setChoices(r.benchmarks);
    const first = r.benchmarks[0];
    if (first) applyServerBenchmark(first);
  };

  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    if (file.size > MAX_BENCH_CHARS) {
      setError(`${file.name} is too large to be a benchmark result.`);
      return;
    }
    try {
      read(await file.text(), file.name);
    } catch {
      setError(`${file.name} could not be read.`);
    }
  };

  const source = props.draft.serverSource;
  const typedOver =
    source !== null &&
    (props.draft.fields.gpuPrefillTokPerS !== source.prefill ||
      props.draft.fields.gpuDecodeTokPerS !== source.decode);

  return (
    <fieldset className="cost-preset" data-testid="server-import">
      <legend>Your server’s benchmark</legend>
      <p className="hint cost-hint">
        From llama-bench, llama-batched-bench or vLLM’s benchmark_serving: pick the file it wrote (llama-bench{' '}
        <code>-o json</code>, vLLM <code>--save-result</code>) or paste its output. It replaces the speeds
        below.
      </p>
      <label className="cost-field" htmlFor={`${id}-file`}>
        Benchmark file
        <input
          id={`${id}-file`}
          type="file"
          accept=".json,.jsonl,.md,.txt,.log,application/json,text/plain,text/markdown"
          data-testid="server-import-file"
          onChange={(e) => void onFile(e)}
        />
      </label>
      <details className="cost-custom">
        <summary>Paste its output instead</summary>
        <label className="cost-field" htmlFor={`${id}-paste`}>
          Benchmark output
          <textarea
            id={`${id}-paste`}
            rows={5}
            value={paste}
            data-testid="server-import-paste"
            onChange={(e) => setPaste(e.target.value)}
          />
        </label>
        <button type="button" className="secondary" onClick={() => read(paste, 'pasted text')}>
          Read the pasted output
        </button>
      </details>
      {error && (
        <p className="field-error" role="alert" data-testid="server-import-error">
          {error}
        </p>
      )}
      {choices.length > 1 && (
        <label className="cost-field">
          This file has {choices.length} configurations; price
          <select
            data-testid="server-import-choice"
            onChange={(e) => {
              const b = choices[Number(e.target.value)];
              if (b) applyServerBenchmark(b);
            }}
          >
            {choices.map((b, i) => (
              <option key={`${b.model} · ${b.detail}`} value={i}>
                {benchLabel(b)}
              </option>
            ))}
          </select>
        </label>
      )}
      {source && (
        <p className="message info" data-testid="server-import-source">
          Self-hosted speeds from <strong>{source.text}</strong>
          {source.detail ? `: ${source.detail}.` : '.'}{' '}
          {typedOver && <span className="badge warn">typed over since</span>}
        </p>
      )}
    </fieldset>
  );
}
