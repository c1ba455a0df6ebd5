import { readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseRetentionCatalogue, RetentionCatalogueError, type RetentionCatalogue } from './rules/catalogue.js';

/** `server/catalogues/retention/`: three levels up from both `src/modules/privacy/` and `dist/modules/privacy/`. */
const RETENTION_DIR = fileURLToPath(new URL('../../../catalogues/retention/', import.meta.url));

/** Reads and checks every catalogue; a broken file stops the start with its name and the field. */
export function loadRetentionCatalogues(dir: string = RETENTION_DIR): Map<string, RetentionCatalogue> {
  const catalogues = new Map<string, RetentionCatalogue>();
  for (const name of readdirSync(dir).filter((file) => file.endsWith('.json')).sort()) {
    const file = join(dir, name);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new RetentionCatalogueError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
    }
    const catalogue = parseRetentionCatalogue(json, file);
    if (catalogue.catalogue !== basename(name, '.json')) throw new RetentionCatalogueError(`${file}: catalogue "${catalogue.catalogue}" must equal the file name`);
    catalogues.set(catalogue.catalogue, catalogue);
  }
  return catalogues;
}

let loaded: Map<string, RetentionCatalogue> | null = null;

export function retentionCatalogues(): Map<string, RetentionCatalogue> {
  loaded ??= loadRetentionCatalogues();
  return loaded;
}

/** The office's catalogue: the setting `retentionCatalogue`, else its country (CH → ch). */
export function catalogueOfTenant(tenant: { country: string; settings: Record<string, unknown> }): RetentionCatalogue {
  const chosen = tenant.settings.retentionCatalogue;
  const id = typeof chosen === 'string' ? chosen : tenant.country.toLowerCase();
  const catalogue = retentionCatalogues().get(id);
  if (!catalogue) throw new RetentionCatalogueError(`There is no retention catalogue "${id}" in server/catalogues/retention/.`);
  return catalogue;
}
