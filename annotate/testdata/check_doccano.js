#!/usr/bin/env node
// Check a doccano export the way doccano and the browser read it: offsets are
// JavaScript string indices (UTF-16 code units).
//
// Usage: node check_doccano.js NATIVE DOCCANO
//
// NATIVE is the same documents as a Factmark dataset (JSON Lines, one
// factmark/v1 document per line) whose annotations carry their "quote";
// DOCCANO is the doccano JSONL export ({"text", "label": [[start, end, LABEL]]}).
// For every document the text must be the same, and for every span j,
// text.slice(start, end) must equal the quote of native annotation j (both
// lists are in the same order) and LABEL its label id in upper case. Prints
// one line and exits 0 when all match, 1 on the first mismatch, 2 on bad
// input. This is an independent consumer: it shares no code with Factmark.
'use strict';
const fs = require('fs');

function fail(code, msg) {
  process.stderr.write('check_doccano: ' + msg + '\n');
  process.exit(code);
}

function jsonLines(path) {
  return fs.readFileSync(path, 'utf8').split('\n').filter((l) => l.trim() !== '').map((l, i) => {
    try {
      return JSON.parse(l);
    } catch (e) {
      fail(2, `${path} line ${i + 1}: invalid JSON: ${e.message}`);
    }
  });
}

if (process.argv.length !== 4) fail(2, 'usage: node check_doccano.js NATIVE DOCCANO');
const [nativePath, path] = process.argv.slice(2);
const native = jsonLines(nativePath);
const recs = jsonLines(path);
if (recs.length !== native.length) fail(1, `${path}: ${recs.length} lines for ${native.length} documents`);
let spans = 0;
recs.forEach((rec, i) => {
  const doc = native[i];
  const where = `${path} line ${i + 1}`;
  if (typeof rec.text !== 'string' || !Array.isArray(rec.label)) fail(2, `${where}: want "text" and "label"`);
  if (rec.text !== doc.document.text) fail(1, `${where}: text differs from the document's`);
  if (rec.label.length !== doc.annotations.length) fail(1, `${where}: ${rec.label.length} spans for ${doc.annotations.length} annotations`);
  rec.label.forEach(([s, e, label], j) => {
    const a = doc.annotations[j];
    if (!Number.isInteger(s) || !Number.isInteger(e) || s < 0 || e > rec.text.length || s >= e) {
      fail(1, `${where}: label[${j}]: [${s}, ${e}) is not a range of the text's ${rec.text.length} UTF-16 units`);
    }
    const got = rec.text.slice(s, e);
    if (got !== a.quote) fail(1, `${where}: label[${j}]: text.slice(${s}, ${e}) is ${JSON.stringify(got)}, the annotation's quote ${JSON.stringify(a.quote)}`);
    const want = a.label.toUpperCase().replace(/[ \t.-]/g, '_');
    if (label !== want) fail(1, `${where}: label[${j}]: label ${JSON.stringify(label)}, want ${JSON.stringify(want)}`);
    spans++;
  });
});
console.log(`check_doccano: ${path}: ${spans} spans in ${recs.length} documents match`);
