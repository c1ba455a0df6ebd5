import { Anchor, createTheme, type CSSVariablesResolver, type MantineColorsTuple } from '@mantine/core';

/** One accent colour: a Swiss-federal red. Shade 7 (#b00020) has 7.3:1 contrast on white. */
const accent: MantineColorsTuple = [
  '#fdecee',
  '#f8d3d8',
  '#efa5ae',
  '#e67482',
  '#dd4a5d',
  '#d62e44',
  '#c41230',
  '#b00020',
  '#960019',
  '#7a0013',
];

const FONT_STACK =
  '"Noto Sans", "Frutiger", "Segoe UI", system-ui, -apple-system, "Helvetica Neue", Arial, sans-serif';

export const theme = createTheme({
  colors: { accent },
  primaryColor: 'accent',
  primaryShade: 7,
  black: '#1a1a1a',
  fontFamily: FONT_STACK,
  headings: {
    fontFamily: FONT_STACK,
    fontWeight: '700',
    sizes: {
      h1: { fontSize: '1.75rem', lineHeight: '1.25' },
      h2: { fontSize: '1.375rem', lineHeight: '1.3' },
    },
  },
  defaultRadius: 'sm',
  focusRing: 'auto',
  cursorType: 'pointer',
  components: {
    // A link inside a sentence must not rely on colour alone (WCAG 1.4.1): always underlined.
    Anchor: Anchor.extend({ defaultProps: { underline: 'always' } }),
  },
});

/**
 * Mantine's default grey text (dimmed, placeholders), error red and input borders are too light for
 * WCAG 2.1 AA (1.4.3 text 4.5:1, 1.4.11 component boundaries 3:1); darken them.
 */
export const cssVariablesResolver: CSSVariablesResolver = () => ({
  variables: {},
  light: {
    '--mantine-color-dimmed': '#545a61',
    '--mantine-color-placeholder': '#6b7178',
    '--mantine-color-default-border': '#767c84',
    '--mantine-color-body': '#f4f4f4',
    '--mantine-color-text': '#1a1a1a',
    '--mantine-color-error': '#b00020',
  },
  dark: {},
});
