import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ORDER_ITEM_TRANSITIONS, ORDER_TRANSITIONS } from './order-transitions';
import { transitionDiagram } from './transition-diagram';

const README = readFileSync(join(__dirname, '../../../../README.md'), 'utf8');

/** The fenced mermaid block right after the README's marker comment. */
function diagramAfter(marker: string): string | undefined {
  return new RegExp(`<!-- ${marker} -->\\n+\`\`\`mermaid\\n([\\s\\S]*?)\\n\`\`\``).exec(README)?.[1];
}

describe('the README draws the lifecycle from the transitions tables', () => {
  it.each([
    ['order transitions', transitionDiagram(ORDER_TRANSITIONS, 'CREATED')],
    ['order item transitions', transitionDiagram(ORDER_ITEM_TRANSITIONS, 'CREATED')],
  ])('%s: the diagram is the one the table generates (paste the expected text into the README when the table changes)', (marker, generated) => {
    expect(diagramAfter(marker)).toBe(generated);
  });

  it('draws every allowed move of a table once, from its start', () => {
    expect(transitionDiagram({ A: { to: ['B', 'A'] }, B: { to: [] } }, 'A')).toBe('stateDiagram-v2\n  [*] --> A\n  A --> B');
  });
});
