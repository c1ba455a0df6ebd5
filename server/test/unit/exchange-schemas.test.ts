import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { validateXml } from '../../src/modules/exchange/xml-schemas.js';
import { countries } from '../../src/modules/exchange/countries.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/ech0020/${name}`, import.meta.url));

describe('validation against the official eCH schemas', () => {
  it('accepts a valid eCH-0020 move-out delivery', () => {
    expect(validateXml(fixture('move-out.xml'))).toMatchObject({ valid: true, root: { namespace: 'http://www.ech.ch/xmlns/eCH-0020/3', name: 'delivery' } });
  });

  it('names the element and line of a value outside its code list', () => {
    const bad = Buffer.from(fixture('move-out.xml').toString('utf8').replace('<eCH-0044:sex>2', '<eCH-0044:sex>5'));
    const result = validateXml(bad);
    expect(result.valid).toBe(false);
    if (result.valid) return;
    expect(result.wellFormed).toBe(true);
    expect(result.problems[0]!.message).toContain("The value '5' is not an element of the set");
    expect(result.problems[0]!.line).toBeGreaterThan(1);
  });

  it('tells malformed XML apart from schema errors', () => {
    const result = validateXml(Buffer.from('this is not XML'));
    expect(result).toMatchObject({ valid: false, wellFormed: false, root: null });
  });

  it('refuses a DOCTYPE before parsing (entity expansion)', () => {
    const result = validateXml(Buffer.from('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'));
    expect(result).toMatchObject({ valid: false, wellFormed: false });
  });

  it('validates the root of another standard against nothing it knows', () => {
    const result = validateXml(Buffer.from('<invoice xmlns="urn:example:other"><total>1</total></invoice>'));
    expect(result).toMatchObject({ valid: false, wellFormed: true, root: { namespace: 'urn:example:other', name: 'invoice' } });
  });

  it('reads the BFS country list both ways', () => {
    const list = countries();
    expect(list.byBfs.get(8100)?.iso2).toBe('CH');
    expect(list.byIso.get('DE')?.bfsId).toBe(8207);
    expect(list.byBfs.size).toBeGreaterThan(200);
  });
});
