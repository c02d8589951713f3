// The wildcard hover's access-level paragraph, built from the catalogue's levels; free of Node-only
// imports, so that the real-VS-Code suites can bundle it too.
/** The wildcard hover's access-level paragraph for the catalogue actions it allows (each level counted on its own). */
export function accessLevelLine(actions: readonly { levels: readonly string[] }[]): string {
  const order = ['List', 'Read', 'Write', 'Permissions management', 'Tagging'];
  const counts = order.map((level) => [level, actions.filter((a) => a.levels.includes(level)).length] as const);
  return `**By access level:** ${counts.filter(([, n]) => n > 0).map(([level, n]) => `${level} ${n}`).join(', ')}`;
}
