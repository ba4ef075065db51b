import * as fs from 'fs';
import { inflateRawSync } from 'zlib';
import { rotationHandlerPackage, rotationHandlerSource, zipOneFile } from '../../lib/rotation-handler/source';

/** Reads the one file of a zip through its central directory, as Lambda's unzip does. */
function unzipOne(zip: Buffer): { name: string; content: Buffer } {
  const end = zip.length - 22;
  expect(zip.readUInt32LE(end)).toBe(0x06054b50);
  const central = zip.readUInt32LE(end + 16);
  expect(zip.readUInt32LE(central)).toBe(0x02014b50);
  const nameLength = zip.readUInt16LE(central + 28);
  const name = zip.subarray(central + 46, central + 46 + nameLength).toString('utf8');
  const localOffset = zip.readUInt32LE(central + 42);
  expect(zip.readUInt32LE(localOffset)).toBe(0x04034b50);
  const size = zip.readUInt32LE(localOffset + 18);
  const start = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
  return { name, content: inflateRawSync(zip.subarray(start, start + size)) };
}

describe('rotation handler package (Lambda zip for Terraform)', () => {
  test('one index.js holding the handler source', () => {
    const pkg = rotationHandlerPackage();
    const { name, content } = unzipOne(fs.readFileSync(pkg.file));
    expect(name).toBe('index.js');
    expect(content.toString('utf8')).toBe(rotationHandlerSource());
  });

  test('deterministic: the same source gives the same bytes (stable source_code_hash)', () => {
    const a = zipOneFile('index.js', Buffer.from('exports.handler = 1;\n'));
    const b = zipOneFile('index.js', Buffer.from('exports.handler = 1;\n'));
    expect(a.equals(b)).toBe(true);
    expect(rotationHandlerPackage().base64Sha256).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  test('the CRC-32 in the headers is the content checksum (zip readers verify it)', () => {
    const zip = zipOneFile('index.js', Buffer.from('123456789'));
    expect(zip.readUInt32LE(14)).toBe(0xcbf43926); // CRC-32 check value of "123456789"
  });
});
