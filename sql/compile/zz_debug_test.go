package compile

import (
	"context"
	"fmt"
	"os"
	"testing"

	"github.com/medleysql/medley/sql/bind/bindtest"
)

func TestZZDebug(t *testing.T) {
	q := os.Getenv("Q")
	if q == "" {
		t.Skip()
	}
	res, err := SQL(context.Background(), bindtest.TPCH(), "alice", q, Options{NoOptimize: os.Getenv("NOOPT") != ""})
	if err != nil {
		t.Fatal(err)
	}
	fmt.Println(res.Explain(os.Getenv("V") != ""))
	if os.Getenv("JSON") != "" {
		js, _ := res.SubstraitJSON()
		fmt.Println(js)
	}
}
