import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef } from 'react';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, SVGRenderer]);

export interface Series {
  name: string;
  values: number[];
  type?: 'bar' | 'line';
  stack?: string;
  color?: string;
}

export interface ChartProps {
  /** Accessible description of what the chart shows. */
  label: string;
  categories: string[];
  series: Series[];
  unit?: string;
  height?: number;
}

export default function ChartImpl({ categories, series, unit, height = 260 }: ChartProps) {
  const el = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!el.current) return;
    const chart = echarts.init(el.current, undefined, { renderer: 'svg' });
    chart.setOption({
      animation: false,
      grid: { left: 48, right: 12, top: 32, bottom: 28, containLabel: true },
      legend: { top: 0 },
      tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => `${v as number}${unit ? ` ${unit}` : ''}` },
      xAxis: { type: 'category', data: categories },
      yAxis: { type: 'value', name: unit, nameTextStyle: { align: 'right' } },
      series: series.map((s) => ({
        name: s.name,
        type: s.type ?? 'bar',
        stack: s.stack,
        data: s.values,
        itemStyle: s.color ? { color: s.color } : undefined,
        lineStyle: s.color ? { color: s.color } : undefined,
      })),
    });
    const onResize = () => chart.resize();
    window.addEventListener('resize', onResize);
    return () => {
      window.removeEventListener('resize', onResize);
      chart.dispose();
    };
  }, [categories, series, unit]);
  return <div ref={el} className="chart-box" style={{ height }} />;
}
