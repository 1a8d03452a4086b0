/** Disjoint sets over arbitrary keys, with path halving and union by size. */
export class UnionFind<K> {
  private readonly parent = new Map<K, K>();
  private readonly size = new Map<K, number>();

  find(x: K): K {
    if (!this.parent.has(x)) {
      this.parent.set(x, x);
      this.size.set(x, 1);
    }
    let node = x;
    while (this.parent.get(node) !== node) {
      const grand = this.parent.get(this.parent.get(node)!)!;
      this.parent.set(node, grand);
      node = grand;
    }
    return node;
  }

  union(a: K, b: K): K {
    let ra = this.find(a);
    let rb = this.find(b);
    if (ra === rb) return ra;
    if (this.size.get(ra)! < this.size.get(rb)!) [ra, rb] = [rb, ra];
    this.parent.set(rb, ra);
    this.size.set(ra, this.size.get(ra)! + this.size.get(rb)!);
    return ra;
  }

  groups(): K[][] {
    const out = new Map<K, K[]>();
    for (const key of this.parent.keys()) {
      const root = this.find(key);
      out.set(root, [...(out.get(root) ?? []), key]);
    }
    return [...out.values()];
  }
}
