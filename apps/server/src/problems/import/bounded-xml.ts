import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';
import { DomainError } from '#domain';
import type { BoundedZip } from './bounded-zip.js';
import { MAX_XML_ATTRIBUTES, MAX_XML_DEPTH, MAX_XML_NAME_CHARS, unreadableWorkbook, unsafeXml } from './import-limits.js';

/** What a part's reader hears: elements by local name (any prefix dropped), and character data. */
export interface XmlHandlers {
  open(name: string, attributes: Readonly<Record<string, string>>): void;
  close(name: string): void;
  text(text: string): void;
}

export interface XmlBounds {
  /** The most characters one node (a text, an attribute value, a comment) may hold while it is being read. */
  maxNodeChars: number;
  /** The refusal when a node is longer. */
  nodeTooLong(chars: number): DomainError;
}

/**
 * saxes holds the node it is in the middle of in these fields until the node ends (a 1 GiB cell would be one
 * 1 GiB string); it has no hook for that, so they are read after every chunk to bound them.
 */
interface PendingNode {
  text: string;
  name: string;
  entity: string;
  piTarget: string;
}

/**
 * Streams one XML part of a workbook through a SAX parser, never building the document: each inflated chunk is
 * decoded and parsed before the next is inflated. Refused while reading: a DOCTYPE (the only way to entity
 * expansion; saxes expands no custom entity anyway), nesting deeper than MAX_XML_DEPTH, an element with more than
 * MAX_XML_ATTRIBUTES attributes, and any node longer than the bounds allow.
 */
export async function readXmlPart(zip: BoundedZip, part: string, handlers: XmlHandlers, bounds: XmlBounds): Promise<void> {
  const parser = new SaxesParser();
  const pending = parser as unknown as PendingNode;
  if (!(['text', 'name', 'entity', 'piTarget'] as const).every((field) => typeof pending[field] === 'string')) {
    throw new Error('saxes no longer keeps its pending node in text/name/entity/piTarget: the import cannot bound it');
  }
  let depth = 0;
  let attributes = 0;
  parser.on('doctype', () => {
    throw unsafeXml(part, 'doctype');
  });
  parser.on('opentagstart', () => {
    attributes = 0;
  });
  parser.on('attribute', () => {
    attributes += 1;
    if (attributes > MAX_XML_ATTRIBUTES) throw unsafeXml(part, 'attributes');
  });
  parser.on('opentag', (tag) => {
    depth += 1;
    if (depth > MAX_XML_DEPTH) throw unsafeXml(part, 'depth');
    handlers.open(localName(tag.name), tag.attributes as Record<string, string>);
  });
  parser.on('closetag', (tag) => {
    depth -= 1;
    handlers.close(localName(tag.name));
  });
  parser.on('text', (text) => handlers.text(text));

  const decoder = new TextDecoder('utf-8', { fatal: true });
  const feed = (text: string) => {
    try {
      parser.write(text);
    } catch (error) {
      if (error instanceof DomainError) throw error;
      throw unreadableWorkbook(`its part ${part} is not well-formed XML (${(error as Error).message})`);
    }
    const chars = pending.text.length + pending.entity.length;
    if (chars > bounds.maxNodeChars) throw bounds.nodeTooLong(chars);
    if (pending.name.length > MAX_XML_NAME_CHARS || pending.piTarget.length > MAX_XML_NAME_CHARS) throw unsafeXml(part, 'name');
  };
  await zip.read(part, (chunk) => feed(decode(decoder, chunk, part, true)));
  feed(decode(decoder, new Uint8Array(0), part, false));
  try {
    parser.close();
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unreadableWorkbook(`its part ${part} is not well-formed XML (${(error as Error).message})`);
  }
}

function decode(decoder: TextDecoder, chunk: Uint8Array, part: string, stream: boolean): string {
  try {
    return decoder.decode(chunk, { stream });
  } catch {
    throw unreadableWorkbook(`its part ${part} is not UTF-8`);
  }
}

function localName(name: string): string {
  const colon = name.indexOf(':');
  return colon === -1 ? name : name.slice(colon + 1);
}

/** An attribute by local name, whatever its prefix (`r:id` is written with other prefixes too). */
export function attributeNamed(attributes: Readonly<Record<string, string>>, local: string): string | undefined {
  if (local in attributes) return attributes[local];
  const key = Object.keys(attributes).find((name) => localName(name) === local);
  return key === undefined ? undefined : attributes[key];
}
