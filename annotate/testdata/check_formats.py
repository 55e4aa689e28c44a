#!/usr/bin/env python3
"""Check Factmark's exports the way their consumers read them (Python str
slicing: code points).

Usage: check_formats.py NATIVE FORMAT FILE [SIDECAR]

NATIVE is the same documents as a Factmark dataset (JSON Lines, one
factmark/v1 document per line); each of its annotations has "label",
"start", "end" (code points) and "quote". FORMAT and FILE are one of

  spacy FILE.jsonl        tokens slice to their text, "ws" says whether
                          whitespace follows, spans start and end on their
                          tokens (token_end inclusive) and cover exactly the
                          native annotations, with the same text
  labelstudio FILE.json CONFIG.xml
                          data.text[start:end] == value.text == the native
                          quote of the region's id; from_name, to_name and
                          labels match the labeling config
  brat FILE.zip           for every document, .txt is the text, each T line's
                          fragments slice to its text column (joined by a
                          space), none crosses a line break, its type is in
                          annotation.conf, and the spans are the native ones
  conll FILE              one "token TAG" per line, -DOCSTART- per document,
                          valid IOB2 (every I-X follows B-X or I-X)
  hf FILE.jsonl labels.json
                          tokens and ner_tags agree in length, ids name tags
                          of labels.json, tags are valid IOB2

Prints one line and exits 0 when everything matches, 1 on the first
mismatch (saying which), 2 on bad input. This is an independent consumer: it
shares no code with Factmark.
"""
import json
import sys
import xml.etree.ElementTree as ET
import zipfile


def fail(code, msg):
    print("check_formats: " + msg, file=sys.stderr)
    sys.exit(code)


def json_lines(path):
    out = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if line.strip():
                try:
                    out.append(json.loads(line))
                except json.JSONDecodeError as e:
                    fail(2, "%s line %d: invalid JSON: %s" % (path, n, e))
    return out


def native_docs(path):
    docs = json_lines(path)
    for d in docs:
        if d.get("format") != "factmark/v1":
            fail(2, "%s: not a factmark/v1 dataset" % path)
    return docs


def upper(label_id):
    return "".join("_" if c in " \t-." else c for c in label_id.upper())


def spans_of(doc):
    """(label id, start, end) -> quote of the native annotations."""
    return {(a["label"], a["start"], a["end"]): a["quote"] for a in doc["annotations"]}


def check_spacy(native, path):
    recs = json_lines(path)
    if len(recs) != len(native):
        fail(1, "%s: %d records for %d documents" % (path, len(recs), len(native)))
    n = 0
    for i, (rec, doc) in enumerate(zip(recs, native), 1):
        text = rec["text"]
        if text != doc["document"]["text"]:
            fail(1, "%s line %d: text differs from the document's" % (path, i))
        tokens = rec["tokens"]
        prev = 0
        for k, t in enumerate(tokens):
            if t["id"] != k:
                fail(1, "%s line %d: token %d has id %r" % (path, i, k, t["id"]))
            if text[t["start"]:t["end"]] != t["text"]:
                fail(1, "%s line %d: token %d: text[%d:%d] is %r, token text %r" % (path, i, k, t["start"], t["end"], text[t["start"]:t["end"]], t["text"]))
            if t["start"] < prev or t["end"] <= t["start"]:
                fail(1, "%s line %d: token %d [%d, %d) is out of order or empty" % (path, i, k, t["start"], t["end"]))
            if t["text"].strip() == "" and t["text"] != "":
                fail(1, "%s line %d: token %d is whitespace %r" % (path, i, k, t["text"]))
            follows = t["end"] < len(text) and text[t["end"]].isspace()
            if t["ws"] != follows:
                fail(1, "%s line %d: token %d %r: ws is %r but the next character is %r" % (path, i, k, t["text"], t["ws"], text[t["end"]:t["end"] + 1]))
            prev = t["end"]
        want = {(upper(l), s, e): q for (l, s, e), q in spans_of(doc).items()}
        got = {}
        for j, sp in enumerate(rec["spans"]):
            ts, te = sp["token_start"], sp["token_end"]
            if not (0 <= ts <= te < len(tokens)):
                fail(1, "%s line %d: spans[%d]: tokens %d..%d out of range" % (path, i, j, ts, te))
            if tokens[ts]["start"] != sp["start"] or tokens[te]["end"] != sp["end"]:
                fail(1, "%s line %d: spans[%d] [%d, %d) does not start and end on tokens %d..%d" % (path, i, j, sp["start"], sp["end"], ts, te))
            got[(sp["label"], sp["start"], sp["end"])] = text[sp["start"]:sp["end"]]
            n += 1
        if got != want:
            fail(1, "%s line %d: spans differ from the document's annotations:\n got %r\nwant %r" % (path, i, sorted(got.items()), sorted(want.items())))
    return n


def check_labelstudio(native, path, config):
    root = ET.parse(config).getroot()
    labels = root.find("Labels")
    textTag = root.find("Text")
    if labels is None or textTag is None:
        fail(1, "%s: no <Labels> or <Text>" % config)
    names = {l.get("value") for l in labels.findall("Label")}
    with open(path, encoding="utf-8") as f:
        tasks = json.load(f)
    if len(tasks) != len(native):
        fail(1, "%s: %d tasks for %d documents" % (path, len(tasks), len(native)))
    n = 0
    for i, (task, doc) in enumerate(zip(tasks, native)):
        text = task["data"][textTag.get("value").lstrip("$")]
        if text != doc["document"]["text"]:
            fail(1, "%s: [%d]: data.text differs from the document's" % (path, i))
        quotes = {a["id"]: a["quote"] for a in doc["annotations"]}
        results = task["annotations"][0]["result"]
        if len(results) != len(quotes):
            fail(1, "%s: [%d]: %d results for %d annotations" % (path, i, len(results), len(quotes)))
        for j, r in enumerate(results):
            where = "%s: [%d].annotations[0].result[%d]" % (path, i, j)
            if r["from_name"] != labels.get("name") or r["to_name"] != labels.get("toName") or r["to_name"] != textTag.get("name"):
                fail(1, "%s: from_name %r / to_name %r do not match the config" % (where, r["from_name"], r["to_name"]))
            v = r["value"]
            got = text[v["start"]:v["end"]]
            if got != v["text"] or got != quotes.get(r["id"]):
                fail(1, "%s: text[%d:%d] is %r, value.text %r, native quote %r" % (where, v["start"], v["end"], got, v["text"], quotes.get(r["id"])))
            for l in v["labels"]:
                if l not in names:
                    fail(1, "%s: label %r is not in the config (%r)" % (where, l, sorted(names)))
            n += 1
    return n


def check_brat(native, path):
    z = zipfile.ZipFile(path)
    conf = z.read("annotation.conf").decode("utf-8")
    types = set()
    section = None
    for line in conf.splitlines():
        if line.startswith("["):
            section = line.strip()
        elif section == "[entities]" and line.strip() and not line.startswith("#"):
            types.add(line.strip())
    n = 0
    for doc in native:
        stem = doc["document"]["id"]
        text = z.read(stem + ".txt").decode("utf-8")
        if text != doc["document"]["text"] or "\r" in text:
            fail(1, "%s: %s.txt is not the document text (LF only)" % (path, stem))
        want = sorted(spans_of(doc).values())
        got = []
        for ln, line in enumerate(z.read(stem + ".ann").decode("utf-8").splitlines(), 1):
            where = "%s: %s.ann line %d" % (path, stem, ln)
            if line.startswith("#"):
                if len(line.split("\t")) != 3:
                    fail(1, "%s: note is not three tab-separated fields" % where)
                continue
            tid, mid, col = line.split("\t")
            typ, offs = mid.split(" ", 1)
            if typ not in types:
                fail(1, "%s: type %r is not in annotation.conf" % (where, typ))
            frags = [tuple(int(x) for x in f.split(" ")) for f in offs.split(";")]
            parts = [text[s:e] for s, e in frags]
            if any("\n" in p for p in parts):
                fail(1, "%s: a fragment crosses a line break" % where)
            if " ".join(parts) != col:
                fail(1, "%s: fragments give %r, text column %r" % (where, " ".join(parts), col))
            got.append(text[frags[0][0]:frags[-1][1]])
            n += 1
        if sorted(got) != want:
            fail(1, "%s: %s.ann spans differ from the document's:\n got %r\nwant %r" % (path, stem, sorted(got), want))
    return n


def check_iob(tags, where):
    prev = "O"
    for k, tag in enumerate(tags):
        if tag != "O" and not (tag.startswith("B-") or tag.startswith("I-")):
            fail(1, "%s: token %d: tag %r is not IOB2" % (where, k, tag))
        if tag.startswith("I-") and prev[2:] != tag[2:]:
            fail(1, "%s: token %d: %s follows %s" % (where, k, tag, prev))
        prev = tag


def check_conll(native, path):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    docs, sent, n = 0, [], 0
    for ln, line in enumerate(lines, 1):
        if line == "-DOCSTART- -X- -X- O":
            docs += 1
            continue
        if line == "":
            check_iob(sent, "%s line %d" % (path, ln))
            sent = []
            continue
        parts = line.split(" ")
        if len(parts) != 2 or not parts[0]:
            fail(1, "%s line %d: want \"token TAG\", got %r" % (path, ln, line))
        sent.append(parts[1])
        n += 1
    if docs != len(native):
        fail(1, "%s: %d -DOCSTART- lines for %d documents" % (path, docs, len(native)))
    return n


def check_hf(native, path, labels_path):
    with open(labels_path, encoding="utf-8") as f:
        names = json.load(f)
    if names[0] != "O":
        fail(1, "%s: first tag is %r, want O" % (labels_path, names[0]))
    n = 0
    for i, rec in enumerate(json_lines(path), 1):
        if len(rec["tokens"]) != len(rec["ner_tags"]):
            fail(1, "%s line %d: %d tokens, %d tags" % (path, i, len(rec["tokens"]), len(rec["ner_tags"])))
        for t in rec["ner_tags"]:
            if not 0 <= t < len(names):
                fail(1, "%s line %d: tag id %d not in labels.json" % (path, i, t))
        check_iob([names[t] for t in rec["ner_tags"]], "%s line %d" % (path, i))
        n += len(rec["tokens"])
    return n


def main():
    if len(sys.argv) < 4:
        fail(2, "usage: check_formats.py NATIVE FORMAT FILE [SIDECAR]")
    native = native_docs(sys.argv[1])
    fmt, path = sys.argv[2], sys.argv[3]
    try:
        if fmt == "spacy":
            n = check_spacy(native, path)
        elif fmt == "labelstudio":
            n = check_labelstudio(native, path, sys.argv[4])
        elif fmt == "brat":
            n = check_brat(native, path)
        elif fmt == "conll":
            n = check_conll(native, path)
        elif fmt == "hf":
            n = check_hf(native, path, sys.argv[4])
        else:
            fail(2, "unknown format %r" % fmt)
    except (KeyError, ValueError, TypeError, IndexError, OSError) as e:
        fail(2, "%s: %s: %r" % (path, fmt, e))
    print("check_formats: %s: %s: %d items in %d documents match" % (path, fmt, n, len(native)))


if __name__ == "__main__":
    main()
