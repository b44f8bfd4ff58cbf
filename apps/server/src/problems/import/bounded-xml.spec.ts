import { describe, expect, it } from '@jest/globals';
import { DomainError } from '#domain';
import { deflatedRepeat, zip } from '#test/support/zip-writer.js';
import { BoundedZip } from './bounded-zip.js';
import { attributeNamed, readXmlPart, type XmlBounds } from './bounded-xml.js';
import { refusal } from '#test/support/refusal.js';

const MiB = 1024 * 1024;
const BOUNDS: XmlBounds = { maxNodeChars: 1000, nodeTooLong: (chars) => new DomainError('IMPORT.CELL_TOO_LONG', 'too long', { chars }) };

async function parse(body: string | Buffer | ReturnType<typeof deflatedRepeat>, bounds: XmlBounds = BOUNDS): Promise<string[]> {
  // A generated body declares 1 KiB whatever it inflates to: only the parser's bounds stop it.
  const entry = Buffer.isBuffer(body) || typeof body === 'string' ? { name: 'x.xml', content: body } : { name: 'x.xml', deflated: body, declaredSize: 1024 };
  const archive = await BoundedZip.open(zip([entry]), { maxUncompressedBytes: 64 * MiB, maxEntryUncompressedBytes: 64 * MiB, maxRatio: 10_000 });
  const events: string[] = [];
  await readXmlPart(
    archive,
    'x.xml',
    {
      open: (name, attributes) => events.push(`<${name}${Object.entries(attributes).map(([key, value]) => ` ${key}=${value}`).join('')}>`),
      close: (name) => events.push(`</${name}>`),
      text: (text) => events.push(text),
    },
    bounds,
  );
  return events;
}


describe(readXmlPart.name, () => {
  it('reports elements by local name, their attributes and text, across chunks and multi-byte characters', async () => {
    // given a document larger than one inflated chunk
    const cells = '<x:c r="A1">整改 &amp; 销号</x:c>'.repeat(2000);

    // when
    const events = await parse(`<?xml version="1.0" encoding="UTF-8"?><x:sheet xmlns:x="urn:x">${cells}</x:sheet>`);

    // then
    expect(events.slice(0, 4)).toEqual(['<sheet xmlns:x=urn:x>', '<c r=A1>', '整改 & 销号', '</c>']);
    expect(events.filter((event) => event === '整改 & 销号')).toHaveLength(2000);
  });

  it('finds an attribute by local name whatever its prefix', () => {
    expect(attributeNamed({ name: 'S', 'ns7:id': 'rId3' }, 'id')).toBe('rId3');
    expect(attributeNamed({ name: 'S' }, 'id')).toBeUndefined();
  });

  describe('refuses, while reading, what could make the parser hold or do too much', () => {
    it.each([
      { name: 'a DOCTYPE, even a harmless one', xml: '<!DOCTYPE a><a/>', reason: 'doctype' },
      { name: 'entity definitions ("billion laughs")', xml: '<!DOCTYPE a [<!ENTITY x "xxxxxxxxxx"><!ENTITY y "&x;&x;&x;&x;&x;">]><a>&y;</a>', reason: 'doctype' },
      { name: 'nesting deeper than 64', xml: `${'<a>'.repeat(65)}${'</a>'.repeat(65)}`, reason: 'depth' },
      { name: 'an element with more than 256 attributes', xml: `<a ${Array.from({ length: 257 }, (_, i) => `a${i}="1"`).join(' ')}/>`, reason: 'attributes' },
      { name: 'an element name longer than 1,024 characters', xml: `<${'a'.repeat(20_000)}/>`, reason: 'name' },
    ])('$name → IMPORT.UNSAFE_XML ($reason)', async ({ xml, reason }) => {
      const error = await refusal(() => parse(xml));

      expect({ code: error.code, details: error.details }).toEqual({ code: 'IMPORT.UNSAFE_XML', details: { part: 'x.xml', reason } });
    });

    it('nesting of 64 is read', async () => {
      await expect(parse(`${'<a>'.repeat(64)}${'</a>'.repeat(64)}`)).resolves.toHaveLength(128);
    });

    it.each([
      ['a text', (body: string) => `<a>${body}</a>`],
      ['an attribute value', (body: string) => `<a v="${body}"/>`],
      ['a comment', (body: string) => `<a><!--${body}--></a>`],
      ['an entity name', (body: string) => `<a>&${body};</a>`],
    ])('%s of 1 GiB is refused once the parser holds more than the bound, within a chunk of it', async (_name, wrap) => {
      // given 1 GiB of one letter, inflated only as far as it is read
      const [open, close] = wrap('\u0000').split('\u0000');
      const body = deflatedRepeat([{ text: open }, { text: 'a'.repeat(MiB), times: 1024 }, { text: close }]);

      // when
      const error = await refusal(() => parse(body));

      // then
      expect(error.code).toBe('IMPORT.CELL_TOO_LONG');
      expect(error.details?.chars).toBeGreaterThan(1000);
      expect(error.details?.chars).toBeLessThanOrEqual(1000 + 64 * 1024);
    });
  });

  it.each([
    ['malformed XML', '<a><b></a>'],
    ['a truncated document', '<a><b>'],
    ['an entity that is not defined', '<a>&lol;</a>'],
    ['bytes that are not UTF-8', Buffer.from([0x3c, 0x61, 0x3e, 0xb1, 0xea, 0x3c, 0x2f, 0x61, 0x3e])],
  ])('%s → IMPORT.UNSUPPORTED_FILE', async (_name, xml) => {
    expect((await refusal(() => parse(xml))).code).toBe('IMPORT.UNSUPPORTED_FILE');
  });
});
