package annotate

import "strings"

// CodecInfo describes a codec without its code: what a menu, a file picker
// or a help text needs to know about a format. Codec.Info gives the
// description of a registered codec; BuiltinCodecs describes the codecs this
// package registers, also in a program that leaves them out (see
// BuiltinCodecs).
type CodecInfo struct {
	// ID, Name, Extensions, MediaType, Unit, Offsets, Limits and
	// PerDocument are the Codec's fields of the same names.
	ID          string
	Name        string
	Extensions  []string
	MediaType   string
	Unit        Unit
	Offsets     string
	Limits      string
	PerDocument bool
	// Imports and Exports say whether the codec can read and write
	// documents (Codec.CanImport, Codec.CanExport).
	Imports, Exports bool
}

// Info returns the description of c.
func (c *Codec) Info() CodecInfo {
	return CodecInfo{ID: c.ID, Name: c.Name, Extensions: c.Extensions, MediaType: c.MediaType, Unit: c.Unit,
		Offsets: c.Offsets, Limits: c.Limits, PerDocument: c.PerDocument, Imports: c.CanImport(), Exports: c.CanExport()}
}

// BuiltinCodecs describes the codecs this package registers, in menu order:
// Factmark's own format, W3C Web Annotation, Label Studio, doccano,
// spaCy/Prodigy, brat, CoNLL, Hugging Face, check-worthy sentences,
// ClaimReview and the claims dataset.
//
// The table references none of the encoders and decoders, so a program that
// only needs the descriptions does not link them: the browser app's UI is
// built with the factmark_ui tag, under which the package registers no codec
// at all (Codecs is empty unless the program registers its own) and leaves
// every import and export to its worker, a program built without the tag.
// The slices are shared: do not modify them.
func BuiltinCodecs() []CodecInfo {
	return append([]CodecInfo(nil), builtinCodecs...)
}

// BuiltinCodec returns the description of the built-in codec with the given
// id (case-insensitive).
func BuiltinCodec(id string) (CodecInfo, bool) {
	for _, c := range builtinCodecs {
		if strings.EqualFold(c.ID, id) {
			return c, true
		}
	}
	return CodecInfo{}, false
}

// codecInfos describes the registered codecs, then the built-in ones that
// are not registered (all of them under the factmark_ui tag), in menu order.
func codecInfos() []CodecInfo {
	var out []CodecInfo
	seen := map[string]bool{}
	for _, c := range Codecs() {
		out = append(out, c.Info())
		seen[c.ID] = true
	}
	for _, c := range builtinCodecs {
		if !seen[c.ID] {
			out = append(out, c)
		}
	}
	return out
}

// builtinCodecs is the table of BuiltinCodecs; formats_builtin.go registers
// the codecs with these descriptions (and a test checks that they agree).
var builtinCodecs = []CodecInfo{
	{
		ID:         "factmark",
		Name:       "Factmark (factmark/v1 JSON)",
		Extensions: []string{".json", ".jsonl", ".factmark.json"},
		MediaType:  "application/json",
		Unit:       CodePoints,
		Offsets:    "code points, with the same ranges in UTF-8 bytes, UTF-16 code units and grapheme clusters",
		Limits:     "Nothing: the document, its schema and every annotation with its note and claim details.",
		Imports:    true, Exports: true,
	},
	{
		ID:         "w3c",
		Name:       "W3C Web Annotation (JSON-LD)",
		Extensions: []string{".w3c.jsonld", ".jsonld"},
		MediaType:  "application/ld+json",
		Unit:       CodePoints,
		Offsets:    "code points (TextPositionSelector), checked against the quote (TextQuoteSelector)",
		Limits:     "The document text is not included: importing needs the same text (open the document first, or put its .txt beside the file).",
		Imports:    true, Exports: true,
	},
	{
		ID:         "labelstudio",
		Name:       "Label Studio (tasks JSON + labeling config)",
		Extensions: []string{".labelstudio.json", ".json"},
		MediaType:  "application/json",
		Unit:       CodePoints,
		Offsets:    "code points",
		Limits:     "Claim details (verdict, evidence) and annotation times.",
		Imports:    true, Exports: true,
	},
	{
		ID:         "doccano",
		Name:       "doccano (JSONL)",
		Extensions: []string{".doccano.jsonl", ".jsonl"},
		MediaType:  "application/jsonl",
		Unit:       UTF16,
		Offsets:    "UTF-16 code units (JavaScript string indices)",
		Limits:     "Notes, claim details, annotation ids and times; overlapping spans survive only in projects that allow overlap.",
		Imports:    true, Exports: true,
	},
	{
		ID:         "spacy",
		Name:       "spaCy / Prodigy (JSONL)",
		Extensions: []string{".spacy.jsonl", ".prodigy.jsonl", ".jsonl"},
		MediaType:  "application/jsonl",
		Unit:       CodePoints,
		Offsets:    "code points; token_end inclusive",
		Limits:     "Notes, claim details (verdict, evidence), annotation ids and times, and spans that do not line up with the word tokens.",
		Imports:    true, Exports: true,
	},
	{
		ID:          "brat",
		Name:        "brat standoff (.txt + .ann, zip for several)",
		Extensions:  []string{".ann", ".brat.zip", ".zip"},
		MediaType:   "application/zip",
		Unit:        CodePoints,
		Offsets:     "code points",
		Limits:      "Claim details, annotation ids and times; line breaks and tabs inside notes.",
		PerDocument: true,
		Imports:     true, Exports: true,
	},
	{
		ID:         "conll",
		Name:       "CoNLL-2003 IOB2 (text)",
		Extensions: []string{".conll", ".iob", ".iob2", ".conll.txt"},
		MediaType:  "text/plain; charset=utf-8",
		Offsets:    "tokens (no character offsets)",
		Limits:     "Character offsets and whitespace, overlapping and nested entities (one tag per token), spans that split a token, notes and claims.",
		Exports:    true,
	},
	{
		ID:         "hf",
		Name:       "Hugging Face token classification (JSONL + labels.json)",
		Extensions: []string{".hf.jsonl", ".jsonl"},
		MediaType:  "application/jsonl",
		Offsets:    "tokens (no character offsets)",
		Limits:     "Character offsets and whitespace, overlapping and nested entities (one tag per token), spans that split a token, notes and claims.",
		Exports:    true,
	},
	{
		ID:         "checkworthy",
		Name:       "Check-worthy sentences (JSONL, 0/1 per sentence)",
		Extensions: []string{".checkworthy.jsonl", ".jsonl"},
		MediaType:  "application/jsonl",
		Unit:       CodePoints,
		Offsets:    "code points (sentence ranges)",
		Limits:     "Entities, the exact extent of claims (only the sentences they touch), claim details and notes.",
		Exports:    true,
	},
	{
		ID:         "claimreview",
		Name:       "schema.org ClaimReview (JSON-LD)",
		Extensions: []string{".claimreview.jsonld", ".jsonld"},
		MediaType:  "application/ld+json",
		Offsets:    "none: one review per claim (each also names its span in code points)",
		Limits:     "Only claims with a verdict, one review each; entity spans, notes and claims without a verdict are left out.",
		Exports:    true,
	},
	{
		ID:         "claims",
		Name:       "Claims dataset (JSONL)",
		Extensions: []string{".claims.jsonl", ".jsonl"},
		MediaType:  "application/jsonl",
		Unit:       CodePoints,
		Offsets:    "code points and UTF-16 code units (both given)",
		Limits:     "Claim spans only, one record each; entity spans are left out except as claimant names.",
		Exports:    true,
	},
}
