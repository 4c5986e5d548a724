import type { ReactNode } from 'react';
import { FIELDS, type FieldKey, type FieldSpec } from './scenario.ts';
import { setField } from './store.ts';

/**
 * One numeric input bound to the scenario draft. A text input (not type=number) so whatever the user
 * typed stays visible next to the message that explains what is wrong with it.
 */
export function NumberField(props: {
  k: FieldKey;
  value: string;
  error?: string | undefined;
  hint?: ReactNode;
}) {
  const { k, value, error, hint } = props;
  const spec: FieldSpec = FIELDS[k];
  const errorId = `cost-${k}-error`;
  const hintId = `cost-${k}-hint`;
  const sliderValue = spec.percent && error === undefined ? Number(value.replace(/[,%\s]/g, '')) : null;
  return (
    <div className="cost-field">
      <label htmlFor={`cost-${k}`}>
        {spec.label} <span className="hint">({spec.unit})</span>
      </label>
      <div className="cost-input-row">
        <input
          id={`cost-${k}`}
          data-testid={`field-${k}`}
          type="text"
          inputMode="decimal"
          autoComplete="off"
          value={value}
          aria-invalid={error !== undefined}
          aria-describedby={
            [error ? errorId : null, hint ? hintId : null].filter(Boolean).join(' ') || undefined
          }
          onChange={(e) => setField(k, e.target.value)}
        />
        {sliderValue !== null && Number.isFinite(sliderValue) && (
          <input
            type="range"
            min={0}
            max={100}
            step={5}
            value={sliderValue}
            aria-label={`${spec.label} slider`}
            onChange={(e) => setField(k, e.target.value)}
          />
        )}
      </div>
      {error && (
        <span id={errorId} className="field-error" data-testid={`error-${k}`}>
          {error}
        </span>
      )}
      {hint && (
        <span id={hintId} className="hint cost-hint">
          {hint}
        </span>
      )}
    </div>
  );
}
