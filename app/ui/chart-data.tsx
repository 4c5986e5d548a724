import { type ReactNode, useState } from 'react';

/**
 * A chart's numbers as a table behind a "Data" disclosure: the text alternative of a chart, for screen readers
 * and for anyone who wants the figures. Rows render only while it is open, so a closed table costs nothing.
 * A table wider than its card (a phone) scrolls inside a focusable region, so a keyboard can scroll it too.
 */
export function ChartDataTable(props: {
  summary?: string;
  columns: readonly string[];
  rows: ReadonlyArray<readonly ReactNode[]>;
}) {
  const [open, setOpen] = useState(false);
  const summary = props.summary ?? 'Data as a table';
  return (
    <details className="chart-data" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{summary}</summary>
      {open && (
        // biome-ignore lint/a11y/noNoninteractiveTabindex: a scrolling region must take focus to scroll by keyboard
        <section className="chart-data-scroll" aria-label={summary} tabIndex={0}>
          <table className="metrics compact">
            <thead>
              <tr>
                {props.columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.rows.map((row, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows are positional and never reordered
                <tr key={i}>
                  {row.map((cell, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: cells are positional
                    <td key={j}>{cell}</td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </details>
  );
}
