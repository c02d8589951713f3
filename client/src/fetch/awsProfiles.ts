import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/** A named profile of the shared AWS files, with the region it sets, if any. */
export interface AwsProfile {
  readonly name: string;
  readonly region?: string;
}

/** Where the AWS SDK (and so `iam-refine fetch`) reads profiles: the same variables and defaults. */
export interface SharedFiles {
  readonly config: string;
  readonly credentials: string;
}

type Sections = Map<string, Map<string, string>>;

/**
 * The shared config and credentials files as the SDK finds them: AWS_CONFIG_FILE and
 * AWS_SHARED_CREDENTIALS_FILE (a leading `~/` is the home folder), else `~/.aws/config` and `~/.aws/credentials`.
 */
export function sharedFiles(env: NodeJS.ProcessEnv, home = env['HOME'] ?? homedir()): SharedFiles {
  const resolve = (path: string): string => (path.startsWith('~/') ? join(home, path.slice(2)) : path);
  return {
    config: resolve(env['AWS_CONFIG_FILE'] || join(home, '.aws', 'config')),
    credentials: resolve(env['AWS_SHARED_CREDENTIALS_FILE'] || join(home, '.aws', 'credentials')),
  };
}

/** The profiles of both files, sorted by name; a missing or unreadable file has none. */
export function readProfiles(files: SharedFiles): AwsProfile[] {
  return profilesOf(readOrEmpty(files.config), readOrEmpty(files.credentials));
}

/**
 * The profiles the two texts define. In the config file a profile is `[default]` or `[profile NAME]`
 * (other sections, such as `[sso-session NAME]` and `[services NAME]`, are not profiles); in the
 * credentials file every section is a profile. A region set in both files is the credentials file's,
 * as the SDK merges them.
 */
export function profilesOf(configText: string, credentialsText: string): AwsProfile[] {
  const merged = new Map<string, Map<string, string>>();
  const add = (name: string, keys: Map<string, string>): void => {
    merged.set(name, new Map([...(merged.get(name) ?? []), ...keys]));
  };
  for (const [section, keys] of parseIni(configText)) {
    const name = section === 'default' ? 'default' : /^profile\s+(\S.*)$/.exec(section)?.[1]?.trim();
    if (name) add(name, keys);
  }
  for (const [section, keys] of parseIni(credentialsText)) add(section, keys);
  return [...merged].sort(([a], [b]) => a.localeCompare(b)).map(([name, keys]) => {
    const region = keys.get('region');
    return region ? { name, region } : { name };
  });
}

/**
 * The region a fetch with this profile uses when none is named, in the SDK's order: AWS_REGION, then
 * the profile's (without a profile: AWS_PROFILE's, else the default profile's).
 */
export function defaultRegion(profiles: readonly AwsProfile[], profile: string | undefined, env: NodeJS.ProcessEnv): string | undefined {
  if (env['AWS_REGION']) return env['AWS_REGION'];
  const name = profile ?? (env['AWS_PROFILE'] || 'default');
  return profiles.find((p) => p.name === name)?.region;
}

/** Sections and their top-level keys. Indented lines (the nested settings under `s3 =`) and comments are skipped. */
function parseIni(text: string): Sections {
  const sections: Sections = new Map();
  let current: Map<string, string> | undefined;
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#') || trimmed.startsWith(';')) continue;
    const header = /^\[\s*([^\]]+?)\s*\]$/.exec(trimmed);
    if (header) {
      const name = header[1]!;
      current = sections.get(name) ?? new Map<string, string>();
      sections.set(name, current);
      continue;
    }
    if (!current || /^\s/.test(line)) continue;
    const pair = /^([^=]+?)\s*=\s*(.*)$/.exec(trimmed);
    if (pair) current.set(pair[1]!.toLowerCase(), pair[2]!);
  }
  return sections;
}

function readOrEmpty(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
