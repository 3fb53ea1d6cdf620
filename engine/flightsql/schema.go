package flightsql

import (
	"github.com/apache/arrow-go/v18/arrow"
	"github.com/apache/arrow-go/v18/arrow/array"
)

// declared is the schema the server announces for a compiled query (in
// FlightInfo, GetSchema and a prepared statement's dataset schema): the
// compiler's, every column nullable. The compiler may know more about
// nullability than the executor's batches tell (count(*) is NOT NULL at
// compile time, nullable in the batch), and clients such as ADBC refuse a
// stream whose schema differs from the announced one, so the server
// announces the weaker claim and relabels the stream to it (relabel).
func declared(sc *arrow.Schema) *arrow.Schema {
	if sc == nil {
		return arrow.NewSchema(nil, nil)
	}
	fields := sc.Fields()
	changed := false
	for i := range fields {
		if !fields[i].Nullable {
			fields[i].Nullable = true
			changed = true
		}
	}
	if !changed {
		return sc
	}
	md := sc.Metadata()
	return arrow.NewSchema(fields, &md)
}

// relabelSchema is the schema a stream of actual must be sent with so it
// matches the announced one: announced when both have the same column
// types, else nil (send the batches as they are; a mismatch of types is a
// compiler bug the client will report).
func relabelSchema(announced, actual *arrow.Schema) *arrow.Schema {
	if announced == nil || announced.Equal(actual) || announced.NumFields() != actual.NumFields() {
		return nil
	}
	for i := 0; i < announced.NumFields(); i++ {
		if !arrow.TypeEqual(announced.Field(i).Type, actual.Field(i).Type) {
			return nil
		}
	}
	return announced
}

// relabel returns rec under schema sc (a new batch sharing rec's columns;
// the caller releases both), or rec retained when sc is nil.
func relabel(sc *arrow.Schema, rec arrow.RecordBatch) arrow.RecordBatch {
	if sc == nil {
		rec.Retain()
		return rec
	}
	return array.NewRecordBatch(sc, rec.Columns(), rec.NumRows())
}
