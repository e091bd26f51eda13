/** Small graph helpers shared by validation, the critical path and the trace renderers. */

export interface GraphNode {
  readonly id: string;
  readonly deps: readonly string[];
}

/**
 * A dependency cycle as a closed walk in dependency order (`[a, b, a]`: a waits for b, b waits for a), or `undefined` when the graph is acyclic.
 * Unknown dependency ids are ignored here (they are reported as dangling instead).
 */
export function findCycle(nodes: readonly GraphNode[]): string[] | undefined {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (id: string): string[] | undefined => {
    const mark = state.get(id);
    if (mark === 'done') return undefined;
    if (mark === 'visiting') return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, 'visiting');
    stack.push(id);
    for (const dep of byId.get(id)?.deps ?? []) {
      if (!byId.has(dep)) continue;
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, 'done');
    return undefined;
  };
  for (const node of nodes) {
    const cycle = visit(node.id);
    if (cycle) return cycle;
  }
  return undefined;
}

/** Ids in an order where every node comes after its dependencies (input order kept where free). */
export function topologicalOrder(nodes: readonly GraphNode[]): string[] {
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const done = new Set<string>();
  const order: string[] = [];
  const visit = (id: string, path: Set<string>) => {
    if (done.has(id) || path.has(id)) return;
    path.add(id);
    for (const dep of byId.get(id)?.deps ?? []) if (byId.has(dep)) visit(dep, path);
    path.delete(id);
    done.add(id);
    order.push(id);
  };
  for (const node of nodes) visit(node.id, new Set());
  return order;
}
