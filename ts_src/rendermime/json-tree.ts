/**
 * A collapsible tree of a JSON value, built from `<details>` elements (keyboard and
 * screen-reader friendly without script). Objects and arrays deeper than `open`
 * levels start collapsed; children are built when first expanded, so a huge value
 * costs little until explored.
 */
export function jsonTree(value: unknown, open = 1): HTMLElement {
  const root = document.createElement('div');
  root.className = 'ja-JsonTree';
  root.appendChild(node(undefined, value, 0, open));
  return root;
}

function node(key: string | undefined, value: unknown, depth: number, open: number): HTMLElement {
  const label = document.createElement('span');
  label.className = 'ja-JsonTree-key';
  if (key !== undefined) label.textContent = `${key}: `;
  if (value === null || typeof value !== 'object') {
    const leaf = document.createElement('div');
    leaf.className = 'ja-JsonTree-leaf';
    const v = document.createElement('span');
    v.className = `ja-JsonTree-value ja-mod-${value === null ? 'null' : typeof value}`;
    v.textContent = JSON.stringify(value) ?? String(value);
    leaf.append(label, v);
    return leaf;
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const details = document.createElement('details');
  details.className = 'ja-JsonTree-branch';
  const summary = document.createElement('summary');
  const kind = Array.isArray(value) ? `Array(${entries.length})` : `Object {${entries.length}}`;
  summary.append(label, document.createTextNode(kind));
  details.appendChild(summary);
  let built = false;
  const build = () => {
    if (built) return;
    built = true;
    for (const [k, v] of entries) details.appendChild(node(k, v, depth + 1, open));
  };
  details.addEventListener('toggle', () => {
    if (details.open) build();
  });
  if (depth < open) {
    details.open = true;
    build();
  }
  return details;
}
