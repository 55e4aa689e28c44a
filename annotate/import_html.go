//go:build !factmark_ui

package annotate

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"

	readability "codeberg.org/readeck/go-readability/v2"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"
)

// maxReadabilityElements is the most elements a page may have for
// readability to analyse it (its scoring passes grow faster than the page);
// larger pages are read whole (NormHTMLBody).
const maxReadabilityElements = 60000

// FromHTML imports an HTML page as a Document: the article body is extracted
// with readability (go-readability, a port of Firefox's Reader View) and its
// DOM turned into blocks: h2–h6 become headings, and p, li, blockquote, pre,
// dt, dd, figcaption, table rows and any other text-holding block become
// paragraphs. The title block is the page's article title as readability
// determines it (og:title, the <title> without the site name, or the only
// h1), else the first h1. The page's source URL (<link rel="canonical">, else
// og:url; http and https only) becomes Source, else opts.Source is kept.
//
// The HTML is only parsed, never rendered or run: scripts, styles, templates,
// iframes, objects, forms, images, media, SVG and MathML, navigation,
// footers, asides and hidden elements (hidden, aria-hidden="true", inline
// display:none or visibility:hidden) give no text, and attributes (inline
// event handlers, javascript: and data: URLs, tracking pixels) are never
// read except for the metadata above.
//
// Encoding: a UTF-8, UTF-16 or UTF-32 byte order mark decides; else valid
// UTF-8 is UTF-8; else the encoding the page declares in a <meta> charset;
// else single-byte text is read as Windows-1252. Conversions are recorded in
// Normalization, followed by NormHTMLReadability (or NormHTMLBody when
// readability found no article and the whole body was taken) and the steps
// of FromBlocks. Errors are *ImportError values: invalid UTF-8 that is not
// single-byte text (with its byte offset), or a page with no text.
func FromHTML(raw []byte, opts TextOptions) (*Document, error) {
	text, steps, err := decodeArticle(raw, ArticleHTML)
	if err != nil {
		return nil, err
	}
	root, err := parseHTML(text)
	if err != nil {
		return nil, err
	}
	meta := htmlMetadata(root)

	var (
		blocks []BlockText
		title  string
		step   = NormHTMLBody
	)
	if meta.elements <= maxReadabilityElements {
		art, ok := runReadability(root, meta.pageURL)
		if ok && art.Node != nil {
			blocks = htmlBlocks(art.Node)
			title = collapseSpace(art.Title())
			step = NormHTMLReadability
		}
		if !hasText(blocks) {
			// readability found nothing, or failed after changing the
			// tree: read the whole body of a fresh parse.
			step = NormHTMLBody
			root, _ = parseHTML(text)
		}
	}
	if step == NormHTMLBody {
		blocks = htmlBlocks(root)
		title = ""
	}
	// readability keeps "Headline | Site" when the headline is short; the
	// page's h1 is the headline alone.
	if meta.h1 != "" && title != meta.h1 && strings.Contains(title, meta.h1) {
		title = meta.h1
	}
	title = pageTitle(title, meta.ogTitle, meta.h1, meta.title)
	if opts.Title != "" {
		title = opts.Title
	}
	if title != "" {
		// Drop a leading block that repeats the title (the h1 that
		// readability keeps, or the body's h1).
		for i, b := range blocks {
			t := collapseSpace(b.Text)
			if t == "" {
				continue
			}
			if strings.EqualFold(t, title) {
				blocks = append(blocks[:i:i], blocks[i+1:]...)
			}
			break
		}
		blocks = append([]BlockText{{Kind: BlockTitle, Text: title}}, blocks...)
	}
	src := opts.Source
	if meta.pageURL != nil {
		src = meta.pageURL.String()
	}
	d, err := FromBlocks(blocks, TextOptions{ID: opts.ID, Title: title, Source: src}, append(steps, step)...)
	if err != nil {
		var ie *ImportError
		if errors.As(err, &ie) && ie.Reason == errNoText {
			return nil, &ImportError{Offset: -1, Reason: "the HTML page has no text to annotate"}
		}
		return nil, err
	}
	return d, nil
}

// pageTitle picks the first non-empty title candidate that has no markup in
// it (a <title> with tags in it is broken or hostile); if all have markup,
// the first with its tags removed.
func pageTitle(cands ...string) string {
	for _, c := range cands {
		if c = collapseSpace(c); c != "" && !rxTag.MatchString(c) {
			return c
		}
	}
	for _, c := range cands {
		if c = collapseSpace(rxTag.ReplaceAllString(c, " ")); c != "" {
			return c
		}
	}
	return ""
}

// rxTag matches something that looks like an HTML tag or comment.
var rxTag = regexp.MustCompile(`<[/!?]?[A-Za-z][^<>]*>|<!--`)

// The HTML parser checks the stack of open elements at every block start
// tag, so its time grows with the number of such tags times the depth they
// are nested at: 100,000 nested divs take minutes. parseHTML refuses pages
// above a budget of that work (maxHTMLWork, about a second) or nested
// deeper than maxHTMLDepth. No article comes near either: a 20 MB page of
// paragraphs nested 50 deep costs a twentieth of the budget.
const (
	maxHTMLWork  = 50_000_000
	maxHTMLDepth = 5000
)

// parseHTML parses an HTML page after checking, with a linear pass of the
// tokenizer, that parsing it will not take too long (see maxHTMLWork).
func parseHTML(text string) (*html.Node, error) {
	if at, reason := htmlTooDeep(text); at >= 0 {
		return nil, &ImportError{Offset: at, Reason: reason}
	}
	root, err := html.Parse(strings.NewReader(text))
	if err != nil { // a strings.Reader never fails
		return nil, &ImportError{Offset: -1, Reason: "cannot parse the HTML: " + err.Error()}
	}
	return root, nil
}

// Elements for htmlTooDeep's model of the parser's stack of open elements.
var (
	voidTags = atomSet(atom.Area, atom.Base, atom.Br, atom.Col, atom.Embed, atom.Hr, atom.Img, atom.Input,
		atom.Link, atom.Meta, atom.Source, atom.Track, atom.Wbr, atom.Param, atom.Keygen, atom.Frame, atom.Image)
	// closesP are start tags that close an open p.
	closesP = atomSet(atom.Address, atom.Article, atom.Aside, atom.Blockquote, atom.Center, atom.Details,
		atom.Dialog, atom.Dir, atom.Div, atom.Dl, atom.Fieldset, atom.Figcaption, atom.Figure, atom.Footer,
		atom.Form, atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6, atom.Header, atom.Hgroup, atom.Hr,
		atom.Main, atom.Menu, atom.Nav, atom.Ol, atom.P, atom.Pre, atom.Section, atom.Summary, atom.Table,
		atom.Ul, atom.Li, atom.Dd, atom.Dt, atom.Listing, atom.Plaintext)
	// closesSame are start tags that close an open element of their kind.
	closesSame = atomSet(atom.Li, atom.Dt, atom.Dd, atom.Option, atom.Optgroup, atom.Tr, atom.Td, atom.Th,
		atom.Rb, atom.Rt, atom.Rp, atom.Rtc, atom.Tbody, atom.Thead, atom.Tfoot, atom.Caption, atom.Colgroup,
		atom.A, atom.Nobr, atom.Button, atom.Form)
)

func atomSet(as ...atom.Atom) map[atom.Atom]bool {
	m := make(map[atom.Atom]bool, len(as))
	for _, a := range as {
		m[a] = true
	}
	return m
}

// htmlTooDeep returns the byte offset of the first tag at which parsing
// text would exceed maxHTMLDepth or maxHTMLWork, and why; or -1. It models
// the parser's stack of open elements closely enough for real pages: void
// elements, end tags that close what they match, and the usual implied ends
// (a block closes an open p, an li closes the open li).
func htmlTooDeep(text string) (int, string) {
	z := html.NewTokenizer(strings.NewReader(text))
	var stack []atom.Atom
	open := map[atom.Atom]int{}
	var unknown map[string]int // open elements with no atom, by name
	var unknownStack []string
	popUntil := func(a atom.Atom, name string) {
		for len(stack) > 0 {
			top := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			open[top]--
			var topName string
			if top == 0 {
				topName = unknownStack[len(unknownStack)-1]
				unknownStack = unknownStack[:len(unknownStack)-1]
				unknown[topName]--
			}
			if top == a && (a != 0 || topName == name) {
				return
			}
		}
	}
	off, work := 0, 0
	for {
		tt := z.Next()
		at := off
		off += len(z.Raw())
		switch tt {
		case html.ErrorToken:
			return -1, ""
		case html.StartTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if closesP[a] {
				if work += len(stack); work > maxHTMLWork {
					return at, fmt.Sprintf("the HTML has too many blocks nested too deeply (%d open elements here): it would take too long to read", len(stack))
				}
			}
			if closesP[a] && open[atom.P] > 0 {
				popUntil(atom.P, "")
			}
			if closesSame[a] && open[a] > 0 {
				popUntil(a, "")
			}
			if voidTags[a] {
				continue
			}
			stack = append(stack, a)
			open[a]++
			if a == 0 {
				if unknown == nil {
					unknown = map[string]int{}
				}
				unknown[string(name)]++
				unknownStack = append(unknownStack, string(name))
			}
			if len(stack) > maxHTMLDepth {
				return at, fmt.Sprintf("the HTML nests elements more than %d deep (no article does): it cannot be read safely", maxHTMLDepth)
			}
		case html.EndTagToken:
			name, _ := z.TagName()
			a := atom.Lookup(name)
			if a != 0 && open[a] > 0 || a == 0 && unknown[string(name)] > 0 {
				popUntil(a, string(name))
			}
		}
	}
}

// runReadability runs the extraction, recovering from a panic in it (the
// caller then reads the whole body).
func runReadability(root *html.Node, page *url.URL) (art readability.Article, ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	p := readability.NewParser()
	p.MaxElemsToParse = maxReadabilityElements
	art, err := p.ParseAndMutate(root, page)
	return art, err == nil
}

func hasText(blocks []BlockText) bool {
	for _, b := range blocks {
		if strings.TrimFunc(b.Text, isSpace) != "" {
			return true
		}
	}
	return false
}

// htmlMeta is what FromHTML reads from a page besides its text.
type htmlMeta struct {
	pageURL  *url.URL // canonical link or og:url, http(s) only
	ogTitle  string
	title    string // <title>
	h1       string // text of the first visible h1
	elements int
}

// htmlMetadata collects the page's metadata from the parsed tree.
func htmlMetadata(root *html.Node) htmlMeta {
	var m htmlMeta
	var canonical, ogURL string
	walkHTML(root, func(n *html.Node) bool {
		if n.Type != html.ElementNode {
			return true
		}
		m.elements++
		switch n.DataAtom {
		case atom.Link:
			if canonical == "" && hasToken(attr(n, "rel"), "canonical") {
				canonical = attr(n, "href")
			}
		case atom.Meta:
			prop := strings.ToLower(firstNonBlank(attr(n, "property"), attr(n, "name")))
			switch prop {
			case "og:url":
				if ogURL == "" {
					ogURL = attr(n, "content")
				}
			case "og:title":
				if m.ogTitle == "" {
					m.ogTitle = collapseSpace(attr(n, "content"))
				}
			}
		case atom.Title:
			if m.title == "" {
				m.title = collapseSpace(textContent(n))
			}
			return false
		case atom.H1:
			if m.h1 == "" && !skipElement(n) {
				var b BlockText
				for _, bt := range htmlBlocks(n) {
					b.Text += " " + bt.Text
				}
				m.h1 = collapseSpace(b.Text)
			}
			return false
		}
		return true
	})
	m.pageURL = webURL(canonical)
	if m.pageURL == nil {
		m.pageURL = webURL(ogURL)
	}
	if m.pageURL == nil && canonical != "" {
		if base := webURL(ogURL); base != nil {
			if ref, err := url.Parse(strings.TrimSpace(canonical)); err == nil {
				m.pageURL = webURL(base.ResolveReference(ref).String())
			}
		}
	}
	return m
}

// webURL returns s as an absolute http or https URL, or nil.
func webURL(s string) *url.URL {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > 2048 {
		return nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil
	}
	u.User = nil // never keep credentials
	return u
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return a.Val
		}
	}
	return ""
}

func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Namespace == "" && strings.EqualFold(a.Key, key) {
			return true
		}
	}
	return false
}

// hasToken reports whether the space-separated list s has tok
// (ASCII case-insensitive).
func hasToken(s, tok string) bool {
	for _, f := range strings.Fields(s) {
		if strings.EqualFold(f, tok) {
			return true
		}
	}
	return false
}

// textContent is the concatenated text of n's descendants.
func textContent(n *html.Node) string {
	var b strings.Builder
	walkHTML(n, func(c *html.Node) bool {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
		return true
	})
	return b.String()
}

// walkHTML visits root and its descendants in document order without
// recursion (hostile pages nest deeply); visit returns whether to descend.
func walkHTML(root *html.Node, visit func(*html.Node) bool) {
	n := root
	for n != nil {
		if visit(n) && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for n != root && n.NextSibling == nil {
			n = n.Parent
		}
		if n == root {
			return
		}
		n = n.NextSibling
	}
}

// skipTags are elements that hold no article text: code, styles, embedded
// and interactive content, metadata, navigation and page furniture.
var skipTags = map[atom.Atom]bool{
	atom.Script: true, atom.Style: true, atom.Noscript: true, atom.Template: true,
	atom.Iframe: true, atom.Frame: true, atom.Frameset: true, atom.Object: true,
	atom.Embed: true, atom.Applet: true, atom.Param: true, atom.Svg: true,
	atom.Math: true, atom.Canvas: true, atom.Img: true, atom.Picture: true,
	atom.Video: true, atom.Audio: true, atom.Source: true, atom.Track: true,
	atom.Map: true, atom.Area: true, atom.Head: true, atom.Title: true,
	atom.Meta: true, atom.Link: true, atom.Base: true, atom.Button: true,
	atom.Input: true, atom.Select: true, atom.Option: true, atom.Optgroup: true,
	atom.Textarea: true, atom.Datalist: true, atom.Output: true, atom.Progress: true,
	atom.Meter: true, atom.Form: true, atom.Nav: true, atom.Footer: true,
	atom.Aside: true, atom.Dialog: true, atom.Menu: true, atom.Slot: true,
	atom.Rp: true, atom.Rt: true,
}

// blockTags are elements that start and end a block of text.
var blockTags = map[atom.Atom]bool{
	atom.Address: true, atom.Article: true, atom.Blockquote: true, atom.Body: true,
	atom.Caption: true, atom.Center: true, atom.Dd: true, atom.Details: true,
	atom.Div: true, atom.Dl: true, atom.Dt: true, atom.Fieldset: true,
	atom.Figcaption: true, atom.Figure: true, atom.H1: true, atom.H2: true,
	atom.H3: true, atom.H4: true, atom.H5: true, atom.H6: true, atom.Header: true,
	atom.Hgroup: true, atom.Hr: true, atom.Html: true, atom.Legend: true,
	atom.Li: true, atom.Main: true, atom.Ol: true, atom.P: true, atom.Pre: true,
	atom.Section: true, atom.Summary: true, atom.Table: true, atom.Tbody: true,
	atom.Tfoot: true, atom.Thead: true, atom.Tr: true, atom.Ul: true,
}

func isHeadingTag(a atom.Atom) bool {
	switch a {
	case atom.H1, atom.H2, atom.H3, atom.H4, atom.H5, atom.H6:
		return true
	}
	return false
}

// skipElement reports whether element n and everything in it give no text:
// a skipped tag, an element of a foreign namespace, or a hidden element.
func skipElement(n *html.Node) bool {
	if n.Type != html.ElementNode {
		return false
	}
	if n.Namespace != "" || skipTags[n.DataAtom] || n.DataAtom == 0 && strings.Contains(n.Data, ":") {
		return true
	}
	if hasAttr(n, "hidden") || strings.EqualFold(strings.TrimSpace(attr(n, "aria-hidden")), "true") {
		return true
	}
	if st := attr(n, "style"); st != "" {
		s := strings.ToLower(strings.Join(strings.Fields(st), ""))
		if strings.Contains(s, "display:none") || strings.Contains(s, "visibility:hidden") {
			return true
		}
	}
	return false
}

// htmlWalker turns a DOM into blocks of text.
type htmlWalker struct {
	blocks  []BlockText
	buf     strings.Builder
	heading int // depth of open h1–h6 elements
	pre     int // depth of open pre (and listing, plaintext, textarea) elements
	cells   int // cells seen in the current table row
}

func (w *htmlWalker) flush() {
	t := w.buf.String()
	w.buf.Reset()
	if strings.TrimFunc(t, isSpace) == "" {
		return
	}
	kind := BlockParagraph
	if w.heading > 0 {
		kind = BlockHeading
	}
	w.blocks = append(w.blocks, BlockText{Kind: kind, Text: t})
}

// text appends the text of a text node: whitespace collapsed as a browser
// shows it, except inside pre.
func (w *htmlWalker) text(s string) {
	if w.pre > 0 {
		w.buf.WriteString(s)
		return
	}
	for i := 0; i < len(s); {
		c := s[i]
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			for i < len(s) && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == '\r' || s[i] == '\f') {
				i++
			}
			if w.buf.Len() > 0 && !endsWithSpace(w.buf.String()) {
				w.buf.WriteByte(' ')
			}
			continue
		}
		j := i
		for j < len(s) && s[j] != ' ' && s[j] != '\t' && s[j] != '\n' && s[j] != '\r' && s[j] != '\f' {
			j++
		}
		w.buf.WriteString(s[i:j])
		i = j
	}
}

func endsWithSpace(s string) bool {
	if s == "" {
		return false
	}
	c := s[len(s)-1]
	return c == ' ' || c == '\n' || c == '\t'
}

// htmlBlocks returns the blocks of text of root and its descendants.
func htmlBlocks(root *html.Node) []BlockText {
	w := &htmlWalker{}
	enter := func(n *html.Node) bool {
		switch n.Type {
		case html.TextNode:
			w.text(n.Data)
			return false
		case html.ElementNode:
		case html.DocumentNode:
			return true
		default: // comments, doctypes
			return false
		}
		if skipElement(n) {
			return false
		}
		switch {
		case n.DataAtom == atom.Br:
			w.buf.WriteByte('\n')
		case n.DataAtom == atom.Td || n.DataAtom == atom.Th:
			if w.cells > 0 {
				w.buf.WriteByte('\t')
			}
			w.cells++
		case blockTags[n.DataAtom]:
			w.flush()
			if n.DataAtom == atom.Tr {
				w.cells = 0
			}
		}
		if isHeadingTag(n.DataAtom) {
			w.heading++
		}
		if n.DataAtom == atom.Pre || n.DataAtom == atom.Listing || n.DataAtom == atom.Plaintext {
			w.pre++
		}
		return true
	}
	leave := func(n *html.Node) {
		if n.Type != html.ElementNode || skipElement(n) {
			return
		}
		if blockTags[n.DataAtom] {
			w.flush()
		}
		if isHeadingTag(n.DataAtom) {
			w.heading--
		}
		if n.DataAtom == atom.Pre || n.DataAtom == atom.Listing || n.DataAtom == atom.Plaintext {
			w.pre--
		}
	}
	// Iterative walk with leave events.
	n := root
	for n != nil {
		if enter(n) && n.FirstChild != nil {
			n = n.FirstChild
			continue
		}
		for {
			leave(n)
			if n == root {
				w.flush()
				return w.blocks
			}
			if n.NextSibling != nil {
				n = n.NextSibling
				break
			}
			n = n.Parent
		}
	}
	w.flush()
	return w.blocks
}
