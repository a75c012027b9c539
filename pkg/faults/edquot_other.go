//go:build !unix

package faults

func isEDQUOT(error) bool { return false }
