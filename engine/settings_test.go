package engine

import "testing"

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
		back string
	}{{"4GB", 4 << 30, "4GB"}, {"512 MB", 512 << 20, "512MB"}, {"1024kB", 1 << 20, "1MB"}, {"1000", 1000, "1000B"}, {"1.5GB", 3 << 29, "1536MB"}} {
		got, err := ParseSize(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
		if s := FormatSize(got); s != c.back {
			t.Errorf("FormatSize(%d) = %q, want %q", got, s, c.back)
		}
	}
	for _, bad := range []string{"", "x", "-1GB", "4XB"} {
		if _, err := ParseSize(bad); err == nil {
			t.Errorf("ParseSize(%q) succeeded", bad)
		}
	}
}
