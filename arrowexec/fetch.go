package arrowexec

import (
	"context"
	"fmt"

	"github.com/apache/arrow-go/v18/arrow"
)

// fetchNode is LIMIT/OFFSET: it skips offset rows, returns at most count
// (count < 0: all) and then closes its input, stopping upstream work.
type fetchNode struct {
	child         node
	offset, count int64
}

func (f *fetchNode) schema() *arrow.Schema { return f.child.schema() }
func (f *fetchNode) children() []node      { return []node{f.child} }
func (f *fetchNode) describe() string {
	return fmt.Sprintf("Limit: offset=%d count=%d", f.offset, f.count)
}

func (f *fetchNode) open(ctx context.Context, r *run) (stream, error) {
	if f.count == 0 {
		return &sliceStream{}, nil
	}
	in, err := r.openNode(ctx, f.child)
	if err != nil {
		return nil, err
	}
	return &fetchStream{in: in, skip: f.offset, left: f.count}, nil
}

type fetchStream struct {
	in         stream
	skip, left int64
}

func (s *fetchStream) next(ctx context.Context) (arrow.RecordBatch, error) {
	for s.in != nil && s.left != 0 {
		b, err := s.in.next(ctx)
		if err != nil || b == nil {
			return nil, err
		}
		n := b.NumRows()
		if s.skip >= n {
			s.skip -= n
			b.Release()
			continue
		}
		lo, hi := s.skip, n
		s.skip = 0
		if s.left >= 0 && hi-lo > s.left {
			hi = lo + s.left
		}
		if s.left > 0 {
			s.left -= hi - lo
		}
		if lo == 0 && hi == n {
			return b, nil
		}
		out := b.NewSlice(lo, hi)
		b.Release()
		return out, nil
	}
	s.close()
	return nil, nil
}

func (s *fetchStream) close() {
	if s.in != nil {
		s.in.close()
		s.in = nil
	}
}
