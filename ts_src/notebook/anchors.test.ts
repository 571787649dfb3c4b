import { describe, expect, it } from 'vitest';
import { NAMED_PROPS_PREFIX } from '../rendermime/sanitize';
import { headingId } from '../rendermime/markdown';
import { cellsForFragment } from './anchors';
import { CellModel } from './model/cell';

const md = (source: string) => new CellModel({ cell_type: 'markdown', source, metadata: {} } as never);
const code = (source: string, html = '') =>
  new CellModel({
    cell_type: 'code',
    source,
    metadata: {},
    execution_count: null,
    outputs: html ? [{ output_type: 'display_data', data: { 'text/html': html }, metadata: {} }] : []
  } as never);

describe('in-notebook links to cells not drawn yet', () => {
  it('finds the cell of a heading first, then cells whose source or outputs mention the name', () => {
    const cells = [md('[to results](#Results)'), code('x = 1'), md('Text about <a id="Results"></a> anchors'), md('## Results\n\nbody'), code('y', '<div id="Results">out</div>')];
    expect(cellsForFragment(cells, headingId('Results'))).toEqual([3, 0, 2, 4]);
    expect(cellsForFragment(cells, `${NAMED_PROPS_PREFIX}nowhere`)).toEqual([]);
  });
});
