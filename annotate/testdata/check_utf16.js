#!/usr/bin/env node
// Check spans against their text by slicing JavaScript strings (UTF-16 code
// units), as a browser, doccano or Hypothesis would.
//
// Usage: node check_utf16.js FILE...
//
// Each FILE holds one JSON object, or JSON Lines of objects, of the form
//   {"text": "...", "spans": [{"start": 0, "end": 3, "quote": "..."}, ...]}
// with start and end counted in UTF-16 code units, half-open. For every span
// text.slice(start, end) must equal quote exactly. Prints one line per file
// and exits 0 when all spans match, 1 on the first mismatch (saying which),
// 2 on bad input. This is an independent consumer: it shares no code with
// Factmark.
'use strict';
const fs = require('fs');

function fail(code, msg) {
  process.stderr.write('check_utf16: ' + msg + '\n');
  process.exit(code);
}

function documents(path) {
  const data = fs.readFileSync(path, 'utf8');
  try {
    return [[0, JSON.parse(data)]];
  } catch (e) {
    // JSON Lines
  }
  const docs = [];
  data.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    try {
      docs.push([i + 1, JSON.parse(line)]);
    } catch (e) {
      fail(2, `${path} line ${i + 1}: invalid JSON: ${e.message}`);
    }
  });
  return docs;
}

function check(path) {
  let docs = 0, spans = 0;
  for (const [line, doc] of documents(path)) {
    const where = line ? `${path} line ${line}` : path;
    if (doc === null || typeof doc !== 'object' || typeof doc.text !== 'string' || !Array.isArray(doc.spans)) {
      fail(2, `${where}: want an object with a string "text" and a list "spans"`);
    }
    const text = doc.text;
    doc.spans.forEach((s, i) => {
      if (s === null || typeof s !== 'object' || !Number.isInteger(s.start) || !Number.isInteger(s.end) || typeof s.quote !== 'string') {
        fail(2, `${where}: spans[${i}]: want integer start and end and a string quote, got ${JSON.stringify(s)}`);
      }
      if (!(0 <= s.start && s.start <= s.end && s.end <= text.length)) {
        fail(1, `${where}: spans[${i}]: [${s.start}, ${s.end}) is not a range within the text's ${text.length} UTF-16 units (quote ${JSON.stringify(s.quote)})`);
      }
      const got = text.slice(s.start, s.end);
      if (got !== s.quote) {
        fail(1, `${where}: spans[${i}]: text.slice(${s.start}, ${s.end}) is ${JSON.stringify(got)}, but quote is ${JSON.stringify(s.quote)}`);
      }
      spans++;
    });
    docs++;
  }
  console.log(`check_utf16: ${path}: ${spans} spans in ${docs} documents match`);
}

if (process.argv.length < 3) fail(2, 'usage: node check_utf16.js FILE...');
for (const path of process.argv.slice(2)) {
  try {
    check(path);
  } catch (e) {
    fail(2, e.message);
  }
}
