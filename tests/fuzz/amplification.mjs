// Writes the amplification seeds of the xlsx fuzz corpus (issue 7 #3):
// small files that once asked for far more memory than their size. Each is
// under the fuzzer's 8 KB -max_len. Run from the repository root:
//   node tests/fuzz/amplification.mjs
import { writeFileSync } from 'node:fs';
import { xlsx, zip } from '../lib/xlsx.mjs';

const dir = 'tests/fuzz/corpus/fuzz_xlsx';
const ws = (body) => '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">' +
  `<sheetData>${body}</sheetData></worksheet>`;
const rows = (n, cells) => Array.from({ length: n }, (_, i) => `<row r="${i + 1}">${cells}</row>`).join('');

const seeds = {
  // one 4 KiB shared string used by 10,000 cells
  amp_shared_refs: xlsx([], {
    'xl/sharedStrings.xml': `<sst><si><t>${'干部'.repeat(680)}</t></si></sst>`,
    'xl/worksheets/sheet1.xml': ws(rows(500, '<c t="s"><v>0</v></c>'.repeat(20))),
  }),
  // more shared strings than the fuzz limits allow cells, the last one used
  amp_many_shared: xlsx([], {
    'xl/sharedStrings.xml': `<sst>${Array.from({ length: 20001 }, () => "<si><t>x</t></si>").join('')}</sst>`,
    'xl/worksheets/sheet1.xml': ws('<row r="1"><c t="s"><v>20000</v></c></row>'),
  }),
  // the largest dimension, cells at opposite corners
  amp_sparse: xlsx([], {
    'xl/worksheets/sheet1.xml': '<worksheet><dimension ref="A1:XFD1048576"/><sheetData>' +
      '<row r="1"><c r="A1"><v>1</v></c></row><row r="2000"><c r="BL2000"><v>2</v></c></row></sheetData></worksheet>',
  }),
  // deep nesting (expat keeps every open element)
  amp_deep: xlsx([], { 'xl/worksheets/sheet1.xml': ws('<a>'.repeat(5000) + '</a>'.repeat(5000)) }),
  // one start tag of 1 MiB (expat holds it whole)
  amp_attr: xlsx([], { 'xl/worksheets/sheet1.xml': ws(`<row r="1"><c r="A1" x="${'x'.repeat(1 << 20)}"><v>1</v></c></row>`) }),
};

// a central directory end claiming 65,535 entries, and a zip64 end claiming 2^40
const small = zip([{ name: 'xl/workbook.xml', data: '<workbook/>' }]);
const many = Buffer.from(small);
many.writeUInt16LE(0xffff, many.length - 22 + 8);
many.writeUInt16LE(0xffff, many.length - 22 + 10);
seeds.amp_eocd_entries = many;
const eocd = small.subarray(small.length - 22);
const body = small.subarray(0, small.length - 22);
const e64 = Buffer.alloc(56);
e64.writeUInt32LE(0x06064b50, 0);
e64.writeBigUInt64LE(44n, 4);
e64.writeBigUInt64LE(1n << 40n, 24);
e64.writeBigUInt64LE(1n << 40n, 32);
e64.writeBigUInt64LE(BigInt(eocd.readUInt32LE(12)), 40);
e64.writeBigUInt64LE(BigInt(eocd.readUInt32LE(16)), 48);
const loc = Buffer.alloc(20);
loc.writeUInt32LE(0x07064b50, 0);
loc.writeBigUInt64LE(BigInt(body.length), 8);
loc.writeUInt32LE(1, 16);
const end = Buffer.from(eocd);
end.writeUInt16LE(0xffff, 8);
end.writeUInt16LE(0xffff, 10);
seeds.amp_zip64_entries = Buffer.concat([body, e64, loc, end]);

for (const [name, data] of Object.entries(seeds)) {
  if (data.length > 8192) throw new Error(`${name}: ${data.length} bytes, over the fuzzer's -max_len`);
  writeFileSync(`${dir}/${name}`, data);
  console.log(name, data.length);
}
