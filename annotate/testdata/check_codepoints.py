#!/usr/bin/env python3
"""Check spans against their text by slicing Python strings (code points).

Usage: check_codepoints.py FILE...

Each FILE holds one JSON object, or JSON Lines of objects, of the form
    {"text": "...", "spans": [{"start": 0, "end": 3, "quote": "..."}, ...]}
with start and end counted in Unicode code points, half-open. For every span
text[start:end] must equal quote exactly. Prints one line per file and exits
0 when all spans match, 1 on the first mismatch (saying which), 2 on bad input.
This is an independent consumer: it shares no code with Factmark.
"""
import json
import sys


def fail(code, msg):
    print("check_codepoints: " + msg, file=sys.stderr)
    sys.exit(code)


def documents(path):
    with open(path, encoding="utf-8") as f:
        data = f.read()
    try:
        yield 0, json.loads(data)
        return
    except json.JSONDecodeError:
        pass
    for n, line in enumerate(data.splitlines(), 1):
        if line.strip():
            try:
                yield n, json.loads(line)
            except json.JSONDecodeError as e:
                fail(2, "%s line %d: invalid JSON: %s" % (path, n, e))


def check(path):
    docs = spans = 0
    for line, doc in documents(path):
        where = "%s line %d" % (path, line) if line else path
        if not isinstance(doc, dict) or not isinstance(doc.get("text"), str) or not isinstance(doc.get("spans"), list):
            fail(2, "%s: want an object with a string \"text\" and a list \"spans\"" % where)
        text = doc["text"]
        for i, s in enumerate(doc["spans"]):
            if not isinstance(s, dict) or not all(isinstance(s.get(k), int) and not isinstance(s.get(k), bool) for k in ("start", "end")) \
                    or not isinstance(s.get("quote"), str):
                fail(2, "%s: spans[%d]: want integer start and end and a string quote, got %r" % (where, i, s))
            start, end, quote = s["start"], s["end"], s["quote"]
            if not 0 <= start <= end <= len(text):
                fail(1, "%s: spans[%d]: [%d, %d) is not a range within the text's %d code points (quote %r)"
                     % (where, i, start, end, len(text), quote))
            got = text[start:end]
            if got != quote:
                fail(1, "%s: spans[%d]: text[%d:%d] is %r, but quote is %r" % (where, i, start, end, got, quote))
            spans += 1
        docs += 1
    print("check_codepoints: %s: %d spans in %d documents match" % (path, spans, docs))


def main():
    if len(sys.argv) < 2:
        fail(2, "usage: check_codepoints.py FILE...")
    for path in sys.argv[1:]:
        try:
            check(path)
        except OSError as e:
            fail(2, str(e))


if __name__ == "__main__":
    main()
