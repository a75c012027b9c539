package cli

// classifiers map typed errors from the lower packages (hmrc, auth, workbook, vatreturn) into
// kinds. They are tried in order after the cli's own types.
var classifiers = []classifier{}
