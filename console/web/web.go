// Package web serves the console's pages: server-rendered html/template pages over a Source
// (the console's backend), live instance rows as server-sent events, and its assets, all
// embedded in the binary so that nothing loads from outside.
package web

import (
	"bytes"
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"math/big"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/dec2-cloud/dec2/cli/provider"
	"github.com/dec2-cloud/dec2/cli/wallet"
	"github.com/dec2-cloud/dec2/console/view"
	"github.com/dec2-cloud/dec2/instances"
	"github.com/dec2-cloud/dec2/metering"
	"github.com/dec2-cloud/dec2/pricing"
)

//go:embed templates/*.html
var templates embed.FS

//go:embed static
var static embed.FS

// Source is what the pages read and do: the console's backend.
type Source interface {
	Wallet() string
	Namespace() string
	Instances(ctx context.Context, number, perPage int) (view.Page, []view.InstanceRow, error)
	Launch(ctx context.Context, spec instances.Spec) error
	Stop(ctx context.Context, name string) error
	Logs(ctx context.Context, name string, w io.Writer) error
	Nodes(ctx context.Context) ([]view.Node, error)
	Quotes(ctx context.Context) ([]view.Quote, error)
	Balance(ctx context.Context) (wallet.Balance, error)
	Deposit(ctx context.Context, amount *big.Int) (wallet.Receipts, error)
	Withdraw(ctx context.Context, amount *big.Int) (wallet.Receipts, error)
	// DepositTxs and WithdrawTxs build a deposit or withdrawal unsigned, for a signed-in
	// user's browser wallet to send (the region console, which holds no key).
	DepositTxs(ctx context.Context, amount *big.Int) (view.Unsigned, error)
	WithdrawTxs(ctx context.Context, amount *big.Int) (view.Unsigned, error)
	Statement(ctx context.Context, asProvider bool, since string) (wallet.Statement, error)
	ProviderNodes(ctx context.Context, nodes []view.Node) ([]provider.Status, error)
	Host(ctx context.Context, nodeID string) (*view.HostUse, error)
	// Buckets answers view.ErrNoStorage when the console has no storage service, and
	// view.ErrStorageNeedsKey when it holds no key to sign the service's requests with.
	Buckets(ctx context.Context) ([]view.Bucket, error)
	// Holdings is the wallet's storage by provider, what a console without its key shows
	// instead of its buckets; view.ErrNoStorage without the storage service.
	Holdings(ctx context.Context) (view.Holdings, error)
	Packing(ctx context.Context) (view.Packing, error)
	Operator(ctx context.Context) (view.Operator, error)
	// Watch calls changed whenever the instances may have changed, until ctx ends.
	Watch(ctx context.Context, changed func())
}

// Server is the console.
type Server struct {
	src     Source
	log     *slog.Logger
	pages   map[string]*template.Template
	perPage int
	hub     hub
	// ended is closed when Run returns: the live pages' streams end with it (a region
	// console's session that expired or signed out).
	ended chan struct{}
	// signedIn is the region console's user: every page has a sign-out button, and the
	// wallet page's deposits and withdrawals are sent by the browser's wallet.
	signedIn bool
}

var pageFiles = []string{"instances", "launch", "buckets", "wallet", "provider", "region", "operator"}

var funcs = template.FuncMap{
	"short": func(s string) string { return s[:min(8, len(s))] },
	"time":  func(t time.Time) string { return t.UTC().Format("2006-01-02 15:04:05Z") },
	"tokens": func(baseUnits string) string {
		v, ok := new(big.Int).SetString(baseUnits, 10)
		if !ok {
			return baseUnits
		}
		return pricing.FormatAmount(v)
	},
	"amount": func(v *big.Int) string {
		if v == nil {
			return "0"
		}
		return pricing.FormatAmount(v)
	},
	"percent": view.Percent,
	"bytes":   view.Bytes,
}

// New makes the console over src, perPage instances a page (0: view.DefaultPerPage).
func New(src Source, log *slog.Logger, perPage int) (*Server, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	s := &Server{src: src, log: log, pages: map[string]*template.Template{}, perPage: perPage}
	for _, p := range pageFiles {
		t, err := parsePage(p)
		if err != nil {
			return nil, err
		}
		s.pages[p] = t
	}
	s.hub.subs = map[chan struct{}]bool{}
	s.ended = make(chan struct{})
	return s, nil
}

// NewSignedIn is New for one signed-in user of the region console (console/region): every
// page carries a sign-out button, and a deposit or withdrawal is built unsigned for the page
// to hand to the browser's wallet (static/send.js).
func NewSignedIn(src Source, log *slog.Logger, perPage int) (*Server, error) {
	s, err := New(src, log, perPage)
	if err != nil {
		return nil, err
	}
	s.signedIn = true
	return s, nil
}

func parsePage(p string) (*template.Template, error) {
	t, err := template.New(p).Funcs(funcs).ParseFS(templates, "templates/layout.html", "templates/"+p+".html")
	if err != nil {
		return nil, fmt.Errorf("console template %s: %w", p, err)
	}
	return t, nil
}

// Run follows the source's changes for the live pages until ctx ends, then ends their streams.
// It runs once.
func (s *Server) Run(ctx context.Context) {
	defer close(s.ended)
	s.src.Watch(ctx, s.hub.notify)
}

// Handler serves the console. It answers only requests addressed to a loopback host (a page
// elsewhere cannot rebind a name to it) and refuses cross-origin form posts: the console acts
// with the CLI's key, so no other site may make it deposit or launch.
func (s *Server) Handler() http.Handler {
	return loopbackOnly(http.NewCrossOriginProtection().Handler(s.Routes()))
}

// Assets serves the console's embedded assets under /static/.
func Assets() http.Handler {
	sub, _ := fs.Sub(static, "static")
	return http.StripPrefix("/static/", http.FileServerFS(sub))
}

// Routes serves the pages with neither Handler's loopback check nor its cross-origin
// protection: for the region console (console/region), which serves any host its users reach
// it by, admits each request by its session and refuses cross-origin posts itself.
func (s *Server) Routes() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("GET /static/", Assets())
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, "/instances", http.StatusFound) })
	mux.HandleFunc("GET /instances", s.instances)
	mux.HandleFunc("GET /events/instances", s.instanceEvents)
	mux.HandleFunc("POST /instances/{name}/stop", s.stop)
	mux.HandleFunc("GET /instances/{name}/logs", s.logs)
	mux.HandleFunc("GET /launch", s.launchPage)
	mux.HandleFunc("POST /launch", s.launch)
	mux.HandleFunc("GET /wallet", s.walletPage)
	mux.HandleFunc("POST /wallet/{action}", s.transact)
	mux.HandleFunc("GET /wallet/statement.csv", s.statementCSV)
	mux.HandleFunc("GET /provider", s.providerPage)
	mux.HandleFunc("GET /region", s.regionPage)
	mux.HandleFunc("GET /buckets", s.bucketsPage)
	mux.HandleFunc("GET /operator", s.operatorPage)
	return mux
}

func loopbackOnly(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		host, _, err := net.SplitHostPort(r.Host)
		if err != nil {
			host = r.Host
		}
		ip := net.ParseIP(strings.Trim(host, "[]"))
		if host != "localhost" && (ip == nil || !ip.IsLoopback()) {
			http.Error(w, "the console answers only at a loopback address", http.StatusMisdirectedRequest)
			return
		}
		next.ServeHTTP(w, r)
	})
}

// data is what every page's template gets.
type data struct {
	Title, Nav, Wallet, Namespace, Flash, Error string
	// SignOut shows the sign-out button (the region console).
	SignOut bool

	Page      view.Page
	Instances []view.InstanceRow
	Quotes    []view.Quote
	Form      form
	Errs      []*view.FieldError
	Balance   *wallet.Balance
	Statement wallet.Statement
	Series    view.Series
	Statuses  []provider.Status
	Mine      []myNode
	Nodes     []view.Node
	Spreads   []view.Spread
	Packing   *view.Packing
	Buckets   []view.Bucket
	// NoStorage says the console runs without the storage service, so there are no buckets.
	NoStorage string
	// NoNames: the buckets cannot be listed by name (a console without the wallet's key);
	// Holdings is what it shows instead.
	NoNames  bool
	Holdings *view.Holdings
	// Send is a deposit or withdrawal for the browser's wallet to send (static/send.js).
	Send     *view.Unsigned
	Operator view.Operator
}

// form is what the user typed, shown again beside its errors.
type form struct {
	Name, Type, Image, Port, Args, Deposit, Withdraw string
}

// FieldErr is the error of field, nil when it has none.
func (d data) FieldErr(field string) *view.FieldError {
	for _, e := range d.Errs {
		if e.Field == field {
			return e
		}
	}
	return nil
}

type chart struct {
	ID, Label string
	Series    view.Series
}

// Chart is a chart of the page's series.
func (d data) Chart(id, label string) chart { return chart{id, label, d.Series} }

func (s *Server) data(title, nav string) data {
	return data{Title: title, Nav: nav, Wallet: s.src.Wallet(), Namespace: s.src.Namespace(), SignOut: s.signedIn}
}

func (s *Server) render(w http.ResponseWriter, page string, code int, d data) {
	render(w, s.log, s.pages[page], code, d)
}

func render(w http.ResponseWriter, log *slog.Logger, t *template.Template, code int, d data) {
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "layout", d); err != nil {
		log.Error("console: rendering", "page", t.Name(), "err", err)
		http.Error(w, "rendering the page failed", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(code)
	_, _ = w.Write(buf.Bytes())
}

// SignIn is the page the region console (console/region) shows a visitor without a session:
// its script (static/signin.js) asks the browser's wallet for an account and a signature, so
// the key stays in the wallet.
type SignIn struct {
	page *template.Template
	log  *slog.Logger
}

// NewSignIn parses the sign-in page.
func NewSignIn(log *slog.Logger) (*SignIn, error) {
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	t, err := parsePage("signin")
	if err != nil {
		return nil, err
	}
	return &SignIn{page: t, log: log}, nil
}

// Render writes the sign-in page with flash ("" for none) above its button.
func (p *SignIn) Render(w http.ResponseWriter, code int, flash string) {
	render(w, p.log, p.page, code, data{Title: "Sign in", Nav: "signin", Flash: flash})
}

// failed shows err on the page; the page still renders what it has.
func (s *Server) failed(d *data, what string, err error) {
	s.log.Warn("console: "+what, "err", err)
	msg := what + ": " + err.Error()
	if d.Error != "" {
		d.Error += "; " + msg
	} else {
		d.Error = msg
	}
}

func pageNumber(r *http.Request) int {
	n, _ := strconv.Atoi(r.URL.Query().Get("page"))
	return n
}

func (s *Server) instances(w http.ResponseWriter, r *http.Request) {
	d := s.data("Instances", "instances")
	d.Flash = r.URL.Query().Get("flash")
	var err error
	if d.Page, d.Instances, err = s.src.Instances(r.Context(), pageNumber(r), s.perPage); err != nil {
		s.failed(&d, "reading the instances", err)
	}
	s.render(w, "instances", http.StatusOK, d)
}

// instanceEvents streams the page's rows, rendered, each time the source reports a change.
func (s *Server) instanceEvents(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	ch := s.hub.subscribe()
	defer s.hub.unsubscribe(ch)
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	fmt.Fprint(w, ": live instances\n\n")
	fl.Flush()
	number := pageNumber(r)
	keep := time.NewTicker(15 * time.Second)
	defer keep.Stop()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.ended:
			return
		case <-keep.C:
			fmt.Fprint(w, ": keep-alive\n\n")
		case <-ch:
			// A burst of events (an allocation placed, started, its job updated) becomes one read.
			time.Sleep(200 * time.Millisecond)
			select {
			case <-ch:
			default:
			}
			d := s.data("", "")
			p, rows, err := s.src.Instances(r.Context(), number, s.perPage)
			if err != nil {
				s.log.Warn("console: reading the instances for the live page", "err", err)
				continue
			}
			d.Page, d.Instances = p, rows
			var buf bytes.Buffer
			if err := s.pages["instances"].ExecuteTemplate(&buf, "rows", d); err != nil {
				s.log.Error("console: rendering live rows", "err", err)
				return
			}
			fmt.Fprint(w, "event: instances\n")
			for _, line := range strings.Split(buf.String(), "\n") {
				fmt.Fprintf(w, "data: %s\n", line)
			}
			fmt.Fprint(w, "\n")
		}
		fl.Flush()
	}
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if err := s.src.Stop(r.Context(), name); err != nil {
		d := s.data("Instances", "instances")
		s.failed(&d, "stopping "+name, err)
		d.Page, d.Instances, _ = s.src.Instances(r.Context(), 1, s.perPage)
		s.render(w, "instances", http.StatusBadGateway, d)
		return
	}
	http.Redirect(w, r, "/instances?flash="+urlQuery("Stopping "+name+": billing stops with it."), http.StatusSeeOther)
}

func (s *Server) logs(w http.ResponseWriter, r *http.Request) {
	var buf bytes.Buffer
	if err := s.src.Logs(r.Context(), r.PathValue("name"), &buf); err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write(buf.Bytes())
}

func (s *Server) launchData(r *http.Request) data {
	d := s.data("Launch an instance", "launch")
	var err error
	if d.Quotes, err = s.src.Quotes(r.Context()); err != nil {
		s.failed(&d, "pricing the catalogue", err)
	}
	return d
}

func (s *Server) launchPage(w http.ResponseWriter, r *http.Request) {
	s.render(w, "launch", http.StatusOK, s.launchData(r))
}

func (s *Server) launch(w http.ResponseWriter, r *http.Request) {
	f := form{Name: strings.TrimSpace(r.FormValue("name")), Type: strings.TrimSpace(r.FormValue("type")),
		Image: strings.TrimSpace(r.FormValue("image")), Port: strings.TrimSpace(r.FormValue("port")), Args: r.FormValue("args")}
	spec := instances.Spec{Name: f.Name, Type: f.Type, Image: f.Image, Count: 1}
	for _, a := range strings.Split(f.Args, "\n") {
		if a = strings.TrimSpace(a); a != "" {
			spec.Args = append(spec.Args, a)
		}
	}
	var err error
	if f.Port != "" {
		p, perr := strconv.Atoi(f.Port)
		if perr != nil {
			err = &view.FieldError{Field: view.FieldPort, Message: fmt.Sprintf("port %q: want a number 1-65535", f.Port)}
		}
		spec.Ports = []int{p}
	}
	if err == nil {
		err = s.src.Launch(r.Context(), spec)
	}
	if err == nil {
		http.Redirect(w, r, "/instances?flash="+urlQuery("Launched "+spec.Name+": it shows here as it starts."), http.StatusSeeOther)
		return
	}
	d := s.launchData(r)
	d.Form = f
	var fe *view.FieldError
	if errors.As(err, &fe) {
		d.Errs = append(d.Errs, fe)
		s.render(w, "launch", http.StatusUnprocessableEntity, d)
		return
	}
	s.failed(&d, "launching "+spec.Name, err)
	s.render(w, "launch", http.StatusBadGateway, d)
}

func (s *Server) walletData(r *http.Request) data {
	d := s.data("Wallet", "wallet")
	b, err := s.src.Balance(r.Context())
	if err != nil {
		s.failed(&d, "reading the balance", err)
	} else {
		d.Balance = &b
	}
	s.statement(r.Context(), &d, false)
	return d
}

func (s *Server) statement(ctx context.Context, d *data, asProvider bool) {
	st, err := s.src.Statement(ctx, asProvider, "")
	if err != nil {
		s.failed(d, "reading the statement", err)
		return
	}
	d.Statement, d.Series = st, view.Cumulative(st.Lines)
}

func (s *Server) walletPage(w http.ResponseWriter, r *http.Request) {
	d := s.walletData(r)
	d.Flash = r.URL.Query().Get("flash")
	s.render(w, "wallet", http.StatusOK, d)
}

func (s *Server) transact(w http.ResponseWriter, r *http.Request) {
	action := r.PathValue("action")
	send := map[string]func(context.Context, *big.Int) (wallet.Receipts, error){"deposit": s.src.Deposit, "withdraw": s.src.Withdraw}[action]
	if send == nil {
		http.NotFound(w, r)
		return
	}
	raw := r.FormValue("amount")
	amount, err := view.ParseAmount(raw)
	if err == nil && s.signedIn {
		build := s.src.DepositTxs
		if action == "withdraw" {
			build = s.src.WithdrawTxs
		}
		var u view.Unsigned
		if u, err = build(r.Context(), amount); err == nil {
			d := s.walletData(r)
			d.Send = &u
			s.render(w, "wallet", http.StatusOK, d)
			return
		}
	} else if err == nil {
		var rs wallet.Receipts
		if rs, err = send(r.Context(), amount); err == nil {
			http.Redirect(w, r, "/wallet?flash="+urlQuery(fmt.Sprintf("%s of %s DEC2 done in %d transaction(s).", action, pricing.FormatAmount(amount), len(rs))), http.StatusSeeOther)
			return
		}
	}
	d := s.walletData(r)
	code := http.StatusBadGateway
	var fe *view.FieldError
	if errors.As(err, &fe) {
		code = http.StatusUnprocessableEntity
	} else {
		// The chain's refusal (more than is refundable, too few tokens) is about the amount too.
		s.log.Warn("console: "+action, "err", err)
		fe = &view.FieldError{Message: err.Error()}
	}
	fe.Field = action
	d.Errs = append(d.Errs, fe)
	if action == "deposit" {
		d.Form.Deposit = raw
	} else {
		d.Form.Withdraw = raw
	}
	s.render(w, "wallet", code, d)
}

func (s *Server) statementCSV(w http.ResponseWriter, r *http.Request) {
	st, err := s.src.Statement(r.Context(), false, "")
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadGateway)
		return
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="dec2-statement.csv"`)
	if err := metering.WriteCSV(w, st.Lines); err != nil {
		s.log.Warn("console: writing the statement CSV", "err", err)
	}
}

// myNode is a row of the provider page: the node's standing and its utilisation.
type myNode struct {
	provider.Status
	Use view.Use
}

// mine joins each node's standing with what its allocations reserve and what its machine
// uses; a machine whose statistics cannot be read shows its reservations alone.
func (s *Server) mine(ctx context.Context, statuses []provider.Status, nodes []view.Node) []myNode {
	out := make([]myNode, 0, len(statuses))
	for _, st := range statuses {
		row := myNode{Status: st}
		if i := slices.IndexFunc(nodes, func(n view.Node) bool { return n.ID == st.NodeID }); i >= 0 {
			row.Use = view.UseOf(nodes[i])
		}
		h, err := s.src.Host(ctx, st.NodeID)
		if err != nil {
			s.log.Info("console: no host statistics for a provider node", "node", st.NodeID, "err", err)
		}
		row.Use.Host = h
		out = append(out, row)
	}
	return out
}

func (s *Server) providerPage(w http.ResponseWriter, r *http.Request) {
	d := s.data("Provider", "provider")
	nodes, err := s.src.Nodes(r.Context())
	if err != nil {
		s.failed(&d, "reading the region's nodes", err)
	} else if d.Statuses, err = s.src.ProviderNodes(r.Context(), nodes); err != nil {
		s.failed(&d, "reading the nodes' standing", err)
	} else {
		d.Mine = s.mine(r.Context(), d.Statuses, nodes)
	}
	s.statement(r.Context(), &d, true)
	s.render(w, "provider", http.StatusOK, d)
}

func (s *Server) regionPage(w http.ResponseWriter, r *http.Request) {
	d := s.data("Region", "region")
	var err error
	if d.Nodes, err = s.src.Nodes(r.Context()); err != nil {
		s.failed(&d, "reading the region's nodes", err)
	}
	d.Spreads = view.PriceSpreads(d.Nodes)
	if p, err := s.src.Packing(r.Context()); err != nil {
		s.failed(&d, "reading the allocator's packing", err)
	} else {
		d.Packing = &p
	}
	s.render(w, "region", http.StatusOK, d)
}

func (s *Server) bucketsPage(w http.ResponseWriter, r *http.Request) {
	d := s.data("Buckets", "buckets")
	var err error
	switch d.Buckets, err = s.src.Buckets(r.Context()); {
	case errors.Is(err, view.ErrStorageNeedsKey):
		d.NoNames = true
		switch h, err := s.src.Holdings(r.Context()); {
		case errors.Is(err, view.ErrNoStorage):
			d.NoStorage = err.Error()
		case err != nil:
			s.failed(&d, "reading your storage's usage", err)
		default:
			d.Holdings = &h
		}
	case errors.Is(err, view.ErrNoStorage):
		d.NoStorage = err.Error()
	case err != nil:
		s.failed(&d, "reading the buckets", err)
	}
	s.render(w, "buckets", http.StatusOK, d)
}

func (s *Server) operatorPage(w http.ResponseWriter, r *http.Request) {
	d := s.data("Operator: Nomad's view of dec2's work", "operator")
	var err error
	if d.Operator, err = s.src.Operator(r.Context()); err != nil {
		s.failed(&d, "reading Nomad", err)
	}
	s.render(w, "operator", http.StatusOK, d)
}

func urlQuery(s string) string { return url.QueryEscape(s) }

// hub fans the source's change notices out to the live pages.
type hub struct {
	mu   sync.Mutex
	subs map[chan struct{}]bool
}

func (h *hub) subscribe() chan struct{} {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	h.subs[ch] = true
	h.mu.Unlock()
	return ch
}

func (h *hub) unsubscribe(ch chan struct{}) {
	h.mu.Lock()
	delete(h.subs, ch)
	h.mu.Unlock()
}

// notify marks every subscriber changed; one that has a notice pending needs no second.
func (h *hub) notify() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
