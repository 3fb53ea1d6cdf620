package tpch

import (
	"context"
	"sync"
	"sync/atomic"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// fillFunc appends units [first, first+n) of a group to one record builder
// per output table; scratch is a reusable byte buffer.
type fillFunc func(s scale, bs []*array.RecordBuilder, first, n int64, scratch *[]byte)

// group is a unit of generation: tables made together (orders and their
// lines) or alone, in chunks of units that can be made in parallel.
type group struct {
	tables []Table
	units  int64 // rows of the first table
	chunk  int64 // units per chunk
	fill   fillFunc
}

func groups(s scale) []group {
	t := func(name string) Table { tb, _ := TableByName(name); return tb }
	const chunk = 16 * 1024
	return []group{
		{tables: []Table{t("region")}, units: 5, chunk: 5, fill: genRegion},
		{tables: []Table{t("nation")}, units: 25, chunk: 25, fill: genNation},
		{tables: []Table{t("supplier")}, units: s.suppliers, chunk: chunk, fill: genSupplier},
		{tables: []Table{t("part")}, units: s.parts, chunk: chunk, fill: genPart},
		{tables: []Table{t("partsupp")}, units: 4 * s.parts, chunk: chunk, fill: genPartSupp},
		{tables: []Table{t("customer")}, units: s.customers, chunk: chunk, fill: genCustomer},
		{tables: []Table{t("orders"), t("lineitem")}, units: s.orders, chunk: chunk / 4, fill: genOrders},
	}
}

// sink writes one table's batches to one file.
type sink interface {
	write(rec arrow.RecordBatch) error
	// finish completes the file (err == nil) or removes it (err != nil).
	finish(err error) error
}

// runGroup generates group g: workers fill chunks in parallel, this
// goroutine hands them in order to one goroutine per output file. It
// returns the rows written per table.
func runGroup(ctx context.Context, g group, sc scale, o *Options) (rows []int64, err error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	sinks, err := openSinks(g, o)
	if err != nil {
		return nil, err
	}
	feeds, sinkWG := startSinks(sinks, cancel)

	nChunks := (g.units + g.chunk - 1) / g.chunk
	results := make([]chan []arrow.RecordBatch, nChunks)
	for i := range results {
		results[i] = make(chan []arrow.RecordBatch, 1)
	}
	// Tokens bound the chunks in memory; a worker takes one before it
	// claims the next chunk, so the chunk the dispatcher waits for is
	// always being made.
	tokens := make(chan struct{}, o.Parallelism+1)
	var next atomic.Int64
	var workWG sync.WaitGroup
	for w := 0; w < o.Parallelism; w++ {
		workWG.Add(1)
		go func() {
			defer workWG.Done()
			work(ctx, g, sc, o, tokens, &next, results)
		}()
	}

	rows = make([]int64, len(g.tables))
	for i := int64(0); i < nChunks && ctx.Err() == nil; i++ {
		var recs []arrow.RecordBatch
		select {
		case recs = <-results[i]:
			<-tokens // chunk i's
		case <-ctx.Done():
		}
		for ti, rec := range recs {
			rows[ti] += rec.NumRows()
			for _, f := range feeds[ti] {
				rec.Retain()
				select {
				case f <- rec:
				case <-ctx.Done():
					rec.Release()
				}
			}
			rec.Release()
		}
	}
	for _, fs := range feeds {
		for _, f := range fs {
			close(f)
		}
	}
	workWG.Wait()
	sinkWG.Wait()
	for _, ch := range results { // chunks made after a failure
		select {
		case recs := <-ch:
			for _, r := range recs {
				r.Release()
			}
		default:
		}
	}
	err = context.Cause(ctx)
	if ferr := finishAll(sinks, err); err == nil {
		err = ferr
	}
	if err != nil {
		return nil, err
	}
	return rows, nil
}

// work makes chunks until none is left or ctx ends.
func work(ctx context.Context, g group, sc scale, o *Options, tokens chan struct{},
	next *atomic.Int64, results []chan []arrow.RecordBatch) {
	bs := make([]*array.RecordBuilder, len(g.tables))
	for i, t := range g.tables {
		bs[i] = array.NewRecordBuilder(o.Allocator, t.Schema())
		defer bs[i].Release()
	}
	scratch := make([]byte, 0, 512)
	for {
		select {
		case tokens <- struct{}{}:
		case <-ctx.Done():
			return
		}
		i := next.Add(1) - 1
		if i >= int64(len(results)) {
			<-tokens
			return
		}
		first := i * g.chunk
		n := min(g.chunk, g.units-first)
		reserve(bs, n)
		g.fill(sc, bs, first, n, &scratch)
		recs := make([]arrow.RecordBatch, len(bs))
		for j, b := range bs {
			recs[j] = b.NewRecordBatch()
		}
		results[i] <- recs
	}
}

// openSinks opens one sink per format for each table of g.
func openSinks(g group, o *Options) ([][]sink, error) {
	sinks := make([][]sink, len(g.tables))
	for ti, t := range g.tables {
		for _, f := range o.Formats {
			var s sink
			var err error
			if f == Parquet {
				s, err = newParquetSink(t, o)
			} else {
				s, err = newCSVSink(t, o)
			}
			if err != nil {
				finishAll(sinks, err)
				return nil, err
			}
			sinks[ti] = append(sinks[ti], s)
		}
	}
	return sinks, nil
}

// finishAll finishes every sink and returns the first error.
func finishAll(sinks [][]sink, err error) error {
	var first error
	for _, ts := range sinks {
		for _, s := range ts {
			if ferr := s.finish(err); first == nil && ferr != nil {
				first = ferr
			}
		}
	}
	return first
}

// startSinks starts one goroutine per sink; feeds[t][f] feeds sinks[t][f].
// A failing sink cancels the group and drains its feed.
func startSinks(sinks [][]sink, cancel context.CancelCauseFunc) ([][]chan arrow.RecordBatch, *sync.WaitGroup) {
	var wg sync.WaitGroup
	feeds := make([][]chan arrow.RecordBatch, len(sinks))
	for ti, ts := range sinks {
		for _, s := range ts {
			ch := make(chan arrow.RecordBatch, 2)
			feeds[ti] = append(feeds[ti], ch)
			wg.Add(1)
			go func() {
				defer wg.Done()
				failed := false
				for rec := range ch {
					if !failed {
						if err := s.write(rec); err != nil {
							failed = true
							cancel(err)
						}
					}
					rec.Release()
				}
			}()
		}
	}
	return feeds, &wg
}

// reserve sizes the builders for a chunk of n units, so that they do not
// grow by copying while they fill: one row per unit for the first table,
// up to 7 (about 4) for lineitem.
func reserve(bs []*array.RecordBuilder, n int64) {
	for j, b := range bs {
		rows := int(n)
		if j > 0 {
			rows = int(n*9/2) + 64
		}
		for _, f := range b.Fields() {
			f.Reserve(rows)
			if sb, ok := f.(*array.StringBuilder); ok {
				sb.ReserveData(rows * 24)
			}
		}
	}
}
