package main

import (
	"context"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"time"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/flight/flightsql"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"

	"github.com/medleysql/medley/benchmarks/cmd/internal/peer"
	mflight "github.com/medleysql/medley/engine/flightsql"
)

// scanResult is a full scan of lineitem.parquet on both engines.
type scanResult struct {
	threads      int
	rows         int64
	fileBytes    int64 // the Parquet file
	arrowBytes   int64 // Medley's Arrow buffers of the whole result
	medley, duck time.Duration
	medleyRSS    int64
	duckRSS      int64
	duckSQL      string
}

func runScan(ctx context.Context, c config, dir string, threads int) (scanResult, error) {
	s := scanResult{threads: threads}
	file := filepath.Join(dir, "lineitem.parquet")
	st, err := os.Stat(file)
	if err != nil {
		return s, err
	}
	s.fileBytes = st.Size()
	duck, err := runDuck(ctx, c.duckbench, "scan", "-file", file, "-threads", strconv.Itoa(threads), "-runs", strconv.Itoa(c.runs))
	if err != nil {
		return s, err
	}
	d := duck.Queries[0]
	s.duck, s.duckRSS, s.duckSQL = time.Duration(d.Median), d.PeakRSS, d.SQL
	db, err := openMedley(ctx, dir, threads)
	if err != nil {
		return s, err
	}
	defer db.Close()
	peer.ResetPeakRSS()
	var times []time.Duration
	for i := 0; i <= c.runs; i++ {
		start := time.Now()
		rdr, err := db.Query(ctx, "SELECT * FROM lineitem")
		if err != nil {
			return s, err
		}
		var rows, bytes int64
		for rdr.Next() {
			b := rdr.RecordBatch()
			rows += b.NumRows()
			if i == 0 {
				bytes += recordBytes(b)
			}
		}
		err = rdr.Err()
		rdr.Release()
		if err != nil {
			return s, err
		}
		if i == 0 {
			s.rows, s.arrowBytes = rows, bytes
		} else {
			times = append(times, time.Since(start))
		}
	}
	s.medleyRSS = peer.PeakRSS()
	s.medley = peer.Median(times)
	fmt.Fprintf(os.Stderr, "scan threads=%d: medley %s duckdb %s (%d rows)\n", threads, s.medley.Round(time.Millisecond),
		s.duck.Round(time.Millisecond), s.rows)
	return s, nil
}

// flightResult is SELECT * FROM lineitem streamed over Flight SQL.
type flightResult struct {
	threads    int
	rows       int64
	arrowBytes int64
	d          time.Duration // median
	peakRSS    int64         // server and client together (one process)
}

// runFlight starts Medley's Flight SQL server on loopback in this process
// and reads lineitem through arrow-go's flightsql client.
func runFlight(ctx context.Context, dir string, threads, runs int) (flightResult, error) {
	f := flightResult{threads: threads}
	db, err := openMedley(ctx, dir, threads)
	if err != nil {
		return f, err
	}
	defer db.Close()
	srv, err := mflight.New(mflight.Config{DB: db, AllowAnonymous: true, Version: "bench"})
	if err != nil {
		return f, err
	}
	lis, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return f, err
	}
	go srv.Serve(lis)
	defer srv.Stop()
	cl, err := flightsql.NewClient(lis.Addr().String(), nil, nil,
		grpc.WithTransportCredentials(insecure.NewCredentials()),
		grpc.WithDefaultCallOptions(grpc.MaxCallRecvMsgSize(1<<30)))
	if err != nil {
		return f, err
	}
	defer cl.Close()
	peer.ResetPeakRSS()
	var times []time.Duration
	for i := 0; i <= runs; i++ {
		start := time.Now()
		rows, bytes, err := flightRead(ctx, cl, "SELECT * FROM lineitem")
		if err != nil {
			return f, err
		}
		if i == 0 {
			f.rows, f.arrowBytes = rows, bytes
		} else {
			times = append(times, time.Since(start))
		}
	}
	f.peakRSS = peer.PeakRSS()
	f.d = peer.Median(times)
	fmt.Fprintf(os.Stderr, "flight threads=%d: %s, %.0f MB/s\n", threads, f.d.Round(time.Millisecond),
		float64(f.arrowBytes)/1e6/f.d.Seconds())
	return f, nil
}

func flightRead(ctx context.Context, cl *flightsql.Client, sql string) (rows, bytes int64, err error) {
	info, err := cl.Execute(ctx, sql)
	if err != nil {
		return 0, 0, err
	}
	for _, ep := range info.Endpoint {
		rdr, err := cl.DoGet(ctx, ep.Ticket)
		if err != nil {
			return 0, 0, err
		}
		for rdr.Next() {
			b := rdr.RecordBatch()
			rows += b.NumRows()
			bytes += recordBytes(b)
		}
		err = rdr.Err()
		rdr.Release()
		if err != nil {
			return 0, 0, err
		}
	}
	return rows, bytes, nil
}

// recordBytes is the size of a batch's Arrow buffers.
func recordBytes(b arrow.RecordBatch) int64 {
	var n int64
	for _, c := range b.Columns() {
		n += dataBytes(c.Data())
	}
	return n
}

func dataBytes(d arrow.ArrayData) int64 {
	var n int64
	for _, buf := range d.Buffers() {
		if buf != nil {
			n += int64(buf.Len())
		}
	}
	for _, c := range d.Children() {
		n += dataBytes(c)
	}
	return n
}
