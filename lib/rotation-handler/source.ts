import { createHash } from 'crypto';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { deflateRawSync } from 'zlib';

// The rotation function's code, packaged for every AWS target from one source
// (./index.ts): inline JavaScript for CloudFormation (aws-cdk), a zip file for Terraform
// (cdktf-aws). Target-neutral: only node built-ins. Not part of the jsii API.

let cachedSource: string | undefined;

/**
 * The rotation function's JavaScript. From the published package it is the compiled
 * `rotation-handler/index.js`; when this module runs from its TypeScript sources (tests, tsx) the
 * handler's TypeScript is transpiled with the `typescript` package those setups have.
 */
export function rotationHandlerSource(): string {
  if (cachedSource) return cachedSource;
  let js: string;
  if (__filename.endsWith('.js') && fs.existsSync(path.join(__dirname, 'index.js'))) {
    js = fs.readFileSync(path.join(__dirname, 'index.js'), 'utf8');
  } else {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const ts = require('typescript');
    js = ts.transpileModule(fs.readFileSync(path.join(__dirname, 'index.ts'), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
    }).outputText;
  }
  cachedSource = js.replace(/^\/\/# sourceMappingURL=.*$/gm, '').trimEnd() + '\n';
  return cachedSource;
}

/** The rotation function as a Lambda deployment package, written once per process. */
export interface RotationPackage {
  /** Absolute path of the zip file (in the OS temporary folder, named after its content). */
  readonly file: string;
  /** Hex SHA-256 of the JavaScript (stable across runs and machines). */
  readonly hash: string;
  /** Base64 SHA-256 of the zip (Terraform's `source_code_hash`). */
  readonly base64Sha256: string;
}

let cachedPackage: RotationPackage | undefined;

/**
 * A deterministic zip holding `index.js` (fixed timestamp and attributes): the same handler gives
 * the same bytes, so the synthesised `source_code_hash` and asset path never change by themselves.
 */
export function rotationHandlerPackage(): RotationPackage {
  if (cachedPackage && fs.existsSync(cachedPackage.file)) return cachedPackage;
  const js = Buffer.from(rotationHandlerSource(), 'utf8');
  const hash = createHash('sha256').update(js).digest('hex');
  const zip = zipOneFile('index.js', js);
  const dir = path.join(os.tmpdir(), `nhi-constructs-rotation-${hash.slice(0, 16)}`);
  const file = path.join(dir, 'rotation.zip');
  if (!fs.existsSync(file) || !fs.readFileSync(file).equals(zip)) {
    fs.mkdirSync(dir, { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, zip);
    fs.renameSync(tmp, file);
  }
  cachedPackage = { file, hash, base64Sha256: createHash('sha256').update(zip).digest('base64') };
  return cachedPackage;
}

let crcTable: number[] | undefined;

function crc32(data: Buffer): number {
  if (!crcTable) {
    crcTable = [];
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      crcTable.push(c >>> 0);
    }
  }
  let crc = 0xffffffff;
  for (const b of data) crc = crcTable[(crc ^ b) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** A zip archive (PKWARE APPNOTE 6.3) with one deflated file, dated 1980-01-01 00:00. */
export function zipOneFile(name: string, content: Buffer): Buffer {
  const fileName = Buffer.from(name, 'utf8');
  const deflated = deflateRawSync(content, { level: 9 });
  const crc = crc32(content);
  const DOS_DATE = (0 << 9) | (1 << 5) | 1; // 1980-01-01
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4); // version needed
  local.writeUInt16LE(0x0800, 6); // UTF-8 names
  local.writeUInt16LE(8, 8); // deflate
  local.writeUInt16LE(0, 10); // time
  local.writeUInt16LE(DOS_DATE, 12);
  local.writeUInt32LE(crc, 14);
  local.writeUInt32LE(deflated.length, 18);
  local.writeUInt32LE(content.length, 22);
  local.writeUInt16LE(fileName.length, 26);
  local.writeUInt16LE(0, 28);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE((3 << 8) | 20, 4); // made by: Unix, 2.0
  central.writeUInt16LE(20, 6);
  central.writeUInt16LE(0x0800, 8);
  central.writeUInt16LE(8, 10);
  central.writeUInt16LE(0, 12);
  central.writeUInt16LE(DOS_DATE, 14);
  central.writeUInt32LE(crc, 16);
  central.writeUInt32LE(deflated.length, 20);
  central.writeUInt32LE(content.length, 24);
  central.writeUInt16LE(fileName.length, 28);
  central.writeUInt16LE(0, 30); // extra
  central.writeUInt16LE(0, 32); // comment
  central.writeUInt16LE(0, 34); // disk
  central.writeUInt16LE(0, 36); // internal attributes
  central.writeUInt32LE(((0o100644 << 16) >>> 0), 38); // -rw-r--r--
  central.writeUInt32LE(0, 42); // offset of the local header
  const centralOffset = local.length + fileName.length + deflated.length;
  const centralSize = central.length + fileName.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  return Buffer.concat([local, fileName, deflated, central, fileName, end]);
}
