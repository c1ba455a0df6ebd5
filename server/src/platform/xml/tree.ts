/**
 * The tree fast-xml-parser makes of a document (with attributes as '@_name' and text as '#text'),
 * and the few ways the readers of bank files and eCH messages walk it. Pure, no I/O.
 */

/** What the parser makes of an element: its text, or its children ('@_' attributes, '#text'), or repeats. */
export type XmlValue = string | XmlNode | XmlValue[];
export interface XmlNode {
  [name: string]: XmlValue;
}

export function asList(value: XmlValue): XmlValue[] {
  return Array.isArray(value) ? value : [value];
}

export function isNode(value: XmlValue | undefined): value is XmlNode {
  return typeof value === 'object' && !Array.isArray(value);
}

/** Child elements of an element: attributes, text and the XML declaration are not elements. */
export function elementNames(node: XmlNode): string[] {
  return Object.keys(node).filter((name) => !name.startsWith('@_') && !name.startsWith('#') && !name.startsWith('?'));
}

/** All occurrences of a child element; an empty element (parsed as '') is a node without children. */
export function children(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  if (value === undefined) return [];
  return asList(value).map((item) => (isNode(item) ? item : {}));
}
