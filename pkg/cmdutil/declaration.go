package cmdutil

import (
	"path/filepath"

	"github.com/vatbridge/vat/pkg/config"
	"github.com/vatbridge/vat/pkg/receipts"
)

// BusinessDeclaration is HMRC's legal declaration for a business filing its own return.
const BusinessDeclaration = "When you submit this VAT information you are making a legal declaration that the " +
	"information is true and complete. A false declaration can result in prosecution."

// AgentDeclaration is HMRC's declaration for an agent filing for a client, word for word as HMRC's
// own online VAT return service shows it to agents on its "Submit return" confirmation page
// (HMRC's public frontend code), in place of the business's legal declaration.
const AgentDeclaration = "I confirm that my client has received a copy of the information contained in this " +
	"return and approved the information as being correct and complete to the best of their knowledge and belief."

// Declaration returns which declaration the signed-in user makes (receipts.DeclarationAgent or
// DeclarationBusiness) and its wording. The user is an agent when the profile says so: set by
// 'vat sandbox create-user --type agent --save', or agent = true in the profile.
func (f *Factory) Declaration() (string, string, error) {
	p, err := f.Profile()
	if err != nil {
		return "", "", err
	}
	if p.Agent {
		return receipts.DeclarationAgent, AgentDeclaration, nil
	}
	return receipts.DeclarationBusiness, BusinessDeclaration, nil
}

// HintAgentProfile reminds the user, once they keep clients, that a profile not marked as an
// agent's shows the business's declaration: one sign-in serves several VRNs only for an agent.
func HintAgentProfile(f *Factory) {
	p, err := f.Profile()
	if err != nil || p.Agent {
		return
	}
	s, _ := f.Settings()
	f.Status("note: profile %q is not marked as an agent's, so 'vat submit' shows the business's declaration; "+
		"if you sign in with an Agent Services Account, add agent = true under [profiles.%s] in %s", s.Profile, s.Profile, filepath.Join(s.ConfigDir, config.FileName))
}
