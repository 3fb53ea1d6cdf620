package eval

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/expr"
)

// Benchmarks of the text functions over benchBatch's string column (TPC-H
// ship modes), 64K rows: go test -run XXX -bench 'Initcap|SplitPart|Regexp' ./arrowexec/eval/

func BenchmarkInitcap(b *testing.B) {
	benchOurs(b, func(t testing.TB) expr.Expression { return fn(t, "initcap", str, col(t, 4, str)) })
}

func BenchmarkSplitPart(b *testing.B) {
	benchOurs(b, func(t testing.TB) expr.Expression {
		return fn(t, "split_part", str, col(t, 4, str), lit(t, " "), lit(t, int32(-1)))
	})
}

func BenchmarkRegexpReplace(b *testing.B) {
	for _, c := range []struct{ name, pattern, flags string }{
		{"literal", "AI", "g"},
		{"class", `[AEIOU]+`, "g"},
		{"unicode word", `\w+`, ""},
	} {
		b.Run(c.name, func(b *testing.B) {
			benchOurs(b, regexpReplace(colOf(4, str), litOf(c.pattern), litOf("_"), litOf(c.flags)))
		})
	}
}
