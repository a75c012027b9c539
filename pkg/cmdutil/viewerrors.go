package cmdutil

import (
	"errors"
	"fmt"

	"github.com/vatbridge/vat/pkg/hmrc"
)

// contactVAT is HMRC's VAT helpline page.
const contactVAT = "https://www.gov.uk/government/organisations/hm-revenue-customs/contact/vat-enquiries"

// ExplainView turns HMRC's documented refusals of a read (insolvent trader, nothing found, not
// authorised, date range, unknown test scenario) into a sentence saying what happened and what to
// do, with the exit code of its kind. what names the thing asked for ("penalties"), cmd the
// command ("vat penalties"). Other errors pass through to Classify unchanged.
func ExplainView(err error, vrn, what, cmd string) error {
	var ae *hmrc.APIError
	if err == nil || !errors.As(err, &ae) {
		return err
	}
	wrap := func(k Kind, msg, hint string) error {
		return &Error{Kind: k, Code: code(ae), Err: errors.New(msg), Hint: hint}
	}
	switch {
	case ae.Has(hmrc.CodeIncorrectGovTestScenario):
		return wrap(KindUsage, fmt.Sprintf("HMRC's sandbox has no test scenario by that name for %s", what),
			fmt.Sprintf("see 'vat %s --help' for the scenarios it supports", cmd))
	case ae.Has(hmrc.CodeInsolventTrader):
		return wrap(KindRejected, fmt.Sprintf("HMRC says the business with VRN %s is insolvent, so it does not show its %s through the API", vrn, what),
			"the insolvency practitioner deals with HMRC for an insolvent business; contact HMRC's VAT helpline: "+contactVAT)
	case ae.Has(hmrc.CodeClientOrAgentNotAuthorised):
		return wrap(KindAuth, fmt.Sprintf("HMRC says this login is not authorised to see VRN %s", vrn),
			fmt.Sprintf("log in as the business, or an agent it has authorised: vat login --vrn %s", vrn))
	case ae.Has(hmrc.CodeDateRangeTooLarge):
		return wrap(KindRejected, fmt.Sprintf("HMRC refused the dates asked for: it shows %s only for the last four years", what),
			"ask for a period that ended within the last four years")
	case ae.Has(hmrc.CodeDateFromInvalid), ae.Has(hmrc.CodeInvalidDateFrom):
		return wrap(KindRejected, fmt.Sprintf("HMRC refused --from: it holds %s only from 6 April 2016", what),
			"give a --from on or after 2016-04-06")
	case ae.Has(hmrc.CodeDateToInvalid), ae.Has(hmrc.CodeInvalidDateTo):
		return wrap(KindRejected, "HMRC refused --to: it may not be after today", "leave --to out to mean today")
	case ae.Has(hmrc.CodeDateRangeInvalid), ae.Has(hmrc.CodeInvalidDateRange):
		return wrap(KindRejected, "HMRC refused the date range: --from must be before --to, and one request covers at most a year",
			"check --from and --to")
	case ae.Has(hmrc.CodeNotFound) || (ae.StatusCode == 404 && ae.Code == ""):
		return wrap(KindRejected, fmt.Sprintf("HMRC holds no %s for VRN %s", what, vrn),
			"check the VRN (--vrn); a business registered in the last few weeks may not be set up yet")
	}
	return err
}

func code(ae *hmrc.APIError) string {
	for _, fe := range ae.Errors {
		if fe.Code != "" {
			return fe.Code
		}
	}
	return ae.Code
}
