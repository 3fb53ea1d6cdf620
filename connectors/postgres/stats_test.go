package postgres

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/memory"

	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/testsrv"
)

// TestStatistics: the row count and, after ANALYZE, each column's distinct
// and null counts come from the server's statistics.
func TestStatistics(t *testing.T) {
	mem := memory.NewCheckedAllocator(memory.DefaultAllocator)
	defer mem.AssertSize(t, 0)
	pg := testsrv.Postgres(t)
	db := pg.NewDatabase(t)
	pg.Exec(t, db, `CREATE TABLE st (id int, k int, note text)`)
	pg.Exec(t, db, `INSERT INTO st SELECT g, g % 25, CASE WHEN g % 2 = 0 THEN NULL ELSE 'x' END FROM generate_series(1, 1000) g`)
	c := connectTo(t, pg, db, mem)
	d := connectors.TableDesc{Name: []string{"public", "st"}, Columns: []connectors.ColumnDesc{
		{Name: "id", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "k", Type: arrow.PrimitiveTypes.Int32, Nullable: true},
		{Name: "note", Type: arrow.BinaryTypes.String, Nullable: true},
	}}
	tbl, err := c.Table(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	st, err := tbl.Statistics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.RowCount != -1 {
		t.Errorf("never analyzed: rows %d, want -1", st.RowCount)
	}
	pg.Exec(t, db, `ANALYZE st`)
	st, err = tbl.Statistics(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st.RowCount != 1000 || len(st.Columns) != 3 {
		t.Fatalf("rows %d, %d columns; want 1000, 3", st.RowCount, len(st.Columns))
	}
	if got := st.Columns[1].DistinctCount; got != 25 {
		t.Errorf("distinct k = %d, want 25", got)
	}
	if got := st.Columns[0].DistinctCount; got != 1000 {
		t.Errorf("distinct id = %d, want 1000", got)
	}
	if got := st.Columns[2].NullCount; got != 500 {
		t.Errorf("nulls of note = %d, want 500", got)
	}
}
