package sqlconn

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/medleysql/medley/sql/sqlerr"
)

func TestDriverError(t *testing.T) {
	code := func(err error) sqlerr.Code {
		if strings.Contains(err.Error(), "locked") {
			return "55P03"
		}
		return sqlerr.FDWError
	}
	scrub := func(s string) string { return strings.ReplaceAll(s, "s3cret", "********") }
	ctx := context.Background()
	driverErr := errors.New("table locked for s3cret")
	err := DriverError(ctx, driverErr, code, scrub, "public.t", "reading row %d", 3)
	if !sqlerr.Is(err, "55P03") || err.Error() != `foreign table "public.t": reading row 3: table locked for ********` || !errors.Is(err, driverErr) {
		t.Errorf("driver error: %v (%s)", err, sqlerr.CodeOf(err))
	}
	if err := DriverError(ctx, errors.New("x"), code, nil, "t", "BEGIN"); !sqlerr.Is(err, sqlerr.FDWError) || err.Error() != `foreign table "t": BEGIN: x` {
		t.Errorf("unknown error: %v", err)
	}
	// An error with a SQLSTATE is kept; a cancelled context wins over the driver's error.
	own := sqlerr.New(sqlerr.NotNullViolation, "mine")
	if err := DriverError(ctx, own, code, scrub, "t", "x"); err != own {
		t.Errorf("own error: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	err = DriverError(cctx, driverErr, code, scrub, "t", "UPDATE")
	if !sqlerr.Is(err, sqlerr.QueryCanceled) || !errors.Is(err, context.Canceled) ||
		err.Error() != `foreign table "t": UPDATE: canceling statement due to user request: context canceled` {
		t.Errorf("cancelled: %v", err)
	}
	if err := Canceled(context.Canceled, "t"); !sqlerr.Is(err, sqlerr.QueryCanceled) || !errors.Is(err, context.Canceled) {
		t.Errorf("Canceled: %v", err)
	}
}
