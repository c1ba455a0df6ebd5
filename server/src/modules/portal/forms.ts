import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { problems } from '../../platform/errors.js';
import { parseFormFile, type ApplicationForm } from './application-rules.js';

/** The shipped online application forms: `server/catalogues/portal-forms/<country>.json`, read once. */
const FORMS_DIR = fileURLToPath(new URL('../../../catalogues/portal-forms/', import.meta.url));

const loaded = new Map<string, ApplicationForm[]>();

/** The forms of a country; a bad file stops with its name and the first problem. */
export function formsOf(country: 'CH' | 'DE', dir = FORMS_DIR): ApplicationForm[] {
  const key = `${dir}:${country}`;
  const cached = loaded.get(key);
  if (cached) return cached;
  const file = `${country.toLowerCase()}.json`;
  const forms = parseFormFile(JSON.parse(readFileSync(`${dir}/${file}`, 'utf8')) as unknown, `portal-forms/${file}`);
  loaded.set(key, forms);
  return forms;
}

export function formOf(country: 'CH' | 'DE', slug: string): ApplicationForm {
  const form = formsOf(country).find((candidate) => candidate.slug === slug);
  if (!form) throw problems.notFound('application-form');
  return form;
}
