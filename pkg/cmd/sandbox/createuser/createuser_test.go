package createuser

import (
	"io"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/vatbridge/vat/pkg/cmdutil"
	"github.com/vatbridge/vat/pkg/hmrc"
	"github.com/vatbridge/vat/pkg/iostreams"
)

func TestCreateUserFlags(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		args []string
		want CreateUserOptions
	}{
		{nil, CreateUserOptions{Kind: "organisation", Services: []string{"mtd-vat"}}},
		{[]string{"--type", "individual"}, CreateUserOptions{Kind: "individual", Services: []string{"mtd-vat"}}},
		{[]string{"--type", "agent"}, CreateUserOptions{Kind: "agent", Services: []string{"agent-services"}}},
		{[]string{"--type", "agent", "--services", "agent-services,mtd-vat", "--save"},
			CreateUserOptions{Kind: "agent", Services: []string{"agent-services", "mtd-vat"}, Save: true}},
	} {
		ios, _, _, _ := iostreams.Test()
		var got *CreateUserOptions
		cmd := NewCmdCreateUser(cmdutil.NewFactory(ios), func(o *CreateUserOptions) error { got = o; return nil })
		cmd.SetOut(io.Discard)
		cmd.SetErr(io.Discard)
		cmd.SetArgs(tt.args)
		if err := cmd.Execute(); err != nil {
			t.Fatal(err)
		}
		got.IO, got.Factory = nil, nil
		if !reflect.DeepEqual(*got, tt.want) {
			t.Errorf("%v: opts = %+v, want %+v", tt.args, *got, tt.want)
		}
	}
}

// The table names each field as the JSON and the CSV do, HMRC's names, and lines the values up
// whichever fields the user has.
func TestCreateUserTextAlignsHMRCNames(t *testing.T) {
	t.Parallel()
	date, err := hmrc.ParseDate("2015-07-11")
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		user hmrc.TestUser
		want string
	}{
		{hmrc.TestUser{UserID: "123456789012", Password: "pw", VRN: "866598456", VATRegistrationDate: date},
			"userId               123456789012\npassword             pw\nvrn                  866598456\nvatRegistrationDate  2015-07-11\n"},
		{hmrc.TestUser{UserID: "123456789012", Password: "pw", ARN: "XARN1234567"},
			"userId                      123456789012\npassword                    pw\nagentServicesAccountNumber  XARN1234567\n"},
	} {
		var b strings.Builder
		if err := (Doc{TestUser: tt.user}).Text(&b, cmdutil.Term{}); err != nil {
			t.Fatal(err)
		}
		if b.String() != tt.want {
			t.Errorf("got\n%s\nwant\n%s", b.String(), tt.want)
		}
		csv := (Doc{TestUser: tt.user}).CSV().Headers
		for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
			if name := strings.Fields(line)[0]; !slices.Contains(csv, name) {
				t.Errorf("table names %q, which the CSV (%v) does not", name, csv)
			}
		}
	}
}
