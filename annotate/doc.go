// Package annotate is Factmark's model of annotated text: documents, offsets
// in every unit, segmentation, labels, annotations, edits with undo, and the
// formats annotations are exchanged in. It is plain Go (no syscall/js) and
// runs the same in the browser (GOOS=js) and on the command line.
//
// # Why offsets are hard
//
// "Where does this span start?" has four different answers, depending on what
// is counted. Take this sentence and the span "12%":
//
//	Müller said 🇺🇦 aid rose 12%.
//
//	unit                          "12%" is   what counts it
//	UTF-8 bytes                   [31, 34)   Go strings, files on disk
//	UTF-16 code units             [26, 29)   JavaScript strings, the DOM, doccano
//	Unicode code points           [24, 27)   Python strings, brat, Label Studio, W3C
//	extended grapheme clusters    [23, 26)   people: what looks like one character
//
// Two things ahead of the span make the numbers differ. "ü" is one code point
// (U+00FC) but two bytes in UTF-8. The Ukrainian flag 🇺🇦 is two code points
// (the regional indicators U+1F1FA and U+1F1E6), each four bytes in UTF-8 and
// a surrogate pair (two units) in UTF-16, and together one grapheme cluster:
// one flag on screen. So the flag alone is 8 bytes, 4 UTF-16 units, 2 code
// points and 1 grapheme. Had the text come in decomposed (NFD: "u" followed
// by U+0308 COMBINING DIAERESIS), "ü" would be two code points and the span
// would be [25, 28) in code points, which is why documents are normalized to
// NFC once, at import, and never change afterwards.
//
// Tools that mix these units up shift every span after the first emoji, or
// cut a flag in half. Factmark stores every range in code points (the
// canonical unit), computes all offsets in Go from the document's own text,
// never splits a grapheme cluster, and writes the other units alongside so
// that any consumer can check its own: see Index.Convert and the native
// format below.
//
// # Documents and offsets
//
// FromText imports plain text into a Document (rejecting invalid UTF-8 and
// NUL, normalizing line breaks and to NFC, recording what it did, finding
// the title, headings and paragraphs). Document.Index returns an Index that
// converts positions between the four Units in O(log n) and reports, with an
// *OffsetError, a position that falls inside a code point or a grapheme
// cluster instead of rounding it silently. Index.Words, Index.Sentences and
// Index.Snap (which turns a raw mouse or keyboard selection into a tidy span)
// build on Unicode segmentation (UAX #29, via github.com/rivo/uniseg).
//
// # Labels, annotations and edits
//
// A Schema lists the Labels a span can carry, as data: an id, a name, a
// one-key shortcut, colours for light and dark pages, and a kind, entity or
// claim (DefaultSchema: person 1, place 2, figure 3, disputed claim 4). An
// Annotation is a labelled code-point range with a stable random id (NewID),
// creation and modification times, an optional note and, for claims, a
// fact-check Claim record. Spans may overlap and nest (a claim contains the
// persons and figures it mentions); two annotations with the same range and
// label may not coexist.
//
// A State holds a document, its schema and its annotations, and changes in
// exactly one way: State.Apply, which takes an Edit value (Add, Remove,
// Relabel, Resize, SetNote, SetClaim, or a Batch of them), validates it,
// applies it atomically, bumps State.Revision and returns the inverse edit.
// History builds undo and redo on those inverses; edits are plain values that
// survive JSON, so the undo history can be saved and restored. Views render
// from State.Overlapping, which stays fast with tens of thousands of spans.
//
// # The native format
//
// Encode writes a state as factmark/v1: one JSON object with the document
// (text included, with its SHA-256 and lengths in every unit), the label
// schema and the annotations, each with its range in code points, the same
// range in bytes, UTF-16 units and graphemes, its exact text and 32 code
// points of context on either side. Decode checks all of that and reports the
// first problem with its line and JSON path, for example
//
//	line 57: annotations[3].end: 120 is inside a grapheme cluster [118, 122)
//
// DatasetWriter and DatasetReader stream many documents as JSON Lines. The
// JSON Schema of the format is published in web/schema/factmark-v1.schema.json.
// The other formats (W3C Web Annotation, spaCy, doccano, Label Studio, brat,
// CoNLL, ClaimReview and more) are Codecs; see Codecs and Export.
//
// Build tag factmark_ui: the browser app's UI builds the package with it,
// which leaves out the article importers (ImportFile and the HTML, Markdown
// and encoding packages they need) and every codec (nothing is registered;
// Export and Import are left out, and with them archive/zip).
// BuiltinCodecs still describes the codecs; a worker built without the tag
// does the imports and exports.
package annotate
