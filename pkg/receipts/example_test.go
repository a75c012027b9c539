package receipts_test

import (
	"context"
	"errors"
	"fmt"
	"os"

	"github.com/vatbridge/vat/pkg/receipts"
	"github.com/vatbridge/vat/pkg/vatreturn"
)

// The submit sequence: reconcile what earlier runs left open, record the intent, send, then
// record the receipt, or mark the outcome unknown when the answer is lost.
func Example() {
	dir, err := os.MkdirTemp("", "receipts-example")
	if err != nil {
		panic(err)
	}
	defer os.RemoveAll(dir)
	ctx := context.Background()

	j, err := receipts.Open(dir)
	if err != nil {
		panic(err)
	}
	// 1. Anything still open was perhaps filed: ask HMRC (view the return) before sending again.
	open, _ := j.OpenIntents(ctx, "123456789")
	fmt.Println("open before:", len(open))

	// 2. Record what is about to be sent. If this fails, do not send.
	in := receipts.Intent{
		ID: receipts.NewID(), VRN: "123456789", PeriodKey: "26C3",
		PeriodStart: "2026-07-01", PeriodEnd: "2026-09-30", PeriodDue: "2026-11-07",
		Return: vatreturn.Return{VATDueSales: 10512, TotalVATDue: 10512, VATReclaimedCurrPeriod: 2500, NetVATDue: 8012},
	}
	if err := j.BeginIntent(ctx, in); err != nil {
		panic(err)
	}

	// A second attempt for the same period is refused while the first is undecided.
	second := in
	second.ID = receipts.NewID()
	err = j.BeginIntent(ctx, second)
	fmt.Println("second attempt refused:", errors.Is(err, receipts.ErrOpenIntent))

	// 3. POST the return; on 201 record HMRC's receipt, which closes the intent.
	if err := j.RecordReceipt(ctx, receipts.Receipt{
		IntentID: in.ID, FormBundleNumber: "123456789012", Outcome: receipts.OutcomeAccepted,
	}); err != nil {
		panic(err)
	}
	list, _ := j.List(ctx)
	fmt.Println("receipts:", len(list), list[0].Receipt.FormBundleNumber, list[0].Intent.Return.NetVATDue.GBP())
	// Output:
	// open before: 0
	// second attempt refused: true
	// receipts: 1 123456789012 £80.12
}
