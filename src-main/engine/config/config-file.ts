import { readFileSync } from 'node:fs';
import { BotConfigSchema, ConfigPatchSchema, DEFAULT_CONFIG, mergeConfigPatch, type BotConfig } from '../../../src-shared/contract';

export class ConfigFileError extends Error {}

/** A config file holds a partial config laid over the defaults; every bad field is named in one line. */
export function loadConfigFile(path: string): BotConfig {
  let json: unknown;
  try {
    json = JSON.parse(readFileSync(path, 'utf8'));
  } catch (e) {
    throw new ConfigFileError(`cannot read config file ${path}: ${(e as Error).message}`);
  }
  const patch = ConfigPatchSchema.safeParse(json);
  const merged = patch.success ? BotConfigSchema.safeParse(mergeConfigPatch(DEFAULT_CONFIG, patch.data)) : patch;
  if (!merged.success) {
    const problems = merged.error.issues.map((i) =>
      i.code === 'unrecognized_keys' ? `unknown field ${i.keys.join(', ')}` : `${i.path.join('.') || 'config'}: ${i.message}`,
    );
    throw new ConfigFileError(`invalid config file ${path}: ${problems.join('; ')}`);
  }
  return merged.data as BotConfig;
}
