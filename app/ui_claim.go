package main

import (
	"fmt"
	"strconv"
	"strings"

	"factmark/annotate"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The span details panel: for the selected span, a note (every label) and,
// for a disputed claim, its fact-check record (verdict, restated text,
// claimant, date, check-worthiness, rationale, evidence). Every committed
// change is one annotate edit through the session (SetNote or SetClaim), so
// it is undone with Ctrl+Z and autosaved like a tag. Text fields commit on
// change (Enter or leaving the field), not per keystroke; selects and dates
// commit when they change.
//
// A text field carries its committed value in data-saved ("=" + value, never
// empty). go-app cannot set a field's value to "" (an empty attribute is
// dropped, not set), so after each render glueSyncFields copies data-saved
// into the fields the user is not typing in: an undo, or another span
// selected, shows the right text. Ctrl+Z in a field with nothing uncommitted
// undoes the last edit (files_wasm.go); else it is the field's own undo.

// claimForm is the panel's own state, which is not annotation state: the
// evidence item being written and the errors of fields that were refused.
type claimForm struct {
	// forID is the span the draft and errors belong to; they are dropped
	// when another span is selected.
	forID string
	draft annotate.Evidence
	// errs are inline errors by field id ("ev-new-url", "ev-1-url", ...).
	errs map[string]string
	// ver changes whenever the form state changes (a detailsView field).
	ver int
}

// reset drops the draft and errors when the selection moved to id.
func (f *claimForm) reset(id string) {
	if f.forID == id {
		return
	}
	f.forID = id
	f.draft = annotate.Evidence{}
	f.errs = nil
	f.ver++
}

func (f *claimForm) setErr(field, msg string) {
	msg = upperFirst(msg)
	if f.errs == nil {
		f.errs = map[string]string{}
	}
	if f.errs[field] != msg {
		f.errs[field] = msg
		f.ver++
	}
}

func (f *claimForm) clearErr(field string) {
	if _, ok := f.errs[field]; ok {
		delete(f.errs, field)
		f.ver++
	}
}

// detailsView renders the panel; it re-renders only when its fields change.
type detailsView struct {
	app.Compo

	Rev, Gen int
	Sel      string
	Ver      int

	sh *Shell
}

// renderDetails is the panel for the selected span, or nothing.
func (sh *Shell) renderDetails() app.UI {
	s := sh.s
	sh.cl.reset(s.selected)
	if s.selected == "" {
		return app.Div().ID("span-details").Class("details").Hidden(true)
	}
	return &detailsView{Rev: s.state.Revision, Gen: s.gen, Sel: s.selected, Ver: sh.cl.ver, sh: sh}
}

func (d *detailsView) Render() app.UI {
	sh := d.sh
	s := sh.s
	a, ok := s.state.Annotation(d.Sel)
	if !ok {
		return app.Div().ID("span-details").Class("details").Hidden(true)
	}
	l := s.label(a.Label)
	body := []app.UI{
		app.H2().ID("details-head").Class("details-head", labelClass(l.ID)).Body(
			app.Span().Class("swatch").Aria("hidden", "true"),
			app.Span().Class("details-label").Text(l.Name),
			app.Span().Class("details-quote").Text(s.quote(a.Range())),
		),
		app.P().Class("details-hint").Text("Changes are saved when you leave a field or press Enter; Ctrl+Z undoes them. Escape returns to the span."),
	}
	if l.Kind == annotate.KindClaim {
		body = append(body, d.renderClaim(a))
	}
	body = append(body, d.renderNote(a))
	sh.later(glueSyncFields)
	return app.Section().ID("span-details").Class("details").Aria("labelledby", "details-head").Body(body...)
}

// glueSyncFields brings the details panel's fields in line with their
// data-saved values; files_wasm.go sets it in the browser.
var glueSyncFields = func() {}

// renderNote is the note field, for every span.
func (d *detailsView) renderNote(a annotate.Annotation) app.UI {
	sh := d.sh
	id := a.ID
	return textField(fieldSpec{key: id, id: "span-note", label: "Note", value: a.Note, rows: 3, raw: true,
		commit: func(ctx app.Context, v string) { sh.setNote(ctx, id, v) }})
}

// setNote commits a note as one SetNote edit (nothing when unchanged).
func (sh *Shell) setNote(ctx app.Context, id, note string) {
	s := sh.s
	a, ok := s.state.Annotation(id)
	if !ok || a.Note == note {
		return
	}
	err := s.apply(annotate.SetNote(id, note))
	if err != nil {
		sh.report(fmt.Errorf("cannot save the note of %s: %w", s.quote(a.Range()), err))
		return
	}
	sh.report(nil)
	if note == "" {
		s.message = fmt.Sprintf("Removed the note of %s.", s.quote(a.Range()))
	} else {
		s.message = fmt.Sprintf("Saved the note of %s.", s.quote(a.Range()))
	}
}

// setClaim applies change to a copy of the claim record of span id and
// commits it as one SetClaim edit; what names the field for messages. It
// reports whether the edit was applied (an unchanged record is no edit).
func (sh *Shell) setClaim(ctx app.Context, id, what string, change func(c *annotate.Claim)) bool {
	s := sh.s
	a, ok := s.state.Annotation(id)
	if !ok {
		return false
	}
	c := a.Claim.Clone()
	if c == nil {
		c = &annotate.Claim{}
	}
	change(c)
	if c.IsZero() {
		c = nil
	}
	if c.Equal(a.Claim) {
		return false
	}
	if err := s.apply(annotate.SetClaim(id, c)); err != nil {
		sh.report(fmt.Errorf("cannot set the %s of the claim %s: %w", what, s.quote(a.Range()), err))
		return false
	}
	sh.report(nil)
	s.message = fmt.Sprintf("Set the %s of the claim %s.", what, s.quote(a.Range()))
	return true
}

// noneValue is the value of a select's "not set" option (an empty value
// attribute would not be rendered, and the option's text would be its value).
const noneValue = "-"

// undoFromPanel undoes (or redoes) the last edit for Ctrl+Z (Ctrl+Shift+Z)
// in a field of the panel, leaving the focus in the field; when the span
// itself goes (its tag undone), the focus goes back to the article.
func (sh *Shell) undoFromPanel(redo bool) {
	var err error
	if redo {
		err = sh.s.redoCmd()
	} else {
		err = sh.s.undoCmd()
	}
	sh.report(err)
	if sh.s.selected == "" {
		sh.later(func() { glueFocusID("article") })
	}
}

// value reads the value of the element an event came from ("" for a
// select's "not set" option).
func value(ctx app.Context) string {
	v := ctx.JSSrc().Get("value").String()
	if v == noneValue {
		return ""
	}
	return v
}

// The panel's fields are built by textField and selectField from plain
// values: one go-app element chain for all of them instead of one per field
// keeps the wasm small.

// fieldSpec describes a labelled text field: an input of type typ ("text"
// when empty, "url", "date") or, with rows > 0, a textarea. Its committed
// value goes into data-saved (see glueSyncFields); err is its inline error
// and hint a note under it (both point the field's aria-describedby at
// them); commit gets the trimmed text (raw: as typed) when it changes.
//
// Handlers are scoped by the span and the field (app.EventScope): go-app
// keeps an element's handler when the new one is the same function code,
// with the old captures, unless the scope differs; a field reused for
// another span must commit to that span.
type fieldSpec struct {
	key                                string // the span: scopes the handler
	id, label, typ, value, placeholder string
	rows                               int
	raw                                bool
	err                                string
	hint, hintClass                    string
	commit                             func(ctx app.Context, v string)
}

func textField(f fieldSpec) app.UI {
	commit := f.commit
	raw := f.raw
	change := func(ctx app.Context, e app.Event) {
		v := ctx.JSSrc().Get("value").String()
		if !raw {
			v = strings.TrimSpace(v)
		}
		commit(ctx, v)
	}
	described := ""
	var notes []app.UI
	if f.err != "" {
		described = f.id + "-err"
		notes = append(notes, app.P().ID(described).Class("field-error").Role("alert").Text(f.err))
	} else if f.hint != "" {
		described = f.id + "-hint"
		notes = append(notes, app.P().ID(described).Class(f.hintClass).Text(f.hint))
	}
	var control app.UI
	if f.rows > 0 {
		ta := app.Textarea().ID(f.id).Class("input").Rows(f.rows).Text(f.value).DataSet("saved", "="+f.value).OnChange(change, app.EventScope(f.key, f.id))
		if described != "" {
			ta = ta.Aria("describedby", described)
		}
		control = ta
	} else {
		typ := f.typ
		if typ == "" {
			typ = "text"
		}
		in := app.Input().Type(typ).ID(f.id).Class("input").Value(f.value).DataSet("saved", "="+f.value).OnChange(change, app.EventScope(f.key, f.id))
		if f.placeholder != "" {
			in = in.Placeholder(f.placeholder)
		}
		if f.err != "" {
			in = in.Aria("invalid", "true")
		}
		if described != "" {
			in = in.Aria("describedby", described)
		}
		control = in
	}
	return app.Div().Class("field").Body(append([]app.UI{app.Label().For(f.id).Text(f.label), control}, notes...)...)
}

// choice is one option of a select; value "" is the "not set" option.
type choice struct{ value, text string }

// selectField is a labelled select of choices with cur selected; hint is a
// note under it; commit gets the chosen value ("" for "not set"). key is the
// span (the handler's scope, as in textField).
func selectField(key, id, label string, choices []choice, cur, hint string, commit func(ctx app.Context, v string)) app.UI {
	opts := make([]app.UI, len(choices))
	for i, c := range choices {
		v := c.value
		if v == "" {
			v = noneValue
		}
		opts[i] = app.Option().Value(v).Selected(c.value == cur).Text(c.text)
	}
	sel := app.Select().ID(id).Class("input").Body(opts...).
		OnChange(func(ctx app.Context, e app.Event) { commit(ctx, value(ctx)) }, app.EventScope(key, id))
	kids := []app.UI{app.Label().For(id).Text(label), sel}
	if hint != "" {
		sel = sel.Aria("describedby", id+"-hint")
		kids[1] = sel
		kids = append(kids, app.P().ID(id+"-hint").Class("field-hint").Text(hint))
	}
	return app.Div().Class("field").Body(kids...)
}

// group is a set of fields named by its first line (role=group: the same to
// assistive technology as a fieldset and its legend).
func group(id, class, name string, kids ...app.UI) app.UI {
	return app.Div().Class("fieldset "+class).Role("group").Aria("labelledby", id).Body(
		append([]app.UI{app.P().ID(id).Class("legend").Text(name)}, kids...)...)
}

func (d *detailsView) renderClaim(a annotate.Annotation) app.UI {
	sh := d.sh
	s := sh.s
	f := &sh.cl
	id := a.ID
	c := a.Claim
	if c == nil {
		c = &annotate.Claim{}
	}
	set := func(what string, change func(c *annotate.Claim, v string)) func(ctx app.Context, v string) {
		return func(ctx app.Context, v string) {
			sh.setClaim(ctx, id, what, func(c *annotate.Claim) { change(c, v) })
		}
	}

	// Verdict, with its FEVER and AVeriTeC labels.
	verdicts := []choice{{"", "— no verdict —"}}
	for _, v := range annotate.Verdicts() {
		verdicts = append(verdicts, choice{v.ID, fmt.Sprintf("%s (FEVER %s; AVeriTeC %s)", v.Name, v.FEVER, v.AVeriTeC)})
	}
	mapping := "No verdict yet."
	if v, ok := annotate.VerdictByID(c.Verdict); ok {
		mapping = fmt.Sprintf("FEVER: %s · AVeriTeC: %s · ClaimReview rating %d of %d", v.FEVER, v.AVeriTeC, v.Rating, annotate.BestRating)
	}

	// Claimant: a person span of the document, or a typed name.
	people := []choice{{"", "— none (or type a name below) —"}}
	seen := false
	for _, p := range sh.personSpans() {
		seen = seen || p.ID == c.Claimant.SpanID
		people = append(people, choice{p.ID, fmt.Sprintf("%s (at %d)", strings.Join(strings.Fields(s.index().Slice(p.Range())), " "), p.Start)})
	}
	if !seen && c.Claimant.SpanID != "" {
		name := c.Claimant.SpanID
		if p, ok := s.state.Annotation(name); ok {
			name = strings.Join(strings.Fields(s.index().Slice(p.Range())), " ")
		}
		people = append(people, choice{c.Claimant.SpanID, name})
	}

	worthy := ""
	if c.CheckWorthy != nil {
		worthy = strconv.FormatBool(*c.CheckWorthy)
	}

	return app.Div().Class("claim-form").Body(
		selectField(id, "claim-verdict", "Verdict", verdicts, c.Verdict, mapping, set("verdict", func(c *annotate.Claim, v string) { c.Verdict = v })),
		textField(fieldSpec{key: id, id: "claim-text", label: "Claim, restated in a short sentence", value: c.Text,
			hint: upperFirst(strings.TrimPrefix(annotate.ClaimTextWarning(c), "claim.text: ")), hintClass: "field-warn",
			commit: set("restated text", func(c *annotate.Claim, v string) { c.Text = v })}),
		group("claimant-legend", "", "Claimant",
			selectField(id, "claim-claimant", "Person in the article", people, c.Claimant.SpanID, "",
				set("claimant", func(c *annotate.Claim, v string) { c.Claimant = annotate.Claimant{SpanID: v} })),
			textField(fieldSpec{key: id, id: "claim-claimant-name", label: "or a name", value: c.Claimant.Name,
				commit: set("claimant", func(c *annotate.Claim, v string) {
					if v = strings.Join(strings.Fields(v), " "); v != "" || c.Claimant.SpanID == "" {
						c.Claimant = annotate.Claimant{Name: v}
					}
				})}),
		),
		app.Div().Class("field-row").Body(
			textField(fieldSpec{key: id, id: "claim-date", label: "Claim date", typ: "date", value: c.Date,
				commit: set("date", func(c *annotate.Claim, v string) { c.Date = v })}),
			selectField(id, "claim-worthy", "Check-worthy", []choice{{"", "Not assessed"}, {"true", "Yes, worth checking"}, {"false", "No"}}, worthy, "",
				set("check-worthiness", func(c *annotate.Claim, v string) {
					c.CheckWorthy = nil
					if b, err := strconv.ParseBool(v); err == nil {
						c.CheckWorthy = &b
					}
				})),
		),
		textField(fieldSpec{key: id, id: "claim-rationale", label: "Rationale", value: c.Rationale, rows: 4,
			commit: set("rationale", func(c *annotate.Claim, v string) { c.Rationale = v })}),
		d.renderEvidence(a, c),
		// The published fact-check, when there is one (ClaimReview's url).
		textField(fieldSpec{key: id, id: "claim-review-url", label: "Published fact-check URL (optional)", typ: "url",
			placeholder: "https://", value: c.ReviewURL, err: f.errs["claim-review-url"],
			commit: func(ctx app.Context, v string) {
				if v != "" {
					if err := annotate.CheckURL(v); err != nil {
						f.setErr("claim-review-url", "Not saved: "+err.Error()+".")
						return
					}
				}
				f.clearErr("claim-review-url")
				sh.setClaim(ctx, id, "review URL", func(c *annotate.Claim) { c.ReviewURL = v })
			}}),
	)
}

// personSpans lists the document's person spans (labels with id or name
// "person"), in document order: the claimants a claim can name.
func (sh *Shell) personSpans() []annotate.Annotation {
	s := sh.s
	var out []annotate.Annotation
	for a := range s.state.All() {
		l := s.label(a.Label)
		if l.Kind == annotate.KindEntity && (strings.EqualFold(l.ID, "person") || strings.EqualFold(l.Name, "person")) {
			out = append(out, a)
		}
	}
	return out
}

// stances are the stance choices.
func stances() []choice {
	out := []choice{{"", "— not set —"}}
	for _, st := range annotate.Stances() {
		out = append(out, choice{st.ID, st.Name})
	}
	return out
}

// safeHref returns u when it is an http or https URL (the only links the
// panel renders), else "".
func safeHref(u string) string {
	if annotate.CheckURL(u) != nil {
		return ""
	}
	return u
}

// evidenceFields are the fields of an evidence item (pre is the id prefix:
// "ev-0", "ev-new"); set commits one field ("url", "quote", "stance",
// "accessed").
func evidenceFields(key, pre, urlLabel string, ev annotate.Evidence, urlErr string, set func(ctx app.Context, field, v string)) []app.UI {
	on := func(field string) func(ctx app.Context, v string) {
		return func(ctx app.Context, v string) { set(ctx, field, v) }
	}
	return []app.UI{
		textField(fieldSpec{key: key, id: pre + "-url", label: urlLabel, typ: "url", placeholder: "https://", value: ev.URL, err: urlErr, commit: on("url")}),
		textField(fieldSpec{key: key, id: pre + "-quote", label: "Quote", value: ev.Quote, rows: 2, commit: on("quote")}),
		app.Div().Class("field-row").Body(
			selectField(key, pre+"-stance", "Stance", stances(), ev.Stance, "", on("stance")),
			textField(fieldSpec{key: key, id: pre + "-accessed", label: "Date accessed", typ: "date", value: ev.Accessed, commit: on("accessed")}),
		),
	}
}

// setEvidenceField sets one field of an evidence item.
func setEvidenceField(e *annotate.Evidence, field, v string) {
	switch field {
	case "url":
		e.URL = v
	case "quote":
		e.Quote = v
	case "stance":
		e.Stance = v
	case "accessed":
		e.Accessed = v
	}
}

func (d *detailsView) renderEvidence(a annotate.Annotation, c *annotate.Claim) app.UI {
	sh := d.sh
	f := &sh.cl
	id := a.ID
	var items []app.UI
	for i, ev := range c.Evidence {
		pre := fmt.Sprintf("ev-%d", i)
		n := i + 1
		var link app.UI = app.Span().Class("ev-link").Text(ev.URL)
		if href := safeHref(ev.URL); href != "" {
			link = app.A().Class("ev-link").Href(href).Rel("noopener noreferrer").Target("_blank").Text(ev.URL)
		}
		set := func(ctx app.Context, field, v string) {
			if field == "url" {
				if err := checkEvidenceURL(v); err != nil {
					f.setErr(pre+"-url", err.Error())
					return
				}
				f.clearErr(pre + "-url")
			}
			sh.setClaim(ctx, id, fmt.Sprintf("evidence %d %s", n, field), func(c *annotate.Claim) {
				if i < len(c.Evidence) {
					setEvidenceField(&c.Evidence[i], field, v)
				}
			})
		}
		kids := append([]app.UI{app.P().Class("ev-head").Body(app.Span().Class("ev-num").Text(fmt.Sprintf("%d.", n)), link)},
			evidenceFields(id, pre, "URL", ev, f.errs[pre+"-url"], set)...)
		kids = append(kids, app.Button().Type("button").Class("btn btn-quiet ev-remove").
			Text(fmt.Sprintf("Remove evidence %d", n)).
			OnClick(func(ctx app.Context, e app.Event) {
				if sh.setClaim(ctx, id, fmt.Sprintf("evidence (removed item %d)", n), func(c *annotate.Claim) {
					if i < len(c.Evidence) {
						c.Evidence = append(c.Evidence[:i:i], c.Evidence[i+1:]...)
					}
					if len(c.Evidence) == 0 {
						c.Evidence = nil
					}
				}) {
					f.errs = nil
					f.ver++
					sh.later(func() { glueFocusID("ev-new-url") })
				}
			}, app.EventScope(id, i)))
		items = append(items, app.Li().Class("evidence").Body(kids...))
	}

	// The item being added: its fields only fill the draft.
	draft := func(ctx app.Context, field, v string) {
		setEvidenceField(&f.draft, field, v)
		if field == "url" {
			if err := checkEvidenceURL(v); v != "" && err != nil {
				f.setErr("ev-new-url", err.Error())
			} else {
				f.clearErr("ev-new-url")
			}
		}
	}
	add := append([]app.UI{app.P().ID("ev-new-head").Class("ev-new-head").Role("heading").Aria("level", "3").Text("Add evidence")},
		evidenceFields(id, "ev-new", "Source URL (http or https)", f.draft, f.errs["ev-new-url"], draft)...)
	add = append(add, app.Button().Type("button").ID("ev-add").Class("btn").Text("Add evidence").
		OnClick(func(ctx app.Context, e app.Event) { sh.addEvidence(ctx, id) }, app.EventScope(id)))
	var list app.UI
	if len(items) > 0 {
		list = app.Ol().Class("evidence-list").Body(items...)
	}
	return group("evidence-legend", "evidence-set", fmt.Sprintf("Evidence (%d)", len(c.Evidence)),
		list,
		app.Div().Class("ev-new").Role("group").Aria("labelledby", "ev-new-head").Body(add...),
	)
}

// checkEvidenceURL checks an evidence URL, with what to do about it.
func checkEvidenceURL(u string) error {
	if u == "" {
		return fmt.Errorf("enter the http or https address of the source")
	}
	if err := annotate.CheckURL(u); err != nil {
		return fmt.Errorf("not added: %s", err.Error())
	}
	return nil
}

// addEvidence adds the draft evidence item to the claim of span id, as one
// edit, after checking it; a refused item stays in the form with its error.
func (sh *Shell) addEvidence(ctx app.Context, id string) {
	f := &sh.cl
	// The fields' current values: a click on Add may come before their
	// change events were handled.
	for _, fv := range []struct {
		id string
		to *string
	}{{"ev-new-url", &f.draft.URL}, {"ev-new-quote", &f.draft.Quote}, {"ev-new-stance", &f.draft.Stance}, {"ev-new-accessed", &f.draft.Accessed}} {
		if el := app.Window().GetElementByID(fv.id); el.Truthy() {
			if v := strings.TrimSpace(el.Get("value").String()); v != noneValue {
				*fv.to = v
			} else {
				*fv.to = ""
			}
		}
	}
	ev := f.draft
	if err := checkEvidenceURL(ev.URL); err != nil {
		f.setErr("ev-new-url", err.Error())
		sh.s.message = upperFirst(err.Error()) + "."
		sh.later(func() { glueFocusID("ev-new-url") })
		return
	}
	if ev.Accessed == "" {
		ev.Accessed = sh.s.now().Format("2006-01-02")
	}
	if !sh.setClaim(ctx, id, "evidence (added an item)", func(c *annotate.Claim) { c.Evidence = append(c.Evidence, ev) }) {
		return
	}
	f.draft = annotate.Evidence{}
	f.errs = nil
	f.ver++
	for _, fid := range []string{"ev-new-url", "ev-new-quote", "ev-new-stance", "ev-new-accessed"} {
		if el := app.Window().GetElementByID(fid); el.Truthy() {
			el.Set("value", "")
		}
	}
	sh.later(func() { glueFocusID("ev-new-url") })
}
