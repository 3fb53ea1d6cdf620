package eval

import (
	"fmt"
	"strings"
	"sync"
	"unicode"
)

// Character classes as PostgreSQL sees them in a UTF8 database whose
// LC_CTYPE is C.UTF-8 (glibc's iswalpha, iswupper, ... over Unicode), used
// by initcap and by regular expressions. They were checked against
// PostgreSQL 15 on C.UTF-8; glibc's tables are approximated by Unicode's
// properties:
//   - alpha: letters, letter numbers (Ⅳ), Other_Alphabetic (combining
//     vowel signs, Ⓐ) and the decimal digits of other scripts than ASCII
//     (٣), which glibc files under alpha as its digit class is 0-9 only;
//   - upper: Uppercase, and any character that lower-cases to another
//     (title case ǅ is both); lower: Lowercase, and any character that
//     upper-cases to another;
//   - space: Unicode White_Space without the no-break spaces (U+00A0,
//     U+2007, U+202F) and U+0085;
//   - digit, xdigit and blank are ASCII (0-9; 0-9a-fA-F; space and tab).

func isAlphaPG(r rune) bool {
	if r < 0x80 {
		return 'a' <= r|0x20 && r|0x20 <= 'z'
	}
	return unicode.IsLetter(r) || unicode.In(r, unicode.Nl, unicode.Nd, unicode.Other_Alphabetic)
}

func isDigitPG(r rune) bool { return '0' <= r && r <= '9' }

func isAlnumPG(r rune) bool { return isDigitPG(r) || isAlphaPG(r) }

func isWordPG(r rune) bool { return r == '_' || isAlnumPG(r) }

func isUpperPG(r rune) bool {
	return unicode.IsUpper(r) || unicode.Is(unicode.Other_Uppercase, r) || unicode.ToLower(r) != r
}

func isLowerPG(r rune) bool {
	return unicode.IsLower(r) || unicode.Is(unicode.Other_Lowercase, r) || unicode.ToUpper(r) != r
}

func isSpacePG(r rune) bool {
	switch r {
	case 0x85, 0xA0, 0x2007, 0x202F:
		return false
	}
	return unicode.Is(unicode.White_Space, r)
}

func isXDigitPG(r rune) bool { return isDigitPG(r) || 'a' <= r|0x20 && r|0x20 <= 'f' }

func isBlankPG(r rune) bool { return r == ' ' || r == '\t' }

// ctypes are the classes of PostgreSQL's bracket expressions ([[:alpha:]])
// the regular expressions support, by name.
var ctypes = map[string]func(rune) bool{
	"alpha": isAlphaPG, "digit": isDigitPG, "alnum": isAlnumPG, "word": isWordPG, "upper": isUpperPG,
	"lower": isLowerPG, "space": isSpacePG, "xdigit": isXDigitPG, "blank": isBlankPG,
}

// classBodies are the classes, and "^space" and "^word" their complements,
// as the inside of an RE2 bracket expression (`\x{30}-\x{39}`), each
// computed once, when first used.
var classBodies = func() map[string]func() string {
	m := make(map[string]func() string, len(ctypes))
	for name, pred := range ctypes {
		m[name] = sync.OnceValue(func() string { return ranges(pred) })
	}
	for _, name := range []string{"space", "word"} { // \S and \W inside brackets
		pred := ctypes[name]
		m["^"+name] = sync.OnceValue(func() string { return ranges(func(r rune) bool { return !pred(r) }) })
	}
	return m
}()

// ranges lists the code points for which pred holds as RE2 class ranges.
func ranges(pred func(rune) bool) string {
	var sb strings.Builder
	lo := rune(-1)
	flush := func(hi rune) {
		if lo < 0 {
			return
		}
		if lo == hi {
			fmt.Fprintf(&sb, `\x{%x}`, lo)
		} else {
			fmt.Fprintf(&sb, `\x{%x}-\x{%x}`, lo, hi)
		}
		lo = -1
	}
	for r := rune(0); r <= unicode.MaxRune; r++ {
		if pred(r) && (r < 0xD800 || r > 0xDFFF) { // no surrogates: UTF-8 has none
			if lo < 0 {
				lo = r
			}
			continue
		}
		flush(r - 1)
	}
	flush(unicode.MaxRune)
	return sb.String()
}
