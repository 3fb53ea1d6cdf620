// Package arrowexec executes Substrait plans on Apache Arrow.
//
// Execute turns a substrait-go plan.Plan into a tree of physical operators
// (scan, filter, project, hash join, nested-loop join, hash aggregate, sort,
// top-N, limit, set operations, values) and streams the result as an
// array.RecordReader. Foreign tables are read through the connectors
// interface: each NamedTable ReadRel is resolved by a TableResolver, its
// filter conjuncts are offered to Table.Scan, and the scan's partitions are
// read in parallel.
//
// Operators pull batches from their inputs (a stream per operator run);
// stateless operators over a scan run on the scan's partition goroutines and
// their batches are merged by an exchange (gather). Every Arrow buffer comes
// from a per-query allocator that counts bytes against Options.MemoryLimit;
// Go memory of hash tables and sort indexes is counted too. Exceeding the
// limit fails the query with SQLSTATE 53200; cancelling the context fails it
// with 57014. Either way every goroutine ends and every buffer is released
// before the reader's Release returns.
//
// Scalar expressions are compiled by arrowexec/eval; direct column
// references are evaluated here without copying.
package arrowexec
