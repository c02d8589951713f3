/** The actions of `candidates` that an IAM action pattern (`*` and `?` wildcards, case-insensitive) allows. */
export function expandPattern(pattern: string, candidates: readonly string[]): string[] {
  const source = pattern.split('').map((c) => (c === '*' ? '.*' : c === '?' ? '.' : c.replace(/[.+^${}()|[\]\\]/g, '\\$&'))).join('');
  const regex = new RegExp(`^${source}$`, 'i');
  return candidates.filter((c) => regex.test(c));
}
