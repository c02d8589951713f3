import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './catalog';

/** A section of settings as package.json contributes it: VS Code's settings editor shows each as a group. */
export interface SettingsSection {
  id: string;
  title: string;
  order: number;
  properties: Record<string, unknown>;
}

/** package.json, as far as the tests read it. */
export function manifest<T = Record<string, unknown>>(): T & { contributes: { configuration: SettingsSection[] } } {
  return JSON.parse(readFileSync(join(repoRoot(), 'package.json'), 'utf8')) as T & { contributes: { configuration: SettingsSection[] } };
}

/** Every setting the extension contributes, whatever section it is in. */
export function contributedSettings(): Record<string, unknown> {
  return Object.assign({}, ...manifest().contributes.configuration.map((section) => section.properties)) as Record<string, unknown>;
}
