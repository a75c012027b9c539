package receipts

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
)

// helperEnv makes the test binary act as a separate journal-using process (see TestMain).
const helperEnv = "VAT_RECEIPTS_TEST_HELPER"

func TestMain(m *testing.M) {
	if mode := os.Getenv(helperEnv); mode != "" {
		if err := helperMain(mode, os.Args[len(os.Args)-3:]); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(3)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// helperMain is the body of a helper process. Its three arguments are dir, name and a count.
//   - "append": waits for a line on stdin (so all helpers start together), races for the
//     shared periods, printing how many it won, then begins and receipts count intents under
//     VRN=name.
//   - "crash": begins one intent with ID name, prints "begun" and blocks until killed.
func helperMain(mode string, args []string) error {
	ctx := context.Background()
	dir, name := args[0], args[1]
	n, err := strconv.Atoi(args[2])
	if err != nil {
		return err
	}
	j, err := Open(dir)
	if err != nil {
		return err
	}
	in := bufio.NewReader(os.Stdin)
	switch mode {
	case "append":
		if _, err := in.ReadString('\n'); err != nil {
			return err
		}
		won, err := race(ctx, j, name)
		if err != nil {
			return err
		}
		fmt.Println(won)
		return appendMany(ctx, j, name, n)
	case "crash":
		if err := j.BeginIntent(ctx, sampleIntent(name, "123456789", "26C3")); err != nil {
			return err
		}
		fmt.Println("begun")
		_, _ = io.Copy(io.Discard, in) // block until killed (or the parent goes away)
		return errors.New("not killed")
	}
	return fmt.Errorf("unknown helper mode %q", mode)
}

// appendMany begins and receipts n intents, each for its own period so none blocks another.
func appendMany(ctx context.Context, j *Journal, vrn string, n int) error {
	for i := range n {
		id := fmt.Sprintf("%s-%d", vrn, i)
		if err := j.BeginIntent(ctx, sampleIntent(id, vrn, fmt.Sprintf("%04d", i))); err != nil {
			return err
		}
		if err := j.RecordReceipt(ctx, sampleReceipt(id)); err != nil {
			return err
		}
	}
	return nil
}

// racePeriods is how many periods of VRN "race" every participant tries to begin an intent for.
// Exactly one participant may win each.
const racePeriods = 20

// race tries to begin an intent for each race period and reports how many it won.
func race(ctx context.Context, j *Journal, name string) (int, error) {
	won := 0
	for p := range racePeriods {
		err := j.BeginIntent(ctx, sampleIntent(fmt.Sprintf("race-%s-%d", name, p), "race", fmt.Sprintf("R%03d", p)))
		switch {
		case err == nil:
			won++
		case !errors.Is(err, ErrOpenIntent):
			return won, err
		}
	}
	return won, nil
}

func helperCmd(t *testing.T, mode, dir, name string, n int) *exec.Cmd {
	t.Helper()
	cmd := exec.CommandContext(t.Context(), os.Args[0], "-test.run=^$", dir, name, strconv.Itoa(n))
	cmd.Env = append(os.Environ(), helperEnv+"="+mode)
	cmd.Stderr = os.Stderr
	return cmd
}

// checkJournal asserts that every line of the file is a whole record (nothing interleaved or
// torn) and that exactly the expected intents are there, each receipted.
func checkJournal(t *testing.T, dir string, wantLines int, vrns []string, perVRN int) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, JournalFile))
	if err != nil {
		t.Fatal(err)
	}
	if lines := bytes.Count(data, []byte("\n")); lines != wantLines {
		t.Errorf("journal has %d lines, want %d", lines, wantLines)
	}
	if bad := unparsableLines(data); bad != 0 {
		t.Errorf("%d lines are not whole records: appends interleaved", bad)
	}
	j := openT(t, dir)
	if j.DamagedLines() != 0 {
		t.Errorf("DamagedLines = %d", j.DamagedLines())
	}
	for _, vrn := range vrns {
		for i := range perVRN {
			id := fmt.Sprintf("%s-%d", vrn, i)
			e, err := j.Get(t.Context(), id)
			if err != nil {
				t.Errorf("Get(%s): %v", id, err)
				continue
			}
			if e.State != StateReceipted {
				t.Errorf("%s is %s", id, e.State)
			}
		}
	}
	open, err := j.OpenIntents(t.Context(), "race")
	periods := map[string]int{}
	for _, in := range open {
		periods[in.PeriodKey]++
	}
	if err != nil || len(open) != racePeriods || len(periods) != racePeriods {
		t.Errorf("race: %d intents over %d periods (%v), want exactly one for each of %d", len(open), len(periods), err, racePeriods)
	}
}

func TestConcurrentGoroutines(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const workers, perWorker = 8, 10
	shared := openT(t, dir)
	var wg sync.WaitGroup
	var won atomic.Int64
	vrns := make([]string, workers)
	for w := range workers {
		vrns[w] = fmt.Sprintf("g%d", w)
		wg.Go(func() {
			// Half the goroutines share one Journal, half have their own, as separate commands would.
			j := shared
			if w%2 == 1 {
				var err error
				if j, err = Open(dir); err != nil {
					t.Error(err)
					return
				}
			}
			n, err := race(t.Context(), j, vrns[w])
			if err != nil {
				t.Error(err)
				return
			}
			won.Add(int64(n))
			if err := appendMany(t.Context(), j, vrns[w], perWorker); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if n := won.Load(); n != racePeriods {
		t.Errorf("%d intents won for %d contested periods", n, racePeriods)
	}
	checkJournal(t, dir, workers*perWorker*2+racePeriods, vrns, perWorker)
}

func TestConcurrentProcesses(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	openT(t, dir) // create the directory once, as the CLI would
	const procs, perProc = 4, 15
	var cmds []*exec.Cmd
	var outs []*bytes.Buffer
	var starts []io.WriteCloser
	var vrns []string
	for p := range procs {
		name := fmt.Sprintf("p%d", p)
		vrns = append(vrns, name)
		cmd := helperCmd(t, "append", dir, name, perProc)
		out := new(bytes.Buffer)
		cmd.Stdout = out
		stdin, err := cmd.StdinPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		cmds, outs, starts = append(cmds, cmd), append(outs, out), append(starts, stdin)
	}
	// Release every process at once, and append from this process too while they run.
	for _, s := range starts {
		_, _ = io.WriteString(s, "go\n")
		_ = s.Close()
	}
	const local = "local"
	vrns = append(vrns, local)
	j := openT(t, dir)
	wins, err := race(t.Context(), j, local)
	if err != nil {
		t.Fatal(err)
	}
	if err := appendMany(t.Context(), j, local, perProc); err != nil {
		t.Fatal(err)
	}
	for i, cmd := range cmds {
		if err := cmd.Wait(); err != nil {
			t.Fatalf("helper %d: %v", i, err)
		}
		n, err := strconv.Atoi(strings.TrimSpace(outs[i].String()))
		if err != nil {
			t.Fatalf("helper %d printed %q", i, outs[i])
		}
		wins += n
	}
	if wins != racePeriods {
		t.Errorf("processes won %d intents for %d contested periods: a period was begun twice", wins, racePeriods)
	}
	checkJournal(t, dir, (procs+1)*perProc*2+racePeriods, vrns, perProc)
}

func TestCrashAfterBeginIntent(t *testing.T) {
	t.Parallel()
	dir := filepath.Join(t.TempDir(), "receipts")
	cmd := helperCmd(t, "crash", dir, "crashed-intent", 0)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stdin, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	defer stdin.Close()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil || line != "begun\n" {
		_ = cmd.Process.Kill()
		t.Fatalf("helper said %q, %v", line, err)
	}
	// While the helper lives, the intent is its own: nobody else may resolve it.
	alive := openT(t, dir)
	if e, err := alive.Get(t.Context(), "crashed-intent"); err != nil || !e.InFlight {
		t.Errorf("while the sender lives: %+v, %v; want InFlight", e, err)
	}
	if err := alive.ClearIntent(t.Context(), "crashed-intent", "x"); !errors.Is(err, ErrInFlight) {
		t.Errorf("ClearIntent while the sender lives: %v, want ErrInFlight", err)
	}
	// SIGKILL: no deferred code, no flushing, nothing the helper can do to tidy up.
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = cmd.Wait()

	j := openT(t, dir)
	open, err := j.OpenIntents(t.Context(), "123456789")
	if err != nil {
		t.Fatal(err)
	}
	if len(open) != 1 || open[0].ID != "crashed-intent" || open[0].Return.NetVATDue != 8012 || len(open[0].Evidence.Cells) != 3 {
		t.Fatalf("after SIGKILL, OpenIntents = %+v", open)
	}
	if e, err := j.Get(t.Context(), "crashed-intent"); err != nil || e.State != StatePending || e.InFlight {
		t.Errorf("after SIGKILL: %+v, %v; want pending and no longer in flight", e, err)
	}
	// The lock died with the process, and the next run must reconcile before submitting again.
	err = j.BeginIntent(t.Context(), sampleIntent("retry", "123456789", "26C3"))
	if !errors.Is(err, ErrOpenIntent) {
		t.Errorf("BeginIntent after crash: %v, want ErrOpenIntent", err)
	}
	// Reconciliation can now settle it, and the dead sender's lock file goes with it.
	if err := j.ClearIntent(t.Context(), "crashed-intent", "view return: 404"); err != nil {
		t.Fatal(err)
	}
	assertOnlyJournalFiles(t, dir)
}
