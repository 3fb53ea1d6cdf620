package memory

import (
	"context"
	"testing"

	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
	"github.com/medleysql/medley/connectors"
	"github.com/medleysql/medley/connectors/conntest"
)

func load(ctx context.Context, data []arrow.RecordBatch) func(context.Context, connectors.Conn, connectors.TableDesc) error {
	return func(ctx context.Context, conn connectors.Conn, d connectors.TableDesc) error {
		if err := conn.(connectors.TableCreator).CreateTable(ctx, d); err != nil {
			return err
		}
		tbl, err := conn.Table(ctx, d)
		if err != nil {
			return err
		}
		rdr, err := array.NewRecordReader(conntest.Schema(), data)
		if err != nil {
			return err
		}
		defer rdr.Release()
		_, err = tbl.(connectors.Inserter).Insert(ctx, rdr)
		return err
	}
}

func TestConformance(t *testing.T) {
	conntest.Run(t, conntest.Harness{
		Connector: Connector{},
		Setup: func(t *testing.T, data []arrow.RecordBatch) conntest.Fixture {
			return conntest.Fixture{
				Table: map[string]string{},
				Load:  load(context.Background(), data),
				Missing: func(d connectors.TableDesc) connectors.TableDesc {
					d.Name = []string{"conntest", "nosuch"}
					return d
				},
				MinPartitions: 2,
			}
		},
	})
}
