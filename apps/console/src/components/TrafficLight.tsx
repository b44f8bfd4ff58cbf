import { Tag } from 'antd';
import { dynamicKey, useI18n } from '../i18n/i18n';

/** The lights a problem can show (红黄绿灯), in the order a supervising office reads them. */
export const TRAFFIC_LIGHTS = ['green', 'yellow', 'red', 'black'] as const;

/** Each light in its colour and in words (colour is never the only signal). */
const COLOURS: Record<string, string> = { green: 'green', yellow: 'gold', red: 'red', black: '#262626' };

/** A problem's traffic light under its deadline policy; a dash while none applies. */
export function TrafficLight({ light }: { light: string | null }) {
  const { t } = useI18n();
  if (light === null) return <span data-light="none">—</span>;
  return (
    <Tag color={COLOURS[light] ?? 'default'} data-light={light}>
      ● {t(dynamicKey('light', light))}
    </Tag>
  );
}
