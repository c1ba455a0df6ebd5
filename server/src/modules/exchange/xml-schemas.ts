import { readdirSync, readFileSync } from 'node:fs';
import { XmlBufferInputProvider, XmlDocument, XmlError, XmlParseError, XmlValidateError, XsdValidator, xmlRegisterInputProvider, type ErrorDetail } from 'libxml2-wasm';

/**
 * Validation of exchange messages against the official XML schemas, with libxml2 (compiled to
 * WebAssembly: no native build, the same parser xmllint uses). The schemas are compiled once;
 * a message then takes a fraction of a millisecond.
 *
 * The official eCH schemas import each other by absolute http://www.ech.ch/xmlns/... addresses.
 * Nothing is fetched from the network: those addresses are answered from the copies in
 * `server/schemas/` (the role an OASIS catalog plays for xmllint).
 */

const SCHEMA_ROOT = new URL('../../../schemas/', import.meta.url);
const ENTRY = 'urn:migraflow:exchange-set/exchange.xsd';

/** The eCH standards and versions MigraFlow reads and writes (docs/exchange.md lists them). */
export const SUPPORTED_SCHEMAS = [
  { standard: 'eCH-0020', version: '3.0', namespace: 'http://www.ech.ch/xmlns/eCH-0020/3' },
  { standard: 'eCH-0058', version: '5.0', namespace: 'http://www.ech.ch/xmlns/eCH-0058/5' },
  { standard: 'eCH-0044', version: '4.1', namespace: 'http://www.ech.ch/xmlns/eCH-0044/4' },
  { standard: 'eCH-0011', version: '8.1', namespace: 'http://www.ech.ch/xmlns/eCH-0011/8' },
  { standard: 'eCH-0021', version: '7.0', namespace: 'http://www.ech.ch/xmlns/eCH-0021/7' },
  { standard: 'eCH-0006', version: '2.0', namespace: 'http://www.ech.ch/xmlns/eCH-0006/2' },
  { standard: 'eCH-0007', version: '5.0', namespace: 'http://www.ech.ch/xmlns/eCH-0007/5' },
  { standard: 'eCH-0008', version: '3.0', namespace: 'http://www.ech.ch/xmlns/eCH-0008/3' },
  { standard: 'eCH-0010', version: '5.1', namespace: 'http://www.ech.ch/xmlns/eCH-0010/5' },
  { standard: 'eCH-0135', version: '1.0', namespace: 'http://www.ech.ch/xmlns/eCH-0135/1' },
] as const;

export interface SchemaProblem {
  message: string;
  line: number;
  /** Where in the message, e.g. /eCH-0020:delivery/eCH-0020:moveOut/… (when libxml2 knows). */
  path: string | null;
}

export type ValidationResult =
  | { valid: true; root: { namespace: string; name: string }; text: string }
  | { valid: false; wellFormed: boolean; problems: SchemaProblem[]; root: { namespace: string; name: string } | null; text: string | null };

/** Schema files by the address other schemas import them under. */
function schemaBuffers(): Record<string, Uint8Array> {
  const buffers: Record<string, Uint8Array> = {};
  const echFolder = new URL('ech/', SCHEMA_ROOT);
  for (const file of readdirSync(echFolder)) {
    const match = /^eCH-(\d{4})-(\d+)-(\d+)\.xsd$/.exec(file);
    if (match) buffers[`http://www.ech.ch/xmlns/eCH-${match[1]}/${match[2]}/${file}`] = readFileSync(new URL(file, echFolder));
  }
  buffers['urn:migraflow:history:1/migraflow-history-1.xsd'] = readFileSync(new URL('migraflow/migraflow-history-1.xsd', SCHEMA_ROOT));
  buffers[ENTRY] = readFileSync(new URL('migraflow/exchange.xsd', SCHEMA_ROOT));
  return buffers;
}

let validator: XsdValidator | null = null;

function compiled(): XsdValidator {
  if (validator) return validator;
  const buffers = schemaBuffers();
  xmlRegisterInputProvider(new XmlBufferInputProvider(buffers));
  const schema = XmlDocument.fromBuffer(buffers[ENTRY]!, { url: ENTRY });
  try {
    validator = XsdValidator.fromDoc(schema);
  } finally {
    schema.dispose();
  }
  return validator;
}

function problemsOf(details: readonly ErrorDetail[]): SchemaProblem[] {
  return details.slice(0, 20).map((detail) => ({
    message: detail.message.trim(),
    line: detail.line,
    path: (detail as ErrorDetail & { xpath?: string }).xpath ?? null,
  }));
}

/**
 * The message as text, in the encoding it declares (byte-order mark, the first bytes of UTF-16,
 * or `<?xml … encoding="…"?>`; UTF-8 when none). Null when the bytes do not decode.
 */
export function decodeXml(bytes: Uint8Array): string | null {
  const [a, b, c] = [bytes[0], bytes[1], bytes[2]];
  let label = 'utf-8';
  if (a === 0xef && b === 0xbb && c === 0xbf) label = 'utf-8';
  else if ((a === 0xff && b === 0xfe) || (a === 0x3c && b === 0x00)) label = 'utf-16le';
  else if ((a === 0xfe && b === 0xff) || (a === 0x00 && b === 0x3c)) label = 'utf-16be';
  else {
    const declared = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(Buffer.from(bytes.subarray(0, 200)).toString('latin1'));
    if (declared?.[1]) label = declared[1].toLowerCase();
  }
  try {
    return new TextDecoder(label, { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Checks `bytes` against the schemas: well-formed XML, then the root element's schema. A DOCTYPE
 * is refused before parsing (eCH messages have none; it is the door to entity expansion attacks).
 * The answer carries the decoded text for reading.
 */
export function validateXml(bytes: Uint8Array): ValidationResult {
  const text = decodeXml(bytes);
  if (text === null) return { valid: false, wellFormed: false, root: null, text: null, problems: [{ message: 'The bytes are not text in the encoding the message declares (UTF-8 when none).', line: 0, path: null }] };
  if (text.includes('<!DOCTYPE')) return { valid: false, wellFormed: false, root: null, text, problems: [{ message: 'A DOCTYPE declaration is not allowed in an exchange message.', line: 0, path: null }] };
  let document: XmlDocument;
  try {
    document = XmlDocument.fromBuffer(bytes);
  } catch (error) {
    if (error instanceof XmlParseError) return { valid: false, wellFormed: false, root: null, text, problems: problemsOf(error.details) };
    // libxml2 refuses some input before it gets to a line (an encoding it cannot read).
    if (error instanceof XmlError) return { valid: false, wellFormed: false, root: null, text, problems: [{ message: error.message, line: 0, path: null }] };
    throw error;
  }
  try {
    const root = { namespace: document.root.namespaceUri, name: document.root.name };
    try {
      compiled().validate(document);
    } catch (error) {
      if (error instanceof XmlValidateError) return { valid: false, wellFormed: true, root, text, problems: problemsOf(error.details) };
      throw error;
    }
    return { valid: true, root, text };
  } finally {
    document.dispose();
  }
}

/** Compiles the schemas now (at start-up) rather than on the first message. */
export function prepareSchemas(): void {
  compiled();
}
