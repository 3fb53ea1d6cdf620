package sqlconn

import "testing"

func TestOptionChecks(t *testing.T) {
	for _, v := range []string{"true", "false", "on", "off", "yes", "no", "1", "0"} {
		if err := CheckBool(v); err != nil {
			t.Errorf("CheckBool(%q): %v", v, err)
		}
	}
	for _, v := range []string{"", "TRUE", "maybe", "2"} {
		if err := CheckBool(v); err == nil {
			t.Errorf("CheckBool(%q) accepted", v)
		}
	}
	for v, want := range map[string]bool{"true": true, "on": true, "yes": true, "1": true, "false": false, "off": false, "": false, "TRUE": false} {
		if IsTrue(v) != want {
			t.Errorf("IsTrue(%q) = %v", v, !want)
		}
	}
	check := CheckInt(1, 10)
	for v, ok := range map[string]bool{"1": true, "10": true, "0": false, "11": false, "x": false, "": false, "1.5": false} {
		if err := check(v); (err == nil) != ok {
			t.Errorf("CheckInt(1, 10)(%q): %v", v, err)
		}
	}
}
