//go:build !factmark_ui

package annotate

import (
	"bytes"
	"strings"
)

// The codecs of this package, registered with their descriptions from the
// table of formats_table.go. Under the factmark_ui tag (the browser app's
// UI) this file is left out, and with it every reference to the encoders and
// decoders: the linker drops them, and the UI hands imports and exports to
// its worker.

func init() {
	for _, c := range []*Codec{
		builtin("factmark", &Codec{
			NewEncoder: newNativeEncoder,
			NewDecoder: newNativeDecoder,
			Losses:     func(*State) []string { return nil },
			Sniff: func(name string, head []byte) bool {
				return bytes.Contains(head, []byte(`"factmark/v1"`))
			},
		}),
		builtin("w3c", &Codec{
			NewEncoder: func(sink FileSink, opts ExportOptions) (Encoder, error) {
				return &w3cEncoder{sink: sink, opts: opts, names: map[string]bool{}}, nil
			},
			NewDecoder: newW3CDecoder,
			Losses:     func(*State) []string { return nil },
			Sniff: func(name string, head []byte) bool {
				if bytes.Contains(head, []byte("www.w3.org/ns/anno.jsonld")) {
					return true
				}
				h, ok := w3cSniffKeys(head)
				return ok && h["target"] && (h["body"] || h["bodyValue"] || h["motivation"])
			},
		}),
		builtin("labelstudio", &Codec{
			NewEncoder: newLabelStudioEncoder,
			NewDecoder: newLabelStudioDecoder,
			Losses:     func(s *State) []string { return commonLosses(s, lossClaims) },
			Sniff: func(name string, head []byte) bool {
				h, ok := sniffJSON(head)
				if !ok || h.any("@context", "format", "@type") {
					return false
				}
				// Tasks carry data (and annotations or predictions); a
				// JSON_MIN export is an array of flat records with a text.
				return h.any("data", "annotations", "predictions") || (h.array && h.keys["text"])
			},
		}),
		builtin("doccano", &Codec{
			NewEncoder: func(sink FileSink, opts ExportOptions) (Encoder, error) {
				return &StreamEncoder{Sink: sink, Name: opts.base() + ".doccano.jsonl", Write: writeDoccano}, nil
			},
			NewDecoder: newDoccanoDecoder,
			Losses:     doccanoLosses,
			Sniff: func(name string, head []byte) bool {
				h, ok := sniffJSON(head)
				return ok && !h.array && h.keys["text"] && h.any("label", "labels", "entities") && !h.any("tokens", "spans", "data", "format", "sentence", "annotations")
			},
		}),
		builtin("spacy", &Codec{
			NewEncoder: func(sink FileSink, opts ExportOptions) (Encoder, error) {
				return &StreamEncoder{Sink: sink, Name: opts.base() + ".spacy.jsonl", Write: writeSpacy}, nil
			},
			NewDecoder: newSpacyDecoder,
			Losses:     spacyLosses,
			Sniff: func(name string, head []byte) bool {
				h, ok := sniffJSON(head)
				return ok && !h.array && h.keys["text"] && h.any("tokens", "spans", "ents") && !h.any("label", "labels", "data", "format", "ner_tags", "sentence")
			},
		}),
		builtin("brat", &Codec{
			NewEncoder: newBratEncoder,
			NewDecoder: newBratDecoder,
			Losses:     bratLosses,
			Sniff: func(name string, head []byte) bool {
				n := strings.ToLower(name)
				if strings.HasSuffix(n, ".ann") {
					return true
				}
				return bytes.HasPrefix(head, []byte("PK\x03\x04")) && (bytes.Contains(head, []byte(".ann")) || bytes.Contains(head, []byte(".txt")))
			},
		}),
		builtin("conll", &Codec{
			NewEncoder: func(sink FileSink, opts ExportOptions) (Encoder, error) {
				return &StreamEncoder{Sink: sink, Name: opts.base() + ".conll", Write: writeCoNLL}, nil
			},
			Losses: func(s *State) []string { return iobLosses(s) },
		}),
		builtin("hf", &Codec{
			NewEncoder: newHFEncoder,
			Losses:     func(s *State) []string { return iobLosses(s) },
		}),
		builtin("checkworthy", &Codec{
			NewEncoder: func(sink FileSink, opts ExportOptions) (Encoder, error) {
				return &StreamEncoder{Sink: sink, Name: opts.base() + ".checkworthy.jsonl", Write: writeCheckWorthy}, nil
			},
			Losses: checkWorthyLosses,
		}),
		builtin("claimreview", &Codec{
			NewEncoder: func(sink FileSink, opts ExportOptions) (Encoder, error) {
				return &claimReviewEncoder{sink: sink, name: opts.base() + ".claimreview.jsonld"}, nil
			},
			Losses: claimReviewLosses,
		}),
		builtin("claims", &Codec{
			NewEncoder: func(sink FileSink, opts ExportOptions) (Encoder, error) {
				return &StreamEncoder{Sink: sink, Name: opts.base() + ".claims.jsonl", Write: WriteClaims}, nil
			},
			Losses: claimsLosses,
		}),
	} {
		Register(c)
	}
}

// builtin gives c the description of the built-in codec id.
func builtin(id string, c *Codec) *Codec {
	info, ok := BuiltinCodec(id)
	if !ok {
		panic("annotate: no built-in codec " + id)
	}
	c.ID, c.Name, c.Extensions, c.MediaType = info.ID, info.Name, info.Extensions, info.MediaType
	c.Unit, c.Offsets, c.Limits, c.PerDocument = info.Unit, info.Offsets, info.Limits, info.PerDocument
	return c
}
