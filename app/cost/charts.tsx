import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { ChartDataTable } from '../ui/chart-data.tsx';
import { fmtUsd } from '../ui/format.ts';
import { LEVER_TEXT } from './explain.tsx';
import { fmtCount, fmtUsdAxis, fmtUsdDelta } from './format.ts';
import {
  monthlyCostVsTraffic,
  OPTION_LABEL,
  type OptionKind,
  projectOption,
  projectSelfHosted,
  requestCostByOutputLength,
  type Scenario,
  sensitivity,
} from './model.ts';
import type { RunSpeeds } from './runs.ts';

export const OPTION_COLOR: Record<OptionKind, string> = {
  api: '#6b4fbb',
  selfHosted: '#2459d6',
  browser: '#1e7f4f',
};

const AXIS = { fontSize: 12, fill: '#5f6670' };
const asNumber = (v: unknown): number => (typeof v === 'number' ? v : Number(v));

/** A round upper bound for an axis: 1, 2 or 5 × 10^n at or above x. */
function niceCeil(x: number): number {
  if (!(x > 0) || !Number.isFinite(x)) return 1;
  const p = 10 ** Math.floor(Math.log10(x));
  for (const m of [1, 2, 5, 10]) if (m * p >= x) return m * p;
  return 10 * p;
}

export function TrafficChart(props: { scenario: Scenario; breakEven: number | null }) {
  const { scenario, breakEven } = props;
  const current = scenario.workload.requestsPerDay;
  const max = niceCeil(Math.max(current * 2, breakEven !== null && breakEven > 0 ? breakEven * 1.5 : 0));
  const data = monthlyCostVsTraffic(scenario, max, 40);
  return (
    <section className="panel" aria-labelledby="chart-traffic">
      <h2 id="chart-traffic">Monthly cost vs traffic</h2>
      <p className="hint cost-hint">
        Where the lines cross is the break-even: below it the API is cheaper, above it your own GPUs are.
      </p>
      <div data-testid="chart-traffic" className="cost-chart">
        <ResponsiveContainer width="100%" height={300}>
          <LineChart data={data} margin={{ top: 16, right: 24, bottom: 28, left: 16 }}>
            <CartesianGrid stroke="#eef0f3" />
            <XAxis
              dataKey="requestsPerDay"
              type="number"
              domain={[0, max]}
              tick={AXIS}
              tickFormatter={(v: number) => fmtCount(v)}
              label={{ value: 'Requests per day', position: 'insideBottom', offset: -16, ...AXIS }}
            />
            <YAxis
              tick={AXIS}
              width={70}
              tickFormatter={(v: number) => fmtUsdAxis(v)}
              label={{
                value: '$ per month',
                angle: -90,
                position: 'insideLeft',
                offset: 0,
                style: { textAnchor: 'middle' },
                ...AXIS,
              }}
            />
            <Tooltip
              formatter={(v) => fmtUsd(asNumber(v))}
              labelFormatter={(v) => `${fmtCount(asNumber(v))} requests/day`}
            />
            <Legend verticalAlign="top" height={28} />
            <Line
              type="linear"
              dataKey="apiUsdPerMonth"
              name={OPTION_LABEL.api}
              stroke={OPTION_COLOR.api}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
            <Line
              type="linear"
              dataKey="selfHostedUsdPerMonth"
              name={OPTION_LABEL.selfHosted}
              stroke={OPTION_COLOR.selfHosted}
              dot={false}
              strokeWidth={2}
              isAnimationActive={false}
            />
            <Line
              type="linear"
              dataKey="browserUsdPerMonth"
              name={OPTION_LABEL.browser}
              stroke={OPTION_COLOR.browser}
              dot={false}
              strokeWidth={2}
              strokeDasharray="5 4"
              isAnimationActive={false}
            />
            <ReferenceLine
              x={current}
              stroke="#5f6670"
              strokeDasharray="2 3"
              label={{ value: 'you', position: 'top', ...AXIS }}
            />
            {breakEven !== null && breakEven > 0 && breakEven <= max && (
              <ReferenceLine
                x={breakEven}
                stroke="#b3261e"
                label={{
                  value: `break-even ${fmtCount(breakEven)}/day`,
                  position: 'insideTopRight',
                  fill: '#b3261e',
                  fontSize: 12,
                }}
              />
            )}
          </LineChart>
        </ResponsiveContainer>
      </div>
      <TrafficTable scenario={scenario} max={max} breakEven={breakEven} />
    </section>
  );
}

/**
 * The traffic chart's numbers: the three monthly bills at eight even steps of traffic, at yours and at the
 * break-even (the chart's 40 steps would be a wall of rows).
 */
function TrafficTable(props: { scenario: Scenario; max: number; breakEven: number | null }) {
  const { scenario, max, breakEven } = props;
  const current = scenario.workload.requestsPerDay;
  const points = [...monthlyCostVsTraffic(scenario, max, 8), ...monthlyCostVsTraffic(scenario, current, 1)]
    .filter((p, i, all) => all.findIndex((q) => q.requestsPerDay === p.requestsPerDay) === i)
    .sort((a, b) => a.requestsPerDay - b.requestsPerDay);
  const note = (v: number) =>
    v === current ? ' (you)' : breakEven !== null && v === breakEven ? ' (break-even)' : '';
  return (
    <ChartDataTable
      columns={[
        'Requests per day',
        `${OPTION_LABEL.api}, $/month`,
        `${OPTION_LABEL.selfHosted}, $/month`,
        `${OPTION_LABEL.browser}, $/month`,
      ]}
      rows={points.map((p) => [
        `${fmtCount(p.requestsPerDay)}${note(p.requestsPerDay)}`,
        fmtUsd(p.apiUsdPerMonth),
        fmtUsd(p.selfHostedUsdPerMonth),
        fmtUsd(p.browserUsdPerMonth),
      ])}
    />
  );
}

const OUTPUT_LENGTHS = [50, 100, 250, 500, 1000, 2000, 4000];

export function RequestSplitChart(props: { scenario: Scenario; focus: OptionKind }) {
  const data = requestCostByOutputLength(props.scenario, props.focus, OUTPUT_LENGTHS).map((p) => ({
    outputTokens: String(p.outputTokens),
    prefill: p.prefillUsd * 1000,
    decode: p.decodeUsd * 1000,
  }));
  return (
    <section className="panel" aria-labelledby="chart-split">
      <h2 id="chart-split">Cost per request as the answer grows — {OPTION_LABEL[props.focus]}</h2>
      <p className="hint cost-hint">
        Prefill reads the prompt once; decode writes the answer token by token, so the answer length drives
        the bill.
      </p>
      <div data-testid="chart-split" className="cost-chart">
        <ResponsiveContainer width="100%" height={280}>
          <BarChart data={data} margin={{ top: 8, right: 24, bottom: 28, left: 16 }}>
            <CartesianGrid stroke="#eef0f3" vertical={false} />
            <XAxis
              dataKey="outputTokens"
              tick={AXIS}
              label={{ value: 'Output tokens per request', position: 'insideBottom', offset: -16, ...AXIS }}
            />
            <YAxis
              tick={AXIS}
              width={70}
              tickFormatter={(v: number) => fmtUsdAxis(v)}
              label={{
                value: '$ per 1,000 requests',
                angle: -90,
                position: 'insideLeft',
                offset: 0,
                ...AXIS,
              }}
            />
            <Tooltip
              formatter={(v) => `${fmtUsd(asNumber(v))} per 1,000 requests`}
              labelFormatter={(v) => `${String(v)} output tokens`}
            />
            <Legend verticalAlign="top" height={28} />
            <Bar
              dataKey="prefill"
              name="Prefill (input)"
              stackId="r"
              fill="#d9822b"
              isAnimationActive={false}
            />
            <Bar
              dataKey="decode"
              name="Decode (output)"
              stackId="r"
              fill="#2459d6"
              isAnimationActive={false}
            />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable
        columns={[
          'Output tokens per request',
          'Prefill, $ per 1,000 requests',
          'Decode, $ per 1,000 requests',
          'Total, $ per 1,000 requests',
        ]}
        rows={data.map((d) => [
          fmtCount(Number(d.outputTokens)),
          fmtUsd(d.prefill),
          fmtUsd(d.decode),
          fmtUsd(d.prefill + d.decode),
        ])}
      />
    </section>
  );
}

interface SensitivityRow {
  label: string;
  saving: number;
  extra: number;
  best: string;
  worst: string;
  explain: string;
}

export function SensitivityChart(props: { scenario: Scenario; focus: OptionKind }) {
  const now = projectOption(props.scenario, props.focus).perMonthUsd;
  const toRows = (s: Scenario): SensitivityRow[] => {
    const base = projectOption(s, props.focus).perMonthUsd;
    return sensitivity(s, props.focus).map((e) => {
      const lowIsCheaper = e.lowUsdPerMonth <= e.highUsdPerMonth;
      const cheap = lowIsCheaper ? e.lowUsdPerMonth : e.highUsdPerMonth;
      const dear = lowIsCheaper ? e.highUsdPerMonth : e.lowUsdPerMonth;
      return {
        label: e.label,
        saving: Math.min(0, cheap - base),
        extra: Math.max(0, dear - base),
        best: `${lowIsCheaper ? e.lowLabel : e.highLabel}: ${fmtUsd(cheap)}/month`,
        worst: `${lowIsCheaper ? e.highLabel : e.lowLabel}: ${fmtUsd(dear)}/month`,
        explain: LEVER_TEXT[e.lever],
      };
    });
  };
  const flat = (rows: SensitivityRow[]) => rows.every((r) => r.saving === 0 && r.extra === 0);
  let rows = toRows(props.scenario);
  // Always-on GPUs that are not full hide every lever: show what the traffic's own GPU time costs instead.
  const usedCapacity = props.focus === 'selfHosted' && flat(rows);
  if (usedCapacity)
    rows = toRows({ ...props.scenario, selfHosted: { ...props.scenario.selfHosted, minGpus: 0 } });
  return (
    <section className="panel" aria-labelledby="chart-sensitivity">
      <h2 id="chart-sensitivity">What moves the bill most — {OPTION_LABEL[props.focus]}</h2>
      <p className="hint cost-hint">
        Each bar moves one lever and keeps everything else as you set it. Now: {fmtUsd(now)} per month.
      </p>
      {usedCapacity && (
        <p className="message info" data-testid="sensitivity-note">
          At this traffic your always-on GPUs are not full, so the bill stays at {fmtUsd(now)} whatever you
          change: savings become idle time. The bars show the cost of the GPU time your traffic actually uses
          — what each lever saves once traffic fills the fleet.
        </p>
      )}
      {!usedCapacity && flat(rows) && (
        <p className="message info">No lever changes this bill at the current settings.</p>
      )}
      <div data-testid="chart-sensitivity" className="cost-chart">
        <ResponsiveContainer width="100%" height={60 + rows.length * 40}>
          <BarChart
            data={rows}
            layout="vertical"
            stackOffset="sign"
            margin={{ top: 8, right: 24, bottom: 28, left: 8 }}
          >
            <CartesianGrid stroke="#eef0f3" horizontal={false} />
            <XAxis
              type="number"
              tick={AXIS}
              tickFormatter={(v: number) => fmtUsdAxis(v)}
              label={{
                value: 'Change in $ per month vs now',
                position: 'insideBottom',
                offset: -16,
                ...AXIS,
              }}
            />
            <YAxis type="category" dataKey="label" tick={AXIS} width={190} />
            <Tooltip
              content={({ active, payload }) => {
                const row = payload?.[0]?.payload as SensitivityRow | undefined;
                if (!active || !row) return null;
                return (
                  <div className="cost-tooltip">
                    <strong>{row.label}</strong>
                    <div>
                      Cheaper: {row.best} ({fmtUsdDelta(row.saving)})
                    </div>
                    <div>
                      Dearer: {row.worst} ({fmtUsdDelta(row.extra)})
                    </div>
                    <p>{row.explain}</p>
                  </div>
                );
              }}
            />
            <Legend verticalAlign="top" height={28} />
            <ReferenceLine x={0} stroke="#5f6670" />
            <Bar
              dataKey="saving"
              name="Cheaper setting"
              stackId="s"
              fill="#1e7f4f"
              isAnimationActive={false}
            />
            <Bar dataKey="extra" name="Dearer setting" stackId="s" fill="#b3261e" isAnimationActive={false} />
          </BarChart>
        </ResponsiveContainer>
      </div>
      <ChartDataTable
        columns={['Lever', 'Cheaper setting', 'Change, $/month', 'Dearer setting', 'Change, $/month']}
        rows={rows.map((r) => [r.label, r.best, fmtUsdDelta(r.saving), r.worst, fmtUsdDelta(r.extra)])}
      />
      <ul className="cost-levers">
        {rows.map((r) => (
          <li key={r.label}>
            <strong>{r.label}.</strong> {r.best} · {r.worst}. <span className="muted">{r.explain}</span>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** Self-hosted $ per 1M blended tokens if each measured run's speeds were your GPU's, everything else as set. */
export function RunsCostChart(props: { scenario: Scenario; runs: readonly RunSpeeds[] }) {
  const data = props.runs.map((r) => {
    const s: Scenario = {
      ...props.scenario,
      selfHosted: {
        ...props.scenario.selfHosted,
        prefillTokPerS: r.prefillTokPerS,
        decodeTokPerS: r.decodeTokPerS,
      },
    };
    return { label: `${r.modelId} · ${r.dtype}`, usdPer1M: projectSelfHosted(s).blendedUsdPer1M };
  });
  return (
    <section className="panel" aria-labelledby="chart-runs">
      <h2 id="chart-runs">Cost by model size and dtype, from your measured runs</h2>
      {data.length === 0 ? (
        <p className="muted" data-testid="chart-runs-empty">
          No measured runs yet: measure the same model in two dtypes (say q8 and q4) and compare their cost
          here.
        </p>
      ) : (
        <>
          <p className="hint cost-hint">
            Self-hosted blended $ per 1M tokens if the run’s measured speeds were your GPU’s, with your batch,
            price and utilisation.
          </p>
          <div data-testid="chart-runs" className="cost-chart">
            <ResponsiveContainer width="100%" height={280}>
              <BarChart data={data} margin={{ top: 8, right: 24, bottom: 28, left: 16 }}>
                <CartesianGrid stroke="#eef0f3" vertical={false} />
                <XAxis
                  dataKey="label"
                  tick={AXIS}
                  label={{ value: 'Model · dtype', position: 'insideBottom', offset: -16, ...AXIS }}
                />
                <YAxis
                  tick={AXIS}
                  width={70}
                  tickFormatter={(v: number) => fmtUsdAxis(v)}
                  label={{
                    value: '$ per 1M tokens',
                    angle: -90,
                    position: 'insideLeft',
                    offset: 0,
                    style: { textAnchor: 'middle' },
                    ...AXIS,
                  }}
                />
                <Tooltip formatter={(v) => `${fmtUsd(asNumber(v))} per 1M blended tokens`} />
                <Bar
                  dataKey="usdPer1M"
                  name="Self-hosted, blended"
                  fill={OPTION_COLOR.selfHosted}
                  isAnimationActive={false}
                />
              </BarChart>
            </ResponsiveContainer>
          </div>
          <ChartDataTable
            columns={['Model · dtype', 'Self-hosted, $ per 1M blended tokens']}
            rows={data.map((d) => [d.label, fmtUsd(d.usdPer1M)])}
          />
        </>
      )}
    </section>
  );
}
