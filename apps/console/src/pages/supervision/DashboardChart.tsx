import { Typography } from 'antd';
import type { EChartsCoreOption } from 'echarts/core';
import { useEffect, useRef, useState } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../i18n/i18n';

/**
 * A chart drawn by ECharts (SVG), loaded on first use. `links[series][index]` is where a click on that bar or point
 * goes: the same list its number in the table beside it leads to. The numbers themselves are in that table, so the
 * chart is an image with a name (ECharts' aria module describes its data too).
 */
export function DashboardChart({ label, option, links, height = 260 }: { label: string; option: EChartsCoreOption; links: string[][]; height?: number }) {
  const { t } = useI18n();
  const element = useRef<HTMLDivElement>(null);
  const navigate = useNavigate();
  const [loaded, setLoaded] = useState(false);
  const latest = useRef({ links, navigate });
  latest.current = { links, navigate };

  useEffect(() => {
    let disposed = false;
    let chart: { setOption(option: EChartsCoreOption): void; dispose(): void; resize(): void } | undefined;
    const resize = () => chart?.resize();
    void import('./echarts-setup').then(({ echarts }) => {
      if (disposed || !element.current) return;
      const instance = echarts.init(element.current, undefined, { renderer: 'svg' });
      instance.setOption({ aria: { enabled: true, label: { description: label } }, ...option });
      instance.on('click', (params) => {
        const href = latest.current.links[params.seriesIndex ?? 0]?.[params.dataIndex];
        if (href) latest.current.navigate(href);
      });
      chart = instance;
      window.addEventListener('resize', resize);
      setLoaded(true);
    });
    return () => {
      disposed = true;
      window.removeEventListener('resize', resize);
      chart?.dispose();
    };
  }, [label, option]);

  return (
    <figure style={{ margin: 0 }}>
      <div ref={element} role="img" aria-label={label} style={{ width: '100%', height }} />
      {!loaded && <Typography.Text type="secondary">{t('dashboard.chartLoading')}</Typography.Text>}
    </figure>
  );
}
