import { describeNoiseReason, type NoiseReport, noiseAdvice } from '../run/noise.ts';
import { formatDecimals } from './format.ts';

/** A coefficient of variation as a percentage ("3.1 %"); an em dash where it is undefined. */
export const formatCv = (cv: number | null): string =>
  cv === null ? '—' : `${formatDecimals(cv * 100, 1)} %`;

/** The "noisy" badge beside a run's name; nothing for a quiet run. */
export function NoiseBadge({ report }: { report: NoiseReport }) {
  if (!report.noisy) return null;
  const why = report.reasons.map(describeNoiseReason).join(' ');
  return (
    <span className="badge warn" title={why} data-testid="noisy-badge">
      noisy
    </span>
  );
}

/** Why a run is noisy and what to do, one line per reason; nothing for a quiet run. */
export function NoiseNotice({ report }: { report: NoiseReport }) {
  if (!report.noisy) return null;
  return (
    <div className="message warn" role="note" data-testid="noise">
      <strong>Noisy run: treat these medians with care.</strong>
      <ul>
        {report.reasons.map((reason) => (
          <li key={reason.kind}>
            {describeNoiseReason(reason)} {noiseAdvice(reason)}
          </li>
        ))}
      </ul>
    </div>
  );
}
