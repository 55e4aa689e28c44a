package main

import "github.com/maxence-charriere/go-app/v10/pkg/app"

// registerRoutes declares the pages of the app. It runs both in the browser
// (where the route's component is mounted) and natively (where the handler
// pre-renders it), so it must not touch anything browser-only.
func registerRoutes() {
	app.Route("/", func() app.Composer { return &Shell{} })
}
