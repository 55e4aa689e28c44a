package main

import (
	"strconv"

	"github.com/maxence-charriere/go-app/v10/pkg/app"
)

// The status of autosave, the network and the app's version, in the header:
// saveStatus is the line of small indicators ("Saved", "Online"), and
// storageNotice the sentences under the header when something needs the
// user: a storage failure, a read-only tab, a new version to reload into.

// statusUI returns the indicators for the header.
func (a *autosaver) statusUI() app.UI { return &saveStatus{V: a.view(), a: a} }

// noticeUI returns the notices under the header.
func (a *autosaver) noticeUI() app.UI { return &storageNotice{V: a.view(), a: a} }

// saveStatus shows whether the work is saved and whether the browser is
// online. It also receives go-app's update notice (OnAppUpdate).
type saveStatus struct {
	app.Compo
	V saveView
	a *autosaver
}

// OnMount connects the saver to the UI goroutine.
func (c *saveStatus) OnMount(ctx app.Context) { c.a.mount(ctx) }

// OnAppUpdate is called by go-app when a new version of the app has been
// installed by the service worker: the notice offers to reload into it.
func (c *saveStatus) OnAppUpdate(ctx app.Context) {
	if c.a != nil {
		c.a.updateReady = true
	}
}

func (c *saveStatus) Render() app.UI {
	v := c.V
	net := app.Span().Class("net-status", "net-online").Title("Online. Factmark works offline too: everything happens in this browser.").Text("Online")
	if !v.Online {
		net = app.Span().Class("net-status", "net-offline").Title("Offline. Factmark keeps working and saving in this browser; only updates wait for the network.").Text("Offline")
	}
	save := app.Span().Class("save-status").Hidden(true)
	if v.Status != "none" {
		save = app.Span().Class("save-status", "save-"+v.Status).DataSet("save", v.Status).
			Aria("busy", v.Busy).Title(v.Title).Text(v.Text)
	}
	return app.Div().Class("indicators", "tools").ID("indicators").Aria("label", "Saving and network status").Role("group").Body(
		save,
		net,
	)
}

// storageNotice shows what needs the user's attention about saving, other
// tabs and updates, with the buttons that act on it.
type storageNotice struct {
	app.Compo
	V saveView
	a *autosaver
}

func (c *storageNotice) Render() app.UI {
	v := c.V
	var notes []app.UI
	if v.Notice != "" {
		role := "status"
		if v.NoticeKind == "error" {
			role = "alert"
		}
		var buttons []app.UI
		if v.EditHere {
			buttons = append(buttons, app.Button().Type("button").Class("btn").ID("edit-here").Text("Edit here").
				Title("Ask the other tab to save and let this tab edit").
				OnClick(func(ctx app.Context, e app.Event) { c.a.requestHandover() }))
		}
		if v.Retry {
			buttons = append(buttons, app.Button().Type("button").Class("btn").ID("save-retry").Text("Retry").
				OnClick(func(ctx app.Context, e app.Event) { c.a.retry() }))
		}
		if v.Backup {
			buttons = append(buttons, app.Button().Type("button").Class("btn").ID("save-backup").Text("Download the saved data").
				Title("Download the saved data as it is stored, to keep it or open it with another version").
				OnClick(func(ctx app.Context, e app.Event) { c.a.backup() }))
		}
		notes = append(notes, app.Div().Class("notice", "notice-"+v.NoticeKind).ID("save-notice").Role(role).Body(
			append([]app.UI{app.Span().Class("notice-text").Text(v.Notice)}, buttons...)...,
		))
	}
	if v.UpdateReady {
		notes = append(notes, app.Div().Class("notice", "notice-info").ID("update-notice").Role("status").Body(
			app.Span().Class("notice-text").Text("A new version of Factmark is ready."),
			app.Button().Type("button").Class("btn", "btn-primary").ID("update-reload").Text("Reload").
				Title("Save and reload into the new version").
				OnClick(func(ctx app.Context, e app.Event) { c.a.reload(ctx) }),
		))
	}
	return app.Div().Class("notices").Body(notes...)
}

// plural is n and a noun made plural with an s when n is not 1: "1
// document", "3 documents".
func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return strconv.Itoa(n) + " " + what + "s"
}
