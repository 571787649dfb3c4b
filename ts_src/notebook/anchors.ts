/**
 * In-notebook links (`[see below](#Results)`) to cells not drawn yet.
 *
 * The notebook view draws only the cells near the screen (./view/notebook.ts), so the
 * element a `#fragment` link points at may not exist when the link is clicked, and
 * the browser's own jump finds nothing. This controller finds the cell from the
 * model instead: a Markdown heading whose id would be the fragment (ids as
 * rendermime/markdown.ts makes them), else a cell whose source or outputs mention the
 * name (an `<a id=...>` or `name=...` in Markdown or HTML). It then reveals that cell
 * with the element at the top, as JupyterLab does for its windowed notebooks. Links
 * to elements already drawn keep the browser's own behaviour.
 */
import { headingId } from '../rendermime/markdown';
import { NAMED_PROPS_PREFIX } from '../rendermime/sanitize';
import { cellHeadings, HeadingCollapser } from './headings';
import type { CellModel } from './model/cell';
import type { NotebookView } from './view/notebook';

/** Cells drawn at most to look for a link's target (a common word can be in many sources). */
const MAX_CANDIDATES = 20;

/**
 * Indices of the cells that may hold the element of id `id` (a prefixed id, as every
 * id in rendered content is), best first: cells with a heading of that id, then cells
 * whose source or outputs contain the unprefixed name. Reads the model only.
 */
export function cellsForFragment(cells: readonly CellModel[], id: string): number[] {
  const headings: number[] = [];
  const mentions: number[] = [];
  const name = id.startsWith(NAMED_PROPS_PREFIX) ? id.slice(NAMED_PROPS_PREFIX.length) : id;
  cells.forEach((cell, i) => {
    if (cellHeadings(cell).some((h) => headingId(h.text) === id)) headings.push(i);
    else if (name && (cell.source.includes(name) || (cell.type === 'code' && JSON.stringify(cell.outputs.outputs).includes(name)))) {
      mentions.push(i);
    }
  });
  return [...headings, ...mentions];
}

/** Follow `#fragment` links of `view` to cells not drawn yet; returns the listener's remover. */
export function followFragmentLinks(view: NotebookView): () => void {
  const onClick = (event: MouseEvent): void => {
    if (event.defaultPrevented || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey || event.altKey) return;
    const link = (event.target as Element | null)?.closest?.('a[href^="#"]');
    if (!link || !view.node.contains(link)) return;
    let id: string;
    try {
      id = decodeURIComponent(link.getAttribute('href')!.slice(1));
    } catch {
      return;
    }
    if (!id || document.getElementById(id)) return; // drawn: the browser jumps there
    const byId = (root: ParentNode): HTMLElement | null => root.querySelector<HTMLElement>(`[id="${CSS.escape(id)}"]`);
    const candidates = cellsForFragment(view.model.cells, id).slice(0, MAX_CANDIDATES);
    if (candidates.length === 0) return;
    // The first candidate that holds the element once drawn; else the best guess. A
    // rendering can finish a task later (its parser loads once): the reveal looks the
    // element up again on each frame.
    const index =
      candidates.find((i) => {
        const cell = view.cellViews[i];
        cell?.build();
        return !!cell && !!byId(cell.node);
      }) ?? candidates[0]!;
    const cell = view.cellViews[index];
    if (!cell) return;
    event.preventDefault();
    HeadingCollapser.for(view).reveal(index);
    view.revealCell(index, { align: 'start', target: () => byId(cell.node) ?? cell.node });
  };
  view.node.addEventListener('click', onClick);
  return () => view.node.removeEventListener('click', onClick);
}
