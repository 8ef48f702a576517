package chain

import (
	"encoding/hex"
	"errors"
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/dec2-cloud/dec2/contracts/bindings/escrow"
	"github.com/dec2-cloud/dec2/contracts/bindings/registry"
	"github.com/dec2-cloud/dec2/contracts/bindings/sale"
	"github.com/dec2-cloud/dec2/contracts/bindings/token"
)

// RevertError is a contract call that reverted with one of dec2's (or OpenZeppelin's) custom
// errors. Test with errors.As and compare Name; Args holds the error's arguments in order.
type RevertError struct {
	Name string
	Args []any
	Data []byte
	err  error
}

func (e *RevertError) Error() string {
	if e.Name == "" {
		return fmt.Sprintf("execution reverted with unknown data 0x%x: %v", e.Data, e.err)
	}
	return fmt.Sprintf("execution reverted: %s%v", e.Name, e.Args)
}

func (e *RevertError) Unwrap() error { return e.err }

// IsRevert reports whether err is a revert with the named custom error.
func IsRevert(err error, name string) bool {
	var r *RevertError
	return errors.As(err, &r) && r.Name == name
}

// knownErrors maps a 4-byte selector to the custom error it names, across all dec2 contracts
// (errors from the token surface through the escrow and the registry).
var knownErrors = func() map[[4]byte]abi.Error {
	m := map[[4]byte]abi.Error{}
	for _, md := range []string{token.Dec2TokenMetaData.ABI, sale.TokenSaleMetaData.ABI, escrow.StreamEscrowMetaData.ABI, registry.ProviderRegistryMetaData.ABI} {
		parsed := mustABI(md)
		for _, e := range parsed.Errors {
			m[[4]byte(e.ID[:4])] = e
		}
	}
	return m
}()

func mustABI(js string) abi.ABI {
	parsed, err := abi.JSON(strings.NewReader(js))
	if err != nil {
		panic(fmt.Sprintf("generated ABI does not parse: %v", err))
	}
	return parsed
}

// DecodeRevert turns an RPC error carrying revert data into a *RevertError; other errors pass
// through unchanged.
func DecodeRevert(err error) error {
	var de rpc.DataError
	if !errors.As(err, &de) {
		return err
	}
	s, ok := de.ErrorData().(string)
	if !ok {
		return err
	}
	data, herr := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if herr != nil || len(data) < 4 {
		return err
	}
	re := &RevertError{Data: data, err: err}
	if e, ok := knownErrors[[4]byte(data[:4])]; ok {
		re.Name = e.Name
		if args, uerr := e.Inputs.Unpack(data[4:]); uerr == nil {
			re.Args = args
		}
	}
	return re
}
