/** How headings are numbered in the table of contents (JupyterLab's setting names). */
export interface NumberingOptions {
  /** Number the headings at all. */
  numbering: boolean;
  /** Whether H1 headings get numbers; when false numbering starts at H2 (JupyterLab's `numberingH1`). */
  numberingH1: boolean;
  /** Deepest level shown (1-6; JupyterLab's `maximalDepth`). */
  maximalDepth: number;
}

/** The defaults of {@link NumberingOptions}, JupyterLab's. */
export const DEFAULT_NUMBERING: NumberingOptions = { numbering: false, numberingH1: true, maximalDepth: 4 };
