package parse

import (
	"errors"

	"fmt"
	"github.com/medleysql/medley/sql/sqlerr"
	"os"
	"testing"
)

// TestTPCH parses the 22 TPC-H queries of testdata/tpch.
func TestTPCH(t *testing.T) {
	for n := 1; n <= 22; n++ {
		path := fmt.Sprintf("testdata/tpch/q%d.sql", n)
		b, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		st, err := ParseOne(string(b))
		if err != nil {
			t.Errorf("%s: %v", path, err)
			continue
		}
		q, ok := st.(*Query)
		if !ok {
			t.Errorf("%s: %T, want *Query", path, st)
			continue
		}
		if testing.Verbose() {
			t.Logf("q%d: %s", n, q.Rewritten)
		}
	}
}

func asErr(err error, target **sqlerr.Error) bool { return errors.As(err, target) }
