package sandbox

import "time"

// lateInterestRates are HMRC's late payment interest rates for VAT, in basis
// points, from the day each took effect: the Bank of England base rate plus 2.5%,
// and plus 4% from 6 April 2025. Published at
// https://www.gov.uk/government/publications/rates-and-allowances-hmrc-interest-rates-for-late-and-early-payments/rates-and-allowances-hmrc-interest-rates
// The table is transcribed by hand, not fetched; the emulator keeps the last rate
// after it ends, so interest is believable rather than authoritative.
var lateInterestRates = []struct {
	from time.Time
	bp   int64
}{
	{time.Date(2022, 1, 1, 0, 0, 0, 0, time.UTC), 275},
	{time.Date(2022, 2, 21, 0, 0, 0, 0, time.UTC), 300},
	{time.Date(2022, 4, 5, 0, 0, 0, 0, time.UTC), 325},
	{time.Date(2022, 5, 24, 0, 0, 0, 0, time.UTC), 350},
	{time.Date(2022, 7, 5, 0, 0, 0, 0, time.UTC), 375},
	{time.Date(2022, 8, 23, 0, 0, 0, 0, time.UTC), 425},
	{time.Date(2022, 10, 11, 0, 0, 0, 0, time.UTC), 475},
	{time.Date(2022, 11, 22, 0, 0, 0, 0, time.UTC), 550},
	{time.Date(2023, 1, 6, 0, 0, 0, 0, time.UTC), 600},
	{time.Date(2023, 2, 21, 0, 0, 0, 0, time.UTC), 650},
	{time.Date(2023, 4, 13, 0, 0, 0, 0, time.UTC), 675},
	{time.Date(2023, 5, 31, 0, 0, 0, 0, time.UTC), 700},
	{time.Date(2023, 7, 11, 0, 0, 0, 0, time.UTC), 750},
	{time.Date(2023, 8, 22, 0, 0, 0, 0, time.UTC), 775},
	{time.Date(2024, 8, 20, 0, 0, 0, 0, time.UTC), 750},
	{time.Date(2024, 11, 26, 0, 0, 0, 0, time.UTC), 725},
	{time.Date(2025, 2, 25, 0, 0, 0, 0, time.UTC), 700},
	{time.Date(2025, 4, 6, 0, 0, 0, 0, time.UTC), 850},
	{time.Date(2025, 5, 28, 0, 0, 0, 0, time.UTC), 825},
	{time.Date(2025, 8, 27, 0, 0, 0, 0, time.UTC), 800},
}

// interestRate is the rate in force on day, in basis points.
func interestRate(day time.Time) int64 {
	bp := lateInterestRates[0].bp
	for _, r := range lateInterestRates {
		if day.Before(r.from) {
			break
		}
		bp = r.bp
	}
	return bp
}

// lateInterest is simple daily interest on pence from the day after due up to and
// including until, at the rate in force each day, rounded half up to a penny.
func lateInterest(pence int64, due, until time.Time) int64 {
	var acc int64 // pence × basis points × days, so that only the final division rounds
	for d := due.AddDate(0, 0, 1); !d.After(until); d = d.AddDate(0, 0, 1) {
		acc += pence * interestRate(d)
	}
	const den = 10000 * 365
	return (acc + den/2) / den
}
