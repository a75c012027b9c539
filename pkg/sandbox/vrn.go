package sandbox

import (
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"regexp"
)

var (
	vrnPattern       = regexp.MustCompile(`^\d{9}$`)
	periodKeyPattern = regexp.MustCompile(`^[#0-9A-Z]{4}$`)
	chargeRefPattern = regexp.MustCompile(`^X[a-zA-Z]\d{12}$`)
)

// vrnCheckDigits computes HMRC's mod-97 check for the first seven digits of a VRN
// (the algorithm of api-platform-test-user's Generator), with offset 0 or 55 for the
// "97-55" variant.
func vrnCheckDigits(base [7]int, offset int) int {
	weights := [7]int{8, 7, 6, 5, 4, 3, 2}
	total := offset
	for i, d := range base {
		total += d * weights[i]
	}
	return 97 - total%97
}

// ValidVRN reports whether vrn is nine digits whose last two are a mod-97 (or 97-55)
// check over the first seven, as HMRC generates them.
func ValidVRN(vrn string) bool {
	if !vrnPattern.MatchString(vrn) {
		return false
	}
	var base [7]int
	for i := range 7 {
		base[i] = int(vrn[i] - '0')
	}
	check := int(vrn[7]-'0')*10 + int(vrn[8]-'0')
	return check == vrnCheckDigits(base, 0) || check == vrnCheckDigits(base, 55)
}

// newVRN generates a VRN the way HMRC's test-user service does: seven random digits
// from 1000000 to 9999999 and the mod-97 check digits.
func newVRN() string {
	n := 1000000 + int(randUint64()%9000000)
	s := fmt.Sprintf("%07d", n)
	var base [7]int
	for i := range 7 {
		base[i] = int(s[i] - '0')
	}
	return fmt.Sprintf("%s%02d", s, vrnCheckDigits(base, 0))
}

func randUint64() uint64 {
	var b [8]byte
	_, _ = rand.Read(b[:]) // crypto/rand.Read never fails on supported platforms
	return binary.BigEndian.Uint64(b[:])
}

func randDigits(n int) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = byte('0' + randUint64()%10)
	}
	return string(b)
}

const alnum = "abcdefghijklmnopqrstuvwxyz0123456789"

func randAlnum(n int, alphabet string) string {
	b := make([]byte, n)
	for i := range b {
		b[i] = alphabet[randUint64()%uint64(len(alphabet))]
	}
	return string(b)
}
