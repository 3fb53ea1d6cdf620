package main

import (
	"context"
	"fmt"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"github.com/apache/arrow-go/v18/arrow/memory"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
)

type query struct {
	n   int
	sql string
}

// stats of one query number over the run.
type qstat struct {
	runs  int
	rows  int64
	total time.Duration
	max   time.Duration
}

type report struct {
	start, end          time.Time
	elapsed             time.Duration
	queries, errors     int
	firstErrors         []string
	perQuery            map[int]*qstat
	goroutinesBefore    int
	goroutinesAfter     int
	heapBefore          uint64
	heapAfter           uint64
	goroutinesAtStart   int
	goroutinesAfterStop int
	leakedBytes         int
	cpus                int
}

// client is one Flight SQL connection with its bearer token.
type client struct {
	cl  *flightsql.Client
	ctx context.Context
}

func dial(ctx context.Context, addr string) (*client, error) {
	cl, err := flightsql.NewClient(addr, nil, nil, grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		return nil, err
	}
	cl.Alloc = memory.NewGoAllocator()
	actx, err := cl.Client.AuthenticateBasicToken(ctx, loadUser, loadPW)
	if err != nil {
		cl.Close()
		return nil, err
	}
	return &client{cl: cl, ctx: actx}, nil
}

// run executes one query and reads all its rows.
func (c *client) run(q query) (int64, error) {
	info, err := c.cl.Execute(c.ctx, q.sql)
	if err != nil {
		return 0, err
	}
	var rows int64
	for _, ep := range info.Endpoint {
		rdr, err := c.cl.DoGet(c.ctx, ep.Ticket)
		if err != nil {
			return rows, err
		}
		for rdr.Next() {
			rows += rdr.RecordBatch().NumRows()
		}
		err = rdr.Err()
		rdr.Release()
		if err != nil {
			return rows, err
		}
	}
	return rows, nil
}

// load connects the clients, warms up (each query once on every client,
// so the heap holds what steady state holds), measures, runs for
// c.duration, measures again and disconnects.
func load(ctx context.Context, c config, addr string, qs []query) (*report, error) {
	rep := &report{perQuery: map[int]*qstat{}, cpus: runtime.NumCPU()}
	clients := make([]*client, c.clients)
	defer func() {
		for _, cl := range clients {
			if cl != nil {
				cl.cl.Close()
			}
		}
	}()
	for i := range clients {
		cl, err := dial(ctx, addr)
		if err != nil {
			return rep, fmt.Errorf("client %d: %w", i, err)
		}
		clients[i] = cl
	}
	var wg sync.WaitGroup
	warmErr := make([]error, len(clients))
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for _, q := range qs {
				if _, err := cl.run(q); err != nil {
					warmErr[i] = fmt.Errorf("warm-up Q%d: %w", q.n, err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range warmErr {
		if err != nil {
			return rep, err
		}
	}
	rep.goroutinesBefore, rep.heapBefore = measure()

	var mu sync.Mutex
	rep.start = time.Now()
	deadline := rep.start.Add(c.duration)
	for i, cl := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := i; time.Now().Before(deadline) && ctx.Err() == nil; k++ {
				q := qs[k%len(qs)]
				t0 := time.Now()
				rows, err := cl.run(q)
				d := time.Since(t0)
				mu.Lock()
				rep.queries++
				if err != nil {
					rep.errors++
					if len(rep.firstErrors) < 5 {
						rep.firstErrors = append(rep.firstErrors, fmt.Sprintf("Q%d: %v", q.n, err))
					}
				} else {
					st := rep.perQuery[q.n]
					if st == nil {
						st = &qstat{}
						rep.perQuery[q.n] = st
					}
					st.runs++
					st.rows = rows
					st.total += d
					st.max = max(st.max, d)
				}
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	rep.end = time.Now()
	rep.elapsed = rep.end.Sub(rep.start)
	rep.goroutinesAfter, rep.heapAfter = measure()
	return rep, nil
}

// measure returns the goroutine count and heap in use after a GC; the
// server's connection goroutines settle within a moment of the last call.
func measure() (int, uint64) {
	time.Sleep(200 * time.Millisecond)
	runtime.GC()
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return runtime.NumGoroutine(), ms.HeapInuse
}

func (r *report) verdict(c config) error {
	var bad []string
	if r.errors > 0 {
		bad = append(bad, fmt.Sprintf("%d queries failed", r.errors))
	}
	if r.goroutinesAfter > r.goroutinesBefore {
		bad = append(bad, fmt.Sprintf("goroutines grew from %d to %d", r.goroutinesBefore, r.goroutinesAfter))
	}
	if float64(r.heapAfter) > float64(r.heapBefore)*(1+c.growth) {
		bad = append(bad, fmt.Sprintf("heap in use grew from %s to %s", mib(r.heapBefore), mib(r.heapAfter)))
	}
	if r.leakedBytes != 0 {
		bad = append(bad, fmt.Sprintf("%d bytes of Arrow memory not released", r.leakedBytes))
	}
	if r.goroutinesAfterStop > r.goroutinesAtStart {
		bad = append(bad, fmt.Sprintf("%d goroutines left after Stop (%d at start)", r.goroutinesAfterStop, r.goroutinesAtStart))
	}
	if len(bad) > 0 {
		return fmt.Errorf("%s", strings.Join(bad, "; "))
	}
	return nil
}

func mib(b uint64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func (r *report) markdown(c config) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Flight SQL load test, %s\n\n", r.start.Format("2006-01-02"))
	fmt.Fprintf(&b, "`go run ./benchmarks/cmd/flightload -clients %d -duration %s -sf %g`: an in-process `flightsql.Server` on "+
		"127.0.0.1, TPC-H SF %g Parquet (foreign tables of the parquet wrapper), %d arrow-go Flight SQL clients, each "+
		"authenticated with a password, running Q1..Q22 round-robin (client i starts at Q(i+1)); %d CPUs, GOMAXPROCS %d, "+
		"server --max-queries %d.\n\n", c.clients, c.duration, c.sf, c.sf, c.clients, r.cpus, runtime.GOMAXPROCS(0), c.maxQueries)
	fmt.Fprintf(&b, "| measure | value |\n| --- | --- |\n")
	fmt.Fprintf(&b, "| run time | %s |\n", r.elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "| queries | %d |\n", r.queries)
	if r.elapsed > 0 {
		fmt.Fprintf(&b, "| queries/s | %.2f |\n", float64(r.queries)/r.elapsed.Seconds())
	}
	fmt.Fprintf(&b, "| errors | %d |\n", r.errors)
	fmt.Fprintf(&b, "| goroutines before / after load (clients connected, after GC) | %d / %d |\n", r.goroutinesBefore, r.goroutinesAfter)
	fmt.Fprintf(&b, "| heap in use before / after load | %s / %s |\n", mib(r.heapBefore), mib(r.heapAfter))
	fmt.Fprintf(&b, "| goroutines at start / after server Stop | %d / %d |\n", r.goroutinesAtStart, r.goroutinesAfterStop)
	fmt.Fprintf(&b, "| Arrow bytes not released after Stop | %d |\n", r.leakedBytes)
	for _, e := range r.firstErrors {
		fmt.Fprintf(&b, "\nerror: %s\n", e)
	}
	fmt.Fprintf(&b, "\n| query | runs | rows | mean | max |\n| --- | ---: | ---: | ---: | ---: |\n")
	var ns []int
	for n := range r.perQuery {
		ns = append(ns, n)
	}
	sort.Ints(ns)
	for _, n := range ns {
		st := r.perQuery[n]
		fmt.Fprintf(&b, "| Q%d | %d | %d | %s | %s |\n", n, st.runs, st.rows,
			(st.total / time.Duration(st.runs)).Round(time.Millisecond), st.max.Round(time.Millisecond))
	}
	return b.String()
}
