//go:build !factmark_ui

package annotate

import (
	"bytes"
	"errors"
	"strings"
	"sync"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// markdown is the Markdown parser: CommonMark with GitHub's tables and
// strikethrough, made on first use. Only its parser is used; nothing is
// rendered.
var markdown = sync.OnceValue(func() goldmark.Markdown {
	return goldmark.New(goldmark.WithExtensions(extension.Table, extension.Strikethrough))
})

// FromMarkdown imports a Markdown article as a Document. The file is parsed
// with goldmark (CommonMark plus GitHub tables and strikethrough) and its
// syntax tree turned into blocks: headings become headings, and paragraphs,
// list items, block quotes, code blocks and table rows (cells separated by a
// tab) become paragraphs. Inline markup is stripped to its text: emphasis,
// links and code spans keep their text, backslash escapes and entities are
// resolved, images and inline HTML tags give nothing, and the content of
// inline <script>, <style> and similar elements is dropped. HTML blocks are
// read as HTML (see FromHTML; without readability).
//
// The first block is the title when it is a heading of the highest level in
// the file (usually "# Title"). A YAML front matter block at the start
// ("---" lines) is left out (NormFrontMatter); its title: becomes the title
// block when the file does not start with one.
//
// Encoding detection and errors are as in FromHTML; the steps recorded are
// the conversion steps, NormFrontMatter, NormMarkdown and those of
// FromBlocks. Markdown that the parser would take too long on (blocks
// nested over 100 deep, tens of thousands of brackets or emphasis marks in
// one paragraph) is imported as plain text instead, with
// NormMarkdownAsText.
func FromMarkdown(raw []byte, opts TextOptions) (*Document, error) {
	src, steps, err := decodeArticle(raw, ArticleMarkdown)
	if err != nil {
		return nil, err
	}
	if markdownTooComplex([]byte(src)) {
		d, err := FromText([]byte(src), opts)
		if err != nil {
			return nil, err
		}
		d.Normalization = append(append(steps, NormMarkdownAsText), d.Normalization...)
		return d, nil
	}
	body := []byte(src)
	fmTitle, rest, ok := splitFrontMatter(body)
	if ok {
		body = rest
		steps = append(steps, NormFrontMatter)
	}
	root := markdown().Parser().Parse(text.NewReader(body))
	w := &mdWalker{src: body, offset: len(src) - len(body)}
	w.block(root)
	if w.err != nil {
		return nil, w.err
	}

	blocks := w.blocks
	if len(blocks) > 0 && blocks[0].Kind == BlockHeading && w.levels[0] == w.minLevel {
		blocks[0].Kind = BlockTitle
	} else if fmTitle != "" {
		blocks = append([]BlockText{{Kind: BlockTitle, Text: fmTitle}}, blocks...)
	}
	d, err := FromBlocks(blocks, opts, append(steps, NormMarkdown)...)
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) && ie.Reason == errNoText {
			return nil, &ImportError{Offset: -1, Reason: "the Markdown file has no text to annotate"}
		}
		return nil, err
	}
	return d, nil
}

// markdownTooComplex reports whether goldmark would take too long on src:
// its inline parser's time grows with the square of the brackets and
// emphasis marks in a paragraph ("_a*" 50,000 times takes 25 s), its block
// parser's with the nesting depth. Real articles are far from these limits.
func markdownTooComplex(src []byte) bool {
	const (
		maxQuoteDepth = 100
		maxIndent     = 400
		maxDelims     = 20_000
		maxWork       = 400_000_000
	)
	work, delims := 0, 0
	fence := ""
	for len(src) > 0 {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if len(bytes.TrimSpace(line)) == 0 { // a blank line ends a paragraph
			work += delims * delims
			delims = 0
			continue
		}
		quotes, indent := 0, 0
		for _, c := range line {
			switch c {
			case '>':
				quotes++
			case ' ':
				indent++
			case '\t':
				indent += 4
			default:
				goto counted
			}
		}
	counted:
		if quotes > maxQuoteDepth || indent > maxIndent {
			return true
		}
		// Fenced code is not parsed for inline markup.
		if t := bytes.TrimLeft(line, " >"); bytes.HasPrefix(t, []byte("```")) || bytes.HasPrefix(t, []byte("~~~")) {
			switch {
			case fence == "":
				fence = string(t[:3])
			case bytes.HasPrefix(t, []byte(fence)):
				fence = ""
			}
			continue
		}
		if fence != "" {
			continue
		}
		for _, c := range line {
			switch c {
			case '[', ']', '*', '_', '!', '<', '`', '~':
				delims++
			}
		}
		if delims > maxDelims {
			return true
		}
	}
	return work+delims*delims > maxWork
}

// splitFrontMatter splits a YAML front matter block ("---" line, fields,
// "---" or "..." line) from the start of a Markdown file, returning its
// title: field.
func splitFrontMatter(src []byte) (title string, body []byte, ok bool) {
	first, rest, found := bytes.Cut(src, []byte("\n"))
	if !found || string(bytes.TrimRight(first, " \t\r")) != "---" {
		return "", src, false
	}
	limit := rest
	if len(limit) > 64<<10 {
		limit = limit[:64<<10]
	}
	off := 0
	for off < len(limit) {
		line := limit[off:]
		end := bytes.IndexByte(line, '\n')
		next := off + end + 1
		if end < 0 {
			end, next = len(line), len(limit)
		}
		line = bytes.TrimRight(line[:end], " \t\r")
		if s := string(line); s == "---" || s == "..." {
			return title, rest[next:], true
		}
		if k, v, ok := strings.Cut(string(line), ":"); ok && strings.EqualFold(strings.TrimSpace(k), "title") && title == "" {
			v = strings.TrimSpace(v)
			if len(v) >= 2 && (v[0] == '"' && v[len(v)-1] == '"' || v[0] == '\'' && v[len(v)-1] == '\'') {
				v = v[1 : len(v)-1]
			}
			title = collapseSpace(v)
		}
		off = next
	}
	return "", src, false
}

// mdWalker turns a goldmark syntax tree into blocks.
type mdWalker struct {
	src      []byte
	offset   int   // bytes of the file before src (front matter)
	err      error // the first HTML block that could not be read
	blocks   []BlockText
	levels   []int // heading level per block (0 for paragraphs)
	minLevel int
	buf      strings.Builder
	skip     int // depth of open <script>-like inline HTML elements
}

func (w *mdWalker) emit(kind BlockKind, level int, t string) {
	if strings.TrimFunc(t, isSpace) == "" {
		return
	}
	w.blocks = append(w.blocks, BlockText{Kind: kind, Text: t})
	w.levels = append(w.levels, level)
	if level > 0 && (w.minLevel == 0 || level < w.minLevel) {
		w.minLevel = level
	}
}

// block walks block-level nodes.
func (w *mdWalker) block(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Heading:
			w.emit(BlockHeading, c.Level, w.inline(c))
		case *ast.Paragraph, *ast.TextBlock:
			w.emit(BlockParagraph, 0, w.inline(c))
		case *ast.CodeBlock, *ast.FencedCodeBlock:
			w.emit(BlockParagraph, 0, string(c.Lines().Value(w.src)))
		case *ast.HTMLBlock:
			raw := c.Lines().Value(w.src)
			if c.HasClosure() {
				raw = append(raw, c.ClosureLine.Value(w.src)...)
			}
			root, err := parseHTML(string(raw))
			if err != nil {
				if w.err == nil {
					var ie *ImportError
					if errors.As(err, &ie) && ie.Offset >= 0 && c.Lines().Len() > 0 {
						ie.Offset += c.Lines().At(0).Start + w.offset
					}
					w.err = err
				}
				continue
			}
			for _, b := range htmlBlocks(root) {
				w.emit(b.Kind, 0, b.Text)
			}
		case *east.Table:
			for r := c.FirstChild(); r != nil; r = r.NextSibling() {
				var cells []string
				for cell := r.FirstChild(); cell != nil; cell = cell.NextSibling() {
					cells = append(cells, strings.TrimFunc(w.inline(cell), isSpace))
				}
				w.emit(BlockParagraph, 0, strings.Join(cells, "\t"))
			}
		case *ast.ThematicBreak, *ast.LinkReferenceDefinition:
		default: // lists, list items, block quotes, documents
			w.block(c)
		}
	}
}

// inline returns the text of a block's inline content.
func (w *mdWalker) inline(n ast.Node) string {
	w.buf.Reset()
	w.skip = 0
	w.inlines(n)
	return collapseBlanks(w.buf.String())
}

// scriptLike are inline HTML elements whose content is not text.
var scriptLike = []string{"script", "style", "template", "noscript", "iframe", "object", "svg", "math", "textarea", "title"}

func (w *mdWalker) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		switch c := c.(type) {
		case *ast.Text:
			v := c.Segment.Value(w.src)
			if w.skip == 0 {
				if !c.IsRaw() {
					v = util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(v)))
				}
				w.buf.Write(v)
			}
			switch {
			case c.HardLineBreak():
				w.buf.WriteByte('\n')
			case c.SoftLineBreak():
				w.buf.WriteByte(' ')
			}
		case *ast.String:
			if w.skip == 0 {
				w.buf.Write(c.Value)
			}
		case *ast.CodeSpan:
			if w.skip == 0 {
				for t := c.FirstChild(); t != nil; t = t.NextSibling() {
					if t, ok := t.(*ast.Text); ok {
						w.buf.Write(bytes.ReplaceAll(t.Segment.Value(w.src), []byte("\n"), []byte(" ")))
					}
				}
			}
		case *ast.AutoLink:
			if w.skip == 0 {
				w.buf.Write(c.Label(w.src))
			}
		case *ast.Image:
		case *ast.RawHTML:
			w.rawHTML(c.Segments.Value(w.src))
		default: // emphasis, links, strikethrough
			w.inlines(c)
		}
	}
}

// rawHTML tracks inline <script>-like elements, whose content is dropped.
func (w *mdWalker) rawHTML(tag []byte) {
	t := strings.ToLower(string(tag))
	closing := strings.HasPrefix(t, "</")
	name := strings.TrimLeft(t, "</")
	for _, s := range scriptLike {
		if strings.HasPrefix(name, s) && (len(name) == len(s) || strings.ContainsRune(" \t\r\n/>", rune(name[len(s)]))) {
			switch {
			case closing:
				if w.skip > 0 {
					w.skip--
				}
			case !strings.HasSuffix(strings.TrimSpace(t), "/>"):
				w.skip++
			}
			return
		}
	}
}

// collapseBlanks turns runs of spaces and tabs into one space, as a browser
// shows inline text (line breaks stay).
func collapseBlanks(s string) string {
	if !strings.Contains(s, "  ") && !strings.Contains(s, "\t") {
		return s
	}
	var b strings.Builder
	b.Grow(len(s))
	blank := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c == ' ' || c == '\t' {
			if !blank {
				b.WriteByte(' ')
			}
			blank = true
			continue
		}
		blank = false
		b.WriteByte(c)
	}
	return b.String()
}
