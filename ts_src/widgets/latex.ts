import { extractMath, typesetMath } from '../rendermime/math';

/**
 * Typesets LaTeX in widgets (`$...$` in descriptions and labels, HTMLMath values)
 * with Temml, as our Markdown does. The controls ask their manager's
 * `_rendermime.latexTypesetter` for this (JupyterLab's manager gives its
 * rendermime); without one they would look for a global MathJax.
 */
export const latexTypesetter = {
  typeset(element: HTMLElement): void {
    void typesetElement(element);
  }
};

/** Replace the math in the text of `element` (not inside code) by typeset formulas. */
export async function typesetElement(element: HTMLElement): Promise<void> {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const nodes: Text[] = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!(n.parentElement?.closest('code, pre, .ja-Math') ?? null)) nodes.push(n as Text);
  }
  for (const node of nodes) {
    const { text, math } = extractMath(node.data);
    if (math.length === 0) continue;
    const span = document.createElement('span');
    span.textContent = text;
    node.replaceWith(span);
    await typesetMath(span, math);
  }
}
