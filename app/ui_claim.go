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
	return app.Div().Class("field").Body(
		app.Label().For("span-note").Text("Note"),
		app.Textarea().ID("span-note").Class("input").Rows(3).Text(a.Note).DataSet("saved", "="+a.Note).
			OnChange(func(ctx app.Context, e app.Event) {
				sh.setNote(ctx, id, ctx.JSSrc().Get("value").String())
			}),
	)
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

// field is a labelled control with an optional hint or error below it.
func field(id, label string, control app.UI, notes ...app.UI) app.UI {
	kids := []app.UI{app.Label().For(id).Text(label), control}
	for _, n := range notes {
		if n != nil {
			kids = append(kids, n)
		}
	}
	return app.Div().Class("field").Body(kids...)
}

// errorNote is the inline error of field id ("" renders nothing).
func errorNote(id, msg string) app.UI {
	if msg == "" {
		return nil
	}
	return app.P().ID(id + "-err").Class("field-error").Role("alert").Text(msg)
}

// invalid marks a text input invalid and points it at its error.
func invalid(in app.HTMLInput, id, msg string) app.HTMLInput {
	if msg == "" {
		return in
	}
	return in.Aria("invalid", "true").Aria("describedby", id+"-err")
}

func (d *detailsView) renderClaim(a annotate.Annotation) app.UI {
	sh := d.sh
	s := sh.s
	id := a.ID
	c := a.Claim
	if c == nil {
		c = &annotate.Claim{}
	}

	// Verdict, with its FEVER and AVeriTeC labels.
	opts := []app.UI{app.Option().Value(noneValue).Selected(c.Verdict == "").Text("— no verdict —")}
	for _, v := range annotate.Verdicts() {
		opts = append(opts, app.Option().Value(v.ID).Selected(c.Verdict == v.ID).
			Text(fmt.Sprintf("%s (FEVER %s; AVeriTeC %s)", v.Name, v.FEVER, v.AVeriTeC)))
	}
	mapping := "No verdict yet."
	if v, ok := annotate.VerdictByID(c.Verdict); ok {
		mapping = fmt.Sprintf("FEVER: %s · AVeriTeC: %s · ClaimReview rating %d of %d", v.FEVER, v.AVeriTeC, v.Rating, annotate.BestRating)
	}
	verdict := field("claim-verdict", "Verdict",
		app.Select().ID("claim-verdict").Class("input").Aria("describedby", "claim-verdict-map").Body(opts...).
			OnChange(func(ctx app.Context, e app.Event) {
				v := value(ctx)
				sh.setClaim(ctx, id, "verdict", func(c *annotate.Claim) { c.Verdict = v })
			}),
		app.P().ID("claim-verdict-map").Class("field-hint").Text(mapping),
	)

	// Restated claim text, with the length warning.
	var textNote app.UI
	if w := annotate.ClaimTextWarning(c); w != "" {
		textNote = app.P().ID("claim-text-warn").Class("field-warn").Text(upperFirst(strings.TrimPrefix(w, "claim.text: ")))
	}
	textIn := app.Input().Type("text").ID("claim-text").Class("input").Value(c.Text).DataSet("saved", "="+c.Text).
		OnChange(func(ctx app.Context, e app.Event) {
			v := strings.TrimSpace(value(ctx))
			sh.setClaim(ctx, id, "restated text", func(c *annotate.Claim) { c.Text = v })
		})
	if textNote != nil {
		textIn = textIn.Aria("describedby", "claim-text-warn")
	}
	text := field("claim-text", "Claim, restated in a short sentence", textIn, textNote)

	// Claimant: a person span of the document, or a typed name.
	copts := []app.UI{app.Option().Value(noneValue).Selected(c.Claimant.SpanID == "").Text("— none (or type a name below) —")}
	seen := false
	for _, p := range sh.personSpans() {
		if p.ID == c.Claimant.SpanID {
			seen = true
		}
		copts = append(copts, app.Option().Value(p.ID).Selected(p.ID == c.Claimant.SpanID).
			Text(fmt.Sprintf("%s (at %d)", strings.Join(strings.Fields(s.index().Slice(p.Range())), " "), p.Start)))
	}
	if !seen && c.Claimant.SpanID != "" {
		name := c.Claimant.SpanID
		if p, ok := s.state.Annotation(name); ok {
			name = strings.Join(strings.Fields(s.index().Slice(p.Range())), " ")
		}
		copts = append(copts, app.Option().Value(c.Claimant.SpanID).Selected(true).Text(name))
	}
	// Groups are divs with role=group named by their first line: the same
	// to assistive technology as fieldset and legend, and no go-app element
	// types the rest of the app does not use (each costs wasm size).
	claimant := app.Div().Class("fieldset").Role("group").Aria("labelledby", "claimant-legend").Body(
		app.P().ID("claimant-legend").Class("legend").Text("Claimant"),
		field("claim-claimant", "Person in the article",
			app.Select().ID("claim-claimant").Class("input").Body(copts...).
				OnChange(func(ctx app.Context, e app.Event) {
					v := value(ctx)
					sh.setClaim(ctx, id, "claimant", func(c *annotate.Claim) {
						c.Claimant = annotate.Claimant{SpanID: v}
						if v == "" {
							c.Claimant.Name = ""
						}
					})
				})),
		field("claim-claimant-name", "or a name",
			app.Input().Type("text").ID("claim-claimant-name").Class("input").Value(c.Claimant.Name).DataSet("saved", "="+c.Claimant.Name).
				AutoComplete(false).
				OnChange(func(ctx app.Context, e app.Event) {
					v := strings.Join(strings.Fields(value(ctx)), " ")
					sh.setClaim(ctx, id, "claimant", func(c *annotate.Claim) {
						if v == "" && c.Claimant.SpanID != "" {
							return
						}
						c.Claimant = annotate.Claimant{Name: v}
					})
				})),
	)

	// Date and check-worthiness.
	date := field("claim-date", "Claim date",
		app.Input().Type("date").ID("claim-date").Class("input").Value(c.Date).DataSet("saved", "="+c.Date).
			OnChange(func(ctx app.Context, e app.Event) {
				v := value(ctx)
				sh.setClaim(ctx, id, "date", func(c *annotate.Claim) { c.Date = v })
			}))
	worthy := "unset"
	if c.CheckWorthy != nil {
		worthy = strconv.FormatBool(*c.CheckWorthy)
	}
	wopts := []app.UI{}
	for _, o := range [][2]string{{"unset", "Not assessed"}, {"true", "Yes, worth checking"}, {"false", "No"}} {
		wopts = append(wopts, app.Option().Value(o[0]).Selected(worthy == o[0]).Text(o[1]))
	}
	checkWorthy := field("claim-worthy", "Check-worthy",
		app.Select().ID("claim-worthy").Class("input").Body(wopts...).
			OnChange(func(ctx app.Context, e app.Event) {
				v := value(ctx)
				sh.setClaim(ctx, id, "check-worthiness", func(c *annotate.Claim) {
					c.CheckWorthy = nil
					if b, err := strconv.ParseBool(v); err == nil {
						c.CheckWorthy = &b
					}
				})
			}))

	rationale := field("claim-rationale", "Rationale",
		app.Textarea().ID("claim-rationale").Class("input").Rows(4).Text(c.Rationale).DataSet("saved", "="+c.Rationale).
			OnChange(func(ctx app.Context, e app.Event) {
				v := strings.TrimSpace(value(ctx))
				sh.setClaim(ctx, id, "rationale", func(c *annotate.Claim) { c.Rationale = v })
			}))

	// The published fact-check, when there is one (ClaimReview's url).
	f := &sh.cl
	revErr := f.errs["claim-review-url"]
	review := field("claim-review-url", "Published fact-check URL (optional)",
		invalid(app.Input().Type("url").ID("claim-review-url").Class("input").Placeholder("https://").Value(c.ReviewURL).DataSet("saved", "="+c.ReviewURL).
			OnChange(func(ctx app.Context, e app.Event) {
				v := strings.TrimSpace(value(ctx))
				if v != "" {
					if err := annotate.CheckURL(v); err != nil {
						f.setErr("claim-review-url", "Not saved: "+err.Error()+".")
						return
					}
				}
				f.clearErr("claim-review-url")
				sh.setClaim(ctx, id, "review URL", func(c *annotate.Claim) { c.ReviewURL = v })
			}), "claim-review-url", revErr),
		errorNote("claim-review-url", revErr))

	return app.Div().Class("claim-form").Body(
		verdict, text, claimant,
		app.Div().Class("field-row").Body(date, checkWorthy),
		rationale,
		d.renderEvidence(a, c),
		review,
	)
}

// personSpans lists the document's person spans (labels with id or name
// "person"), in document order: the claimants a claim can name.
func (sh *Shell) personSpans() []annotate.Annotation {
	s := sh.s
	var out []annotate.Annotation
	for _, a := range s.state.Annotations() {
		l := s.label(a.Label)
		if l.Kind == annotate.KindEntity && (strings.EqualFold(l.ID, "person") || strings.EqualFold(l.Name, "person")) {
			out = append(out, a)
		}
	}
	return out
}

// stanceSelect is a stance picker.
func stanceSelect(sh *Shell, id, cur string, change func(ctx app.Context, v string)) app.HTMLSelect {
	opts := []app.UI{app.Option().Value(noneValue).Selected(cur == "").Text("— not set —")}
	for _, st := range annotate.Stances() {
		opts = append(opts, app.Option().Value(st.ID).Selected(cur == st.ID).Text(st.Name))
	}
	return app.Select().ID(id).Class("input").Body(opts...).
		OnChange(func(ctx app.Context, e app.Event) { change(ctx, value(ctx)) })
}

// safeHref returns u when it is an http or https URL (the only links the
// panel renders), else "".
func safeHref(u string) string {
	if annotate.CheckURL(u) != nil {
		return ""
	}
	return u
}

func (d *detailsView) renderEvidence(a annotate.Annotation, c *annotate.Claim) app.UI {
	sh := d.sh
	f := &sh.cl
	id := a.ID
	var items []app.UI
	for i, ev := range c.Evidence {
		i, ev := i, ev
		pre := fmt.Sprintf("ev-%d", i)
		n := i + 1
		edit := func(what string, change func(e *annotate.Evidence)) func(ctx app.Context) {
			return func(ctx app.Context) {
				sh.setClaim(ctx, id, fmt.Sprintf("evidence %d %s", n, what), func(c *annotate.Claim) {
					if i < len(c.Evidence) {
						change(&c.Evidence[i])
					}
				})
			}
		}
		var link app.UI
		if href := safeHref(ev.URL); href != "" {
			link = app.A().Class("ev-link").Href(href).Rel("noopener noreferrer").Target("_blank").Text(ev.URL)
		} else {
			link = app.Span().Class("ev-link").Text(ev.URL)
		}
		urlErr := f.errs[pre+"-url"]
		items = append(items, app.Li().Class("evidence").Body(
			app.P().Class("ev-head").Body(app.Span().Class("ev-num").Text(fmt.Sprintf("%d.", n)), link),
			field(pre+"-url", "URL", invalid(app.Input().Type("url").ID(pre+"-url").Class("input").Value(ev.URL).DataSet("saved", "="+ev.URL).
				OnChange(func(ctx app.Context, e app.Event) {
					v := strings.TrimSpace(value(ctx))
					if err := checkEvidenceURL(v); err != nil {
						f.setErr(pre+"-url", err.Error())
						return
					}
					f.clearErr(pre + "-url")
					edit("URL", func(e *annotate.Evidence) { e.URL = v })(ctx)
				}), pre+"-url", urlErr), errorNote(pre+"-url", urlErr)),
			field(pre+"-quote", "Quote", app.Textarea().ID(pre+"-quote").Class("input").Rows(2).Text(ev.Quote).DataSet("saved", "="+ev.Quote).
				OnChange(func(ctx app.Context, e app.Event) {
					v := strings.TrimSpace(value(ctx))
					edit("quote", func(e *annotate.Evidence) { e.Quote = v })(ctx)
				})),
			app.Div().Class("field-row").Body(
				field(pre+"-stance", "Stance", stanceSelect(sh, pre+"-stance", ev.Stance, func(ctx app.Context, v string) {
					edit("stance", func(e *annotate.Evidence) { e.Stance = v })(ctx)
				})),
				field(pre+"-accessed", "Date accessed", app.Input().Type("date").ID(pre+"-accessed").Class("input").Value(ev.Accessed).DataSet("saved", "="+ev.Accessed).
					OnChange(func(ctx app.Context, e app.Event) {
						v := value(ctx)
						edit("access date", func(e *annotate.Evidence) { e.Accessed = v })(ctx)
					})),
			),
			app.Button().Type("button").Class("btn btn-quiet ev-remove").
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
				}),
		))
	}

	// The item being added.
	dr := f.draft
	newErr := f.errs["ev-new-url"]
	draft := app.Div().Class("ev-new").Role("group").Aria("labelledby", "ev-new-head").Body(
		app.P().ID("ev-new-head").Class("ev-new-head").Role("heading").Aria("level", "3").Text("Add evidence"),
		field("ev-new-url", "Source URL (http or https)", invalid(app.Input().Type("url").ID("ev-new-url").Class("input").
			Placeholder("https://").Value(dr.URL).DataSet("saved", "="+dr.URL).
			OnChange(func(ctx app.Context, e app.Event) {
				f.draft.URL = strings.TrimSpace(value(ctx))
				if f.draft.URL == "" {
					f.clearErr("ev-new-url")
				} else if err := checkEvidenceURL(f.draft.URL); err != nil {
					f.setErr("ev-new-url", err.Error())
				} else {
					f.clearErr("ev-new-url")
				}
			}), "ev-new-url", newErr), errorNote("ev-new-url", newErr)),
		field("ev-new-quote", "Quote", app.Textarea().ID("ev-new-quote").Class("input").Rows(2).Text(dr.Quote).DataSet("saved", "="+dr.Quote).
			OnChange(func(ctx app.Context, e app.Event) { f.draft.Quote = strings.TrimSpace(value(ctx)) })),
		app.Div().Class("field-row").Body(
			field("ev-new-stance", "Stance", stanceSelect(sh, "ev-new-stance", dr.Stance, func(ctx app.Context, v string) { f.draft.Stance = v })),
			field("ev-new-accessed", "Date accessed", app.Input().Type("date").ID("ev-new-accessed").Class("input").Value(dr.Accessed).DataSet("saved", "="+dr.Accessed).
				OnChange(func(ctx app.Context, e app.Event) { f.draft.Accessed = value(ctx) })),
		),
		app.Button().Type("button").ID("ev-add").Class("btn").Text("Add evidence").
			OnClick(func(ctx app.Context, e app.Event) { sh.addEvidence(ctx, id) }),
	)
	return app.Div().Class("fieldset evidence-set").Role("group").Aria("labelledby", "evidence-legend").Body(
		app.P().ID("evidence-legend").Class("legend").Text(fmt.Sprintf("Evidence (%d)", len(c.Evidence))),
		app.If(len(items) > 0, func() app.UI { return app.Ol().Class("evidence-list").Body(items...) }),
		draft,
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
