import { useElementSize } from '@mantine/hooks';

export interface BarDatum {
  /** Stable key, e.g. the figure's key path. */
  key: string;
  label: string;
  value: number;
  /** Section totals are drawn darker and their labels bold. */
  total?: boolean;
  /** Indented under the previous total. */
  level?: 0 | 1;
}

interface BarChartProps {
  data: readonly BarDatum[];
  /** The chart's name for screen readers; the values are read from the data as well. */
  title: string;
  format: (value: number) => string;
  testId?: string;
}

const FONT_SIZE = 13;
const LINE_HEIGHT = 16;
const BAR_HEIGHT = 14;
const ROW_GAP = 8;
const INDENT = 14;
const VALUE_ROOM = 64;
/** Below this width the labels go above their bars instead of beside them. */
const STACKED_BELOW = 560;

/** Breaks a label into lines of at most `maxChars` characters, at spaces where possible. */
function wrap(text: string, maxChars: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    if (!line) line = word;
    else if (line.length + 1 + word.length <= maxChars) line = `${line} ${word}`;
    else {
      lines.push(line);
      line = word;
    }
    while (line.length > maxChars) {
      lines.push(line.slice(0, maxChars));
      line = line.slice(maxChars);
    }
  }
  if (line) lines.push(line);
  return lines;
}

interface LayoutOptions {
  stacked: boolean;
  charsPerLine: number;
  barStart: number;
  barRoom: number;
  max: number;
}

/** Positions of every label and bar, top to bottom (pure). */
function layOut(data: readonly BarDatum[], { stacked, charsPerLine, barStart, barRoom, max }: LayoutOptions) {
  let y = 0;
  const rows = [];
  for (const d of data) {
    const indent = d.level === 1 ? INDENT : 0;
    const lines = wrap(d.label, charsPerLine - (indent > 0 ? 2 : 0));
    const labelHeight = lines.length * LINE_HEIGHT;
    const top = y;
    const barY = stacked ? top + labelHeight + 2 : top + Math.max(0, (labelHeight - BAR_HEIGHT) / 2);
    const rowHeight = stacked ? labelHeight + 2 + BAR_HEIGHT : Math.max(labelHeight, BAR_HEIGHT);
    y += rowHeight + ROW_GAP + (stacked ? 4 : 0);
    const barX = barStart + (stacked ? indent : 0);
    const barWidth = d.value > 0 ? Math.max(2, ((barRoom - (stacked ? indent : 0)) * d.value) / max) : 0;
    rows.push({ d, indent, lines, top, barY, barX, barWidth });
  }
  return { rows, height: Math.max(y - ROW_GAP, 1) };
}

/**
 * A horizontal bar chart as inline SVG, drawn at the width it gets (so the text keeps its size on
 * phones). It is one image for assistive technology: the name and every value are in its label,
 * and each bar carries a <title> for pointer users.
 */
export function BarChart({ data, title, format, testId }: BarChartProps) {
  const { ref, width: measured } = useElementSize<HTMLDivElement>();
  const width = Math.max(Math.round(measured), 280);
  const stacked = width < STACKED_BELOW;
  const labelWidth = stacked ? width : Math.round(width * 0.42);
  const charsPerLine = Math.max(12, Math.floor((labelWidth - INDENT - 8) / (FONT_SIZE * 0.56)));
  const barStart = stacked ? 0 : labelWidth + 8;
  const barRoom = Math.max(40, width - barStart - VALUE_ROOM);
  const max = Math.max(1, ...data.map((d) => d.value));
  const ariaLabel = `${title}: ${data.map((d) => `${d.label} ${format(d.value)}`).join('; ')}`;

  const { rows, height } = layOut(data, { stacked, charsPerLine, barStart, barRoom, max });

  return (
    <div ref={ref} className="mf-chart" data-testid={testId}>
      {measured > 0 ? (
        <svg width={width} height={height} viewBox={`0 0 ${String(width)} ${String(height)}`} role="img"
          aria-label={ariaLabel} className="mf-chart-svg" focusable="false">
          <title>{title}</title>
          {rows.map(({ d, indent, lines, top, barY, barX, barWidth }) => (
            <g key={d.key} data-bar={d.key}>
              <title>{`${d.label}: ${format(d.value)}`}</title>
              <text x={indent} y={top + FONT_SIZE} fontSize={FONT_SIZE} fontWeight={d.total ? 700 : 400} className="mf-chart-label">
                {lines.map((line, index) => (
                  <tspan key={index} x={indent} dy={index === 0 ? 0 : LINE_HEIGHT}>{line}</tspan>
                ))}
              </text>
              <rect x={barX} y={barY} width={barWidth} height={BAR_HEIGHT} rx={2}
                className={d.total ? 'mf-chart-bar mf-chart-bar--total' : 'mf-chart-bar'} />
              <text x={barX + barWidth + 6} y={barY + BAR_HEIGHT - 2} fontSize={FONT_SIZE} fontWeight={d.total ? 700 : 400}
                className="mf-chart-value">
                {format(d.value)}
              </text>
            </g>
          ))}
        </svg>
      ) : null}
    </div>
  );
}
