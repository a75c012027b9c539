package fraud

import (
	"os"
	"reflect"
	"testing"
)

func TestParseOSReleaseAndLinuxVersion(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, osRelease, kernel, want string
	}{
		{"debian", "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n", "6.1.0-18-amd64", "Debian GNU/Linux 12 (bookworm); kernel 6.1.0-18-amd64"},
		{"no pretty name", "# comment\nNAME=Fedora\nVERSION_ID=40\n", "6.8.5", "Fedora 40; kernel 6.8.5"},
		{"single quotes and escapes", "PRETTY_NAME='My \\\"Distro\\\"'\n", "", "My \"Distro\""},
		{"no os-release", "", "5.15.0", "5.15.0"},
		{"garbage lines ignored", "junk\n=\nNAME=Arch Linux\n", "6.9.1-arch1", "Arch Linux; kernel 6.9.1-arch1"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := linuxVersion(parseOSRelease([]byte(tt.osRelease)), tt.kernel); got != tt.want {
				t.Errorf("got %q, want %q", got, tt.want)
			}
		})
	}
}

func TestParseXrandr(t *testing.T) {
	t.Parallel()
	out := `Screen 0: minimum 320 x 200, current 4000 x 1920, maximum 16384 x 16384
eDP-1 connected primary 1920x1080+0+0 (normal left inverted right x axis y axis) 344mm x 194mm
   1920x1080     60.02*+  59.93
HDMI-1 connected 1080x1920+1920+0 left (normal left inverted right x axis y axis) 527mm x 296mm
   1920x1080     60.00*+
HDMI-2 connected (normal left inverted right x axis y axis)
DP-1 disconnected (normal left inverted right x axis y axis)
`
	want := []Screen{{Width: 1920, Height: 1080}, {Width: 1080, Height: 1920}}
	if got := parseXrandr([]byte(out)); !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if got := parseXrandr([]byte("Can't open display :0\n")); got != nil {
		t.Errorf("error output gave screens %+v", got)
	}
}

func TestParseXwininfo(t *testing.T) {
	t.Parallel()
	out := `
xwininfo: Window id: 0x1e00007 "bash"

  Absolute upper-left X:  100
  Absolute upper-left Y:  80
  Width: 1256
  Height: 803
  Depth: 24
  Visual: 0x21
`
	if w, h, d := parseXwininfo([]byte(out)); w != 1256 || h != 803 || d != 24 {
		t.Errorf("got %d x %d depth %d", w, h, d)
	}
	if w, h, d := parseXwininfo([]byte("  Width: -5\n  Height: 99999999999\n")); w != 0 || h != 0 || d != 0 {
		t.Errorf("nonsense accepted: %d %d %d", w, h, d)
	}
}

func TestParseSwVers(t *testing.T) {
	t.Parallel()
	fam, ver := parseSwVers([]byte("ProductName:\t\tmacOS\nProductVersion:\t\t14.5\nBuildVersion:\t\t23F79\n"))
	if fam != "macOS" || ver != "14.5 (23F79)" {
		t.Errorf("got %q %q", fam, ver)
	}
	fam, ver = parseSwVers([]byte("ProductName:\tMac OS X\nProductVersion:\t10.15.7\n"))
	if fam != "Mac OS X" || ver != "10.15.7" {
		t.Errorf("got %q %q", fam, ver)
	}
}

func TestParseSystemProfiler(t *testing.T) {
	t.Parallel()
	b, err := os.ReadFile("testdata/system_profiler.json")
	if err != nil {
		t.Fatal(err)
	}
	got, err := parseSystemProfiler(b)
	if err != nil {
		t.Fatal(err)
	}
	want := []Screen{
		{Width: 1512, Height: 982, ScalingFactor: 2},
		{Width: 2560, Height: 1440, ScalingFactor: 1.5, ColourDepth: 30},
		{Width: 1920, Height: 1080, ColourDepth: 24},
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v\nwant %+v", got, want)
	}
	if _, err := parseSystemProfiler([]byte("not json")); err == nil {
		t.Error("bad JSON accepted")
	}
}

func TestCleanHardwareName(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in, want string
		ok       bool
	}{
		{"Dell Inc.\n", "Dell Inc.", true},
		{"  LENOVO ", "LENOVO", true},
		{"To Be Filled By O.E.M.", "To Be Filled By O.E.M.", false},
		{"System manufacturer", "System manufacturer", false},
		{"Default string", "Default string", false},
		{"", "", false},
		{"\x00\x00", "", false},
	}
	for _, tt := range tests {
		if got, ok := cleanHardwareName(tt.in); got != tt.want || ok != tt.ok {
			t.Errorf("cleanHardwareName(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}
