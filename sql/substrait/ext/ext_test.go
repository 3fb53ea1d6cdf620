package ext

import (
	"testing"

	"github.com/substrait-io/substrait-go/v8/extensions"
)

func TestCollection(t *testing.T) {
	c := Collection()
	tests := []struct {
		urn, name string
	}{
		{extensions.SubstraitDefaultURNPrefix + "functions_arithmetic", "add:i32_i32"},
		{extensions.SubstraitDefaultURNPrefix + "functions_comparison", "equal:any_any"},
		{URN, "subtract:date_date"},
		{URN, "date_trunc:req_pts"},
		{URN, "date_trunc:req_ptstz"},
		{URN, "split_part:str_str_i32"},
		{URN, "translate:str_str_str"},
		{URN, "md5:str"},
		{URN, "ascii:str"},
		{URN, "chr:i32"},
		{URN, "to_hex:i32"},
		{URN, "to_hex:i64"},
		{URN, "regexp_replace:str_str_str_str"},
	}
	for _, tc := range tests {
		if _, ok := c.GetScalarFunc(extensions.ID{URN: tc.urn, Name: tc.name}); !ok {
			t.Errorf("%s %s not found", tc.urn, tc.name)
		}
	}
	for _, name := range []string{"stddev_samp", "stddev_pop", "var_samp", "var_pop"} {
		for _, sig := range []string{"i16", "i32", "i64", "dec", "fp32", "fp64"} {
			if _, ok := c.GetAggregateFunc(extensions.ID{URN: URN, Name: name + ":" + sig}); !ok {
				t.Errorf("aggregate %s:%s not found", name, sig)
			}
			if _, ok := c.GetWindowFunc(extensions.ID{URN: URN, Name: name + ":" + sig}); !ok {
				t.Errorf("window %s:%s not found", name, sig)
			}
		}
	}
	if Collection() != c {
		t.Error("Collection is not shared")
	}
}
