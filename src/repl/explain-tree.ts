// Draws EXPLAIN output (indented `-> ` lines) as a tree with box-drawing connectors.

interface PlanNode {
  readonly text: string;
  readonly children: PlanNode[];
}

/** Parses EXPLAIN lines: two spaces of indentation per level, `-> ` before every node below the root. */
function parsePlan(lines: readonly string[]): PlanNode[] {
  const roots: PlanNode[] = [];
  const stack: { depth: number; node: PlanNode }[] = [];
  for (const raw of lines) {
    if (raw.trim() === '') continue;
    const indent = /^ */.exec(raw)![0].length;
    const depth = Math.floor(indent / 2);
    const node: PlanNode = { text: raw.trim().replace(/^-> /, ''), children: [] };
    while (stack.length > 0 && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    if (parent) parent.node.children.push(node);
    else roots.push(node);
    stack.push({ depth, node });
  }
  return roots;
}

function draw(node: PlanNode, prefix: string, last: boolean, root: boolean, out: string[]): void {
  out.push(root ? node.text : `${prefix}${last ? '└─ ' : '├─ '}${node.text}`);
  const childPrefix = root ? '' : `${prefix}${last ? '   ' : '│  '}`;
  node.children.forEach((c, i) => draw(c, childPrefix, i === node.children.length - 1, false, out));
}

/** Renders the lines of an EXPLAIN result as a tree: `├─`, `└─` and `│` connect each operator to its inputs. */
export function explainTree(lines: readonly string[]): string {
  const out: string[] = [];
  for (const root of parsePlan(lines)) draw(root, '', true, true, out);
  return out.join('\n');
}
