// The load generator of the bench's "10,000 users" scenario (bench/users_scenario.ts builds
// and runs it). Each user is one goroutine holding one keep-alive HTTP/1.1 connection of its
// own (raw net.Conn, no pool), opened during a ramp; then every user sends one request per
// `periodMs` (each gap drawn within +-20%), at times fixed in advance: a slow answer delays
// that user's next request but the latency is measured from when it was due, so a stalled
// server shows in the percentiles instead of slowing the load (no coordinated omission).
// Routes are drawn from the spec's weighted mix. Prints one line: USERS_JSON {...}.
//
// Usage: users_load <spec.json>
package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math/rand"
	"net"
	"net/http"
	"os"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

type Route struct {
	Name   string   `json:"name"`
	Weight float64  `json:"weight"`
	Method string   `json:"method"`
	Paths  []string `json:"paths"`
	Body   string   `json:"body"`
	Auth   bool     `json:"auth"`
	// After a 201, POST this body (with {orderId}) to this path: order then payment.
	ThenPath string `json:"thenPath"`
	ThenBody string `json:"thenBody"`
	ThenName string `json:"thenName"`
}

type Spec struct {
	Addr      string   `json:"addr"`
	Users     int      `json:"users"`
	PeriodMs  float64  `json:"periodMs"`
	RampS     float64  `json:"rampS"`
	DurationS float64  `json:"durationS"`
	TimeoutS  float64  `json:"timeoutS"`
	Tokens    []string `json:"tokens"`
	SkuLo     int      `json:"skuLo"`
	SkuHi     int      `json:"skuHi"`
	Routes    []Route  `json:"routes"`
}

type stats struct {
	mu        sync.Mutex
	latencies map[string][]float64
	errors    map[string]map[string]int
}

func (s *stats) record(route string, ms float64, failure string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if failure != "" {
		if s.errors[route] == nil {
			s.errors[route] = map[string]int{}
		}
		s.errors[route][failure]++
		return
	}
	s.latencies[route] = append(s.latencies[route], ms)
}

func percentile(sorted []float64, p float64) float64 {
	if len(sorted) == 0 {
		return 0
	}
	i := int(p / 100 * float64(len(sorted)-1))
	return sorted[i]
}

type user struct {
	spec  *Spec
	rng   *rand.Rand
	conn  net.Conn
	r     *bufio.Reader
	token string
}

func (u *user) dial() error {
	conn, err := net.DialTimeout("tcp", u.spec.Addr, 10*time.Second)
	if err != nil {
		return err
	}
	u.conn = conn
	u.r = bufio.NewReaderSize(conn, 8192)
	return nil
}

func (u *user) fill(text string) string {
	if strings.Contains(text, "{sku}") {
		sku := fmt.Sprint(u.spec.SkuLo + u.rng.Intn(u.spec.SkuHi-u.spec.SkuLo+1))
		text = strings.ReplaceAll(text, "{sku}", sku)
	}
	return text
}

// do sends one request on the user's connection and reads the whole answer.
func (u *user) do(method, path, body string, auth bool) (int, []byte, error) {
	if u.conn == nil {
		if err := u.dial(); err != nil {
			return 0, nil, err
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s HTTP/1.1\r\nHost: %s\r\n", method, path, u.spec.Addr)
	if auth {
		fmt.Fprintf(&b, "Authorization: Bearer %s\r\n", u.token)
	}
	if body != "" {
		fmt.Fprintf(&b, "Content-Type: application/json\r\nContent-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.WriteString(body)
	u.conn.SetDeadline(time.Now().Add(time.Duration(u.spec.TimeoutS * float64(time.Second))))
	if _, err := io.WriteString(u.conn, b.String()); err != nil {
		u.drop()
		return 0, nil, err
	}
	res, err := http.ReadResponse(u.r, nil)
	if err != nil {
		u.drop()
		return 0, nil, err
	}
	data, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || res.Close {
		u.drop()
	}
	return res.StatusCode, data, err
}

func (u *user) drop() {
	if u.conn != nil {
		u.conn.Close()
		u.conn = nil
	}
}

func pick(routes []Route, total float64, rng *rand.Rand) *Route {
	x := rng.Float64() * total
	for i := range routes {
		x -= routes[i].Weight
		if x < 0 {
			return &routes[i]
		}
	}
	return &routes[len(routes)-1]
}

// failureOf names a failure: "timeout", "socket", or the status with the problem code when the
// body is problem+json ("503 overloaded" is shed by admission control, "503
// dependency_unavailable" a store that did not answer in time).
func failureOf(status int, body []byte, err error) string {
	if err != nil {
		if ne, ok := err.(net.Error); ok && ne.Timeout() {
			return "timeout"
		}
		return "socket"
	}
	if status >= 400 {
		if i := bytes.Index(body, []byte("#problem-")); i >= 0 {
			code := body[i+len("#problem-"):]
			if j := bytes.IndexByte(code, '"'); j > 0 && j < 64 {
				return fmt.Sprintf("%d %s", status, code[:j])
			}
		}
		return fmt.Sprint(status)
	}
	return ""
}

func main() {
	raw, err := os.ReadFile(os.Args[1])
	if err != nil {
		panic(err)
	}
	var spec Spec
	if err := json.Unmarshal(raw, &spec); err != nil {
		panic(err)
	}
	total := 0.0
	for _, r := range spec.Routes {
		total += r.Weight
	}
	st := &stats{latencies: map[string][]float64{}, errors: map[string]map[string]int{}}
	var connected, connectErrors, held atomic.Int64
	period := time.Duration(spec.PeriodMs * float64(time.Millisecond))
	rampEnd := time.Now().Add(time.Duration(spec.RampS * float64(time.Second)))
	start := rampEnd.Add(time.Second)
	end := start.Add(time.Duration(spec.DurationS * float64(time.Second)))
	var answered, failed atomic.Int64
	go func() {
		for range time.Tick(5 * time.Second) {
			fmt.Fprintf(os.Stderr, "users_load: %d connected, %d connect errors, %d answered, %d failed\n",
				connected.Load(), connectErrors.Load(), answered.Load(), failed.Load())
		}
	}()
	var wg sync.WaitGroup
	for i := 0; i < spec.Users; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			rng := rand.New(rand.NewSource(int64(i)*7919 + time.Now().UnixNano()))
			u := &user{spec: &spec, rng: rng}
			if len(spec.Tokens) > 0 {
				u.token = spec.Tokens[i%len(spec.Tokens)]
			}
			// Connections open evenly over the ramp.
			time.Sleep(time.Until(rampEnd.Add(-time.Duration(spec.RampS * float64(time.Second))).
				Add(time.Duration(float64(i) / float64(spec.Users) * spec.RampS * float64(time.Second)))))
			if err := u.dial(); err != nil {
				connectErrors.Add(1)
			} else {
				connected.Add(1)
			}
			due := start.Add(time.Duration(rng.Float64() * float64(period)))
			for due.Before(end) {
				time.Sleep(time.Until(due))
				r := pick(spec.Routes, total, rng)
				path := u.fill(r.Paths[rng.Intn(len(r.Paths))])
				status, body, err := u.do(r.Method, path, u.fill(r.Body), r.Auth)
				failure := failureOf(status, body, err)
				st.record(r.Name, float64(time.Since(due).Microseconds())/1000, failure)
				if failure == "" {
					answered.Add(1)
				} else {
					failed.Add(1)
				}
				if r.ThenPath != "" && status == 201 {
					var created struct {
						ID    string `json:"id"`
						Order struct {
							ID string `json:"id"`
						} `json:"order"`
					}
					json.Unmarshal(body, &created)
					id := created.ID
					if id == "" {
						id = created.Order.ID
					}
					started := time.Now()
					status, body, err = u.do("POST", r.ThenPath, strings.ReplaceAll(r.ThenBody, "{orderId}", id), r.Auth)
					st.record(r.ThenName, float64(time.Since(started).Microseconds())/1000, failureOf(status, body, err))
				}
				due = due.Add(time.Duration(float64(period) * (0.8 + 0.4*rng.Float64())))
			}
			if u.conn != nil {
				held.Add(1)
			}
			// Hold the connection until every user is done, so "held" counts them all at once.
		}(i)
	}
	wg.Wait()
	out := map[string]any{
		"users": spec.Users, "connected": connected.Load(), "connectErrors": connectErrors.Load(),
		"heldAtEnd": held.Load(), "durationS": spec.DurationS,
	}
	routes := map[string]any{}
	names := map[string]bool{}
	for n := range st.latencies {
		names[n] = true
	}
	for n := range st.errors {
		names[n] = true
	}
	requests := 0
	for n := range names {
		l := st.latencies[n]
		sort.Float64s(l)
		errs := 0
		for _, c := range st.errors[n] {
			errs += c
		}
		requests += len(l) + errs
		routes[n] = map[string]any{
			"ok": len(l), "errors": errs, "errorKinds": st.errors[n],
			"p50": percentile(l, 50), "p95": percentile(l, 95), "p99": percentile(l, 99),
			"max": percentile(l, 100),
		}
	}
	out["routes"] = routes
	out["requests"] = requests
	var buf bytes.Buffer
	json.NewEncoder(&buf).Encode(out)
	fmt.Print("USERS_JSON " + buf.String())
}
