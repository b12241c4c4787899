// Charts are their own chunk (ECharts), loaded the first time a chart is shown.
import { lazy, Suspense } from 'react';

import type { ChartProps } from './chart-impl';

const Impl = lazy(() => import('./chart-impl'));

export type { ChartProps, Series } from './chart-impl';

export function Chart(props: ChartProps) {
  return (
    <figure className="chart" aria-label={props.label}>
      <Suspense fallback={<div className="chart-box muted">Loading chart…</div>}>
        <Impl {...props} />
      </Suspense>
      <figcaption className="sr-only">{props.label}</figcaption>
    </figure>
  );
}
