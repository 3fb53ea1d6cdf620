package bind_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"vitess.io/vitess/go/vt/sqlparser"

	"github.com/medleysql/medley/sql/bind"
	"github.com/medleysql/medley/sql/bind/bindtest"
	"github.com/medleysql/medley/sql/plan"
)

func TestScratchTPCH(t *testing.T) {
	files, _ := filepath.Glob("../compile/testdata/tpch/*.sql")
	cat := bindtest.TPCH()
	for _, f := range files {
		text, _ := os.ReadFile(f)
		st, err := sqlparser.NewTestParser().Parse(string(text))
		if err != nil {
			t.Errorf("%s: parse: %v", f, err)
			continue
		}
		res, err := bind.Bind(context.Background(), cat, "alice", string(text), st, bind.Options{})
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		if os.Getenv("SHOW") != "" {
			fmt.Println(f)
			fmt.Println(plan.Format(res.Root))
		}
	}
}
