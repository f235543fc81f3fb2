/**
 * The known key a mistyped one most likely meant, or undefined when none is close: `usrname` →
 * `username`, `hostkey` → `hostKey`, `prot` → `port`. Case is ignored (YAML keys are typed by hand
 * and `hostkey` is the commonest slip). A candidate is close when at most min(2, max(1, length/3))
 * edits away, so short keys (`app`, `ssh`) do not attract unrelated words.
 */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const d = editDistance(word.toLowerCase(), candidate.toLowerCase());
    const limit = Math.min(2, Math.max(1, Math.floor(candidate.length / 3)));
    if (d <= limit && d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best;
}

// Damerau-Levenshtein (optimal string alignment): a swap of two neighbours (`prot`) is one edit,
// as people count it, not two.
function editDistance(a: string, b: string): number {
  const rows = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let d = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, rows[i - 2]![j - 2]! + 1);
      rows[i]![j] = d;
    }
  }
  return rows[a.length]![b.length]!;
}
