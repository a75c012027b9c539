//go:build linux

package main

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/rogpeppe/go-internal/testscript"
	"golang.org/x/sys/unix"

	"github.com/vatbridge/vat/pkg/sandbox"
)

// personCmds are the script commands that stand in for the person following the README: one
// waits for a server as a person reads "listening on", one types at a terminal.
var personCmds = map[string]func(ts *testscript.TestScript, neg bool, args []string){
	"waitfor":  cmdWaitFor,
	"terminal": cmdTerminal,
}

// scriptVars are the variables a command on the person's terminal inherits from the script.
var scriptVars = []string{"WORK", "PATH", "HOME", "TMPDIR", "GOTRACEBACK", "GOCOVERDIR", "GORACE", "NO_COLOR",
	"VAT_ENV", "VAT_API_URL", "VAT_CONFIG_DIR", "VAT_PROFILE", "VAT_VRN", "VAT_TOKEN_STORE", "VAT_OUTPUT"}

// cmdWaitFor waits until something listens on HOST:PORT (a background 'vat sandbox serve').
func cmdWaitFor(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 1 {
		ts.Fatalf("usage: waitfor HOST:PORT")
	}
	deadline := time.Now().Add(time.Minute)
	for {
		c, err := net.DialTimeout("tcp", args[0], time.Second)
		if err == nil {
			c.Close()
			return
		}
		if time.Now().After(deadline) {
			ts.Fatalf("nothing listens on %s: %v", args[0], err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// cmdTerminal runs a command on a pseudo-terminal (stdin, stdout and stderr) and answers it as a
// person would: "y" to every [y/N] question, and at the login's paste prompt it opens the address
// in a "browser" (the emulator's forms over HTTP), signs in as the test user whose details
// $WORK/user.txt holds (what 'vat sandbox create-user' printed), and types the code shown. What
// the terminal showed becomes the command's stdout.
func cmdTerminal(ts *testscript.TestScript, neg bool, args []string) {
	if len(args) == 0 {
		ts.Fatalf("usage: terminal command [args...]")
	}
	path := lookPath(ts, args[0])
	ptmx, tty, err := openPTY()
	ts.Check(err)
	defer ptmx.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, path, args[1:]...)
	cmd.Args[0] = args[0]
	cmd.Dir = ts.MkAbs(".")
	for _, k := range scriptVars {
		if v := ts.Getenv(k); v != "" {
			cmd.Env = append(cmd.Env, k+"="+v)
		}
	}
	// A plain terminal unless the script names one: vat must behave on a real xterm too.
	term := "dumb"
	if v := ts.Getenv("TERM"); v != "" {
		term = v
	}
	cmd.Env = append(cmd.Env, "TERM="+term)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = tty, tty, tty
	cmd.SysProcAttr = &syscall.SysProcAttr{Setsid: true, Setctty: true}
	ts.Check(cmd.Start())
	tty.Close()

	p := &person{ts: ts, ptmx: ptmx}
	p.converse()
	err = cmd.Wait()
	screen := strings.ReplaceAll(p.screen.String(), "\r", "")
	fmt.Fprint(ts.Stdout(), screen)
	if p.err != nil {
		ts.Fatalf("the person at the terminal: %v\n%s", p.err, screen)
	}
	switch {
	case neg && err == nil:
		ts.Fatalf("unexpected success")
	case !neg && err != nil:
		ts.Fatalf("%s: %v\n%s", strings.Join(args, " "), err, screen)
	}
}

// person reads the terminal and answers its questions.
type person struct {
	ts       *testscript.TestScript
	ptmx     *os.File
	screen   strings.Builder
	answered int // how much of the screen has been answered
	err      error
}

func (p *person) converse() {
	buf := make([]byte, 4096)
	for {
		n, err := p.ptmx.Read(buf)
		if n > 0 {
			p.screen.Write(buf[:n])
			p.answer()
		}
		if err != nil {
			return // EIO once the command has exited and closed the terminal
		}
	}
}

func (p *person) answer() {
	for {
		unread := p.screen.String()[p.answered:]
		yn := strings.Index(unread, "[y/N] ")
		paste := strings.Index(unread, "Paste it here and press Enter: ")
		switch {
		case yn >= 0 && (paste < 0 || yn < paste):
			p.answered += yn + len("[y/N] ")
			p.ptmx.WriteString("y\n")
		case paste >= 0:
			p.answered += paste + len("Paste it here and press Enter: ")
			code, err := p.signIn(unread[:paste])
			if err != nil {
				p.err = err
				p.ptmx.WriteString("\n")
				return
			}
			p.ptmx.WriteString(code + "\n")
		default:
			return
		}
	}
}

// signIn opens the sign-in address shown on screen and returns the code HMRC's page shows.
func (p *person) signIn(screen string) (string, error) {
	var authURL string
	sc := bufio.NewScanner(strings.NewReader(screen))
	for sc.Scan() {
		if l := strings.TrimSpace(sc.Text()); strings.HasPrefix(l, "http") && strings.Contains(l, "/oauth/authorize") {
			authURL = l
		}
	}
	if authURL == "" {
		return "", errors.New("no sign-in address on the screen")
	}
	user, password, err := p.credentials()
	if err != nil {
		return "", err
	}
	loc, err := sandbox.SignIn(context.Background(), http.DefaultClient, authURL, user, password)
	if err != nil {
		return "", err
	}
	code := loc.Query().Get("code")
	if code == "" {
		return "", fmt.Errorf("no code on the page the sign-in ended at (%s)", loc.Path)
	}
	return code, nil
}

// credentials reads the userId and password 'vat sandbox create-user' printed.
func (p *person) credentials() (user, password string, err error) {
	b, err := os.ReadFile(filepath.Join(p.ts.Getenv("WORK"), "user.txt"))
	if err != nil {
		return "", "", fmt.Errorf("the test user's details: %w", err)
	}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Fields(l)
		if len(f) == 2 && f[0] == "userId" {
			user = f[1]
		}
		if len(f) == 2 && f[0] == "password" {
			password = f[1]
		}
	}
	if user == "" || password == "" {
		return "", "", errors.New("user.txt holds no userId and password")
	}
	return user, password, nil
}

func lookPath(ts *testscript.TestScript, name string) string {
	for _, dir := range filepath.SplitList(ts.Getenv("PATH")) {
		p := filepath.Join(dir, name)
		if fi, err := os.Stat(p); err == nil && !fi.IsDir() && fi.Mode()&0o111 != 0 {
			return p
		}
	}
	ts.Fatalf("%s: not found on the script's PATH", name)
	return ""
}

// openPTY opens a pseudo-terminal pair: the controlling side and the terminal a command uses.
func openPTY() (ptmx, tty *os.File, err error) {
	ptmx, err = os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY|syscall.O_CLOEXEC, 0)
	if err != nil {
		return nil, nil, err
	}
	fd := int(ptmx.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		ptmx.Close()
		return nil, nil, fmt.Errorf("unlock pty: %w", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		ptmx.Close()
		return nil, nil, fmt.Errorf("pty number: %w", err)
	}
	tty, err = os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		ptmx.Close()
		return nil, nil, err
	}
	return ptmx, tty, nil
}
